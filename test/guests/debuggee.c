/* The debugger's test guest: calls to step over and out of, globals to watch, a loop to
 * break in with a condition, the guest's own int3, and a spin to pause. */
#include <microscope.h>

volatile uint64_t total;          /* written by sum_squares: a write watch */
volatile uint32_t reads_only = 7; /* read by read_twice, never written */

__attribute__((noinline)) uint64_t square(uint64_t x) { return x * x; }

/* total = 1² + 2² + ... + n², one call of square and one store of total per term. */
MICROSCOPE_FN(u64, sum_squares, (u32, n)) {
  total = 0;
  for (uint32_t i = 1; i <= n; ++i) total += square(i);
  return total;
}

MICROSCOPE_FN(u64, read_twice) { return reads_only + reads_only; }

MICROSCOPE_FN(u64, own_int3) {
  __asm__ volatile("int3");
  return 1;
}

MICROSCOPE_FN(void, spin_forever) {
  for (;;) __asm__ volatile("pause");
}

/* A str argument: the call enters through the export's thunk. */
MICROSCOPE_FN(u64, length_of, (str, text)) { return ms_strlen(text); }

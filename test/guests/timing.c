/* Run times the host controls, for the latency profiler's tests: `spin_for` runs a loop of
 * n rounds (its time grows with n); `staircase` runs 0, 1, 2 or 3 × n rounds on
 * successive calls, so a warm profile of it has four equal steps: p25 in the first, p50 in
 * the second, p75 in the third, p99 in the fourth. */
#include <microscope.h>

static uint64_t rounds(uint64_t n) {
  uint64_t x = 0;
  for (uint64_t i = 0; i < n; ++i) __asm__ volatile("add %1, %0" : "+r"(x) : "r"(i));
  return x;
}

MICROSCOPE_FN(u64, spin_for, (u32, n)) { return rounds(n); }

static uint64_t calls;

MICROSCOPE_FN(u64, staircase, (u32, n)) {
  const uint64_t step = calls++ % 4;
  rounds(step * n);
  return step;
}

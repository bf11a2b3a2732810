/* The line table's test guest: a function inlined into a loop, a line that splits in two
 * (a for loop's start and its condition), and lines with no code at all. */
#include <microscope.h>

static inline __attribute__((always_inline)) uint64_t twice(uint64_t x) {
  const uint64_t doubled = x * 2;
  return doubled + 1;
}

__attribute__((noinline)) uint64_t walk(volatile uint32_t *n) {
  uint64_t sum = 0;
  /* a comment: no code here */

  for (uint32_t i = 0; i < *n; ++i) sum += twice(i) * *n;
  return sum;
}

MICROSCOPE_FN(u64, lines_walk, (u32, n)) {
  volatile uint32_t count = n;
  return walk(&count);
}

/* The CPU profiler's test guest: shapes whose exact profile is known. split(n) runs n
 * iterations of one loop in one callee and 2n of the same loop in another, so their loop
 * lines split 1:2; mixed(n) runs a function inlined into its loop; nested(depth) recurses
 * depth deep, for stacks. */
#include <microscope.h>

/* One loop, the same instructions in both callees: each iteration's work on its own line. */
#define SPIN_BODY(n)                   \
  uint64_t sum = 0;                    \
  for (uint32_t i = 0; i < (n); ++i) { \
    sum = sum * 31 + i;                \
    __asm__ volatile("" : "+r"(sum));  \
  }                                    \
  return sum

__attribute__((noinline)) uint64_t spin_once(uint32_t n) { SPIN_BODY(n); }

__attribute__((noinline)) uint64_t spin_twice(uint32_t n) { SPIN_BODY(n); }

MICROSCOPE_FN(u64, split, (u32, n)) { return spin_once(n) + spin_twice(2 * n); }

static inline __attribute__((always_inline)) uint64_t scramble(uint64_t x) {
  x ^= x >> 7;
  return x * 0x9e3779b97f4a7c15ull;
}

__attribute__((noinline)) uint64_t scramble_all(uint32_t n) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) sum += scramble(sum + i);
  return sum;
}

MICROSCOPE_FN(u64, mixed, (u32, n)) { return scramble_all(n); }

__attribute__((noinline, optimize("no-optimize-sibling-calls"))) uint64_t descend(uint32_t depth) {
  if (depth == 0) return spin_once(100);
  return descend(depth - 1) + 1;
}

MICROSCOPE_FN(u64, nested, (u32, depth)) { return descend(depth); }

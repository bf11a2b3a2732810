/* The benchmark's guest: the same code runs under the engine and under the floor
 * program (floor.c), which calls these functions directly. */
#include <microscope.h>

MICROSCOPE_FN(i64, add, (i64, a), (i64, b)) { return a + b; }

static uint8_t pages[4][4096] __attribute__((aligned(4096)));

/* Dirties exactly four pages: a leaf function reached by jumps writes no stack. */
MICROSCOPE_FN(u64, touch4, (u64, value)) {
  for (int i = 0; i < 4; ++i) pages[i][i * 8] = (uint8_t)(value + i);
  return value;
}

/* n guest -> host -> guest round trips. */
MICROSCOPE_FN(u64, ping_host, (u32, n)) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) sum += MS_HOST_CALL("ping", ms_u32(i)).as.u64;
  return sum;
}

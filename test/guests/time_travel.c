/* Time travel's test guest: a recursion to go back through, host calls whose results
 * change from call to call, the SDK's clock and random bytes and the CPU's time stamp
 * counter (what a replay must hand back as recorded), and a long loop for the costs. */
#include <microscope.h>

volatile uint64_t last_n; /* written by every fib call: a variable's last write */
volatile uint64_t seen[16];

__attribute__((noinline)) uint64_t fib(uint64_t n) {
  last_n = n;
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

MICROSCOPE_FN(u64, fib_of, (u32, n)) { return fib(n); }

/* n calls of the host's "tick", which answers something new each time. */
MICROSCOPE_FN(u64, ticks, (u32, n)) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n && i < 16; ++i) {
    seen[i] = MS_HOST_CALL("tick").as.u64;
    sum = sum * 31 + seen[i];
  }
  return sum;
}

static uint64_t rdtsc(void) {
  uint32_t low, high;
  __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
  return ((uint64_t)high << 32) | low;
}

/* What the guest can't compute: each lands in memory, and in the result. */
MICROSCOPE_FN(u64, outside_inputs) {
  seen[0] = (uint64_t)ms_clock_ns(1);
  ms_random_bytes((void *)&seen[1], 8);
  seen[2] = rdtsc();
  seen[3] = rdtsc();
  return seen[0] ^ seen[1] ^ seen[2] ^ seen[3];
}

/* About 5 instructions a round. */
MICROSCOPE_FN(u64, spin_rounds, (u32, n)) {
  uint64_t x = 0;
  for (uint64_t i = 0; i < n; ++i) __asm__ volatile("add %1, %0" : "+r"(x) : "r"(i));
  last_n = x;
  return x;
}

/* What the CPU says it is: CPUID's answers differ between backends, and a call recorded
 * on KVM must get KVM's in its replay. Each lands in memory, and in the result. */
volatile uint32_t identity[5][4];

MICROSCOPE_FN(u64, cpu_identity) {
  static const uint32_t leaves[5] = {0, 1, 7, 0x80000000u, 0x80000001u};
  uint64_t sum = 0;
  for (int i = 0; i < 5; ++i) {
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(leaves[i]), "c"(0));
    identity[i][0] = a;
    identity[i][1] = b;
    identity[i][2] = c;
    identity[i][3] = d;
    sum = sum * 31 + a + ((uint64_t)b << 8) + ((uint64_t)c << 16) + ((uint64_t)d << 24);
  }
  return sum;
}

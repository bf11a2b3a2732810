/*
 * The demo guest, bundled with Microscope and loaded when no other guest is given
 * ("demo" on the command line). One function per thing worth seeing: a plain result, a
 * recursion, real work, a host call, and each way a call can go wrong.
 */
#include <microscope.h>

MICROSCOPE_FN(i64, add, (i64, a), (i64, b)) { return a + b; }

/* Recursive on purpose: every call is a real call, so a trace shows the whole tree
 * (fib(10) makes 177 calls). */
__attribute__((optimize("no-optimize-sibling-calls", "no-inline"))) MICROSCOPE_FN(u64, fib, (u32, n)) {
  if (n < 2) return n;
  uint64_t left = fib(n - 1);
  uint64_t right = fib(n - 2);
  return left + right;
}

/* ---- SHA-256 (FIPS 180-4), computed in the guest ---- */

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
           block[4 * i + 3];
  }
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
  }
  state[0] += a, state[1] += b, state[2] += c, state[3] += d;
  state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

static uint8_t digest[32];

MICROSCOPE_FN(bytes, sha256, (bytes, data)) {
  uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint64_t n = data.length;
  const uint8_t *p = data.data;
  for (; n >= 64; n -= 64, p += 64) sha256_block(state, p);
  uint8_t tail[128] = {0};
  memcpy(tail, p, n);
  tail[n] = 0x80;
  const uint64_t blocks = n + 9 > 64 ? 2 : 1;
  const uint64_t bits = data.length * 8;
  for (int i = 0; i < 8; ++i) tail[blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (uint64_t i = 0; i < blocks; ++i) sha256_block(state, tail + 64 * i);
  for (int i = 0; i < 32; ++i) digest[i] = (uint8_t)(state[i / 4] >> (24 - 8 * (i % 4)));
  return (ms_bytes){digest, 32};
}

/* ---- A host call ---- */

static char *greeting;

MICROSCOPE_FN(str, greet, (str, name)) {
  const size_t length = ms_strlen(name);
  ms_free(greeting);
  greeting = ms_alloc(length + sizeof "Hello, !");
  if (!greeting) ms_abort(12, "out of memory");
  memcpy(greeting, "Hello, ", 7);
  memcpy(greeting + 7, name, length);
  memcpy(greeting + 7 + length, "!", 2);
  ms_print(greeting);
  return greeting;
}

/* ---- Ways to go wrong ---- */

MICROSCOPE_FN(i32, crash_null) {
  volatile int32_t *null = 0;
  __asm__("" : "+r"(null)); /* hide the constant so the compiler emits the load as written */
  return *null;
}

MICROSCOPE_FN(i32, divide, (i32, a), (i32, b)) {
  int32_t result;
  /* idiv as written: #DE on b == 0 and on INT32_MIN / -1, as the CPU raises it. */
  __asm__("cltd; idivl %2" : "=a"(result) : "a"(a), "r"(b) : "edx", "cc");
  return result;
}

MICROSCOPE_FN(void, spin) {
  for (;;) __asm__ volatile("pause");
}

MICROSCOPE_FN(u64, alloc, (u32, n)) {
  uint8_t *block = ms_alloc(n);
  if (!block) ms_abort(12, "out of memory");
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) {
    block[i] = (uint8_t)i;
    sum += block[i];
  }
  ms_free(block);
  return sum;
}

MICROSCOPE_FN(void, abort_with, (i32, code)) { ms_abort(code, "abort_with was asked to abort"); }

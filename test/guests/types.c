/* Every value type across the call boundary, both ways. Also linked as a static PIE. */
#include <microscope.h>

MICROSCOPE_FN(i32, echo_i32, (i32, v)) { return v; }
MICROSCOPE_FN(u32, echo_u32, (u32, v)) { return v; }
MICROSCOPE_FN(i64, echo_i64, (i64, v)) { return v; }
MICROSCOPE_FN(u64, echo_u64, (u64, v)) { return v; }
MICROSCOPE_FN(f64, echo_f64, (f64, v)) { return v; }
MICROSCOPE_FN(bool, echo_bool, (bool, v)) { return v; }
MICROSCOPE_FN(str, echo_str, (str, v)) { return v; }
MICROSCOPE_FN(bytes, echo_bytes, (bytes, v)) { return v; }
MICROSCOPE_FN(void, nothing) {}

MICROSCOPE_FN(i32, negate_i32, (i32, v)) { return -v; }
MICROSCOPE_FN(bool, is_even, (u64, v)) { return (v & 1) == 0; }
MICROSCOPE_FN(f64, scale, (f64, x), (i32, k)) { return x * k; }
MICROSCOPE_FN(u64, str_length, (str, s)) { return ms_strlen(s); }

MICROSCOPE_FN(u64, bytes_sum, (bytes, b)) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < b.length; ++i) sum += b.data[i];
  return sum;
}

MICROSCOPE_FN(i64, sum16, (i64, a), (i64, b), (i64, c), (i64, d), (i64, e), (i64, f), (i64, g), (i64, h), (i64, i),
              (i64, j), (i64, k), (i64, l), (i64, m), (i64, n), (i64, o), (i64, p)) {
  return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j + 11 * k + 12 * l + 13 * m +
         14 * n + 15 * o + 16 * p;
}

/* One argument of each type: each contributes so a swapped slot changes the result. */
MICROSCOPE_FN(f64, mixed, (i32, a), (u32, b), (i64, c), (u64, d), (f64, e), (bool, f), (str, g), (bytes, h)) {
  return a + 10.0 * b + 100.0 * c + 1000.0 * d + e + (f ? 0.5 : 0.25) + 1e6 * ms_strlen(g) + 1e7 * h.length;
}

static char repeated[200000];

/* A str result of `n` bytes: larger than the output buffer, it aborts in the guest. */
MICROSCOPE_FN(str, repeat, (str, s), (u32, n)) {
  const size_t length = ms_strlen(s);
  if (!length || n > sizeof repeated - 1) ms_abort(1, "repeat: bad size");
  for (uint32_t i = 0; i < n; ++i) repeated[i] = s[i % length];
  repeated[n] = 0;
  return repeated;
}

/* Calls from the guest to host functions the tests define in JS. */
#include <microscope.h>

MICROSCOPE_FN(i64, double_via_host, (i64, v)) { return MS_HOST_CALL("double_it", ms_i64(v)).as.i64; }

/* n host calls, each result used: a stale RAX after a host call would change the sum. */
MICROSCOPE_FN(u64, call_next, (u32, n)) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) sum = sum * 3 + MS_HOST_CALL("next", ms_u32(i)).as.u64;
  return sum;
}

MICROSCOPE_FN(void, log_three) {
  MS_HOST_CALL("log", ms_str("one"));
  MS_HOST_CALL("log", ms_str("two"));
  MS_HOST_CALL("log", ms_str("three"));
}

/* The host's str result straight back as ours: it lies in the output buffer already. */
MICROSCOPE_FN(str, shout_via_host, (str, s)) { return MS_HOST_CALL("shout", ms_str(s)).as.ptr; }

MICROSCOPE_FN(u64, reverse_via_host, (bytes, b)) {
  ms_value r = MS_HOST_CALL("reverse", ms_bytes_of(b.data, (uint32_t)b.length));
  const uint8_t *data = r.as.ptr;
  return r.length * 1000 + (r.length ? data[0] : 0);
}

MICROSCOPE_FN(f64, half_via_host, (f64, x)) { return MS_HOST_CALL("half", ms_f64(x)).as.f64; }

MICROSCOPE_FN(i64, all_types_via_host) {
  static const uint8_t raw[3] = {1, 2, 3};
  return MS_HOST_CALL("all", ms_i32(-1), ms_u32(2), ms_i64(-3), ms_u64(4), ms_f64(0.5), ms_bool(true), ms_str("six"),
                      ms_bytes_of(raw, 3))
      .as.i64;
}

MICROSCOPE_FN(void, call_unknown) { MS_HOST_CALL("no_such_function", ms_i32(1)); }
MICROSCOPE_FN(void, call_with_wrong_types) { MS_HOST_CALL("double_it", ms_str("not a number")); }
MICROSCOPE_FN(void, call_failing) { ms_host_call("fails", 0, 0); }
MICROSCOPE_FN(void, call_badly_returning) { ms_host_call("returns_wrong_type", 0, 0); }

MICROSCOPE_FN(u32, print_lines, (u32, n)) {
  for (uint32_t i = 0; i < n; ++i) ms_printf("line %u of %u: %s %d %x\n", i, n, "ok", -(int)i, 0xbeef);
  return n;
}

/* A long run, then a host call: on the vCPU thread by then. */
MICROSCOPE_FN(i64, spin_then_call, (u32, rounds)) {
  volatile uint64_t x = 0;
  for (uint32_t i = 0; i < rounds; ++i) x += i;
  return MS_HOST_CALL("double_it", ms_i64(21)).as.i64 + (int64_t)(x & 0);
}

MICROSCOPE_FN(void, wait_on_host_then_spin) {
  MS_HOST_CALL("slow");
  for (;;) __asm__ volatile("pause");
}

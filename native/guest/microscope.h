/*
 * The Microscope guest SDK: write plain C, export functions with MICROSCOPE_FN, call the
 * host with MS_HOST_CALL. Build a guest with one command (native/README.md, "Building a
 * guest"):
 *
 *   gcc -O2 -g -ffreestanding -nostdlib -static -fno-pic -no-pie -mno-red-zone \
 *       -fno-stack-protector -fcf-protection=none -fno-omit-frame-pointer \
 *       -fno-asynchronous-unwind-tables -mno-avx -I native/guest -T native/guest/guest.ld \
 *       -o my-guest.elf my-guest.c native/guest/runtime.c native/guest/entry.S -lgcc
 *
 * Example:
 *
 *   #include <microscope.h>
 *   MICROSCOPE_FN(i64, add, (i64, a), (i64, b)) { return a + b; }
 *
 * Types and their C types: i32 int32_t, u32 uint32_t, i64 int64_t, u64 uint64_t,
 * f64 double, bool bool, str const char * (NUL-terminated UTF-8), bytes ms_bytes, and
 * void as a return type. A str or bytes argument points into the input buffer and stays
 * valid for the whole call.
 */
#ifndef MICROSCOPE_H
#define MICROSCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../include/microscope/abi.h"

typedef struct ms_bytes {
  const uint8_t *data;
  uint64_t length;
} ms_bytes;

/* ---- Calling the host ---- */

typedef struct ms_value {
  uint32_t type;   /* enum ms_type; MS_TYPE_VOID for a void result */
  uint32_t length; /* str and bytes */
  union {
    int64_t i64;
    uint64_t u64;
    double f64;
    const void *ptr; /* str (NUL-terminated) and bytes */
  } as;
} ms_value;

static inline ms_value ms_i32(int32_t v) { return (ms_value){MS_TYPE_I32, 0, {.i64 = v}}; }
static inline ms_value ms_u32(uint32_t v) { return (ms_value){MS_TYPE_U32, 0, {.u64 = v}}; }
static inline ms_value ms_i64(int64_t v) { return (ms_value){MS_TYPE_I64, 0, {.i64 = v}}; }
static inline ms_value ms_u64(uint64_t v) { return (ms_value){MS_TYPE_U64, 0, {.u64 = v}}; }
static inline ms_value ms_f64(double v) { return (ms_value){MS_TYPE_F64, 0, {.f64 = v}}; }
static inline ms_value ms_bool(bool v) { return (ms_value){MS_TYPE_BOOL, 0, {.u64 = v}}; }
size_t ms_strlen(const char *text);
static inline ms_value ms_str(const char *text) {
  ms_value x = {MS_TYPE_STR, (uint32_t)ms_strlen(text), {.ptr = text}};
  return x;
}
static inline ms_value ms_bytes_of(const void *data, uint32_t length) {
  ms_value x = {MS_TYPE_BYTES, length, {.ptr = data}};
  return x;
}

/* Calls the host function `name` and returns its result. A str or bytes result points
 * into the output buffer: it stays valid until the next host call or the return. */
ms_value ms_host_call(const char *name, const ms_value *args, uint32_t count);
#define MS_HOST_CALL(name, ...) \
  ms_host_call((name), (const ms_value[]){__VA_ARGS__}, sizeof((const ms_value[]){__VA_ARGS__}) / sizeof(ms_value))

/* The built-in host function: appends `text` to the call's output. */
void ms_print(const char *text);
/* The other built-in host functions: bytes to the call's output (`stream` 1 is stdout, 2
 * stderr; both go to the output), the host's clock (`which` 0: real time in ns since 1970,
 * 1: monotonic ns) and random bytes from the host (any number, fetched 4096 at a time). */
void ms_output(uint32_t stream, const void *data, uint32_t length);
int64_t ms_clock_ns(uint32_t which);
void ms_random_bytes(void *buffer, size_t length);
/* printf for %d %i %u %x %X %p %s %c %% with l/ll/z and width/zero-padding. */
int ms_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Ends the call with a guest abort: the host reports `code` and `message`. */
_Noreturn void ms_abort(int32_t code, const char *message);

/* ---- Memory ---- */

void *ms_alloc(size_t size); /* 16-byte aligned, or NULL when the heap is full */
void ms_free(void *pointer);
size_t ms_heap_free(void); /* bytes still free in the heap */
const struct ms_control_block *ms_control_block(void);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Optional: defined by the guest, run once before the first call (then snapshotted). */
void microscope_init(void);

/* ---- Exporting functions ----
 *
 *   MICROSCOPE_FN(return_type, name, (type, param), ...) { body }
 *
 * defines the C function `name` and an export record the host reads from the ELF file.
 * A call with scalar arguments starts at the function itself, its arguments in the SysV
 * registers; one with str or bytes arguments at the thunk below (RDI = the CALL frame),
 * which tail-calls the function. The result reaches the host in RAX/XMM0 (scalars) or a
 * RESULT frame (str, bytes), so a scalar call costs no guest stores beyond the
 * function's own.
 */
#define MICROSCOPE_FN(ret, name, ...)                                                                                \
  __attribute__((noinline)) MS__CTYPE_##ret name(MS__PARAMS(__VA_ARGS__));                                           \
  __attribute__((optimize("omit-frame-pointer"))) static MS__THUNK_TYPE_##ret ms__thunk_##name(                      \
      const struct ms_frame *ms__frame) {                                                                            \
    (void)ms__frame;                                                                                                 \
    MS__THUNK_BODY_##ret(name(MS__MAP(MS__PREAD, MS__COMMA, ms__frame, ##__VA_ARGS__)));                             \
  }                                                                                                                  \
  _Static_assert(sizeof(#name "\0" MS__MAP(MS__PNAMESTR, MS__NOTHING, _, ##__VA_ARGS__)) <= MS_EXPORT_NAMES_SIZE,    \
                 "the names of " #name " and its parameters exceed 247 bytes");                                      \
  __attribute__((used, section(MS_EXPORTS_SECTION), aligned(8))) static const struct ms_export ms__export_##name = { \
      MS_EXPORT_MAGIC,                                                                                               \
      MS_ABI_VERSION,                                                                                                \
      MS__TAG_##ret,                                                                                                 \
      MS__NARGS(__VA_ARGS__),                                                                                        \
      (uint8_t)__COUNTER__,                                                                                          \
      {MS__MAP(MS__PTAG, MS__COMMA, _, ##__VA_ARGS__)},                                                              \
      #name "\0" MS__MAP(MS__PNAMESTR, MS__NOTHING, _, ##__VA_ARGS__),                                               \
      (uint64_t)(uintptr_t)&name,                                                                                    \
      (uint64_t)(uintptr_t)&ms__thunk_##name};                                                                       \
  MS__CTYPE_##ret name(MS__PARAMS(__VA_ARGS__))

/* ---- Implementation details of MICROSCOPE_FN ---- */

#define MS__CTYPE_void void
#define MS__CTYPE_i32 int32_t
#define MS__CTYPE_u32 uint32_t
#define MS__CTYPE_i64 int64_t
#define MS__CTYPE_u64 uint64_t
#define MS__CTYPE_f64 double
#define MS__CTYPE_bool bool
#define MS__CTYPE__Bool bool /* <stdbool.h> makes `bool` a macro: a parameter's type arrives expanded */
#define MS__CTYPE_str const char *
#define MS__CTYPE_bytes ms_bytes

#define MS__TAG_void MS_TYPE_VOID
#define MS__TAG_i32 MS_TYPE_I32
#define MS__TAG_u32 MS_TYPE_U32
#define MS__TAG_i64 MS_TYPE_I64
#define MS__TAG_u64 MS_TYPE_U64
#define MS__TAG_f64 MS_TYPE_F64
#define MS__TAG_bool MS_TYPE_BOOL
#define MS__TAG__Bool MS_TYPE_BOOL
#define MS__TAG_str MS_TYPE_STR
#define MS__TAG_bytes MS_TYPE_BYTES

/* Scalars return through the thunk untouched; str and bytes are copied into a RESULT frame. */
#define MS__THUNK_TYPE_void void
#define MS__THUNK_TYPE_i32 int32_t
#define MS__THUNK_TYPE_u32 uint32_t
#define MS__THUNK_TYPE_i64 int64_t
#define MS__THUNK_TYPE_u64 uint64_t
#define MS__THUNK_TYPE_f64 double
#define MS__THUNK_TYPE_bool bool
#define MS__THUNK_TYPE_str void
#define MS__THUNK_TYPE_bytes void
#define MS__THUNK_BODY_void(call) call
#define MS__THUNK_BODY_i32(call) return call
#define MS__THUNK_BODY_u32(call) return call
#define MS__THUNK_BODY_i64(call) return call
#define MS__THUNK_BODY_u64(call) return call
#define MS__THUNK_BODY_f64(call) return call
#define MS__THUNK_BODY_bool(call) return call
#define MS__THUNK_BODY_str(call) ms__return_str(call)
#define MS__THUNK_BODY_bytes(call) ms__return_bytes(call)
void ms__return_str(const char *text);
void ms__return_bytes(ms_bytes bytes);

#define MS__SLOT(f, i) (((const struct ms_slot *)((const struct ms_frame *)(f) + 1))[i])
#define MS__READ_i32(f, i) ((int32_t)MS__SLOT(f, i).as.i64)
#define MS__READ_u32(f, i) ((uint32_t)MS__SLOT(f, i).as.u64)
#define MS__READ_i64(f, i) (MS__SLOT(f, i).as.i64)
#define MS__READ_u64(f, i) (MS__SLOT(f, i).as.u64)
#define MS__READ_f64(f, i) (MS__SLOT(f, i).as.f64)
#define MS__READ_bool(f, i) (MS__SLOT(f, i).as.u64 != 0)
#define MS__READ__Bool(f, i) MS__READ_bool(f, i)
#define MS__READ_str(f, i) ((const char *)(f) + MS__SLOT(f, i).as.offset)
#define MS__READ_bytes(f, i) ((ms_bytes){(const uint8_t *)(f) + MS__SLOT(f, i).as.offset, MS__SLOT(f, i).length})

/* A parameter is written (type, name). */
#define MS__PTYPE(t, n) t
#define MS__PNAME(t, n) n
#define MS__PDECL(f, i, p) MS__PDECL_ p
#define MS__PDECL_(t, n) MS__CTYPE_##t n
#define MS__PREAD(f, i, p) MS__PREAD_(f, i, MS__PTYPE p)
#define MS__PREAD_(f, i, t) MS__PREAD__(f, i, t)
#define MS__PREAD__(f, i, t) MS__READ_##t(f, i)
#define MS__PTAG(f, i, p) MS__PTAG_(MS__PTYPE p)
#define MS__PTAG_(t) MS__PTAG__(t)
#define MS__PTAG__(t) MS__TAG_##t
#define MS__PNAMESTR(f, i, p) MS__STR(MS__PNAME p) "\0"
#define MS__STR(x) MS__STR_(x)
#define MS__STR_(x) #x
#define MS__COMMA() ,
#define MS__NOTHING()
#define MS__CAT(a, b) MS__CAT_(a, b)
#define MS__CAT_(a, b) a##b

#define MS__PARAMS(...) MS__MAP(MS__PDECL, MS__COMMA, _, ##__VA_ARGS__) MS__CAT(MS__VOID_IF_, MS__NARGS(__VA_ARGS__))
#define MS__VOID_IF_0 void
#define MS__VOID_IF_1
#define MS__VOID_IF_2
#define MS__VOID_IF_3
#define MS__VOID_IF_4
#define MS__VOID_IF_5
#define MS__VOID_IF_6
#define MS__VOID_IF_7
#define MS__VOID_IF_8
#define MS__VOID_IF_9
#define MS__VOID_IF_10
#define MS__VOID_IF_11
#define MS__VOID_IF_12
#define MS__VOID_IF_13
#define MS__VOID_IF_14
#define MS__VOID_IF_15
#define MS__VOID_IF_16

#define MS__NARGS(...) MS__NARGS_(_, ##__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define MS__NARGS_(_, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, n, ...) n

/* MS__MAP(m, sep, f, params...): m(f, 0, p0) sep() m(f, 0 + 1, p1) ... */
#define MS__MAP(m, s, f, ...) MS__CAT(MS__MAP, MS__NARGS(__VA_ARGS__))(m, s, f, 0, ##__VA_ARGS__)
#define MS__MAP0(m, s, f, i)
#define MS__MAP1(m, s, f, i, p) m(f, i, p)
#define MS__MAP2(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP1(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP3(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP2(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP4(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP3(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP5(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP4(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP6(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP5(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP7(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP6(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP8(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP7(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP9(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP8(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP10(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP9(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP11(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP10(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP12(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP11(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP13(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP12(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP14(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP13(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP15(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP14(m, s, f, i + 1, __VA_ARGS__)
#define MS__MAP16(m, s, f, i, p, ...) m(f, i, p) s() MS__MAP15(m, s, f, i + 1, __VA_ARGS__)

#endif /* MICROSCOPE_H */

/*
 * The guest side of the Microscope ABI: init, host calls, aborts, results, a heap and the
 * few libc functions gcc may call even in freestanding code.
 */
#include <stdarg.h>

#include "microscope.h"

/* Set by _start (entry.S) before anything else runs. */
const struct ms_control_block *ms__cb;

/* With the C library (MS_LIBC: `microscope cc`'s default, native/guest/libc/) musl's
 * memcpy, memset and malloc serve; these are for a guest without it. */
#ifndef MS_LIBC

/* ---- Memory functions. gcc turns these loops back into calls to themselves unless told
 * not to, hence the attribute. ---- */

#define MS__NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

MS__NO_LIBCALLS void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

MS__NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

MS__NO_LIBCALLS void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

MS__NO_LIBCALLS int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; --n, ++x, ++y) {
    if (*x != *y) return *x < *y ? -1 : 1;
  }
  return 0;
}

#endif

/* A leaf on every host call's path: no frame of its own, so no store to make one. */
__attribute__((optimize("no-tree-loop-distribute-patterns", "omit-frame-pointer"))) size_t ms_strlen(const char *text) {
  size_t n = 0;
  while (text[n]) ++n;
  return n;
}

const struct ms_control_block *ms_control_block(void) { return ms__cb; }

#ifndef MS_LIBC

/* ---- Heap: first fit over a list of blocks, each with a 16-byte header. Neighbouring
 * free blocks merge as the search passes them. ---- */

typedef struct ms__block {
  uint64_t size; /* bytes including this header */
  uint64_t used;
} ms__block;

static ms__block *ms__heap_begin, *ms__heap_end;

static void ms__heap_init(void) {
  uint64_t begin = (ms__cb->heap_base + 15) & ~(uint64_t)15;
  uint64_t end = ms__cb->heap_end & ~(uint64_t)15;
  ms__heap_begin = (ms__block *)begin;
  ms__heap_end = (ms__block *)end;
  if (end - begin >= 2 * sizeof(ms__block)) {
    ms__heap_begin->size = end - begin;
    ms__heap_begin->used = 0;
  } else {
    ms__heap_end = ms__heap_begin;
  }
}

static ms__block *ms__next(ms__block *block) { return (ms__block *)((uint8_t *)block + block->size); }

void *ms_alloc(size_t size) {
  if (!ms__heap_begin) ms__heap_init(); /* here, not in init: init is every cold start's cost */
  if (size > (uint64_t)((uint8_t *)ms__heap_end - (uint8_t *)ms__heap_begin)) return 0;
  const uint64_t need = ((size + 15) & ~(uint64_t)15) + sizeof(ms__block);
  for (ms__block *block = ms__heap_begin; block < ms__heap_end; block = ms__next(block)) {
    if (block->used) continue;
    while (ms__next(block) < ms__heap_end && !ms__next(block)->used) block->size += ms__next(block)->size;
    if (block->size < need) continue;
    if (block->size - need >= 2 * sizeof(ms__block)) {
      ms__block *rest = (ms__block *)((uint8_t *)block + need);
      rest->size = block->size - need;
      rest->used = 0;
      block->size = need;
    }
    block->used = 1;
    return block + 1;
  }
  return 0;
}

void ms_free(void *pointer) {
  if (pointer) ((ms__block *)pointer - 1)->used = 0;
}

size_t ms_heap_free(void) {
  if (!ms__heap_begin) ms__heap_init();
  size_t free = 0;
  for (ms__block *block = ms__heap_begin; block < ms__heap_end; block = ms__next(block)) {
    if (!block->used) free += block->size - sizeof(ms__block);
  }
  return free;
}

#endif

/* ---- Frames in the output buffer ---- */

static uint8_t *ms__output(void) { return (uint8_t *)ms__cb->output_buffer; }

static size_t ms__data_size(const ms_value *value) {
  if (value->type == MS_TYPE_STR) return (value->length + 1 + 7) & ~(size_t)7;
  if (value->type == MS_TYPE_BYTES) return (value->length + 7) & ~(size_t)7;
  return 0;
}

/* Guest stores are the emulator's slowest operation (~70 ns each): frames are written a
 * 64-bit word at a time. */
typedef uint64_t ms__word __attribute__((may_alias));

/* Copies `length` bytes to the word-aligned `to` as whole words, zero-padded (which puts
 * a str's NUL in place). `from` may lie in the same buffer (a str passed on straight from
 * a host call's result); then the words are copied from the end when `to` is above it. */
static inline __attribute__((always_inline)) void ms__put_data(ms__word *to, const uint8_t *from, uint32_t length) {
  const uint32_t words = length / 8, tail = length % 8;
  uint64_t last = 0;
  for (uint32_t j = 0; j < tail; ++j) last |= (uint64_t)from[words * 8 + j] << (8 * j);
  if ((const uint8_t *)to > from && (const uint8_t *)to < from + length) {
    to[words] = last;
    for (uint32_t i = words; i-- > 0;) {
      uint64_t word;
      __builtin_memcpy(&word, from + i * 8, 8);
      to[i] = word;
    }
    return;
  }
  for (uint32_t i = 0; i < words; ++i) {
    uint64_t word;
    __builtin_memcpy(&word, from + i * 8, 8);
    to[i] = word;
  }
  to[words] = last;
}

/* Writes a frame of `first` then `count` more values into the output buffer; false if it
 * doesn't fit. Inlined into its callers: a call of its own would cost stores. */
static inline __attribute__((always_inline)) bool ms__write_frame(uint16_t kind, uint64_t word, const ms_value *first,
                                                                  const ms_value *values, uint32_t count) {
  const uint32_t slots = count + 1;
  size_t length = MS_FRAME_HEADER_SIZE + (size_t)slots * MS_SLOT_SIZE + ms__data_size(first);
  for (uint32_t i = 0; i < count; ++i) length += ms__data_size(&values[i]);
  if (length > ms__cb->output_size) return false;
  ms__word *out = (ms__word *)ms__output();
  out[0] = MS_FRAME_MAGIC | (uint64_t)MS_ABI_VERSION << 32 | (uint64_t)kind << 48;
  out[1] = (uint32_t)length | (uint64_t)slots << 32;
  out[2] = word;
  size_t data = MS_FRAME_HEADER_SIZE + (size_t)slots * MS_SLOT_SIZE;
  for (uint32_t i = 0; i < slots; ++i) {
    const ms_value *value = i == 0 ? first : &values[i - 1];
    ms__word *slot = out + 3 + 2 * i;
    if (value->type == MS_TYPE_STR || value->type == MS_TYPE_BYTES) {
      slot[0] = value->type | (uint64_t)value->length << 32;
      slot[1] = data;
      ms__put_data(out + data / 8, value->as.ptr, value->length);
      data += ms__data_size(value);
    } else {
      slot[0] = value->type;
      slot[1] = value->as.u64;
    }
  }
  return true;
}

_Noreturn void ms_abort(int32_t code, const char *message) {
  ms_value text = ms_str(message ? message : "");
  uint32_t room = (uint32_t)(ms__cb->output_size - MS_FRAME_HEADER_SIZE - MS_SLOT_SIZE - 8);
  if (text.length > room) text.length = room; /* a long message is cut, never lost */
  ms__write_frame(MS_FRAME_ABORT, (uint64_t)(int64_t)code, &text, 0, 0);
  __asm__ volatile("out %%eax, %%dx" : : "a"(0), "d"(MS_PORT_ABORT) : "memory");
  for (;;) __asm__ volatile("hlt");
}

void ms__return_str(const char *text) {
  ms_value value = ms_str(text);
  if (!ms__write_frame(MS_FRAME_RESULT, 0, &value, 0, 0)) ms_abort(-1, "the str result does not fit the output buffer");
}

void ms__return_bytes(ms_bytes bytes) {
  ms_value value = ms_bytes_of(bytes.data, (uint32_t)bytes.length);
  if (bytes.length > UINT32_MAX || !ms__write_frame(MS_FRAME_RESULT, 0, &value, 0, 0)) {
    ms_abort(-1, "the bytes result does not fit the output buffer");
  }
}

void ms__signal_host(void); /* entry.S */

ms_value ms_host_call(const char *name, const ms_value *args, uint32_t count) {
  if (count > MS_MAX_PARAMS) ms_abort(-1, "a host call takes at most 16 arguments");
  const ms_value function = ms_str(name);
  if (!ms__write_frame(MS_FRAME_HOST_CALL, 0, &function, args, count)) {
    ms_abort(-1, "the host call's arguments do not fit the output buffer");
  }
  ms__signal_host();

  const struct ms_frame *frame = (const struct ms_frame *)ms__output();
  ms_value result = {MS_TYPE_VOID, 0, {.u64 = 0}};
  if (frame->magic != MS_FRAME_MAGIC || frame->kind != MS_FRAME_HOST_RESULT) {
    ms_abort(-1, "the host's reply is not a HOST_RESULT frame");
  }
  if (frame->count == 1) {
    const struct ms_slot *slot = (const struct ms_slot *)(frame + 1);
    result.type = slot->type;
    result.as.u64 = slot->as.u64;
    if (slot->type == MS_TYPE_STR || slot->type == MS_TYPE_BYTES) {
      result.length = slot->length;
      result.as.ptr = (const uint8_t *)frame + slot->as.offset;
    }
  }
  return result;
}

void ms_print(const char *text) { MS_HOST_CALL("print", ms_str(text)); }

void ms_output(uint32_t stream, const void *data, uint32_t length) {
  MS_HOST_CALL("output", ms_u32(stream), ms_bytes_of(data, length));
}

int64_t ms_clock_ns(uint32_t which) { return MS_HOST_CALL("clock", ms_u32(which)).as.i64; }

void ms_random_bytes(void *buffer, size_t length) {
  for (size_t done = 0; done < length;) {
    const uint32_t want = length - done < 4096 ? (uint32_t)(length - done) : 4096;
    const ms_value got = MS_HOST_CALL("random", ms_u32(want));
    const uint32_t n = got.length < want ? got.length : want;
    memcpy((uint8_t *)buffer + done, got.as.ptr, n);
    done += n;
    if (!n) break;
  }
}

/* ---- printf ---- */

typedef struct {
  char *text;
  size_t length, capacity;
} ms__buffer;

static void ms__put(ms__buffer *out, char c) {
  if (out->length + 1 < out->capacity) out->text[out->length] = c;
  out->length++;
}

static void ms__put_number(ms__buffer *out, uint64_t value, unsigned base, bool upper, bool negative, int width,
                           char pad) {
  char digits[24];
  int n = 0;
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits[n++] = set[value % base];
    value /= base;
  } while (value);
  int length = n + (negative ? 1 : 0);
  if (negative && pad == '0') ms__put(out, '-');
  for (; length < width; ++length) ms__put(out, pad);
  if (negative && pad != '0') ms__put(out, '-');
  while (n) ms__put(out, digits[--n]);
}

int ms_printf(const char *format, ...) {
  char text[1024];
  ms__buffer out = {text, 0, sizeof text};
  va_list args;
  va_start(args, format);
  for (const char *p = format; *p; ++p) {
    if (*p != '%') {
      ms__put(&out, *p);
      continue;
    }
    ++p;
    char pad = ' ';
    int width = 0, longs = 0;
    if (*p == '0') pad = '0', ++p;
    while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    while (*p == 'l') ++longs, ++p;
    if (*p == 'z') longs = 2, ++p;
    switch (*p) {
      case 'd':
      case 'i': {
        int64_t v = longs ? va_arg(args, int64_t) : va_arg(args, int);
        ms__put_number(&out, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, false, v < 0, width, pad);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        uint64_t v = longs ? va_arg(args, uint64_t) : va_arg(args, unsigned);
        ms__put_number(&out, v, *p == 'u' ? 10 : 16, *p == 'X', false, width, pad);
        break;
      }
      case 'p':
        ms__put(&out, '0');
        ms__put(&out, 'x');
        ms__put_number(&out, (uint64_t)(uintptr_t)va_arg(args, void *), 16, false, false, width, pad);
        break;
      case 's':
        for (const char *s = va_arg(args, const char *); s && *s; ++s) ms__put(&out, *s);
        break;
      case 'c': ms__put(&out, (char)va_arg(args, int)); break;
      case '%': ms__put(&out, '%'); break;
      case 0: --p; break;
      default: ms__put(&out, '%'), ms__put(&out, *p); break;
    }
  }
  va_end(args);
  text[out.length < sizeof text ? out.length : sizeof text - 1] = 0;
  ms_print(text);
  return (int)out.length;
}

/* ---- Entry ---- */

/* What the guest's init does when the guest defines none: _start (entry.S) tail-calls it. */
__attribute__((weak)) void microscope_init(void) {}

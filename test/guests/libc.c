/* The C library in a guest (native/README.md, "The C library"): each function exercises a
 * header and returns what the test compares exactly. Built by `microscope cc` with musl. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <microscope.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static char text[4096];

/* ---- stdio ---- */

/* snprintf of one double with the format given ("%f", "%.3e", "%g"...). */
MICROSCOPE_FN(str, format_double, (str, format), (f64, x)) {
  snprintf(text, sizeof text, format, x);
  return text;
}

/* snprintf of one integer with the format given ("%d", "%08x", "%+lld"...). */
MICROSCOPE_FN(str, format_integer, (str, format), (i64, x)) {
  snprintf(text, sizeof text, format, (long long)x);
  return text;
}

/* The string formatted, then the length vsnprintf says the whole would have. */
static int measured(char *out, size_t size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsnprintf(out, size, format, args);
  va_end(args);
  return n;
}
MICROSCOPE_FN(str, truncated, (u32, size)) {
  static char small[64];
  int n = measured(small, size < sizeof small ? size : sizeof small, "%s-%d", "abcdefghij", 12345);
  snprintf(text, sizeof text, "%s|%d", small, n);
  return text;
}

/* stdout and stderr, in the order written: printf, puts, fputs, putchar, fprintf. */
MICROSCOPE_FN(void, print_all) {
  printf("one %d\n", 1);
  puts("two");
  fputs("three\n", stderr);
  putchar('4');
  putchar('\n');
  fprintf(stdout, "%s", "five (no newline)");
}

/* ---- strtod, strtol, errno ---- */

/* %.17g then strtod gives the same bits back. */
MICROSCOPE_FN(bool, strtod_round_trip, (f64, x)) {
  snprintf(text, sizeof text, "%.17g", x);
  double back = strtod(text, 0);
  return memcmp(&back, &x, sizeof x) == 0;
}

MICROSCOPE_FN(f64, parse_double, (str, text)) { return strtod(text, 0); }

/* strtol of an out-of-range number: LONG_MAX and ERANGE. */
MICROSCOPE_FN(str, strtol_errno, (str, number)) {
  errno = 0;
  long value = strtol(number, 0, 10);
  snprintf(text, sizeof text, "%ld %d", value, errno);
  return text;
}

/* ---- stdlib: qsort, bsearch, abs, div, atoi ---- */

static int compare_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Sorts `count` pseudo-random numbers (an LCG), checks the order, finds each by bsearch;
 * returns the sum of the first and last, or 0 when anything failed. */
MICROSCOPE_FN(u64, sort_and_search, (u32, count)) {
  uint32_t *numbers = malloc(count * sizeof *numbers);
  if (!numbers) return 0;
  uint32_t state = 12345;
  for (uint32_t i = 0; i < count; ++i) numbers[i] = state = state * 1103515245u + 12345u;
  qsort(numbers, count, sizeof *numbers, compare_u32);
  for (uint32_t i = 1; i < count; ++i)
    if (numbers[i - 1] > numbers[i]) return 0;
  for (uint32_t i = 0; i < count; i += 97)
    if (!bsearch(&numbers[i], numbers, count, sizeof *numbers, compare_u32)) return 0;
  uint64_t result = (uint64_t)numbers[0] + numbers[count - 1];
  free(numbers);
  return result;
}

MICROSCOPE_FN(str, integers) {
  div_t d = div(-7, 2);
  snprintf(text, sizeof text, "%d %ld %d %d %d %lu", abs(-5), labs(-6L), d.quot, d.rem, atoi("  42x"),
           strtoul("ff", 0, 16));
  return text;
}

/* ---- malloc, calloc, realloc, free ---- */

/* Grows one block by realloc to `mib` MiB, doubling as real code does, filling each new
 * MiB as it comes, until realloc says no; checks every MiB kept its fill; returns how many
 * MiB held. */
MICROSCOPE_FN(u64, grow, (u32, mib)) {
  uint8_t *block = 0;
  uint32_t grown = 0;
  while (grown < mib) {
    uint32_t size = grown ? grown * 2 : 1;
    if (size > mib) size = mib;
    uint8_t *bigger = realloc(block, (size_t)size << 20);
    if (!bigger) break;
    block = bigger;
    for (uint32_t i = grown; i < size; ++i) memset(block + ((size_t)i << 20), (int)(i & 0xff), 1 << 20);
    grown = size;
  }
  uint64_t held = 0;
  for (uint32_t i = 0; block && i < grown; ++i) held += block[((size_t)i << 20) + 12345] == (uint8_t)i;
  free(block);
  return held;
}

MICROSCOPE_FN(bool, calloc_zeroes, (u32, count)) {
  uint64_t *blocks[64];
  for (int i = 0; i < 64; ++i) {
    blocks[i] = malloc(4096);
    memset(blocks[i], 0xab, 4096);
  }
  for (int i = 0; i < 64; ++i) free(blocks[i]);
  uint64_t *zeroed = calloc(count, sizeof *zeroed);
  if (!zeroed) return false;
  for (uint32_t i = 0; i < count; ++i)
    if (zeroed[i]) return false;
  free(zeroed);
  return true;
}

/* Allocates 1 MiB blocks until malloc says no; the count of them. */
MICROSCOPE_FN(u64, exhaust_heap) {
  uint64_t count = 0;
  while (malloc(1 << 20)) ++count;
  return count;
}

/* ---- string.h and ctype.h ---- */

MICROSCOPE_FN(str, strings) {
  char buffer[64] = "alpha,beta,,gamma";
  char *save = 0, *parts[8];
  int n = 0;
  for (char *token = strtok_r(buffer, ",", &save); token && n < 8; token = strtok_r(0, ",", &save)) parts[n++] = token;
  snprintf(text, sizeof text, "%d %s %s %s|%s|%zu|%d|%s", n, parts[0], parts[1], parts[2], strstr("haystack", "st"),
           strlen("twelve chars"), strcmp("abc", "abd") < 0, strrchr("a/b/c", '/'));
  return text;
}

/* Each character of `s` classified: a (alpha), d (digit), s (space), p (punct), else '.'. */
MICROSCOPE_FN(str, classify, (str, s)) {
  size_t i = 0;
  for (; s[i] && i < sizeof text - 1; ++i) {
    unsigned char c = (unsigned char)s[i];
    text[i] = isalpha(c) ? (isupper(c) ? 'A' : 'a') : isdigit(c) ? 'd' : isspace(c) ? 's' : ispunct(c) ? 'p' : '.';
  }
  text[i] = 0;
  return text;
}

MICROSCOPE_FN(str, upper, (str, s)) {
  size_t i = 0;
  for (; s[i] && i < sizeof text - 1; ++i) text[i] = (char)toupper((unsigned char)s[i]);
  text[i] = 0;
  return text;
}

/* ---- math.h ---- */

/* One function of libm by name, at x (and y for the two-argument ones). */
MICROSCOPE_FN(f64, math, (str, name), (f64, x), (f64, y)) {
  static const struct {
    const char *name;
    double (*one)(double);
    double (*two)(double, double);
  } functions[] = {
      {"sqrt", sqrt, 0},   {"cbrt", cbrt, 0}, {"exp", exp, 0},     {"log", log, 0},     {"log2", log2, 0},
      {"log10", log10, 0}, {"sin", sin, 0},   {"cos", cos, 0},     {"tan", tan, 0},     {"atan", atan, 0},
      {"floor", floor, 0}, {"ceil", ceil, 0}, {"round", round, 0}, {"trunc", trunc, 0}, {"fabs", fabs, 0},
      {"pow", 0, pow},     {"fmod", 0, fmod}, {"atan2", 0, atan2}, {"hypot", 0, hypot},
  };
  for (size_t i = 0; i < sizeof functions / sizeof *functions; ++i) {
    if (strcmp(functions[i].name, name)) continue;
    return functions[i].one ? functions[i].one(x) : functions[i].two(x, y);
  }
  ms_abort(2, "no such function");
}

/* ---- setjmp.h ---- */

static jmp_buf jump_back;
static int depth_reached;

static int descend(int depth, int target) {
  volatile char frame[64];
  frame[0] = (char)depth;
  depth_reached = depth;
  if (depth == target) longjmp(jump_back, depth + frame[0]);
  if (depth > 10000) return depth; /* no deeper than that */
  return descend(depth + 1, target) + frame[0];
}

/* setjmp, then a longjmp from `depth` frames down: the value longjmp gave. */
MICROSCOPE_FN(i64, long_jump, (u32, depth)) {
  int value = setjmp(jump_back);
  if (value) return value * 1000 + depth_reached;
  return -(int64_t)descend(1, (int)depth);
}

/* ---- time.h and random bytes, from the host ---- */

MICROSCOPE_FN(i64, real_time) { return (int64_t)time(0); }

/* Two monotonic readings, 1 when the second is not before the first. */
MICROSCOPE_FN(bool, monotonic) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (volatile int i = 0; i < 1000; ++i) {
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  return b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
}

MICROSCOPE_FN(str, formatted_time, (i64, seconds)) {
  time_t t = (time_t)seconds;
  struct tm parts;
  gmtime_r(&t, &parts);
  strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %a", &parts);
  return text;
}

MICROSCOPE_FN(bytes, random_bytes, (u32, length)) {
  static uint8_t buffer[1024];
  if (length > sizeof buffer) length = sizeof buffer;
  ssize_t got = getrandom(buffer, length, 0);
  return (ms_bytes){buffer, got < 0 ? 0 : (uint64_t)got};
}

/* ---- The ways a C program ends, and what it can't do ---- */

MICROSCOPE_FN(i64, checked, (i32, x)) {
  assert(x > 0);
  return x;
}

MICROSCOPE_FN(void, exit_with, (i32, status)) { exit(status); }
MICROSCOPE_FN(void, abort_now) { abort(); }

/* A system call the SDK doesn't serve: -1 and ENOSYS, not a crash. */
MICROSCOPE_FN(str, unsupported) {
  errno = 0;
  long result = syscall(41 /* socket */, 2, 1, 0);
  snprintf(text, sizeof text, "%ld %s", result, strerror(errno));
  return text;
}

/* A file: there are none. */
MICROSCOPE_FN(str, open_file) {
  FILE *file = fopen("/etc/passwd", "r");
  snprintf(text, sizeof text, "%s %s", file ? "opened" : "null", strerror(errno));
  return text;
}

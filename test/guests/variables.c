/* The variables' test guest: a struct holding an array of structs, an enum, a union, a
 * bitfield and a char array; a linked list to follow through pointers; globals; a
 * recursion whose frames each have an argument and a local; a frame with 100 locals; and
 * a local the optimizer removed. Built with -O2 like every guest; keep() makes the
 * compiler keep a local in memory, where a debugger can always find it. */
#include <microscope.h>

struct point {
  int x;
  int y;
};

enum color { RED, GREEN = 5, BLUE };

union number {
  int32_t i;
  float f;
};

struct flags {
  unsigned ready : 1;
  unsigned level : 3;
  int delta : 4;
};

struct node {
  int value;
  const char *name;
  struct node *next;
};

struct shape {
  struct point corners[2];
  enum color color;
  union number area;
  struct flags flags;
  char label[8];
};

typedef struct point point_t;

int counter = 41;
point_t origin = {3, 4};
const char *greeting = "hello";
double ratio = 1.5;
int table[4] = {10, 20, 30, 40};

/* An opaque use: whatever `p` points to must be in memory, as the C says, here. */
static inline void keep(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

__attribute__((noinline)) int visit(struct shape *shape, struct node *list, int depth) {
  int total = shape->corners[1].x + list->value;
  keep(&total);
  total += depth;
  keep(&total);
  return total;
}

MICROSCOPE_FN(i32, variables_shapes, (i32, scale)) {
  struct node third = {3, "third", 0};
  struct node second = {2, "second", &third};
  struct node first = {1, "first", &second};
  struct shape shape = {{{1, 2}, {scale, 6}}, GREEN, {.i = 7}, {1, 5, -3}, "box"};
  keep(&shape);
  keep(&first);
  counter += 1;
  return visit(&shape, &first, origin.x);
}

__attribute__((noinline)) int depth(int n) {
  if (n == 0) {
    int bottom = 100;
    keep(&bottom);
    return bottom;
  }
  int below = depth(n - 1);
  keep(&below);
  return below + n;
}

MICROSCOPE_FN(i32, variables_depth, (i32, n)) { return depth(n); }

/* 100 locals in one frame, each in memory. */
#define TEN(d) L(d##0) L(d##1) L(d##2) L(d##3) L(d##4) L(d##5) L(d##6) L(d##7) L(d##8) L(d##9)
#define HUNDRED TEN(0) TEN(1) TEN(2) TEN(3) TEN(4) TEN(5) TEN(6) TEN(7) TEN(8) TEN(9)

__attribute__((noinline)) int many(int seed) {
#define L(i) volatile int v##i = seed + 1##i - 100;
  HUNDRED
#undef L
  int sum = 0;
#define L(i) sum += v##i;
  HUNDRED
#undef L
  return sum;
}

MICROSCOPE_FN(i32, variables_many, (i32, seed)) { return many(seed); }

__attribute__((noinline)) int optimized(int x) {
  __attribute__((unused)) int never;
  return x * 3;
}

MICROSCOPE_FN(i32, variables_optimized, (i32, x)) { return optimized(x); }

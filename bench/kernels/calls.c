/*
 * calls.c -- many small calls: Takeuchi's function (three-way recursion
 * with almost no work per call) and the evaluation of a generated
 * expression tree (up to 8,191 nodes) through small functions, one per node kind
 * (calls through function pointers, call_indirect in Wasm), as
 * tree-walking interpreters and visitor-style code do. run(n) evaluates
 * tak n times and the tree n times and returns a checksum of the results.
 */
#include "kernel.h"

__attribute__((noinline)) static uint32_t tak(uint32_t x, uint32_t y,
                                              uint32_t z) {
  if (y >= x)
    return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

#define TREE_DEPTH 12
#define TREE_NODES (1u << (TREE_DEPTH + 1))

struct expr;
typedef uint32_t (*eval_fn)(const struct expr *e, uint32_t var);

struct expr {
  eval_fn eval;
  const struct expr *left, *right;
  uint32_t k;
};

static struct expr tree[TREE_NODES];

static uint32_t eval(const struct expr *e, uint32_t var) {
  return e->eval(e, var);
}

__attribute__((noinline)) static uint32_t ev_const(const struct expr *e,
                                                   uint32_t var) {
  (void)var;
  return e->k;
}

__attribute__((noinline)) static uint32_t ev_var(const struct expr *e,
                                                 uint32_t var) {
  return var + e->k;
}

__attribute__((noinline)) static uint32_t ev_add(const struct expr *e,
                                                 uint32_t var) {
  return eval(e->left, var) + eval(e->right, var);
}

__attribute__((noinline)) static uint32_t ev_mul(const struct expr *e,
                                                 uint32_t var) {
  return eval(e->left, var) * (eval(e->right, var) | 1u);
}

__attribute__((noinline)) static uint32_t ev_xor(const struct expr *e,
                                                 uint32_t var) {
  return eval(e->left, var) ^ (eval(e->right, var) >> 1);
}

__attribute__((noinline)) static uint32_t ev_neg(const struct expr *e,
                                                 uint32_t var) {
  return 0u - eval(e->left, var);
}

static uint32_t nnodes;

/* Builds a random tree of at most `depth` levels, with leaves chosen
 * early now and then, in the pool `tree` (which holds a full tree of
 * TREE_DEPTH levels). */
static const struct expr *build(uint32_t depth, uint32_t *seed) {
  static const eval_fn inner[] = {ev_add, ev_mul, ev_xor, ev_add, ev_neg};
  uint32_t r = rng_next(seed);
  struct expr *e = &tree[nnodes++];
  e->k = r >> 8;
  e->left = e->right = NULL;
  if (depth == 0 || (r & 15u) == 0) {
    e->eval = (r & 0x10u) ? ev_var : ev_const;
    return e;
  }
  e->eval = inner[(r >> 4) % 5u];
  e->left = build(depth - 1, seed);
  e->right = build(depth - 1, seed);
  return e;
}

uint32_t run(uint32_t n) {
  uint32_t seed = 0x3c6ef372u;
  nnodes = 0;
  const struct expr *root = build(TREE_DEPTH, &seed);
  uint32_t h = 0x811c9dc5u;
  for (uint32_t i = 0; i < n; i++) {
    h = mix32(h, tak(18 + (i & 1u), 12, 6));
    h = mix32(h, eval(root, i));
  }
  return h;
}

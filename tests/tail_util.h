/*
 * tail_util.h -- what test_tail_call and its helper process share: the
 * host functions tests/wat/tailcall.wat imports and how a parked call of
 * it is answered.
 */
#ifndef LULL_TEST_TAIL_UTIL_H
#define LULL_TEST_TAIL_UTIL_H

#include <string.h>

#include "lull.h"

/* What the host functions saw, for the tests to check. */
typedef struct tail_seen {
  lull_instance *caller; /* lull_hostcall_instance of the last call */
  int calls;
} tail_seen;

/* The tag park() parks with, and what the embedder answers it with. */
#define TAIL_PARK_TAG 7
#define TAIL_PARK_ANSWER 21

static lull_hostret tail_add(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  tail_seen *seen = env;
  seen->caller = lull_hostcall_instance(hc);
  seen->calls++;
  results[0].of.i64 = args[0].of.i64 + args[1].of.i64;
  return LULL_HOST_RETURN;
}

static lull_hostret tail_park(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  return lull_host_suspend(hc, TAIL_PARK_TAG);
}

static lull_hostret tail_fail(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  return lull_host_trap(hc, "host says no");
}

/* call_double's continuation: the Wasm function's result plus one. */
static lull_hostret tail_plus1(lull_hostcall *hc, const lull_val *cres,
                               void *state, size_t state_len,
                               lull_val *results, void *env) {
  (void)hc;
  (void)state;
  (void)state_len;
  (void)env;
  results[0].of.i64 = cres[0].of.i64 + 1;
  return LULL_HOST_RETURN;
}

/* call_double(x): the calling instance's export "double" of x, plus one,
 * through lull_host_call and a continuation (the C stack stays flat). */
static lull_hostret tail_call_double(lull_hostcall *hc, const lull_val *args,
                                     lull_val *results, void *env) {
  (void)results;
  const lull_cont *k = env;
  lull_instance *inst = lull_hostcall_instance(hc);
  lull_func *dbl = inst ? lull_instance_func(inst, "double") : NULL;
  if (!dbl)
    return lull_host_trap(hc, "call_double: no calling instance");
  return lull_host_call(hc, dbl, args, 1, k, NULL, 0);
}

/* The four imports of tailcall.wat, in order, made in `e` (owned by the
 * engine). Returns 0, or -1 when something could not be made. */
static inline int tail_imports(lull_engine *e, tail_seen *seen,
                               lull_extern out[4]) {
  static const lull_valtype i64x2[2] = {LULL_I64, LULL_I64};
  lull_functype t1 = {1, 1, i64x2, i64x2}, t2 = {2, 1, i64x2, i64x2};
  const lull_cont *k = lull_cont_register(e, "tail.plus1", tail_plus1, NULL);
  lull_func *f[4] = {
      lull_func_new(e, &t2, tail_add, seen, NULL),
      lull_func_new(e, &t1, tail_park, NULL, NULL),
      lull_func_new(e, &t1, tail_fail, NULL, NULL),
      lull_func_new(e, &t1, tail_call_double, (void *)k, NULL),
  };
  for (int i = 0; i < 4; i++) {
    if (!f[i] || !k)
      return -1;
    out[i].kind = LULL_EXTERN_FUNC;
    out[i].of.func = f[i];
  }
  return 0;
}

/* Resumes a parked call of tailcall.wat to the end, with unlimited fuel;
 * park() is answered with TAIL_PARK_ANSWER. Returns the status. */
static inline lull_status tail_finish(lull_thread *t, lull_val *result) {
  lull_val answer;
  memset(&answer, 0, sizeof answer);
  answer.type = LULL_I64;
  answer.of.i64 = TAIL_PARK_ANSWER;
  lull_thread_set_fuel(t, LULL_FUEL_UNLIMITED);
  lull_status s = LULL_SUSPENDED;
  while (s == LULL_SUSPENDED) {
    size_t n = lull_thread_park_reason(t) == LULL_PARK_HOST;
    s = lull_resume(t, n ? &answer : NULL, n, result, 1);
  }
  return s;
}

#endif

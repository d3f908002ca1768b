/*
 * asyncify.c -- way 4 of bench-suspend: the guest transformed by Binaryen's
 * Asyncify (yield.asyncify.wasm), which saves its own frames to a buffer in
 * linear memory on the way out ("unwind") and restores them on the way back
 * in ("rewind"). lull only runs it; every call returns normally.
 *
 * The protocol, as Asyncify's runtimes drive it:
 *   - the guest calls `yield`, which starts an unwind
 *     (asyncify_start_unwind(DATA)) and returns; every instrumented frame
 *     saves its locals and returns, so lull_call returns to the embedder;
 *   - the embedder calls asyncify_stop_unwind, does whatever it parked
 *     for, calls asyncify_start_rewind(DATA) and calls run again with the
 *     same arguments; the frames restore themselves down to `yield`, which
 *     is called again, sees it is rewinding, calls asyncify_stop_rewind
 *     and returns: the guest goes on after its call.
 * A host function on lull cannot call Wasm on the C stack, so `yield`
 * calls the two exports with lull_host_call and a continuation that
 * returns; the embedder calls the other two with lull_call.
 *
 * Way "asyncify-globals" is the same transform built with Asyncify's
 * `asyncify-relocatable` option, which imports the two state globals
 * instead of defining them: the host then starts and stops unwinds and
 * rewinds by setting the globals itself, with no calls at all. No
 * runtime does this by default; it is the cheapest Asyncify gets on lull.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_suspend.h"

/* Asyncify's data structure, {i32 current, i32 end}, and the unwind
 * buffer after it, in the guest's memory. 50 frames of run() take 12
 * bytes each plus the call index. */
#define DATA 1024
#define DATA_END (DATA + 8 + 16 * 1024)

/* The values of __asyncify_state. */
enum { NORMAL = 0, UNWINDING = 1, REWINDING = 2 };

struct guest {
  lull_func *yield;
  lull_instance *inst;
  lull_thread *t;
  lull_func *run;
  lull_func *start_unwind, *stop_unwind, *start_rewind, *stop_rewind;
  const lull_cont *k;      /* continuation: just return */
  lull_global *state, *data; /* asyncify-globals only */
  int rewinding;           /* the host's copy of the state */
  int unwound;             /* the last lull_call returned by unwinding */
};

static lull_val i32(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

/* Sets the data structure up for an unwind into the buffer. */
static void reset_data(lull_instance *inst) {
  uint8_t *mem = lull_memory_data(lull_instance_memory(inst));
  uint32_t cur = DATA + 8, end = DATA_END;
  memcpy(mem + DATA, &cur, 4); /* Wasm memory is little-endian, as is */
  memcpy(mem + DATA + 4, &end, 4); /* every host lull runs on */
}

static lull_hostret k_return(lull_hostcall *hc, const lull_val *callee,
                             void *state, size_t len, lull_val *results,
                             void *env) {
  (void)hc;
  (void)callee;
  (void)state;
  (void)len;
  (void)results;
  (void)env;
  return LULL_HOST_RETURN;
}

static lull_hostret yield_exports(lull_hostcall *hc, const lull_val *args,
                                  lull_val *results, void *env) {
  guest *g = env;
  (void)args;
  (void)results;
  if (g->rewinding) {
    g->rewinding = 0;
    return lull_host_call(hc, g->stop_rewind, NULL, 0, g->k, NULL, 0);
  }
  reset_data(g->inst);
  g->unwound = 1;
  lull_val d = i32(DATA);
  return lull_host_call(hc, g->start_unwind, &d, 1, g->k, NULL, 0);
}

static void set_global(lull_global *gl, int32_t v) {
  lull_val x = i32(v);
  lull_global_set(gl, &x, NULL);
}

static lull_hostret yield_globals(lull_hostcall *hc, const lull_val *args,
                                  lull_val *results, void *env) {
  guest *g = env;
  (void)hc;
  (void)args;
  (void)results;
  if (g->rewinding) {
    g->rewinding = 0;
    set_global(g->state, NORMAL); /* asyncify_stop_rewind */
    return LULL_HOST_RETURN;
  }
  reset_data(g->inst);
  g->unwound = 1;
  set_global(g->data, DATA); /* asyncify_start_unwind(DATA) */
  set_global(g->state, UNWINDING);
  return LULL_HOST_RETURN;
}

static void close_guest(guest *g) {
  if (g == NULL)
    return;
  lull_thread_free(g->t);
  lull_instance_free(g->inst);
  lull_func_free(g->yield);
  lull_global_free(g->state);
  lull_global_free(g->data);
  free(g);
}

static guest *open_guest(bench_env *env, int globals) {
  guest *g = calloc(1, sizeof *g);
  if (g == NULL)
    return NULL;
  g->yield = bench_yield_new(env, globals ? yield_globals : yield_exports, g);
  if (g->yield == NULL)
    goto fail;
  if (globals) {
    lull_val zero = i32(0);
    g->state = lull_global_new(env->e, &zero, 1);
    g->data = lull_global_new(env->e, &zero, 1);
    if (!g->state || !g->data)
      goto fail;
    g->inst = bench_instantiate(env, env->asyncify_globals, g->yield,
                                g->state, g->data);
  } else {
    g->inst = bench_instantiate(env, env->asyncify, g->yield, NULL, NULL);
  }
  if (g->inst == NULL)
    goto fail;
  g->t = lull_thread_new(env->e);
  g->run = lull_instance_func(g->inst, "run");
  g->start_unwind = lull_instance_func(g->inst, "asyncify_start_unwind");
  g->stop_unwind = lull_instance_func(g->inst, "asyncify_stop_unwind");
  g->start_rewind = lull_instance_func(g->inst, "asyncify_start_rewind");
  g->stop_rewind = lull_instance_func(g->inst, "asyncify_stop_rewind");
  /* Names are unique per engine: the first guest registers it. */
  if (env->asyncify_k == NULL)
    env->asyncify_k =
        lull_cont_register(env->e, "bench.asyncify.return", k_return, NULL);
  g->k = env->asyncify_k;
  if (!g->k || !g->t || !g->run || !g->start_unwind || !g->stop_unwind ||
      !g->start_rewind || !g->stop_rewind)
    goto fail;
  return g;
fail:
  fprintf(stderr, "bench-suspend: asyncify: cannot make a guest\n");
  close_guest(g);
  return NULL;
}

static guest *open_exports(bench_env *env) { return open_guest(env, 0); }
static guest *open_globals(bench_env *env) { return open_guest(env, 1); }

static int call0(guest *g, lull_func *f, const lull_val *args, size_t n) {
  lull_status s = lull_call(g->t, f, args, n, NULL, 0);
  if (s != LULL_OK) {
    fprintf(stderr, "bench-suspend: asyncify: %s %s\n", lull_status_str(s),
            lull_thread_trap_message(g->t));
    return -1;
  }
  return 0;
}

/* Calls run(depth, n) until it returns without having unwound, handing
 * control back after each unwind. */
static int trips(guest *g, uint32_t depth, uint32_t n) {
  lull_val args[2] = {i32((int32_t)depth), i32((int32_t)n)}, r, d = i32(DATA);
  for (;;) {
    g->unwound = 0;
    lull_status s = lull_call(g->t, g->run, args, 2, &r, 1);
    if (s != LULL_OK) {
      fprintf(stderr, "bench-suspend: asyncify: %s %s\n", lull_status_str(s),
              lull_thread_trap_message(g->t));
      return -1;
    }
    if (!g->unwound)
      break;
    /* Here the embedder has control: the guest is parked in memory. */
    if (g->state) {
      set_global(g->state, NORMAL);    /* asyncify_stop_unwind */
      set_global(g->data, DATA);       /* asyncify_start_rewind(DATA) */
      set_global(g->state, REWINDING);
    } else if (call0(g, g->stop_unwind, NULL, 0) != 0 ||
               call0(g, g->start_rewind, &d, 1) != 0) {
      return -1;
    }
    g->rewinding = 1;
  }
  if (r.of.i32 != bench_expected(depth, n)) {
    fprintf(stderr, "bench-suspend: asyncify: run returned %d\n", r.of.i32);
    return -1;
  }
  return 0;
}

/* Unwinds out of the first yield and stops. The parked guest is its
 * memory: the lull_call has returned, so the thread is free for other
 * guests. It is freed here, as if one thread served every guest, so the
 * memory measured is what Asyncify itself needs. */
static int park(guest *g, uint32_t depth) {
  lull_val args[2] = {i32((int32_t)depth), i32(1)}, r;
  g->unwound = 0;
  if (lull_call(g->t, g->run, args, 2, &r, 1) != LULL_OK || !g->unwound)
    return -1;
  if (g->state)
    set_global(g->state, NORMAL);
  else if (call0(g, g->stop_unwind, NULL, 0) != 0)
    return -1;
  lull_thread_free(g->t);
  g->t = NULL;
  return 0;
}

const way bench_way_asyncify = {
    "asyncify",
    "Asyncify, driven through its exports (lull_host_call, lull_call)",
    open_exports, trips, park, close_guest};

const way bench_way_asyncify_globals = {
    "asyncify-globals",
    "Asyncify, the host sets its state globals itself (no calls)",
    open_globals, trips, park, close_guest};

/*
 * lull_modes.c -- ways 1 and 2 of bench-suspend: lull's own.
 *
 * 1 (suspend): `yield` returns lull_host_suspend; lull_call or lull_resume
 *   returns LULL_SUSPENDED to the embedder, which calls lull_resume at once.
 *   The guest's frames stay where they are, on the thread's heap stack.
 * 2 (return): `yield` returns LULL_HOST_RETURN and the guest goes on; the
 *   embedder never gets control. What a round trip cannot cost less than.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_suspend.h"

struct guest {
  lull_func *yield;
  lull_instance *inst;
  lull_thread *t;
  lull_func *run;
};

static lull_hostret yield_suspend(lull_hostcall *hc, const lull_val *args,
                                  lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  return lull_host_suspend(hc, 0);
}

static lull_hostret yield_return(lull_hostcall *hc, const lull_val *args,
                                 lull_val *results, void *env) {
  (void)hc;
  (void)args;
  (void)results;
  (void)env;
  return LULL_HOST_RETURN;
}

static void close_guest(guest *g) {
  if (g == NULL)
    return;
  lull_thread_free(g->t);
  lull_instance_free(g->inst);
  lull_func_free(g->yield);
  free(g);
}

static guest *open_guest(bench_env *env, lull_host_fn fn) {
  guest *g = calloc(1, sizeof *g);
  if (g == NULL)
    return NULL;
  g->yield = bench_yield_new(env, fn, g);
  g->inst = g->yield ? bench_instantiate(env, env->plain, g->yield, NULL, NULL)
                     : NULL;
  g->t = lull_thread_new(env->e);
  g->run = g->inst ? lull_instance_func(g->inst, "run") : NULL;
  if (!g->run || !g->t) {
    close_guest(g);
    return NULL;
  }
  return g;
}

static guest *open_suspend(bench_env *env) {
  return open_guest(env, yield_suspend);
}

static guest *open_return(bench_env *env) {
  return open_guest(env, yield_return);
}

static void args_of(lull_val args[2], uint32_t depth, uint32_t n) {
  memset(args, 0, 2 * sizeof *args);
  args[0].type = args[1].type = LULL_I32;
  args[0].of.i32 = (int32_t)depth;
  args[1].of.i32 = (int32_t)n;
}

/* The round trips: every LULL_SUSPENDED is one, answered at once. */
static int trips(guest *g, uint32_t depth, uint32_t n) {
  lull_val args[2], r;
  args_of(args, depth, n);
  lull_status s = lull_call(g->t, g->run, args, 2, &r, 1);
  while (s == LULL_SUSPENDED)
    s = lull_resume(g->t, NULL, 0, &r, 1);
  if (s != LULL_OK || r.of.i32 != bench_expected(depth, n)) {
    fprintf(stderr, "bench-suspend: lull: %s %s\n", lull_status_str(s),
            lull_thread_trap_message(g->t));
    return -1;
  }
  return 0;
}

static int park(guest *g, uint32_t depth) {
  lull_val args[2], r;
  args_of(args, depth, 1);
  if (lull_call(g->t, g->run, args, 2, &r, 1) != LULL_SUSPENDED) {
    fprintf(stderr, "bench-suspend: lull: the guest did not park\n");
    return -1;
  }
  return 0;
}

/* The floor cannot park: its yield never hands control back. */
static int park_none(guest *g, uint32_t depth) {
  (void)g;
  (void)depth;
  return -1;
}

const way bench_way_suspend = {
    "suspend", "lull: yield returns SUSPEND, the embedder resumes at once",
    open_suspend, trips, park, close_guest};

const way bench_way_return = {
    "return", "lull: yield returns RETURN, no park (the floor)", open_return,
    trips, park_none, close_guest};

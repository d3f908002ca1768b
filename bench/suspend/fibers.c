/*
 * fibers.c -- way 3 of bench-suspend: the guest runs on lull inside a
 * ucontext fiber, the way fiber-based runtimes give an embedder control in
 * the middle of a call. `yield` is an ordinary host function that
 * swapcontexts from the fiber to the scheduler (the embedder), which
 * swapcontexts straight back; lull itself never parks.
 *
 * Each fiber has a 64 KiB stack of its own (an anonymous mapping, with a
 * guard page below it), on which lull_call, the dispatch loop and the host
 * function run. glibc's swapcontext also saves and restores the signal
 * mask, a system call each way; that is part of what ucontext fibers cost.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#include "fiber_guest.h"

struct guest {
  fiber_guest f;
  ucontext_t sched; /* the embedder */
  ucontext_t fiber; /* the guest */
};

static lull_hostret yield_fiber(lull_hostcall *hc, const lull_val *args,
                                lull_val *results, void *env) {
  guest *g = env;
  (void)hc;
  (void)args;
  (void)results;
  swapcontext(&g->fiber, &g->sched);
  return LULL_HOST_RETURN;
}

/* The fiber's entry: makecontext passes only ints, so the guest pointer
 * comes in two halves. When it returns, uc_link goes back to sched. */
static void fiber_main(unsigned lo, unsigned hi) {
  guest *g = (guest *)(((uintptr_t)hi << 16 << 16) | (uintptr_t)lo);
  fiber_guest_call(&g->f);
}

static void close_fiber(guest *g) {
  if (g == NULL)
    return;
  fiber_guest_close(&g->f);
  free(g);
}

static guest *open_fiber(bench_env *env) {
  guest *g = calloc(1, sizeof *g);
  if (g == NULL)
    return NULL;
  if (fiber_guest_open(&g->f, env, yield_fiber, g) != 0) {
    close_fiber(g);
    return NULL;
  }
  return g;
}

/* Prepares the fiber to call run(depth, n) from the top of its stack. */
static int start(guest *g, uint32_t depth, uint32_t n) {
  if (getcontext(&g->fiber) != 0)
    return -1;
  g->fiber.uc_stack.ss_sp = g->f.stack;
  g->fiber.uc_stack.ss_size = FIBER_STACK;
  g->fiber.uc_link = &g->sched;
  fiber_guest_prepare(&g->f, depth, n);
  uintptr_t p = (uintptr_t)g;
  makecontext(&g->fiber, (void (*)(void))fiber_main, 2, (unsigned)p,
              (unsigned)(p >> 16 >> 16));
  return 0;
}

static int trips(guest *g, uint32_t depth, uint32_t n) {
  if (start(g, depth, n) != 0)
    return -1;
  /* The scheduler: every return here is one round trip. */
  while (!g->f.done)
    swapcontext(&g->sched, &g->fiber);
  return fiber_guest_check(&g->f, "fiber");
}

static int park(guest *g, uint32_t depth) {
  if (start(g, depth, 1) != 0)
    return -1;
  swapcontext(&g->sched, &g->fiber);
  return g->f.done ? -1 : 0;
}

const way bench_way_fiber = {
    "fiber", "lull inside a ucontext fiber (64 KiB stack), yield swapcontexts",
    open_fiber, trips, park, close_fiber};

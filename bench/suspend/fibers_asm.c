/*
 * fibers_asm.c -- way "fiber-asm" of bench-suspend: way 3 (fibers.c) with
 * the stack switch fiber libraries use instead of ucontext
 * (fiber_switch.h): the same 64 KiB stack and guard page, the same host
 * function that switches to the scheduler and back, but no system call
 * per switch. It shows what fibers cost when done well, next to what
 * glibc's swapcontext costs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "fiber_guest.h"
#include "fiber_switch.h"

struct guest {
  fiber_guest f;
  void *sched_sp; /* the embedder's stack while the fiber runs */
  void *fiber_sp; /* the fiber's stack while the embedder runs */
};

static lull_hostret yield_switch(lull_hostcall *hc, const lull_val *args,
                                 lull_val *results, void *env) {
  guest *g = env;
  (void)hc;
  (void)args;
  (void)results;
  bench_fiber_switch(&g->fiber_sp, g->sched_sp);
  return LULL_HOST_RETURN;
}

/* The fiber's entry. It must not return: it switches back for good. */
static void fiber_entry(void *arg) {
  guest *g = arg;
  fiber_guest_call(&g->f);
  bench_fiber_switch(&g->fiber_sp, g->sched_sp);
  abort();
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
  if (fiber_guest_open(&g->f, env, yield_switch, g) != 0) {
    close_fiber(g);
    return NULL;
  }
  return g;
}

static int start(guest *g, uint32_t depth, uint32_t n) {
  fiber_guest_prepare(&g->f, depth, n);
  g->fiber_sp = bench_fiber_init(g->f.stack, FIBER_STACK, fiber_entry, g);
  if (g->fiber_sp == NULL) {
    fprintf(stderr, "bench-suspend: fiber-asm: no stack switch for this "
                    "machine\n");
    return -1;
  }
  return 0;
}

static int trips(guest *g, uint32_t depth, uint32_t n) {
  if (start(g, depth, n) != 0)
    return -1;
  while (!g->f.done)
    bench_fiber_switch(&g->sched_sp, g->fiber_sp);
  return fiber_guest_check(&g->f, "fiber-asm");
}

static int park(guest *g, uint32_t depth) {
  if (start(g, depth, 1) != 0)
    return -1;
  bench_fiber_switch(&g->sched_sp, g->fiber_sp);
  return g->f.done ? -1 : 0;
}

const way bench_way_fiber_asm = {
    "fiber-asm", "the same with a hand-written stack switch (no syscall)",
    open_fiber, trips, park, close_fiber};

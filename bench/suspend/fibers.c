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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "bench_suspend.h"

#define FIBER_STACK (64 * 1024)

struct guest {
  lull_func *yield;
  lull_instance *inst;
  lull_thread *t;
  lull_func *run;
  ucontext_t sched;  /* the embedder */
  ucontext_t fiber;  /* the guest */
  uint8_t *map;      /* guard page + stack */
  size_t map_len;
  /* The call the fiber makes, and how it ended. */
  uint32_t depth, n;
  int done;
  lull_status status;
  lull_val result;
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
  lull_val args[2];
  memset(args, 0, sizeof args);
  args[0].type = args[1].type = LULL_I32;
  args[0].of.i32 = (int32_t)g->depth;
  args[1].of.i32 = (int32_t)g->n;
  g->status = lull_call(g->t, g->run, args, 2, &g->result, 1);
  g->done = 1;
}

static void close_fiber(guest *g) {
  if (g == NULL)
    return;
  /* A fiber parked in yield is simply dropped: its stack holds only C
   * frames of lull_call, the dispatch loop and yield_fiber, and the lull
   * thread they were running is RUNNING, which lull_thread_free refuses;
   * the engine frees that thread when the benchmark ends. */
  if (g->t && lull_thread_state_of(g->t) != LULL_THREAD_RUNNING)
    lull_thread_free(g->t);
  lull_instance_free(g->inst);
  lull_func_free(g->yield);
  if (g->map)
    munmap(g->map, g->map_len);
  free(g);
}

static guest *open_fiber(bench_env *env) {
  guest *g = calloc(1, sizeof *g);
  if (g == NULL)
    return NULL;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  g->map_len = FIBER_STACK + page;
  g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (g->map == MAP_FAILED) {
    g->map = NULL;
    perror("bench-suspend: mmap");
    close_fiber(g);
    return NULL;
  }
  /* The stack grows down: a guard page at the bottom catches overflow. */
  if (mprotect(g->map, page, PROT_NONE) != 0) {
    perror("bench-suspend: mprotect");
    close_fiber(g);
    return NULL;
  }
  g->yield = bench_yield_new(env, yield_fiber, g);
  g->inst = g->yield ? bench_instantiate(env, env->plain, g->yield, NULL, NULL)
                     : NULL;
  g->t = lull_thread_new(env->e);
  g->run = g->inst ? lull_instance_func(g->inst, "run") : NULL;
  if (!g->run || !g->t) {
    close_fiber(g);
    return NULL;
  }
  return g;
}

/* Prepares the fiber to call run(depth, n) from the top of its stack. */
static int start(guest *g, uint32_t depth, uint32_t n) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  if (getcontext(&g->fiber) != 0)
    return -1;
  g->fiber.uc_stack.ss_sp = g->map + page;
  g->fiber.uc_stack.ss_size = FIBER_STACK;
  g->fiber.uc_link = &g->sched;
  g->depth = depth;
  g->n = n;
  g->done = 0;
  uintptr_t p = (uintptr_t)g;
  makecontext(&g->fiber, (void (*)(void))fiber_main, 2, (unsigned)p,
              (unsigned)(p >> 16 >> 16));
  return 0;
}

static int trips(guest *g, uint32_t depth, uint32_t n) {
  if (start(g, depth, n) != 0)
    return -1;
  /* The scheduler: every return here is one round trip. */
  while (!g->done)
    swapcontext(&g->sched, &g->fiber);
  if (g->status != LULL_OK || g->result.of.i32 != bench_expected(depth, n)) {
    fprintf(stderr, "bench-suspend: fiber: %s %s\n",
            lull_status_str(g->status), lull_thread_trap_message(g->t));
    return -1;
  }
  return 0;
}

static int park(guest *g, uint32_t depth) {
  if (start(g, depth, 1) != 0)
    return -1;
  swapcontext(&g->sched, &g->fiber);
  return g->done ? -1 : 0;
}

const way bench_way_fiber = {
    "fiber", "lull inside a ucontext fiber (64 KiB stack), yield swapcontexts",
    open_fiber, trips, park, close_fiber};

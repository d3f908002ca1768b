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
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench_suspend.h"
#include "fiber_switch.h"

#define FIBER_STACK (64 * 1024)

struct guest {
  lull_func *yield;
  lull_instance *inst;
  lull_thread *t;
  lull_func *run;
  void *sched_sp; /* the embedder's stack while the fiber runs */
  void *fiber_sp; /* the fiber's stack while the embedder runs */
  uint8_t *map;   /* guard page + stack */
  size_t map_len;
  uint32_t depth, n;
  int done;
  lull_status status;
  lull_val result;
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
  lull_val args[2];
  memset(args, 0, sizeof args);
  args[0].type = args[1].type = LULL_I32;
  args[0].of.i32 = (int32_t)g->depth;
  args[1].of.i32 = (int32_t)g->n;
  g->status = lull_call(g->t, g->run, args, 2, &g->result, 1);
  g->done = 1;
  bench_fiber_switch(&g->fiber_sp, g->sched_sp);
  abort();
}

static void close_fiber(guest *g) {
  if (g == NULL)
    return;
  /* As in fibers.c: a thread parked inside a fiber is RUNNING, and the
   * engine frees it at the end. */
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
  if (g->map == MAP_FAILED || mprotect(g->map, page, PROT_NONE) != 0) {
    if (g->map == MAP_FAILED)
      g->map = NULL;
    perror("bench-suspend: fiber stack");
    close_fiber(g);
    return NULL;
  }
  g->yield = bench_yield_new(env, yield_switch, g);
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

static int start(guest *g, uint32_t depth, uint32_t n) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  g->depth = depth;
  g->n = n;
  g->done = 0;
  g->fiber_sp = bench_fiber_init(g->map + page, FIBER_STACK, fiber_entry, g);
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
  while (!g->done)
    bench_fiber_switch(&g->sched_sp, g->fiber_sp);
  if (g->status != LULL_OK || g->result.of.i32 != bench_expected(depth, n)) {
    fprintf(stderr, "bench-suspend: fiber-asm: %s %s\n",
            lull_status_str(g->status), lull_thread_trap_message(g->t));
    return -1;
  }
  return 0;
}

static int park(guest *g, uint32_t depth) {
  if (start(g, depth, 1) != 0)
    return -1;
  bench_fiber_switch(&g->sched_sp, g->fiber_sp);
  return g->done ? -1 : 0;
}

const way bench_way_fiber_asm = {
    "fiber-asm", "the same with a hand-written stack switch (no syscall)",
    open_fiber, trips, park, close_fiber};

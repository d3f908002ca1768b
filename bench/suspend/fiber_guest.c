/*
 * fiber_guest.c -- the parts of a fiber guest both fiber ways share (see
 * fiber_guest.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fiber_guest.h"

int fiber_guest_open(fiber_guest *f, bench_env *env, lull_host_fn yield,
                     void *arg) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  f->map_len = FIBER_STACK + page;
  f->map = mmap(NULL, f->map_len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (f->map == MAP_FAILED) {
    f->map = NULL;
    perror("bench-suspend: fiber stack");
    return -1;
  }
  /* The stack grows down: a guard page at the bottom catches overflow. */
  if (mprotect(f->map, page, PROT_NONE) != 0) {
    perror("bench-suspend: fiber stack guard");
    return -1;
  }
  f->stack = f->map + page;
  f->yield = bench_yield_new(env, yield, arg);
  f->inst = f->yield ? bench_instantiate(env, env->plain, f->yield, NULL, NULL)
                     : NULL;
  f->t = lull_thread_new(env->e);
  f->run = f->inst ? lull_instance_func(f->inst, "run") : NULL;
  return f->run && f->t ? 0 : -1;
}

void fiber_guest_close(fiber_guest *f) {
  if (f->t && lull_thread_state_of(f->t) != LULL_THREAD_RUNNING)
    lull_thread_free(f->t);
  lull_instance_free(f->inst);
  lull_func_free(f->yield);
  if (f->map)
    munmap(f->map, f->map_len);
}

void fiber_guest_prepare(fiber_guest *f, uint32_t depth, uint32_t n) {
  f->depth = depth;
  f->n = n;
  f->done = 0;
}

void fiber_guest_call(fiber_guest *f) {
  lull_val args[2];
  memset(args, 0, sizeof args);
  args[0].type = args[1].type = LULL_I32;
  args[0].of.i32 = (int32_t)f->depth;
  args[1].of.i32 = (int32_t)f->n;
  f->status = lull_call(f->t, f->run, args, 2, &f->result, 1);
  f->done = 1;
}

int fiber_guest_check(const fiber_guest *f, const char *way) {
  if (f->status == LULL_OK &&
      f->result.of.i32 == bench_expected(f->depth, f->n))
    return 0;
  fprintf(stderr, "bench-suspend: %s: %s %s\n", way,
          lull_status_str(f->status), lull_thread_trap_message(f->t));
  return -1;
}

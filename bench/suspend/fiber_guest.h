/*
 * fiber_guest.h -- what the two fiber ways of bench-suspend share (fibers.c
 * with ucontext, fibers_asm.c with a hand-written switch): a guest's lull
 * objects, its 64 KiB stack with a guard page, the call its fiber makes
 * and the check of how it ended. Only the stack switch differs.
 */
#ifndef LULL_BENCH_FIBER_GUEST_H
#define LULL_BENCH_FIBER_GUEST_H

#include "bench_suspend.h"

#define FIBER_STACK (64 * 1024)

typedef struct fiber_guest {
  lull_func *yield;
  lull_instance *inst;
  lull_thread *t;
  lull_func *run;
  uint8_t *map;   /* guard page + stack */
  size_t map_len;
  uint8_t *stack; /* the stack's lowest byte, FIBER_STACK of them */
  /* The call the fiber makes, and how it ended. */
  uint32_t depth, n;
  int done;
  lull_status status;
  lull_val result;
} fiber_guest;

/* Maps the stack and makes the guest's instance with `yield` (called with
 * `env` as its argument) as its import. Returns 0, or -1 after printing
 * why (call fiber_guest_close anyway). */
int fiber_guest_open(fiber_guest *f, bench_env *env, lull_host_fn yield,
                     void *arg);
/* Frees what fiber_guest_open made. A thread parked inside a fiber is
 * RUNNING, which lull_thread_free refuses: its stack holds only C frames
 * of lull_call, the dispatch loop and the yield function, and the engine
 * frees that thread when the benchmark ends. */
void fiber_guest_close(fiber_guest *f);
/* Sets up the call run(depth, n); the fiber then runs fiber_guest_call. */
void fiber_guest_prepare(fiber_guest *f, uint32_t depth, uint32_t n);
/* The fiber's work: the call, then done. */
void fiber_guest_call(fiber_guest *f);
/* 0 when the call returned what run(depth, n) should, else -1 after
 * printing why, naming `way`. */
int fiber_guest_check(const fiber_guest *f, const char *way);

#endif

/*
 * bench_suspend.h -- what the parts of bench-suspend share.
 *
 * bench-suspend measures one thing four ways: a guest (yield.wat) calls
 * the imported `yield` in a loop, d Wasm frames deep, and the embedder
 * gets control back at every call and hands it straight back. The four
 * ways (one file each) are
 *
 *   lull_modes.c  1. the host function parks the thread (LULL_HOST_SUSPEND)
 *                    and the embedder resumes it at once (lull_resume);
 *                 2. the host function returns (LULL_HOST_RETURN): the floor;
 *   fibers.c      3. the guest runs on lull inside a ucontext fiber with a
 *                    64 KiB stack, and yield swapcontexts to the scheduler
 *                    (fibers_asm.c: the same with a hand-written switch);
 *   asyncify.c    4. the guest transformed by Binaryen's Asyncify, which
 *                    unwinds its own frames into linear memory and rewinds
 *                    them, driven by the host as Asyncify's runtimes do.
 *
 * Each way implements the same three operations on one guest (an instance
 * with its own `yield`), declared below, and bench_suspend.c times them and
 * measures the memory of many parked guests.
 */
#ifndef BENCH_SUSPEND_H
#define BENCH_SUSPEND_H

#include <stddef.h>
#include <stdint.h>

#include "lull.h"

/* The modules every way uses, loaded once. */
typedef struct bench_env {
  lull_engine *e;
  lull_module *plain;    /* yield.wasm */
  lull_module *asyncify; /* yield.asyncify.wasm: start/stop exports */
  lull_module *asyncify_globals; /* yield.asyncify-globals.wasm: the
                                    Asyncify state as imported globals */
  const lull_cont *asyncify_k;   /* asyncify.c's continuation, registered
                                    (once per engine) by its first guest */
} bench_env;

/* Loads the modules from `dir`; 0, or -1 with a message on stderr. */
int bench_env_open(bench_env *env, const char *dir);
void bench_env_close(bench_env *env);

/* Instantiates `m` with `yield` as its one function import, plus the two
 * globals `state` and `data` when they are not NULL (the Asyncify build
 * that imports its state). NULL with a message on failure. */
lull_instance *bench_instantiate(bench_env *env, lull_module *m,
                                 lull_func *yield, lull_global *state,
                                 lull_global *data);

/* A host function of type [] -> [] calling `fn` with `env`. */
lull_func *bench_yield_new(bench_env *env, lull_host_fn fn, void *arg);

/* Process CPU time and resident memory (VmRSS, KiB). */
double bench_cpu_ns(void);
long bench_rss_kib(void);

/* What run(d, n) returns. */
static inline int32_t bench_expected(uint32_t d, uint32_t n) {
  return (int32_t)(n + d - 1);
}

/* One guest of one way. */
typedef struct guest guest;

typedef struct way {
  const char *name;  /* for the table and the command line */
  const char *about; /* one line */
  /* Makes a guest; NULL with a message on failure. */
  guest *(*open)(bench_env *env);
  /* Runs run(depth, n) to the end, giving control to the embedder and
   * back at each of the n calls of yield. 0, or -1 with a message. */
  int (*trips)(guest *g, uint32_t depth, uint32_t n);
  /* Starts run(depth, 1) and leaves the guest parked in its first yield,
   * which is where the memory of parked guests is measured. */
  int (*park)(guest *g, uint32_t depth);
  /* Frees the guest, parked or not. */
  void (*close)(guest *g);
} way;

extern const way bench_way_suspend;
extern const way bench_way_return;
extern const way bench_way_fiber;
extern const way bench_way_fiber_asm;
extern const way bench_way_asyncify;
extern const way bench_way_asyncify_globals;

#endif /* BENCH_SUSPEND_H */

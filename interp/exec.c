/*
 * exec.c -- the dispatch loop. One C function runs every Wasm frame of a
 * thread: a call pushes a frame record and jumps to the callee's code, a
 * return pops it, so Wasm-to-Wasm calls never recurse in C and parking is
 * returning from here with the heap stack left as it is.
 *
 * Hot state lives in locals: pc, fp (the frame base), inst, the memory's
 * base and size, and the fuel counter. fp and the memory are reloaded
 * after anything that can move them: calls and returns (another frame,
 * maybe another instance), stack growth, memory.grow, host calls.
 *
 * run() is in exec_run.inc and its handlers in the other exec_*.inc,
 * included into its body; they use the macros of dispatch.h and never
 * return except through the exits at the end of run().
 */
#include <stdio.h>

#include "dispatch.h"
#include "exec_internal.h"
#include "num.h"
#include "ops.h"
#include "simd.h"

#if defined(__GNUC__)
#define LULLI_OPAQUE(p) __asm__("" : "+r"(p))
#else
#define LULLI_OPAQUE(p) ((void)0)
#endif

#define RELOAD_MEM()                                                          \
  do {                                                                        \
    mem = inst->mem0->data;                                                   \
    memtop = (int64_t)inst->mem0->size - LULLI_MEM_SLACK;                     \
  } while (0)

/* The widest access (v128) in bytes. */
#define LULLI_MEM_SLACK 16
#define MEMSIZE ((uint64_t)(memtop + LULLI_MEM_SLACK))
/* Whether n bytes at ea fall outside the memory. One compare of ea
 * decides for every access but those in the last LULLI_MEM_SLACK bytes;
 * ea, a 32-bit address plus a 32-bit offset, is below 2^33 and so
 * compares as a signed value. A memory under LULLI_MEM_SLACK bytes has
 * a negative memtop and takes the exact test every time. */
#define OOB(ea, n)                                                            \
  (LULL_UNLIKELY((int64_t)(ea) > memtop) && (uint64_t)(ea) + (n) > MEMSIZE)

/* Traps with the spec's message: the thread records it with a backtrace
 * and this function returns LULL_TRAP. */
#define TRAP(...)                                                             \
  do {                                                                        \
    lulli_trap(t, pc, __VA_ARGS__);                                           \
    goto trapped;                                                             \
  } while (0)

/* The dispatch loop, twice from one source: with the safepoints' fuel
 * and interrupt checks, and without them for an engine that leaves them
 * out (lull_config.safepoints = 0). Both run the same compiled code, so
 * the one without is as fast as the one with in every other way, and the
 * difference in time between them is what the checks cost. */
#define LULLI_CHECKS 1
#define RUN run_checked
#include "exec_run.inc"
#undef RUN
#undef LULLI_CHECKS
#define LULLI_CHECKS 0
#define RUN run_unchecked
#include "exec_run.inc"
#undef RUN
#undef LULLI_CHECKS

lull_status lulli_run(lull_thread *t) {
  return t->engine->cfg.safepoints ? run_checked(t, NULL)
                                   : run_unchecked(t, NULL);
}

const void *const *lulli_handler_table(int checks) {
  const void *const *table = NULL;
  if (checks)
    run_checked(NULL, &table);
  else
    run_unchecked(NULL, &table);
  return table;
}

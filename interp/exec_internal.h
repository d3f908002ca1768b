/*
 * exec_internal.h -- what the dispatch loop calls outside itself: host
 * calls and continuations (host.c) and the slow paths of bulk memory and
 * table instructions (bulk.c). Each returns a trap message or NULL.
 */
#ifndef LULL_INTERP_EXEC_INTERNAL_H
#define LULL_INTERP_EXEC_INTERNAL_H

#include "interp_internal.h"

#ifdef LULL_HARDSTACK
#define LULLI_HARDSTACK_ON 1
#else
#define LULLI_HARDSTACK_ON 0
#endif

/* host.c */

/* Calls host function `f` whose arguments are at t->stack[base..]. On
 * LULL_HOST_RETURN its results are written back there. On CALL and
 * SUSPEND `hc` holds what the host asked for; on TRAP hc->msg says why. */
LULL_HIDDEN lull_hostret lulli_host_invoke(lull_thread *t, lull_func *f,
                                           uint32_t base,
                                           lull_instance *caller,
                                           lull_hostcall *hc);
/* After LULL_HOST_CALL: pushes the host frame for hc->fn at `base`
 * returning to `ret_pc`, and writes the callee's arguments at `base`.
 * Returns 0, or -1 with the trap recorded. */
LULL_HIDDEN int lulli_host_begin_call(lull_thread *t, lull_hostcall *hc,
                                      const lulli_cell *ret_pc, uint32_t base,
                                      lull_instance *inst);
/* The callee of the host frame on top returned: runs its continuation.
 * On RETURN the host frame is popped, its results written and t->pc set
 * to where its caller continues; on CALL the next callee's arguments are
 * in place (hc->callee); on SUSPEND and TRAP nothing moved. */
LULL_HIDDEN lull_hostret lulli_host_continue(lull_thread *t,
                                             lull_hostcall *hc);

/* exn_unwind.c */

typedef enum lulli_unwind_to {
  LULLI_CAUGHT,   /* a handler took it: t->pc is where to go on */
  LULLI_TO_HOST,  /* the host frame on top takes it (t->exn) */
  LULLI_UNCAUGHT  /* it left the root call: t->exn, trap message and
                     backtrace are set */
} lulli_unwind_to;

/* Throws exception `x` (which the caller hands over) from `pc` in the
 * top frame (`after`: pc is just after the call whose host function
 * threw): cuts the frames back to the innermost that catches it and
 * writes the payload there. */
LULL_HIDDEN lulli_unwind_to lulli_unwind(lull_thread *t, const lulli_cell *pc,
                                         int after, lulli_gcobj *x);
/* Names `tag` as `inst` knows it (export or import name, else index). */
LULL_HIDDEN void lulli_tag_describe(const lull_instance *inst,
                                    const lull_tag *tag, char *buf,
                                    size_t len);

/* bulk.c */
LULL_HIDDEN const char *lulli_mem_fill(lull_memory *m, uint64_t d,
                                       uint32_t v, uint64_t n);
/* From memory sm to memory dm (the same one or two of an instance). */
LULL_HIDDEN const char *lulli_mem_copy(lull_memory *dm, lull_memory *sm,
                                       uint64_t d, uint64_t s, uint64_t n);
LULL_HIDDEN const char *lulli_mem_init(lull_instance *inst, uint32_t seg,
                                       lull_memory *m, uint64_t d, uint32_t s,
                                       uint32_t n);
/* Stores `v` at t[i] (bounds already checked), keeping the function's
 * instance alive while the table holds it. */
LULL_HIDDEN void lulli_table_store(lull_table *t, uint32_t i, void *v);
LULL_HIDDEN const char *lulli_table_fill(lull_table *t, uint32_t i, void *v,
                                         uint32_t n);
LULL_HIDDEN const char *lulli_table_copy(lull_table *dst, lull_table *src,
                                         uint32_t d, uint32_t s, uint32_t n);
/* The reference item j of element segment `seg` stands for (evaluated
 * at instantiation when the module may allocate in it). */
LULL_HIDDEN void *lulli_elem_item(lull_instance *inst, uint32_t seg,
                                  uint32_t j);
LULL_HIDDEN const char *lulli_table_init(lull_instance *inst, lull_table *t,
                                         uint32_t seg, uint32_t d, uint32_t s,
                                         uint32_t n);

#endif

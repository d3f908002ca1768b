/*
 * snap_gc.h -- what test_gc_snapshot and its helper process share: the
 * engine (GC on) and how the guest of tests/wat/gc_snap.wat, resumed
 * after its snapshot, is judged.
 */
#ifndef LULL_TEST_SNAP_GC_H
#define LULL_TEST_SNAP_GC_H

#include <stdint.h>
#include <stdio.h>

#include "lull.h"

/* The externref the host passes to "run". */
#define SNAP_GC_HOST ((void *)(uintptr_t)0x77)

static inline lull_engine *snap_gc_engine(void) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features |= LULL_FEATURE_GC;
  return lull_engine_new(&cfg);
}

/* Collects (the graph must survive it), resumes the parked "run" to its
 * end and checks its results: every check of the guest passed (15) and
 * the host's externref came back. Returns "ok" or what went wrong in
 * `why`. */
static inline const char *snap_gc_finish(lull_engine *e, lull_thread *t,
                                         char *why, size_t n) {
  lull_gc_collect(e);
  lull_thread_set_fuel(t, LULL_FUEL_UNLIMITED);
  lull_val r[2];
  lull_status s = lull_resume(t, NULL, 0, r, 2);
  if (s != LULL_OK)
    snprintf(why, n, "resume: %d %s", s, lull_thread_trap_message(t));
  else if (r[0].of.i32 != 15 || r[1].of.externref != SNAP_GC_HOST)
    snprintf(why, n, "checks %d, externref %p", r[0].of.i32,
             r[1].of.externref);
  else
    snprintf(why, n, "ok");
  return why;
}

#endif

/*
 * snap_values.h -- what the tests of snapshots across builds, versions
 * and machines share about their guest, tests/wat/snap_values.wat:
 * run(SNAP_VALUES_N) with the checkpoint of snap_common.h.
 */
#ifndef LULL_TEST_SNAP_VALUES_H
#define LULL_TEST_SNAP_VALUES_H

#include "snap_common.h"

#define SNAP_VALUES_N 30

/* Starts run(SNAP_VALUES_N) of module `m` on a new instance and thread,
 * parking at checkpoint `stops` (ended by -1; NULL: never) and when
 * `fuel` (0: unlimited) runs out. Returns lull_call's status, or -1 if
 * the instance could not be made. */
static inline int snap_values_start(lull_engine *e, lull_module *m,
                                    const int32_t *stops, uint64_t fuel,
                                    lull_instance **inst, lull_thread **t,
                                    lull_val *r) {
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(e, stops)}};
  lull_error err;
  *t = NULL;
  lull_status s = lull_instantiate(e, m, &im, 1, inst, &err);
  lull_func_free(im.of.func);
  if (s != LULL_OK)
    return -1;
  *t = lull_thread_new(e);
  if (fuel)
    lull_thread_set_fuel(*t, fuel);
  lull_val n = {.type = LULL_I32, .of.i32 = SNAP_VALUES_N};
  return lull_call(*t, lull_instance_func(*inst, "run"), &n, 1, r, 1);
}

/* Reads snapshot `snap` of module `m` and resumes it to the end. Returns
 * 0 with the result in *out, or -1 with a message on stderr. */
static inline int snap_values_resume(lull_engine *e, lull_module *m,
                                     const uint8_t *snap, size_t len,
                                     uint64_t *out) {
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(e, NULL)}};
  lull_instance *inst;
  lull_thread *t;
  lull_error err;
  lull_status s = lull_snapshot_read(e, m, &im, 1, snap, len, &inst, &t,
                                     NULL, NULL, &err);
  lull_func_free(im.of.func);
  if (s != LULL_OK) {
    fprintf(stderr, "resume: %s\n", err.message);
    return -1;
  }
  lull_val r;
  s = snap_finish(t, &r);
  if (s != LULL_OK)
    fprintf(stderr, "resume: %s\n", lull_thread_trap_message(t));
  *out = (uint64_t)r.of.i64;
  lull_thread_free(t);
  lull_instance_free(inst);
  return s == LULL_OK ? 0 : -1;
}

#endif

/*
 * snap_common.h -- what the snapshot test and its helper process share:
 * the guest's host function and how each checkpoint is answered.
 */
#ifndef LULL_TEST_SNAP_COMMON_H
#define LULL_TEST_SNAP_COMMON_H

#include "lull.h"

/* The answer to checkpoint(i): the same in every process. */
static inline int32_t snap_answer(int32_t i) { return (i ^ 0x55) & 0xFF; }

/* The host side of checkpoint: when `*suspend_at` holds i, park with tag
 * i + 1 (the embedder resumes with snap_answer(i)); otherwise answer at
 * once. */
static lull_hostret snap_checkpoint(lull_hostcall *hc, const lull_val *args,
                                    lull_val *results, void *env) {
  const int32_t *suspend_at = env;
  int32_t i = args[0].of.i32;
  for (; suspend_at && *suspend_at >= 0; suspend_at++)
    if (*suspend_at == i)
      return lull_host_suspend(hc, (uintptr_t)i + 1);
  results[0].of.i32 = snap_answer(i);
  return LULL_HOST_RETURN;
}

static inline lull_func *snap_host(lull_engine *e, const int32_t *suspend_at) {
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype t = {1, 1, i32, i32};
  return lull_func_new(e, &t, snap_checkpoint, (void *)suspend_at, NULL);
}

/* Resumes a thread parked at a checkpoint (tag i + 1) with its answer,
 * until it parks again or ends. */
static inline lull_status snap_continue(lull_thread *t, lull_val *result) {
  lull_val a;
  a.type = LULL_I32;
  a.of.i32 = snap_answer((int32_t)lull_thread_park_tag(t) - 1);
  return lull_resume(t, &a, 1, result, 1);
}

/* Resumes a thread parked at a checkpoint (tag i + 1) or out of fuel
 * until the call finishes; returns its status. */
static inline lull_status snap_finish(lull_thread *t, lull_val *result) {
  lull_status s = LULL_SUSPENDED;
  while (s == LULL_SUSPENDED) {
    if (lull_thread_park_reason(t) == LULL_PARK_HOST) {
      s = snap_continue(t, result);
    } else {
      lull_thread_set_fuel(t, LULL_FUEL_UNLIMITED);
      s = lull_resume(t, NULL, 0, result, 1);
    }
  }
  return s;
}

/* snap_finish for out-of-memory loops: 1 when the call ended with a
 * result, 0 when it trapped because an allocation failed, -1 when it
 * ended any other way. */
static inline int snap_finish_or_oom(lull_thread *t, lull_val *result) {
  lull_status s = snap_finish(t, result);
  if (s == LULL_OK)
    return 1;
  return s == LULL_TRAP &&
                 lull_thread_trap_code(t) == LULL_TRAP_OUT_OF_MEMORY
             ? 0
             : -1;
}

#endif

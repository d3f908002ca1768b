/*
 * snap_refs.h -- what test_typed_refs_run and its helper process share: a
 * guest whose frame holds typed function references while it is parked,
 * and how it is answered. The module, in the text format (written out in
 * binary here: wabt's wat2wasm does not read typed references):
 *
 *   (type $t (func (result i32)))
 *   (import "env" "checkpoint" (func (param i32) (result i32)))
 *   (func $target (export "target") (type $t) (i32.const 42))
 *   (func $inner (export "inner") (type $t)
 *     (call 0 (i32.const 7)))           ;; parks here
 *   (func (export "run") (result (ref $t) (ref null $t) i32)
 *     (local $a (ref $t)) (local $b (ref null $t))
 *     (local.set $a (ref.func $target))
 *     (local.set $b (ref.func $inner))
 *     (local.get $a) (local.get $b)
 *     (call_ref $t (ref.as_non_null (local.get $b)))
 *     (i32.add (call_ref $t (local.get $a))))
 */
#ifndef LULL_TEST_SNAP_REFS_H
#define LULL_TEST_SNAP_REFS_H

#include <stdio.h>
#include <string.h>

#include "lull.h"

static const unsigned char snap_refs_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x12, 0x03, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x03, 0x64,
    0x00, 0x63, 0x00, 0x7f, 0x02, 0x12, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x0a,
    0x63, 0x68, 0x65, 0x63, 0x6b, 0x70, 0x6f, 0x69, 0x6e, 0x74, 0x00, 0x01,
    0x03, 0x04, 0x03, 0x00, 0x00, 0x02, 0x07, 0x18, 0x03, 0x06, 0x74, 0x61,
    0x72, 0x67, 0x65, 0x74, 0x00, 0x01, 0x05, 0x69, 0x6e, 0x6e, 0x65, 0x72,
    0x00, 0x02, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x03, 0x0a, 0x2c, 0x03, 0x04,
    0x00, 0x41, 0x2a, 0x0b, 0x06, 0x00, 0x41, 0x07, 0x10, 0x00, 0x0b, 0x1e,
    0x02, 0x01, 0x64, 0x00, 0x01, 0x63, 0x00, 0xd2, 0x01, 0x21, 0x00, 0xd2,
    0x02, 0x21, 0x01, 0x20, 0x00, 0x20, 0x01, 0x20, 0x01, 0xd4, 0x14, 0x00,
    0x20, 0x00, 0x14, 0x00, 0x6a, 0x0b,
};

/* checkpoint: parks the thread (tag 1); resumed with 100, so "run"
 * returns 142. */
static lull_hostret snap_refs_park(lull_hostcall *hc, const lull_val *args,
                                   lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  return lull_host_suspend(hc, 1);
}

static inline lull_func *snap_refs_host(lull_engine *e) {
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype t = {1, 1, i32, i32};
  return lull_func_new(e, &t, snap_refs_park, NULL, NULL);
}

/* Resumes the parked "run" and checks its results: the exports "target"
 * and "inner" of `inst`, and 142. Returns "ok" or what went wrong. */
static inline const char *snap_refs_finish(lull_thread *t,
                                           lull_instance *inst) {
  lull_val a = {.type = LULL_I32, .of.i32 = 100}, r[3];
  if (lull_resume(t, &a, 1, r, 3) != LULL_OK)
    return lull_thread_trap_message(t);
  lull_func *target = lull_instance_func(inst, "target");
  lull_func *inner = lull_instance_func(inst, "inner");
  if (!target || r[0].of.funcref != target || r[1].of.funcref != inner)
    return "the references came back wrong";
  if (r[2].of.i32 != 142)
    return "the calls through references came back wrong";
  if (!LULL_VT_IS_INDEXED(r[0].type) || LULL_VT_IS_NULLABLE(r[0].type) ||
      !LULL_VT_IS_NULLABLE(r[1].type))
    return "the results do not have their declared types";
  return "ok";
}

/* The other process's side: a fresh engine reads snapshot `snap` of the
 * guest and finishes it. Returns snap_refs_finish's word, or why it could
 * not (in `why`, of at least 256 bytes). */
static inline const char *snap_refs_resume(const unsigned char *snap,
                                           size_t len, char *why) {
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_instance *inst;
  lull_thread *t;
  lull_error err;
  err.message[0] = '\0';
  const char *r = why;
  lull_extern im = {LULL_EXTERN_FUNC, {.func = NULL}};
  if (lull_module_new(e, snap_refs_wasm, sizeof snap_refs_wasm, &m, &err) !=
          LULL_OK ||
      !(im.of.func = snap_refs_host(e)) ||
      lull_snapshot_read(e, m, &im, 1, snap, len, &inst, &t, NULL, NULL,
                         &err) != LULL_OK)
    snprintf(why, 256, "%s", err.message);
  else
    r = strcmp(snap_refs_finish(t, inst), "ok") == 0 ? "ok" : "wrong";
  lull_engine_free(e);
  return r;
}

#endif

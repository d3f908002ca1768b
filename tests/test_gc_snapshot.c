/*
 * test_gc_snapshot.c -- snapshots carry the GC heap: a thread parked
 * with a live object graph (a cycle, an array both nodes share, i31s, a
 * struct given out as an externref, the host's externref) resumes in
 * another process with the same graph; in this process too after a
 * collection. A damaged object table (any byte of it changed, the
 * checksum made right again) is refused with a message or read whole,
 * never a crash, and many refusals name the object table. The guest is
 * tests/wat/gc_snap.wat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "snap_gc.h"
#include "test_util.h"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  uint8_t *snap;
  size_t len;
} fixture;

/* Runs "run" until it parks in its loop and snapshots it. */
static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->e = snap_gc_engine();
  assert_non_null(f->e);
  f->m = test_load(f->e, "gc_snap");
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, NULL, 0, &inst, &err),
                   LULL_OK);
  lull_thread *t = lull_thread_new(f->e);
  lull_thread_set_fuel(t, 2000);
  lull_val host = {.type = LULL_EXTERNREF}, r[2];
  host.of.externref = SNAP_GC_HOST;
  assert_int_equal(lull_call(t, lull_instance_func(inst, "run"), &host, 1,
                             r, 2),
                   LULL_SUSPENDED);
  assert_int_equal(lull_gc_collect(f->e), LULL_OK);
  if (lull_snapshot_write(t, inst, NULL, 0, &f->snap, &f->len, &err) !=
      LULL_OK)
    fail_msg("snapshot: %s", err.message);
  char why[256];
  assert_string_equal(snap_gc_finish(f->e, t, why, sizeof why), "ok");
  lull_thread_free(t);
  lull_instance_free(inst);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_snapshot_free(f->e, f->snap, f->len);
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static void graph_resumes_in_another_process(void **state) {
  fixture *f = *state;
  char path[256], module[1024], out[256];
  snprintf(path, sizeof path, "/tmp/lull-test-gcsnap-%d", (int)getpid());
  snprintf(module, sizeof module, "%s/gc_snap.wasm", LULL_TEST_WASM_DIR);
  assert_int_equal(test_write_file(path, f->snap, f->len), 0);
  assert_int_equal(
      test_run_helper("helper_snapshot_gc", module, path, out, sizeof out), 0);
  remove(path);
  assert_string_equal(out, "ok\n");
}

static void graph_resumes_here(void **state) {
  fixture *f = *state;
  lull_instance *inst;
  lull_thread *t;
  lull_error err;
  if (lull_snapshot_read(f->e, f->m, NULL, 0, f->snap, f->len, &inst, &t,
                         NULL, NULL, &err) != LULL_OK)
    fail_msg("read: %s", err.message);
  char why[256];
  assert_string_equal(snap_gc_finish(f->e, t, why, sizeof why), "ok");
}

/* `bytes` with the header's checksum made right for its body. */
static void fix_crc(uint8_t *bytes, size_t len) {
  uint32_t crc = test_crc32(bytes + 56, len - 56);
  for (int i = 0; i < 4; i++)
    bytes[52 + i] = (uint8_t)(crc >> (8 * i));
}

static void damaged_object_table_refused(void **state) {
  fixture *f = *state;
  uint8_t *b = malloc(f->len);
  assert_non_null(b);
  memcpy(b, f->snap, f->len);
  fix_crc(b, f->len);
  /* The checksum is the format's: unchanged bytes still read. */
  lull_instance *inst;
  lull_thread *t;
  lull_error err;
  assert_int_equal(lull_snapshot_read(f->e, f->m, NULL, 0, b, f->len, &inst,
                                      &t, NULL, NULL, &err),
                   LULL_OK);
  lull_thread_free(t);
  lull_instance_free(inst);
  /* Every byte of the object table (the snapshot's end) changed. */
  int refused = 0, named = 0;
  size_t from = f->len > 300 ? f->len - 300 : 56;
  for (size_t i = from; i < f->len; i++) {
    memcpy(b, f->snap, f->len);
    b[i] ^= 0xA5;
    fix_crc(b, f->len);
    lull_status s = lull_snapshot_read(f->e, f->m, NULL, 0, b, f->len, &inst,
                                       &t, NULL, NULL, &err);
    if (s == LULL_OK) {
      lull_thread_free(t);
      lull_instance_free(inst);
      continue;
    }
    assert_int_equal(s, LULL_BADSNAPSHOT);
    assert_non_null(strstr(err.message, "bad snapshot: "));
    refused++;
    named += strstr(err.message, "object") != NULL;
  }
  assert_true(refused > 50);
  assert_true(named > 10);
  assert_int_equal(lull_gc_collect(f->e), LULL_OK);
  free(b);
}

/* What "tell" heard: the array's and the node's addresses. */
typedef struct told {
  void *arr, *node;
} told;

static lull_hostret tell(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)hc;
  (void)results;
  told *w = env;
  w->arr = args[0].of.externref;
  w->node = args[1].of.externref;
  return LULL_HOST_RETURN;
}

static lull_hostret park(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  return lull_host_suspend(hc, 1);
}

/* The first place after the header where the 8 bytes of `p` stand. */
static size_t find_word(const uint8_t *b, size_t len, const void *p) {
  uint64_t w = (uint64_t)(uintptr_t)p;
  for (size_t i = 56; i + 8 <= len; i++) {
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
      v |= (uint64_t)b[i + k] << (8 * k);
    if (v == w)
      return i;
  }
  return 0;
}

/* An operand slot holding (ref $arr) across a host call: a snapshot that
 * names the node there instead (checksum made right) is refused, where
 * array.get would otherwise read the node as an array. */
static void operand_of_the_wrong_type_refused(void **state) {
  (void)state;
  lull_engine *e = snap_gc_engine();
  lull_module *m = test_load(e, "gc_snap_operand");
  told w = {NULL, NULL};
  static const lull_valtype ee[2] = {LULL_EXTERNREF, LULL_EXTERNREF};
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype tell_t = {2, 0, ee, NULL}, park_t = {0, 1, NULL, i32};
  lull_extern im[2] = {{LULL_EXTERN_FUNC, {.func = NULL}},
                       {LULL_EXTERN_FUNC, {.func = NULL}}};
  im[0].of.func = lull_func_new(e, &tell_t, tell, &w, NULL);
  im[1].of.func = lull_func_new(e, &park_t, park, NULL, NULL);
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, im, 2, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_val r;
  assert_int_equal(lull_call(t, lull_instance_func(inst, "run"), NULL, 0, &r,
                             1),
                   LULL_SUSPENDED);
  assert_non_null(w.arr);
  assert_non_null(w.node);
  uint8_t *snap;
  size_t len;
  assert_int_equal(lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err),
                   LULL_OK);
  /* As written, it resumes to the array's element 1. */
  lull_instance *inst2;
  lull_thread *t2;
  if (lull_snapshot_read(e, m, im, 2, snap, len, &inst2, &t2, NULL, NULL,
                         &err) != LULL_OK)
    fail_msg("read: %s", err.message);
  lull_val one = {.type = LULL_I32, .of.i32 = 1};
  assert_int_equal(lull_resume(t2, &one, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 6);
  lull_thread_free(t2);
  lull_instance_free(inst2);
  /* The frame comes first, and in it the operand is the array's first
   * mention (no local holds the array). */
  size_t at = find_word(snap, len, w.arr);
  assert_true(at > 0);
  uint64_t node = (uint64_t)(uintptr_t)w.node;
  for (int k = 0; k < 8; k++)
    snap[at + k] = (uint8_t)(node >> (8 * k));
  fix_crc(snap, len);
  assert_int_equal(lull_snapshot_read(e, m, im, 2, snap, len, &inst2, &t2,
                                      NULL, NULL, &err),
                   LULL_BADSNAPSHOT);
  if (!strstr(err.message, "operand 0 is not of its type"))
    fail_msg("%s", err.message);
  lull_snapshot_free(e, snap, len);
  assert_int_equal(lull_resume(t, &one, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 6);
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_func_free(im[0].of.func);
  lull_func_free(im[1].of.func);
  lull_module_free(m);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(graph_resumes_in_another_process, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(graph_resumes_here, setup, teardown),
      cmocka_unit_test_setup_teardown(damaged_object_table_refused, setup,
                                      teardown),
      cmocka_unit_test(operand_of_the_wrong_type_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

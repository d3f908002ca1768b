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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(graph_resumes_in_another_process, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(graph_resumes_here, setup, teardown),
      cmocka_unit_test_setup_teardown(damaged_object_table_refused, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

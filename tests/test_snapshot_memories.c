/*
 * test_snapshot_memories.c -- snapshots carry every memory: a thread of
 * tests/wat/snapmem.wat (memory 0, a 64-bit memory that grows, a second
 * 32-bit memory) parked at checkpoints resumes in another process
 * (helper_snapshot) to the result of an uninterrupted run, and the
 * restored instance has each memory's size and bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lull.h"
#include "snap_common.h"
#include "test_util.h"

#define N 200

static lull_status start(lull_engine *e, lull_module *m, const int32_t *stops,
                         lull_instance **inst, lull_thread **t, lull_val *r) {
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(e, stops)}};
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, &im, 1, inst, &err), LULL_OK);
  lull_func_free(im.of.func);
  *t = lull_thread_new(e);
  lull_val n = {.type = LULL_I32, .of.i32 = N};
  return lull_call(*t, lull_instance_func(*inst, "run"), &n, 1, r, 1);
}

/* The instance a snapshot restores has the memories of the one it was
 * taken from: count, sizes, 64-bit-ness and bytes. */
static void same_memories(lull_engine *e, lull_module *m, lull_instance *was,
                          const uint8_t *snap, size_t len) {
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(e, NULL)}};
  lull_instance *inst;
  lull_thread *t;
  lull_error err;
  assert_int_equal(lull_snapshot_read(e, m, &im, 1, snap, len, &inst, &t,
                                      NULL, NULL, &err),
                   LULL_OK);
  lull_func_free(im.of.func);
  assert_int_equal(lull_instance_memory_count(inst), 3);
  for (uint32_t i = 0; i < 3; i++) {
    lull_memory *a = lull_instance_memory_at(was, i);
    lull_memory *b = lull_instance_memory_at(inst, i);
    assert_int_equal(lull_memory_pages(b), lull_memory_pages(a));
    assert_int_equal(lull_memory_is64(b), i == 1);
    assert_memory_equal(lull_memory_data(b), lull_memory_data(a),
                        lull_memory_size(a));
  }
  lull_thread_free(t);
  lull_instance_free(inst);
}

static void second_and_64_bit_memories_resume_elsewhere(void **state) {
  (void)state;
  char module[1024], path[256], out[64];
  snprintf(module, sizeof module, "%s/snapmem.wasm", LULL_TEST_WASM_DIR);
  snprintf(path, sizeof path, "/tmp/lull-test-snapmem-%d", (int)getpid());
  size_t mlen;
  unsigned char *bytes = test_read_file(module, &mlen);
  assert_non_null(bytes);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new(e, bytes, mlen, &m, &err), LULL_OK);

  lull_instance *inst;
  lull_thread *t;
  lull_val r;
  assert_int_equal(start(e, m, NULL, &inst, &t, &r), LULL_OK);
  uint64_t expect = (uint64_t)r.of.i64;
  assert_true(lull_memory_pages(lull_instance_memory_at(inst, 1)) > 1);
  lull_thread_free(t);
  lull_instance_free(inst);

  static const int32_t stops[] = {0, 80, 160, -1};
  lull_status s = start(e, m, stops, &inst, &t, &r);
  int taken = 0;
  while (s == LULL_SUSPENDED) {
    uint8_t *snap;
    size_t len;
    assert_int_equal(lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err),
                     LULL_OK);
    same_memories(e, m, inst, snap, len);
    assert_int_equal(test_write_file(path, snap, len), 0);
    lull_snapshot_free(e, snap, len);
    assert_int_equal(test_run_helper("helper_snapshot", module, path, out,
                                     sizeof out),
                     0);
    assert_true(strtoull(out, NULL, 16) == expect);
    taken++;
    s = snap_continue(t, &r);
  }
  unlink(path);
  assert_int_equal(s, LULL_OK);
  assert_int_equal(taken, 3);
  assert_true((uint64_t)r.of.i64 == expect);
  lull_engine_free(e);
  free(bytes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(second_and_64_bit_memories_resume_elsewhere),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

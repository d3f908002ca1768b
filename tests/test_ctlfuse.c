/*
 * test_ctlfuse.c -- the fused control-flow instructions (br_table with
 * its index load; see interp/ops.h) give what the instructions they
 * replace gave: every target, the default for indices past the table,
 * wrapping addresses, traps reported at the load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/interp_internal.h"
#include "interp/ops.h"
#include "lull.h"
#include "test_util.h"

typedef test_guest fixture;

static int setup(void **state) {
  static fixture f;
  test_guest_open(&f, "ctlfuse", 0);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  return 0;
}

/* fn(arg) must return `want`. */
static void expect(fixture *f, const char *fn, int32_t arg, int32_t want) {
  lull_val a = {.type = LULL_I32, .of.i32 = arg}, r;
  assert_int_equal(test_guest_call(f, fn, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, want);
}

/* fn(arg) must trap out of bounds, the trap at a Wasm offset. */
static void expect_oob(fixture *f, const char *fn, int32_t arg) {
  lull_val a = {.type = LULL_I32, .of.i32 = arg}, r;
  assert_int_equal(test_guest_call(f, fn, &a, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
  lull_frame_info bt[1];
  assert_int_equal(lull_thread_backtrace(f->t, bt, 1), 1);
  assert_true(bt[0].wasm_offset > 0);
}

/* How many instructions of op `op` the module's code holds. */
static unsigned count_op(const fixture *f, unsigned op) {
  const lull_module *m = f->m;
  unsigned n = 0;
  for (uint32_t d = 0; d < m->m->ncodes; d++) {
    const lulli_code *c = &m->codes[d];
    for (uint32_t at = 0; at < c->ncells;) {
      int o = lulli_op_of(f->e, &c->code[at]);
      assert_true(o >= 0);
      n += (unsigned)o == op;
      at += lulli_op_length((unsigned)o, &c->code[at]);
    }
  }
  return n;
}

static void br_table_loads_its_index(void **state) {
  fixture *f = *state;
  /* Every load before a br_table went into it. */
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_L8), 3);
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_L32), 2);
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE), 0);

  /* Bytes 0 1 2 3 255 7 from 16: (u32)(p + 3) + 2 */
  expect(f, "sw8_ak", 11, 100);
  expect(f, "sw8_ak", 12, 101);
  expect(f, "sw8_ak", 13, 102);
  expect(f, "sw8_ak", 14, 103); /* 3: the default */
  expect(f, "sw8_ak", 15, 103); /* 255 */
  /* p + 3 wraps at 32 bits before the offset is added: byte 3, zero. */
  expect(f, "sw8_ak", -2, 100);
  expect_oob(f, "sw8_ak", 65536 - 5);
  expect(f, "sw8_ak", 65536 - 6, 100); /* the last byte, zero */

  expect(f, "sw8", 15, 200);
  expect(f, "sw8", 16, 201);
  expect(f, "sw8", 17, 7); /* the block's value */
  expect(f, "sw8", 18, 200); /* 3 = the default */
  expect(f, "sw8", 19, 200);
  expect_oob(f, "sw8", -1);

  /* u32 1, 0xffffffff, 2, 4 from 32 */
  expect(f, "sw32_ak", 32, 301);
  expect(f, "sw32_ak", 36, 302); /* 0xffffffff: past the table */
  expect(f, "sw32_ak", 40, 302);
  expect(f, "sw32", 44, 402);
  expect(f, "sw32", 0, 400);
  expect(f, "sw32", 32, 401);
  expect_oob(f, "sw32", 65533);
  expect_oob(f, "sw32_ak", 65533);

  /* inc inc dbl inc dbl halt: ((0 + 2) * 2 + 1) * 2 */
  expect(f, "interp", 0, 10);
  expect(f, "interp", 3, 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(br_table_loads_its_index),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

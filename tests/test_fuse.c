/*
 * test_fuse.c -- the instructions compile_fuse.c makes from pairs give
 * exactly what the pairs gave: wrapping addresses, operand order, moves
 * in sequence, traps in the right place.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "ops_util.h"
#include "test_util.h"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
  uint8_t *mem;
} fixture;

static int setup(void **state) {
  static fixture f;
  f.e = lull_engine_new(NULL);
  f.m = test_load(f.e, "fuse");
  lull_error err;
  assert_int_equal(lull_instantiate(f.e, f.m, NULL, 0, &f.inst, &err), LULL_OK);
  f.t = lull_thread_new(f.e);
  f.mem = lull_memory_data(lull_instance_memory(f.inst));
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  return 0;
}

static lull_val I32(int32_t v) { return (lull_val){.type = LULL_I32, .of.i32 = v}; }
static lull_val I64(int64_t v) { return (lull_val){.type = LULL_I64, .of.i64 = v}; }
static lull_val F32(float v) { return (lull_val){.type = LULL_F32, .of.f32 = v}; }
static lull_val F64(double v) { return (lull_val){.type = LULL_F64, .of.f64 = v}; }

static lull_status call(fixture *f, const char *name, const lull_val *args,
                        size_t n, lull_val *r, size_t nr) {
  return lull_call(f->t, lull_instance_func(f->inst, name), args, n, r, nr);
}

static void fused_accesses_wrap_like_the_add(void **state) {
  fixture *f = *state;
  lull_val r;
  lull_val a = I32((int32_t)0xfffffff8);
  assert_int_equal(call(f, "load_ak", &a, 1, &r, 1), LULL_OK);
  assert_true(r.of.i64 == 0x0807060504030201ll);
  a = I32(0);
  assert_int_equal(call(f, "load_ak", &a, 1, &r, 1), LULL_OK);
  assert_true(r.of.i64 == 0);
  a = I32(65528 - 8);
  assert_int_equal(call(f, "load_ak", &a, 1, &r, 1), LULL_OK);
  assert_true(r.of.i64 == 0x1817161514131211ll);
  a = I32(65529 - 8);
  assert_int_equal(call(f, "load_ak", &a, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
  /* (a + 0x7f) wraps to 0x7e ... no: a = -0x7f gives 0, then offset 1. */
  a = I32(-0x7f);
  assert_int_equal(call(f, "load8_ak", &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 2);
  lull_val sa[2] = {I32(-16), I32(0x1234abcd)};
  assert_int_equal(call(f, "store_ak", sa, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0x0403abcd);
}

static void memory_operands_keep_their_order(void **state) {
  fixture *f = *state;
  double d[2] = {1.5, 0.25};
  memcpy(f->mem + 64, d, sizeof d);
  lull_val args[2] = {F64(3.0), I32(64)}, r;
  assert_int_equal(call(f, "f64_mem", args, 2, &r, 1), LULL_OK);
  assert_true(r.of.f64 == 3.0 * 1.5 - 0.25);
  assert_int_equal(call(f, "f64_add_mem", args, 2, &r, 1), LULL_OK);
  assert_true(r.of.f64 == 4.5);
  assert_int_equal(call(f, "f64_sub_left", args, 2, &r, 1), LULL_OK);
  assert_true(r.of.f64 == 1.5 - 3.0);
  float s[2] = {2.0f, 0.5f};
  memcpy(f->mem + 96, s, sizeof s);
  lull_val fa[2] = {F32(5.0f), I32(96)};
  assert_int_equal(call(f, "f32_mem", fa, 2, &r, 1), LULL_OK);
  assert_true(r.of.f32 == 5.0f * 2.0f + (5.0f - 0.5f));
  int64_t q = 0x100000007ll;
  memcpy(f->mem + 128, &q, 8);
  lull_val ia[3] = {I32(-1), I64(10), I32(128)};
  assert_int_equal(call(f, "int_mem", ia, 3, &r, 1), LULL_OK);
  /* (u32)(-1 + 7) = 6, plus 10 + 0x100000007 */
  assert_true(r.of.i64 == 6 + 10 + 0x100000007ll);
  /* A fused access that traps reports the load. */
  lull_val bad[2] = {F64(1.0), I32(65535)};
  assert_int_equal(call(f, "f64_mem", bad, 2, &r, 1), LULL_TRAP);
  lull_frame_info bt[2];
  assert_int_equal(lull_thread_backtrace(f->t, bt, 2), 1);
  assert_true(bt[0].wasm_offset > 0);
}

static uint32_t xorshift(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= (x << 5) | (x >> 27);
  return x;
}

static void shifts_xors_and_sums(void **state) {
  fixture *f = *state;
  lull_val r;
  for (uint32_t x = 1; x < 2000000000u; x = x * 7 + 3) {
    lull_val a = I32((int32_t)x);
    assert_int_equal(call(f, "xorshift", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, xorshift(x));
  }
  lull_val s[4] = {I32(1), I32(20), I32(300), I32(4000)};
  assert_int_equal(call(f, "add3", s, 4, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1 + 20 + 300 + 4000 + 2);
  /* The rounding shift wraps its sum as the add does. */
  static const uint32_t xs[] = {0, 1, 2, 5, 0x7FFFFFFF, 0xFFFFFFFE,
                                0xFFFFFFFF, 0xFFFEDCBA};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    lull_val a = I32((int32_t)xs[i]);
    assert_int_equal(call(f, "round_shift", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32,
                     ((xs[i] + 2u) >> 2) + ((xs[i] + 0x12345u) >> 4));
    lull_val two[2] = {a, I32((int32_t)xs[(i + 3) % 8])};
    assert_int_equal(call(f, "average", two, 2, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32,
                     (xs[i] + xs[(i + 3) % 8] + 1u) >> 1);
  }
}

static void indexes_and_constant_stores(void **state) {
  fixture *f = *state;
  lull_val a[2] = {I32(1000), I32(-3)}, r;
  assert_int_equal(call(f, "index", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32,
                   (uint32_t)(1000 + (-3 * 4)) ^ (uint32_t)(1000 + (-3 * 8)));
  lull_val p = I32(8);
  assert_int_equal(call(f, "store_consts", &p, 1, &r, 1), LULL_OK);
  assert_true(r.of.i64 == 0x665544332345ffll);
  assert_int_equal(call(f, "store_const64", &p, 1, &r, 1), LULL_OK);
  double d = -2.5;
  int64_t bits;
  memcpy(&bits, &d, 8);
  assert_true(r.of.i64 == bits);
  /* The first store that does not fit traps, before any other writes. */
  memset(f->mem + 65530, 0, 6);
  p = I32(65535 - 100 - 1);
  assert_int_equal(call(f, "store_consts", &p, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
  assert_int_equal(f->mem[65534], 0xff);
  assert_int_equal(f->mem[65535], 0);
}

static uint32_t loops(int32_t n) {
  int32_t i = -n;
  uint32_t s = 0;
  do
    s = s * 31 + (uint32_t)i++;
  while (i < n);
  i = n;
  do
    s ^= (uint32_t)i--;
  while (i);
  do {
    s += (uint32_t)i;
    i += 4;
  } while (i != 40);
  uint32_t u = 0;
  do {
    s -= u;
    u += 3;
  } while ((uint32_t)n > u);
  i = n;
  do {
    uint32_t k = (uint32_t)i & 31;
    s = k ? s << k | s >> (32 - k) : s;
    i -= 2;
  } while (i >= -5);
  return s ^ (uint32_t)i;
}

static void loops_closed_by_their_step(void **state) {
  fixture *f = *state;
  static const int32_t ns[] = {1, 2, 7, 100, 1001};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    lull_val a = I32(ns[k]), r;
    assert_int_equal(call(f, "loops", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, loops(ns[k]));
  }
}

static void moves_and_steps_in_sequence(void **state) {
  fixture *f = *state;
  lull_val a[4] = {I32(1), I32(2), I32(3), I32(4)}, r;
  assert_int_equal(call(f, "rotate", a, 4, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 2341);
  lull_val n = I32(10);
  assert_int_equal(call(f, "counters", &n, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 40);
}

static uint32_t masked(uint32_t x) {
  uint32_t r = (x & 0xf7) == 1;
  r += (x & 0x30) != 0x10 ? 10 : 20;
  if ((x & 0xff00) != 0x1200)
    r *= 3;
  uint32_t i = x;
  do
    i++;
  while ((i & 7) != 5);
  if (x & 4)
    r += 7;
  if (!(x & 0x100))
    r ^= 0x55;
  uint32_t t = x & 3;
  if (t == 2)
    r += 100;
  return r + t + i * 1000;
}

static void masked_tests_branch_like_the_pair(void **state) {
  fixture *f = *state;
  static const uint32_t xs[] = {0,      1,      9,          0x10,
                                0x11,   0x1201, 0x1219,     0x1232,
                                0xfff5, 0xfffd, 0x80000000, 0xffffffff,
                                0x104,  0x1ff};
  for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
    lull_val a = I32((int32_t)xs[k]), r;
    assert_int_equal(call(f, "masked", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, masked(xs[k]));
  }
  /* The ifs, the br_if over its moves, the plain br_ifs, the loop's. */
  assert_true(test_count_op(f->e, f->m, LULLI_OP_BR_I32_AND_NE_I) >= 2);
  assert_true(test_count_op(f->e, f->m, LULLI_OP_BR_I32_AND_EQ_I) >= 3);
  assert_true(test_count_op(f->e, f->m, LULLI_OP_BR_I32_AND_NE_I_BACK) >= 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fused_accesses_wrap_like_the_add),
      cmocka_unit_test(memory_operands_keep_their_order),
      cmocka_unit_test(shifts_xors_and_sums),
      cmocka_unit_test(indexes_and_constant_stores),
      cmocka_unit_test(loops_closed_by_their_step),
      cmocka_unit_test(moves_and_steps_in_sequence),
      cmocka_unit_test(masked_tests_branch_like_the_pair),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

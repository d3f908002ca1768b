/*
 * test_relaxed_simd.c -- lull's choice for each relaxed SIMD instruction
 * (simd_c.h), checked on the inputs where the proposal allows several
 * results, so that a build that chose differently (a fused multiply-add
 * made up by the C compiler, an x86 shortcut) fails here rather than
 * giving other results on another machine. The spec tests accept every
 * allowed result, so they cannot see such a change. test-variants runs
 * this with portable SIMD too.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "test_util.h"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->e = lull_engine_new(NULL);
  assert_non_null(f->e);
  f->m = test_load(f->e, "relaxed");
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, NULL, 0, &f->inst, &err),
                   LULL_OK);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_thread_free(f->t);
  lull_instance_free(f->inst);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  free(f);
  return 0;
}

typedef struct v128 {
  uint8_t b[16];
} v128;

static v128 f32s(float x) {
  v128 v;
  for (int i = 0; i < 4; i++)
    memcpy(v.b + 4 * i, &x, 4);
  return v;
}
static v128 f64s(double x) {
  v128 v;
  for (int i = 0; i < 2; i++)
    memcpy(v.b + 8 * i, &x, 8);
  return v;
}
static v128 bytes(uint8_t x) {
  v128 v;
  memset(v.b, x, 16);
  return v;
}

/* Calls export `name` with n v128 arguments; returns its v128 result. */
static v128 call(fixture *f, const char *name, int n, ...) {
  lull_val a[3], r;
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) {
    v128 v = va_arg(ap, v128);
    a[i].type = LULL_V128;
    memcpy(a[i].of.v128, v.b, 16);
  }
  va_end(ap);
  lull_func *fn = lull_instance_func(f->inst, name);
  assert_non_null(fn);
  assert_int_equal(lull_call(f->t, fn, a, (size_t)n, &r, 1), LULL_OK);
  v128 out;
  memcpy(out.b, r.of.v128, 16);
  return out;
}

static uint32_t u32_lane(v128 v, int i) {
  uint32_t x;
  memcpy(&x, v.b + 4 * i, 4);
  return x;
}
static uint64_t u64_lane(v128 v, int i) {
  uint64_t x;
  memcpy(&x, v.b + 8 * i, 8);
  return x;
}
static uint16_t u16_lane(v128 v, int i) {
  uint16_t x;
  memcpy(&x, v.b + 2 * i, 2);
  return x;
}

/* madd and nmadd round the product before adding: (1 + 2^-23) *
 * (1 - 2^-24) rounds to 1, so adding -1 gives exactly 0, where a fused
 * multiply-add gives 2^-24 - 2^-47. */
static void madd_is_not_fused(void **state) {
  fixture *f = *state;
  float a = 1.0f + ldexpf(1, -23), b = 1.0f - ldexpf(1, -24);
  v128 r = call(f, "f32_madd", 3, f32s(a), f32s(b), f32s(-1.0f));
  for (int i = 0; i < 4; i++)
    assert_int_equal(u32_lane(r, i), 0);
  r = call(f, "f32_nmadd", 3, f32s(a), f32s(b), f32s(1.0f));
  for (int i = 0; i < 4; i++)
    assert_int_equal(u32_lane(r, i), 0);
  double c = 1.0 + ldexp(1, -52), d = 1.0 - ldexp(1, -53);
  r = call(f, "f64_madd", 3, f64s(c), f64s(d), f64s(-1.0));
  for (int i = 0; i < 2; i++)
    assert_int_equal(u64_lane(r, i), 0);
  r = call(f, "f64_nmadd", 3, f64s(c), f64s(d), f64s(1.0));
  for (int i = 0; i < 2; i++)
    assert_int_equal(u64_lane(r, i), 0);
  /* And ordinary values are a * b + c. */
  r = call(f, "f32_madd", 3, f32s(3.0f), f32s(0.5f), f32s(0.25f));
  float got;
  memcpy(&got, r.b, 4);
  assert_true(got == 1.75f);
}

/* Both dot products take the second operand's i8 lanes as signed, even
 * with the top bit set; the i16 one wraps, the i32 one does not. */
static void dot_products_are_signed(void **state) {
  fixture *f = *state;
  v128 r = call(f, "dot", 2, bytes(0x80), bytes(0x80));
  for (int i = 0; i < 8; i++) /* -128 * -128 * 2 = 32768 wraps */
    assert_int_equal(u16_lane(r, i), 0x8000);
  r = call(f, "dot", 2, bytes(0x80), bytes(0x81));
  for (int i = 0; i < 8; i++) /* -128 * -127 * 2 */
    assert_int_equal(u16_lane(r, i), 32512);
  r = call(f, "dot_add", 3, bytes(0x80), bytes(0x80), bytes(0));
  for (int i = 0; i < 4; i++) /* 4 * 16384 */
    assert_int_equal(u32_lane(r, i), 65536);
  r = call(f, "dot_add", 3, bytes(0xFF), bytes(0x7F), bytes(0xFF));
  for (int i = 0; i < 4; i++) /* 4 * (-1 * 127) + -1 */
    assert_int_equal(u32_lane(r, i), (uint32_t)-509);
}

/* Swizzle indices of 16 and more give 0, from a register or a constant. */
static void swizzle_out_of_range_is_zero(void **state) {
  fixture *f = *state;
  v128 a, idx = bytes(0);
  for (int i = 0; i < 16; i++)
    a.b[i] = (uint8_t)(0xA0 + i);
  idx.b[0] = 16;
  idx.b[1] = 0x80;
  idx.b[2] = 0xFF;
  idx.b[3] = 15;
  v128 r = call(f, "swizzle", 2, a, idx);
  assert_int_equal(r.b[0], 0);
  assert_int_equal(r.b[1], 0);
  assert_int_equal(r.b[2], 0);
  assert_int_equal(r.b[3], 0xAF);
  assert_int_equal(r.b[4], 0xA0);
  r = call(f, "swizzle_k", 1, a);
  assert_int_equal(r.b[0], 0xAF);
  assert_int_equal(r.b[1], 0);
  assert_int_equal(r.b[2], 0);
  assert_int_equal(r.b[3], 0);
  assert_int_equal(r.b[4], 0xA0);
}

/* Every bit of a laneselect mask selects, not only each lane's top bit. */
static void laneselect_is_bitwise(void **state) {
  fixture *f = *state;
  v128 r = call(f, "laneselect", 3, bytes(0xAA), bytes(0x55), bytes(0x0F));
  for (int i = 0; i < 16; i++)
    assert_int_equal(r.b[i], 0x5A);
  r = call(f, "laneselect_k", 2, bytes(0xAA), bytes(0x55));
  for (int i = 0; i < 16; i++)
    assert_int_equal(r.b[i], 0x5A);
}

/* min and max as f32x4.min and f64x2.max: NaNs propagate, -0 < +0. */
static void min_max_propagate_nan(void **state) {
  fixture *f = *state;
  v128 r = call(f, "f32_min", 2, f32s(-0.0f), f32s(0.0f));
  for (int i = 0; i < 4; i++)
    assert_int_equal(u32_lane(r, i), 0x80000000u);
  r = call(f, "f32_min", 2, f32s(NAN), f32s(1.0f));
  for (int i = 0; i < 4; i++)
    assert_true((u32_lane(r, i) & 0x7FC00000u) == 0x7FC00000u);
  r = call(f, "f64_max", 2, f64s(-0.0), f64s(0.0));
  for (int i = 0; i < 2; i++)
    assert_int_equal(u64_lane(r, i), 0);
  r = call(f, "f64_max", 2, f64s(1.0), f64s(NAN));
  for (int i = 0; i < 2; i++)
    assert_true((u64_lane(r, i) & 0x7FF8000000000000u) ==
                0x7FF8000000000000u);
}

/* Truncations saturate and give 0 for NaN, as trunc_sat does. */
static void truncations_saturate(void **state) {
  fixture *f = *state;
  v128 in;
  float lanes[4] = {NAN, 1e10f, -1e10f, -2.5f};
  memcpy(in.b, lanes, 16);
  v128 r = call(f, "trunc_s", 1, in);
  assert_int_equal(u32_lane(r, 0), 0);
  assert_int_equal(u32_lane(r, 1), 0x7FFFFFFFu);
  assert_int_equal(u32_lane(r, 2), 0x80000000u);
  assert_int_equal(u32_lane(r, 3), (uint32_t)-2);
  r = call(f, "trunc_u", 1, in);
  assert_int_equal(u32_lane(r, 0), 0);
  assert_int_equal(u32_lane(r, 1), 0xFFFFFFFFu);
  assert_int_equal(u32_lane(r, 2), 0);
  assert_int_equal(u32_lane(r, 3), 0);
  double d[2] = {5e9, 7.9};
  memcpy(in.b, d, 16);
  r = call(f, "trunc_u_zero", 1, in);
  assert_int_equal(u32_lane(r, 0), 0xFFFFFFFFu);
  assert_int_equal(u32_lane(r, 1), 7);
  assert_int_equal(u32_lane(r, 2), 0);
  assert_int_equal(u32_lane(r, 3), 0);
}

/* q15mulr saturates the one overflowing case, -1 * -1 in Q15. */
static void q15mulr_saturates(void **state) {
  fixture *f = *state;
  v128 m;
  for (int i = 0; i < 8; i++) {
    m.b[2 * i] = 0x00;
    m.b[2 * i + 1] = 0x80;
  }
  v128 r = call(f, "q15", 2, m, m);
  for (int i = 0; i < 8; i++)
    assert_int_equal(u16_lane(r, i), 0x7FFF);
}

/* Without the relaxed SIMD feature the opcodes are illegal. */
static void refused_without_the_feature(void **state) {
  (void)state;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features &= ~(lull_features)LULL_FEATURE_RELAXED_SIMD;
  lull_engine *e = lull_engine_new(&cfg);
  assert_non_null(e);
  char path[1024];
  snprintf(path, sizeof path, "%s/relaxed.wasm", LULL_TEST_WASM_DIR);
  size_t len;
  unsigned char *b = test_read_file(path, &len);
  assert_non_null(b);
  lull_module *m = NULL;
  lull_error err;
  assert_int_not_equal(lull_module_new(e, b, len, &m, &err), LULL_OK);
  assert_null(m);
  assert_non_null(strstr(err.message, "illegal opcode"));
  free(b);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(madd_is_not_fused, setup, teardown),
      cmocka_unit_test_setup_teardown(dot_products_are_signed, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(swizzle_out_of_range_is_zero, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(laneselect_is_bitwise, setup, teardown),
      cmocka_unit_test_setup_teardown(min_max_propagate_nan, setup, teardown),
      cmocka_unit_test_setup_teardown(truncations_saturate, setup, teardown),
      cmocka_unit_test_setup_teardown(q15mulr_saturates, setup, teardown),
      cmocka_unit_test(refused_without_the_feature),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

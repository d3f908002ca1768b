/*
 * test_val_text.c -- values as text: lull_val_parse for every type and
 * its refusals, lull_val_format reading back the same, and
 * lull_call_text calling an export by name with text arguments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

static lull_val parse_ok(lull_valtype t, const char *text) {
  lull_val v;
  lull_error err;
  if (lull_val_parse(t, text, &v, &err) != LULL_OK)
    fail_msg("'%s': %s", text, err.message);
  assert_int_equal(v.type, t);
  return v;
}

static void refused(lull_valtype t, const char *text, const char *why) {
  lull_val v;
  lull_error err;
  assert_int_equal(lull_val_parse(t, text, &v, &err), LULL_BADARG);
  assert_string_equal(err.message, why);
}

static void integers(void **state) {
  (void)state;
  assert_int_equal(parse_ok(LULL_I32, "42").of.i32, 42);
  assert_int_equal(parse_ok(LULL_I32, "-2147483648").of.i32, INT32_MIN);
  assert_int_equal(parse_ok(LULL_I32, "4294967295").of.i32, -1);
  assert_int_equal(parse_ok(LULL_I32, "0x10").of.i32, 16);
  assert_int_equal(parse_ok(LULL_I32, "-0x10").of.i32, -16);
  assert_int_equal(parse_ok(LULL_I64, "-9223372036854775808").of.i64,
                   INT64_MIN);
  assert_int_equal(parse_ok(LULL_I64, "18446744073709551615").of.i64, -1);
  refused(LULL_I32, "4294967296", "'4294967296' is not an i32");
  refused(LULL_I32, "-2147483649", "'-2147483649' is not an i32");
  refused(LULL_I32, "12x", "'12x' is not an i32");
  refused(LULL_I32, "", "'' is not an i32");
  refused(LULL_I32, "0x", "'0x' is not an i32");
  refused(LULL_I64, " 1", "' 1' is not an i64");
  refused(LULL_I64, "18446744073709551616",
          "'18446744073709551616' is not an i64");
}

static void floats_and_vectors(void **state) {
  (void)state;
  assert_true(parse_ok(LULL_F32, "1.5").of.f32 == 1.5f);
  assert_true(parse_ok(LULL_F64, "-0x1p-2").of.f64 == -0.25);
  assert_true(isnan(parse_ok(LULL_F64, "nan").of.f64));
  assert_true(isinf(parse_ok(LULL_F32, "-inf").of.f32));
  refused(LULL_F32, "1e39", "'1e39' is out of range for f32");
  refused(LULL_F64, "1e400", "'1e400' is out of range for f64");
  refused(LULL_F64, "1.5x", "'1.5x' is not an f64");
  lull_val v = parse_ok(LULL_V128, "0x0102");
  assert_int_equal(v.of.v128[0], 2);
  assert_int_equal(v.of.v128[1], 1);
  assert_int_equal(v.of.v128[2], 0);
  v = parse_ok(LULL_V128, "0xffeeddccbbaa99887766554433221100");
  assert_int_equal(v.of.v128[15], 0xff);
  assert_int_equal(v.of.v128[0], 0x00);
  refused(LULL_V128, "0x1ffeeddccbbaa99887766554433221100",
          "'0x1ffeeddccbbaa99887766554433221100' is not a v128");
  refused(LULL_V128, "0xg", "'0xg' is not a v128");
  refused(LULL_V128, "12", "'12' is not a v128");
}

static void references_and_misuse(void **state) {
  (void)state;
  assert_null(parse_ok(LULL_FUNCREF, "null").of.funcref);
  assert_null(parse_ok(LULL_EXTERNREF, "null").of.externref);
  refused(LULL_REF(LULL_HT_FUNC, 0), "null",
          "'null': a (ref func) can be given as text only as null");
  refused(LULL_EXTERNREF, "0x1234",
          "'0x1234': a externref can be given as text only as null");
  refused(0x40, "1", "lull_val_parse: 0x40 is not a value type");
  lull_val v;
  assert_int_equal(lull_val_parse(LULL_I32, NULL, &v, NULL), LULL_BADARG);
  assert_int_equal(lull_val_parse(LULL_I32, "1", NULL, NULL), LULL_BADARG);
  assert_int_equal(lull_val_parse(LULL_I32, "x", &v, NULL), LULL_BADARG);
}

/* Formats `v` and reads it back: the same bits. */
static void round_trip(lull_val v, const char *want) {
  char buf[64];
  int n = lull_val_format(&v, buf, sizeof buf);
  assert_int_equal(n, (int)strlen(buf));
  if (want)
    assert_string_equal(buf, want);
  lull_val back = parse_ok(v.type, buf);
  assert_memory_equal(&back.of, &v.of,
                      v.type == LULL_V128  ? 16
                      : v.type == LULL_I32 ? 4
                      : v.type == LULL_F32 ? 4
                                           : 8);
}

static void formatting_reads_back(void **state) {
  (void)state;
  round_trip((lull_val){.type = LULL_I32, .of.i32 = -7}, "-7");
  round_trip((lull_val){.type = LULL_I64, .of.i64 = INT64_MIN},
             "-9223372036854775808");
  round_trip((lull_val){.type = LULL_F32, .of.f32 = 0.1f}, "0.1");
  round_trip((lull_val){.type = LULL_F64, .of.f64 = 0.1}, "0.1");
  round_trip((lull_val){.type = LULL_F64, .of.f64 = 1.0 / 3}, NULL);
  round_trip((lull_val){.type = LULL_F32, .of.f32 = 3.4028235e38f}, NULL);
  round_trip((lull_val){.type = LULL_F64, .of.f64 = -INFINITY}, "-inf");
  lull_val v = {.type = LULL_V128};
  for (int i = 0; i < 16; i++)
    v.of.v128[i] = (uint8_t)(i * 17);
  round_trip(v, "0xffeeddccbbaa99887766554433221100");
  /* Truncated like snprintf, with the whole length returned. */
  char small[4];
  lull_val big = {.type = LULL_I32, .of.i32 = 123456};
  assert_int_equal(lull_val_format(&big, small, sizeof small), 6);
  assert_string_equal(small, "123");
  assert_int_equal(lull_val_format(&big, NULL, 0), 6);
  lull_val r = {.type = LULL_FUNCREF, .of.funcref = NULL};
  assert_int_equal(lull_val_format(&r, small, sizeof small), 4);
  assert_string_equal(small, "nul");
  lull_val bad = {.type = 0x40};
  assert_int_equal(lull_val_format(&bad, small, sizeof small), -1);
  assert_int_equal(lull_val_format(NULL, small, sizeof small), -1);
}

static const char calc[] =
    "(module\n"
    "  (func (export \"mix\") (param i32 i64 f64) (result f64)\n"
    "    (f64.add (f64.convert_i32_s (local.get 0))\n"
    "      (f64.add (f64.convert_i64_s (local.get 1)) (local.get 2))))\n"
    "  (func (export \"boom\") unreachable)\n"
    "  (memory (export \"mem\") 1))\n";

static void calling_by_name(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new_text(e, calc, sizeof calc - 1, &m, &err),
                   LULL_OK);
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  const char *args[3] = {"-1", "0x10", "0.5"};
  lull_val r;
  assert_int_equal(lull_call_text(t, inst, "mix", args, 3, &r, 1, &err),
                   LULL_OK);
  assert_true(r.of.f64 == 15.5);
  /* Misuse: nothing runs, and the message says what. */
  assert_int_equal(lull_call_text(t, inst, "mix", args, 2, &r, 1, &err),
                   LULL_BADARG);
  assert_string_equal(err.message, "'mix' takes 3 arguments, 2 given");
  assert_int_equal(lull_call_text(t, inst, "mix", args, 3, &r, 0, &err),
                   LULL_BADARG);
  assert_string_equal(err.message, "'mix' has 1 results, room for 0 given");
  const char *bad[3] = {"1", "2", "x"};
  assert_int_equal(lull_call_text(t, inst, "mix", bad, 3, &r, 1, &err),
                   LULL_BADARG);
  assert_string_equal(err.message, "argument 3 of 'mix': 'x' is not an f64");
  assert_int_equal(lull_call_text(t, inst, "nope", NULL, 0, NULL, 0, &err),
                   LULL_NOTFOUND);
  assert_string_equal(err.message, "no exported function 'nope'");
  assert_int_equal(lull_call_text(t, inst, "mem", NULL, 0, NULL, 0, &err),
                   LULL_NOTFOUND);
  assert_int_equal(lull_call_text(t, inst, "boom", NULL, 0, NULL, 0, &err),
                   LULL_TRAP);
  assert_string_equal(err.message, "unreachable");
  assert_int_equal(lull_thread_trap_code(t), LULL_TRAP_UNREACHABLE);
  assert_int_equal(lull_call_text(NULL, inst, "mix", args, 3, &r, 1, NULL),
                   LULL_BADARG);
  assert_int_equal(lull_call_text(t, inst, "mix", NULL, 3, &r, 1, NULL),
                   LULL_BADARG);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(integers),
      cmocka_unit_test(floats_and_vectors),
      cmocka_unit_test(references_and_misuse),
      cmocka_unit_test(formatting_reads_back),
      cmocka_unit_test(calling_by_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

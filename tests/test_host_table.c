/*
 * test_host_table.c -- host functions from a table with signature
 * strings: lull_functype_parse on good and bad strings, and
 * lull_linker_define_host defining a table a guest then calls, or nothing
 * at all when one entry is bad.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

static void signatures(void **state) {
  (void)state;
  lull_valtype types[8];
  lull_functype ft;
  lull_error err;
  assert_int_equal(lull_functype_parse("i(ii)", types, 8, &ft, &err), LULL_OK);
  assert_int_equal(ft.nparams, 2);
  assert_int_equal(ft.nresults, 1);
  assert_int_equal(ft.params[0], LULL_I32);
  assert_int_equal(ft.results[0], LULL_I32);
  assert_int_equal(lull_functype_parse("v(*I)", types, 8, &ft, &err), LULL_OK);
  assert_int_equal(ft.nresults, 0);
  assert_int_equal(ft.params[0], LULL_I32);
  assert_int_equal(ft.params[1], LULL_I64);
  assert_int_equal(lull_functype_parse("()", types, 8, &ft, &err), LULL_OK);
  assert_int_equal(ft.nparams + ft.nresults, 0);
  assert_int_equal(lull_functype_parse("IF(rRfV)", types, 8, &ft, &err),
                   LULL_OK);
  static const lull_valtype want[6] = {LULL_EXTERNREF, LULL_FUNCREF, LULL_F32,
                                       LULL_V128, LULL_I64, LULL_F64};
  assert_memory_equal(types, want, sizeof want);
  assert_ptr_equal(ft.results, types + 4);

  static const char *const bad[] = {"i(i", "ii)", "i(i)(", "(i))", "i",
                                    "", "(x)", "vv(i)", "i(i)i"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(lull_functype_parse(bad[i], types, 8, &ft, &err),
                     LULL_BADARG);
  assert_int_equal(lull_functype_parse("(x)", types, 8, &ft, &err),
                   LULL_BADARG);
  assert_string_equal(err.message,
                      "signature \"(x)\": 'x' at 1 is not a type (iIfFV*rR)");
  assert_int_equal(lull_functype_parse("q(i)", types, 8, &ft, &err),
                   LULL_BADARG);
  assert_string_equal(err.message,
                      "signature \"q(i)\": 'q' at 0 is not a type (iIfFV*rR)");
  assert_int_equal(lull_functype_parse("i(iiii)", types, 4, &ft, &err),
                   LULL_LIMIT);
  char many[80] = "(";
  memset(many + 1, 'i', 65);
  strcpy(many + 66, ")");
  assert_int_equal(lull_functype_parse(many, types, 8, &ft, &err), LULL_LIMIT);
  assert_int_equal(lull_functype_parse(NULL, types, 8, &ft, &err),
                   LULL_BADARG);
  assert_int_equal(lull_functype_parse("()", types, 8, NULL, NULL),
                   LULL_BADARG);
}

static lull_hostret add(lull_hostcall *hc, const lull_val *args,
                        lull_val *results, void *env) {
  (void)hc;
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32 + *(int *)env;
  return LULL_HOST_RETURN;
}

static lull_hostret wide(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)hc;
  (void)env;
  results[0].of.i64 = args[0].of.i64 * 2;
  results[1].of.f64 = args[1].of.f64 / 2;
  return LULL_HOST_RETURN;
}

static const char guest[] =
    "(module\n"
    "  (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))\n"
    "  (import \"env\" \"wide\" (func $wide (param i64 f64) (result i64 f64)))\n"
    "  (func (export \"run\") (result i32) (local $a i64) (local $b f64)\n"
    "    (call $wide (i64.const 20) (f64.const 8))\n"
    "    (local.set $b) (local.set $a)\n"
    "    (call $add (i32.wrap_i64 (local.get $a))\n"
    "               (i32.trunc_f64_s (local.get $b)))))\n";

static void a_table_of_host_functions(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_linker *l = lull_linker_new(e);
  int extra = 100;
  const lull_host_def defs[] = {
      {"add", "i(ii)", add, &extra},
      {"wide", "IF(IF)", wide, NULL},
  };
  lull_error err;
  assert_int_equal(lull_linker_define_host(l, "env", defs, 2, &err), LULL_OK);
  lull_module *m;
  assert_int_equal(lull_module_new_text(e, guest, sizeof guest - 1, &m, &err),
                   LULL_OK);
  lull_instance *inst;
  assert_int_equal(lull_linker_instantiate(l, m, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_val r;
  assert_int_equal(
      lull_call(t, lull_instance_func(inst, "run"), NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 40 + 4 + 100);
  lull_engine_free(e);
}

static void a_bad_entry_defines_nothing(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_linker *l = lull_linker_new(e);
  int extra = 0;
  const lull_host_def bad_sig[] = {
      {"add", "i(ii)", add, &extra},
      {"wide", "IF(IF", wide, NULL},
  };
  lull_error err;
  assert_int_equal(lull_linker_define_host(l, "env", bad_sig, 2, &err),
                   LULL_BADARG);
  assert_string_equal(err.message,
                      "\"env\" \"wide\": signature \"IF(IF\": want "
                      "RESULTS(PARAMS), e.g. \"i(ii)\"");
  lull_module *m;
  assert_int_equal(lull_module_new_text(e, guest, sizeof guest - 1, &m, &err),
                   LULL_OK);
  lull_instance *inst;
  /* "add" was not defined either. */
  assert_int_equal(lull_linker_instantiate(l, m, &inst, &err),
                   LULL_UNLINKABLE);
  assert_non_null(strstr(err.message, "\"env\" \"add\""));
  const lull_host_def no_fn[] = {{"add", "i(ii)", NULL, NULL}};
  assert_int_equal(lull_linker_define_host(l, "env", no_fn, 1, &err),
                   LULL_BADARG);
  assert_string_equal(err.message,
                      "host function 0 of \"env\": no name or no function");
  const lull_host_def no_name[] = {{NULL, "i(ii)", add, NULL}};
  assert_int_equal(lull_linker_define_host(l, "env", no_name, 1, NULL),
                   LULL_BADARG);
  assert_int_equal(lull_linker_define_host(l, NULL, no_name, 1, NULL),
                   LULL_BADARG);
  assert_int_equal(lull_linker_define_host(NULL, "env", no_name, 1, NULL),
                   LULL_BADARG);
  assert_int_equal(lull_linker_define_host(l, "env", NULL, 0, NULL), LULL_OK);
  assert_int_equal(lull_linker_define_host(l, "env", NULL, 1, NULL),
                   LULL_BADARG);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(signatures),
      cmocka_unit_test(a_table_of_host_functions),
      cmocka_unit_test(a_bad_entry_defines_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

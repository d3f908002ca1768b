/*
 * test_trap_codes.c -- every trap carries a code beside its message: each
 * kind of Wasm trap, a host function's trap with lull's code or its own,
 * misuse of the API (no code), and the descriptions of the codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

static const char guest[] =
    "(module\n"
    "  (type $v (func))\n"
    "  (import \"h\" \"fail\" (func $fail (param i32)))\n"
    "  (memory 1)\n"
    "  (table 2 funcref)\n"
    "  (elem (i32.const 0) $nop)\n"
    "  (func $nop)\n"
    "  (func (export \"unreachable\") unreachable)\n"
    "  (func (export \"oob\") (drop (i32.load (i32.const 65535))))\n"
    "  (func (export \"div0\") (drop (i32.div_s (i32.const 1) (i32.const 0))))\n"
    "  (func (export \"overflow\")\n"
    "    (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))\n"
    "  (func (export \"conversion\") (drop (i32.trunc_f32_s (f32.const nan))))\n"
    "  (func $deep (export \"deep\") (call $deep))\n"
    "  (func (export \"mismatch\")\n"
    "    (drop (call_indirect (result i32) (i32.const 0))))\n"
    "  (func (export \"undefined\") (call_indirect (type $v) (i32.const 7)))\n"
    "  (func (export \"uninitialized\") (call_indirect (type $v) (i32.const 1)))\n"
    "  (func (export \"table_oob\") (drop (table.get (i32.const 9))))\n"
    "  (func (export \"null\") (call_ref $v (ref.null $v)))\n"
    "  (func (export \"host\") (param i32) (call $fail (local.get 0))))\n";

/* Traps as the argument says: 0 with lull_host_trap, else with that
 * code. */
static lull_hostret host_fail(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)results;
  (void)env;
  if (args[0].of.i32 == 0)
    return lull_host_trap(hc, "the host said no");
  return lull_host_trap_code(hc, (uint32_t)args[0].of.i32, "coded");
}

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->e = lull_engine_new(NULL);
  lull_error err;
  if (lull_module_new_text(f->e, guest, sizeof guest - 1, &f->m, &err) !=
      LULL_OK) {
    fprintf(stderr, "%s\n", err.message);
    return -1;
  }
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {1, 0, i32, NULL};
  lull_extern imp = {LULL_EXTERN_FUNC,
                     {.func = lull_func_new(f->e, &ft, host_fail, NULL, NULL)}};
  if (lull_instantiate(f->e, f->m, &imp, 1, &f->inst, &err) != LULL_OK)
    return -1;
  lull_func_free(imp.of.func);
  f->t = lull_thread_new(f->e);
  lull_thread_set_stack_limit(f->t, 64 << 10);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static uint32_t code_of(fixture *f, const char *name) {
  lull_func *fn = lull_instance_func(f->inst, name);
  assert_non_null(fn);
  assert_int_equal(lull_call(f->t, fn, NULL, 0, NULL, 0), LULL_TRAP);
  uint32_t code = lull_thread_trap_code(f->t);
  /* The message starts with the code's description for lull's traps. */
  if (code != LULL_TRAP_NULL_REFERENCE)
    assert_memory_equal(lull_thread_trap_message(f->t),
                        lull_trap_code_str(code),
                        strlen(lull_trap_code_str(code)));
  return code;
}

static void wasm_traps_have_codes(void **state) {
  fixture *f = *state;
  assert_int_equal(code_of(f, "unreachable"), LULL_TRAP_UNREACHABLE);
  assert_int_equal(code_of(f, "oob"), LULL_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_int_equal(code_of(f, "div0"), LULL_TRAP_DIVIDE_BY_ZERO);
  assert_int_equal(code_of(f, "overflow"), LULL_TRAP_INTEGER_OVERFLOW);
  assert_int_equal(code_of(f, "conversion"), LULL_TRAP_BAD_CONVERSION);
  assert_int_equal(code_of(f, "deep"), LULL_TRAP_STACK_EXHAUSTED);
  assert_int_equal(code_of(f, "mismatch"), LULL_TRAP_INDIRECT_CALL_MISMATCH);
  assert_int_equal(code_of(f, "undefined"), LULL_TRAP_UNDEFINED_ELEMENT);
  assert_int_equal(code_of(f, "uninitialized"),
                   LULL_TRAP_UNINITIALIZED_ELEMENT);
  assert_int_equal(code_of(f, "table_oob"), LULL_TRAP_TABLE_OUT_OF_BOUNDS);
  assert_int_equal(code_of(f, "null"), LULL_TRAP_NULL_REFERENCE);
}

static uint32_t host_code(fixture *f, int32_t arg) {
  lull_val a = {.type = LULL_I32, .of.i32 = arg};
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "host"), &a, 1, NULL, 0),
      LULL_TRAP);
  return lull_thread_trap_code(f->t);
}

static void host_traps_carry_their_code(void **state) {
  fixture *f = *state;
  assert_int_equal(host_code(f, 0), LULL_TRAP_HOST);
  assert_string_equal(lull_thread_trap_message(f->t), "the host said no");
  /* A host that checked bounds itself reports lull's code. */
  assert_int_equal(host_code(f, LULL_TRAP_MEMORY_OUT_OF_BOUNDS),
                   LULL_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_string_equal(lull_thread_trap_message(f->t), "coded");
  assert_int_equal(host_code(f, LULL_TRAP_USER + 42), LULL_TRAP_USER + 42);
  assert_string_equal(lull_trap_code_str(LULL_TRAP_USER + 42),
                      "embedder-defined trap");
  /* Code 0 is no code: the host's trap. */
  assert_int_equal(host_code(f, LULL_TRAP_NONE), LULL_TRAP_HOST);
  /* A host function called straight from lull_call traps the same way. */
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {1, 0, i32, NULL};
  lull_func *h = lull_func_new(f->e, &ft, host_fail, NULL, NULL);
  lull_val a = {.type = LULL_I32, .of.i32 = 7};
  assert_int_equal(lull_call(f->t, h, &a, 1, NULL, 0), LULL_TRAP);
  assert_int_equal(lull_thread_trap_code(f->t), 7);
  lull_func_free(h);
}

static void misuse_and_success_have_no_code(void **state) {
  fixture *f = *state;
  assert_int_equal(host_code(f, 0), LULL_TRAP_HOST);
  /* Misuse: wrong argument count. */
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "host"), NULL, 0, NULL, 0),
      LULL_BADARG);
  assert_int_equal(lull_thread_trap_code(f->t), LULL_TRAP_NONE);
  assert_int_equal(code_of(f, "div0"), LULL_TRAP_DIVIDE_BY_ZERO);
  /* A call that returns clears the code: "oob" reads the last bytes of
   * the first page, inside the memory once it has two. */
  assert_int_equal(lull_memory_grow(lull_instance_memory(f->inst), 1), 1);
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst, "oob"), NULL,
                             0, NULL, 0),
                   LULL_OK);
  assert_int_equal(lull_thread_trap_code(f->t), LULL_TRAP_NONE);
  assert_int_equal(lull_thread_trap_code(NULL), LULL_TRAP_NONE);
}

static void code_descriptions(void **state) {
  (void)state;
  assert_string_equal(lull_trap_code_str(LULL_TRAP_NONE), "no trap");
  assert_string_equal(lull_trap_code_str(LULL_TRAP_STACK_EXHAUSTED),
                      "call stack exhausted");
  assert_string_equal(lull_trap_code_str(LULL_TRAP_OTHER), "other trap");
  assert_string_equal(lull_trap_code_str(LULL_TRAP_OTHER + 1), "?");
  assert_string_equal(lull_trap_code_str(LULL_TRAP_USER - 1), "?");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(wasm_traps_have_codes, setup, teardown),
      cmocka_unit_test_setup_teardown(host_traps_carry_their_code, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(misuse_and_success_have_no_code, setup,
                                      teardown),
      cmocka_unit_test(code_descriptions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_api.c -- the core API: loading, instantiating, calling, host
 * functions, traps and backtraces, deep recursion on the heap stack, the
 * external objects, and every misuse returning an error.
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
#include "suspend_util.h"
#include "test_util.h"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
  lull_func *add;
  lull_func *fail;
  int adds;
} fixture;

static lull_hostret host_add(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  fixture *f = env;
  (void)hc;
  f->adds++;
  results[0].of.i32 = args[0].of.i32 + args[1].of.i32;
  return LULL_HOST_RETURN;
}

static lull_hostret host_fail(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  return lull_host_trap(hc, "the host says no");
}

static int setup_with(void **state, size_t stack_limit) {
  fixture *f = calloc(1, sizeof *f);
  lull_config cfg;
  lull_config_init(&cfg);
  if (stack_limit)
    cfg.stack_limit = stack_limit;
  f->e = lull_engine_new(&cfg);
  assert_non_null(f->e);
  f->m = test_load(f->e, "api");
  static const lull_valtype ii[2] = {LULL_I32, LULL_I32};
  lull_functype add_t = {2, 1, ii, ii};
  lull_functype none_t = {0, 0, NULL, NULL};
  f->add = lull_func_new(f->e, &add_t, host_add, f, NULL);
  f->fail = lull_func_new(f->e, &none_t, host_fail, NULL, NULL);
  assert_non_null(f->add);
  assert_non_null(f->fail);
  lull_extern imports[2] = {{LULL_EXTERN_FUNC, {.func = f->add}},
                            {LULL_EXTERN_FUNC, {.func = f->fail}}};
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, imports, 2, &f->inst, &err),
                   LULL_OK);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
  *state = f;
  return 0;
}

static int setup(void **state) { return setup_with(state, 0); }

static int teardown(void **state) {
  fixture *f = *state;
  lull_thread_free(f->t);
  lull_instance_free(f->inst);
  lull_func_free(f->add);
  lull_func_free(f->fail);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static lull_val i32(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

static void host_function_called_from_wasm(void **state) {
  fixture *f = *state;
  lull_val args[2] = {i32(40), i32(2)}, r;
  lull_func *fn = lull_instance_func(f->inst, "call_add");
  assert_int_equal(lull_call(f->t, fn, args, 2, &r, 1), LULL_OK);
  assert_int_equal(r.type, LULL_I32);
  assert_int_equal(r.of.i32, 42);
  assert_int_equal(f->adds, 1);
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_FINISHED);
}

static void host_trap_unwinds_with_message(void **state) {
  fixture *f = *state;
  lull_func *fn = lull_instance_func(f->inst, "call_fail");
  assert_int_equal(lull_call(f->t, fn, NULL, 0, NULL, 0), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "the host says no");
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_TRAPPED);
  /* The thread is usable again after a trap. */
  lull_val a = i32(5), r;
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst, "id"), &a, 1,
                             &r, 1),
                   LULL_OK);
  assert_int_equal(r.of.i32, 5);
}

static void trap_has_named_backtrace(void **state) {
  fixture *f = *state;
  lull_func *fn = lull_instance_func(f->inst, "outer");
  assert_int_equal(lull_call(f->t, fn, NULL, 0, NULL, 0), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "unreachable");
  lull_frame_info bt[8];
  size_t n = lull_thread_backtrace(f->t, bt, 8);
  assert_int_equal(n, 3);
  assert_string_equal(bt[0].func_name, "inner");
  assert_string_equal(bt[1].func_name, "middle");
  assert_string_equal(bt[2].func_name, "outer");
  assert_true(bt[0].wasm_offset > 0);
  assert_true(bt[1].wasm_offset > bt[0].wasm_offset);
}

static void traps_carry_spec_messages(void **state) {
  fixture *f = *state;
  lull_val args[2] = {i32(1), i32(0)}, r;
  lull_func *div = lull_instance_func(f->inst, "div");
  assert_int_equal(lull_call(f->t, div, args, 2, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "integer divide by zero");
  args[0] = i32(INT32_MIN);
  args[1] = i32(-1);
  assert_int_equal(lull_call(f->t, div, args, 2, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "integer overflow");
  lull_val a = i32(65535);
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "load"), &a, 1, &r, 1),
      LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
}

static void values_of_every_type_cross(void **state) {
  fixture *f = *state;
  lull_val args[4], r[4];
  memset(args, 0, sizeof args);
  args[0].type = LULL_I32;
  args[0].of.i32 = -3;
  args[1].type = LULL_I64;
  args[1].of.i64 = INT64_MIN + 5;
  args[2].type = LULL_F32;
  args[2].of.f32 = 1.5f;
  args[3].type = LULL_F64;
  args[3].of.f64 = -2.25;
  lull_func *fn = lull_instance_func(f->inst, "mix");
  assert_int_equal(lull_call(f->t, fn, args, 4, r, 4), LULL_OK);
  assert_int_equal(r[0].type, LULL_F64);
  assert_true(r[0].of.f64 == -2.25);
  assert_true(r[1].of.f32 == 1.5f);
  assert_true(r[2].of.i64 == INT64_MIN + 5);
  assert_int_equal(r[3].of.i32, -3);
}

static void call_misuse_is_an_error(void **state) {
  fixture *f = *state;
  lull_func *add = lull_instance_func(f->inst, "call_add");
  lull_val args[2] = {i32(1), i32(2)}, r;
  assert_int_equal(lull_call(f->t, add, args, 1, &r, 1), LULL_BADARG);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "arguments"));
  assert_int_equal(lull_call(f->t, add, args, 2, &r, 0), LULL_BADARG);
  assert_int_equal(lull_call(f->t, add, args, 2, NULL, 1), LULL_BADARG);
  assert_int_equal(lull_call(f->t, add, NULL, 2, &r, 1), LULL_BADARG);
  args[1].type = LULL_F32;
  assert_int_equal(lull_call(f->t, add, args, 2, &r, 1), LULL_BADARG);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "argument 1"));
  assert_int_equal(lull_call(f->t, NULL, args, 2, &r, 1), LULL_BADARG);
  assert_int_equal(lull_call(NULL, add, args, 2, &r, 1), LULL_BADARG);
  assert_null(lull_instance_func(f->inst, "no such export"));
  lull_extern x;
  assert_int_equal(lull_instance_export(f->inst, "nope", &x), LULL_NOTFOUND);
  assert_int_equal(lull_instance_export(NULL, "id", &x), LULL_BADARG);
  assert_int_equal(lull_resume(f->t, NULL, 0, NULL, 0), LULL_BADSTATE);
}

static void bad_modules_and_imports_are_errors(void **state) {
  fixture *f = *state;
  lull_error err;
  lull_module *m = NULL;
  static const uint8_t junk[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
  assert_int_equal(lull_module_new(f->e, junk, sizeof junk, &m, &err),
                   LULL_MALFORMED);
  assert_null(m);
  assert_non_null(strstr(err.message, "unknown binary version"));
  assert_int_equal(lull_module_new(f->e, junk, 3, &m, &err), LULL_MALFORMED);
  assert_int_equal(lull_module_new(NULL, junk, 3, &m, &err), LULL_BADARG);
  assert_int_equal(lull_module_new(f->e, NULL, 3, &m, &err), LULL_BADARG);
  /* (func (result i32) (i64.const 0)) */
  static const uint8_t invalid[] = {0,    'a',  's',  'm',  1,    0,    0,
                                    0,    1,    5,    1,    0x60, 0,    1,
                                    0x7f, 3,    2,    1,    0,    10,   6,
                                    1,    4,    0,    0x42, 0,    0x0b};
  assert_int_equal(lull_module_new(f->e, invalid, sizeof invalid, &m, &err),
                   LULL_INVALID);
  assert_non_null(strstr(err.message, "type mismatch"));
  lull_instance *inst = NULL;
  assert_int_equal(lull_instantiate(f->e, f->m, NULL, 0, &inst, &err),
                   LULL_UNLINKABLE);
  assert_null(inst);
  lull_extern wrong[2] = {{LULL_EXTERN_FUNC, {.func = f->fail}},
                          {LULL_EXTERN_FUNC, {.func = f->fail}}};
  assert_int_equal(lull_instantiate(f->e, f->m, wrong, 2, &inst, &err),
                   LULL_UNLINKABLE);
  assert_non_null(strstr(err.message, "incompatible import type"));
  lull_extern kind[2] = {{LULL_EXTERN_MEMORY, {.memory = NULL}},
                         {LULL_EXTERN_FUNC, {.func = f->fail}}};
  assert_int_equal(lull_instantiate(f->e, f->m, kind, 2, &inst, &err),
                   LULL_UNLINKABLE);
}

static void deep_recursion_succeeds_with_room(void **state) {
  fixture *f = *state;
  lull_val a = i32(1000000), r;
  lull_func *depth = lull_instance_func(f->inst, "depth");
  assert_int_equal(lull_call(f->t, depth, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1000000);
}

static void deep_recursion_traps_cleanly_without(void **state) {
  fixture *f = *state;
  lull_val a = i32(1000000), r;
  lull_func *depth = lull_instance_func(f->inst, "depth");
  assert_int_equal(lull_call(f->t, depth, &a, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "call stack exhausted");
  /* Ten levels still fit, and so do ten million with a new engine. */
  a = i32(10);
  assert_int_equal(lull_call(f->t, depth, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 10);
}

static int setup_big_stack(void **state) {
  return setup_with(state, (size_t)512 << 20);
}
static int setup_small_stack(void **state) {
  return setup_with(state, (size_t)1 << 20);
}

static void external_objects(void **state) {
  fixture *f = *state;
  lull_extern x;
  assert_int_equal(lull_instance_export(f->inst, "mem", &x), LULL_OK);
  assert_int_equal(x.kind, LULL_EXTERN_MEMORY);
  lull_memory *mem = x.of.memory;
  assert_int_equal(lull_memory_size(mem), 65536);
  lull_memory_data(mem)[8] = 42;
  lull_val a = i32(8), r;
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "load"), &a, 1, &r, 1),
      LULL_OK);
  assert_int_equal(r.of.i32, 42);
  /* Growing past the module's maximum of 4 pages fails. */
  a = i32(3);
  lull_func *grow = lull_instance_func(f->inst, "grow");
  assert_int_equal(lull_call(f->t, grow, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1);
  assert_int_equal(lull_call(f->t, grow, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, -1);
  assert_int_equal(lull_memory_grow(mem, 1), -1);
  assert_int_equal(lull_memory_size(mem), 4 * 65536);
  assert_int_equal(lull_memory_data(mem)[8], 42);

  assert_int_equal(lull_instance_export(f->inst, "g", &x), LULL_OK);
  lull_val g;
  lull_global_get(x.of.global, &g);
  assert_int_equal(g.type, LULL_I64);
  assert_int_equal(g.of.i64, 7);
  assert_int_equal(lull_global_set(x.of.global, &a, NULL), LULL_BADARG);
  g.of.i64 = 9;
  assert_int_equal(lull_global_set(x.of.global, &g, NULL), LULL_OK);

  lull_val k = i32(1);
  lull_global *imm = lull_global_new(f->e, &k, 0);
  assert_int_equal(lull_global_set(imm, &k, NULL), LULL_BADARG);
  lull_global_free(imm);

  assert_int_equal(lull_instance_export(f->inst, "tab", &x), LULL_OK);
  assert_int_equal(lull_table_size(x.of.table), 2);
  lull_val e0;
  assert_int_equal(lull_table_get(x.of.table, 0, &e0), LULL_OK);
  assert_ptr_equal(e0.of.funcref, lull_instance_func(f->inst, "id"));
  assert_int_equal(lull_table_get(x.of.table, 2, &e0), LULL_BADARG);
  assert_int_equal(lull_table_set(x.of.table, 1, &k), LULL_BADARG);

  lull_limits bad = {3, 2, 1, 0};
  assert_null(lull_memory_new(f->e, bad));
  assert_null(lull_table_new(f->e, LULL_I32, bad, NULL));
}

/* 40,000 v128 locals need 80,000 frame slots, more than register code can
 * address: eager loading refuses the module, lazy loading traps at the
 * function's first call. */
static void function_too_large_to_compile(void **state) {
  (void)state;
  static const uint8_t big[] = {
      0,    'a',  's',  'm',  1,    0, 0, 0,          /* header */
      1,    4,    1,    0x60, 0,    0,                /* type () -> () */
      3,    2,    1,    0,                            /* func 0: type 0 */
      7,    5,    1,    1,    'f',  0, 0,             /* export "f" */
      10,   8,    1,    6,    1,    0xc0, 0xb8, 0x02, /* 40000 locals */
      0x7b, 0x0b};                                    /* v128; end */
  lull_error err;
  lull_module *m;
  lull_engine *e = lull_engine_new(NULL);
  assert_int_equal(lull_module_new(e, big, sizeof big, &m, &err), LULL_LIMIT);
  assert_non_null(strstr(err.message, "frame slots"));
  lull_engine_free(e);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.lazy_compile = 1;
  e = lull_engine_new(&cfg);
  assert_int_equal(lull_module_new(e, big, sizeof big, &m, &err), LULL_OK);
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  assert_int_equal(lull_call(t, lull_instance_func(inst, "f"), NULL, 0, NULL, 0),
                   LULL_TRAP);
  assert_non_null(strstr(lull_thread_trap_message(t), "frame slots"));
  lull_engine_free(e);
}

/* A table of 20,000,000 elements is over lull's limit. */
static void table_over_the_limit(void **state) {
  (void)state;
  static const uint8_t big[] = {0,    'a',  's',  'm',  1,    0,    0, 0,
                                4,    7,    1,    0x70, 0,    0x80, 0xda,
                                0xc4, 0x09};
  lull_error err;
  lull_module *m;
  lull_engine *e = lull_engine_new(NULL);
  assert_int_equal(lull_module_new(e, big, sizeof big, &m, &err), LULL_OK);
  lull_instance *inst = NULL;
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, &err), LULL_LIMIT);
  assert_null(inst);
  assert_non_null(strstr(err.message, "table 0"));
  lull_engine_free(e);
}

static void limits_and_lookups_misused(void **state) {
  fixture *f = *state;
  lull_memory *mem = lull_instance_memory(f->inst);
  assert_int_equal(lull_memory_limit(mem, 0), LULL_BADARG);
  assert_int_equal(lull_memory_limit(NULL, 4), LULL_BADARG);
  assert_int_equal(lull_memory_limit(mem, 2), LULL_OK);
  assert_int_equal(lull_memory_grow(mem, 2), -1);
  assert_int_equal(lull_memory_grow(mem, 1), 1);
  lull_linker *l = lull_linker_new(f->e);
  lull_extern x[2];
  lull_error err;
  assert_int_equal(lull_linker_resolve(l, f->m, x, 1, &err), LULL_BADARG);
  assert_int_equal(lull_linker_resolve(l, f->m, x, 2, &err), LULL_UNLINKABLE);
  assert_non_null(strstr(err.message, "unknown import"));
  lull_extern add = {LULL_EXTERN_FUNC, {.func = f->add}};
  lull_extern fail = {LULL_EXTERN_FUNC, {.func = f->fail}};
  assert_int_equal(lull_linker_define(l, "env", "add", &add), LULL_OK);
  assert_int_equal(lull_linker_define(l, "env", "fail", &fail), LULL_OK);
  assert_int_equal(lull_linker_resolve(l, f->m, x, 2, &err), LULL_OK);
  assert_ptr_equal(x[0].of.func, f->add);
  assert_ptr_equal(x[1].of.func, f->fail);
  lull_linker_free(l);
}

/* Load, instantiate and call with the n-th allocation failing, for every
 * n until all of it succeeds: each step fails cleanly and nothing leaks. */
static void out_of_memory_at_every_step(void **state) {
  (void)state;
  size_t len;
  char path[1024];
  snprintf(path, sizeof path, "%s/api.wasm", LULL_TEST_WASM_DIR);
  unsigned char *bytes = test_read_file(path, &len);
  assert_non_null(bytes);
  int done = 0;
  for (long n = 0; !done; n++) {
    failing fa = {{0, 0}, n};
    lull_engine *e = failing_engine(&fa);
    if (e) {
      lull_module *m = NULL;
      lull_error err;
      lull_status s = lull_module_new(e, bytes, len, &m, &err);
      if (s != LULL_OK) {
        assert_int_equal(s, LULL_NOMEM);
      } else {
        static const lull_valtype ii[2] = {LULL_I32, LULL_I32};
        lull_functype add_t = {2, 1, ii, ii};
        lull_functype none_t = {0, 0, NULL, NULL};
        lull_func *add = lull_func_new(e, &add_t, host_add, NULL, NULL);
        lull_func *fail = lull_func_new(e, &none_t, host_fail, NULL, NULL);
        lull_thread *t = lull_thread_new(e);
        lull_instance *inst = NULL;
        if (add && fail && t) {
          lull_extern im[2] = {{LULL_EXTERN_FUNC, {.func = add}},
                               {LULL_EXTERN_FUNC, {.func = fail}}};
          s = lull_instantiate(e, m, im, 2, &inst, &err);
          if (s == LULL_OK) {
            lull_val a = i32(100), r;
            s = lull_call(t, lull_instance_func(inst, "depth"), &a, 1, &r, 1);
            if (s == LULL_OK) {
              assert_int_equal(r.of.i32, 100);
              done = 1;
            } else {
              assert_int_equal(s, LULL_TRAP);
            }
          } else {
            if (s != LULL_NOMEM && s != LULL_TRAP)
              fail_msg("instantiate: %s", err.message);
          }
        }
        /* Free some objects by hand, leave the rest to the engine. */
        lull_instance_free(inst);
        lull_func_free(add);
      }
      lull_engine_free(e);
    }
    assert_int_equal(fa.c.bad_size, 0);
    assert_int_equal(fa.c.live, 0);
  }
  free(bytes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(host_function_called_from_wasm, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(host_trap_unwinds_with_message, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(trap_has_named_backtrace, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(traps_carry_spec_messages, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(values_of_every_type_cross, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(call_misuse_is_an_error, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(bad_modules_and_imports_are_errors,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(deep_recursion_succeeds_with_room,
                                      setup_big_stack, teardown),
      cmocka_unit_test_setup_teardown(deep_recursion_traps_cleanly_without,
                                      setup_small_stack, teardown),
      cmocka_unit_test_setup_teardown(external_objects, setup, teardown),
      cmocka_unit_test(out_of_memory_at_every_step),
      cmocka_unit_test(function_too_large_to_compile),
      cmocka_unit_test(table_over_the_limit),
      cmocka_unit_test_setup_teardown(limits_and_lookups_misused, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

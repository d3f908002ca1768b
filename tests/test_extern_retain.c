/*
 * test_extern_retain.c -- a host keeping exports past their instance
 * (lull_extern_retain/release), and growing tables from the host
 * (lull_table_grow), misuse included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

static const char wat[] =
    "(module (memory (export \"mem\") 1)"
    " (table (export \"tab\") 1 3 funcref)"
    " (func $seven (export \"seven\") (result i32) (i32.const 7))"
    " (func (export \"call0\") (result i32)"
    "   (call_indirect (result i32) (i32.const 0))))";

static lull_instance *instantiate(lull_engine *e) {
  lull_module *m;
  lull_instance *inst;
  assert_int_equal(lull_module_new_text(e, wat, strlen(wat), &m, NULL),
                   LULL_OK);
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, NULL), LULL_OK);
  lull_module_free(m);
  return inst;
}

static void export_outlives_instance(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_instance *inst = instantiate(e);
  lull_extern f, mem;
  assert_int_equal(lull_instance_export(inst, "seven", &f), LULL_OK);
  assert_int_equal(lull_instance_export(inst, "mem", &mem), LULL_OK);
  assert_int_equal(lull_extern_retain(&f), LULL_OK);
  assert_int_equal(lull_extern_retain(&mem), LULL_OK);
  lull_instance_free(inst);

  /* The function (and so its instance) and the memory are still there. */
  lull_thread *t = lull_thread_new(e);
  lull_val r;
  assert_int_equal(lull_call(t, f.of.func, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7);
  lull_memory_data(mem.of.memory)[10] = 1;
  assert_int_equal(lull_memory_pages(mem.of.memory), 1);
  lull_extern_release(&f);
  lull_extern_release(&mem);
  lull_thread_free(t);

  /* Misuse: nothing to retain, nothing to release. */
  lull_extern none = {.kind = LULL_EXTERN_FUNC, .of.func = NULL};
  assert_int_equal(lull_extern_retain(&none), LULL_BADARG);
  assert_int_equal(lull_extern_retain(NULL), LULL_BADARG);
  lull_extern_release(&none);
  lull_extern_release(NULL);
  lull_engine_free(e);
}

static void table_grow(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_instance *inst = instantiate(e);
  lull_extern tab, seven;
  assert_int_equal(lull_instance_export(inst, "tab", &tab), LULL_OK);
  assert_int_equal(lull_instance_export(inst, "seven", &seven), LULL_OK);
  lull_table *t = tab.of.table;
  lull_val fv = {.type = LULL_FUNCREF, .of.funcref = seven.of.func};
  assert_int_equal(lull_table_grow(t, 1, &fv), 1);
  assert_int_equal(lull_table_size(t), 2);
  lull_val got;
  assert_int_equal(lull_table_get(t, 1, &got), LULL_OK);
  assert_ptr_equal(got.of.funcref, seven.of.func);
  assert_int_equal(lull_table_grow(t, 0, NULL), 2);
  assert_int_equal(lull_table_grow(t, 1, NULL), 2);
  /* Past the maximum of 3, a value of the wrong kind, no table. */
  assert_int_equal(lull_table_grow(t, 1, NULL), -1);
  lull_val ext = {.type = LULL_EXTERNREF, .of.externref = &got};
  assert_int_equal(lull_table_grow(t, 0, &ext), -1);
  assert_int_equal(lull_table_grow(NULL, 1, NULL), -1);
  assert_int_equal(lull_table_grow(t, UINT64_MAX, NULL), -1);
  assert_int_equal(lull_table_size(t), 3);

  /* A host table of a non-nullable type takes no nulls when growing. */
  lull_table *nn = lull_table_new(e, LULL_REF(LULL_HT_FUNC, 0),
                                  (lull_limits){0, 4, 1, 0}, NULL);
  assert_non_null(nn);
  assert_int_equal(lull_table_grow(nn, 1, NULL), -1);
  assert_int_equal(lull_table_grow(nn, 2, &fv), 0);
  assert_int_equal(lull_table_size(nn), 2);
  lull_table_free(nn);
  lull_instance_free(inst);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(export_outlives_instance),
      cmocka_unit_test(table_grow),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_empty_arrays.c -- lull keeps no array for an empty thing (a table
 * of size 0, a function type without parameters or results, a frame
 * without references), and every path that indexes such an array must not
 * do arithmetic on its NULL pointer. The sanitizer builds (clang's UBSan
 * reports NULL + 0) make each case here fail if one does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "test_util.h"

/* () -> (): parks its caller once, then returns. */
static lull_hostret tick(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)args;
  (void)results;
  int *parked = env;
  if (!*parked) {
    *parked = 1;
    return lull_host_suspend(hc, 7);
  }
  return LULL_HOST_RETURN;
}

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_func *tick;
  lull_instance *inst;
  lull_thread *t;
  int parked;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->e = lull_engine_new(NULL);
  f->m = test_load(f->e, "empty_arrays");
  const char *mod, *name;
  lull_externtype ty;
  assert_int_equal(lull_module_import(f->m, 0, &mod, &name, &ty), LULL_OK);
  assert_int_equal(ty.kind, LULL_EXTERN_FUNC);
  assert_int_equal(ty.of.func.nparams, 0);
  assert_int_equal(ty.of.func.nresults, 0);
  f->tick = lull_func_new(f->e, &ty.of.func, tick, &f->parked, NULL);
  assert_non_null(f->tick);
  lull_extern im = {.kind = LULL_EXTERN_FUNC};
  im.of.func = f->tick;
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, &im, 1, &f->inst, &err),
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
  lull_func_free(f->tick);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static void types_without_values(void **state) {
  fixture *f = *state;
  for (size_t i = 0; i < lull_module_export_count(f->m); i++) {
    const char *name;
    lull_externtype ty;
    assert_int_equal(lull_module_export(f->m, i, &name, &ty), LULL_OK);
    if (strcmp(name, "nothing") == 0) {
      assert_int_equal(ty.of.func.nparams, 0);
      assert_int_equal(ty.of.func.nresults, 0);
    }
  }
  lull_functype ft = lull_func_type(lull_instance_func(f->inst, "nothing"));
  assert_int_equal(ft.nparams + ft.nresults, 0);
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "nothing"), NULL, 0, NULL, 0),
      LULL_OK);
}

static void zero_length_ops_on_an_empty_table(void **state) {
  fixture *f = *state;
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst,
                                                      "empty_table_ops"),
                             NULL, 0, NULL, 0),
                   LULL_OK);
}

/* A () -> () host call parks; the snapshot walks frames with no
 * reference slots, and the copy read back resumes to the result. */
static void snapshot_of_frames_without_references(void **state) {
  fixture *f = *state;
  lull_val r;
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "ticks"), NULL, 0, &r, 1),
      LULL_SUSPENDED);
  uint8_t *snap;
  size_t len;
  lull_error err;
  assert_int_equal(
      lull_snapshot_write(f->t, f->inst, NULL, 0, &snap, &len, &err),
      LULL_OK);
  lull_extern im = {.kind = LULL_EXTERN_FUNC};
  im.of.func = f->tick;
  lull_instance *inst2;
  lull_thread *t2;
  assert_int_equal(lull_snapshot_read(f->e, f->m, &im, 1, snap, len, &inst2,
                                      &t2, NULL, NULL, &err),
                   LULL_OK);
  assert_int_equal(lull_resume(t2, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 42);
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 42);
  lull_thread_free(t2);
  lull_instance_free(inst2);
  lull_snapshot_free(f->e, snap, len);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(types_without_values, setup, teardown),
      cmocka_unit_test_setup_teardown(zero_length_ops_on_an_empty_table,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(snapshot_of_frames_without_references,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

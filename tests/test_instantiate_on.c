/*
 * test_instantiate_on.c -- lull_instantiate_on and
 * lull_linker_instantiate_on: the start function runs on the caller's
 * thread, so its trap can be read there with its backtrace; misuse is
 * refused.
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
#include "test_util.h"

static void start_trap_leaves_its_backtrace(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = test_load(e, "start_calls");
  lull_thread *t = lull_thread_new(e);
  assert_non_null(t);
  lull_instance *inst = (lull_instance *)1;
  lull_error err;
  assert_int_equal(lull_instantiate_on(e, m, NULL, 0, t, &inst, &err),
                   LULL_TRAP);
  assert_null(inst);
  assert_non_null(strstr(err.message, "unreachable"));
  assert_int_equal(lull_thread_state_of(t), LULL_THREAD_TRAPPED);
  lull_frame_info fr[4];
  assert_int_equal(lull_thread_backtrace(t, fr, 4), 2);
  assert_string_equal(fr[0].func_name, "deep");
  assert_string_equal(fr[1].func_name, "start_trap");
  /* The thread is still usable, through the linker this time. */
  lull_linker *l = lull_linker_new(e);
  assert_int_equal(lull_linker_instantiate_on(l, m, t, &inst, &err),
                   LULL_TRAP);
  assert_int_equal(lull_thread_backtrace(t, fr, 4), 2);
  lull_linker_free(l);
  lull_thread_free(t);
  lull_module_free(m);
  lull_engine_free(e);
}

static void misuse_is_refused(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = test_load(e, "start_calls");
  lull_instance *inst = (lull_instance *)1;
  lull_error err;
  assert_int_equal(lull_instantiate_on(e, m, NULL, 0, NULL, &inst, &err),
                   LULL_BADARG);
  assert_null(inst);
  lull_linker *l = lull_linker_new(e);
  assert_int_equal(lull_linker_instantiate_on(l, m, NULL, &inst, &err),
                   LULL_TRAP); /* NULL: a thread of its own, as before */
  lull_linker_free(l);
  lull_module_free(m);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(start_trap_leaves_its_backtrace),
      cmocka_unit_test(misuse_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

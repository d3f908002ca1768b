/*
 * test_oom_compile.c -- out of memory at every allocation of loading and
 * compiling a function with a br_table of 300 targets, an instruction
 * bigger than the compiler's first code buffer: whichever allocation
 * fails, loading ends with LULL_NOMEM and gives every byte back (under
 * ASan, nothing is written past a buffer), and once nothing fails the
 * function works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lull.h"
#include "suspend_util.h"
#include "test_util.h"

static void out_of_memory_at_every_step(void **state) {
  (void)state;
  size_t len;
  unsigned char *bytes = test_wasm_bytes("big_br_table", &len);
  long n;
  for (n = 0;; n++) {
    failing fa = {{0, 0}, n};
    lull_engine *e = failing_engine(&fa);
    int done = 0;
    if (e) {
      lull_module *m = NULL;
      lull_error err;
      lull_status s = lull_module_new(e, bytes, len, &m, &err);
      if (s == LULL_OK) {
        lull_instance *inst;
        lull_thread *t = lull_thread_new(e);
        if (t && lull_instantiate(e, m, NULL, 0, &inst, &err) == LULL_OK) {
          lull_val a = {.type = LULL_I32, .of.i32 = 5}, r;
          done = lull_call(t, lull_instance_func(inst, "pick"), &a, 1, &r,
                           1) == LULL_OK;
          if (done)
            assert_int_equal(r.of.i32, 7);
        }
      } else if (s != LULL_NOMEM) {
        fail_msg("allocation %ld: %s", n, err.message);
      }
      lull_engine_free(e);
    }
    assert_int_equal(fa.c.bad_size, 0);
    assert_int_equal(fa.c.live, 0);
    if (done && fa.countdown > 0)
      break;
  }
  assert_true(n > 10);
  free(bytes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(out_of_memory_at_every_step),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_loop_many.c -- 10,000 guests that each sleep 1 second, started
 * together on one loop, all finish with their own exit codes. One after
 * another that would take close to three hours; together it takes little
 * more than the one second (the bound is a generous 30 s, for slow and
 * sanitized builds). The real figures are bench/'s business.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_uv.h"
#include "test_util.h"

enum { GUESTS = 10000 };

typedef struct tally {
  int exited, wrong;
  uint32_t *codes; /* the code each guest exited with, +1 (0: not yet) */
} tally;

static void on_exit_cb(lull_uv_task *task, const lull_uv_exit *ex, void *ud) {
  tally *t = ud;
  size_t i = (size_t)(uintptr_t)lull_uv_task_data(task);
  if (ex->kind != LULL_UV_EXITED || t->codes[i] != 0)
    t->wrong++;
  t->codes[i] = ex->code + 1;
  t->exited++;
}

static void ten_thousand_sleepers(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  assert_non_null(e);
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  lull_uv_sched *s = lull_uv_sched_new(&loop, e, NULL);
  assert_non_null(s);
  lull_module *m = test_load(e, "loop_guest");
  tally t = {0, 0, calloc(GUESTS, sizeof(uint32_t))};
  assert_non_null(t.codes);

  uint64_t t0 = uv_hrtime();
  for (size_t i = 0; i < GUESTS; i++) {
    lull_val args[2];
    memset(args, 0, sizeof args);
    args[0].type = LULL_I64;
    args[0].of.i64 = 1000; /* ms */
    args[1].type = LULL_I32;
    args[1].of.i32 = (int32_t)(i % 200);
    lull_uv_task_config cfg;
    lull_uv_task_config_init(&cfg);
    cfg.entry = "sleep_exit";
    cfg.args = args;
    cfg.nargs = 2;
    lull_uv_task *task;
    lull_error err;
    if (lull_uv_task_spawn(s, m, &cfg, on_exit_cb, &t, &task, &err) !=
        LULL_OK)
      fail_msg("guest %zu: %s", i, err.message);
    lull_uv_task_set_data(task, (void *)(uintptr_t)i);
  }
  double spawned = (double)(uv_hrtime() - t0) / 1e9;
  uv_run(&loop, UV_RUN_DEFAULT);
  double total = (double)(uv_hrtime() - t0) / 1e9;
  print_message("10000 guests: spawned in %.2f s, all done after %.2f s\n",
                spawned, total);

  assert_int_equal(t.exited, GUESTS);
  assert_int_equal(t.wrong, 0);
  for (size_t i = 0; i < GUESTS; i++)
    assert_int_equal(t.codes[i], i % 200 + 1);
  assert_true(total >= 1.0);
  if (total > 30.0)
    fail_msg("10000 sleeping guests took %.1f s", total);

  free(t.codes);
  lull_uv_sched_free(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_module_free(m);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ten_thousand_sleepers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_loop_gc.c -- a guest allocating without bound on a shared loop:
 * it meets the engine's GC heap limit and traps ("out of memory") while
 * another guest on the same scheduler runs to its end, and once its task
 * is gone a collection takes its objects back. The guests are
 * tests/wat/loop_gc.wat.
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

typedef struct outcome {
  int calls;
  lull_uv_exit_kind kind;
  char message[256];
  int32_t result;
} outcome;

static void record_exit(lull_uv_task *task, const lull_uv_exit *ex,
                        void *ud) {
  outcome *o = ud;
  (void)task;
  o->calls++;
  o->kind = ex->kind;
  snprintf(o->message, sizeof o->message, "%s", ex->message);
  if (ex->nresults == 1)
    o->result = ex->results[0].of.i32;
}

static void spawn(lull_uv_sched *s, lull_module *m, const char *entry,
                  const lull_val *args, size_t nargs, outcome *o) {
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.entry = entry;
  cfg.args = args;
  cfg.nargs = nargs;
  lull_error err;
  if (lull_uv_task_spawn(s, m, &cfg, record_exit, o, NULL, &err) != LULL_OK)
    fail_msg("spawn %s: %s", entry, err.message);
}

/* What "work" returns for n, computed here. */
static int32_t work(int32_t n) {
  uint32_t s = 0;
  for (; n; n--)
    s = s * 31u + (uint32_t)n;
  return (int32_t)s;
}

static void hog_traps_while_another_runs(void **state) {
  (void)state;
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  lull_config ec;
  lull_config_init(&ec);
  ec.gc_heap_limit = 16 << 20;
  lull_engine *e = lull_engine_new(&ec);
  assert_non_null(e);
  lull_uv_config cfg;
  lull_uv_config_init(&cfg);
  cfg.fuel_slice = 20000;
  lull_uv_sched *s = lull_uv_sched_new(&loop, e, &cfg);
  assert_non_null(s);
  lull_module *m = test_load(e, "loop_gc");
  outcome hog = {0}, worker = {0};
  lull_val n = test_i32(20000000);
  spawn(s, m, "hog", NULL, 0, &hog);
  spawn(s, m, "work", &n, 1, &worker);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(hog.calls, 1);
  assert_int_equal(hog.kind, LULL_UV_TRAPPED);
  assert_non_null(strstr(hog.message, "out of memory"));
  assert_int_equal(worker.calls, 1);
  assert_int_equal(worker.kind, LULL_UV_EXITED);
  assert_int_equal(worker.result, work(20000000));
  /* The hog's instance went with its task: its list is garbage now. */
  assert_int_equal(lull_gc_collect(e), LULL_OK);
  lull_gc_stats st;
  lull_gc_stats_get(e, &st);
  assert_true(st.peak_bytes > (8u << 20));
  assert_true(st.bytes < (1u << 20));
  lull_uv_sched_free(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_module_free(m);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hog_traps_while_another_runs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

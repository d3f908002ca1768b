/*
 * test_engine_alloc.c -- malloc's interface on the engine's allocator
 * (lull_malloc and its family): blocks counted by the embedder's
 * allocator, contents kept by realloc, misuse refused; and the WASI
 * layer's context, its strings, preopens and descriptor table taken from
 * the engine's allocator too, with nothing left after an allocation fails
 * anywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode_util.h"
#include "lull.h"
#include "lull_wasi.h"

static lull_engine *counted_engine(counting *cnt) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = counting_alloc;
  cfg.alloc_ud = cnt;
  return lull_engine_new(&cfg);
}

static void the_family(void **state) {
  (void)state;
  counting cnt = {0, -1, 0, 0, 0};
  lull_engine *e = counted_engine(&cnt);
  size_t base = cnt.nblocks;
  char *p = lull_malloc(e, 10);
  assert_non_null(p);
  assert_int_equal(cnt.nblocks, base + 1);
  memcpy(p, "0123456789", 10);
  p = lull_realloc(e, p, 100000);
  assert_non_null(p);
  assert_memory_equal(p, "0123456789", 10);
  p = lull_realloc(e, p, 4);
  assert_memory_equal(p, "0123", 4);
  uint32_t *z = lull_calloc(e, 1000, sizeof *z);
  for (int i = 0; i < 1000; i++)
    assert_int_equal(z[i], 0);
  char *s = lull_strdup(e, "engine");
  assert_string_equal(s, "engine");
  assert_int_equal(cnt.nblocks, base + 3);
  lull_free(e, p);
  lull_free(e, z);
  lull_free(e, s);
  assert_int_equal(cnt.nblocks, base);
  /* Misuse and edges. */
  assert_null(lull_malloc(NULL, 1));
  assert_null(lull_malloc(e, 0));
  assert_null(lull_malloc(e, SIZE_MAX));
  assert_null(lull_calloc(e, SIZE_MAX / 2, 4));
  assert_null(lull_strdup(e, NULL));
  p = lull_realloc(e, NULL, 8);
  assert_non_null(p);
  assert_null(lull_realloc(e, p, 0)); /* refused: p is left as it was */
  assert_null(lull_realloc(e, p, SIZE_MAX));
  lull_free(e, p);
  lull_free(e, NULL);
  lull_free(NULL, NULL);
  assert_int_equal(cnt.nblocks, base);
  /* The allocator saying no. */
  cnt.fail_at = cnt.calls;
  assert_null(lull_malloc(e, 8));
  assert_null(lull_strdup(e, "x"));
  cnt.fail_at = -1;
  lull_engine_free(e);
  assert_int_equal(cnt.live, 0);
}

static void no_wake(void *ud, lull_thread *t, const lull_val *results,
                    size_t n) {
  (void)ud;
  (void)t;
  (void)results;
  (void)n;
}

/* Makes and frees a WASI context with arguments, environment and a
 * preopen; returns whether it was made. */
static int wasi_once(lull_engine *e, uv_loop_t *loop) {
  static const char *const argv[] = {"prog", "one", "two"};
  static const char *const env[] = {"A=1", "B=2"};
  lull_wasi_preopen pre = {".", "/data"};
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.argc = 3;
  cfg.argv = argv;
  cfg.envc = 2;
  cfg.env = env;
  cfg.npreopens = 1;
  cfg.preopens = &pre;
  lull_error err;
  lull_wasi *w = lull_wasi_new(e, loop, &cfg, no_wake, NULL, &err);
  if (!w) {
    if (err.status != LULL_NOMEM)
      fail_msg("%s", err.message);
    return 0;
  }
  lull_wasi_free(w);
  return 1;
}

static void wasi_contexts_use_the_engine(void **state) {
  (void)state;
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  counting cnt = {0, -1, 0, 0, 0};
  lull_engine *e = counted_engine(&cnt);
  long before = cnt.calls;
  assert_true(wasi_once(e, &loop));
  /* The context, its strings, preopen and descriptor table: several
   * blocks from the engine's allocator, all given back. */
  assert_true(cnt.calls - before >= 5);
  lull_engine_free(e);
  assert_int_equal(cnt.live, 0);
  /* An allocation failing anywhere leaves nothing behind. */
  int made = 0;
  for (long n = 0; n < 200 && !made; n++) {
    counting c = {0, -1, 0, 0, 0};
    e = counted_engine(&c);
    c.fail_at = c.calls + n;
    made = wasi_once(e, &loop);
    lull_engine_free(e);
    assert_int_equal(c.live, 0);
    assert_int_equal(c.nblocks, 0);
  }
  assert_true(made);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_family),
      cmocka_unit_test(wasi_contexts_use_the_engine),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

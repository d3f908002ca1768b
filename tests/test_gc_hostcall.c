/*
 * test_gc_hostcall.c -- GC objects passed through lull_host_call: a host
 * function hands its struct argument to a Wasm callee that makes enough
 * garbage to run the collector many times, and the continuation gets the
 * struct back, makes objects and collects the whole heap before it reads
 * the struct and returns it. The struct must stay alive and whole all
 * along (ASan would see it freed), and no garbage may pile up.
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

typedef struct host {
  lull_engine *e;
  lull_func *churn;
  const lull_cont *k;
  uint32_t box_type;
  int calls;
} host;

static lull_hostret after_churn(lull_hostcall *hc, const lull_val *got,
                                void *state, size_t state_len,
                                lull_val *results, void *env) {
  (void)state;
  (void)state_len;
  host *h = env;
  assert_non_null(got);
  /* More objects, and a whole collection, while the box is only in the
   * callee's results. */
  lull_val field = {.type = LULL_I32, .of.i32 = 7}, other;
  for (int i = 0; i < 1000; i++)
    assert_int_equal(lull_gc_struct_new(h->e, h->box_type, &field, 1, &other),
                     LULL_OK);
  assert_int_equal(lull_gc_collect(h->e), LULL_OK);
  lull_val v;
  assert_int_equal(lull_gc_struct_get(h->e, &got[0], 0, &v), LULL_OK);
  results[0] = got[0];
  results[1].type = LULL_I32;
  results[1].of.i32 = v.of.i32;
  (void)hc;
  return LULL_HOST_RETURN;
}

static lull_hostret twice(lull_hostcall *hc, const lull_val *args,
                          lull_val *results, void *env) {
  (void)results;
  host *h = env;
  h->calls++;
  return lull_host_call(hc, h->churn, args, 1, h->k, NULL, 0);
}

static void struct_survives_a_host_call(void **state) {
  (void)state;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.gc_heap_limit = 2u << 20; /* churn makes about 10 MB */
  host h;
  memset(&h, 0, sizeof h);
  h.e = lull_engine_new(&cfg);
  assert_non_null(h.e);
  lull_module *m = test_load(h.e, "gc_hostcall");
  assert_int_equal(lull_module_type_id(m, 0, &h.box_type), LULL_OK);
  h.k = lull_cont_register(h.e, "after_churn", after_churn, &h);
  assert_non_null(h.k);
  const char *mod, *name;
  lull_externtype ty;
  assert_int_equal(lull_module_import(m, 0, &mod, &name, &ty), LULL_OK);
  lull_func *tw = lull_func_new(h.e, &ty.of.func, twice, &h, NULL);
  assert_non_null(tw);
  lull_extern im = {LULL_EXTERN_FUNC, {.func = tw}};
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(h.e, m, &im, 1, &inst, &err), LULL_OK);
  h.churn = lull_instance_func(inst, "churn");
  lull_thread *t = lull_thread_new(h.e);
  lull_val r;
  lull_status s = lull_call(t, lull_instance_func(inst, "run"), NULL, 0, &r, 1);
  if (s != LULL_OK)
    fail_msg("run: %s", lull_thread_trap_message(t));
  assert_int_equal(h.calls, 1);
  assert_int_equal(r.of.i32, 82); /* 41 seen by the host, 41 by Wasm */
  lull_gc_stats st;
  lull_gc_stats_get(h.e, &st);
  assert_true(st.cycles + st.full > 3);  /* the collector ran meanwhile */
  assert_true(st.peak_bytes <= cfg.gc_heap_limit);
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_func_free(tw);
  lull_module_free(m);
  lull_engine_free(h.e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(struct_survives_a_host_call),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_suspend_chain.c -- host functions that call Wasm with lull_host_call
 * and continue in a registered continuation: a chain of 100 host-to-Wasm
 * calls parked at the bottom and resumed, continuations that call again or
 * park themselves, fuel running out inside the chain, a trap at the bottom,
 * and lull_host_call's misuse traps.
 *
 * The guest (tests/wat/suspend_chain.wat) has wasm(n) = host(n) * 3 + n.
 * host(n) for n > 0 calls wasm(n - 1) through lull_host_call, and its
 * continuation turns that result into host(n)'s; host(0) parks (or traps,
 * or returns) as the test asks. So lull_call(wasm, 100) puts 100 host
 * frames and 101 Wasm frames on the heap stack.
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

#define LEVELS 100
#define BOTTOM_TAG ((uintptr_t)0xb0)
/* Levels whose continuation calls twice() before returning. */
#define AGAIN_EVERY 10
#define AGAIN_AT 5
/* The level whose continuation parks. */
#define PARK_LEVEL 50
#define PARK_TAG ((uintptr_t)0x1000 + PARK_LEVEL)
#define MAX_STATE 64

typedef enum bottom { BOTTOM_PARK, BOTTOM_TRAP, BOTTOM_RETURN } bottom;

typedef struct fixture {
  counting mem;
  lull_engine *e;
  lull_module *m;
  lull_func *host;
  lull_func *misuse;
  lull_instance *inst;
  lull_thread *t;
  lull_func *wasm, *twice, *spin;
  const lull_cont *k, *k_again, *k_spin, *k_bad;
  bottom at_bottom;
  int park_level;   /* the level whose continuation parks; 0: none */
  int spin_level;   /* the level that first calls spin(); 0: none */
  /* What happened, in order. */
  int log[4 * LEVELS];
  int nlog;
  int32_t stash;    /* what the parking continuation would have returned */
  uintptr_t frames[LEVELS + 1]; /* host(n)'s C frame address */
  int bad_state;    /* a continuation found state bytes it did not expect */
} fixture;

/* The state a level's continuation keeps: a phase byte, the level, and a
 * pattern whose length depends on the level, so records of many sizes
 * are copied, kept and freed. */
typedef struct level_state {
  uint8_t phase;    /* 0: first call of the continuation; 1: after twice */
  uint8_t level;
  uint8_t pattern[MAX_STATE - 2];
} level_state;

static size_t state_len(int level) { return 2 + (size_t)(level * 7 % 50); }

static uint8_t pattern_byte(int level, size_t i) {
  return (uint8_t)(level * 31 + (int)i * 5 + 1);
}

static lull_val i32(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

/* The sum of the pattern bytes: what a continuation adds to its result,
 * so it must have seen every byte of its state. */
static int32_t pattern_sum(int level) {
  int32_t s = 0;
  for (size_t i = 2; i < state_len(level); i++)
    s += pattern_byte(level, i - 2);
  return s;
}

/* Checks the state bytes and returns the level they belong to, or -1. */
static int check_state(fixture *f, const void *state, size_t len,
                       uint8_t phase) {
  const level_state *st = state;
  if (len < 2 || len != state_len(st->level) || st->phase != phase) {
    f->bad_state = 1;
    return -1;
  }
  for (size_t i = 2; i < len; i++)
    if (st->pattern[i - 2] != pattern_byte(st->level, i - 2)) {
      f->bad_state = 1;
      return -1;
    }
  return st->level;
}

/* host(n): calls wasm(n - 1), or at level 0 does what the test asked. The
 * state is built in this C frame: lull_host_call must copy it. */
static lull_hostret host_fn(lull_hostcall *hc, const lull_val *args,
                            lull_val *results, void *env) {
  fixture *f = env;
  int n = args[0].of.i32;
  if (n >= 0 && n <= LEVELS)
    f->frames[n] = (uintptr_t)__builtin_frame_address(0);
  f->log[f->nlog++] = -n - 1; /* entering host(n) */
  if (n > 0) {
    level_state st;
    memset(&st, 0xee, sizeof st);
    st.phase = 0;
    st.level = (uint8_t)n;
    for (size_t i = 2; i < state_len(n); i++)
      st.pattern[i - 2] = pattern_byte(n, i - 2);
    if (n == f->spin_level) {
      lull_val a = i32(1000);
      return lull_host_call(hc, f->spin, &a, 1, f->k_spin, &st, state_len(n));
    }
    lull_val a = i32(n - 1);
    return lull_host_call(hc, f->wasm, &a, 1, f->k, &st, state_len(n));
  }
  switch (f->at_bottom) {
  case BOTTOM_PARK:
    return lull_host_suspend(hc, BOTTOM_TAG);
  case BOTTOM_TRAP:
    return lull_host_trap(hc, "bottom of the chain");
  case BOTTOM_RETURN:
    break;
  }
  results[0].of.i32 = 7;
  return LULL_HOST_RETURN;
}

/* What a continuation makes of wasm(n - 1)'s result at level n. */
static int32_t cont_value(int level, int32_t callee) {
  return (int32_t)((uint32_t)callee + (uint32_t)pattern_sum(level) +
                   (uint32_t)level * 1000u);
}

/* The continuation of host(n): checks its state, logs the level, and
 * returns cont_value; some levels first call twice(), one parks. */
static lull_hostret k_fn(lull_hostcall *hc, const lull_val *callee_results,
                         void *state, size_t len, lull_val *results,
                         void *env) {
  fixture *f = env;
  int level = check_state(f, state, len, 0);
  if (level < 0)
    return lull_host_trap(hc, "bad state");
  f->log[f->nlog++] = level;
  int32_t v = cont_value(level, callee_results[0].of.i32);
  if (level % AGAIN_EVERY == AGAIN_AT) {
    /* Change the state in place and hand it on: k_again must see the
     * change (the thread copies the bytes before dropping these). */
    level_state *st = state;
    st->phase = 1;
    lull_val a = i32(v);
    return lull_host_call(hc, f->twice, &a, 1, f->k_again, state, len);
  }
  if (level == f->park_level) {
    f->stash = v;
    return lull_host_suspend(hc, PARK_TAG);
  }
  results[0].of.i32 = v;
  return LULL_HOST_RETURN;
}

/* After twice(v): the result is twice's. */
static lull_hostret k_again_fn(lull_hostcall *hc,
                               const lull_val *callee_results, void *state,
                               size_t len, lull_val *results, void *env) {
  fixture *f = env;
  int level = check_state(f, state, len, 1);
  if (level < 0)
    return lull_host_trap(hc, "bad state after calling again");
  f->log[f->nlog++] = 1000 + level;
  results[0] = callee_results[0];
  return LULL_HOST_RETURN;
}

/* After spin(1000): carries on down the chain as host() would have. */
static lull_hostret k_spin_fn(lull_hostcall *hc,
                              const lull_val *callee_results, void *state,
                              size_t len, lull_val *results, void *env) {
  fixture *f = env;
  (void)results;
  int level = check_state(f, state, len, 0);
  if (level < 0 || callee_results[0].of.i32 != 1000)
    return lull_host_trap(hc, "bad spin");
  f->log[f->nlog++] = 2000 + level;
  lull_val a = i32(level - 1);
  return lull_host_call(hc, f->wasm, &a, 1, f->k, state, len);
}

/* expected(x): what wasm(LEVELS) returns when host(0) gives x, computed
 * the plain way. `parked` is what the test adds to the parking level's
 * value when it resumes it. */
static int32_t expected(const fixture *f, int32_t x, int32_t parked_delta) {
  uint32_t h = (uint32_t)x, w = 0;
  for (int n = 0; n <= LEVELS; n++) {
    w = h * 3u + (uint32_t)n;
    if (n == LEVELS)
      break;
    int level = n + 1;
    h = (uint32_t)cont_value(level, (int32_t)w);
    if (level % AGAIN_EVERY == AGAIN_AT)
      h = h * 2u + 1u;
    else if (level == f->park_level)
      h += (uint32_t)parked_delta;
  }
  return (int32_t)w;
}

/* Checks the log: host(LEVELS) down to host(0), then the continuations
 * from level 1 up, each "again" level followed by its second
 * continuation. */
static void assert_log(const fixture *f) {
  int i = 0;
  for (int n = LEVELS; n >= 0; n--) {
    if (n + 1 == f->spin_level)
      assert_int_equal(f->log[i++], 2000 + n + 1);
    assert_int_equal(f->log[i++], -n - 1);
  }
  for (int level = 1; level <= LEVELS; level++) {
    assert_int_equal(f->log[i++], level);
    if (level % AGAIN_EVERY == AGAIN_AT)
      assert_int_equal(f->log[i++], 1000 + level);
  }
  assert_int_equal(f->nlog, i);
}

static lull_hostret misuse_fn(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env);

/* Stack limit 0: the default. */
static fixture *make_fixture(size_t stack_limit) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = counting_alloc;
  cfg.alloc_ud = &f->mem;
  if (stack_limit)
    cfg.stack_limit = stack_limit;
  f->e = lull_engine_new(&cfg);
  assert_non_null(f->e);
  f->m = test_load(f->e, "suspend_chain");
  static const lull_valtype i[1] = {LULL_I32};
  lull_functype t = {1, 1, i, i};
  f->host = lull_func_new(f->e, &t, host_fn, f, NULL);
  f->misuse = lull_func_new(f->e, &t, misuse_fn, f, NULL);
  assert_non_null(f->host);
  assert_non_null(f->misuse);
  lull_extern imports[2] = {{LULL_EXTERN_FUNC, {.func = f->host}},
                            {LULL_EXTERN_FUNC, {.func = f->misuse}}};
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, imports, 2, &f->inst, &err),
                   LULL_OK);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
  f->wasm = lull_instance_func(f->inst, "wasm");
  f->twice = lull_instance_func(f->inst, "twice");
  f->spin = lull_instance_func(f->inst, "spin");
  f->k = lull_cont_register(f->e, "chain.k", k_fn, f);
  f->k_again = lull_cont_register(f->e, "chain.again", k_again_fn, f);
  f->k_spin = lull_cont_register(f->e, "chain.spin", k_spin_fn, f);
  assert_non_null(f->k);
  assert_non_null(f->k_again);
  assert_non_null(f->k_spin);
  /* Names are unique per engine. */
  assert_null(lull_cont_register(f->e, "chain.k", k_fn, f));
  return f;
}

static int setup(void **state) {
  *state = make_fixture(0);
  return 0;
}

static void free_fixture(fixture *f) {
  lull_thread_free(f->t);
  lull_instance_free(f->inst);
  lull_func_free(f->host);
  lull_func_free(f->misuse);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  assert_int_equal(f->mem.live, 0);
  assert_int_equal(f->mem.bad_size, 0);
  free(f);
}

static int teardown(void **state) {
  free_fixture(*state);
  return 0;
}

/* With nothing parking, the chain computes what the model says: the
 * reference for the tests that park. */
static void chain_of_100_without_parking(void **state) {
  fixture *f = *state;
  f->at_bottom = BOTTOM_RETURN;
  lull_val a = i32(LEVELS), r;
  assert_int_equal(lull_call(f->t, f->wasm, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, expected(f, 7, 0));
  assert_false(f->bad_state);
  assert_log(f);
}

static void chain_of_100_parks_at_the_bottom(void **state) {
  fixture *f = *state;
  f->at_bottom = BOTTOM_PARK;
  lull_val a = i32(LEVELS), r, hr = i32(-123);
  assert_int_equal(lull_call(f->t, f->wasm, &a, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_HOST);
  assert_int_equal(lull_thread_park_tag(f->t), BOTTOM_TAG);
  assert_int_equal(f->nlog, LEVELS + 1); /* no continuation ran yet */
  /* Every host function of the chain ran in the same C frame: the chain
   * lives on the heap stack. */
  for (int n = 0; n < LEVELS; n++)
    assert_true(f->frames[n] == f->frames[LEVELS]);

  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, expected(f, -123, 0));
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_FINISHED);
  assert_false(f->bad_state);
  assert_log(f);
}

/* host(0) parks, and later the continuation of level 50 parks too; each
 * resume supplies the results of the host call that parked. */
static void a_continuation_parks(void **state) {
  fixture *f = *state;
  f->at_bottom = BOTTOM_PARK;
  f->park_level = PARK_LEVEL;
  lull_val a = i32(LEVELS), r, hr = i32(3);
  assert_int_equal(lull_call(f->t, f->wasm, &a, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_tag(f->t), BOTTOM_TAG);
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_HOST);
  assert_int_equal(lull_thread_park_tag(f->t), PARK_TAG);
  /* It is parked in host(50), whose result is an i32. */
  lull_val wrong[2] = {i32(1), i32(2)};
  assert_int_equal(lull_resume(f->t, wrong, 2, &r, 1), LULL_BADARG);
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_SUSPENDED);
  hr = i32(f->stash + 99);
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, expected(f, 3, 99));
  assert_false(f->bad_state);
  assert_log(f);
}

/* Fuel runs out in spin(), a callee of lull_host_call in the middle of
 * the chain; the thread parks with LULL_PARK_FUEL and, given more fuel,
 * goes on exactly. */
static void fuel_runs_out_inside_the_chain(void **state) {
  fixture *f = *state;
  f->at_bottom = BOTTOM_RETURN;
  f->spin_level = 60;
  lull_val a = i32(LEVELS), r;
  lull_thread_set_fuel(f->t, 200);
  lull_status s = lull_call(f->t, f->wasm, &a, 1, &r, 1);
  int parks = 0;
  while (s == LULL_SUSPENDED) {
    assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_FUEL);
    lull_thread_set_fuel(f->t, 200);
    s = lull_resume(f->t, NULL, 0, &r, 1);
    parks++;
  }
  assert_int_equal(s, LULL_OK);
  /* spin(1000) alone runs 1000 loop iterations of a few instructions. */
  assert_true(parks >= 10);
  assert_int_equal(r.of.i32, expected(f, 7, 0));
  assert_false(f->bad_state);
  assert_log(f);
}

/* A trap at the bottom unwinds 100 host frames and their states (ASan
 * checks nothing leaks); the thread is usable again. */
static void trap_at_the_bottom_unwinds_the_chain(void **state) {
  fixture *f = *state;
  f->at_bottom = BOTTOM_TRAP;
  lull_val a = i32(LEVELS), r;
  assert_int_equal(lull_call(f->t, f->wasm, &a, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "bottom of the chain");
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_TRAPPED);
  lull_frame_info bt[8];
  /* Innermost first: wasm(0), then the host frame of host(1) that called
   * it, then wasm(1). */
  assert_true(lull_thread_backtrace(f->t, bt, 8) >= 3);
  assert_string_equal(bt[0].func_name, "wasm");
  assert_string_equal(bt[1].func_name, "<host>");
  assert_string_equal(bt[2].func_name, "wasm");
  f->at_bottom = BOTTOM_RETURN;
  f->nlog = 0;
  assert_int_equal(lull_call(f->t, f->wasm, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, expected(f, 7, 0));
}

/* A thread parked 100 host frames deep is freed without being resumed;
 * ASan's leak check sees the continuation states go. */
static void freeing_a_thread_parked_in_the_chain(void **state) {
  fixture *f = *state;
  f->at_bottom = BOTTOM_PARK;
  lull_val a = i32(LEVELS), r;
  assert_int_equal(lull_call(f->t, f->wasm, &a, 1, &r, 1), LULL_SUSPENDED);
  lull_thread_free(f->t);
  f->t = NULL;
}

/* The chain runs out of stack: for every stack limit from one that
 * cannot hold a level to one that holds them all, the call traps with
 * "call stack exhausted" (or succeeds) and freeing the thread gives back
 * every byte, whichever reserve failed: the Wasm call's, or the host
 * frame's that lull_host_call's state waits on. */
static void running_out_of_stack_in_the_chain_leaks_nothing(void **state) {
  (void)state;
  int trapped = 0, finished = 0;
  for (size_t limit = 4096; limit <= 24 * 1024; limit += 64) {
    fixture *f = make_fixture(limit);
    f->at_bottom = BOTTOM_RETURN;
    lull_thread_free(f->t);
    long before = f->mem.live;
    f->t = lull_thread_new(f->e);
    assert_non_null(f->t);
    lull_val a = i32(LEVELS), r;
    lull_status s = lull_call(f->t, f->wasm, &a, 1, &r, 1);
    if (s == LULL_TRAP) {
      assert_string_equal(lull_thread_trap_message(f->t),
                          "call stack exhausted");
      trapped++;
    } else {
      assert_int_equal(s, LULL_OK);
      assert_int_equal(r.of.i32, expected(f, 7, 0));
      finished++;
    }
    lull_thread_free(f->t);
    f->t = NULL;
    if (f->mem.live != before)
      fail_msg("stack limit %zu: %ld bytes not freed", limit,
               f->mem.live - before);
    free_fixture(f);
  }
  assert_true(trapped > 0);
  assert_true(finished > 0);
}

/* misuse(mode) calls lull_host_call wrongly in one of these ways, or from
 * a continuation that does. */
enum {
  MISUSE_COUNT,
  MISUSE_TYPE,
  MISUSE_NO_FUNC,
  MISUSE_NO_CONT,
  MISUSE_NO_STATE,
  MISUSE_IN_CONT,
  MISUSE_RESULT_TYPE,
  MISUSE_MODES
};

static lull_hostret k_bad_fn(lull_hostcall *hc, const lull_val *callee_results,
                             void *state, size_t len, lull_val *results,
                             void *env) {
  fixture *f = env;
  (void)callee_results;
  (void)state;
  (void)len;
  if (*(const int *)state == MISUSE_RESULT_TYPE) {
    results[0].type = LULL_F64;
    results[0].of.f64 = 1.0;
    return LULL_HOST_RETURN;
  }
  lull_val two[2] = {i32(1), i32(2)};
  return lull_host_call(hc, f->twice, two, 2, f->k_bad, NULL, 0);
}

static lull_hostret misuse_fn(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  fixture *f = env;
  (void)results;
  int mode = args[0].of.i32;
  lull_val two[2] = {i32(1), i32(2)};
  lull_val f64v = {.type = LULL_F64, .of.f64 = 1.0};
  switch (mode) {
  case MISUSE_COUNT:
    return lull_host_call(hc, f->twice, two, 2, f->k, NULL, 0);
  case MISUSE_TYPE:
    return lull_host_call(hc, f->twice, &f64v, 1, f->k, NULL, 0);
  case MISUSE_NO_FUNC:
    return lull_host_call(hc, NULL, two, 1, f->k, NULL, 0);
  case MISUSE_NO_CONT:
    return lull_host_call(hc, f->twice, two, 1, NULL, NULL, 0);
  case MISUSE_NO_STATE:
    return lull_host_call(hc, f->twice, two, 1, f->k, NULL, 4);
  default:
    return lull_host_call(hc, f->twice, two, 1, f->k_bad, &mode, sizeof mode);
  }
}

static void host_call_misuse_traps_with_a_message(void **state) {
  fixture *f = *state;
  static const char *const want[MISUSE_MODES] = {
      "lull_host_call: expected 1 arguments, got 2",
      "lull_host_call: argument 0 is f64, expected i32",
      "lull_host_call: no function",
      "lull_host_call: no function or continuation",
      "lull_host_call: state_len without state",
      "lull_host_call: expected 1 arguments, got 2",
      "returned f64 as result 0, expected i32",
  };
  f->k_bad = lull_cont_register(f->e, "chain.bad", k_bad_fn, f);
  assert_non_null(f->k_bad);
  lull_func *call = lull_instance_func(f->inst, "call_misuse");
  for (int mode = 0; mode < MISUSE_MODES; mode++) {
    lull_val a = i32(mode), r;
    assert_int_equal(lull_call(f->t, call, &a, 1, &r, 1), LULL_TRAP);
    const char *msg = lull_thread_trap_message(f->t);
    if (strstr(msg, want[mode]) == NULL)
      fail_msg("mode %d: trap message \"%s\" lacks \"%s\"", mode, msg,
               want[mode]);
    assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_TRAPPED);
  }
  /* The thread still works. */
  lull_val a = i32(20), r;
  assert_int_equal(lull_call(f->t, f->twice, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 41);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(chain_of_100_without_parking, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(chain_of_100_parks_at_the_bottom, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_continuation_parks, setup, teardown),
      cmocka_unit_test_setup_teardown(fuel_runs_out_inside_the_chain, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(trap_at_the_bottom_unwinds_the_chain,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(freeing_a_thread_parked_in_the_chain,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(host_call_misuse_traps_with_a_message,
                                      setup, teardown),
      cmocka_unit_test(running_out_of_stack_in_the_chain_leaks_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

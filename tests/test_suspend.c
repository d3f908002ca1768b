/*
 * test_suspend.c -- host functions that park their thread: lull_host_suspend
 * at recursion depth 10,000 and in a loop, lull_resume with results of
 * several types, the thread states on the way, every misuse of a suspended
 * (or not suspended) thread, and freeing a suspended thread or its instance
 * without leaking.
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

/* The tag the bottom of down() parks with. */
#define DOWN_TAG ((uintptr_t)0xd0d0)
#define DEPTH 10000

typedef struct fixture {
  counting mem;
  lull_engine *e;
  lull_module *m;
  lull_func *park;
  lull_func *park_mixed;
  lull_instance *inst;
  lull_thread *t;
  /* What the host functions saw. */
  int park_calls;
  int32_t last_arg;
  lull_thread_state state_inside; /* the thread's state seen from park */
  lull_status call_inside;        /* lull_call on the running thread */
  lull_status resume_inside;      /* lull_resume on the running thread */
  uintptr_t frame_at_park;        /* the C frame address of park */
  lull_thread *no_park;           /* park returns at once on this thread */
  lull_val mixed_args[2];
} fixture;

static lull_val i32(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

static lull_val i64(int64_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I64;
  x.of.i64 = v;
  return x;
}

/* park(i): parks with DOWN_TAG + i, except on f->no_park where it
 * returns 1000 + i. Records what the thread looks like from inside. */
static lull_hostret host_park(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  fixture *f = env;
  lull_thread *t = lull_hostcall_thread(hc);
  f->park_calls++;
  f->last_arg = args[0].of.i32;
  f->state_inside = lull_thread_state_of(t);
  f->frame_at_park = (uintptr_t)__builtin_frame_address(0);
  if (t == f->no_park) {
    results[0].of.i32 = 1000 + args[0].of.i32;
    return LULL_HOST_RETURN;
  }
  /* A thread that is running can be neither called nor resumed. */
  lull_val r;
  f->call_inside = lull_call(t, lull_instance_func(f->inst, "down"),
                             (lull_val[]){i32(1)}, 1, &r, 1);
  f->resume_inside = lull_resume(t, NULL, 0, &r, 1);
  return lull_host_suspend(hc, DOWN_TAG + (uintptr_t)args[0].of.i32);
}

static lull_hostret host_park_mixed(lull_hostcall *hc, const lull_val *args,
                                    lull_val *results, void *env) {
  fixture *f = env;
  (void)results;
  f->mixed_args[0] = args[0];
  f->mixed_args[1] = args[1];
  return lull_host_suspend(hc, 77);
}

/* Engine, module and host functions; the instance and the thread are made
 * by make_guest so tests can count what they cost. */
static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = counting_alloc;
  cfg.alloc_ud = &f->mem;
  f->e = lull_engine_new(&cfg);
  assert_non_null(f->e);
  f->m = test_load(f->e, "suspend_deep");
  static const lull_valtype i[1] = {LULL_I32};
  static const lull_valtype mixed_in[2] = {LULL_I64, LULL_F64};
  static const lull_valtype mixed_out[4] = {LULL_I64, LULL_F64, LULL_F32,
                                            LULL_EXTERNREF};
  lull_functype park_t = {1, 1, i, i};
  lull_functype mixed_t = {2, 4, mixed_in, mixed_out};
  f->park = lull_func_new(f->e, &park_t, host_park, f, NULL);
  f->park_mixed = lull_func_new(f->e, &mixed_t, host_park_mixed, f, NULL);
  assert_non_null(f->park);
  assert_non_null(f->park_mixed);
  *state = f;
  return 0;
}

static void make_guest(fixture *f) {
  lull_extern imports[2] = {{LULL_EXTERN_FUNC, {.func = f->park}},
                            {LULL_EXTERN_FUNC, {.func = f->park_mixed}}};
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, imports, 2, &f->inst, &err),
                   LULL_OK);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
}

static int setup_guest(void **state) {
  setup(state);
  make_guest(*state);
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_thread_free(f->t);
  lull_instance_free(f->inst);
  lull_func_free(f->park);
  lull_func_free(f->park_mixed);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  assert_int_equal(f->mem.bad_size, 0);
  assert_int_equal(f->mem.live, 0);
  free(f);
  return 0;
}

/* n + (n-1) + ... + 1, as the i32 down() computes it. */
static int32_t triangle(int32_t n) {
  return (int32_t)((int64_t)n * (n + 1) / 2);
}

/* Checks `t` is parked in park() by down() with the bottom's tag. */
static void assert_parked_in_down(lull_thread *t) {
  assert_int_equal(lull_thread_state_of(t), LULL_THREAD_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(t), LULL_PARK_HOST);
  assert_int_equal(lull_thread_park_tag(t), DOWN_TAG);
}

static void park_at_depth_10000_and_resume(void **state) {
  fixture *f = *state;
  lull_func *down = lull_instance_func(f->inst, "down");
  lull_val arg = i32(DEPTH), r, hr = i32(5);

  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_IDLE);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_NONE);

  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(f->park_calls, 1);
  assert_int_equal(f->last_arg, 0);
  assert_int_equal(f->state_inside, LULL_THREAD_RUNNING);
  assert_parked_in_down(f->t);
  uintptr_t deep_frame = f->frame_at_park;

  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.type, LULL_I32);
  assert_int_equal(r.of.i32, 5 + triangle(DEPTH));
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_FINISHED);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_NONE);
  assert_int_equal(f->park_calls, 1); /* resuming does not call it again */

  /* The host function ran at the same C stack depth 10,000 Wasm frames
   * down as it does one frame down: Wasm calls do not recurse in C. */
  arg = i32(1);
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_SUSPENDED);
  uintptr_t d = deep_frame > f->frame_at_park ? deep_frame - f->frame_at_park
                                              : f->frame_at_park - deep_frame;
  assert_true(d < 512);
  hr = i32(-1);
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0);
}

/* The thread parks in the middle of a loop a hundred times; each resume
 * hands in a different value and the loop must carry on where it was. */
static void park_and_resume_in_a_loop(void **state) {
  fixture *f = *state;
  lull_func *repeat = lull_instance_func(f->inst, "repeat");
  lull_val arg = i32(100), r;
  int32_t expect = 0;
  lull_status s = lull_call(f->t, repeat, &arg, 1, &r, 1);
  for (int32_t i = 0; i < 100; i++) {
    assert_int_equal(s, LULL_SUSPENDED);
    assert_int_equal(f->last_arg, i);
    assert_int_equal(lull_thread_park_tag(f->t), DOWN_TAG + (uintptr_t)i);
    lull_val hr = i32(i * i - 7);
    expect += (i * i - 7) * (i + 1);
    s = lull_resume(f->t, &hr, 1, &r, 1);
  }
  assert_int_equal(s, LULL_OK);
  assert_int_equal(r.of.i32, expect);
  assert_int_equal(f->park_calls, 100);
}

static void resume_with_values_of_several_types(void **state) {
  fixture *f = *state;
  lull_func *mixed = lull_instance_func(f->inst, "mixed");
  lull_val args[2] = {i64(INT64_MIN + 3), {.type = LULL_F64, .of.f64 = 0.5}};
  lull_val r[4];
  assert_int_equal(lull_call(f->t, mixed, args, 2, r, 4), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_tag(f->t), 77);
  assert_int_equal(f->mixed_args[0].type, LULL_I64);
  assert_true(f->mixed_args[0].of.i64 == INT64_MIN + 3);
  assert_true(f->mixed_args[1].of.f64 == 0.5);

  int cookie;
  lull_val hr[4];
  memset(hr, 0, sizeof hr);
  hr[0] = i64(-2);
  hr[1].type = LULL_F64;
  hr[1].of.f64 = 1.25;
  hr[2].type = LULL_F32;
  hr[2].of.f32 = 3.5f;
  hr[3].type = LULL_EXTERNREF;
  hr[3].of.externref = &cookie;
  /* f32 and f64 swapped: refused, still parked. */
  lull_val swapped[4] = {hr[0], hr[2], hr[1], hr[3]};
  assert_int_equal(lull_resume(f->t, swapped, 4, r, 4), LULL_BADARG);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "result 1"));
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_SUSPENDED);

  assert_int_equal(lull_resume(f->t, hr, 4, r, 4), LULL_OK);
  assert_int_equal(r[0].type, LULL_I64);
  assert_true(r[0].of.i64 == -1);
  assert_int_equal(r[1].type, LULL_F64);
  assert_true(r[1].of.f64 == 2.5);
  assert_int_equal(r[2].type, LULL_F32);
  assert_true(r[2].of.f32 == -3.5f);
  assert_int_equal(r[3].type, LULL_EXTERNREF);
  assert_ptr_equal(r[3].of.externref, &cookie);
}

/* Every way to misuse a thread is an error that changes nothing: the
 * suspended thread can still be resumed correctly afterwards. */
static void misuse_leaves_the_thread_as_it_was(void **state) {
  fixture *f = *state;
  lull_func *down = lull_instance_func(f->inst, "down");
  lull_val arg = i32(50), r, hr = i32(11);

  /* Not suspended: idle, then finished, then trapped. */
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_BADSTATE);
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_IDLE);
  f->no_park = f->t;
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1000 + triangle(50));
  f->no_park = NULL;
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_BADSTATE);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "not suspended"));
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_FINISHED);
  lull_val bad = i32(-1);
  assert_int_equal(lull_call(f->t, down, &bad, 1, &r, 1), LULL_TRAP);
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_BADSTATE);
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_TRAPPED);

  /* Suspended. */
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_SUSPENDED);
  /* Inside the host function the thread was running: both refused. */
  assert_int_equal(f->call_inside, LULL_BADSTATE);
  assert_int_equal(f->resume_inside, LULL_BADSTATE);
  assert_parked_in_down(f->t);

  /* Calling on it. */
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_BADSTATE);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "suspended"));
  assert_parked_in_down(f->t);
  /* Too few and too many host results, and a NULL array. */
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_BADARG);
  assert_parked_in_down(f->t);
  lull_val two[2] = {i32(1), i32(2)};
  assert_int_equal(lull_resume(f->t, two, 2, &r, 1), LULL_BADARG);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "1 results, 2 given"));
  assert_parked_in_down(f->t);
  assert_int_equal(lull_resume(f->t, NULL, 1, &r, 1), LULL_BADARG);
  assert_parked_in_down(f->t);
  /* A result of the wrong type. */
  lull_val wrong = i64(11);
  assert_int_equal(lull_resume(f->t, &wrong, 1, &r, 1), LULL_BADARG);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "is i64"));
  assert_parked_in_down(f->t);
  /* No room, or the wrong room, for the call's own results. */
  assert_int_equal(lull_resume(f->t, &hr, 1, NULL, 1), LULL_BADARG);
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 0), LULL_BADARG);
  lull_val rr[2];
  assert_int_equal(lull_resume(f->t, &hr, 1, rr, 2), LULL_BADARG);
  assert_parked_in_down(f->t);
  assert_int_equal(lull_resume(NULL, &hr, 1, &r, 1), LULL_BADARG);
  assert_int_equal(f->park_calls, 2);

  /* And now correctly. */
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 11 + triangle(50));
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_FINISHED);
  assert_int_equal(f->park_calls, 2);
}

/* A parked thread does not hold its instance: another thread runs in it
 * meanwhile, and both finish with their own results. */
static void other_threads_run_while_one_is_parked(void **state) {
  fixture *f = *state;
  lull_func *down = lull_instance_func(f->inst, "down");
  lull_thread *t2 = lull_thread_new(f->e);
  assert_non_null(t2);
  lull_val arg = i32(300), r, hr = i32(4);
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_SUSPENDED);
  f->no_park = t2;
  arg = i32(20);
  assert_int_equal(lull_call(t2, down, &arg, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1000 + triangle(20));
  assert_parked_in_down(f->t);
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 4 + triangle(300));
  lull_thread_free(t2);
}

/* Freeing a thread parked 10,000 frames deep gives back every byte it
 * took, without resuming it. */
static void freeing_a_suspended_thread_frees_everything(void **state) {
  fixture *f = *state;
  long before = f->mem.live;
  make_guest(f);
  lull_val arg = i32(DEPTH), r;
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "down"), &arg, 1, &r, 1),
      LULL_SUSPENDED);
  lull_thread_free(f->t);
  f->t = NULL;
  lull_instance_free(f->inst);
  f->inst = NULL;
  assert_int_equal(f->mem.live, before);
}

/* The instance is freed while its thread is parked in it: the thread
 * keeps it alive, can still be resumed, and freeing the thread then
 * frees both. */
static void freeing_the_instance_of_a_suspended_thread(void **state) {
  fixture *f = *state;
  long before = f->mem.live;
  make_guest(f);
  lull_func *down = lull_instance_func(f->inst, "down");
  lull_val arg = i32(DEPTH), r, hr = i32(9);
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_SUSPENDED);
  lull_instance_free(f->inst);
  f->inst = NULL;
  assert_parked_in_down(f->t);
  assert_int_equal(lull_resume(f->t, &hr, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 9 + triangle(DEPTH));
  lull_thread_free(f->t);
  f->t = NULL;
  assert_int_equal(f->mem.live, before);

  /* The same, but the thread is freed while still parked. */
  make_guest(f);
  down = lull_instance_func(f->inst, "down");
  assert_int_equal(lull_call(f->t, down, &arg, 1, &r, 1), LULL_SUSPENDED);
  lull_instance_free(f->inst);
  f->inst = NULL;
  lull_thread_free(f->t);
  f->t = NULL;
  assert_int_equal(f->mem.live, before);
}

/* lull_engine_free with a thread still parked: the engine owns what the
 * embedder did not free (checked by ASan's leak report and by teardown,
 * which expects every byte back). */
static void freeing_the_engine_of_a_suspended_thread(void **state) {
  fixture *f = *state;
  lull_val arg = i32(1000), r;
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "down"), &arg, 1, &r, 1),
      LULL_SUSPENDED);
  lull_engine_free(f->e);
  assert_int_equal(f->mem.live, 0);
  assert_int_equal(f->mem.bad_size, 0);
  free(f);
  *state = NULL;
}

static int teardown_none(void **state) {
  (void)state;
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(park_at_depth_10000_and_resume,
                                      setup_guest, teardown),
      cmocka_unit_test_setup_teardown(park_and_resume_in_a_loop, setup_guest,
                                      teardown),
      cmocka_unit_test_setup_teardown(resume_with_values_of_several_types,
                                      setup_guest, teardown),
      cmocka_unit_test_setup_teardown(misuse_leaves_the_thread_as_it_was,
                                      setup_guest, teardown),
      cmocka_unit_test_setup_teardown(other_threads_run_while_one_is_parked,
                                      setup_guest, teardown),
      cmocka_unit_test_setup_teardown(
          freeing_a_suspended_thread_frees_everything, setup, teardown),
      cmocka_unit_test_setup_teardown(
          freeing_the_instance_of_a_suspended_thread, setup, teardown),
      cmocka_unit_test_setup_teardown(
          freeing_the_engine_of_a_suspended_thread, setup_guest,
          teardown_none),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

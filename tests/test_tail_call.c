/*
 * test_tail_call.c -- tail calls (return_call, return_call_indirect,
 * return_call_ref) run by the interpreter: loops of ten million tail
 * calls in a stack where plain recursion runs out, frames of other shapes
 * replacing each other, host functions reached by a tail call (returning,
 * parking, trapping, calling back through lull_host_call) whose results
 * go to the caller's caller, tail calls through tables into another
 * instance, fuel and interrupts parking a tail-call loop, backtraces
 * after tail calls, and snapshots of a thread parked in a tail-call loop
 * or in a host function a tail call reached, resumed in another process
 * (helper_snapshot_tail). The guests are tests/wat/tailcall.wat and
 * tailcall_other.wat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tail_util.h"
#include "test_util.h"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
  tail_seen seen;
} fixture;

/* 64 KiB of Wasm stack: room for a few hundred frames of these guests. */
#define SMALL_STACK ((size_t)64 << 10)

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.stack_limit = SMALL_STACK;
  f->e = lull_engine_new(&cfg);
  assert_non_null(f->e);
  f->m = test_load(f->e, "tailcall");
  lull_extern im[4];
  assert_int_equal(tail_imports(f->e, &f->seen, im), 0);
  lull_error err;
  if (lull_instantiate(f->e, f->m, im, 4, &f->inst, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static lull_val i64(int64_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I64;
  x.of.i64 = v;
  return x;
}

/* Calls export `name` of `inst` with one i64; returns the status and the
 * result in *out. */
static lull_status call1(lull_thread *t, lull_instance *inst,
                         const char *name, int64_t arg, lull_val *out) {
  lull_func *fn = lull_instance_func(inst, name);
  assert_non_null(fn);
  lull_val a = i64(arg);
  return lull_call(t, fn, &a, 1, out, 1);
}

static int64_t run1(fixture *f, const char *name, int64_t arg) {
  lull_val r;
  lull_status s = call1(f->t, f->inst, name, arg, &r);
  if (s != LULL_OK)
    fail_msg("%s(%lld): %s: %s", name, (long long)arg, lull_status_str(s),
             lull_thread_trap_message(f->t));
  return r.of.i64;
}

static void ten_million_tail_calls_in_a_small_stack(void **state) {
  fixture *f = *state;
  const int64_t n = 10 * 1000 * 1000;
  assert_int_equal(run1(f, "sum", n), n * (n + 1) / 2);
  assert_int_equal(run1(f, "count_ind", n), 42);
  assert_int_equal(run1(f, "count_ref", n), 43);
  /* Between frames of other sizes: even(n) ends in $odd when n is odd. */
  lull_val r;
  lull_val a = i64(n + 1);
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "even"), &a, 1, &r, 1),
      LULL_OK);
  assert_int_equal(r.of.i32, 0);
  a = i64(n);
  assert_int_equal(
      lull_call(f->t, lull_instance_func(f->inst, "even"), &a, 1, &r, 1),
      LULL_OK);
  assert_int_equal(r.of.i32, 1);
  /* The same sum by plain calls does not fit this stack. */
  assert_int_equal(call1(f->t, f->inst, "sum_rec", n, &r), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "call stack exhausted");
  assert_int_equal(run1(f, "sum_rec", 100), 5050);
}

static void refused_without_the_feature(void **state) {
  (void)state;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features = LULL_FEATURES_2_0;
  lull_engine *e = lull_engine_new(&cfg);
  assert_non_null(e);
  char path[1024];
  snprintf(path, sizeof path, "%s/tailcall.wasm", LULL_TEST_WASM_DIR);
  size_t len;
  unsigned char *bytes = test_read_file(path, &len);
  assert_non_null(bytes);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new(e, bytes, len, &m, &err), LULL_MALFORMED);
  assert_non_null(strstr(err.message, "illegal opcode"));
  free(bytes);
  lull_engine_free(e);
}

static void fuel_parks_a_tail_call_loop(void **state) {
  fixture *f = *state;
  const int64_t n = 1000 * 1000;
  lull_val r;
  lull_thread_set_fuel(f->t, 10000);
  lull_status s = call1(f->t, f->inst, "sum", n, &r);
  int parks = 0;
  while (s == LULL_SUSPENDED) {
    assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_FUEL);
    parks++;
    lull_thread_set_fuel(f->t, 10000);
    s = lull_resume(f->t, NULL, 0, &r, 1);
  }
  assert_int_equal(s, LULL_OK);
  assert_int_equal(r.of.i64, n * (n + 1) / 2);
  /* About 8 units per iteration: hundreds of parks, every one resumed. */
  assert_true(parks > 100);
}

static void interrupt_parks_a_tail_call_loop(void **state) {
  fixture *f = *state;
  lull_val r;
  lull_thread_interrupt(f->t);
  assert_int_equal(call1(f->t, f->inst, "count_ind", 1000, &r),
                   LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_INTERRUPT);
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i64, 42);
}

static void host_function_results_go_to_the_callers_caller(void **state) {
  fixture *f = *state;
  assert_int_equal(run1(f, "outer_add", 5), 106);
  /* The host function sees the instance of the function that tail-called
   * it, even when that function was the called one and no frame is left
   * below. */
  assert_ptr_equal(f->seen.caller, f->inst);
  f->seen.caller = NULL;
  assert_int_equal(run1(f, "to_add", 5), 105);
  assert_ptr_equal(f->seen.caller, f->inst);
  assert_int_equal(f->seen.calls, 2);
  /* lull_host_call from a host function reached by a tail call. */
  assert_int_equal(run1(f, "outer_call_double", 5), 1011);
}

static void host_function_parks_after_a_tail_call(void **state) {
  fixture *f = *state;
  lull_val r, a = i64(TAIL_PARK_ANSWER);
  assert_int_equal(call1(f->t, f->inst, "outer_park", 4, &r), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_HOST);
  assert_int_equal(lull_thread_park_tag(f->t), TAIL_PARK_TAG);
  assert_int_equal(lull_resume(f->t, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i64, 1000 + 2 * TAIL_PARK_ANSWER);
  assert_int_equal(call1(f->t, f->inst, "to_park", 4, &r), LULL_SUSPENDED);
  assert_int_equal(lull_resume(f->t, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i64, TAIL_PARK_ANSWER);
  /* Reached by return_call_ref. */
  assert_int_equal(call1(f->t, f->inst, "park_ref", 4, &r), LULL_SUSPENDED);
  assert_int_equal(lull_resume(f->t, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i64, 3 + TAIL_PARK_ANSWER);
}

/* The frames of the last trap, by name. */
static size_t backtrace_names(lull_thread *t, const char **names, size_t n) {
  lull_frame_info bt[8];
  size_t got = lull_thread_backtrace(t, bt, 8);
  for (size_t i = 0; i < got && i < n; i++)
    names[i] = bt[i].func_name ? bt[i].func_name : "?";
  return got;
}

static void backtraces_show_what_remains(void **state) {
  fixture *f = *state;
  lull_val r;
  const char *names[8];
  assert_int_equal(call1(f->t, f->inst, "bt_outer", 1, &r), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "unreachable");
  assert_int_equal(backtrace_names(f->t, names, 8), 2);
  assert_string_equal(names[0], "bt_b");
  assert_string_equal(names[1], "bt_outer");
  /* A host function's trap: the tail-caller is gone, its caller remains
   * at the call. */
  assert_int_equal(call1(f->t, f->inst, "outer_fail", 1, &r), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "host says no");
  assert_int_equal(backtrace_names(f->t, names, 8), 1);
  assert_string_equal(names[0], "outer_fail");
  /* A tail call through a table traps as call_indirect does. */
  lull_val a[2] = {i64(1), {.type = LULL_I32, .of.i32 = 9}};
  lull_func *via = lull_instance_func(f->inst, "via_table");
  assert_int_equal(lull_call(f->t, via, a, 2, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "undefined element 9");
  a[1].of.i32 = 1;
  assert_int_equal(lull_call(f->t, via, a, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i64, 2);
  /* And by a null reference as call_ref does. */
  assert_int_equal(call1(f->t, f->inst, "ref_null", 1, &r), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "null function reference");
}

static void tail_calls_into_another_instance(void **state) {
  fixture *f = *state;
  lull_module *m2 = test_load(f->e, "tailcall_other");
  lull_extern tb;
  assert_int_equal(lull_instance_export(f->inst, "table", &tb), LULL_OK);
  lull_instance *other;
  lull_error err;
  if (lull_instantiate(f->e, m2, &tb, 1, &other, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  lull_val r;
  /* Memory byte 0 is 7 in the first instance, 9 in the other. */
  assert_int_equal(call1(f->t, other, "peek_both", 1, &r), LULL_OK);
  assert_int_equal(r.of.i64, 1 + 7 + 9 * 100);
  /* A loop that changes instance on every tail call. */
  assert_int_equal(call1(f->t, other, "ping", 1000001, &r), LULL_OK);
  assert_int_equal(r.of.i64, 7);
  assert_int_equal(call1(f->t, other, "ping", 1000000, &r), LULL_OK);
  assert_int_equal(r.of.i64, 9);
}

/* Writes a snapshot of the parked thread, has helper_snapshot_tail
 * resume it in another process and returns what it printed. */
static int64_t resume_elsewhere(fixture *f) {
  uint8_t *snap;
  size_t len;
  lull_error err;
  if (lull_snapshot_write(f->t, f->inst, NULL, 0, &snap, &len, &err) !=
      LULL_OK)
    fail_msg("snapshot: %s", err.message);
  char path[256], wasm[1024], out[64];
  snprintf(path, sizeof path, "/tmp/lull-test-snap-tail-%d", (int)getpid());
  snprintf(wasm, sizeof wasm, "%s/tailcall.wasm", LULL_TEST_WASM_DIR);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(snap, 1, len, fp), len);
  fclose(fp);
  lull_snapshot_free(f->e, snap, len);
  int rc = test_run_helper("helper_snapshot_tail", wasm, path, out, sizeof out);
  unlink(path);
  assert_int_equal(rc, 0);
  return strtoll(out, NULL, 10);
}

static void snapshot_of_a_tail_call_loop(void **state) {
  fixture *f = *state;
  const int64_t n = 1000 * 1000;
  lull_val r;
  lull_thread_set_fuel(f->t, 100000);
  assert_int_equal(call1(f->t, f->inst, "sum", n, &r), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_FUEL);
  lull_thread_set_fuel(f->t, 300000);
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_SUSPENDED);
  assert_int_equal(resume_elsewhere(f), n * (n + 1) / 2);
  assert_int_equal(tail_finish(f->t, &r), LULL_OK);
  assert_int_equal(r.of.i64, n * (n + 1) / 2);
  /* Parked while the loop is in the other function of a pair. */
  lull_thread_set_fuel(f->t, 12345);
  assert_int_equal(call1(f->t, f->inst, "count_ind", n, &r), LULL_SUSPENDED);
  assert_int_equal(resume_elsewhere(f), 42);
  lull_thread_free(f->t);
  f->t = lull_thread_new(f->e);
  lull_thread_set_fuel(f->t, 54321);
  assert_int_equal(call1(f->t, f->inst, "count_ref", n, &r), LULL_SUSPENDED);
  assert_int_equal(resume_elsewhere(f), 43);
}

static void snapshot_of_a_host_park_after_a_tail_call(void **state) {
  fixture *f = *state;
  lull_val r;
  /* The frame waiting is outer_park's, at its call of to_park, which the
   * host function park replaced. */
  assert_int_equal(call1(f->t, f->inst, "outer_park", 4, &r), LULL_SUSPENDED);
  assert_int_equal(resume_elsewhere(f), 1000 + 2 * TAIL_PARK_ANSWER);
  assert_int_equal(tail_finish(f->t, &r), LULL_OK);
  assert_int_equal(r.of.i64, 1000 + 2 * TAIL_PARK_ANSWER);
  /* No frame left at all: the called function tail-called park. */
  assert_int_equal(call1(f->t, f->inst, "to_park", 4, &r), LULL_SUSPENDED);
  assert_int_equal(resume_elsewhere(f), TAIL_PARK_ANSWER);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(ten_million_tail_calls_in_a_small_stack),
      cmocka_unit_test(refused_without_the_feature),
      T(fuel_parks_a_tail_call_loop),
      T(interrupt_parks_a_tail_call_loop),
      T(host_function_results_go_to_the_callers_caller),
      T(host_function_parks_after_a_tail_call),
      T(backtraces_show_what_remains),
      T(tail_calls_into_another_instance),
      T(snapshot_of_a_tail_call_loop),
      T(snapshot_of_a_host_park_after_a_tail_call),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_gc_heap.c -- GC objects in the engine's heap: structs with packed,
 * float and v128 fields, arrays from data segments and constant
 * expressions, overlapping array.copy, the traps of null and out of bounds
 * accesses, a guest that allocates without bound meeting the heap limit
 * (a trap, not a crash), and running out of memory at every allocation of
 * loading, instantiating and running a guest that allocates (nothing
 * leaks). The collector: 100 MB of garbage under an 8 MiB limit, a list
 * kept by a global surviving every cycle and going once dropped, the
 * write barrier (nodes moved between lists while marking), references on
 * the operand stack across a call and at the allocation that starts a
 * cycle, and a thread parked with a list in a local while the host
 * collects and another thread makes garbage. The guest is
 * tests/wat/gc_heap.wat.
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

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
} fixture;

static lull_engine *gc_engine(uint64_t limit) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features |= LULL_FEATURE_GC;
  cfg.gc_heap_limit = limit;
  lull_engine *e = lull_engine_new(&cfg);
  assert_non_null(e);
  return e;
}

static void open_guest(fixture *f, uint64_t limit) {
  memset(f, 0, sizeof *f);
  f->e = gc_engine(limit);
  f->m = test_load(f->e, "gc_heap");
  lull_error err;
  if (lull_instantiate(f->e, f->m, NULL, 0, &f->inst, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
}

static lull_status call(fixture *f, const char *name, const lull_val *args,
                        size_t nargs, lull_val *res, size_t nres) {
  lull_extern x;
  if (lull_instance_export(f->inst, name, &x) != LULL_OK)
    fail_msg("no export %s", name);
  return lull_call(f->t, x.of.func, args, nargs, res, nres);
}

static void fields_and_arrays(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 0);
  lull_val r[5];
  assert_int_equal(call(&f, "packed", NULL, 0, r, 5), LULL_OK);
  assert_int_equal(r[0].of.i32, -1);
  assert_int_equal(r[1].of.i32, 255);
  assert_int_equal(r[2].of.i32, -1);
  assert_int_equal(r[3].of.i32, 65535);
  assert_true(r[4].of.f64 == 2.5);
  /* 01 02 03 04 ff, then [0,3) copied to [1,4): 01 01 02 03 ff. */
  assert_int_equal(call(&f, "bytes", NULL, 0, r, 1), LULL_OK);
  assert_int_equal(r[0].of.i32, 1 + 1 + 2 + 3 + 255);
  assert_int_equal(call(&f, "const_sum", NULL, 0, r, 1), LULL_OK);
  assert_int_equal(r[0].of.i32, 18);
  lull_val n = test_i32(1000);
  assert_int_equal(call(&f, "grow", &n, 1, r, 1), LULL_OK);
  assert_int_equal(r[0].of.i32, 1);
  lull_engine_free(f.e);
}

static void traps(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 0);
  lull_val r[1];
  assert_int_equal(call(&f, "oob", NULL, 0, r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f.t),
                      "out of bounds array access");
  assert_int_equal(call(&f, "null_struct", NULL, 0, r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f.t),
                      "null structure reference");
  lull_engine_free(f.e);
}

/* A list that grows without bound stops at the heap limit with a trap;
 * the thread can run again afterwards. */
static void limit_traps(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 1 << 20);
  lull_val n = test_i32(1000000), r[1];
  assert_int_equal(call(&f, "grow", &n, 1, r, 1), LULL_TRAP);
  assert_non_null(strstr(lull_thread_trap_message(f.t), "out of memory"));
  assert_int_equal(call(&f, "const_sum", NULL, 0, r, 1), LULL_OK);
  assert_int_equal(r[0].of.i32, 18);
  lull_engine_free(f.e);
}

/* An allocator that fails from its n-th allocation on. */
typedef struct failing {
  long left;
} failing;

static void *failing_alloc(void *ud, void *ptr, size_t old, size_t size) {
  failing *fa = ud;
  (void)old;
  if (size == 0) {
    free(ptr);
    return NULL;
  }
  if (fa->left-- <= 0)
    return NULL;
  return realloc(ptr, size);
}

/* Every allocation of loading, instantiating (a constant expression
 * allocates an array) and running (a list of 200 nodes) may fail: each
 * failure is an error or a trap, and freeing the engine frees all. */
static void oom_everywhere(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/gc_heap.wasm", LULL_TEST_WASM_DIR);
  size_t len;
  unsigned char *bytes = test_read_file(path, &len);
  assert_non_null(bytes);
  int done = 0;
  long n;
  for (n = 0; !done; n++) {
    failing fa = {n};
    lull_config cfg;
    lull_config_init(&cfg);
    cfg.features |= LULL_FEATURE_GC;
    cfg.alloc = failing_alloc;
    cfg.alloc_ud = &fa;
    lull_engine *e = lull_engine_new(&cfg);
    if (!e)
      continue;
    lull_module *m = NULL;
    lull_instance *inst = NULL;
    lull_error err;
    lull_thread *t = NULL;
    if (lull_module_new(e, bytes, len, &m, &err) == LULL_OK &&
        lull_instantiate(e, m, NULL, 0, &inst, &err) == LULL_OK &&
        (t = lull_thread_new(e)) != NULL) {
      lull_extern x;
      assert_int_equal(lull_instance_export(inst, "grow", &x), LULL_OK);
      lull_val a = test_i32(200), r[1];
      lull_status s = lull_call(t, x.of.func, &a, 1, r, 1);
      if (s == LULL_OK) {
        assert_int_equal(r[0].of.i32, 1);
        done = 1;
      } else {
        assert_int_equal(s, LULL_TRAP);
      }
    }
    lull_engine_free(e);
  }
  /* The list's 200 nodes alone are 200 allocations. */
  assert_true(n > 200);
  free(bytes);
}

static int32_t call_i32(fixture *f, const char *name, int32_t arg,
                        int nargs) {
  lull_val a = test_i32(arg), r[1];
  lull_status s = call(f, name, &a, (size_t)nargs, r, 1);
  if (s != LULL_OK)
    fail_msg("%s: %d %s", name, s, lull_thread_trap_message(f->t));
  return r[0].of.i32;
}

static void call_void(fixture *f, const char *name, int32_t a0, int32_t a1,
                      int nargs) {
  lull_val a[2] = {test_i32(a0), test_i32(a1)};
  lull_status s = call(f, name, a, (size_t)nargs, NULL, 0);
  if (s != LULL_OK)
    fail_msg("%s: %d %s", name, s, lull_thread_trap_message(f->t));
}

/* 100 MB of garbage under an 8 MiB limit: the collector frees it, and
 * the list kept in a global survives every cycle. */
static void garbage_is_collected(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 8 << 20);
  call_i32(&f, "grow", 1000, 1);
  call_void(&f, "churn", 100000, 1000, 2);
  assert_int_equal(call_i32(&f, "list_sum", 0, 0), 500500);
  lull_gc_stats st;
  lull_gc_stats_get(f.e, &st);
  assert_true(st.cycles > 5);
  assert_true(st.bytes <= 8 << 20);
  assert_true(st.pause_max_ns > 0);
  /* Dropped, the list goes too. */
  call_void(&f, "drop_list", 0, 0, 0);
  assert_int_equal(lull_gc_collect(f.e), LULL_OK);
  lull_gc_stats_get(f.e, &st);
  assert_true(st.bytes < 1000);
  lull_engine_free(f.e);
}

/* Few large objects, two of them live at a time: a cycle finishes within
 * the allocation that starts it, so the heap stays within three times
 * the live data (it reached 3.5 times when a cycle's sweep waited for
 * the next allocation). */
static void large_objects_stay_bounded(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 0);
  call_void(&f, "pairs", 300, 800000, 2);
  lull_gc_stats st;
  lull_gc_stats_get(f.e, &st);
  assert_true(st.cycles > 10);
  assert_true(st.live_max >= 2 * 800000);
  assert_true(st.peak_bytes <= 3 * st.live_max);
  lull_engine_free(f.e);
}

/* struct.set moves references around while the collector marks: the
 * write barrier keeps every node (ASan would see one freed). */
static void barrier_keeps_moved_nodes(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 0);
  call_i32(&f, "grow", 20000, 1);
  assert_int_equal(call_i32(&f, "transfer", 15000, 1), 20000 * 20001 / 2);
  lull_engine_free(f.e);
}

/* References on the operand stack are roots: across a call that
 * collects, and at the allocation that starts a cycle. */
static void stack_roots(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 0);
  assert_int_equal(call_i32(&f, "call_roots", 0, 0), 7);
  lull_engine_free(f.e);
  open_guest(&f, 0);
  call_void(&f, "alloc_roots", 0, 0, 0);
  call_void(&f, "churn", 5000, 1000, 2);
  lull_gc_stats st;
  lull_gc_stats_get(f.e, &st);
  assert_true(st.cycles >= 1);
  assert_int_equal(call_i32(&f, "kept", 0, 0), 9);
  lull_engine_free(f.e);
}

/* A thread parked (out of fuel) holds a list in a local only; while it
 * is parked the host collects and another thread makes garbage enough
 * for many cycles. Resumed, it finds the whole list. */
static void collect_while_parked(void **state) {
  (void)state;
  fixture f;
  open_guest(&f, 16 << 20);
  lull_thread *other = lull_thread_new(f.e);
  assert_non_null(other);
  lull_extern x, churn;
  assert_int_equal(lull_instance_export(f.inst, "local_list", &x), LULL_OK);
  assert_int_equal(lull_instance_export(f.inst, "churn", &churn), LULL_OK);
  lull_thread_set_fuel(f.t, 5000);
  lull_val a = test_i32(20000), r[1];
  lull_status s = lull_call(f.t, x.of.func, &a, 1, r, 1);
  int parks = 0;
  while (s == LULL_SUSPENDED) {
    parks++;
    if (parks % 4 == 0)
      assert_int_equal(lull_gc_collect(f.e), LULL_OK);
    lull_val g[2] = {test_i32(200), test_i32(1000)};
    assert_int_equal(lull_call(other, churn.of.func, g, 2, NULL, 0), LULL_OK);
    lull_thread_set_fuel(f.t, 5000);
    s = lull_resume(f.t, NULL, 0, r, 1);
  }
  assert_int_equal(s, LULL_OK);
  assert_true(parks > 10);
  assert_int_equal(r[0].of.i32, 20000 * 20001 / 2);
  lull_gc_stats st;
  lull_gc_stats_get(f.e, &st);
  assert_true(st.cycles + st.full > 10);
  lull_engine_free(f.e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fields_and_arrays),
      cmocka_unit_test(traps),
      cmocka_unit_test(limit_traps),
      cmocka_unit_test(oom_everywhere),
      cmocka_unit_test(garbage_is_collected),
      cmocka_unit_test(large_objects_stay_bounded),
      cmocka_unit_test(barrier_keeps_moved_nodes),
      cmocka_unit_test(stack_roots),
      cmocka_unit_test(collect_while_parked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

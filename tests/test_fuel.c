/*
 * test_fuel.c -- fuel: the fib, SHA-256, integer and f64 matrix, n-body,
 * bytecode interpreter and state machine benchmark kernels run with 1, 7 and 1000 units at a time, parking with
 * LULL_PARK_FUEL and resuming until done (the last three also through a
 * snapshot at each park with more fuel), give the results of an
 * uninterrupted run, after a number of parks that fits the fuel given;
 * plus the edges of lull_thread_set_fuel.
 *
 * How many parks are plausible: fuel is charged at safepoints, each one
 * charging its region's cost (at least 1) before the region runs, and a
 * thread parks at the safepoint that takes its fuel below zero. Resuming
 * continues after that safepoint, so an interrupted run crosses the same
 * safepoints and is charged the same total U as an uninterrupted one.
 * With F units per turn, every turn that ends in a park is charged more
 * than F, and crosses at most F + 1 safepoints; so for S safepoints
 * crossed in all (the parks with F = 0, where every safepoint parks):
 *
 *   S / (F + 1) - 1  <=  parks  <=  U / (F + 1).
 *
 * And U is exact: a run charged far more than the part of its fuel that
 * run() holds at a time finishes on U units and parks on U - 1.
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
#include "../bench/kernels/kernel_table.h"

/* Enough fuel to count what a whole run is charged. */
#define LOTS ((uint64_t)1 << 62)

typedef struct kernel {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
  lull_func *run;
  const struct kernel_info *info;
} kernel;

static int load_kernel(void **state, const char *name, int safepoints) {
  kernel *k = calloc(1, sizeof *k);
  assert_non_null(k);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.safepoints = safepoints;
  k->e = lull_engine_new(&cfg);
  assert_non_null(k->e);
  k->info = kernel_find(name);
  assert_non_null(k->info);
  char path[1024];
  snprintf(path, sizeof path, "%s/bench/kernels/%s.wasm", LULL_SOURCE_DIR,
           name);
  size_t len;
  unsigned char *bytes = test_read_file(path, &len);
  assert_non_null(bytes);
  lull_error err;
  assert_int_equal(lull_module_new(k->e, bytes, len, &k->m, &err), LULL_OK);
  free(bytes);
  assert_int_equal(lull_instantiate(k->e, k->m, NULL, 0, &k->inst, &err),
                   LULL_OK);
  k->run = lull_instance_func(k->inst, "run");
  assert_non_null(k->run);
  k->t = lull_thread_new(k->e);
  assert_non_null(k->t);
  *state = k;
  return 0;
}

static int setup_fib(void **state) { return load_kernel(state, "fib", 1); }
static int setup_sha256(void **state) {
  return load_kernel(state, "sha256", 1);
}
static int setup_imatrix(void **state) {
  return load_kernel(state, "imatrix", 1);
}
static int setup_matmul(void **state) {
  return load_kernel(state, "matmul", 1);
}
static int setup_nbody(void **state) {
  return load_kernel(state, "nbody", 1);
}
static int setup_vm(void **state) { return load_kernel(state, "vm", 1); }
static int setup_fsm(void **state) { return load_kernel(state, "fsm", 1); }
static int setup_calls(void **state) {
  return load_kernel(state, "calls", 1);
}
static int setup_fib_no_safepoints(void **state) {
  return load_kernel(state, "fib", 0);
}

static int teardown(void **state) {
  kernel *k = *state;
  lull_thread_free(k->t);
  lull_instance_free(k->inst);
  lull_module_free(k->m);
  lull_engine_free(k->e);
  free(k);
  return 0;
}

/* The small input of the kernel: fib(25) makes 242,785 calls, SHA-256 of
 * 256 KiB runs some 330,000 loop iterations. */
static lull_val small_arg(const kernel *k) {
  lull_val a;
  memset(&a, 0, sizeof a);
  a.type = LULL_I32;
  a.of.i32 = (int32_t)k->info->small_n;
  return a;
}

/* Runs run(small_n) giving the thread `fuel` units at the start and after
 * each park; returns the result and counts the parks. */
static uint32_t run_with_fuel(kernel *k, uint64_t fuel, uint64_t *parks) {
  lull_val a = small_arg(k), r;
  memset(&r, 0, sizeof r);
  *parks = 0;
  lull_thread_set_fuel(k->t, fuel);
  lull_status s = lull_call(k->t, k->run, &a, 1, &r, 1);
  while (s == LULL_SUSPENDED) {
    assert_int_equal(lull_thread_park_reason(k->t), LULL_PARK_FUEL);
    assert_int_equal(lull_thread_fuel(k->t), 0);
    (*parks)++;
    lull_thread_set_fuel(k->t, fuel);
    s = lull_resume(k->t, NULL, 0, &r, 1);
  }
  if (s != LULL_OK)
    fail_msg("%s: %s: %s", k->info->name, lull_status_str(s),
             lull_thread_trap_message(k->t));
  assert_int_equal(lull_thread_state_of(k->t), LULL_THREAD_FINISHED);
  assert_int_equal(r.type, LULL_I32);
  return (uint32_t)r.of.i32;
}

static void same_results_with_little_fuel(kernel *k) {
  uint32_t want = k->info->small_checksum;
  lull_val a = small_arg(k), r;

  /* Uninterrupted, and the units that run is charged. */
  assert_int_equal(lull_thread_fuel(k->t), LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, want);
  uint64_t parks;
  assert_int_equal(run_with_fuel(k, LOTS, &parks), want);
  assert_int_equal(parks, 0);
  uint64_t used = LOTS - lull_thread_fuel(k->t);
  /* About one unit per instruction: more than one per safepoint. */
  uint64_t safepoints;
  assert_int_equal(run_with_fuel(k, 0, &safepoints), want);
  print_message("%s: %llu units over %llu safepoints\n", k->info->name,
                (unsigned long long)used, (unsigned long long)safepoints);
  assert_true(safepoints > 1000);
  assert_true(used > safepoints);

  static const uint64_t fuels[] = {1, 7, 1000};
  for (size_t i = 0; i < sizeof fuels / sizeof fuels[0]; i++) {
    uint64_t f = fuels[i];
    assert_int_equal(run_with_fuel(k, f, &parks), want);
    print_message("%s: fuel %llu: %llu parks\n", k->info->name,
                  (unsigned long long)f, (unsigned long long)parks);
    assert_true(parks <= used / (f + 1));
    assert_true(parks + 1 >= safepoints / (f + 1));
  }
}

/* Runs run(small_n) with `fuel` units a turn, and at each park writes a
 * snapshot, reads it into a new instance and thread, and resumes those:
 * the loops of fused instructions park and come back where they were. */
static uint32_t run_through_snapshots(kernel *k, uint64_t fuel,
                                      uint64_t *parks) {
  lull_val a = small_arg(k), r;
  memset(&r, 0, sizeof r);
  *parks = 0;
  lull_thread_set_fuel(k->t, fuel);
  lull_status s = lull_call(k->t, k->run, &a, 1, &r, 1);
  while (s == LULL_SUSPENDED) {
    (*parks)++;
    uint8_t *snap;
    size_t len;
    lull_error err;
    assert_int_equal(
        lull_snapshot_write(k->t, k->inst, NULL, 0, &snap, &len, &err),
        LULL_OK);
    lull_thread_free(k->t);
    lull_instance_free(k->inst);
    assert_int_equal(lull_snapshot_read(k->e, k->m, NULL, 0, snap, len,
                                        &k->inst, &k->t, NULL, NULL, &err),
                     LULL_OK);
    lull_snapshot_free(k->e, snap, len);
    lull_thread_set_fuel(k->t, fuel);
    s = lull_resume(k->t, NULL, 0, &r, 1);
  }
  if (s != LULL_OK)
    fail_msg("%s: %s: %s", k->info->name, lull_status_str(s),
             lull_thread_trap_message(k->t));
  return (uint32_t)r.of.i32;
}

/* run_through_snapshots with `fuel` a turn gives the result of an
 * uninterrupted run, after more than a few snapshots. */
static void through_snapshots(kernel *k, uint64_t fuel) {
  uint64_t parks;
  assert_int_equal(run_through_snapshots(k, fuel, &parks),
                   k->info->small_checksum);
  print_message("%s: %llu snapshots\n", k->info->name,
                (unsigned long long)parks);
  assert_true(parks > 3);
}

/* The kernels whose inner loops are fused memory updates (c[j] += x * b[j],
 * v -= dx * m * k) or switches (a bytecode loop whose cases jump back to
 * its fetch, a state machine over bytes): little fuel, and snapshots at
 * some of the parks. */
static void memory_kernels_with_fuel_and_snapshots(void **state) {
  same_results_with_little_fuel(*state);
  through_snapshots(*state, 200000);
}

/* Kernels of calls (direct, and through a table with their arguments'
 * moves in the call): a snapshot at each park, which is often a function
 * entry's, with its callers waiting at each kind of call. */
static void calls_through_snapshots(void **state) {
  through_snapshots(*state, 20000);
}

static void fib_with_fuel_1_7_1000(void **state) {
  same_results_with_little_fuel(*state);
}

static void sha256_with_fuel_1_7_1000(void **state) {
  same_results_with_little_fuel(*state);
}

/* Fuel is per thread and survives between calls: what one call leaves is
 * what the next starts with. */
static void fuel_left_carries_over(void **state) {
  kernel *k = *state;
  lull_val a, r;
  memset(&a, 0, sizeof a);
  a.type = LULL_I32;
  a.of.i32 = 10;
  lull_thread_set_fuel(k->t, 100000);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 55);
  uint64_t left = lull_thread_fuel(k->t);
  assert_true(left < 100000 && left > 0);
  uint64_t one = 100000 - left;
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(lull_thread_fuel(k->t), 100000 - 2 * one);

  /* Exactly enough for one run: the next one parks. */
  lull_thread_set_fuel(k->t, one);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(lull_thread_fuel(k->t), 0);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(k->t), LULL_PARK_FUEL);

  /* A fuel park takes no host results. */
  lull_val junk = a;
  assert_int_equal(lull_resume(k->t, &junk, 1, &r, 1), LULL_BADARG);
  assert_int_equal(lull_thread_state_of(k->t), LULL_THREAD_SUSPENDED);
  /* Without new fuel it parks again at once. */
  assert_int_equal(lull_resume(k->t, NULL, 0, &r, 1), LULL_SUSPENDED);
  /* Turning fuel off lets it finish. */
  lull_thread_set_fuel(k->t, LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_thread_fuel(k->t), LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_resume(k->t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 55);
}

/* run() takes fuel in parts (dispatch.h): a run charged many parts' worth
 * is charged the same total U whatever the thread starts with, finishes
 * on exactly U with none left, and parks on U - 1. */
static void fuel_is_exact_across_parts(void **state) {
  kernel *k = *state;
  lull_val a = small_arg(k), r;
  lull_thread_set_fuel(k->t, LOTS);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  uint64_t u = LOTS - lull_thread_fuel(k->t);
  assert_true(u > 100 * ((uint64_t)1 << 14));
  lull_thread_set_fuel(k->t, u + 12345);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(lull_thread_fuel(k->t), 12345);
  lull_thread_set_fuel(k->t, u);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(lull_thread_fuel(k->t), 0);
  assert_int_equal((uint32_t)r.of.i32, k->info->small_checksum);
  lull_thread_set_fuel(k->t, u - 1);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(k->t), LULL_PARK_FUEL);
  assert_int_equal(lull_thread_fuel(k->t), 0);
  lull_thread_set_fuel(k->t, LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_resume(k->t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, k->info->small_checksum);
}

/* Compiled without safepoints, a thread never parks for fuel (the
 * documented way to measure what the checks cost). */
static void no_safepoints_no_fuel_parks(void **state) {
  kernel *k = *state;
  lull_val a = small_arg(k), r;
  lull_thread_set_fuel(k->t, 1);
  assert_int_equal(lull_call(k->t, k->run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, k->info->small_checksum);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(fib_with_fuel_1_7_1000, setup_fib,
                                      teardown),
      cmocka_unit_test_setup_teardown(sha256_with_fuel_1_7_1000, setup_sha256,
                                      teardown),
      cmocka_unit_test_setup_teardown(memory_kernels_with_fuel_and_snapshots,
                                      setup_imatrix, teardown),
      cmocka_unit_test_setup_teardown(memory_kernels_with_fuel_and_snapshots,
                                      setup_matmul, teardown),
      cmocka_unit_test_setup_teardown(memory_kernels_with_fuel_and_snapshots,
                                      setup_nbody, teardown),
      cmocka_unit_test_setup_teardown(memory_kernels_with_fuel_and_snapshots,
                                      setup_vm, teardown),
      cmocka_unit_test_setup_teardown(memory_kernels_with_fuel_and_snapshots,
                                      setup_fsm, teardown),
      cmocka_unit_test_setup_teardown(calls_through_snapshots, setup_fib,
                                      teardown),
      cmocka_unit_test_setup_teardown(calls_through_snapshots, setup_calls,
                                      teardown),
      cmocka_unit_test_setup_teardown(fuel_left_carries_over, setup_fib,
                                      teardown),
      cmocka_unit_test_setup_teardown(fuel_is_exact_across_parts, setup_fib,
                                      teardown),
      cmocka_unit_test_setup_teardown(no_safepoints_no_fuel_parks,
                                      setup_fib_no_safepoints, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_loop.c -- the scheduler (lull_uv.h): many tasks, exit codes and
 * results, traps, fuel slices interleaving spinning guests while a host
 * timer keeps firing, kills in every state, memory limits, an embedder's
 * suspending host function, freeing the scheduler early, and snapshots.
 *
 * The guests are tests/wat/loop_*.wat; each test makes its own engine,
 * loop and scheduler and frees them, so the loop must close cleanly (every
 * handle closed) and leak checkers see nothing left.
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

/* ---------------------------------------------------------------------
 * Fixture: engine, loop, scheduler, one module
 * ------------------------------------------------------------------- */

typedef struct fixture {
  lull_engine *e;
  uv_loop_t loop;
  lull_uv_sched *s;
  lull_module *m;
} fixture;

static void fx_init(fixture *f, const char *module, uint64_t fuel_slice) {
  memset(f, 0, sizeof *f);
  f->e = lull_engine_new(NULL);
  assert_non_null(f->e);
  assert_int_equal(uv_loop_init(&f->loop), 0);
  lull_uv_config cfg;
  lull_uv_config_init(&cfg);
  if (fuel_slice)
    cfg.fuel_slice = fuel_slice;
  f->s = lull_uv_sched_new(&f->loop, f->e, &cfg);
  assert_non_null(f->s);
  f->m = test_load(f->e, module);
}

/* Frees the scheduler, lets the loop close every handle, and checks that
 * nothing is left on it. */
static void fx_done(fixture *f) {
  lull_uv_sched_free(f->s);
  uv_run(&f->loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&f->loop), 0);
  lull_module_free(f->m);
  lull_engine_free(f->e);
}

/* What an exit callback saw. */
typedef struct outcome {
  int calls;
  lull_uv_exit_kind kind;
  uint32_t code;
  char message[256];
  lull_val results[4];
  size_t nresults;
  size_t nframes;
  char frame0[64], frame1[64];
  uint64_t at;           /* uv_hrtime() of the callback */
  lull_uv_sched *s;      /* set: free the scheduler from the callback */
} outcome;

static void record_exit(lull_uv_task *task, const lull_uv_exit *ex,
                        void *ud) {
  outcome *o = ud;
  (void)task;
  o->calls++;
  o->kind = ex->kind;
  o->code = ex->code;
  o->at = uv_hrtime();
  snprintf(o->message, sizeof o->message, "%s", ex->message);
  o->nresults = ex->nresults < 4 ? ex->nresults : 4;
  for (size_t i = 0; i < o->nresults; i++)
    o->results[i] = ex->results[i];
  o->nframes = ex->nframes;
  if (ex->nframes > 0 && ex->frames[0].func_name)
    snprintf(o->frame0, sizeof o->frame0, "%s", ex->frames[0].func_name);
  if (ex->nframes > 1 && ex->frames[1].func_name)
    snprintf(o->frame1, sizeof o->frame1, "%s", ex->frames[1].func_name);
  if (o->s)
    lull_uv_sched_free(o->s);
}

static lull_val i32v(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

static lull_val i64v(int64_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I64;
  x.of.i64 = v;
  return x;
}

static lull_uv_task *spawn(fixture *f, const char *entry,
                           const lull_val *args, size_t nargs, outcome *o) {
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.entry = entry;
  cfg.args = args;
  cfg.nargs = nargs;
  lull_uv_task *task = NULL;
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status st = lull_uv_task_spawn(f->s, f->m, &cfg, record_exit, o,
                                      &task, &err);
  if (st != LULL_OK)
    fail_msg("spawn %s: %s", entry, err.message);
  return task;
}

/* A one-shot timer calling `fn(ud)` after `ms`. */
typedef struct after {
  uv_timer_t t;
  void (*fn)(void *);
  void *ud;
} after;

static void after_fire(uv_timer_t *t) {
  after *a = (after *)t;
  a->fn(a->ud);
  uv_close((uv_handle_t *)t, NULL);
}

static void after_start(after *a, uv_loop_t *loop, uint64_t ms,
                        void (*fn)(void *), void *ud) {
  a->fn = fn;
  a->ud = ud;
  uv_timer_init(loop, &a->t);
  uv_timer_start(&a->t, after_fire, ms, 0);
}

static void kill_task(void *ud) {
  assert_int_equal(lull_uv_task_kill(ud), LULL_OK);
}

static double ms_since(uint64_t t0) { return (double)(uv_hrtime() - t0) / 1e6; }

/* ---------------------------------------------------------------------
 * Exits, results, traps
 * ------------------------------------------------------------------- */

/* Many tasks on one loop, each exiting through proc_exit with its own
 * code, plus one whose _start returns (exit 0). */
static void exit_codes(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  enum { N = 200 };
  outcome *o = calloc(N + 1, sizeof *o);
  for (int i = 0; i < N; i++) {
    lull_val a = i32v(i % 256);
    spawn(&f, "exit", &a, 1, &o[i]);
  }
  spawn(&f, NULL, NULL, 0, &o[N]);
  assert_int_equal(lull_uv_sched_count(f.s), N + 1);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  for (int i = 0; i < N; i++) {
    assert_int_equal(o[i].calls, 1);
    assert_int_equal(o[i].kind, LULL_UV_EXITED);
    assert_int_equal(o[i].code, i % 256);
    assert_int_equal(o[i].nresults, 0);
  }
  assert_int_equal(o[N].calls, 1);
  assert_int_equal(o[N].kind, LULL_UV_EXITED);
  assert_int_equal(o[N].code, 0);
  assert_int_equal(lull_uv_sched_count(f.s), 0);
  free(o);
  fx_done(&f);
}

static void results_of_entry(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_val a[2] = {i32v(40), i32v(2)};
  spawn(&f, "add", a, 2, &o);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.calls, 1);
  assert_int_equal(o.kind, LULL_UV_EXITED);
  assert_int_equal(o.nresults, 1);
  assert_int_equal(o.results[0].type, LULL_I32);
  assert_int_equal(o.results[0].of.i32, 42);
  fx_done(&f);
}

static void trap_with_backtrace(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  spawn(&f, "trap", NULL, 0, &o);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.calls, 1);
  assert_int_equal(o.kind, LULL_UV_TRAPPED);
  assert_non_null(strstr(o.message, "unreachable"));
  assert_true(o.nframes >= 3);
  assert_string_equal(o.frame0, "inner");
  assert_string_equal(o.frame1, "outer");
  fx_done(&f);
}

/* A reactor's _initialize runs before the entry. */
static void reactor_initialize(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_reactor", 0);
  outcome o = {0};
  spawn(&f, "get", NULL, 0, &o);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.kind, LULL_UV_EXITED);
  assert_int_equal(o.nresults, 1);
  assert_int_equal(o.results[0].of.i32, 42);
  fx_done(&f);
}

/* Spawning fails cleanly and never calls the exit callback. */
static void spawn_errors(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  lull_error err;
  lull_uv_task *task = (lull_uv_task *)&o;

  cfg.entry = "no_such_export";
  assert_int_equal(lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, &task,
                                      &err),
                   LULL_NOTFOUND);
  assert_null(task);
  assert_non_null(strstr(err.message, "no_such_export"));

  cfg.entry = "memory";
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, NULL, &err),
      LULL_NOTFOUND);

  cfg.entry = "add"; /* two i32 expected */
  lull_val one = i64v(1);
  cfg.args = &one;
  cfg.nargs = 1;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, NULL, &err),
      LULL_BADARG);
  lull_val two[2] = {i32v(1), i64v(2)};
  cfg.args = two;
  cfg.nargs = 2;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, NULL, &err),
      LULL_BADARG);
  assert_non_null(strstr(err.message, "argument 1"));

  cfg.args = NULL;
  cfg.nargs = 0;
  cfg.entry = NULL;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, NULL, &o, NULL, &err), LULL_BADARG);

  lull_module *bad = test_load(f.e, "loop_unlinkable");
  assert_int_equal(
      lull_uv_task_spawn(f.s, bad, &cfg, record_exit, &o, NULL, &err),
      LULL_UNLINKABLE);
  lull_module_free(bad);

  assert_int_equal(lull_uv_sched_count(f.s), 0);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.calls, 0);
  fx_done(&f);
}

/* ---------------------------------------------------------------------
 * Time slices: spinning guests never starve the host
 * ------------------------------------------------------------------- */

typedef struct ticker {
  uv_timer_t t;
  uint64_t last;
  double worst_gap_ms;
  long calls, calls_then, worst_calls; /* host calls made, between ticks */
  int ticks, stop_at;
  lull_uv_task *tasks[2];
} ticker;

static void on_ticker(uv_timer_t *t) {
  ticker *k = (ticker *)t;
  uint64_t now = uv_hrtime();
  double gap = (double)(now - k->last) / 1e6;
  if (gap > k->worst_gap_ms)
    k->worst_gap_ms = gap;
  k->last = now;
  if (k->calls - k->calls_then > k->worst_calls)
    k->worst_calls = k->calls - k->calls_then;
  k->calls_then = k->calls;
  if (++k->ticks == k->stop_at) {
    for (int i = 0; i < 2; i++)
      if (k->tasks[i])
        assert_int_equal(lull_uv_task_kill(k->tasks[i]), LULL_OK);
    uv_close((uv_handle_t *)t, NULL);
  }
}

/* Two guests that never call the host spin on one loop with a host timer
 * every 10 ms. Fuel slices interleave them (both get many slices), and
 * the timer keeps its pace. */
static void spinners_share_the_loop(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 20000);
  outcome o[2] = {{0}, {0}};
  ticker k;
  memset(&k, 0, sizeof k);
  k.stop_at = 30;
  k.tasks[0] = spawn(&f, "spin_forever", NULL, 0, &o[0]);
  k.tasks[1] = spawn(&f, "spin_forever", NULL, 0, &o[1]);
  uv_timer_init(&f.loop, &k.t);
  k.last = uv_hrtime();
  uv_timer_start(&k.t, on_ticker, 10, 10);
  uint64_t t0 = uv_hrtime();
  /* Stats are read in the kill: keep them before the tasks go. */
  lull_uv_task_stats st[2];
  uv_run(&f.loop, UV_RUN_ONCE);
  while (k.ticks < k.stop_at) {
    lull_uv_task_stats_of(k.tasks[0], &st[0]);
    lull_uv_task_stats_of(k.tasks[1], &st[1]);
    uv_run(&f.loop, UV_RUN_ONCE);
  }
  uv_run(&f.loop, UV_RUN_DEFAULT);
  double total = ms_since(t0);
  assert_int_equal(k.ticks, 30);
  assert_int_equal(o[0].kind, LULL_UV_KILLED);
  assert_int_equal(o[1].kind, LULL_UV_KILLED);
  /* 30 ticks of 10 ms: about 300 ms; a starved timer would never fire. */
  assert_true(total < 3000.0);
  if (k.worst_gap_ms > 500.0)
    fail_msg("the host timer waited %.1f ms between ticks", k.worst_gap_ms);
  assert_true(st[0].slices > 10);
  assert_true(st[1].slices > 10);
  assert_true(st[0].fuel_parks > 10);
  /* Round robin: neither got more than about twice the other's share. */
  assert_true(st[0].slices < 2 * st[1].slices + 2);
  assert_true(st[1].slices < 2 * st[0].slices + 2);
  fx_done(&f);
}

/* A guest spinning on the clock (many host calls) and a sleeping guest on
 * one loop: the sleeper wakes on time although the spinner never waits. */
static void sleeper_wakes_while_spinner_spins(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome spin = {0}, sleep = {0};
  lull_val ms_spin = i64v(600);
  lull_val sl[2] = {i64v(200), i32v(3)};
  uint64_t t0 = uv_hrtime();
  spawn(&f, "spin", &ms_spin, 1, &spin);
  spawn(&f, "sleep_exit", sl, 2, &sleep);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(sleep.kind, LULL_UV_EXITED);
  assert_int_equal(sleep.code, 3);
  assert_int_equal(spin.kind, LULL_UV_EXITED);
  assert_int_equal(spin.results[0].type, LULL_I64);
  assert_true(spin.results[0].of.i64 > 0);
  double slept = (double)(sleep.at - t0) / 1e6;
  double spun = (double)(spin.at - t0) / 1e6;
  if (slept < 190.0 || slept > 450.0)
    fail_msg("the 200 ms sleep ended after %.1f ms", slept);
  assert_true(spun >= 590.0);
  fx_done(&f);
}

/* A host function that takes 200 us of wall time; counts its calls in
 * the ticker `env`. */
static lull_hostret host_slow(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)hc;
  (void)args;
  (void)results;
  ((ticker *)env)->calls++;
  uint64_t until = uv_hrtime() + 200000;
  while (uv_hrtime() < until) {
  }
  return LULL_HOST_RETURN;
}

static lull_status link_slow(lull_uv_task *task, lull_linker *l, void *ud,
                             lull_error *err) {
  (void)err;
  lull_functype ty = {0, 0, NULL, NULL};
  lull_func *fn = lull_func_new(lull_uv_sched_engine(lull_uv_task_sched(task)),
                                &ty, host_slow, ud, NULL);
  lull_extern ext;
  ext.kind = LULL_EXTERN_FUNC;
  ext.of.func = fn;
  lull_status st = lull_linker_define(l, "test", "slow", &ext);
  lull_func_free(fn);
  return st;
}

/* A guest whose every few instructions cost 200 us: with the default fuel
 * slice (10^6 units, minutes of such calls) taken literally the loop
 * would stop; slices sized by time keep a 10 ms host timer on pace. The
 * pace is judged by how many slow calls run between two ticks (the first
 * slice makes a few hundred, later ones about ten), not by wall time,
 * which a busy machine stretches. */
static void slow_host_calls_keep_slices_short(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_slow", 0);
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  outcome o = {0};
  ticker k;
  memset(&k, 0, sizeof k);
  cfg.link = link_slow;
  cfg.link_ud = &k;
  k.stop_at = 20;
  lull_error err;
  assert_int_equal(lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o,
                                      &k.tasks[0], &err),
                   LULL_OK);
  uv_timer_init(&f.loop, &k.t);
  k.last = uv_hrtime();
  uv_timer_start(&k.t, on_ticker, 10, 10);
  uint64_t t0 = uv_hrtime();
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(k.ticks, 20);
  assert_int_equal(o.kind, LULL_UV_KILLED);
  if (k.worst_calls > 1000)
    fail_msg("%ld slow host calls ran between two ticks", k.worst_calls);
  assert_true(ms_since(t0) < 30000.0);
  fx_done(&f);
}

/* ---------------------------------------------------------------------
 * Kills
 * ------------------------------------------------------------------- */

/* Killing a sleeping task cancels its timer: the loop ends at once, not
 * after the 10 s sleep. */
static void kill_while_sleeping(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_val a[2] = {i64v(10000), i32v(1)};
  lull_uv_task *task = spawn(&f, "sleep_exit", a, 2, &o);
  after k;
  after_start(&k, &f.loop, 50, kill_task, task);
  uint64_t t0 = uv_hrtime();
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.calls, 1);
  assert_int_equal(o.kind, LULL_UV_KILLED);
  assert_string_equal(o.message, "killed");
  assert_true(ms_since(t0) < 2000.0);
  fx_done(&f);
}

static void kill_while_running(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 10000);
  outcome o = {0};
  lull_uv_task *task = spawn(&f, "spin_forever", NULL, 0, &o);
  after k;
  after_start(&k, &f.loop, 50, kill_task, task);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.calls, 1);
  assert_int_equal(o.kind, LULL_UV_KILLED);
  fx_done(&f);
}

/* A kill before the first slice, a second kill, and a kill after the end
 * all keep the callback to exactly one call. */
static void kill_once(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_uv_task *task = spawn(&f, NULL, NULL, 0, &o);
  assert_int_equal(lull_uv_task_state_of(task), LULL_UV_READY);
  assert_int_equal(lull_uv_task_kill(task), LULL_OK);
  assert_int_equal(lull_uv_task_state_of(task), LULL_UV_DONE);
  assert_null(lull_uv_task_instance(task));
  assert_int_equal(lull_uv_task_kill(task), LULL_BADSTATE);
  assert_int_equal(o.calls, 0); /* never from inside the kill */
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o.calls, 1);
  assert_int_equal(o.kind, LULL_UV_KILLED);
  assert_int_equal(lull_uv_task_kill(NULL), LULL_BADARG);
  fx_done(&f);
}

/* ---------------------------------------------------------------------
 * Limits
 * ------------------------------------------------------------------- */

static void memory_limit(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.entry = "grow";
  lull_val pages = i32v(1);
  cfg.args = &pages;
  cfg.nargs = 1;
  cfg.max_memory_pages = 2; /* the module has 1 page */
  outcome o1 = {0}, o2 = {0};
  lull_error err;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o1, NULL, &err),
      LULL_OK);
  pages = i32v(2); /* 1 + 2 > 2: memory.grow fails with -1 */
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o2, NULL, &err),
      LULL_OK);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(o1.results[0].of.i32, 1);
  assert_int_equal(o2.results[0].of.i32, -1);
  fx_done(&f);
}

static void memory_limit_below_initial(void **state) {
  (void)state;
  fixture f;
  lull_engine *e = lull_engine_new(NULL);
  assert_non_null(e);
  memset(&f, 0, sizeof f);
  f.e = e;
  assert_int_equal(uv_loop_init(&f.loop), 0);
  f.s = lull_uv_sched_new(&f.loop, e, NULL);
  /* A module with 3 pages. */
  static const uint8_t three_pages[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                        5, 3, 1, 0, 3};
  assert_int_equal(
      lull_module_new(e, three_pages, sizeof three_pages, &f.m, NULL),
      LULL_OK);
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.max_memory_pages = 2;
  outcome o = {0};
  lull_error err;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, NULL, &err),
      LULL_BADARG);
  assert_non_null(strstr(err.message, "limit"));
  assert_int_equal(lull_uv_sched_count(f.s), 0);
  fx_done(&f);
}

/* ---------------------------------------------------------------------
 * An embedder's host function that suspends
 * ------------------------------------------------------------------- */

typedef struct waiter {
  uv_timer_t t;
  lull_uv_task *task;
  int32_t arg;
  int started;
} waiter;

static void waiter_fire(uv_timer_t *t) {
  waiter *w = (waiter *)t;
  lull_val r = i32v(w->arg + 1);
  assert_int_equal(lull_uv_task_state_of(w->task), LULL_UV_WAITING);
  assert_int_equal(lull_uv_task_wake(w->task, &r, 1), LULL_OK);
  assert_int_equal(lull_uv_task_wake(w->task, &r, 1), LULL_BADSTATE);
}

static lull_hostret host_wait(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)results;
  (void)hc;
  waiter *w = env;
  w->arg = args[0].of.i32;
  w->started = 1;
  assert_int_equal(lull_uv_task_state_of(w->task), LULL_UV_RUNNING);
  uv_timer_start(&w->t, waiter_fire, 20, 0);
  return lull_host_suspend(hc, 0);
}

static lull_status link_wait(lull_uv_task *task, lull_linker *l, void *ud,
                             lull_error *err) {
  (void)err;
  waiter *w = ud;
  w->task = task;
  lull_valtype p[1] = {LULL_I32}, r[1] = {LULL_I32};
  lull_functype ty = {1, 1, p, r};
  lull_func *fn = lull_func_new(lull_uv_sched_engine(lull_uv_task_sched(task)),
                                &ty, host_wait, w, NULL);
  lull_extern ext;
  ext.kind = LULL_EXTERN_FUNC;
  ext.of.func = fn;
  lull_status st = lull_linker_define(l, "test", "wait", &ext);
  lull_func_free(fn);
  return st;
}

static lull_status link_refuse(lull_uv_task *task, lull_linker *l, void *ud,
                               lull_error *err) {
  (void)task;
  (void)l;
  (void)ud;
  snprintf(err->message, sizeof err->message, "refused by the test");
  return LULL_UNLINKABLE;
}

static void embedder_host_function_wakes(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_host", 0);
  waiter w;
  memset(&w, 0, sizeof w);
  uv_timer_init(&f.loop, &w.t);
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.entry = "run";
  lull_val a = i32v(20);
  cfg.args = &a;
  cfg.nargs = 1;
  cfg.link = link_wait;
  cfg.link_ud = &w;
  outcome o = {0};
  lull_error err;
  lull_uv_task *task;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, &task, &err),
      LULL_OK);
  lull_uv_task_set_data(task, &w);
  assert_ptr_equal(lull_uv_task_data(task), &w);
  assert_int_equal(lull_uv_task_wake(task, NULL, 0), LULL_BADSTATE);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_true(w.started);
  assert_int_equal(o.kind, LULL_UV_EXITED);
  assert_int_equal(o.results[0].of.i32, 42); /* (20 + 1) * 2 */
  uv_close((uv_handle_t *)&w.t, NULL);

  cfg.link = link_refuse;
  assert_int_equal(
      lull_uv_task_spawn(f.s, f.m, &cfg, record_exit, &o, NULL, &err),
      LULL_UNLINKABLE);
  assert_string_equal(err.message, "refused by the test");
  fx_done(&f);
}

/* ---------------------------------------------------------------------
 * Freeing the scheduler with tasks alive
 * ------------------------------------------------------------------- */

static void stop_loop(void *ud) { uv_stop(ud); }

/* Sleeping, spinning and queued tasks are all freed, without callbacks,
 * and the loop closes. */
static void free_with_live_tasks(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 10000);
  outcome o[3] = {{0}, {0}, {0}};
  lull_val a[2] = {i64v(10000), i32v(1)};
  spawn(&f, "sleep_exit", a, 2, &o[0]);
  spawn(&f, "spin_forever", NULL, 0, &o[1]);
  after k;
  after_start(&k, &f.loop, 30, stop_loop, &f.loop);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  spawn(&f, NULL, NULL, 0, &o[2]); /* never runs */
  assert_int_equal(lull_uv_sched_count(f.s), 3);
  fx_done(&f);
  for (int i = 0; i < 3; i++)
    assert_int_equal(o[i].calls, 0);
}

/* The scheduler freed from an exit callback, with another task asleep. */
static void free_from_exit_callback(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome first = {0}, other = {0};
  first.s = f.s;
  lull_val a[2] = {i64v(10000), i32v(1)};
  spawn(&f, "sleep_exit", a, 2, &other);
  spawn(&f, NULL, NULL, 0, &first);
  uint64_t t0 = uv_hrtime();
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(first.calls, 1);
  assert_int_equal(other.calls, 0);
  assert_true(ms_since(t0) < 2000.0);
  f.s = NULL; /* already freed */
  assert_int_equal(uv_loop_close(&f.loop), 0);
  lull_module_free(f.m);
  lull_engine_free(f.e);
}

/* ---------------------------------------------------------------------
 * Snapshots
 * ------------------------------------------------------------------- */

typedef struct saved {
  int calls;
  lull_status status;
  uint8_t *bytes;
  size_t len;
  char message[256];
  int kill; /* kill the task from the callback */
} saved;

static void on_saved(lull_uv_task *task, lull_status st, const uint8_t *bytes,
                     size_t len, const lull_error *err, void *ud) {
  saved *s = ud;
  s->calls++;
  s->status = st;
  if (st == LULL_OK) {
    s->bytes = malloc(len);
    memcpy(s->bytes, bytes, len);
    s->len = len;
  } else {
    assert_non_null(err);
    snprintf(s->message, sizeof s->message, "%s", err->message);
  }
  if (s->kill)
    assert_int_equal(lull_uv_task_kill(task), LULL_OK);
}

static void request_snapshot(void *ud) {
  void **p = ud;
  assert_int_equal(lull_uv_task_snapshot(p[0], on_saved, p[1]), LULL_OK);
  assert_int_equal(lull_uv_task_snapshot(p[0], on_saved, p[1]),
                   LULL_BADSTATE);
}

/* Saves a task sleeping 400 ms after 100 ms, kills it, restores it on a
 * new loop and scheduler: it exits with its code about when the original
 * sleep would have ended. */
static void snapshot_sleeping_task_and_restore(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_val a[2] = {i64v(400), i32v(9)};
  uint64_t t0 = uv_hrtime();
  lull_uv_task *task = spawn(&f, "sleep_exit", a, 2, &o);
  saved s = {0};
  s.kill = 1;
  void *p[2] = {task, &s};
  after k;
  after_start(&k, &f.loop, 100, request_snapshot, p);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(s.calls, 1);
  if (s.status != LULL_OK)
    fail_msg("snapshot: %s", s.message);
  assert_int_equal(o.kind, LULL_UV_KILLED);
  assert_true(ms_since(t0) < 350.0);

  lull_uv_snapshot_info info;
  assert_int_equal(lull_uv_snapshot_info_of(s.bytes, s.len, &info, NULL),
                   LULL_OK);
  assert_int_equal(info.entry_len, strlen("sleep_exit"));
  assert_memory_equal(info.entry, "sleep_exit", info.entry_len);

  fixture g;
  fx_init(&g, "loop_guest", 0);
  outcome r = {0};
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_uv_task *back;
  lull_status st = lull_uv_task_restore(g.s, g.m, s.bytes, s.len, NULL,
                                        record_exit, &r, &back, &err);
  if (st != LULL_OK)
    fail_msg("restore: %s", err.message);
  assert_int_equal(lull_uv_task_state_of(back), LULL_UV_WAITING);
  uv_run(&g.loop, UV_RUN_DEFAULT);
  assert_int_equal(r.calls, 1);
  assert_int_equal(r.kind, LULL_UV_EXITED);
  assert_int_equal(r.code, 9);
  double ended = (double)(r.at - t0) / 1e6;
  if (ended < 390.0 || ended > 1000.0)
    fail_msg("the restored 400 ms sleep ended after %.1f ms", ended);
  free(s.bytes);
  fx_done(&g);
  fx_done(&f);
}

/* A spinning task is saved between two slices and continues after the
 * callback; restored, it spins on until killed. */
static void snapshot_spinning_task(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 10000);
  outcome o = {0};
  lull_uv_task *task = spawn(&f, "spin_forever", NULL, 0, &o);
  saved s = {0};
  void *p[2] = {task, &s};
  after k1, k2;
  after_start(&k1, &f.loop, 20, request_snapshot, p);
  after_start(&k2, &f.loop, 60, kill_task, task);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(s.calls, 1);
  if (s.status != LULL_OK)
    fail_msg("snapshot: %s", s.message);
  assert_int_equal(o.kind, LULL_UV_KILLED);

  fixture g;
  fx_init(&g, "loop_guest", 10000);
  outcome r = {0};
  lull_error err;
  lull_uv_task *back;
  lull_status st = lull_uv_task_restore(g.s, g.m, s.bytes, s.len, NULL,
                                        record_exit, &r, &back, &err);
  if (st != LULL_OK)
    fail_msg("restore: %s", err.message);
  assert_int_equal(lull_uv_task_state_of(back), LULL_UV_READY);
  after k3;
  after_start(&k3, &g.loop, 30, kill_task, back);
  uv_run(&g.loop, UV_RUN_DEFAULT);
  assert_int_equal(r.kind, LULL_UV_KILLED);
  lull_uv_task_stats_of(NULL, NULL);
  free(s.bytes);
  fx_done(&g);
  fx_done(&f);
}

/* A task that ends before it parks reports the snapshot as failed, before
 * its exit callback. */
static void snapshot_of_task_that_ends(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_val a = i32v(5);
  lull_uv_task *task = spawn(&f, "exit", &a, 1, &o);
  saved s = {0};
  assert_int_equal(lull_uv_task_snapshot(task, on_saved, &s), LULL_OK);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  assert_int_equal(s.calls, 1);
  assert_int_equal(s.status, LULL_BADSTATE);
  assert_non_null(strstr(s.message, "ended"));
  assert_int_equal(o.calls, 1);
  assert_int_equal(o.code, 5);
  fx_done(&f);
}

/* Bad snapshot bytes are refused with a message, never a crash, and
 * nothing is left on the scheduler. */
static void snapshot_bytes_refused(void **state) {
  (void)state;
  fixture f;
  fx_init(&f, "loop_guest", 0);
  outcome o = {0};
  lull_val a[2] = {i64v(5000), i32v(0)};
  lull_uv_task *task = spawn(&f, "sleep_exit", a, 2, &o);
  saved s = {0};
  s.kill = 1;
  void *p[2] = {task, &s};
  after k;
  after_start(&k, &f.loop, 10, request_snapshot, p);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  if (s.status != LULL_OK)
    fail_msg("snapshot: %s", s.message);

  lull_error err;
  lull_uv_snapshot_info info;
  /* Not a snapshot at all. */
  static const uint8_t junk[] = "not a snapshot";
  assert_int_equal(lull_uv_snapshot_info_of(junk, sizeof junk, &info, &err),
                   LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "not a lull task snapshot"));
  assert_int_equal(lull_uv_snapshot_info_of(NULL, 0, &info, &err),
                   LULL_BADSNAPSHOT);
  /* Every truncation. */
  for (size_t n = 0; n < s.len; n += 1 + n / 8) {
    assert_int_equal(lull_uv_snapshot_info_of(s.bytes, n, &info, &err),
                     LULL_BADSNAPSHOT);
    assert_int_equal(lull_uv_task_restore(f.s, f.m, s.bytes, n, NULL,
                                          record_exit, &o, NULL, &err),
                     LULL_BADSNAPSHOT);
  }
  /* Every flipped byte (sampled): the checksum or a field catches it. */
  uint8_t *copy = malloc(s.len + 1);
  for (size_t i = 0; i < s.len; i += 1 + i / 16) {
    memcpy(copy, s.bytes, s.len);
    copy[i] ^= 0x5a;
    assert_int_equal(lull_uv_task_restore(f.s, f.m, copy, s.len, NULL,
                                          record_exit, &o, NULL, &err),
                     LULL_BADSNAPSHOT);
  }
  /* A byte too many. */
  memcpy(copy, s.bytes, s.len);
  copy[s.len] = 0;
  assert_int_equal(lull_uv_snapshot_info_of(copy, s.len + 1, &info, &err),
                   LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "after the end"));
  /* Another version. */
  memcpy(copy, s.bytes, s.len);
  copy[8] = 99;
  assert_int_equal(lull_uv_snapshot_info_of(copy, s.len, &info, &err),
                   LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "version 99"));
  /* Another module: the core snapshot's hash refuses it. */
  lull_module *other = test_load(f.e, "loop_reactor");
  assert_int_equal(lull_uv_task_restore(f.s, other, s.bytes, s.len, NULL,
                                        record_exit, &o, NULL, &err),
                   LULL_BADSNAPSHOT);
  lull_module_free(other);
  free(copy);
  free(s.bytes);
  assert_int_equal(lull_uv_sched_count(f.s), 0);
  uv_run(&f.loop, UV_RUN_DEFAULT);
  fx_done(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exit_codes),
      cmocka_unit_test(results_of_entry),
      cmocka_unit_test(trap_with_backtrace),
      cmocka_unit_test(reactor_initialize),
      cmocka_unit_test(spawn_errors),
      cmocka_unit_test(spinners_share_the_loop),
      cmocka_unit_test(sleeper_wakes_while_spinner_spins),
      cmocka_unit_test(slow_host_calls_keep_slices_short),
      cmocka_unit_test(kill_while_sleeping),
      cmocka_unit_test(kill_while_running),
      cmocka_unit_test(kill_once),
      cmocka_unit_test(memory_limit),
      cmocka_unit_test(memory_limit_below_initial),
      cmocka_unit_test(embedder_host_function_wakes),
      cmocka_unit_test(free_with_live_tasks),
      cmocka_unit_test(free_from_exit_callback),
      cmocka_unit_test(snapshot_sleeping_task_and_restore),
      cmocka_unit_test(snapshot_spinning_task),
      cmocka_unit_test(snapshot_of_task_that_ends),
      cmocka_unit_test(snapshot_bytes_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

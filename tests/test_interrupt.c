/*
 * test_interrupt.c -- lull_thread_interrupt: from the guest's own host
 * function (parks at the very next safepoint), set before a call, from a
 * second OS thread while the guest spins in a loop that nothing else ends,
 * and from a SIGALRM handler. Resuming continues the loop where it was.
 *
 * A broken interrupt would leave the guest spinning for ever, so each test
 * that waits for one has a watchdog that ends the process with a message
 * (a failed test, not a hung one).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lull.h"
#include "test_util.h"

/* How long an interrupt may take to land before the test gives up. The
 * real bound is a handful of instructions; this one allows for a loaded
 * machine and sanitizers. */
#define WATCHDOG_SECONDS 20

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_func *poke;
  lull_instance *inst;
  lull_thread *t;
  lull_func *spin, *poke_every;
  lull_global *count;
  uint8_t *mem;
} fixture;

/* poke(): interrupts the thread it runs on. */
static lull_hostret host_poke(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)args;
  (void)results;
  (void)env;
  lull_thread_interrupt(lull_hostcall_thread(hc));
  return LULL_HOST_RETURN;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->e = lull_engine_new(NULL);
  assert_non_null(f->e);
  f->m = test_load(f->e, "suspend_spin");
  lull_functype none = {0, 0, NULL, NULL};
  f->poke = lull_func_new(f->e, &none, host_poke, NULL, NULL);
  assert_non_null(f->poke);
  lull_extern imports[1] = {{LULL_EXTERN_FUNC, {.func = f->poke}}};
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, imports, 1, &f->inst, &err),
                   LULL_OK);
  f->t = lull_thread_new(f->e);
  assert_non_null(f->t);
  f->spin = lull_instance_func(f->inst, "spin");
  f->poke_every = lull_instance_func(f->inst, "poke_every");
  lull_extern x;
  assert_int_equal(lull_instance_export(f->inst, "count", &x), LULL_OK);
  f->count = x.of.global;
  f->mem = lull_memory_data(lull_instance_memory(f->inst));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_thread_free(f->t);
  lull_instance_free(f->inst);
  lull_func_free(f->poke);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static int64_t count_of(const fixture *f) {
  lull_val v;
  lull_global_get(f->count, &v);
  return v.of.i64;
}

static void assert_interrupted(lull_thread *t) {
  assert_int_equal(lull_thread_state_of(t), LULL_THREAD_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(t), LULL_PARK_INTERRUPT);
}

/* Sets the guest's stop flag and resumes: the loop sees it and returns
 * its own count, which must go on from where the global was. */
static int64_t stop_and_finish(fixture *f) {
  lull_val r;
  f->mem[0] = 1;
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.type, LULL_I64);
  return r.of.i64;
}

/* The guest interrupts itself in every 1000th iteration: it parks at the
 * loop header right after, having finished exactly that iteration, and
 * each resume runs on to the next 1000. */
static void interrupt_parks_at_the_next_safepoint(void **state) {
  fixture *f = *state;
  lull_val k = {.type = LULL_I64, .of.i64 = 1000}, r;
  assert_int_equal(lull_call(f->t, f->poke_every, &k, 1, &r, 1),
                   LULL_SUSPENDED);
  for (int64_t n = 1000; n <= 5000; n += 1000) {
    assert_interrupted(f->t);
    assert_int_equal(lull_thread_park_tag(f->t), 0);
    assert_int_equal(count_of(f), n);
    if (n < 5000)
      assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_SUSPENDED);
  }
  assert_int_equal(stop_and_finish(f), 5000);
  assert_int_equal(lull_thread_state_of(f->t), LULL_THREAD_FINISHED);
}

/* An interrupt that comes while the thread is idle parks the next call
 * at its first safepoint, before the loop has run once. */
static void interrupt_before_the_call(void **state) {
  fixture *f = *state;
  lull_val r;
  lull_thread_interrupt(f->t);
  lull_thread_interrupt(f->t); /* twice is once */
  assert_int_equal(lull_call(f->t, f->spin, NULL, 0, &r, 1), LULL_SUSPENDED);
  assert_interrupted(f->t);
  assert_int_equal(count_of(f), 0);
  /* A park for an interrupt takes no host results. */
  lull_val junk = {.type = LULL_I32};
  assert_int_equal(lull_resume(f->t, &junk, 1, &r, 1), LULL_BADARG);
  assert_interrupted(f->t);
  assert_int_equal(stop_and_finish(f), 0);
}

/* ------------------------------------------------------------------ */
/* From another OS thread                                               */
/* ------------------------------------------------------------------ */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The second thread: waits until the guest has visibly started spinning
 * (its count moves), interrupts it, and then watches for the park. */
typedef struct interrupter {
  lull_thread *t;
  atomic_int go;       /* set by the main thread before each round */
  atomic_int parked;   /* set by the main thread when the call returned */
  _Atomic double sent_at; /* when the interrupt was sent */
  int rounds;
} interrupter;

static void *interrupter_main(void *arg) {
  interrupter *in = arg;
  for (int round = 0; round < in->rounds; round++) {
    while (!atomic_load(&in->go))
      usleep(100);
    atomic_store(&in->go, 0);
    /* Let the guest spin a while: 20 ms. */
    usleep(20000);
    double sent = now_s();
    atomic_store(&in->sent_at, sent);
    lull_thread_interrupt(in->t);
    while (!atomic_load(&in->parked)) {
      if (now_s() - sent > WATCHDOG_SECONDS) {
        fprintf(stderr, "test_interrupt: the guest did not park within "
                        "%d s of lull_thread_interrupt\n", WATCHDOG_SECONDS);
        _exit(1);
      }
      usleep(100);
    }
    atomic_store(&in->parked, 0);
  }
  return NULL;
}

static void interrupt_from_another_thread(void **state) {
  fixture *f = *state;
  interrupter in = {.t = f->t, .rounds = 3};
  atomic_init(&in.go, 0);
  atomic_init(&in.parked, 0);
  atomic_init(&in.sent_at, 0.0);
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, interrupter_main, &in), 0);

  lull_val r;
  int64_t last = 0;
  for (int round = 0; round < in.rounds; round++) {
    atomic_store(&in.go, 1);
    lull_status s = round == 0 ? lull_call(f->t, f->spin, NULL, 0, &r, 1)
                               : lull_resume(f->t, NULL, 0, &r, 1);
    double took = now_s() - atomic_load(&in.sent_at);
    atomic_store(&in.parked, 1);
    assert_int_equal(s, LULL_SUSPENDED);
    assert_interrupted(f->t);
    /* Parked promptly after the interrupt (a lost one would never get
     * here). A resumed thread runs at least the rest of the iteration it
     * parked in, so the count grows from round to round; stop_and_finish
     * checks the loop's own counter went on from the same place. */
    print_message("round %d: parked %.1f us after the interrupt, count %lld\n",
                  round, took * 1e6, (long long)count_of(f));
    assert_true(took < 2.0);
    assert_true(round == 0 || count_of(f) > last);
    last = count_of(f);
  }
  assert_int_equal(pthread_join(th, NULL), 0);
  assert_int_equal(stop_and_finish(f), last);
}

/* ------------------------------------------------------------------ */
/* From a signal handler                                                */
/* ------------------------------------------------------------------ */

static lull_thread *volatile alarm_thread;
static volatile sig_atomic_t alarms;

/* SIGALRM every millisecond: the first tick interrupts the guest; the
 * thread then parks, the test disarms the timer, so a tick count that
 * keeps growing means the interrupt was lost. */
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
  if (alarms == 1) {
    lull_thread_interrupt(alarm_thread);
  } else if (alarms > WATCHDOG_SECONDS * 1000) {
    static const char msg[] =
        "test_interrupt: the guest did not park after SIGALRM\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
  }
}

static void arm(long usec) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  it.it_value.tv_usec = usec;
  it.it_interval.tv_usec = usec;
  assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void interrupt_from_a_signal_handler(void **state) {
  fixture *f = *state;
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
  alarm_thread = f->t;

  lull_val r;
  int64_t last = 0;
  for (int round = 0; round < 3; round++) {
    alarms = 0;
    arm(1000);
    lull_status s = round == 0 ? lull_call(f->t, f->spin, NULL, 0, &r, 1)
                               : lull_resume(f->t, NULL, 0, &r, 1);
    arm(0);
    assert_int_equal(s, LULL_SUSPENDED);
    assert_interrupted(f->t);
    assert_true(alarms >= 1);
    assert_true(round == 0 || count_of(f) > last);
    last = count_of(f);
  }
  assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
  assert_int_equal(stop_and_finish(f), last);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(interrupt_parks_at_the_next_safepoint,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(interrupt_before_the_call, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(interrupt_from_another_thread, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(interrupt_from_a_signal_handler, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_snapshot.c -- snapshots: taken at several points of a long
 * computation and resumed in another process (helper_snapshot) to the
 * same result; identical states giving identical bytes; zero pages
 * costing nothing; continuations registered by name; and every kind of
 * bad snapshot refused without a crash or a leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "interp/snapshot_internal.h"
#include "lull.h"
#include "snap_common.h"
#include "test_util.h"

#define N 1000

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  unsigned char *bytes;
  size_t len;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  char path[1024];
  snprintf(path, sizeof path, "%s/snap.wasm", LULL_TEST_WASM_DIR);
  f->bytes = test_read_file(path, &f->len);
  assert_non_null(f->bytes);
  f->e = lull_engine_new(NULL);
  lull_error err;
  assert_int_equal(lull_module_new(f->e, f->bytes, f->len, &f->m, &err),
                   LULL_OK);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  free(f->bytes);
  free(f);
  return 0;
}

/* Starts run(N) on a new instance whose checkpoints park at `stops`. */
static lull_status start(fixture *f, const int32_t *stops, lull_instance **inst,
                         lull_thread **t, lull_val *r) {
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(f->e, stops)}};
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, &im, 1, inst, &err), LULL_OK);
  lull_func_free(im.of.func);
  *t = lull_thread_new(f->e);
  lull_val n = {.type = LULL_I32, .of.i32 = N};
  return lull_call(*t, lull_instance_func(*inst, "run"), &n, 1, r, 1);
}

static uint64_t uninterrupted(fixture *f) {
  lull_instance *inst;
  lull_thread *t;
  lull_val r;
  assert_int_equal(start(f, NULL, &inst, &t, &r), LULL_OK);
  lull_thread_free(t);
  lull_instance_free(inst);
  return (uint64_t)r.of.i64;
}

/* Runs helper_snapshot on a snapshot file and returns what it printed. */
static uint64_t resume_in_child(const char *snap) {
  char module[1024], out[64];
  snprintf(module, sizeof module, "%s/snap.wasm", LULL_TEST_WASM_DIR);
  assert_int_equal(
      test_run_helper("helper_snapshot", module, snap, out, sizeof out), 0);
  assert_true(out[0] != '\0');
  return strtoull(out, NULL, 16);
}

static void snapshots_resume_in_another_process(void **state) {
  fixture *f = *state;
  uint64_t expect = uninterrupted(f);
  static const int32_t stops[] = {0, 51, 350, 351, 950, -1};
  lull_instance *inst;
  lull_thread *t;
  lull_val r;
  lull_status s = start(f, stops, &inst, &t, &r);
  int taken = 0;
  char path[256];
  snprintf(path, sizeof path, "/tmp/lull-test-snap-%d", (int)getpid());
  while (s == LULL_SUSPENDED) {
    uint8_t *snap;
    size_t len;
    lull_error err;
    assert_int_equal(lull_snapshot_write(t, inst, "xyz", 3, &snap, &len, &err),
                     LULL_OK);
    assert_int_equal(test_write_file(path, snap, len), 0);
    lull_snapshot_free(f->e, snap, len);
    /* The other process continues from here to the same end. */
    assert_true(resume_in_child(path) == expect);
    taken++;
    s = snap_continue(t, &r);
  }
  unlink(path);
  assert_int_equal(s, LULL_OK);
  assert_int_equal(taken, 5);
  assert_true((uint64_t)r.of.i64 == expect);
  lull_thread_free(t);
  lull_instance_free(inst);
}

static void snapshots_at_fuel_parks(void **state) {
  fixture *f = *state;
  uint64_t expect = uninterrupted(f);
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(f->e, NULL)}};
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, &im, 1, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(f->e);
  lull_val n = {.type = LULL_I32, .of.i32 = N}, r;
  lull_thread_set_fuel(t, 5000);
  lull_status s = lull_call(t, lull_instance_func(inst, "run"), &n, 1, &r, 1);
  int parks = 0;
  while (s == LULL_SUSPENDED) {
    assert_int_equal(lull_thread_park_reason(t), LULL_PARK_FUEL);
    uint8_t *snap;
    size_t len;
    assert_int_equal(lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err),
                     LULL_OK);
    /* Restore into a second instance and finish it there. */
    lull_instance *i2;
    lull_thread *t2;
    assert_int_equal(lull_snapshot_read(f->e, f->m, &im, 1, snap, len, &i2,
                                        &t2, NULL, NULL, &err),
                     LULL_OK);
    lull_val r2;
    assert_int_equal(snap_finish(t2, &r2), LULL_OK);
    assert_true((uint64_t)r2.of.i64 == expect);
    lull_thread_free(t2);
    lull_instance_free(i2);
    lull_snapshot_free(f->e, snap, len);
    parks++;
    lull_thread_set_fuel(t, 5000);
    s = lull_resume(t, NULL, 0, &r, 1);
  }
  assert_int_equal(s, LULL_OK);
  assert_true(parks > 10);
  assert_true((uint64_t)r.of.i64 == expect);
  lull_func_free(im.of.func);
}

/* Two runs to the same park give the same bytes; the memory's 60 untouched
 * pages of 64 cost nothing. */
static void identical_states_identical_bytes(void **state) {
  fixture *f = *state;
  static const int32_t stops[] = {351, -1};
  uint8_t *snap[2];
  size_t len[2];
  for (int k = 0; k < 2; k++) {
    lull_instance *inst;
    lull_thread *t;
    lull_val r;
    assert_int_equal(start(f, stops, &inst, &t, &r), LULL_SUSPENDED);
    /* Pages the guest never touched stay out of the snapshot. */
    assert_int_equal(lull_memory_grow(lull_instance_memory(inst), 60), 4);
    lull_error err;
    assert_int_equal(
        lull_snapshot_write(t, inst, NULL, 0, &snap[k], &len[k], &err),
        LULL_OK);
    lull_thread_free(t);
    lull_instance_free(inst);
  }
  assert_int_equal(len[0], len[1]);
  assert_memory_equal(snap[0], snap[1], len[0]);
  /* run(1000) writes 8000 bytes of memory: two 4 KiB chunks, plus a
   * little for frames and tables; nowhere near 64 pages. */
  assert_true(len[0] < 3 * 4096 + 4096);
  for (int k = 0; k < 2; k++)
    lull_snapshot_free(f->e, snap[k], len[k]);
}

/* A snapshot of a thread parked at `stop`, and its bytes. */
static void take(fixture *f, int32_t stop, uint8_t **snap, size_t *len) {
  int32_t stops[2] = {stop, -1};
  lull_instance *inst;
  lull_thread *t;
  lull_val r;
  lull_error err;
  assert_int_equal(start(f, stops, &inst, &t, &r), LULL_SUSPENDED);
  assert_int_equal(lull_snapshot_write(t, inst, "extra", 5, snap, len, &err),
                   LULL_OK);
  lull_thread_free(t);
  lull_instance_free(inst);
}

static lull_status try_read(fixture *f, const uint8_t *p, size_t n,
                            lull_error *err) {
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(f->e, NULL)}};
  lull_instance *inst = (lull_instance *)1;
  lull_thread *t = (lull_thread *)1;
  lull_status s =
      lull_snapshot_read(f->e, f->m, &im, 1, p, n, &inst, &t, NULL, NULL, err);
  if (s == LULL_OK) {
    lull_val r;
    assert_int_equal(snap_finish(t, &r), LULL_OK);
    lull_thread_free(t);
    lull_instance_free(inst);
  } else {
    assert_null(inst);
    assert_null(t);
  }
  lull_func_free(im.of.func);
  return s;
}

static void truncated_and_damaged_snapshots_are_refused(void **state) {
  fixture *f = *state;
  uint8_t *snap;
  size_t len;
  take(f, 350, &snap, &len);
  lull_error err;
  assert_int_equal(try_read(f, snap, len, &err), LULL_OK);
  const uint8_t *x;
  size_t xlen;
  assert_int_equal(lull_snapshot_extra(snap, len, &x, &xlen, &err), LULL_OK);
  assert_int_equal(xlen, 5);
  assert_memory_equal(x, "extra", 5);
  for (size_t n = 0; n < len; n++) {
    assert_int_equal(try_read(f, snap, n, &err), LULL_BADSNAPSHOT);
    assert_int_equal(lull_snapshot_extra(snap, n, &x, &xlen, &err),
                     LULL_BADSNAPSHOT);
  }
  uint8_t *copy = malloc(len);
  for (size_t i = 0; i < LULLI_SNAP_HEADER; i++) {
    memcpy(copy, snap, len);
    copy[i] ^= 0x20;
    assert_int_equal(try_read(f, copy, len, &err), LULL_BADSNAPSHOT);
  }
  /* Any byte of the body: the checksum catches it. */
  for (size_t i = LULLI_SNAP_HEADER; i < len; i += 7) {
    memcpy(copy, snap, len);
    copy[i] ^= 0x01;
    assert_int_equal(try_read(f, copy, len, &err), LULL_BADSNAPSHOT);
    assert_non_null(strstr(err.message, "checksum"));
  }
  memcpy(copy, snap, len);
  copy[8] ^= 1; /* the version */
  assert_int_equal(try_read(f, copy, len, &err), LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "version"));
  free(copy);
  lull_snapshot_free(f->e, snap, len);
}

static void another_module_is_refused(void **state) {
  fixture *f = *state;
  uint8_t *snap;
  size_t len;
  take(f, 0, &snap, &len);
  /* The same module with one more custom section is another module. */
  size_t n2 = f->len + 4;
  uint8_t *b2 = malloc(n2);
  memcpy(b2, f->bytes, f->len);
  memcpy(b2 + f->len, "\x00\x02\x01x", 4);
  lull_module *m2;
  lull_error err;
  assert_int_equal(lull_module_new(f->e, b2, n2, &m2, &err), LULL_OK);
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(f->e, NULL)}};
  lull_instance *inst;
  lull_thread *t;
  assert_int_equal(lull_snapshot_read(f->e, m2, &im, 1, snap, len, &inst, &t,
                                      NULL, NULL, &err),
                   LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "another module"));
  lull_func_free(im.of.func);
  lull_module_free(m2);
  free(b2);
  lull_snapshot_free(f->e, snap, len);
}

/* Rewrites a snapshot's checksum after a change, as a crafted snapshot
 * would, so the structural checks are what must refuse it. */
static void reseal(uint8_t *p, size_t len) {
  uint32_t crc = lulli_crc32(p + LULLI_SNAP_HEADER, len - LULLI_SNAP_HEADER);
  for (int i = 0; i < 4; i++)
    p[52 + i] = (uint8_t)(crc >> (8 * i));
}

static size_t body_u32(const uint8_t *p, size_t at) {
  return (size_t)p[at] | (size_t)p[at + 1] << 8 | (size_t)p[at + 2] << 16 |
         (size_t)p[at + 3] << 24;
}

/* Where the Wasm frames of a snapshot start, and their operand counts. */
typedef struct frame_walk {
  size_t frame[64], nops[64];
  size_t n, end;
} frame_walk;

static size_t skip_values(const uint8_t *p, size_t at, size_t n) {
  for (size_t k = 0; k < n; k++)
    at += 1 + lulli_snap_width(p[at]);
  return at;
}

/* Walks `n` frames, all Wasm ones, from `at`. */
static void walk_frames(const uint8_t *p, size_t at, size_t n,
                        frame_walk *w) {
  assert_true(n <= 64);
  w->n = n;
  for (size_t i = 0; i < n; i++) {
    w->frame[i] = at;
    assert_int_equal(p[at], 0);
    at += 1 + 4 + 4;
    at = skip_values(p, at + 4, body_u32(p, at));
    w->nops[i] = at;
    at = skip_values(p, at + 4, body_u32(p, at));
  }
  w->end = at;
}

static void crafted_values_that_do_not_fit_are_refused(void **state) {
  fixture *f = *state;
  uint8_t *snap;
  size_t len;
  take(f, 350, &snap, &len);
  uint8_t *c = malloc(len);
  lull_error err;
  /* The body starts with the extra bytes: "extra", 5 of them; then the
   * exceptions' count (none here). */
  const size_t exns = LULLI_SNAP_HEADER + 8 + 5;
  const size_t body = exns + 4;
  /* Fields at fixed places: root function, park reason, frame count,
   * then the first frame (kind, function, park offset, local count, the
   * first local's type code). */
  const size_t root = body, park = body + 4, nframes = body + 4 + 1 + 8 + 16;
  const size_t frame1 = nframes + 4;
  frame_walk w;
  walk_frames(snap, frame1, body_u32(snap, nframes), &w);
  assert_int_equal(w.n, 22); /* run, then $deep 21 times */
  struct {
    size_t at;
    uint32_t value;
    int width;
    const char *why;
  } cases[] = {
      {root, 999, 4, "names function 999"},
      {park, 9, 1, "park reason"},
      /* the first frame read as the pending call */
      {nframes, 0, 4, "the pending host call names function"},
      {nframes, 0x7FFFFFFF, 4, "frames"},
      /* $deep returns an i32, the called function an i64 */
      {frame1 + 1, 3, 4, "frame 1 does not return what"},
      {frame1 + 5, 12, 4, "frame 1: function 4 has no call at byte 12"},
      {frame1, 1, 1, "not a host function"},
      {exns, 0x7FFFFFFF, 4, "exceptions: more than the bytes left"},
      /* one exception, whose tag index is the root function's 4 bytes */
      {exns, 1, 4, "names tag"},
      {frame1 + 9, 2, 4, "frame 1 holds 2 locals; function 4 has 3"},
      {frame1 + 13, 0x7E, 1, "local 0 has type 0x7e, not i32"},
      {w.nops[0], 0, 4, "frame 1 holds 0 operands; its park point has 1"},
      /* run keeps the operand below its call of $deep in local $h */
      {w.nops[0] + 4 + 1, 12345, 4, "operand 0 differs from the local"},
      /* frame 2 ($deep) waits where run does, which is no call of $deep */
      {w.frame[1] + 5, body_u32(snap, frame1 + 5), 4, "frame 2: function 3 has no call"},
      /* the top frame waits in a call, not at a loop or entry */
      {w.frame[21] + 5, body_u32(snap, frame1 + 5) - 200, 4, "frame 22: function 3 has no call"},
      /* a pending call to a Wasm function */
      {w.end, 2, 4, "not to a host function"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    memcpy(c, snap, len);
    for (int i = 0; i < cases[k].width; i++)
      c[cases[k].at + i] = (uint8_t)(cases[k].value >> (8 * i));
    reseal(c, len);
    assert_int_equal(try_read(f, c, len, &err), LULL_BADSNAPSHOT);
    if (!strstr(err.message, cases[k].why))
      fail_msg("case %zu: %s", k, err.message);
  }
  free(c);
  lull_snapshot_free(f->e, snap, len);
}

/* Memory larger than the module allows (64 pages) is refused. */
static void memory_over_the_maximum_is_refused(void **state) {
  fixture *f = *state;
  uint8_t *snap;
  size_t len;
  take(f, 0, &snap, &len);
  /* Find the memory count (1) followed by the page count (4). */
  size_t at = 0;
  for (size_t i = len - 16; i > LULLI_SNAP_HEADER; i--)
    if (body_u32(snap, i) == 1 && body_u32(snap, i + 4) == 4) {
      at = i + 4;
      break;
    }
  assert_true(at > 0);
  uint8_t *c = malloc(len);
  memcpy(c, snap, len);
  c[at] = 65;
  reseal(c, len);
  lull_error err;
  assert_int_equal(try_read(f, c, len, &err), LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "pages"));
  free(c);
  lull_snapshot_free(f->e, snap, len);
}

/* A snapshot taken inside a continuation, read by engines with and
 * without the continuation registered. */
static lull_hostret cont_done(lull_hostcall *hc, const lull_val *callee,
                              void *st, size_t len, lull_val *results,
                              void *env) {
  (void)hc;
  (void)env;
  assert_int_equal(len, 4);
  int32_t base;
  memcpy(&base, st, 4);
  results[0].type = LULL_I64;
  results[0].of.i64 = callee[0].of.i64 + base;
  return LULL_HOST_RETURN;
}

typedef struct callenv {
  lull_func *run;
  const lull_cont *k;
} callenv;

static lull_hostret host_calls_run(lull_hostcall *hc, const lull_val *args,
                                   lull_val *results, void *env) {
  callenv *ce = env;
  (void)results;
  lull_val n = {.type = LULL_I32, .of.i32 = args[0].of.i32};
  int32_t base = 1000;
  return lull_host_call(hc, ce->run, &n, 1, ce->k, &base, sizeof base);
}

static void continuations_travel_by_name(void **state) {
  fixture *f = *state;
  uint64_t expect = uninterrupted(f);
  static const int32_t stops[] = {350, -1};
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(f->e, stops)}};
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, &im, 1, &inst, &err), LULL_OK);
  callenv ce = {lull_instance_func(inst, "run"),
                lull_cont_register(f->e, "snap.done", cont_done, NULL)};
  assert_non_null(ce.k);
  assert_null(lull_cont_register(f->e, "snap.done", cont_done, NULL));
  static const lull_valtype i32[1] = {LULL_I32}, i64[1] = {LULL_I64};
  lull_functype ht = {1, 1, i32, i64};
  lull_func *outer = lull_func_new(f->e, &ht, host_calls_run, &ce, NULL);
  lull_thread *t = lull_thread_new(f->e);
  lull_val n = {.type = LULL_I32, .of.i32 = N}, r;
  assert_int_equal(lull_call(t, outer, &n, 1, &r, 1), LULL_SUSPENDED);
  /* The outer host function is not part of the instance. */
  uint8_t *snap;
  size_t len;
  assert_int_equal(lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err),
                   LULL_BADSTATE);
  assert_non_null(strstr(err.message, "outside the instance"));
  lull_val a = {.type = LULL_I32, .of.i32 = snap_answer(350)};
  assert_int_equal(lull_resume(t, &a, 1, &r, 1), LULL_OK);
  assert_true((uint64_t)r.of.i64 == expect + 1000);
  lull_thread_free(t);
  lull_func_free(outer);
  lull_func_free(im.of.func);
  lull_instance_free(inst);
}

/* via(x): calls inner(x) through lull_host_call; the continuation adds
 * the 1000 kept in its state. */
static lull_hostret host_via(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  callenv *ce = env;
  (void)results;
  ce->run = lull_instance_func(lull_hostcall_instance(hc), "inner");
  int32_t base = 1000;
  return lull_host_call(hc, ce->run, args, 1, ce->k, &base, sizeof base);
}

static lull_hostret cont_add(lull_hostcall *hc, const lull_val *callee,
                             void *st, size_t len, lull_val *results,
                             void *env) {
  (void)hc;
  (void)env;
  int32_t base;
  assert_int_equal(len, 4);
  memcpy(&base, st, 4);
  results[0].of.i32 = callee[0].of.i32 + base;
  return LULL_HOST_RETURN;
}

/* Instantiates snapcont in engine `e`; registers the continuation when
 * `with_cont`. */
static lull_module *snapcont(lull_engine *e, int with_cont, callenv *ce,
                             lull_extern im[2]) {
  lull_module *m = test_load(e, "snapcont");
  static const int32_t stops[] = {7, -1};
  ce->k = with_cont ? lull_cont_register(e, "snap.add", cont_add, NULL) : NULL;
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype t = {1, 1, i32, i32};
  im[0].kind = im[1].kind = LULL_EXTERN_FUNC;
  im[0].of.func = snap_host(e, stops);
  im[1].of.func = lull_func_new(e, &t, host_via, ce, NULL);
  return m;
}

static void continuations_resume_from_a_snapshot(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  callenv ce;
  lull_extern im[2];
  lull_module *m = snapcont(e, 1, &ce, im);
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, im, 2, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_val x = {.type = LULL_I32, .of.i32 = 7}, r;
  assert_int_equal(lull_call(t, lull_instance_func(inst, "outer"), &x, 1, &r, 1),
                   LULL_SUSPENDED);
  uint8_t *snap;
  size_t len;
  assert_int_equal(lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err),
                   LULL_OK);
  int32_t expect = snap_answer(7) * 2 + 1000 + 1;

  /* An engine that registered the continuation resumes it. */
  lull_engine *e2 = lull_engine_new(NULL);
  callenv ce2;
  lull_extern im2[2];
  lull_module *m2 = snapcont(e2, 1, &ce2, im2);
  lull_instance *i2;
  lull_thread *t2;
  assert_int_equal(lull_snapshot_read(e2, m2, im2, 2, snap, len, &i2, &t2,
                                      NULL, NULL, &err),
                   LULL_OK);
  assert_int_equal(snap_finish(t2, &r), LULL_OK);
  assert_int_equal(r.of.i32, expect);
  lull_engine_free(e2);

  /* One that did not refuses the snapshot, naming what is missing. */
  lull_engine *e3 = lull_engine_new(NULL);
  callenv ce3;
  lull_extern im3[2];
  lull_module *m3 = snapcont(e3, 0, &ce3, im3);
  assert_int_equal(lull_snapshot_read(e3, m3, im3, 2, snap, len, &i2, &t2,
                                      NULL, NULL, &err),
                   LULL_BADSNAPSHOT);
  assert_non_null(strstr(err.message, "\"snap.add\""));
  lull_engine_free(e3);

  /* And the original finishes too. */
  lull_val a = {.type = LULL_I32, .of.i32 = snap_answer(7)};
  assert_int_equal(lull_resume(t, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, expect);
  lull_snapshot_free(e, snap, len);
  lull_engine_free(e);
}

/* An engine that compiles lazily compiles the parked frames' functions
 * while it reads the snapshot. */
static void restores_into_a_lazy_engine(void **state) {
  fixture *f = *state;
  uint64_t expect = uninterrupted(f);
  uint8_t *snap;
  size_t len;
  take(f, 350, &snap, &len);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.lazy_compile = 1;
  lull_engine *e2 = lull_engine_new(&cfg);
  lull_module *m2;
  lull_error err;
  assert_int_equal(lull_module_new(e2, f->bytes, f->len, &m2, &err), LULL_OK);
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(e2, NULL)}};
  lull_instance *i2;
  lull_thread *t2;
  assert_int_equal(lull_snapshot_read(e2, m2, &im, 1, snap, len, &i2, &t2,
                                      NULL, NULL, &err),
                   LULL_OK);
  lull_val r;
  assert_int_equal(snap_finish(t2, &r), LULL_OK);
  assert_true((uint64_t)r.of.i64 == expect);
  lull_engine_free(e2);
  lull_snapshot_free(f->e, snap, len);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(snapshots_resume_in_another_process,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(snapshots_at_fuel_parks, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(identical_states_identical_bytes, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          truncated_and_damaged_snapshots_are_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(another_module_is_refused, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          crafted_values_that_do_not_fit_are_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(memory_over_the_maximum_is_refused,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(continuations_travel_by_name, setup,
                                      teardown),
      cmocka_unit_test(continuations_resume_from_a_snapshot),
      cmocka_unit_test_setup_teardown(restores_into_a_lazy_engine, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

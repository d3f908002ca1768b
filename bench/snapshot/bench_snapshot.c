/*
 * bench_snapshot.c -- what a snapshot of a big, deep guest costs: its size
 * in bytes and the time lull_snapshot_write and lull_snapshot_read take,
 * for a guest that filled MIB MiB of memory (every 4 KiB chunk non-zero,
 * so none is skipped) and parked in a host call FRAMES Wasm frames deep.
 * Each frame holds an i32, an i64, an f64 and a v128 local and an i64 on
 * its operand stack. Prints one table row: medians over RUNS runs of
 * wall-clock time (a snapshot is I/O-shaped work; the process is
 * otherwise idle), and checks that every read snapshot resumes to the
 * result of an uninterrupted run.
 *
 *   bench-snapshot [--runs N] [--frames N] [--mib N]
 *
 * The exit status is 0 when every run succeeded and resumed correctly, 1
 * if not, 2 for bad options.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lull.h"
#include "lull_text.h"

#define MAX_RUNS 101

/* rec(d, x, f, v) recurses d deep with its values live in locals and
 * x on the operand stack across each call, then parks in the host's
 * `park`, whose answer comes back up the chain. */
static const char guest_wat[] =
    "(module\n"
    "  (import \"env\" \"park\" (func $park (result i32)))\n"
    "  (memory (export \"mem\") 1 65536)\n"
    "  (func $rec (param $d i32) (param $x i64) (param $f f64)\n"
    "             (param $v v128) (result i64)\n"
    "    (if (result i64) (i32.eqz (local.get $d))\n"
    "      (then (i64.add (i64.extend_i32_u (call $park))\n"
    "                     (i64.trunc_f64_s (local.get $f))))\n"
    "      (else\n"
    "        (i64.add (local.get $x)\n"
    "          (call $rec (i32.sub (local.get $d) (i32.const 1))\n"
    "                     (i64.add (local.get $x) (i64.const 3))\n"
    "                     (f64.add (local.get $f) (f64.const 0.5))\n"
    "                     (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 "
    "4)))))))\n"
    "  (func (export \"run\") (param $d i32) (param $pages i32) (result i64)\n"
    "    (drop (memory.grow (local.get $pages)))\n"
    "    (memory.fill (i32.const 0) (i32.const 0xa5)\n"
    "                 (i32.mul (local.get $pages) (i32.const 65536)))\n"
    "    (call $rec (local.get $d) (i64.const 1) (f64.const 0.25)\n"
    "               (v128.const i32x4 0 0 0 0))))\n";

static lull_hostret park(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  return lull_host_suspend(hc, 1);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, unsigned n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned long arg_num(const char *s, unsigned long lo,
                             unsigned long hi) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
    fprintf(stderr, "bench-snapshot: bad number %s\n", s);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  unsigned runs = 7, frames = 10000, mib = 64;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
      runs = (unsigned)arg_num(argv[++i], 1, MAX_RUNS);
    else if (i + 1 < argc && strcmp(argv[i], "--frames") == 0)
      frames = (unsigned)arg_num(argv[++i], 1, 1000000);
    else if (i + 1 < argc && strcmp(argv[i], "--mib") == 0)
      mib = (unsigned)arg_num(argv[++i], 1, 4000);
    else {
      fprintf(stderr,
              "usage: bench-snapshot [--runs N] [--frames N] [--mib N]\n");
      return 2;
    }
  }
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.stack_limit = (size_t)frames * 256 + (1u << 20);
  lull_engine *e = lull_engine_new(&cfg);
  lull_error err;
  uint8_t *wasm = NULL;
  size_t wasm_len = 0;
  lull_module *m = NULL;
  int rc = 1;
  if (!e ||
      lull_wat_to_wasm(e, guest_wat, sizeof guest_wat - 1, &wasm, &wasm_len,
                       &err) != LULL_OK ||
      lull_module_new(e, wasm, wasm_len, &m, &err) != LULL_OK) {
    fprintf(stderr, "bench-snapshot: %s\n", e ? err.message : "no engine");
    goto done;
  }
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {0, 1, NULL, i32};
  lull_func *host = lull_func_new(e, &ft, park, NULL, NULL);
  lull_extern im = {LULL_EXTERN_FUNC, {.func = host}};
  lull_instance *inst;
  if (lull_instantiate(e, m, &im, 1, &inst, &err) != LULL_OK) {
    fprintf(stderr, "bench-snapshot: %s\n", err.message);
    goto done;
  }
  lull_thread *t = lull_thread_new(e);
  lull_val args[2] = {{.type = LULL_I32, .of.i32 = (int32_t)frames},
                      {.type = LULL_I32, .of.i32 = (int32_t)(mib * 16)}};
  lull_val r, answer = {.type = LULL_I32, .of.i32 = 7};
  if (lull_call(t, lull_instance_func(inst, "run"), args, 2, &r, 1) !=
      LULL_SUSPENDED) {
    fprintf(stderr, "bench-snapshot: the guest did not park: %s\n",
            lull_thread_trap_message(t));
    goto done;
  }
  double wr[MAX_RUNS], rd[MAX_RUNS];
  size_t size = 0;
  int64_t expect = 0;
  for (unsigned k = 0; k < runs; k++) {
    uint8_t *snap;
    size_t len;
    double t0 = now_ns();
    lull_status s = lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err);
    double t1 = now_ns();
    if (s != LULL_OK) {
      fprintf(stderr, "bench-snapshot: write: %s\n", err.message);
      goto done;
    }
    lull_instance *i2;
    lull_thread *t2;
    double t2s = now_ns();
    s = lull_snapshot_read(e, m, &im, 1, snap, len, &i2, &t2, NULL, NULL,
                           &err);
    double t3 = now_ns();
    lull_snapshot_free(e, snap, len);
    if (s != LULL_OK) {
      fprintf(stderr, "bench-snapshot: read: %s\n", err.message);
      goto done;
    }
    wr[k] = t1 - t0;
    rd[k] = t3 - t2s;
    size = len;
    lull_val r2;
    s = lull_resume(t2, &answer, 1, &r2, 1);
    lull_thread_free(t2);
    lull_instance_free(i2);
    if (s != LULL_OK || (k && r2.of.i64 != expect)) {
      fprintf(stderr, "bench-snapshot: run %u resumed wrongly\n", k);
      goto done;
    }
    expect = r2.of.i64;
  }
  if (lull_resume(t, &answer, 1, &r, 1) != LULL_OK || r.of.i64 != expect) {
    fprintf(stderr, "bench-snapshot: the original finished differently\n");
    goto done;
  }
  printf("| memory | frames | snapshot bytes | write ms | read ms | runs |\n");
  printf("|---|---|---|---|---|---|\n");
  printf("| %u MiB | %u | %zu | %.1f | %.1f | %u |\n", mib, frames, size,
         median(wr, runs) / 1e6, median(rd, runs) / 1e6, runs);
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_func_free(host);
  rc = 0;
done:
  if (wasm)
    lull_wasm_free(e, wasm, wasm_len);
  lull_engine_free(e);
  return rc;
}

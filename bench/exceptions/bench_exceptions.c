/*
 * bench_exceptions.c -- what exception handling costs.
 *
 *   bench-exceptions [--runs N] [--iters N] [--one EXPORT [--arg X]]
 *
 * Throws: a loop whose body calls a function N frames deep (N = 1, 10,
 * 100) inside a try_table; the innermost frame throws, the try_table
 * catches. Beside it, the same loop where the innermost frame returns
 * instead, so the difference is what the throw and the unwind cost over
 * returning through the same frames. Printed: ns per iteration of each,
 * and that difference.
 *
 * No throw: a hot loop that enters and leaves a try_table (with a catch
 * clause) every iteration, against the same loop with a plain block, with
 * the body computing inline and calling a small function. A try_table
 * compiles to its block alone, so the two should be within noise.
 *
 * Each figure is the median of --runs runs (default 7) of process CPU
 * time, so other work on a shared machine counts less. --one runs one
 * export once, EXPORT(iters, X), and prints nothing: for instruction
 * counts under callgrind (--toggle-collect=lull_call), which are stable
 * where times are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bench_util.h"
#include "lull.h"
#include "lull_text.h"

static const char guest[] =
    "(module\n"
    "  (tag $e (param i32))\n"
    "  (func $down (param $d i32) (result i32)\n"
    "    (if (i32.eqz (local.get $d)) (then (throw $e (local.get $d))))\n"
    "    (i32.add (call $down (i32.sub (local.get $d) (i32.const 1)))\n"
    "             (i32.const 1)))\n"
    "  (func $down_ret (param $d i32) (result i32)\n"
    "    (if (i32.eqz (local.get $d)) (then (return (local.get $d))))\n"
    "    (i32.add (call $down_ret (i32.sub (local.get $d) (i32.const 1)))\n"
    "             (i32.const 1)))\n"
    "  (func (export \"throws\") (param $n i32) (param $d i32) (result i32)\n"
    "    (local $s i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (try_table (result i32) (catch $e $h) (call $down (local.get $d))))\n"
    "      (local.set $s (i32.add (local.get $s)))\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
    "    (local.get $s))\n"
    "  (func (export \"returns\") (param $n i32) (param $d i32) (result i32)\n"
    "    (local $s i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (try_table (result i32) (catch $e $h)\n"
    "          (call $down_ret (local.get $d))))\n"
    "      (local.set $s (i32.add (local.get $s)))\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
    "    (local.get $s))\n"
    "  (func $small (param i32) (result i32)\n"
    "    (i32.xor (local.get 0) (i32.const 0x5bd1e995)))\n"
    "  (func (export \"try_inline\") (param $n i32) (param $x i32) (result i32)\n"
    "    (local $s i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (try_table (result i32) (catch $e $h)\n"
    "          (i32.add (i32.mul (local.get $s) (i32.const 31))\n"
    "                   (local.get $n))))\n"
    "      (local.set $s)\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
    "    (local.get $s))\n"
    "  (func (export \"block_inline\") (param $n i32) (param $x i32) (result i32)\n"
    "    (local $s i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (block (result i32)\n"
    "          (i32.add (i32.mul (local.get $s) (i32.const 31))\n"
    "                   (local.get $n))))\n"
    "      (local.set $s)\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
    "    (local.get $s))\n"
    "  (func (export \"try_call\") (param $n i32) (param $x i32) (result i32)\n"
    "    (local $s i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (try_table (result i32) (catch $e $h)\n"
    "          (call $small (i32.add (local.get $s) (local.get $n)))))\n"
    "      (local.set $s)\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
    "    (local.get $s))\n"
    "  (func (export \"block_call\") (param $n i32) (param $x i32) (result i32)\n"
    "    (local $s i32)\n"
    "    (loop $l\n"
    "      (block $h (result i32)\n"
    "        (block (result i32)\n"
    "          (call $small (i32.add (local.get $s) (local.get $n)))))\n"
    "      (local.set $s)\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))\n"
    "    (local.get $s)))\n";

typedef struct bench {
  lull_engine *e;
  lull_instance *inst;
  lull_thread *t;
  int runs;
} bench;

/* The median ns per iteration of export `name`(iters, arg). */
static double ns_per_iter(bench *b, const char *name, int32_t iters,
                          int32_t arg) {
  lull_func *f = lull_instance_func(b->inst, name);
  lull_val a[2] = {{.type = LULL_I32, .of.i32 = iters},
                   {.type = LULL_I32, .of.i32 = arg}};
  lull_val r;
  double *v = calloc((size_t)b->runs, sizeof *v);
  if (!f || !v) {
    fprintf(stderr, "bench-exceptions: no %s\n", name);
    exit(1);
  }
  for (int i = 0; i < b->runs; i++) {
    double t0 = bench_cpu_ms();
    lull_status s = lull_call(b->t, f, a, 2, &r, 1);
    double t1 = bench_cpu_ms();
    if (s != LULL_OK) {
      fprintf(stderr, "bench-exceptions: %s: %s\n", name,
              lull_thread_trap_message(b->t));
      exit(1);
    }
    v[i] = (t1 - t0) * 1e6 / iters;
  }
  double m = bench_median(v, b->runs);
  free(v);
  return m;
}

int main(int argc, char **argv) {
  bench b = {NULL, NULL, NULL, 7};
  int32_t iters = 1000000, arg = 0;
  const char *one = NULL;
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "--runs=", 7) == 0)
      b.runs = atoi(argv[i] + 7);
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      b.runs = atoi(argv[++i]);
    else if (strncmp(argv[i], "--iters=", 8) == 0)
      iters = atoi(argv[i] + 8);
    else if (strcmp(argv[i], "--iters") == 0 && i + 1 < argc)
      iters = atoi(argv[++i]);
    else if (strcmp(argv[i], "--one") == 0 && i + 1 < argc)
      one = argv[++i];
    else if (strcmp(argv[i], "--arg") == 0 && i + 1 < argc)
      arg = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: bench-exceptions [--runs N] [--iters N] "
                      "[--one EXPORT [--arg X]]\n");
      return 64;
    }
  }
  if (b.runs < 1 || iters < 1) {
    fprintf(stderr, "bench-exceptions: --runs and --iters must be >= 1\n");
    return 64;
  }
  b.e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_error err;
  if (!b.e ||
      lull_module_new_text(b.e, guest, sizeof guest - 1, &m, &err) !=
          LULL_OK ||
      lull_instantiate(b.e, m, NULL, 0, &b.inst, &err) != LULL_OK ||
      !(b.t = lull_thread_new(b.e))) {
    fprintf(stderr, "bench-exceptions: %s\n", err.message);
    return 1;
  }
  if (one) {
    b.runs = 1;
    (void)ns_per_iter(&b, one, iters, arg);
    lull_engine_free(b.e);
    return 0;
  }
  printf("throw through N frames, caught by a try_table (%d iterations, "
         "median of %d runs)\n\n",
         iters, b.runs);
  printf("| N | ns/iter, throw | ns/iter, return | ns per throw over "
         "returning |\n|---|---|---|---|\n");
  static const int32_t depths[] = {1, 10, 100};
  for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
    int32_t n = iters / depths[i] * 10 > iters ? iters : iters / depths[i] * 10;
    double th = ns_per_iter(&b, "throws", n, depths[i] - 1);
    double rt = ns_per_iter(&b, "returns", n, depths[i] - 1);
    printf("| %d | %.1f | %.1f | %.1f |\n", depths[i], th, rt, th - rt);
  }
  int32_t loops = iters * 20;
  printf("\nno throw: entering and leaving a try_table against a block "
         "(%d iterations)\n\n",
         loops);
  printf("| body | ns/iter, block | ns/iter, try_table | try/block |\n"
         "|---|---|---|---|\n");
  double bi = ns_per_iter(&b, "block_inline", loops, 0);
  double ti = ns_per_iter(&b, "try_inline", loops, 0);
  printf("| inline arithmetic | %.2f | %.2f | %.3f |\n", bi, ti, ti / bi);
  double bc = ns_per_iter(&b, "block_call", loops, 0);
  double tc = ns_per_iter(&b, "try_call", loops, 0);
  printf("| a call | %.2f | %.2f | %.3f |\n", bc, tc, tc / bc);
  lull_engine_free(b.e);
  return 0;
}

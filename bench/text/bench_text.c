/*
 * bench_text.c -- text format parse speed: lull_wat_to_wasm on large
 * generated modules. Prints one row per module: its text size, the median
 * CPU time of several conversions (process CPU time, so other work on a
 * shared machine does not count), the throughput in MB/s of text, and the
 * binary size; each binary is validated once, so the text is real code.
 *
 *   bench-text [--runs N] [--size MB] [--write DIR]
 *
 * The modules are built here, deterministically: functions with named
 * parameters and locals whose bodies mix what compilers and people write:
 * folded and plain instructions, integer and float constants (decimal and
 * hexadecimal), labels and branches by name, calls by name, loads and
 * stores with offsets, comments. `--write DIR` saves each as DIR/<name>.wat.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lull.h"
#include "lull_text.h"

typedef struct text {
  char *p;
  size_t n, cap;
} text;

static void add(text *t, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k < 0)
    return;
  if (t->n + (size_t)k + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 1 << 20;
    while (cap < t->n + (size_t)k + 1)
      cap *= 2;
    t->p = realloc(t->p, cap);
    if (!t->p) {
      fprintf(stderr, "bench-text: out of memory\n");
      exit(1);
    }
    t->cap = cap;
  }
  memcpy(t->p + t->n, tmp, (size_t)k + 1);
  t->n += (size_t)k;
}

static uint32_t rng(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* One statement that leaves the operand stack as it found it. */
static void snippet(text *t, uint32_t *s, unsigned f, unsigned nfuncs,
                    int folded) {
  uint32_t r = rng(s);
  switch (r % 8) {
  case 0:
    if (folded)
      add(t, "    (local.set $acc (i32.add (local.get $acc) (i32.mul "
             "(local.get $x) (i32.const %d))))\n", (int)(r >> 8) - 8000000);
    else
      add(t, "    local.get $acc\n    local.get $x\n    i32.const %u\n"
             "    i32.mul\n    i32.add\n    local.set $acc\n", r >> 12);
    break;
  case 1:
    add(t, "    (local.set $d (f64.add (local.get $d) (f64.const %u.%03u)))\n",
        r >> 16, r % 1000);
    break;
  case 2:
    add(t, "    (block $done\n      (loop $again\n        (br_if $done "
           "(i32.eqz (local.get $i)))\n        (local.set $i (i32.sub "
           "(local.get $i) (i32.const 1)))\n        (br $again)))\n");
    break;
  case 3:
    add(t, "    (i32.store offset=%u (i32.and (local.get $acc) (i32.const "
           "0xfff0)) (local.get $x))\n", (r >> 8) % 4096);
    break;
  case 4:
    add(t, "    (local.set $acc (call $f%u (local.get $x) (local.get $acc) "
           "(f64.const 0x1.%05xp-3)))\n", (f + 1 + r % 7) % nfuncs,
        (r >> 4) & 0xfffff);
    break;
  case 5:
    add(t, "    ;; keep the accumulator in range\n    (if (i32.gt_s "
           "(local.get $acc) (i32.const 1_000_000))\n      (then "
           "(local.set $acc (i32.const 0)))\n      (else nop))\n");
    break;
  case 6:
    add(t, "    (local.set $w (i64.xor (local.get $w) (i64.load32_u align=4 "
           "(i32.const %u))))\n", (r >> 8) % 60000);
    break;
  default:
    if (folded)
      add(t, "    (drop (select (local.get $x) (local.get $acc) (i32.lt_u "
             "(local.get $x) (local.get $acc))))\n");
    else
      add(t, "    local.get $x\n    local.get $acc\n    local.get $x\n"
             "    local.get $acc\n    i32.lt_u\n    select\n    drop\n");
    break;
  }
}

static void module(text *t, size_t target, unsigned per_func) {
  uint32_t s = 0x9E3779B9u;
  unsigned nfuncs = 0;
  /* first pass decides the count so calls can name any function */
  size_t est = 120 * per_func + 200;
  nfuncs = (unsigned)(target / est) + 1;
  add(t, "(module\n  (memory (export \"mem\") 1)\n"
         "  (global $g (mut i32) (i32.const 0))\n");
  for (unsigned f = 0; f < nfuncs; f++) {
    add(t, "  (func $f%u (export \"f%u\") (param $x i32) (param $acc i32) "
           "(param $d f64) (result i32)\n    (local $i i32) (local $w i64)\n",
        f, f);
    for (unsigned k = 0; k < per_func; k++)
      snippet(t, &s, f, nfuncs, k & 1);
    add(t, "    (global.set $g (local.get $acc))\n    local.get $acc)\n");
  }
  add(t, ")\n");
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int runs = 7;
  double mb = 8;
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--size") && i + 1 < argc)
      mb = atof(argv[++i]);
    else if (!strcmp(argv[i], "--write") && i + 1 < argc)
      dir = argv[++i];
    else {
      fprintf(stderr, "usage: bench-text [--runs N] [--size MB] "
                      "[--write DIR]\n");
      return 2;
    }
  }
  if (runs < 1 || runs > 1000 || mb <= 0 || mb > 1024) {
    fprintf(stderr, "bench-text: bad --runs or --size\n");
    return 2;
  }
  static const struct {
    const char *name;
    unsigned per_func;
  } shapes[] = {{"small-funcs", 8}, {"large-funcs", 400}};
  printf("%-12s %10s %10s %10s %10s\n", "module", "text MB", "median ms",
         "MB/s", "wasm MB");
  lull_engine *e = lull_engine_new(NULL);
  for (size_t m = 0; m < sizeof shapes / sizeof *shapes; m++) {
    text t = {0};
    module(&t, (size_t)(mb * 1e6), shapes[m].per_func);
    if (dir) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s.wat", dir, shapes[m].name);
      FILE *f = fopen(path, "wb");
      if (f) {
        fwrite(t.p, 1, t.n, f);
        fclose(f);
      }
    }
    double *times = malloc((size_t)runs * sizeof *times);
    size_t wasm_len = 0;
    for (int r = 0; r < runs; r++) {
      uint8_t *wasm;
      lull_error err;
      double t0 = now();
      lull_status st = lull_wat_to_wasm(NULL, t.p, t.n, &wasm, &wasm_len,
                                        &err);
      times[r] = now() - t0;
      if (st != LULL_OK) {
        fprintf(stderr, "bench-text: %s: %s\n", shapes[m].name, err.message);
        return 1;
      }
      if (r == 0 && lull_validate(e, wasm, wasm_len, &err) != LULL_OK) {
        fprintf(stderr, "bench-text: %s: invalid: %s\n", shapes[m].name,
                err.message);
        return 1;
      }
      lull_wasm_free(NULL, wasm, wasm_len);
    }
    qsort(times, (size_t)runs, sizeof *times, cmp);
    double med = times[runs / 2];
    printf("%-12s %10.2f %10.1f %10.1f %10.2f\n", shapes[m].name,
           (double)t.n / 1e6, med * 1e3, (double)t.n / 1e6 / med,
           (double)wasm_len / 1e6);
    free(times);
    free(t.p);
  }
  lull_engine_free(e);
  return 0;
}

/*
 * native_main.c -- the driver of a kernel's native build: linked with one
 * kernel (compiled by gcc -O2 from the same source as its .wasm), it runs
 * run(n) several times and prints, on one line,
 *
 *   checksum 0x<8 hex digits> median_ms <milliseconds>
 *
 * which the harness (bench_kernels.c) reads through a pipe. It exits with
 * status 1 when the runs disagree with each other or with kernels.def.
 *
 *   <kernel> [--n N | --small] [--runs R]
 *
 * KERNEL_NAME (the kernel's name as an identifier) is set by the Makefile.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernel.h"
#include "kernel_table.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* Process CPU time, the clock the harness uses for lull too. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Parses a decimal argument of `opt` into *out; 0 on failure. */
static int parse_u32(const char *opt, const char *s, uint32_t *out) {
  char *end;
  unsigned long v;
  if (s == NULL) {
    fprintf(stderr, "%s: %s needs a value\n", STR(KERNEL_NAME), opt);
    return 0;
  }
  v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v > UINT32_MAX) {
    fprintf(stderr, "%s: bad value for %s: '%s'\n", STR(KERNEL_NAME), opt, s);
    return 0;
  }
  *out = (uint32_t)v;
  return 1;
}

int main(int argc, char **argv) {
  const struct kernel_info *k = kernel_find(STR(KERNEL_NAME));
  uint32_t n, runs = 5, expected, first = 0;
  double *ms;

  if (k == NULL) {
    fprintf(stderr, "%s: not listed in kernels.def\n", STR(KERNEL_NAME));
    return 2;
  }
  n = k->n;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--small") == 0) {
      n = k->small_n;
    } else if (strcmp(argv[i], "--n") == 0) {
      if (!parse_u32("--n", argv[++i], &n))
        return 2;
    } else if (strcmp(argv[i], "--runs") == 0) {
      if (!parse_u32("--runs", argv[++i], &runs) || runs == 0) {
        fprintf(stderr, "%s: --runs must be at least 1\n", k->name);
        return 2;
      }
    } else {
      fprintf(stderr, "usage: %s [--n N | --small] [--runs R]\n", k->name);
      return 2;
    }
  }

  ms = malloc(runs * sizeof *ms);
  if (ms == NULL)
    return 2;
  for (uint32_t r = 0; r < runs; r++) {
    double t0 = now_ms();
    uint32_t sum = run(n);
    ms[r] = now_ms() - t0;
    if (r == 0) {
      first = sum;
    } else if (sum != first) {
      fprintf(stderr, "%s: run %u returned 0x%08x, run 0 returned 0x%08x\n",
              k->name, r, sum, first);
      free(ms);
      return 1;
    }
  }
  qsort(ms, runs, sizeof *ms, cmp_double);
  printf("checksum 0x%08x median_ms %.3f\n", first, ms[runs / 2]);
  free(ms);
  if (kernel_expected(k, n, &expected) && expected != first) {
    fprintf(stderr, "%s: run(%u) returned 0x%08x, kernels.def expects 0x%08x\n",
            k->name, n, first, expected);
    return 1;
  }
  return 0;
}

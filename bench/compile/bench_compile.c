/*
 * bench_compile.c -- what compiling costs, eager (every function at
 * lull_module_new) against lazy (each at its first call): load time per
 * Wasm byte, the compiled code's size against the code section, and for
 * modules exporting `run` the time of loading plus a first run.
 *
 *   bench-compile [--runs N] [--arg N] FILE.wasm...
 *
 * Times are medians of N runs of process CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp/interp_internal.h"
#include "bench/bench_util.h"
#include "lull.h"

/* Bytes of compiled code and its side tables, and of the code section. */
static void sizes(const lull_module *mod, double *compiled, double *wasm) {
  const lulld_module *m = mod->m;
  *compiled = *wasm = 0;
  for (uint32_t i = 0; i < m->ncodes; i++) {
    const lulli_code *c = &mod->codes[i];
    *compiled += c->ncells * sizeof(lulli_cell) + c->ntrapbytes +
                 c->nparkbytes + c->nrefslots * sizeof(uint16_t) +
                 c->nlocals;
    *wasm += m->codes[i].end - m->codes[i].offset;
  }
}

/* Loads `bytes` and, when it exports run(i32), calls run(arg) once.
 * Returns load and total times in ms, or -1. */
static int once(const unsigned char *bytes, size_t len, int lazy, int arg,
                double *load_ms, double *total_ms, double *csize,
                double *wsize) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.lazy_compile = lazy;
  lull_engine *e = lull_engine_new(&cfg);
  lull_module *m;
  lull_error err;
  double t0 = bench_cpu_ms();
  if (lull_module_new(e, bytes, len, &m, &err) != LULL_OK) {
    fprintf(stderr, "bench-compile: %s\n", err.message);
    lull_engine_free(e);
    return -1;
  }
  double t1 = bench_cpu_ms();
  lull_instance *inst;
  lull_func *run = NULL;
  if (lull_instantiate(e, m, NULL, 0, &inst, &err) == LULL_OK)
    run = lull_instance_func(inst, "run");
  if (run) {
    lull_thread *t = lull_thread_new(e);
    lull_val a = {.type = LULL_I32, .of.i32 = arg}, r;
    if (lull_call(t, run, &a, 1, &r, 1) != LULL_OK) {
      fprintf(stderr, "bench-compile: run: %s\n", lull_thread_trap_message(t));
      lull_engine_free(e);
      return -1;
    }
  }
  double t2 = bench_cpu_ms();
  *load_ms = t1 - t0;
  *total_ms = run ? t2 - t0 : -1;
  sizes(m, csize, wsize);
  lull_engine_free(e);
  return 0;
}

int main(int argc, char **argv) {
  int runs = 5, arg = 1, first = 1;
  for (; first < argc && argv[first][0] == '-'; first++) {
    if (strcmp(argv[first], "--runs") == 0 && first + 1 < argc)
      runs = atoi(argv[++first]);
    else if (strcmp(argv[first], "--arg") == 0 && first + 1 < argc)
      arg = atoi(argv[++first]);
    else {
      fprintf(stderr, "usage: bench-compile [--runs N] [--arg N] FILE.wasm...\n");
      return 2;
    }
  }
  if (runs < 1 || first >= argc) {
    fprintf(stderr, "usage: bench-compile [--runs N] [--arg N] FILE.wasm...\n");
    return 2;
  }
  printf("%-22s %9s %9s %9s %8s %8s %10s %10s\n", "module", "KB",
         "eager ms", "lazy ms", "ns/B", "code x", "eager+run", "lazy+run");
  double *v[4];
  for (int k = 0; k < 4; k++)
    v[k] = calloc((size_t)runs, sizeof(double));
  for (int i = first; i < argc; i++) {
    size_t len;
    unsigned char *bytes = bench_read_file(argv[i], &len);
    if (!bytes) {
      fprintf(stderr, "bench-compile: cannot read %s\n", argv[i]);
      return 1;
    }
    double cs = 0, ws = 0, dummy;
    for (int r = 0; r < runs; r++) {
      if (once(bytes, len, 0, arg, &v[0][r], &v[2][r], &cs, &ws) != 0 ||
          once(bytes, len, 1, arg, &v[1][r], &v[3][r], &dummy, &dummy) != 0)
        return 1;
    }
    double eager = bench_median(v[0], runs), lazy = bench_median(v[1], runs);
    double er = bench_median(v[2], runs), lr = bench_median(v[3], runs);
    const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
    printf("%-22s %9.0f %9.2f %9.2f %8.1f %8.2f", name, len / 1024.0, eager,
           lazy, eager * 1e6 / (double)len, ws ? cs / ws : 0);
    if (er >= 0)
      printf(" %10.2f %10.2f\n", er, lr);
    else
      printf(" %10s %10s\n", "-", "-");
    free(bytes);
  }
  printf("\nns/B: eager load (decode, validate, compile) per module byte.\n"
         "code x: compiled code and its side tables over the code section.\n"
         "+run: load, instantiate and one run(%d), when the module exports run.\n",
         arg);
  for (int k = 0; k < 4; k++)
    free(v[k]);
  return 0;
}

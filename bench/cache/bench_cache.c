/*
 * bench_cache.c -- loading a module cold (lull_module_new: decode,
 * validate, compile) against loading it from its serialized form
 * (lull_module_deserialize, what `lull run --cache` does), each in a fresh
 * engine as a new process would.
 *
 *   bench-cache [--runs N] FILE.wasm...
 *
 * Times are medians of N runs of process CPU time; "ser MB" is the size
 * of the serialized form, module bytes included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_util.h"
#include "lull.h"

/* One load, cold (ser == NULL) or from `ser`: its CPU time, or -1. */
static double load_once(const unsigned char *wasm, size_t len,
                        const uint8_t *ser, size_t ser_len) {
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_error err;
  double t0 = bench_cpu_ms();
  lull_status s = ser ? lull_module_deserialize(e, ser, ser_len, wasm, len,
                                                &m, &err)
                      : lull_module_new(e, wasm, len, &m, &err);
  double t = bench_cpu_ms() - t0;
  if (s != LULL_OK)
    fprintf(stderr, "bench-cache: %s\n", err.message);
  lull_engine_free(e);
  return s == LULL_OK ? t : -1;
}

int main(int argc, char **argv) {
  int runs = 7, first = 1;
  if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
    runs = atoi(argv[2]);
    first = 3;
  }
  if (first >= argc || runs < 1) {
    fprintf(stderr, "usage: bench-cache [--runs N] FILE.wasm...\n");
    return 2;
  }
  printf("load time, cold against from the cache, median of %d runs\n\n",
         runs);
  printf("%-24s %8s %8s %9s %9s %7s\n", "module", "wasm MB", "ser MB",
         "cold ms", "cache ms", "ratio");
  double *cold = calloc((size_t)runs, sizeof *cold);
  double *warm = calloc((size_t)runs, sizeof *warm);
  int status = 0;
  for (int i = first; i < argc; i++) {
    size_t len;
    unsigned char *wasm = bench_read_file(argv[i], &len);
    lull_engine *e = lull_engine_new(NULL);
    lull_module *m = NULL;
    uint8_t *ser = NULL;
    size_t ser_len = 0;
    lull_error err;
    if (!wasm || lull_module_new(e, wasm, len, &m, &err) != LULL_OK ||
        lull_module_serialize(m, &ser, &ser_len, &err) != LULL_OK) {
      fprintf(stderr, "bench-cache: %s: cannot load or serialize\n", argv[i]);
      status = 1;
    } else {
      for (int r = 0; r < runs; r++) {
        cold[r] = load_once(wasm, len, NULL, 0);
        warm[r] = load_once(wasm, len, ser, ser_len);
        if (cold[r] < 0 || warm[r] < 0)
          status = 1;
      }
      const char *name = strrchr(argv[i], '/');
      double c = bench_median(cold, runs), w = bench_median(warm, runs);
      printf("%-24s %8.2f %8.2f %9.1f %9.1f %6.1fx\n", name ? name + 1 : argv[i],
             len / 1e6, ser_len / 1e6, c, w, w > 0 ? c / w : 0);
    }
    lull_module_serialized_free(e, ser, ser_len);
    lull_engine_free(e);
    free(wasm);
  }
  free(cold);
  free(warm);
  return status;
}

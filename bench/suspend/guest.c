/*
 * guest.c -- loading and instantiating the guests of bench-suspend, and the
 * two measures it takes (CPU time, resident memory).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_suspend.h"

/* Reads a whole file; NULL with a message on failure. */
static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  long size;
  if (f == NULL) {
    perror(path);
    return NULL;
  }
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size)) != NULL &&
      fread(buf, 1, (size_t)size, f) == (size_t)size) {
    *len = (size_t)size;
  } else {
    fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

static lull_module *load(lull_engine *e, const char *dir, const char *name) {
  char path[4096];
  size_t len;
  lull_module *m = NULL;
  lull_error err;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  uint8_t *bytes = read_file(path, &len);
  if (bytes == NULL)
    return NULL;
  if (lull_module_new(e, bytes, len, &m, &err) != LULL_OK) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    m = NULL;
  }
  free(bytes);
  return m;
}

int bench_env_open(bench_env *env, const char *dir) {
  memset(env, 0, sizeof *env);
  env->e = lull_engine_new(NULL);
  if (env->e == NULL) {
    fprintf(stderr, "bench-suspend: lull_engine_new failed\n");
    return -1;
  }
  env->plain = load(env->e, dir, "yield.wasm");
  env->asyncify = load(env->e, dir, "yield.asyncify.wasm");
  env->asyncify_globals = load(env->e, dir, "yield.asyncify-globals.wasm");
  if (!env->plain || !env->asyncify || !env->asyncify_globals) {
    bench_env_close(env);
    return -1;
  }
  return 0;
}

void bench_env_close(bench_env *env) {
  /* The engine frees the modules with everything else. */
  lull_engine_free(env->e);
  memset(env, 0, sizeof *env);
}

lull_instance *bench_instantiate(bench_env *env, lull_module *m,
                                 lull_func *yield, lull_global *state,
                                 lull_global *data) {
  lull_extern im[3] = {{LULL_EXTERN_FUNC, {.func = yield}},
                       {LULL_EXTERN_GLOBAL, {.global = state}},
                       {LULL_EXTERN_GLOBAL, {.global = data}}};
  lull_instance *inst = NULL;
  lull_error err;
  if (lull_instantiate(env->e, m, im, state ? 3 : 1, &inst, &err) != LULL_OK) {
    fprintf(stderr, "bench-suspend: instantiate: %s\n", err.message);
    return NULL;
  }
  return inst;
}

lull_func *bench_yield_new(bench_env *env, lull_host_fn fn, void *arg) {
  lull_functype none = {0, 0, NULL, NULL};
  lull_func *f = lull_func_new(env->e, &none, fn, arg, NULL);
  if (f == NULL)
    fprintf(stderr, "bench-suspend: lull_func_new failed\n");
  return f;
}

/* CPU time of the process rather than wall time: on a shared machine it
 * leaves out the time other processes hold the CPU. It includes system
 * time, which the fibers' signal-mask calls spend. */
double bench_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

long bench_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  if (f == NULL)
    return -1;
  while (fgets(line, sizeof line, f) != NULL)
    if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
      break;
  fclose(f);
  return kib;
}

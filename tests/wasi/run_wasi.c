/*
 * run_wasi.c -- the test driver: runs a WASI command module on a libuv
 * loop with the WASI layer alone (no scheduler).
 *
 *   run_wasi [--dir HOST[::GUEST]]... [--env K=V]... [--copies N]
 *            [--max-seconds S] MODULE.wasm [ARGS]...
 *
 * argv[0] of the guest is the module's file name. One guest: exits with
 * the guest's exit code; a trap prints "trap: MESSAGE" on stderr and
 * exits 134. With --copies N, N guests run at once on one loop, each
 * with its index appended to its arguments, and each must exit with its
 * index modulo 256; prints a summary, exits 0 only if all did (and within
 * --max-seconds when given).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

typedef struct run {
  size_t n, finished, wrong;
  uint32_t *codes;
  int *trapped;
} run;

typedef struct slot {
  run *r;
  size_t index;
} slot;

static void on_done(wd_guest *g, void *ud) {
  slot *s = ud;
  run *r = s->r;
  r->finished++;
  if (wd_state_of(g) == WD_TRAPPED) {
    fprintf(stderr, "trap: %s\n", wd_trap_message(g));
    r->trapped[s->index] = 1;
  } else {
    r->codes[s->index] = wd_exit_code(g);
  }
  wd_free(g);
}

static void usage(void) {
  fprintf(stderr, "usage: run_wasi [--dir HOST[::GUEST]]... [--env K=V]... "
                  "[--copies N] [--max-seconds S] MODULE.wasm [ARGS]...\n");
  exit(2);
}

int main(int argc, char **argv) {
  lull_wasi_preopen pre[16];
  const char *env[64];
  size_t npre = 0, copies = 0;
  int envc = 0;
  double max_seconds = 0;
  int i = 1;
  /* A guest writing to a closed pipe gets EPIPE, not a dead host. */
  signal(SIGPIPE, SIG_IGN);
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc && npre < 16) {
      char *spec = argv[++i], *sep = strstr(spec, "::");
      pre[npre].host_path = spec;
      pre[npre].guest_path = spec;
      if (sep) {
        *sep = '\0';
        pre[npre].guest_path = sep + 2;
      }
      npre++;
    } else if (strcmp(argv[i], "--env") == 0 && i + 1 < argc && envc < 64) {
      env[envc++] = argv[++i];
    } else if (strcmp(argv[i], "--copies") == 0 && i + 1 < argc) {
      copies = (size_t)strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
      max_seconds = strtod(argv[++i], NULL);
    } else {
      usage();
    }
  }
  if (i >= argc)
    usage();
  const char *path = argv[i];
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  int gargc = argc - i;
  const char **gargv = calloc((size_t)gargc + 2, sizeof *gargv);
  gargv[0] = base;
  for (int k = 1; k < gargc; k++)
    gargv[k] = argv[i + k];

  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = e ? wd_load_module(e, path) : NULL;
  if (!m)
    return 2;
  uv_loop_t loop;
  uv_loop_init(&loop);

  size_t n = copies ? copies : 1;
  run r = {n, 0, 0, calloc(n, sizeof(uint32_t)), calloc(n, sizeof(int))};
  slot *slots = calloc(n, sizeof *slots);
  char (*index_args)[24] = calloc(n, sizeof *index_args);
  uint64_t t0 = uv_hrtime();
  for (size_t k = 0; k < n; k++) {
    lull_wasi_config cfg;
    lull_wasi_config_init(&cfg);
    cfg.argc = gargc;
    cfg.argv = gargv;
    if (copies) {
      snprintf(index_args[k], sizeof index_args[k], "%zu", k);
      gargv[gargc] = index_args[k];
      cfg.argc = gargc + 1;
    }
    cfg.envc = envc;
    cfg.env = env;
    cfg.npreopens = npre;
    cfg.preopens = pre;
    slots[k].r = &r;
    slots[k].index = k;
    wd_guest *g = wd_new(e, &loop, m, &cfg, on_done, &slots[k]);
    if (!g)
      return 2;
    wd_start(g);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  double secs = (double)(uv_hrtime() - t0) / 1e9;
  int rc;
  if (!copies) {
    rc = r.trapped[0] ? 134 : (int)r.codes[0];
  } else {
    for (size_t k = 0; k < n; k++)
      if (r.trapped[k] || r.codes[k] != k % 256)
        r.wrong++;
    printf("%zu guests finished, %zu with a wrong exit code, in %.2f s\n",
           r.finished, r.wrong, secs);
    rc = r.finished == n && r.wrong == 0 ? 0 : 1;
    if (max_seconds > 0 && secs > max_seconds) {
      printf("took longer than %.1f s\n", max_seconds);
      rc = 1;
    }
  }
  if (r.finished != n) {
    fprintf(stderr, "run_wasi: %zu of %zu guests never finished\n",
            n - r.finished, n);
    rc = 3;
  }
  int close_rc = uv_loop_close(&loop);
  if (close_rc != 0) {
    fprintf(stderr, "run_wasi: the loop still has handles or requests\n");
    rc = 4;
  }
  lull_module_free(m);
  lull_engine_free(e);
  free(r.codes);
  free(r.trapped);
  free(slots);
  free(index_args);
  free(gargv);
  return rc;
}

/*
 * test_util.h -- helpers the integration tests share: reading a file and
 * loading one of the modules assembled from tests/wat at build time.
 */
#ifndef LULL_TEST_UTIL_H
#define LULL_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lull.h"

/* CRC-32 (IEEE, reflected), as snapshots checksum their bodies: tests
 * that damage a snapshot on purpose make the checksum right again. */
static inline uint32_t test_crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

/* An i32 argument. */
static inline lull_val test_i32(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

/* i64, f32 and f64 arguments. */
static inline lull_val test_i64(int64_t v) {
  lull_val x = test_i32(0);
  x.type = LULL_I64;
  x.of.i64 = v;
  return x;
}
static inline lull_val test_f32(float v) {
  lull_val x = test_i32(0);
  x.type = LULL_F32;
  x.of.f32 = v;
  return x;
}
static inline lull_val test_f64(double v) {
  lull_val x = test_i32(0);
  x.type = LULL_F64;
  x.of.f64 = v;
  return x;
}

/* Writes n bytes to a new file at `path`; 0 or -1. */
static inline int test_write_file(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  int ok = fwrite(p, 1, n, f) == n;
  return fclose(f) == 0 && ok ? 0 : -1;
}

/* The whole file, malloc'd, or NULL. */
static inline unsigned char *test_read_file(const char *path, size_t *len) {
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      unsigned char *p = realloc(buf, cap);
      if (!p) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = p;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    if (got == 0)
      break;
    n += got;
  }
  fclose(f);
  *len = n;
  return buf;
}

/* The inputs of a snapshot helper program (helper_snapshot*.c), given
 * as its arguments MODULE.wasm SNAPSHOT: both files read whole (free
 * them). Returns 0, or -1 after saying on stderr what is wrong. */
static inline int test_helper_inputs(int argc, char **argv,
                                     unsigned char **module, size_t *mlen,
                                     unsigned char **snap, size_t *slen) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s MODULE.wasm SNAPSHOT\n", argv[0]);
    return -1;
  }
  *module = test_read_file(argv[1], mlen);
  *snap = test_read_file(argv[2], slen);
  if (!*module || !*snap) {
    fprintf(stderr, "%s: cannot read the inputs\n", argv[0]);
    free(*module);
    free(*snap);
    return -1;
  }
  return 0;
}

#ifdef LULL_TEST_HELPER_DIR
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs the helper program `name` (tests/helper_<...>.c) with up to two
 * arguments (`arg2` may be NULL) in a child process; what it prints to
 * stdout goes to `out` (NUL-terminated, at most n - 1 bytes). Returns its
 * exit status, or -1 when it could not run or did not exit. */
static inline int test_run_helper(const char *name, const char *arg1,
                                  const char *arg2, char *out, size_t n) {
  char helper[1024];
  snprintf(helper, sizeof helper, "%s/%s", LULL_TEST_HELPER_DIR, name);
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execl(helper, helper, arg1, arg2, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  memset(out, 0, n);
  size_t got = 0;
  ssize_t r;
  while (got < n - 1 && (r = read(fds[0], out + got, n - 1 - got)) > 0)
    got += (size_t)r;
  close(fds[0]);
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

#ifdef LULL_TEST_WASM_DIR
/* Writes a snapshot of parked thread `t` of `inst` to a file, runs helper
 * program `helper` on tests/wat/<wasm>.wat's module and it, and leaves
 * what the helper printed in `out`. Returns the helper's exit status, or
 * -1 when the snapshot cannot be made. */
static inline int test_resume_in_helper(lull_engine *e, lull_thread *t,
                                        lull_instance *inst,
                                        const char *helper, const char *wasm,
                                        char *out, size_t n) {
  uint8_t *snap;
  size_t len;
  lull_error err;
  if (lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err) != LULL_OK) {
    fprintf(stderr, "snapshot: %s\n", err.message);
    return -1;
  }
  char path[256], mod[1024];
  snprintf(path, sizeof path, "/tmp/lull-test-%s-%d", helper, (int)getpid());
  snprintf(mod, sizeof mod, "%s/%s.wasm", LULL_TEST_WASM_DIR, wasm);
  int rc = test_write_file(path, snap, len);
  lull_snapshot_free(e, snap, len);
  if (rc == 0)
    rc = test_run_helper(helper, mod, path, out, n);
  unlink(path);
  return rc;
}
#endif
#endif

#ifdef LULL_TEST_WASM_DIR
/* Loads tests/wat/<name>.wat as assembled at build time; aborts the test
 * program with a message when it cannot. */
/* The bytes of tests/wat/NAME.wat as the build assembled it (free them);
 * exits when it cannot be read. */
static inline unsigned char *test_wasm_bytes(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wasm", LULL_TEST_WASM_DIR, name);
  unsigned char *bytes = test_read_file(path, len);
  if (!bytes) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  return bytes;
}

static inline lull_module *test_load(lull_engine *e, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wasm", LULL_TEST_WASM_DIR, name);
  size_t len;
  unsigned char *bytes = test_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  lull_module *m = NULL;
  lull_error err;
  if (lull_module_new(e, bytes, len, &m, &err) != LULL_OK) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    exit(2);
  }
  free(bytes);
  return m;
}

/* A guest ready to call: engine, module, instance and thread, all freed
 * with the engine. */
typedef struct test_guest {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
} test_guest;

/* Opens tests/wat/<name>.wat in an engine configured by `cfg`; aborts
 * the test when it cannot. */
static inline void test_guest_open_cfg(test_guest *g, const char *name,
                                       const lull_config *cfg) {
  memset(g, 0, sizeof *g);
  g->e = lull_engine_new(cfg);
  if (!g->e) {
    fprintf(stderr, "no engine with features 0x%x\n",
            (unsigned)cfg->features);
    exit(2);
  }
  g->m = test_load(g->e, name);
  lull_error err;
  if (lull_instantiate(g->e, g->m, NULL, 0, &g->inst, &err) != LULL_OK ||
      !(g->t = lull_thread_new(g->e))) {
    fprintf(stderr, "%s: %s\n", name, err.message);
    exit(2);
  }
}

/* The same in an engine with `features` on besides the defaults. */
static inline void test_guest_open(test_guest *g, const char *name,
                                   lull_features features) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features |= features;
  test_guest_open_cfg(g, name, &cfg);
}

/* Calls the export `name` of the guest's instance on its thread. */
static inline lull_status test_guest_call(test_guest *g, const char *name,
                                          const lull_val *args, size_t nargs,
                                          lull_val *res, size_t nres) {
  lull_func *fn = lull_instance_func(g->inst, name);
  if (!fn) {
    fprintf(stderr, "no export %s\n", name);
    exit(2);
  }
  return lull_call(g->t, fn, args, nargs, res, nres);
}
#endif

#endif

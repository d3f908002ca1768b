/*
 * test_util.h -- what the cmocka programs of tests/wasi share: a scratch
 * directory, a file to capture a guest's stdout, and comparing it with
 * expected/NAME.out.
 */
#ifndef LULL_TEST_WASI_UTIL_H
#define LULL_TEST_WASI_UTIL_H

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver.h"

/* A fresh scratch directory (malloc'd path). */
static inline char *tu_tempdir(void) {
  char tmpl[] = "/tmp/lull-wasi-test-XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return strdup(d);
}

static inline void tu_rmtree(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* A new file `dir`/NAME for a guest's stdout; returns its descriptor. */
static inline int tu_capture(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  assert_true(fd >= 0);
  return fd;
}

/* The whole text of `dir`/NAME (malloc'd, NUL-terminated). */
static inline char *tu_slurp(const char *dir, const char *name) {
  char path[512];
  size_t len = 0;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unsigned char *b = wd_read_file(path, &len);
  assert_non_null(b);
  char *s = realloc(b, len + 1);
  assert_non_null(s);
  s[len] = '\0';
  return s;
}

/* Checks `text` against expected/in-process/NAME.out, printing both when they
 * differ. */
static inline void tu_expect_output(const char *text, const char *name) {
  char path[512];
  size_t len = 0;
  snprintf(path, sizeof path, "%s/../expected/in-process/%s.out", WASI_GUESTS, name);
  unsigned char *want = wd_read_file(path, &len);
  assert_non_null(want);
  int same = strlen(text) == len && memcmp(text, want, len) == 0;
  if (!same)
    fprintf(stderr, "--- expected %s\n%.*s--- got\n%s", path, (int)len,
            (const char *)want, text);
  free(want);
  assert_true(same);
}

/* libuv opens process-wide descriptors (its signal lock pipe) with the
 * first loop of the process: tests that count descriptors, or close 0,
 * 1 or 2, make them first. */
static inline void tu_warm_libuv(void) {
  uv_loop_t warm;
  uv_loop_init(&warm);
  uv_loop_close(&warm);
}

static inline lull_module *tu_guest(lull_engine *e, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.wasm", WASI_GUESTS, name);
  lull_module *m = wd_load_module(e, path);
  assert_non_null(m);
  return m;
}

#endif

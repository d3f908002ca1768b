/*
 * test_util.h -- helpers the integration tests share: reading a file and
 * loading one of the modules assembled from tests/wat at build time.
 */
#ifndef LULL_TEST_UTIL_H
#define LULL_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "lull.h"

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

#ifdef LULL_TEST_WASM_DIR
/* Loads tests/wat/<name>.wat as assembled at build time; aborts the test
 * program with a message when it cannot. */
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
#endif

#endif

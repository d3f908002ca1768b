/*
 * capi_test.h -- what the wasm.h test programs share: a check that names
 * the failed condition, and loading a module from the fixtures.
 */
#ifndef LULL_CAPI_TEST_H
#define LULL_CAPI_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "wasm.h"

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,        \
              #cond);                                                         \
      exit(1);                                                                \
    }                                                                         \
  } while (0)

/* The bytes of fixture `name` (wat/NAME.wat assembled). */
static inline void capi_read(const char *name, wasm_byte_vec_t *out) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s.wasm", LULL_CAPI_WASM_DIR, name);
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)len);
  CHECK(out->size == (size_t)len);
  CHECK(fread(out->data, 1, (size_t)len, f) == (size_t)len);
  fclose(f);
}

/* Fixture `name` compiled in `store`. */
static inline wasm_module_t *capi_load(wasm_store_t *store,
                                       const char *name) {
  wasm_byte_vec_t bin;
  capi_read(name, &bin);
  wasm_module_t *m = wasm_module_new(store, &bin);
  wasm_byte_vec_delete(&bin);
  CHECK(m != NULL);
  return m;
}

/* Export `i` as a function (borrowed from the vector). */
static inline wasm_func_t *capi_func(const wasm_extern_vec_t *exports,
                                     size_t i) {
  CHECK(i < exports->size);
  wasm_func_t *f = wasm_extern_as_func(exports->data[i]);
  CHECK(f != NULL);
  return f;
}

/* The message of a trap, NUL-terminated, into `buf`. */
static inline const char *capi_message(const wasm_trap_t *trap, char *buf,
                                       size_t size) {
  wasm_message_t m;
  wasm_trap_message(trap, &m);
  CHECK(m.size > 0 && m.data[m.size - 1] == '\0');
  snprintf(buf, size, "%s", m.data);
  wasm_byte_vec_delete(&m);
  return buf;
}

#endif

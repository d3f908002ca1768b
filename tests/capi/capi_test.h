/*
 * capi_test.h -- what the wasm.h test programs share: a check that names
 * the failed condition, and loading a module from the fixtures.
 */
#ifndef LULL_CAPI_TEST_H
#define LULL_CAPI_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Checks that `trap` is a trap whose message holds `want`; deletes it. */
static inline void capi_trapped(wasm_trap_t *trap, const char *want) {
  char buf[256];
  CHECK(trap != NULL);
  CHECK(strstr(capi_message(trap, buf, sizeof buf), want) != NULL);
  wasm_trap_delete(trap);
}

/* A host function of type `type`, which is deleted here. */
static inline wasm_func_t *capi_host(wasm_store_t *store,
                                     wasm_functype_t *type,
                                     wasm_func_callback_t cb) {
  wasm_func_t *f = wasm_func_new(store, type, cb);
  wasm_functype_delete(type);
  CHECK(f != NULL);
  return f;
}

/* Instantiates `module` with the `n` externals `ins`, which must work,
 * and puts its exports in *exports. */
static inline wasm_instance_t *capi_instantiate(wasm_store_t *store,
                                               const wasm_module_t *module,
                                               wasm_extern_t **ins, size_t n,
                                               wasm_extern_vec_t *exports) {
  wasm_extern_vec_t imports = {n, ins};
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance =
      wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_instance_exports(instance, exports);
  return instance;
}

#endif

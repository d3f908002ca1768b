/*
 * vec.c -- the vectors of wasm.h: bytes and values by value, everything
 * else as owned pointers. One macro body serves every kind, as the
 * header's declarations do.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

/* Empty on failure: a vector is always safe to delete. */
#define LULLC_VEC_NEW(name)                                                   \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t *out) {                \
    out->size = 0;                                                            \
    out->data = NULL;                                                         \
  }                                                                           \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t *out,          \
                                           size_t n) {                        \
    out->data = n ? calloc(n, sizeof *out->data) : NULL;                      \
    out->size = out->data ? n : 0;                                            \
  }                                                                           \
  void wasm_##name##_vec_new(wasm_##name##_vec_t *out, size_t n,              \
                             const __typeof__(*out->data) src[]) {            \
    wasm_##name##_vec_new_uninitialized(out, n);                              \
    if (out->size)                                                            \
      memcpy(out->data, src, n * sizeof *out->data);                          \
  }

/* Pointer vectors: the elements are copied and deleted one by one. */
#define LULLC_VEC_PTR(name)                                                   \
  LULLC_VEC_NEW(name)                                                         \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t *out,                       \
                              const wasm_##name##_vec_t *v) {                 \
    wasm_##name##_vec_new_uninitialized(out, v->size);                        \
    for (size_t i = 0; i < out->size; i++)                                    \
      out->data[i] = v->data[i] ? wasm_##name##_copy(v->data[i]) : NULL;      \
  }                                                                           \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t *v) {                     \
    for (size_t i = 0; i < v->size; i++)                                      \
      if (v->data[i])                                                         \
        wasm_##name##_delete(v->data[i]);                                     \
    free(v->data);                                                            \
    v->size = 0;                                                              \
    v->data = NULL;                                                           \
  }

LULLC_VEC_NEW(byte)

void wasm_byte_vec_copy(wasm_byte_vec_t *out, const wasm_byte_vec_t *v) {
  wasm_byte_vec_new(out, v->size, v->data);
}

void wasm_byte_vec_delete(wasm_byte_vec_t *v) {
  free(v->data);
  v->size = 0;
  v->data = NULL;
}

void wasm_val_delete(wasm_val_t *v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = NULL;
  }
}

void wasm_val_copy(wasm_val_t *out, const wasm_val_t *v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref)
    out->of.ref = wasm_ref_copy(v->of.ref);
}

LULLC_VEC_NEW(val)

void wasm_val_vec_copy(wasm_val_vec_t *out, const wasm_val_vec_t *v) {
  wasm_val_vec_new_uninitialized(out, v->size);
  for (size_t i = 0; i < out->size; i++)
    wasm_val_copy(&out->data[i], &v->data[i]);
}

void wasm_val_vec_delete(wasm_val_vec_t *v) {
  for (size_t i = 0; i < v->size; i++)
    wasm_val_delete(&v->data[i]);
  free(v->data);
  v->size = 0;
  v->data = NULL;
}

LULLC_VEC_PTR(frame)
LULLC_VEC_PTR(valtype)
LULLC_VEC_PTR(functype)
LULLC_VEC_PTR(globaltype)
LULLC_VEC_PTR(tabletype)
LULLC_VEC_PTR(memorytype)
LULLC_VEC_PTR(externtype)
LULLC_VEC_PTR(importtype)
LULLC_VEC_PTR(exporttype)
LULLC_VEC_PTR(extern)

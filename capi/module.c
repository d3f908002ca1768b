/*
 * module.c -- modules: compiling, validating, their imports and exports,
 * serialization, and sharing with other threads' stores.
 *
 * Serialized form: "LULLCAPI", the code offsets (lullc_code: two u32
 * counts, then a u32 per body; frames need them and lull's own form does
 * not give them out), then lull_module_serialize's bytes. A shared module
 * is that form too: each store that obtains it deserializes it into its
 * own lull engine.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

static const char magic[8] = {'L', 'U', 'L', 'L', 'C', 'A', 'P', 'I'};

struct wasm_shared_module_t {
  uint8_t *bytes;
  size_t len;
};

void lullc_code_free(lullc_code *c) {
  free(c->body);
  c->body = NULL;
  c->nbodies = 0;
}

/* A LEB128 u32 at *p (below end), or -1 when it runs out. */
static int64_t leb(const uint8_t **p, const uint8_t *end) {
  uint64_t x = 0;
  for (int shift = 0; shift < 35 && *p < end; shift += 7) {
    uint8_t b = *(*p)++;
    x |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80))
      return x <= UINT32_MAX ? (int64_t)x : -1;
  }
  return -1;
}

/* Finds where each function body starts. The module is valid, so only
 * running out of memory fails (-1). */
static int code_offsets(const uint8_t *wasm, size_t len, lull_module *m,
                        lullc_code *c) {
  memset(c, 0, sizeof *c);
  for (size_t i = 0; i < lull_module_import_count(m); i++) {
    const char *mod, *name;
    lull_externtype t;
    if (lull_module_import(m, i, &mod, &name, &t) == LULL_OK &&
        t.kind == LULL_EXTERN_FUNC)
      c->nimported++;
  }
  const uint8_t *p = wasm + 8, *end = wasm + len;
  while (len >= 8 && p < end) {
    uint8_t id = *p++;
    int64_t size = leb(&p, end);
    if (size < 0 || size > end - p)
      return 0;
    const uint8_t *next = p + size;
    if (id == 10) {
      int64_t n = leb(&p, next);
      if (n <= 0)
        return 0;
      c->body = calloc((size_t)n, sizeof *c->body);
      if (!c->body)
        return -1;
      for (int64_t i = 0; i < n; i++) {
        int64_t bsize = leb(&p, next);
        if (bsize < 0 || bsize > next - p)
          break;
        c->body[c->nbodies++] = (uint32_t)(p - wasm);
        p += bsize;
      }
      return 0;
    }
    p = next;
  }
  return 0;
}

static wasm_module_t *module_obj(wasm_store_t *s, lull_module *m,
                                 const lullc_code *code) {
  lullc_obj *o = lullc_obj_new(s, LULLC_MODULE);
  if (!o) {
    lull_module_free(m);
    return NULL;
  }
  o->u.module.m = m;
  o->u.module.code = *code;
  return (wasm_module_t *)o;
}

wasm_module_t *wasm_module_new(wasm_store_t *s, const wasm_byte_vec_t *bin) {
  lull_module *m;
  lullc_code code;
  if (!s || !bin ||
      lull_module_new(s->e, (const uint8_t *)bin->data, bin->size, &m,
                      NULL) != LULL_OK)
    return NULL;
  if (code_offsets((const uint8_t *)bin->data, bin->size, m, &code) != 0) {
    lull_module_free(m);
    return NULL;
  }
  return module_obj(s, m, &code);
}

bool wasm_module_validate(wasm_store_t *s, const wasm_byte_vec_t *bin) {
  return s && bin &&
         lull_validate(s->e, (const uint8_t *)bin->data, bin->size, NULL) ==
             LULL_OK;
}

void wasm_module_imports(const wasm_module_t *p, wasm_importtype_vec_t *out) {
  lull_module *m = LULLC_OBJ(p)->u.module.m;
  size_t n = lull_module_import_count(m), k = 0;
  wasm_importtype_vec_new_uninitialized(out, n);
  for (size_t i = 0; i < n && out->size == n; i++) {
    const char *mod, *name;
    lull_externtype t;
    if (lull_module_import(m, i, &mod, &name, &t) != LULL_OK ||
        t.kind == LULL_EXTERN_TAG)
      continue;
    wasm_name_t wm, wn;
    wasm_name_new_from_string(&wm, mod);
    wasm_name_new_from_string(&wn, name);
    out->data[k++] = wasm_importtype_new(&wm, &wn, lullc_externtype_from(&t));
  }
  out->size = k;
}

void wasm_module_exports(const wasm_module_t *p, wasm_exporttype_vec_t *out) {
  lull_module *m = LULLC_OBJ(p)->u.module.m;
  size_t n = lull_module_export_count(m), k = 0;
  wasm_exporttype_vec_new_uninitialized(out, n);
  for (size_t i = 0; i < n && out->size == n; i++) {
    const char *name;
    lull_externtype t;
    if (lull_module_export(m, i, &name, &t) != LULL_OK ||
        t.kind == LULL_EXTERN_TAG)
      continue;
    wasm_name_t wn;
    wasm_name_new_from_string(&wn, name);
    out->data[k++] = wasm_exporttype_new(&wn, lullc_externtype_from(&t));
  }
  out->size = k;
}

/* ---- serialization ---- */

void wasm_module_serialize(const wasm_module_t *p, wasm_byte_vec_t *out) {
  const lullc_obj *o = LULLC_OBJ(p);
  const lullc_code *c = &o->u.module.code;
  uint8_t *bytes;
  size_t len;
  wasm_byte_vec_new_empty(out);
  if (lull_module_serialize(o->u.module.m, &bytes, &len, NULL) != LULL_OK)
    return;
  size_t head = sizeof magic + 8 + (size_t)c->nbodies * 4;
  wasm_byte_vec_new_uninitialized(out, head + len);
  if (out->size) {
    uint32_t counts[2] = {c->nimported, c->nbodies};
    memcpy(out->data, magic, sizeof magic);
    memcpy(out->data + sizeof magic, counts, 8);
    if (c->nbodies)
      memcpy(out->data + sizeof magic + 8, c->body, (size_t)c->nbodies * 4);
    memcpy(out->data + head, bytes, len);
  }
  lull_module_serialized_free(o->store->e, bytes, len);
}

wasm_module_t *wasm_module_deserialize(wasm_store_t *s,
                                       const wasm_byte_vec_t *bin) {
  uint32_t counts[2];
  if (!s || !bin || bin->size < sizeof magic + 8 ||
      memcmp(bin->data, magic, sizeof magic) != 0)
    return NULL;
  memcpy(counts, bin->data + sizeof magic, 8);
  size_t head = sizeof magic + 8 + (size_t)counts[1] * 4;
  if ((bin->size - sizeof magic - 8) / 4 < counts[1])
    return NULL;
  lullc_code code = {counts[0], 0, NULL};
  if (counts[1]) {
    code.body = malloc((size_t)counts[1] * 4);
    if (!code.body)
      return NULL;
    memcpy(code.body, bin->data + sizeof magic + 8, (size_t)counts[1] * 4);
    code.nbodies = counts[1];
  }
  lull_module *m;
  if (lull_module_deserialize(s->e, (const uint8_t *)bin->data + head,
                              bin->size - head, NULL, 0, &m,
                              NULL) != LULL_OK) {
    lullc_code_free(&code);
    return NULL;
  }
  return module_obj(s, m, &code);
}

/* ---- sharing ---- */

wasm_shared_module_t *wasm_module_share(const wasm_module_t *p) {
  wasm_byte_vec_t v;
  wasm_module_serialize(p, &v);
  wasm_shared_module_t *sh = v.size ? malloc(sizeof *sh) : NULL;
  if (!sh) {
    wasm_byte_vec_delete(&v);
    return NULL;
  }
  sh->bytes = (uint8_t *)v.data;
  sh->len = v.size;
  return sh;
}

void wasm_shared_module_delete(wasm_shared_module_t *sh) {
  if (!sh)
    return;
  free(sh->bytes);
  free(sh);
}

wasm_module_t *wasm_module_obtain(wasm_store_t *s,
                                  const wasm_shared_module_t *sh) {
  if (!sh)
    return NULL;
  wasm_byte_vec_t v = {sh->len, (byte_t *)sh->bytes};
  return wasm_module_deserialize(s, &v);
}

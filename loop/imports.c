/*
 * imports.c -- resolves a module's imports through a linker into the
 * array lull_snapshot_read takes.
 *
 * lull.h's linker can only instantiate, not answer "what is (module,
 * name)?". So this builds a small module that imports exactly what `m`
 * imports, with the same types, and exports each import again under its
 * index ("0", "1", ...). Instantiating it through the linker resolves and
 * type-checks every import the way instantiating `m` would (with the same
 * errors), and its exports are the externs, in `m`'s order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop_internal.h"

static void put_limits(lullu_buf *b, lull_limits l) {
  lullu_buf_u8(b, l.has_max ? 1 : 0);
  lullu_buf_leb(b, l.min);
  if (l.has_max)
    lullu_buf_leb(b, l.max);
}

/* Appends section `id` holding `body`. */
static void put_section(lullu_buf *b, uint8_t id, const lullu_buf *body) {
  lullu_buf_u8(b, id);
  lullu_buf_leb(b, (uint32_t)body->len);
  lullu_buf_bytes(b, body->p, body->len);
}

/* The shim's bytes for `m`. */
static lull_status build_shim(lull_module *m, lullu_buf *out,
                              lull_error *err) {
  static const uint8_t header[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  size_t n = lull_module_import_count(m);
  lullu_buf types = {0}, imports = {0}, exports = {0};
  uint32_t nfuncs = 0, counts[4] = {0, 0, 0, 0};
  lullu_buf_leb(&imports, (uint32_t)n);
  lullu_buf_leb(&exports, (uint32_t)n);
  for (size_t i = 0; i < n; i++) {
    const char *mod, *name;
    lull_externtype ty;
    if (lull_module_import(m, i, &mod, &name, &ty) != LULL_OK)
      continue;
    lullu_buf_name(&imports, mod, strlen(mod));
    lullu_buf_name(&imports, name, strlen(name));
    lullu_buf_u8(&imports, (uint8_t)ty.kind);
    switch (ty.kind) {
    case LULL_EXTERN_FUNC:
      /* One type per function import: duplicates are allowed. */
      lullu_buf_u8(&types, 0x60);
      lullu_buf_leb(&types, ty.of.func.nparams);
      for (uint32_t k = 0; k < ty.of.func.nparams; k++)
        lullu_buf_u8(&types, (uint8_t)ty.of.func.params[k]);
      lullu_buf_leb(&types, ty.of.func.nresults);
      for (uint32_t k = 0; k < ty.of.func.nresults; k++)
        lullu_buf_u8(&types, (uint8_t)ty.of.func.results[k]);
      lullu_buf_leb(&imports, nfuncs++);
      break;
    case LULL_EXTERN_TABLE:
      lullu_buf_u8(&imports, (uint8_t)ty.of.table.elem);
      put_limits(&imports, ty.of.table.limits);
      break;
    case LULL_EXTERN_MEMORY:
      put_limits(&imports, ty.of.memory);
      break;
    case LULL_EXTERN_GLOBAL:
      lullu_buf_u8(&imports, (uint8_t)ty.of.global.type);
      lullu_buf_u8(&imports, ty.of.global.mutable_ ? 1 : 0);
      break;
    }
    char idx[24];
    int len = snprintf(idx, sizeof idx, "%zu", i);
    lullu_buf_name(&exports, idx, (size_t)len);
    lullu_buf_u8(&exports, (uint8_t)ty.kind);
    lullu_buf_leb(&exports, counts[ty.kind & 3]++);
  }
  lullu_buf typesec = {0};
  lullu_buf_leb(&typesec, nfuncs);
  lullu_buf_bytes(&typesec, types.p, types.len);
  lullu_buf_bytes(out, header, sizeof header);
  put_section(out, 1, &typesec);
  put_section(out, 2, &imports);
  put_section(out, 7, &exports);
  int failed = types.failed || imports.failed || exports.failed ||
               typesec.failed || out->failed;
  lullu_buf_free(&types);
  lullu_buf_free(&imports);
  lullu_buf_free(&exports);
  lullu_buf_free(&typesec);
  if (failed)
    return lullu_error(err, LULL_NOMEM, "out of memory");
  return LULL_OK;
}

lull_status lullu_resolve_imports(lull_engine *e, lull_linker *l,
                                  lull_module *m, lull_extern **out,
                                  size_t *n, lull_instance **keep,
                                  lull_error *err) {
  *out = NULL;
  *n = 0;
  *keep = NULL;
  size_t count = lull_module_import_count(m);
  if (count == 0)
    return LULL_OK;
  lullu_buf bytes = {0};
  lull_module *shim = NULL;
  lull_instance *inst = NULL;
  lull_extern *ext = NULL;
  lull_status st = build_shim(m, &bytes, err);
  if (st != LULL_OK)
    goto done;
  st = lull_module_new(e, bytes.p, bytes.len, &shim, err);
  if (st != LULL_OK)
    goto done;
  st = lull_linker_instantiate(l, shim, &inst, err);
  if (st != LULL_OK)
    goto done;
  ext = calloc(count, sizeof *ext);
  if (!ext) {
    st = lullu_error(err, LULL_NOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < count; i++) {
    char idx[24];
    snprintf(idx, sizeof idx, "%zu", i);
    st = lull_instance_export(inst, idx, &ext[i]);
    if (st != LULL_OK) {
      st = lullu_error(err, LULL_UNLINKABLE, "cannot resolve import %zu", i);
      goto done;
    }
  }
  *out = ext;
  *n = count;
  *keep = inst;
  ext = NULL;
  inst = NULL;
done:
  free(ext);
  if (inst)
    lull_instance_free(inst);
  if (shim)
    lull_module_free(shim);
  lullu_buf_free(&bytes);
  return st;
}

/*
 * module.c -- lull_module: decode, validate, intern the types and compile
 * every function once, at load. Imports, exports and custom sections as
 * the API shows them.
 */
#include <string.h>

#include "interp_internal.h"

void lulli_module_destroy(lull_module *mod) {
  lull_engine *e = mod->hdr.engine;
  const lulld_module *m = mod->m;
  if (m) {
    if (mod->codes) {
      for (uint32_t i = 0; i < m->ncodes; i++)
        lulli_code_free(&e->alloc, &mod->codes[i]);
      lulld_free(&e->alloc, mod->codes, m->ncodes * sizeof *mod->codes);
    }
    lulld_free(&e->alloc, mod->type_ids, m->ntypes * sizeof *mod->type_ids);
  }
  lulld_module_free(mod->m);
  lulld_free(&e->alloc, mod, sizeof *mod);
}

lull_status lulli_module_make(lull_engine *e, lulld_module *m, int compile,
                              lull_module **out, lull_error *err) {
  lull_status s = LULL_OK;
  lull_module *mod = lulld_calloc(&e->alloc, 1, sizeof *mod);
  if (!mod) {
    lulld_module_free(m);
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  }
  mod->m = m;
  lulli_obj_init(e, &mod->hdr, LULLI_KIND_MODULE);
  if (m->ntypes) {
    mod->type_ids = lulld_calloc(&e->alloc, m->ntypes, sizeof *mod->type_ids);
    if (!mod->type_ids)
      goto oom;
  }
  for (uint32_t g = 0; g < m->ntypes; g += m->types[g].nrec)
    if (lulli_type_intern_group(e, m, mod->type_ids, g) != 0)
      goto oom;
  if (m->ncodes) {
    mod->codes = lulld_calloc(&e->alloc, m->ncodes, sizeof *mod->codes);
    if (!mod->codes)
      goto oom;
  }
  if (compile && e->cfg.lazy_compile) {
    for (uint32_t i = 0; i < m->ncodes; i++)
      lulli_compile_later(mod, i);
  } else if (compile) {
    s = lulli_compile(mod, 0, m->ncodes, err);
  }
  if (s != LULL_OK) {
    lulli_release(&mod->hdr);
    return s;
  }
  *out = mod;
  return LULL_OK;
oom:
  lulli_release(&mod->hdr);
  return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
}

lull_status lulli_module_load(lull_engine *e, const uint8_t *bytes,
                              size_t len, lull_module **out,
                              lull_error *err) {
  lulld_module *m = NULL;
  lull_status s = lulld_decode(&e->alloc, e->cfg.features, bytes, len, &m, err);
  if (s == LULL_OK)
    s = lulld_validate(m, err);
  if (s != LULL_OK) {
    lulld_module_free(m);
    return s;
  }
  return lulli_module_make(e, m, 1, out, err);
}

lull_status lull_module_new(lull_engine *e, const uint8_t *bytes, size_t len,
                            lull_module **out, lull_error *err) {
  if (out)
    *out = NULL;
  if (!e || !out || (!bytes && len))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_module_new: no engine, bytes or output");
  return lulli_module_load(e, bytes, len, out, err);
}

void lull_module_free(lull_module *m) {
  if (m)
    lulli_release(&m->hdr);
}

/* Describes an import or export of kind `kind` and index `index` in the
 * module's index spaces. */
static void describe(const lull_module *mod, uint8_t kind, uint32_t index,
                     lull_externtype *t) {
  const lulld_module *m = mod->m;
  lull_engine *e = mod->hdr.engine;
  memset(t, 0, sizeof *t);
  t->kind = (lull_externkind)kind;
  switch (kind) {
  case LULL_EXTERN_FUNC: {
    const lulli_type *ty = e->types[mod->type_ids[m->func_types[index]]];
    t->of.func.nparams = ty->nparams;
    t->of.func.nresults = ty->nresults;
    t->of.func.params = ty->vtypes;
    t->of.func.results = LULLD_PAST(ty->vtypes, ty->nparams);
    break;
  }
  case LULL_EXTERN_TABLE:
    t->of.table.elem = LULLI_MODULE_VT(mod, m->tables[index].elem);
    t->of.table.limits.min = m->tables[index].limits.min;
    t->of.table.limits.max = m->tables[index].limits.max;
    t->of.table.limits.has_max = m->tables[index].limits.has_max;
    t->of.table.limits.addr64 = m->tables[index].limits.is64;
    break;
  case LULL_EXTERN_MEMORY:
    t->of.memory.min = m->memories[index].min;
    t->of.memory.max = m->memories[index].max;
    t->of.memory.has_max = m->memories[index].has_max;
    t->of.memory.addr64 = m->memories[index].is64;
    break;
  case LULL_EXTERN_GLOBAL:
    t->of.global.type = LULLI_MODULE_VT(mod, m->globals[index].type.type);
    t->of.global.mutable_ = m->globals[index].type.mut;
    break;
  case LULL_EXTERN_TAG: {
    const lulli_type *ty = e->types[mod->type_ids[m->tags[index]]];
    t->of.tag.nparams = ty->nparams;
    t->of.tag.params = ty->vtypes;
    t->of.tag.results = ty->vtypes + ty->nparams;
    break;
  }
  }
}

size_t lull_module_import_count(const lull_module *m) {
  return m ? m->m->nimports : 0;
}

lull_status lull_module_import(const lull_module *mod, size_t i,
                               const char **module_name, const char **name,
                               lull_externtype *type) {
  if (!mod || i >= mod->m->nimports)
    return LULL_BADARG;
  const lulld_module *m = mod->m;
  const lulld_import *im = &m->imports[i];
  if (module_name)
    *module_name = im->module.str;
  if (name)
    *name = im->name.str;
  if (type) {
    /* Imports come first in each index space, in order. */
    uint32_t index = 0;
    for (size_t j = 0; j < i; j++)
      if (m->imports[j].kind == im->kind)
        index++;
    describe(mod, im->kind, index, type);
  }
  return LULL_OK;
}

size_t lull_module_export_count(const lull_module *m) {
  return m ? m->m->nexports : 0;
}

lull_status lull_module_export(const lull_module *mod, size_t i,
                               const char **name, lull_externtype *type) {
  if (!mod || i >= mod->m->nexports)
    return LULL_BADARG;
  const lulld_export *ex = &mod->m->exports[i];
  if (name)
    *name = ex->name.str;
  if (type)
    describe(mod, ex->kind, ex->index, type);
  return LULL_OK;
}

size_t lull_module_custom_count(const lull_module *m) {
  return m ? m->m->ncustoms : 0;
}

static void custom_out(const lull_module *mod, const lulld_custom *cs,
                       const uint8_t **data, size_t *len) {
  if (data)
    *data = mod->m->bytes + cs->offset;
  if (len)
    *len = cs->len;
}

lull_status lull_module_custom(const lull_module *mod, size_t i,
                               const char **name, const uint8_t **data,
                               size_t *len) {
  if (!mod || i >= mod->m->ncustoms)
    return LULL_BADARG;
  const lulld_custom *cs = &mod->m->customs[i];
  if (name)
    *name = cs->name.str;
  custom_out(mod, cs, data, len);
  return LULL_OK;
}

lull_status lull_module_custom_find(const lull_module *mod, const char *name,
                                    const uint8_t **data, size_t *len) {
  if (!mod || !name)
    return LULL_BADARG;
  size_t n = strlen(name);
  for (uint32_t i = 0; i < mod->m->ncustoms; i++) {
    const lulld_custom *cs = &mod->m->customs[i];
    if (cs->name.len == n && memcmp(cs->name.str, name, n) == 0) {
      custom_out(mod, cs, data, len);
      return LULL_OK;
    }
  }
  return LULL_NOTFOUND;
}

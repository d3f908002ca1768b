/*
 * linker.c -- resolving imports by (module, name), and defining host
 * functions in bulk from a table.
 */
#include <stdio.h>

#include "interp_internal.h"

typedef struct entry {
  char *module;
  char *name;
  lull_extern ext;
  lulli_obj *held;  /* the reference the linker holds */
} entry;

struct lull_linker {
  lulli_obj hdr;
  entry *entries;
  size_t n, cap;
};

static lulli_obj *holder(const lull_extern *x) {
  switch (x->kind) {
  case LULL_EXTERN_FUNC:
    return lulli_func_owner(x->of.func);
  case LULL_EXTERN_TABLE:
    return &x->of.table->hdr;
  case LULL_EXTERN_MEMORY:
    return &x->of.memory->hdr;
  case LULL_EXTERN_TAG:
    return &x->of.tag->hdr;
  default:
    return &x->of.global->hdr;
  }
}

void lulli_linker_destroy(lull_linker *l) {
  lull_engine *e = l->hdr.engine;
  for (size_t i = 0; i < l->n; i++) {
    entry *en = &l->entries[i];
    lulld_free(&e->alloc, en->module, strlen(en->module) + 1);
    lulld_free(&e->alloc, en->name, strlen(en->name) + 1);
    lulli_drop(e, en->held);
  }
  lulld_free(&e->alloc, l->entries, l->cap * sizeof *l->entries);
  lulld_free(&e->alloc, l, sizeof *l);
}

lull_linker *lull_linker_new(lull_engine *e) {
  if (!e)
    return NULL;
  lull_linker *l = lulld_calloc(&e->alloc, 1, sizeof *l);
  if (l)
    lulli_obj_init(e, &l->hdr, LULLI_KIND_LINKER);
  return l;
}

void lull_linker_free(lull_linker *l) {
  if (l)
    lulli_release(&l->hdr);
}

static entry *find(lull_linker *l, const char *module, const char *name) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->entries[i].module, module) == 0 &&
        strcmp(l->entries[i].name, name) == 0)
      return &l->entries[i];
  return NULL;
}

static int valid_extern(const lull_extern *x) {
  switch (x->kind) {
  case LULL_EXTERN_FUNC:
    return x->of.func != NULL;
  case LULL_EXTERN_TABLE:
    return x->of.table != NULL;
  case LULL_EXTERN_MEMORY:
    return x->of.memory != NULL;
  case LULL_EXTERN_GLOBAL:
    return x->of.global != NULL;
  case LULL_EXTERN_TAG:
    return x->of.tag != NULL;
  }
  return 0;
}

lull_status lull_linker_define(lull_linker *l, const char *module,
                               const char *name, const lull_extern *ext) {
  if (!l || !module || !name || !ext || !valid_extern(ext))
    return LULL_BADARG;
  const lulld_alloc *a = &l->hdr.engine->alloc;
  lulli_obj *held = holder(ext);
  entry *en = find(l, module, name);
  if (en) {
    lulli_retain(held);
    lulli_release(en->held);
    en->ext = *ext;
    en->held = held;
    return LULL_OK;
  }
  if (LULLD_GROW(a, l->entries, &l->cap, l->n + 1))
    return LULL_NOMEM;
  en = &l->entries[l->n];
  en->module = lulld_strndup(a, module, strlen(module));
  en->name = lulld_strndup(a, name, strlen(name));
  if (!en->module || !en->name) {
    if (en->module)
      lulld_free(a, en->module, strlen(module) + 1);
    if (en->name)
      lulld_free(a, en->name, strlen(name) + 1);
    return LULL_NOMEM;
  }
  en->ext = *ext;
  en->held = held;
  lulli_retain(held);
  l->n++;
  return LULL_OK;
}

lull_status lull_linker_define_instance(lull_linker *l, const char *module,
                                        lull_instance *inst) {
  if (!l || !module || !inst)
    return LULL_BADARG;
  const lulld_module *m = inst->module->m;
  for (uint32_t i = 0; i < m->nexports; i++) {
    lull_extern x;
    lull_status s = lull_instance_export(inst, m->exports[i].name.str, &x);
    if (s == LULL_OK)
      s = lull_linker_define(l, module, m->exports[i].name.str, &x);
    if (s != LULL_OK)
      return s;
  }
  return LULL_OK;
}

lull_status lull_linker_resolve(lull_linker *l, const lull_module *mod,
                                lull_extern *out, size_t n, lull_error *err) {
  if (!l || !mod || (n && !out) || n != mod->m->nimports)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_linker_resolve: bad arguments");
  for (uint32_t i = 0; i < mod->m->nimports; i++) {
    const lulld_import *im = &mod->m->imports[i];
    entry *en = find(l, im->module.str, im->name.str);
    if (!en)
      return lulld_error(err, LULL_UNLINKABLE, LULL_NO_OFFSET,
                         "unknown import: \"%s\" \"%s\"", im->module.str,
                         im->name.str);
    out[i] = en->ext;
  }
  return LULL_OK;
}

lull_status lull_linker_instantiate(lull_linker *l, lull_module *mod,
                                    lull_instance **out, lull_error *err) {
  return lull_linker_instantiate_on(l, mod, NULL, out, err);
}

lull_status lull_linker_instantiate_on(lull_linker *l, lull_module *mod,
                                       lull_thread *t, lull_instance **out,
                                       lull_error *err) {
  if (out)
    *out = NULL;
  if (!l || !mod || !out)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_linker_instantiate: bad arguments");
  const lulld_module *m = mod->m;
  lull_extern *x = NULL;
  const lulld_alloc *a = &l->hdr.engine->alloc;
  if (m->nimports) {
    x = lulld_calloc(a, m->nimports, sizeof *x);
    if (!x)
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  }
  lull_status s = lull_linker_resolve(l, mod, x, m->nimports, err);
  if (s == LULL_OK)
    s = t ? lull_instantiate_on(l->hdr.engine, mod, x, m->nimports, t, out,
                                err)
          : lull_instantiate(l->hdr.engine, mod, x, m->nimports, out, err);
  lulld_free(a, x, m->nimports * sizeof *x);
  return s;
}

lull_status lull_linker_define_host(lull_linker *l, const char *module,
                                    const lull_host_def *defs, size_t n,
                                    lull_error *err) {
  if (!l || !module || (n && !defs))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_linker_define_host: no linker, module name or "
                       "table");
  lull_valtype types[LULLI_MAX_SIG];
  lull_functype ft;
  /* Every entry is checked first, so a bad table defines nothing. */
  for (size_t i = 0; i < n; i++) {
    if (!defs[i].name || !defs[i].fn)
      return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                         "host function %zu of \"%s\": no name or no "
                         "function", i, module);
    lull_status s =
        lull_functype_parse(defs[i].signature, types, LULLI_MAX_SIG, &ft, err);
    if (s != LULL_OK) {
      char why[sizeof err->message];
      if (err) {
        memcpy(why, err->message, sizeof why);
        lulld_error(err, s, LULL_NO_OFFSET, "\"%s\" \"%s\": %s", module,
                    defs[i].name, why);
      }
      return s;
    }
  }
  for (size_t i = 0; i < n; i++) {
    lull_functype_parse(defs[i].signature, types, LULLI_MAX_SIG, &ft, NULL);
    lull_extern x = {LULL_EXTERN_FUNC, {.func = NULL}};
    x.of.func = lull_func_new(l->hdr.engine, &ft, defs[i].fn, defs[i].env,
                              NULL);
    lull_status s = x.of.func ? lull_linker_define(l, module, defs[i].name, &x)
                              : LULL_NOMEM;
    lull_func_free(x.of.func);
    if (s != LULL_OK)
      return lulld_error(err, s, LULL_NO_OFFSET,
                         "\"%s\" \"%s\": %s", module, defs[i].name,
                         lull_status_str(s));
  }
  return LULL_OK;
}

/*
 * types.c -- wasm.h's types (plain values, deep-copied), and the
 * translation of lull's types into them.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

/* ---- value types ---- */

wasm_valtype_t *wasm_valtype_new(wasm_valkind_t k) {
  wasm_valtype_t *t = malloc(sizeof *t);
  if (t)
    t->kind = k;
  return t;
}

void wasm_valtype_delete(wasm_valtype_t *t) { free(t); }

wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *t) {
  return t ? wasm_valtype_new(t->kind) : NULL;
}

wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t) { return t->kind; }

/* Function references of any type are funcrefs and the extern hierarchy's
 * are anyrefs (a non-nullable one refuses null when used); the other
 * hierarchies (GC's any, exception handling's exn) have no kind here. */
wasm_valkind_t lullc_kind_of(lull_valtype t) {
  switch (t) {
  case LULL_I32: return WASM_I32;
  case LULL_I64: return WASM_I64;
  case LULL_F32: return WASM_F32;
  case LULL_F64: return WASM_F64;
  default: break;
  }
  if (LULL_VT_IS_INDEXED(t))
    return WASM_FUNCREF;
  switch (LULL_VT_CODE(t)) {
  case LULL_HT_FUNC:
  case LULL_HT_NOFUNC:
    return WASM_FUNCREF;
  case LULL_HT_EXTERN:
  case LULL_HT_NOEXTERN:
    return WASM_ANYREF;
  default:
    return WASM_LULL_UNNAMED;
  }
}

lull_valtype lullc_valtype_of(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return LULL_I32;
  case WASM_I64: return LULL_I64;
  case WASM_F32: return LULL_F32;
  case WASM_F64: return LULL_F64;
  case WASM_ANYREF: return LULL_EXTERNREF;
  case WASM_FUNCREF: return LULL_FUNCREF;
  default: return 0;
  }
}

/* ---- the four external types ---- */

static lullc_externtype *et_new(wasm_externkind_t kind) {
  lullc_externtype *t = calloc(1, sizeof *t);
  if (t)
    t->kind = kind;
  return t;
}

void wasm_externtype_delete(wasm_externtype_t *p) {
  lullc_externtype *t = LULLC_ET(p);
  if (!t)
    return;
  wasm_valtype_vec_delete(&t->params);
  wasm_valtype_vec_delete(&t->results);
  wasm_valtype_delete(t->content);
  free(t);
}

wasm_externtype_t *wasm_externtype_copy(const wasm_externtype_t *p) {
  const lullc_externtype *t = LULLC_ET(p);
  lullc_externtype *c = t ? et_new(t->kind) : NULL;
  if (!c)
    return NULL;
  wasm_valtype_vec_copy(&c->params, &t->params);
  wasm_valtype_vec_copy(&c->results, &t->results);
  c->content = t->content ? wasm_valtype_copy(t->content) : NULL;
  c->mut = t->mut;
  c->limits = t->limits;
  if (c->params.size != t->params.size ||
      c->results.size != t->results.size || (t->content && !c->content)) {
    wasm_externtype_delete((wasm_externtype_t *)c);
    return NULL;
  }
  return (wasm_externtype_t *)c;
}

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *t) {
  return LULLC_ET(t)->kind;
}

/* Each of the four is the external type itself: delete, copy and the
 * casts are the external type's. */
#define LULLC_EXTERNTYPE(name, KIND)                                          \
  void wasm_##name##_delete(wasm_##name##_t *t) {                             \
    wasm_externtype_delete((wasm_externtype_t *)t);                           \
  }                                                                           \
  wasm_##name##_t *wasm_##name##_copy(const wasm_##name##_t *t) {             \
    return (wasm_##name##_t *)wasm_externtype_copy(                           \
        (const wasm_externtype_t *)t);                                        \
  }                                                                           \
  wasm_externtype_t *wasm_##name##_as_externtype(wasm_##name##_t *t) {        \
    return (wasm_externtype_t *)t;                                            \
  }                                                                           \
  const wasm_externtype_t *wasm_##name##_as_externtype_const(                 \
      const wasm_##name##_t *t) {                                             \
    return (const wasm_externtype_t *)t;                                      \
  }                                                                           \
  wasm_##name##_t *wasm_externtype_as_##name(wasm_externtype_t *t) {          \
    return t && LULLC_ET(t)->kind == KIND ? (wasm_##name##_t *)t : NULL;      \
  }                                                                           \
  const wasm_##name##_t *wasm_externtype_as_##name##_const(                   \
      const wasm_externtype_t *t) {                                           \
    return t && LULLC_ET(t)->kind == KIND ? (const wasm_##name##_t *)t        \
                                          : NULL;                             \
  }

LULLC_EXTERNTYPE(functype, WASM_EXTERN_FUNC)
LULLC_EXTERNTYPE(globaltype, WASM_EXTERN_GLOBAL)
LULLC_EXTERNTYPE(tabletype, WASM_EXTERN_TABLE)
LULLC_EXTERNTYPE(memorytype, WASM_EXTERN_MEMORY)

wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params,
                                   wasm_valtype_vec_t *results) {
  lullc_externtype *t = et_new(WASM_EXTERN_FUNC);
  if (!t) {
    wasm_valtype_vec_delete(params);
    wasm_valtype_vec_delete(results);
    return NULL;
  }
  t->params = *params;
  t->results = *results;
  wasm_valtype_vec_new_empty(params);
  wasm_valtype_vec_new_empty(results);
  return (wasm_functype_t *)t;
}

const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *t) {
  return &LULLC_ET(t)->params;
}

const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *t) {
  return &LULLC_ET(t)->results;
}

wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content,
                                       wasm_mutability_t mut) {
  lullc_externtype *t = content ? et_new(WASM_EXTERN_GLOBAL) : NULL;
  if (!t) {
    wasm_valtype_delete(content);
    return NULL;
  }
  t->content = content;
  t->mut = mut;
  return (wasm_globaltype_t *)t;
}

const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *t) {
  return LULLC_ET(t)->content;
}

wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *t) {
  return LULLC_ET(t)->mut;
}

wasm_tabletype_t *wasm_tabletype_new(wasm_valtype_t *elem,
                                     const wasm_limits_t *limits) {
  lullc_externtype *t = elem && limits ? et_new(WASM_EXTERN_TABLE) : NULL;
  if (!t) {
    wasm_valtype_delete(elem);
    return NULL;
  }
  t->content = elem;
  t->limits = *limits;
  return (wasm_tabletype_t *)t;
}

const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *t) {
  return LULLC_ET(t)->content;
}

const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *t) {
  return &LULLC_ET(t)->limits;
}

wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *limits) {
  lullc_externtype *t = limits ? et_new(WASM_EXTERN_MEMORY) : NULL;
  if (t)
    t->limits = *limits;
  return (wasm_memorytype_t *)t;
}

const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *t) {
  return &LULLC_ET(t)->limits;
}

/* ---- imports and exports ---- */

wasm_importtype_t *wasm_importtype_new(wasm_name_t *module, wasm_name_t *name,
                                       wasm_externtype_t *type) {
  wasm_importtype_t *t = type ? malloc(sizeof *t) : NULL;
  if (!t) {
    wasm_name_delete(module);
    wasm_name_delete(name);
    wasm_externtype_delete(type);
    return NULL;
  }
  t->module = *module;
  t->name = *name;
  t->type = type;
  wasm_name_new_empty(module);
  wasm_name_new_empty(name);
  return t;
}

void wasm_importtype_delete(wasm_importtype_t *t) {
  if (!t)
    return;
  wasm_name_delete(&t->module);
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

wasm_importtype_t *wasm_importtype_copy(const wasm_importtype_t *t) {
  wasm_name_t module, name;
  wasm_name_copy(&module, &t->module);
  wasm_name_copy(&name, &t->name);
  return wasm_importtype_new(&module, &name, wasm_externtype_copy(t->type));
}

const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *t) {
  return &t->module;
}

const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *t) {
  return &t->name;
}

const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *t) {
  return t->type;
}

wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name,
                                       wasm_externtype_t *type) {
  wasm_exporttype_t *t = type ? malloc(sizeof *t) : NULL;
  if (!t) {
    wasm_name_delete(name);
    wasm_externtype_delete(type);
    return NULL;
  }
  t->name = *name;
  t->type = type;
  wasm_name_new_empty(name);
  return t;
}

void wasm_exporttype_delete(wasm_exporttype_t *t) {
  if (!t)
    return;
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

wasm_exporttype_t *wasm_exporttype_copy(const wasm_exporttype_t *t) {
  wasm_name_t name;
  wasm_name_copy(&name, &t->name);
  return wasm_exporttype_new(&name, wasm_externtype_copy(t->type));
}

const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *t) {
  return &t->name;
}

const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *t) {
  return t->type;
}

/* ---- from lull's types ---- */

static void valtypes_from(wasm_valtype_vec_t *out, const lull_valtype *ts,
                          uint32_t n) {
  wasm_valtype_vec_new_uninitialized(out, n);
  for (size_t i = 0; i < out->size; i++)
    out->data[i] = wasm_valtype_new(lullc_kind_of(ts[i]));
}

static int valtypes_whole(const wasm_valtype_vec_t *v, uint32_t n) {
  if (v->size != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!v->data[i])
      return 0;
  return 1;
}

wasm_functype_t *lullc_functype_from(const lull_functype *ft) {
  wasm_valtype_vec_t params, results;
  valtypes_from(&params, ft->params, ft->nparams);
  valtypes_from(&results, ft->results, ft->nresults);
  if (!valtypes_whole(&params, ft->nparams) ||
      !valtypes_whole(&results, ft->nresults)) {
    wasm_valtype_vec_delete(&params);
    wasm_valtype_vec_delete(&results);
    return NULL;
  }
  return wasm_functype_new(&params, &results);
}

static uint32_t clamp32(uint64_t x) {
  return x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
}

wasm_limits_t lullc_limits_from(const lull_limits *l) {
  wasm_limits_t w = {clamp32(l->min),
                     l->has_max ? clamp32(l->max) : wasm_limits_max_default};
  return w;
}

lull_limits lullc_limits_to(const wasm_limits_t *l) {
  lull_limits x = {l->min, l->max, l->max != wasm_limits_max_default, 0};
  return x;
}

wasm_externtype_t *lullc_externtype_from(const lull_externtype *t) {
  wasm_limits_t l;
  switch (t->kind) {
  case LULL_EXTERN_FUNC:
    return (wasm_externtype_t *)lullc_functype_from(&t->of.func);
  case LULL_EXTERN_GLOBAL:
    return (wasm_externtype_t *)wasm_globaltype_new(
        wasm_valtype_new(lullc_kind_of(t->of.global.type)),
        t->of.global.mutable_ ? WASM_VAR : WASM_CONST);
  case LULL_EXTERN_TABLE:
    l = lullc_limits_from(&t->of.table.limits);
    return (wasm_externtype_t *)wasm_tabletype_new(
        wasm_valtype_new(lullc_kind_of(t->of.table.elem)), &l);
  case LULL_EXTERN_MEMORY:
    l = lullc_limits_from(&t->of.memory);
    return (wasm_externtype_t *)wasm_memorytype_new(&l);
  default:
    return NULL;
  }
}

/*
 * func.c -- functions as objects: host functions made by the embedder,
 * and the reference counting of Wasm functions through their instance.
 */
#include "../decoder/instr.h"
#include "interp_internal.h"

lulli_obj *lulli_func_owner(lull_func *f) {
  return f->kind == LULLI_FUNC_WASM ? &f->inst->hdr : &f->hdr;
}

void lulli_func_destroy(lull_func *f) {
  lull_engine *e = f->hdr.engine;
  if (f->free_env)
    f->free_env(f->env);
  lulld_free(&e->alloc, f, sizeof *f);
}

static int valid_types(const lull_engine *e, const lull_valtype *t,
                       uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!lulli_vt_valid(e, t[i]))
      return 0;
  return 1;
}

lull_func *lull_func_new(lull_engine *e, const lull_functype *type,
                         lull_host_fn fn, void *env,
                         void (*free_env)(void *)) {
  if (!e || !type || !fn || (type->nparams && !type->params) ||
      (type->nresults && !type->results) ||
      type->nparams > LULLD_MAX_PARAMS || type->nresults > LULLD_MAX_RESULTS ||
      !valid_types(e, type->params, type->nparams) ||
      !valid_types(e, type->results, type->nresults))
    return NULL;
  uint32_t id = lulli_type_intern(e, type->params, type->nparams,
                                  type->results, type->nresults);
  if (id == UINT32_MAX)
    return NULL;
  lull_func *f = lulld_calloc(&e->alloc, 1, sizeof *f);
  if (!f)
    return NULL;
  f->kind = LULLI_FUNC_HOST;
  f->type_id = id;
  f->type = e->types[id];
  f->fn = fn;
  f->env = env;
  f->free_env = free_env;
  lulli_obj_init(e, &f->hdr, LULLI_KIND_FUNC);
  return f;
}

void lull_func_free(lull_func *f) {
  if (f && f->kind == LULLI_FUNC_HOST)
    lulli_release(&f->hdr);
}

/* Types are exposed as lull_valtype arrays; the registry keeps bytes, so
 * each type carries both views. */
lull_functype lull_func_type(const lull_func *f) {
  lull_functype t = {0, 0, NULL, NULL};
  if (!f)
    return t;
  t.nparams = f->type->nparams;
  t.nresults = f->type->nresults;
  t.params = f->type->vtypes;
  t.results = LULLD_PAST(f->type->vtypes, f->type->nparams);
  return t;
}

/* The reference-counted object behind an external value: a Wasm function
 * lives as long as its instance. */
static lulli_obj *extern_owner(const lull_extern *x) {
  switch (x->kind) {
  case LULL_EXTERN_FUNC:
    return x->of.func ? lulli_func_owner(x->of.func) : NULL;
  case LULL_EXTERN_TABLE:
    return x->of.table ? &x->of.table->hdr : NULL;
  case LULL_EXTERN_MEMORY:
    return x->of.memory ? &x->of.memory->hdr : NULL;
  case LULL_EXTERN_GLOBAL:
    return x->of.global ? &x->of.global->hdr : NULL;
  case LULL_EXTERN_TAG:
    return x->of.tag ? &x->of.tag->hdr : NULL;
  }
  return NULL;
}

lull_status lull_extern_retain(const lull_extern *x) {
  lulli_obj *o = x ? extern_owner(x) : NULL;
  if (!o)
    return LULL_BADARG;
  lulli_retain(o);
  return LULL_OK;
}

void lull_extern_release(const lull_extern *x) {
  lulli_obj *o = x ? extern_owner(x) : NULL;
  if (o)
    lulli_release(o);
}

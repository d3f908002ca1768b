/*
 * ref.c -- reference objects: handles, identity, host info and the casts
 * between the kinds, for every kind at once; foreign objects; externals.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

lullc_obj *lullc_obj_new(wasm_store_t *s, lullc_kind kind) {
  lullc_obj *o = s ? calloc(1, sizeof *o) : NULL;
  if (!o)
    return NULL;
  o->kind = kind;
  o->store = s;
  o->handles = 1;
  o->next = s->objs;
  if (s->objs)
    s->objs->prev = o;
  s->objs = o;
  return o;
}

lullc_obj *lullc_obj_hold(lullc_obj *o) {
  if (o)
    o->handles++;
  return o;
}

void lullc_obj_drop(lullc_obj *o) {
  if (o && o->handles > 0 && --o->handles == 0 && !o->pinned)
    lullc_obj_destroy(o);
}

/* What the object holds of lull and of other objects. */
static void release_parts(lullc_obj *o) {
  int dying = o->store->dying;
  lull_extern x;
  if (lullc_extern_of(o, &x) == 0)
    lull_extern_release(&x);
  switch (o->kind) {
  case LULLC_FUNC:
    if (!dying)
      lullc_obj_drop(o->u.func.inst);
    break;
  case LULLC_INSTANCE:
    lull_instance_free(o->u.instance.inst);
    if (!dying)
      lullc_obj_drop(o->u.instance.module);
    break;
  case LULLC_MODULE:
    lull_module_free(o->u.module.m);
    lullc_code_free(&o->u.module.code);
    break;
  case LULLC_TRAP:
    for (size_t i = 0; i < o->u.trap.nframes && !dying; i++)
      lullc_obj_drop(o->u.trap.frames[i].inst);
    free(o->u.trap.frames);
    free(o->u.trap.msg);
    break;
  default:
    break;
  }
}

void lullc_obj_destroy(lullc_obj *o) {
  wasm_store_t *s = o->store;
  /* The finalizer sees the object whole, and only once. */
  void (*fin)(void *) = o->finalizer;
  o->finalizer = NULL;
  if (fin)
    fin(o->info);
  lullc_map_remove(&s->maps[LULLC_MAP_KEY], o);
  lullc_map_remove(&s->maps[LULLC_MAP_PINNED], o);
  if (o->prev)
    o->prev->next = o->next;
  else
    s->objs = o->next;
  if (o->next)
    o->next->prev = o->prev;
  release_parts(o);
  free(o);
}

/* ---- the reference family of every kind ---- */

static void set_info(lullc_obj *o, void *info, void (*fin)(void *)) {
  o->info = info;
  o->finalizer = fin;
}

/* delete, copy, same and host info; `check` tells whether an object
 * belongs to the family (every kind for wasm_ref_t and wasm_extern_t's
 * four). */
#define LULLC_REF_BASE(name, check)                                           \
  void wasm_##name##_delete(wasm_##name##_t *p) {                             \
    lullc_obj_drop(LULLC_OBJ(p));                                             \
  }                                                                           \
  wasm_##name##_t *wasm_##name##_copy(const wasm_##name##_t *p) {             \
    return (wasm_##name##_t *)lullc_obj_hold(LULLC_OBJ(p));                   \
  }                                                                           \
  bool wasm_##name##_same(const wasm_##name##_t *a,                           \
                          const wasm_##name##_t *b) {                         \
    return a == b;                                                            \
  }                                                                           \
  void *wasm_##name##_get_host_info(const wasm_##name##_t *p) {               \
    return p ? LULLC_OBJ(p)->info : NULL;                                     \
  }                                                                           \
  void wasm_##name##_set_host_info(wasm_##name##_t *p, void *info) {          \
    if (p)                                                                    \
      set_info(LULLC_OBJ(p), info, NULL);                                     \
  }                                                                           \
  void wasm_##name##_set_host_info_with_finalizer(                            \
      wasm_##name##_t *p, void *info, void (*fin)(void *)) {                  \
    if (p)                                                                    \
      set_info(LULLC_OBJ(p), info, fin);                                      \
  }

#define LULLC_REF(name, check)                                                \
  LULLC_REF_BASE(name, check)                                                 \
  wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *p) {                      \
    return (wasm_ref_t *)p;                                                   \
  }                                                                           \
  const wasm_ref_t *wasm_##name##_as_ref_const(const wasm_##name##_t *p) {    \
    return (const wasm_ref_t *)p;                                             \
  }                                                                           \
  wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *p) {                        \
    return p && check(LULLC_OBJ(p)->kind) ? (wasm_##name##_t *)p : NULL;      \
  }                                                                           \
  const wasm_##name##_t *wasm_ref_as_##name##_const(const wasm_ref_t *p) {    \
    return p && check(LULLC_OBJ(p)->kind) ? (const wasm_##name##_t *)p       \
                                          : NULL;                             \
  }

#define IS_ANY(k) ((void)(k), 1)
#define IS_EXTERN(k) ((k) <= LULLC_MEMORY)
#define IS_FUNC(k) ((k) == LULLC_FUNC)
#define IS_GLOBAL(k) ((k) == LULLC_GLOBAL)
#define IS_TABLE(k) ((k) == LULLC_TABLE)
#define IS_MEMORY(k) ((k) == LULLC_MEMORY)
#define IS_FOREIGN(k) ((k) == LULLC_FOREIGN)
#define IS_INSTANCE(k) ((k) == LULLC_INSTANCE)
#define IS_MODULE(k) ((k) == LULLC_MODULE)
#define IS_TRAP(k) ((k) == LULLC_TRAP)

LULLC_REF_BASE(ref, IS_ANY)
LULLC_REF(extern, IS_EXTERN)
LULLC_REF(func, IS_FUNC)
LULLC_REF(global, IS_GLOBAL)
LULLC_REF(table, IS_TABLE)
LULLC_REF(memory, IS_MEMORY)
LULLC_REF(foreign, IS_FOREIGN)
LULLC_REF(instance, IS_INSTANCE)
LULLC_REF(module, IS_MODULE)
LULLC_REF(trap, IS_TRAP)

wasm_foreign_t *wasm_foreign_new(wasm_store_t *s) {
  return (wasm_foreign_t *)lullc_obj_new(s, LULLC_FOREIGN);
}

/* ---- externals ---- */

int lullc_extern_of(const lullc_obj *o, lull_extern *out) {
  if (o->kind > LULLC_MEMORY)
    return -1;
  *out = o->x;
  return 0;
}

/* The lull object of an external value: the key it is found by. The
 * union's members are all object pointers, so any of them reads it. */
static void *extern_key(const lull_extern *x) {
  return x->kind == LULL_EXTERN_TAG ? NULL : (void *)x->of.func;
}

lullc_obj *lullc_extern_obj(wasm_store_t *s, const lull_extern *x,
                            const lull_externtype *type, lullc_obj *inst) {
  void *key = extern_key(x);
  if (!key)
    return NULL;
  lullc_obj *o = lullc_map_find(&s->maps[LULLC_MAP_KEY], key);
  if (o) {
    if (x->kind == LULL_EXTERN_FUNC && !o->u.func.inst && inst)
      o->u.func.inst = lullc_obj_hold(inst);
    return lullc_obj_hold(o);
  }
  static const lullc_kind kinds[] = {
      [LULL_EXTERN_FUNC] = LULLC_FUNC, [LULL_EXTERN_TABLE] = LULLC_TABLE,
      [LULL_EXTERN_MEMORY] = LULLC_MEMORY, [LULL_EXTERN_GLOBAL] = LULLC_GLOBAL};
  o = lullc_obj_new(s, kinds[x->kind]);
  if (!o)
    return NULL;
  if (lullc_map_add(&s->maps[LULLC_MAP_KEY], o, key) != 0) {
    lullc_obj_destroy(o);
    return NULL;
  }
  lull_extern_retain(x);
  o->x = *x;
  switch (x->kind) {
  case LULL_EXTERN_FUNC:
    o->u.func.inst = lullc_obj_hold(inst);
    break;
  case LULL_EXTERN_GLOBAL:
    o->u.global.mut =
        type && type->of.global.mutable_ ? WASM_VAR : WASM_CONST;
    break;
  case LULL_EXTERN_TABLE:
    if (type) {
      o->u.table.elem = type->of.table.elem;
      o->u.table.limits = type->of.table.limits;
    }
    break;
  case LULL_EXTERN_MEMORY:
    if (type)
      o->u.memory.limits = type->of.memory;
    break;
  default:
    break;
  }
  return o;
}

wasm_externkind_t wasm_extern_kind(const wasm_extern_t *p) {
  return (wasm_externkind_t)LULLC_OBJ(p)->kind;
}

#define LULLC_EXTERN_CASTS(name, check)                                       \
  wasm_extern_t *wasm_##name##_as_extern(wasm_##name##_t *p) {                \
    return (wasm_extern_t *)p;                                                \
  }                                                                           \
  const wasm_extern_t *wasm_##name##_as_extern_const(                         \
      const wasm_##name##_t *p) {                                             \
    return (const wasm_extern_t *)p;                                          \
  }                                                                           \
  wasm_##name##_t *wasm_extern_as_##name(wasm_extern_t *p) {                  \
    return p && check(LULLC_OBJ(p)->kind) ? (wasm_##name##_t *)p : NULL;      \
  }                                                                           \
  const wasm_##name##_t *wasm_extern_as_##name##_const(                       \
      const wasm_extern_t *p) {                                               \
    return p && check(LULLC_OBJ(p)->kind) ? (const wasm_##name##_t *)p       \
                                          : NULL;                             \
  }

LULLC_EXTERN_CASTS(func, IS_FUNC)
LULLC_EXTERN_CASTS(global, IS_GLOBAL)
LULLC_EXTERN_CASTS(table, IS_TABLE)
LULLC_EXTERN_CASTS(memory, IS_MEMORY)

wasm_externtype_t *wasm_extern_type(const wasm_extern_t *p) {
  switch (LULLC_OBJ(p)->kind) {
  case LULLC_FUNC:
    return (wasm_externtype_t *)wasm_func_type((const wasm_func_t *)p);
  case LULLC_GLOBAL:
    return (wasm_externtype_t *)wasm_global_type((const wasm_global_t *)p);
  case LULLC_TABLE:
    return (wasm_externtype_t *)wasm_table_type((const wasm_table_t *)p);
  case LULLC_MEMORY:
    return (wasm_externtype_t *)wasm_memory_type((const wasm_memory_t *)p);
  default:
    return NULL;
  }
}

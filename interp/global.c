/*
 * global.c -- global variables.
 */
#include "interp_internal.h"

lull_global *lulli_global_create(lull_engine *e, lull_valtype type,
                                uint8_t mut) {
  lull_global *g = lulld_calloc(&e->alloc, 1, sizeof *g);
  if (!g)
    return NULL;
  g->type = type;
  g->mut = mut;
  lulli_obj_init(e, &g->hdr, LULLI_KIND_GLOBAL);
  return g;
}

void lulli_global_destroy(lull_global *g) {
  lulld_free(&g->hdr.engine->alloc, g, sizeof *g);
}

lull_global *lull_global_new(lull_engine *e, const lull_val *v, int mutable_) {
  if (!e || !v || !lulli_vt_valid(e, v->type) || !lulli_val_fits(e, v, v->type))
    return NULL;
  lull_global *g = lulli_global_create(e, v->type, mutable_ != 0);
  if (g)
    lulli_val_to_slots(v, g->val);
  return g;
}

void lull_global_free(lull_global *g) {
  if (g)
    lulli_release(&g->hdr);
}

void lull_global_get(const lull_global *g, lull_val *out) {
  if (g && out)
    lulli_slots_to_val(g->hdr.engine, g->type, g->val, out);
}

lull_status lull_global_set(lull_global *g, const lull_val *v,
                            lull_error *err) {
  if (!g || !v)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_global_set: no %s", g ? "value" : "global");
  if (!g->mut)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_global_set: the global is immutable");
  if (!lulli_val_fits(g->hdr.engine, v, g->type))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_global_set: %s given for a global of type %s%s",
                       lull_valtype_str(v->type), lull_valtype_str(g->type),
                       lull_valtype_is_ref(v->type) &&
                               lull_valtype_is_ref(g->type)
                           ? " (the reference it holds does not fit)"
                           : "");
  lulli_val_to_slots(v, g->val);
  return LULL_OK;
}

/*
 * global.c -- global variables.
 */
#include "interp_internal.h"

lull_global *lulli_global_create(lull_engine *e, uint8_t type, uint8_t mut) {
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

static int valid_type(lull_valtype t) {
  return t == LULL_I32 || t == LULL_I64 || t == LULL_F32 || t == LULL_F64 ||
         t == LULL_V128 || t == LULL_FUNCREF || t == LULL_EXTERNREF;
}

lull_global *lull_global_new(lull_engine *e, const lull_val *v, int mutable_) {
  if (!e || !v || !valid_type(v->type))
    return NULL;
  lull_global *g = lulli_global_create(e, (uint8_t)v->type, mutable_ != 0);
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
    lulli_slots_to_val(g->type, g->val, out);
}

lull_status lull_global_set(lull_global *g, const lull_val *v) {
  if (!g || !v || !g->mut || (uint8_t)v->type != g->type)
    return LULL_BADARG;
  lulli_val_to_slots(v, g->val);
  return LULL_OK;
}

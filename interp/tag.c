/*
 * tag.c -- tags, the identities exceptions are thrown and caught by.
 */
#include "interp_internal.h"

lull_tag *lulli_tag_create(lull_engine *e, uint32_t type_id) {
  lull_tag *t = lulld_calloc(&e->alloc, 1, sizeof *t);
  if (!t)
    return NULL;
  t->type_id = type_id;
  t->type = e->types[type_id];
  lulli_obj_init(e, &t->hdr, LULLI_KIND_TAG);
  return t;
}

void lulli_tag_destroy(lull_tag *t) {
  lulld_free(&t->hdr.engine->alloc, t, sizeof *t);
}

lull_tag *lull_tag_new(lull_engine *e, const lull_functype *type) {
  if (!e || !type || type->nresults != 0 || (type->nparams && !type->params))
    return NULL;
  for (uint32_t i = 0; i < type->nparams; i++)
    if (!lulli_vt_valid(e, type->params[i]))
      return NULL;
  uint32_t id = lulli_type_intern(e, type->params, type->nparams, NULL, 0);
  if (id == UINT32_MAX)
    return NULL;
  return lulli_tag_create(e, id);
}

void lull_tag_free(lull_tag *t) {
  if (t)
    lulli_release(&t->hdr);
}

lull_functype lull_tag_type(const lull_tag *t) {
  lull_functype ft = {0, 0, NULL, NULL};
  if (t) {
    ft.nparams = t->type->nparams;
    ft.params = t->type->vtypes;
    ft.results = t->type->vtypes + t->type->nparams;
  }
  return ft;
}

/*
 * obj.c -- reference counts and the engine's list of live objects.
 */
#include "interp_internal.h"

void lulli_obj_init(lull_engine *e, lulli_obj *o, lulli_kind k) {
  o->engine = e;
  o->refs = 1;
  o->kind = (uint8_t)k;
  o->prev = &e->objects;
  o->next = e->objects.next;
  e->objects.next->prev = o;
  e->objects.next = o;
}

void lulli_retain(lulli_obj *o) { o->refs++; }

void lulli_release(lulli_obj *o) {
  if (!o || o->engine->freeing)
    return;
  if (--o->refs == 0)
    lulli_obj_destroy(o);
}

/* While the engine frees everything, the object may be gone already:
 * look at the engine, not at it. */
void lulli_drop(lull_engine *e, lulli_obj *o) {
  if (!e->freeing)
    lulli_release(o);
}

void lulli_obj_destroy(lulli_obj *o) {
  o->prev->next = o->next;
  o->next->prev = o->prev;
  o->prev = o->next = o;
  switch ((lulli_kind)o->kind) {
  case LULLI_KIND_MODULE:
    lulli_module_destroy((lull_module *)o);
    break;
  case LULLI_KIND_INSTANCE:
    lulli_instance_destroy((lull_instance *)o);
    break;
  case LULLI_KIND_FUNC:
    lulli_func_destroy((lull_func *)o);
    break;
  case LULLI_KIND_MEMORY:
    lulli_memory_destroy((lull_memory *)o);
    break;
  case LULLI_KIND_TABLE:
    lulli_table_destroy((lull_table *)o);
    break;
  case LULLI_KIND_GLOBAL:
    lulli_global_destroy((lull_global *)o);
    break;
  case LULLI_KIND_THREAD:
    lulli_thread_destroy((lull_thread *)o);
    break;
  case LULLI_KIND_LINKER:
    lulli_linker_destroy((lull_linker *)o);
    break;
  case LULLI_KIND_TAG:
    lulli_tag_destroy((lull_tag *)o);
    break;
  }
}

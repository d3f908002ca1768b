/*
 * trap.c -- traps (a message and the frames of a backtrace) and frames.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

/* A trap holding `len` bytes of `msg`, NUL-terminated whether or not
 * they were. */
static lullc_obj *trap_new(wasm_store_t *s, const char *msg, size_t len) {
  if (len && msg[len - 1] == '\0')
    len--;
  lullc_obj *o = lullc_obj_new(s, LULLC_TRAP);
  char *copy = o ? malloc(len + 1) : NULL;
  if (!copy) {
    if (o)
      lullc_obj_destroy(o);
    return NULL;
  }
  if (len)
    memcpy(copy, msg, len);
  copy[len] = '\0';
  o->u.trap.msg = copy;
  o->u.trap.len = len + 1;
  return o;
}

wasm_trap_t *wasm_trap_new(wasm_store_t *s, const wasm_message_t *msg) {
  return (wasm_trap_t *)trap_new(s, msg ? msg->data : "", msg ? msg->size : 0);
}

lullc_obj *lullc_trap_text(wasm_store_t *s, const char *msg) {
  return trap_new(s, msg, strlen(msg));
}

/* The byte offset of a module offset in its function's body, or the
 * module offset itself when the module's code is not known. */
static size_t func_offset(const lullc_code *c, uint32_t func_index,
                          size_t module_offset) {
  if (!c || func_index < c->nimported ||
      func_index - c->nimported >= c->nbodies)
    return module_offset;
  uint32_t start = c->body[func_index - c->nimported];
  return module_offset >= start ? module_offset - start : module_offset;
}

lullc_obj *lullc_trap_thread(wasm_store_t *s, lull_thread *t,
                             const lullc_code *code) {
  lullc_obj *o = lullc_trap_text(s, lull_thread_trap_message(t));
  if (!o)
    return NULL;
  lull_frame_info info[100];
  size_t n = lull_thread_backtrace(t, info, 100);
  if (n > 100)
    n = 100;
  if (n == 0)
    return o;
  o->u.trap.frames = calloc(n, sizeof *o->u.trap.frames);
  if (!o->u.trap.frames)
    return o; /* the message alone is still the trap */
  for (size_t i = 0; i < n; i++) {
    if (!info[i].instance)
      continue; /* a host function's frame: wasm.h has none */
    struct wasm_frame_t *f = &o->u.trap.frames[o->u.trap.nframes++];
    lullc_obj *inst = lullc_map_find(&s->maps[LULLC_MAP_KEY],
                                     info[i].instance);
    const lullc_code *c =
        inst ? &inst->u.instance.module->u.module.code : code;
    f->inst = lullc_obj_hold(inst);
    f->func_index = info[i].func_index;
    f->module_offset = info[i].wasm_offset;
    f->func_offset = func_offset(c, info[i].func_index, f->module_offset);
  }
  return o;
}

void wasm_trap_message(const wasm_trap_t *p, wasm_message_t *out) {
  const lullc_obj *o = LULLC_OBJ(p);
  wasm_byte_vec_new(out, o->u.trap.len, o->u.trap.msg);
}

wasm_frame_t *wasm_trap_origin(const wasm_trap_t *p) {
  const lullc_obj *o = LULLC_OBJ(p);
  return o->u.trap.nframes ? wasm_frame_copy(&o->u.trap.frames[0]) : NULL;
}

void wasm_trap_trace(const wasm_trap_t *p, wasm_frame_vec_t *out) {
  const lullc_obj *o = LULLC_OBJ(p);
  wasm_frame_vec_new_uninitialized(out, o->u.trap.nframes);
  for (size_t i = 0; i < out->size; i++)
    out->data[i] = wasm_frame_copy(&o->u.trap.frames[i]);
}

/* ---- frames ---- */

wasm_frame_t *wasm_frame_copy(const wasm_frame_t *f) {
  wasm_frame_t *c = malloc(sizeof *c);
  if (c) {
    *c = *f;
    lullc_obj_hold(c->inst);
  }
  return c;
}

void wasm_frame_delete(wasm_frame_t *f) {
  if (!f)
    return;
  lullc_obj_drop(f->inst);
  free(f);
}

wasm_instance_t *wasm_frame_instance(const wasm_frame_t *f) {
  return (wasm_instance_t *)f->inst;
}

uint32_t wasm_frame_func_index(const wasm_frame_t *f) { return f->func_index; }

size_t wasm_frame_func_offset(const wasm_frame_t *f) { return f->func_offset; }

size_t wasm_frame_module_offset(const wasm_frame_t *f) {
  return f->module_offset;
}

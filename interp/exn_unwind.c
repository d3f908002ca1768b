/*
 * exn_unwind.c -- where a thrown exception goes. The frames are records
 * on the heap stack, so unwinding is a walk down that array: no C stack
 * is unwound, and code that never throws paid nothing for the handlers,
 * which are looked up here by each frame's position in its code.
 *
 * The walk first only looks, so that an exception nobody catches still
 * has every frame in place for its backtrace; then it cuts the stack
 * back to the frame that catches.
 */
#include <stdio.h>

#include "exec_internal.h"

/* The first handler of frame `fr`, at `cell` of its code, that catches
 * an exception of `tag`; NULL when none does. */
static const lulli_handler *handler_at(const lulli_frame *fr, uint32_t cell,
                                       const lull_tag *tag) {
  const lulli_code *code = fr->fn->code;
  for (uint32_t i = 0; i < code->nhandlers; i++) {
    const lulli_handler *h = &code->handlers[i];
    if (cell < h->start || cell >= h->end)
      continue;
    if (h->tag == LULLI_CATCH_ALL || fr->inst->tags[h->tag] == tag)
      return h;
  }
  return NULL;
}

void lulli_tag_describe(const lull_instance *inst, const lull_tag *tag,
                        char *buf, size_t len) {
  const lulld_module *m = inst && inst->module ? inst->module->m : NULL;
  for (uint32_t k = 0; m && k < m->ntags; k++) {
    if (inst->tags[k] != tag)
      continue;
    for (uint32_t i = 0; i < m->nexports; i++)
      if (m->exports[i].kind == LULL_EXTERN_TAG && m->exports[i].index == k) {
        snprintf(buf, len, "tag \"%s\"", m->exports[i].name.str);
        return;
      }
    for (uint32_t i = 0, n = 0; i < m->nimports; i++)
      if (m->imports[i].kind == LULL_EXTERN_TAG && n++ == k) {
        snprintf(buf, len, "tag \"%s\" \"%s\"", m->imports[i].module.str,
                 m->imports[i].name.str);
        return;
      }
    snprintf(buf, len, "tag %u", k);
    return;
  }
  snprintf(buf, len, "a tag of the host");
}

lulli_unwind_to lulli_unwind(lull_thread *t, const lulli_cell *pc,
                             int after, lulli_gcobj *x) {
  lull_engine *e = t->engine;
  lull_tag *tag = lulli_exn_tag(x);
  uint32_t top = t->nframes - 1;
  const lulli_handler *h = NULL;
  uint32_t i;
  for (i = top; i >= 1; i--) {
    const lulli_frame *fr = &t->frames[i];
    if (fr->fn->kind != LULLI_FUNC_WASM)
      break;
    const lulli_cell *at =
        i < top ? t->frames[i + 1].ret_pc - 1 : after ? pc - 1 : pc;
    const lulli_code *code = fr->fn->code;
    if (code->nhandlers &&
        (h = handler_at(fr, (uint32_t)(at - code->code), tag)) != NULL)
      break;
  }
  if (i == 0) {
    char what[96];
    lulli_tag_describe(t->frames[top].inst, tag, what, sizeof what);
    lulli_trap(t, pc, "uncaught exception: %s", what);
    t->exn = x;
    return LULLI_UNCAUGHT;
  }
  t->nframes = i + 1;
  if (!h) {
    /* A host frame: its continuation is handed the exception. */
    t->exn = x;
    return LULLI_TO_HOST;
  }
  lulli_frame *fr = &t->frames[i];
  lulli_slot *fp = t->stack + fr->base;
  uint32_t n = 0;
  if (h->tag != LULLI_CATCH_ALL) {
    n = tag->type->param_slots;
    memcpy(fp + h->dst, lulli_exn_payload(x), n * sizeof *fp);
  }
  if (h->ref) {
    lulli_exn_hold(e, x);
    fp[h->dst + n].ref = x;
  } else {
    lulli_exn_drop(e, x);
  }
  t->pc = fr->fn->code->code + h->target;
  return LULLI_CAUGHT;
}

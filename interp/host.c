/*
 * host.c -- host functions in continuation-passing style. A host function
 * never runs Wasm on the C stack: it returns what should happen next, and
 * the dispatch loop does it. This file converts between slots and
 * lull_val, pushes the host frames of lull_host_call and runs their
 * continuations.
 */
#include <stdio.h>

#include "exec_internal.h"

static void hc_init(lull_hostcall *hc, lull_thread *t, lull_func *fn,
                    lull_instance *inst) {
  memset(hc, 0, offsetof(lull_hostcall, msg));
  hc->msg[0] = '\0';
  hc->thread = t;
  hc->fn = fn;
  hc->inst = inst == t->engine->empty_instance ? NULL : inst;
}

static void read_vals(const lull_thread *t, uint32_t base,
                      const lull_valtype *types, uint32_t n, lull_val *out) {
  for (uint32_t i = 0; i < n; i++) {
    lulli_slots_to_val(t->engine, types[i], &t->stack[base], &out[i]);
    base += lulld_slots_of(types[i]);
  }
}

static void write_vals(lull_thread *t, uint32_t base, const lull_val *v,
                       uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    lulli_val_to_slots(&v[i], &t->stack[base]);
    base += lulld_slots_of(v[i].type);
  }
}

static void blank_results(const lull_valtype *types, uint32_t n, lull_val *out) {
  for (uint32_t i = 0; i < n; i++) {
    memset(&out[i], 0, sizeof out[i]);
    out[i].type = types[i];
  }
}

/* Frees the state lull_host_call copied, when nobody took it. */
static void drop_state(lull_hostcall *hc) {
  if (hc->state)
    lulld_free(&hc->thread->engine->alloc, hc->state, hc->state_len);
  hc->state = NULL;
  hc->state_len = 0;
}

/* After a host function or continuation returned: turns a bad answer into
 * a trap, and checks results kept their types. */
static lull_hostret settle(lull_hostcall *hc, lull_hostret r,
                           const lull_val *res, const lull_valtype *types,
                           uint32_t n) {
  if (r != LULL_HOST_CALL || hc->misuse)
    drop_state(hc);
  if (r != LULL_HOST_THROW && hc->thrown) {
    /* Thrown, then not: the new exception goes (the one a continuation
     * was handed is its caller's to end). */
    if (hc->thrown != hc->exn)
      lulli_exn_drop(hc->thread->engine, hc->thrown);
    hc->thrown = NULL;
  }
  switch (r) {
  case LULL_HOST_THROW:
    if (hc->thrown)
      return r;
    snprintf(hc->msg, sizeof hc->msg,
             "host function returned LULL_HOST_THROW without an exception");
    return LULL_HOST_TRAP;
  case LULL_HOST_RETURN:
    for (uint32_t i = 0; i < n; i++)
      if (!lulli_val_fits(hc->thread->engine, &res[i], types[i])) {
        snprintf(hc->msg, sizeof hc->msg,
                 "host function returned %s as result %u, expected %s",
                 lull_valtype_str(res[i].type), i,
                 lull_valtype_str(types[i]));
        return LULL_HOST_TRAP;
      }
    return r;
  case LULL_HOST_CALL:
    return hc->misuse ? LULL_HOST_TRAP : r;
  case LULL_HOST_SUSPEND:
    return r;
  case LULL_HOST_TRAP:
    if (!hc->msg[0])
      snprintf(hc->msg, sizeof hc->msg, "host function trapped");
    return r;
  default:
    snprintf(hc->msg, sizeof hc->msg,
             "host function returned an unknown action (%d)", (int)r);
    return LULL_HOST_TRAP;
  }
}

lull_hostret lulli_host_invoke(lull_thread *t, lull_func *f, uint32_t base,
                               lull_instance *caller, lull_hostcall *hc) {
  const lulli_type *ty = f->type;
  hc_init(hc, t, f, caller);
  if (lulli_scratch_reserve(t, (size_t)ty->nparams + ty->nresults + 1) != 0) {
    snprintf(hc->msg, sizeof hc->msg, "out of memory calling a host function");
    return LULL_HOST_TRAP;
  }
  lull_val *args = t->scratch, *res = LULLD_PAST(t->scratch, ty->nparams);
  const lull_valtype *rtypes = LULLD_PAST(ty->vtypes, ty->nparams);
  read_vals(t, base, ty->vtypes, ty->nparams, args);
  blank_results(rtypes, ty->nresults, res);
  /* While it runs, its arguments and results are roots (gc_collect.c):
   * the host may make objects, and a collection may run. */
  t->host_type = ty;
  lull_hostret ret = f->fn(hc, args, res, f->env);
  t->host_type = NULL;
  lull_hostret r = settle(hc, ret, res, rtypes, ty->nresults);
  if (r == LULL_HOST_RETURN)
    write_vals(t, base, res, ty->nresults);
  return r;
}

/* Puts the callee's arguments at `base`. */
static int place_args(lull_thread *t, lull_hostcall *hc, uint32_t base) {
  const lulli_type *cty = hc->callee->type;
  int rc = lulli_stack_reserve(t, (size_t)base + cty->param_slots + 1);
  if (rc != 0) {
    snprintf(hc->msg, sizeof hc->msg, "%s", lulli_reserve_msg(rc));
    return -1;
  }
  write_vals(t, base, hc->cargs, cty->nparams);
  return 0;
}

/* The continuation record takes the state lull_host_call copied. */
static void take_state(lulli_contrec *cr, lull_hostcall *hc) {
  cr->k = hc->k;
  cr->callee = hc->callee;
  cr->len = hc->state_len;
  cr->state = hc->state;
  hc->state = NULL;
  hc->state_len = 0;
}

int lulli_host_begin_call(lull_thread *t, lull_hostcall *hc,
                          const lulli_cell *ret_pc, uint32_t base,
                          lull_instance *inst) {
  int rc = lulli_frames_reserve(t, t->nframes + 2);
  if (rc != 0) {
    snprintf(hc->msg, sizeof hc->msg, "%s", lulli_reserve_msg(rc));
    drop_state(hc);
    return -1;
  }
  if (LULLD_GROW(&t->engine->alloc, t->conts, &t->cap_conts, t->nconts + 1)) {
    snprintf(hc->msg, sizeof hc->msg, "out of memory");
    drop_state(hc);
    return -1;
  }
  if (place_args(t, hc, base) != 0) {
    drop_state(hc);
    return -1;
  }
  take_state(&t->conts[t->nconts++], hc);
  lulli_frame *hf = &t->frames[t->nframes++];
  hf->ret_pc = ret_pc;
  hf->fn = hc->fn;
  hf->inst = inst;
  hf->base = base;
  hf->cont = t->nconts - 1;
  return 0;
}

lull_hostret lulli_host_continue(lull_thread *t, lull_hostcall *hc) {
  lulli_frame *hf = &t->frames[t->nframes - 1];
  lulli_contrec *cr = &t->conts[hf->cont];
  const lulli_type *cty = cr->callee->type, *ty = hf->fn->type;
  hc_init(hc, t, hf->fn, hf->inst);
  /* The callee threw: the continuation is handed the exception, which
   * the thread keeps (a root for the collector) until it returns. */
  lulli_gcobj *x = t->exn;
  hc->exn = x;
  if (lulli_scratch_reserve(t, (size_t)cty->nresults + ty->nresults + 1)) {
    snprintf(hc->msg, sizeof hc->msg, "out of memory in a continuation");
    return LULL_HOST_TRAP;
  }
  lull_val *cres = t->scratch, *res = t->scratch + cty->nresults;
  const lull_valtype *rtypes = LULLD_PAST(ty->vtypes, ty->nparams);
  if (!x)
    read_vals(t, hf->base, LULLD_PAST(cty->types, cty->nparams),
              cty->nresults, cres);
  else
    for (uint32_t i = 0; i < cty->nresults; i++)
      cres[i].type = LULL_I32; /* nothing there for the collector */
  blank_results(rtypes, ty->nresults, res);
  /* The callee's results and what the continuation writes are roots
   * while it runs (gc_collect.c): it may make objects and collect. */
  t->cont_nscratch = cty->nresults + ty->nresults;
  lull_hostret r =
      cr->k->fn(hc, x ? NULL : cres, cr->state, cr->len, res, cr->k->env);
  t->cont_nscratch = 0;
  r = settle(hc, r, res, rtypes, ty->nresults);
  t->exn = NULL;
  if (x && hc->thrown != x)
    lulli_exn_drop(t->engine, x);
  hc->exn = NULL;
  const lulld_alloc *a = &t->engine->alloc;
  if (r == LULL_HOST_RETURN || r == LULL_HOST_THROW) {
    /* The host frame is done; a throw goes on from its caller. */
    if (r == LULL_HOST_RETURN)
      write_vals(t, hf->base, res, ty->nresults);
    t->pc = hf->ret_pc;
    lulld_free(a, cr->state, cr->len);
    t->nconts--;
    t->nframes--;
  } else if (r == LULL_HOST_CALL) {
    /* The same host frame calls again with a new continuation. */
    if (place_args(t, hc, hf->base) != 0) {
      drop_state(hc);
      return LULL_HOST_TRAP;
    }
    lulld_free(a, cr->state, cr->len);
    take_state(cr, hc);
  }
  return r;
}

/* ------------------------------------------------------------------ */
/* The API host functions use                                           */
/* ------------------------------------------------------------------ */

lull_thread *lull_hostcall_thread(lull_hostcall *hc) {
  return hc ? hc->thread : NULL;
}

lull_instance *lull_hostcall_instance(lull_hostcall *hc) {
  return hc ? hc->inst : NULL;
}

lull_memory *lull_hostcall_memory(lull_hostcall *hc) {
  return lull_hostcall_memory_at(hc, 0);
}

lull_memory *lull_hostcall_memory_at(lull_hostcall *hc, uint32_t index) {
  return hc ? lull_instance_memory_at(hc->inst, index) : NULL;
}

lull_hostret lull_host_trap(lull_hostcall *hc, const char *message) {
  return lull_host_trap_code(hc, LULL_TRAP_HOST, message);
}

lull_hostret lull_host_trap_code(lull_hostcall *hc, uint32_t code,
                                 const char *message) {
  if (hc) {
    snprintf(hc->msg, sizeof hc->msg, "%s",
             message && message[0] ? message : "host trap");
    hc->code = code ? code : LULL_TRAP_HOST;
  }
  return LULL_HOST_TRAP;
}

lull_hostret lull_host_suspend(lull_hostcall *hc, uintptr_t tag) {
  if (hc)
    hc->tag = tag;
  return LULL_HOST_SUSPEND;
}

lull_hostret lull_host_call(lull_hostcall *hc, lull_func *f,
                            const lull_val *args, size_t nargs,
                            const lull_cont *k, const void *state,
                            size_t state_len) {
  if (!hc)
    return LULL_HOST_TRAP;
  hc->misuse = 1;
  if (!f || !k) {
    snprintf(hc->msg, sizeof hc->msg, "lull_host_call: no function or "
                                      "continuation");
    return LULL_HOST_CALL;
  }
  const lulli_type *ty = f->type;
  if (nargs != ty->nparams || (nargs && !args)) {
    snprintf(hc->msg, sizeof hc->msg,
             "lull_host_call: expected %u arguments, got %zu", ty->nparams,
             nargs);
    return LULL_HOST_CALL;
  }
  for (size_t i = 0; i < nargs; i++)
    if (!lulli_val_fits(hc->thread->engine, &args[i], ty->vtypes[i])) {
      snprintf(hc->msg, sizeof hc->msg,
               "lull_host_call: argument %zu is %s, expected %s", i,
               lull_valtype_str(args[i].type),
               lull_valtype_str(ty->vtypes[i]));
      return LULL_HOST_CALL;
    }
  if (state_len && !state) {
    snprintf(hc->msg, sizeof hc->msg, "lull_host_call: state_len without "
                                      "state");
    return LULL_HOST_CALL;
  }
  /* Copy now: `args` and `state` may be the host function's locals. */
  lull_thread *t = hc->thread;
  const lulld_alloc *a = &t->engine->alloc;
  drop_state(hc);
  if (LULLD_GROW(a, t->cargs, &t->cap_cargs, nargs + 1) ||
      (state_len && !(hc->state = lulld_malloc(a, state_len)))) {
    snprintf(hc->msg, sizeof hc->msg, "out of memory in lull_host_call");
    return LULL_HOST_CALL;
  }
  if (nargs)
    memmove(t->cargs, args, nargs * sizeof *args);
  if (state_len)
    memcpy(hc->state, state, state_len);
  hc->misuse = 0;
  hc->callee = f;
  hc->cargs = t->cargs;
  hc->ncargs = nargs;
  hc->k = k;
  hc->state_len = state_len;
  return LULL_HOST_CALL;
}

lull_hostret lull_host_throw(lull_hostcall *hc, lull_tag *tag,
                             const lull_val *args, size_t nargs) {
  if (!hc)
    return LULL_HOST_TRAP;
  lull_engine *e = hc->thread->engine;
  if (!tag || tag->hdr.engine != e)
    return lull_host_trap(hc, "lull_host_throw: no tag of this engine");
  const lulli_type *ty = tag->type;
  if (nargs != ty->nparams || (nargs && !args)) {
    snprintf(hc->msg, sizeof hc->msg,
             "lull_host_throw: the tag takes %u values, %zu given",
             ty->nparams, nargs);
    return LULL_HOST_TRAP;
  }
  for (size_t i = 0; i < nargs; i++)
    if (!lulli_val_fits(e, &args[i], ty->vtypes[i])) {
      snprintf(hc->msg, sizeof hc->msg,
               "lull_host_throw: value %zu is %s, expected %s", i,
               lull_valtype_str(args[i].type),
               lull_valtype_str(ty->vtypes[i]));
      return LULL_HOST_TRAP;
    }
  lulli_gcobj *x = lulli_exn_new(e, tag, NULL);
  if (!x)
    return lull_host_trap(hc, "out of memory");
  lulli_slot *s = lulli_exn_payload(x);
  for (size_t i = 0; i < nargs; i++) {
    lulli_val_to_slots(&args[i], s);
    s += lulld_slots_of(ty->vtypes[i]);
  }
  if (hc->thrown && hc->thrown != hc->exn)
    lulli_exn_drop(e, hc->thrown);
  hc->thrown = x;
  return LULL_HOST_THROW;
}

size_t lull_hostcall_exception(lull_hostcall *hc, lull_tag **tag,
                               lull_val *payload, size_t max) {
  return lulli_exn_read(hc ? hc->exn : NULL, tag, payload, max);
}

lull_hostret lull_host_rethrow(lull_hostcall *hc) {
  if (!hc)
    return LULL_HOST_TRAP;
  if (!hc->exn)
    return lull_host_trap(hc, "lull_host_rethrow: the callee did not throw");
  hc->thrown = hc->exn;
  return LULL_HOST_THROW;
}

lull_cont *lull_cont_register(lull_engine *e, const char *name,
                              lull_cont_fn fn, void *env) {
  if (!e || !name || !fn)
    return NULL;
  for (size_t i = 0; i < e->nconts; i++)
    if (strcmp(e->conts[i]->name, name) == 0)
      return NULL;
  if (LULLD_GROW(&e->alloc, e->conts, &e->cap_conts, e->nconts + 1))
    return NULL;
  lull_cont *k = lulld_calloc(&e->alloc, 1, sizeof *k);
  if (!k)
    return NULL;
  k->name = lulld_strndup(&e->alloc, name, strlen(name));
  if (!k->name) {
    lulld_free(&e->alloc, k, sizeof *k);
    return NULL;
  }
  k->fn = fn;
  k->env = env;
  e->conts[e->nconts++] = k;
  return k;
}

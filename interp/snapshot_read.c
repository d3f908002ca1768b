/*
 * snapshot_read.c -- bytes back to a parked thread and a new instance.
 *
 * Frames come in Wasm terms (docs/snapshot-format.md): each Wasm frame
 * names the Wasm byte offset it waits at, which this build's park points
 * map to a code position, and its values go where this build keeps them.
 * Nothing in a snapshot is trusted. Beyond the checksum, every field is
 * checked against the module before it is used: a frame must wait at a
 * call of its function's body (the top one of a thread out of fuel at a
 * loop header or entry), each callee must return what its call site
 * expects (the types the code goes on with; after a tail call it need
 * not be the function the site named), value counts and types must be
 * the park point's, an operand kept in a local or as a constant must
 * equal it, references are indices into this instance, sizes stay within
 * limits. A failure frees everything made so far.
 */
#include <stdio.h>

#include "../decoder/instr.h"
#include "ops.h"
#include "snapshot_internal.h"

typedef struct reader {
  lulli_rbuf r;
  lull_engine *e;
  lull_instance *inst;
  lull_thread *t;
  lulli_gcobj **exns;     /* the snapshot's exceptions, held by the heap */
  uint32_t nexns;
  /* The park point of the Wasm frame last read (NULL after a host one):
   * the next frame's base and return address follow from it. */
  const lulli_parkmap *below_pm;
  lulli_parkmap below_buf; /* where below_pm points */
  int oom; /* the allocator said no: LULL_NOMEM, not a bad snapshot */
  char msg[200];
} reader;

static int bad(reader *rd, const char *fmt, ...) LULL_PRINTF(2, 3);
static int bad(reader *rd, const char *fmt, ...) {
  if (!rd->r.err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->msg, sizeof rd->msg, fmt, ap);
    va_end(ap);
    lulli_rfail(&rd->r, rd->msg);
  }
  return -1;
}

/* Out of memory: the snapshot may be fine, the read still stops. */
static int oom(reader *rd) {
  rd->oom = 1;
  return bad(rd, "out of memory");
}

/* A reserve of stack or frames failed with `rc` (lulli_stack_reserve). */
static int reserve_failed(reader *rd, int rc, const char *what) {
  if (rc == -2)
    return oom(rd);
  return bad(rd, "%s does not fit the engine's stack limit", what);
}

/* A function index read from the snapshot, as a function, or NULL. */
static lull_func *func_at(reader *rd, uint32_t index, const char *what) {
  const lulld_module *m = rd->inst->module->m;
  if (rd->r.err)
    return NULL;
  if (index >= m->nfuncs) {
    bad(rd, "%s names function %u; the module has %u", what, index,
        m->nfuncs);
    return NULL;
  }
  return rd->inst->funcs[index];
}

/* A reference of type `type` from its bits. */
static void *ref_at(reader *rd, uint8_t type, uint64_t bits) {
  if ((type == LULL_HT_EXN || type == LULLI_ANY_SLOT) &&
      (bits & LULLI_SNAP_EXN)) {
    if (bits - LULLI_SNAP_EXN >= rd->nexns) {
      bad(rd, "an exception reference names exception %llu of %u",
          (unsigned long long)(bits - LULLI_SNAP_EXN), rd->nexns);
      return NULL;
    }
    return rd->exns[bits - LULLI_SNAP_EXN];
  }
  if (type == LULL_HT_EXN) {
    if (bits)
      bad(rd, "an exception reference is not one");
    return NULL;
  }
  if (type == LULL_EXTERNREF || type == LULLI_ANY_SLOT)
    return (void *)(uintptr_t)bits;
  if (bits == 0)
    return NULL;
  if (bits > rd->inst->module->m->nfuncs) {
    bad(rd, "a function reference names function %llu; the module has %u",
        (unsigned long long)(bits - 1), rd->inst->module->m->nfuncs);
    return NULL;
  }
  return rd->inst->funcs[bits - 1];
}

static int wasm_here(reader *rd, lull_func *f) {
  return f->kind == LULLI_FUNC_WASM && f->inst == rd->inst;
}

/* Does `f` return what a caller expecting the results of type `want`
 * takes? A tail call puts another function in a frame, or at a pending
 * host call, than the one its call site named: any whose results match,
 * so that is all a snapshot can be held to. */
static int returns_as(const lull_engine *e, const lulli_type *want,
                      const lull_func *f) {
  const lulli_type *ty = f->type;
  if (ty->nresults != want->nresults)
    return 0;
  for (uint32_t i = 0; i < ty->nresults; i++)
    if (!lulli_vt_match(e, ty->vtypes[ty->nparams + i],
                        want->vtypes[want->nparams + i]))
      return 0;
  return 1;
}

/* Does `callee` return what the call instruction ending at `cell` of
 * `code` expects (the results of the function or type it names)? */
static int call_site_calls(reader *rd, const lulli_code *code,
                           const lulli_parkmap *pm, lull_func *callee) {
  const lulli_cell *at = code->code + pm->cell - pm->call;
  const void *const *h = rd->e->handlers;
  if ((pm->call == LULLI_CELLS_CALL &&
       (at->h == h[LULLI_OP_CALL] || at->h == h[LULLI_OP_CALL_DEF])) ||
      (pm->call == LULLI_CELLS_CALL_MOV1 && at->h == h[LULLI_OP_CALL_MOV1]) ||
      (pm->call == LULLI_CELLS_CALL_MOV2 && at->h == h[LULLI_OP_CALL_MOV2]))
    return returns_as(rd->e, rd->inst->funcs[at[1].u32[1]]->type, callee);
  if ((pm->call == LULLI_CELLS_CALL_REF && at->h == h[LULLI_OP_CALL_REF]) ||
      (pm->call == LULLI_CELLS_CALL_INDIRECT &&
       at->h == h[LULLI_OP_CALL_INDIRECT]) ||
      (pm->call == LULLI_CELLS_CALL_INDIRECT0 &&
       at->h == h[LULLI_OP_CALL_INDIRECT0]) ||
      (pm->call == LULLI_CELLS_CALL_INDIRECT0_MOV2 &&
       at->h == h[LULLI_OP_CALL_INDIRECT0_MOV2]))
    return returns_as(rd->e, rd->e->types[at[1].u32[1]], callee);
  return 0;
}

/* The slots a frame of `f` may touch from its base. */
static uint32_t frame_need(lull_func *f) {
  if (f->kind == LULLI_FUNC_WASM)
    return f->code->frame_slots;
  const lulli_type *ty = f->type;
  return (ty->param_slots > ty->result_slots ? ty->param_slots
                                             : ty->result_slots) + 1;
}

static const lull_cont *find_cont(lull_engine *e, const uint8_t *name,
                                  uint32_t len) {
  for (size_t i = 0; i < e->nconts; i++)
    if (strlen(e->conts[i]->name) == len &&
        memcmp(e->conts[i]->name, name, len) == 0)
      return e->conts[i];
  return NULL;
}

/* A continuation record: the host frame `fr` waits in it. */
static int read_cont(reader *rd, lulli_frame *fr) {
  lull_thread *t = rd->t;
  uint32_t len = lulli_get_u32(&rd->r);
  const uint8_t *name = lulli_get(&rd->r, len);
  lull_func *callee = func_at(rd, lulli_get_u32(&rd->r), "a continuation");
  uint32_t slen = lulli_get_u32(&rd->r);
  const uint8_t *state = lulli_get(&rd->r, slen);
  if (rd->r.err)
    return -1;
  const lull_cont *k = find_cont(rd->e, name, len);
  if (!k)
    return bad(rd, "the snapshot needs continuation \"%.*s\", which this "
                   "engine has not registered",
               (int)(len > 64 ? 64 : len), (const char *)name);
  if (LULLD_GROW(&rd->e->alloc, t->conts, &t->cap_conts, t->nconts + 1))
    return oom(rd);
  lulli_contrec *cr = &t->conts[t->nconts];
  cr->k = k;
  cr->callee = callee;
  cr->len = slen;
  cr->state = NULL;
  if (slen) {
    cr->state = lulld_malloc(&rd->e->alloc, slen);
    if (!cr->state)
      return oom(rd);
    memcpy(cr->state, state, slen);
  }
  fr->cont = t->nconts++;
  return 0;
}

/* One value of Wasm type `type` into `out` (two slots for a v128): its
 * type code must be the type's, references become this instance's. */
static int read_val(reader *rd, lull_valtype type, lulli_slot *out,
                    uint32_t frame, const char *what, uint32_t j) {
  uint8_t want = lulli_snap_vkind(rd->inst->module->m, type);
  uint8_t kind = lulli_get_u8(&rd->r);
  if (rd->r.err)
    return -1;
  if (kind != want)
    return bad(rd, "frame %u: %s %u has type 0x%02x, not %s", frame, what, j,
               kind, lull_valtype_str(want));
  switch (lulli_snap_width(kind)) {
  case 4:
    out[0].u64 = lulli_get_u32(&rd->r);
    break;
  case 16:
    out[0].u64 = lulli_get_u64(&rd->r);
    out[1].u64 = lulli_get_u64(&rd->r);
    break;
  default:
    out[0].u64 = lulli_get_u64(&rd->r);
    /* A reference of the any hierarchy stays as written until the GC
     * heap is read (resolve_any_exns). */
    if (lulld_vt_is_ref(type) && kind != LULLI_ANY_SLOT)
      out[0].ref = ref_at(rd, kind, out[0].u64);
    break;
  }
  return rd->r.err ? -1 : 0;
}

/* A Wasm frame's park point, locals and operand stack, into its slots
 * where this build keeps them. An operand this build keeps in a local or
 * as a constant must be what the local or constant holds: anything else
 * is a snapshot of no state this code can be in. */
static int read_wasm_frame(reader *rd, uint32_t i, const lulli_frame *fr,
                           int want_call) {
  const lulli_code *code = fr->fn->code;
  uint32_t off = lulli_get_u32(&rd->r);
  if (rd->r.err)
    return -1;
  const lulli_parkmap *pm = lulli_parkmap_by_wasm(code, off, &rd->below_buf);
  if (!pm || !pm->call != !want_call)
    return bad(rd, "frame %u: function %u has no %s at byte %u", i,
               fr->fn->index,
               want_call ? "call" : "loop header or entry", off);
  lulli_slot *s = rd->t->stack + fr->base;
  memset(s, 0, pm->height * sizeof *s);
  uint32_t n = lulli_get_u32(&rd->r);
  if (!rd->r.err && n != code->nlocals)
    return bad(rd, "frame %u holds %u locals; function %u has %u", i, n,
               fr->fn->index, code->nlocals);
  for (uint32_t j = 0, at = 0; j < n; j++) {
    if (read_val(rd, code->local_types[j], s + at, i, "local", j) != 0)
      return -1;
    at += lulld_slots_of(code->local_types[j]);
  }
  n = lulli_get_u32(&rd->r);
  if (!rd->r.err && n != pm->nvals)
    return bad(rd, "frame %u holds %u operands; its park point has %u", i, n,
               pm->nvals);
  uint32_t pos = pm->vals;
  for (uint32_t j = 0; j < n; j++) {
    lulli_parkval v;
    lulli_parkval_next(code, &pos, &v);
    lulli_slot got[2] = {{0}, {0}};
    if (read_val(rd, v.type, v.kind == LULLI_PV_SLOT ? s + v.slot : got, i,
                 "operand", j) != 0)
      return -1;
    unsigned w = lulld_slots_of(v.type);
    int same = 1;
    for (unsigned k = 0; k < w && v.kind != LULLI_PV_SLOT; k++)
      same &= got[k].u64 ==
              (v.kind == LULLI_PV_LOCAL ? s[v.slot + k].u64 : v.c[k]);
    if (!same)
      return bad(rd, "frame %u: operand %u differs from the %s that holds "
                     "it here", i, j,
                 v.kind == LULLI_PV_LOCAL ? "local" : "constant");
  }
  rd->below_pm = pm;
  return 0;
}

/* One frame after the root, checked against the one below it: its base
 * and return address follow from the park point the frame below waits
 * at, and the function there must return what that call site takes. */
static int read_frame(reader *rd, uint32_t i, uint32_t n) {
  lull_thread *t = rd->t;
  lulli_frame *fr = &t->frames[i], *below = &t->frames[i - 1];
  const lulli_parkmap *bpm = rd->below_pm;
  uint8_t host = lulli_get_u8(&rd->r);
  lull_func *f = func_at(rd, lulli_get_u32(&rd->r), "a frame");
  if (!f)
    return -1;
  if (host > 1 || (host ? f->kind != LULLI_FUNC_HOST : !wasm_here(rd, f)))
    return bad(rd, "frame %u: function %u is not a %s function", i,
               f->kind == LULLI_FUNC_WASM ? f->index : 0,
               host ? "host" : "Wasm");
  if (!host) {
    /* Its park points are known once it is compiled. */
    lull_error cerr;
    if (lulli_compiled(rd->inst->module,
                       f->index - rd->inst->module->m->nfunc_imports,
                       &cerr) != LULL_OK)
      return bad(rd, "frame %u: %s", i, cerr.message);
  }
  fr->fn = f;
  fr->inst = host ? below->inst : rd->inst;
  fr->cont = 0;
  if (i == 1) {
    if (!returns_as(rd->e, t->root_fn->type, f))
      return bad(rd, "frame 1 does not return what the called function "
                     "does");
    fr->base = 0;
    fr->ret_pc = &t->root_code[3];
  } else if (below->fn->kind == LULLI_FUNC_WASM) {
    if (!call_site_calls(rd, below->fn->code, bpm, f))
      return bad(rd, "frame %u: its caller does not call that function", i);
    fr->base = below->base + bpm->height;
    fr->ret_pc = below->fn->code->code + bpm->cell;
  } else {
    const lulli_contrec *cr = &t->conts[below->cont];
    if (!returns_as(rd->e, cr->callee->type, f))
      return bad(rd, "frame %u: not the callee of the host frame below it",
                 i);
    fr->base = below->base;
    fr->ret_pc = &rd->e->tramp[LULLI_TRAMP_HOSTCONT];
  }
  int rc = lulli_stack_reserve(t, (size_t)fr->base + frame_need(f));
  if (rc != 0) {
    char what[32];
    snprintf(what, sizeof what, "frame %u", i);
    return reserve_failed(rd, rc, what);
  }
  rd->below_pm = NULL;
  if (host)
    return read_cont(rd, fr);
  /* Only the top frame of a thread out of fuel or interrupted waits at a
   * safepoint; every other one waits for a call to return. */
  return read_wasm_frame(rd, i, fr, i < n || t->park == LULL_PARK_HOST);
}

/* Where the top frame continues, and what it waits for. */
static int read_pending(reader *rd) {
  lull_thread *t = rd->t;
  const lulli_frame *top = &t->frames[t->nframes - 1];
  uint32_t pending = lulli_get_u32(&rd->r);
  uint8_t pop = lulli_get_u8(&rd->r);
  if (rd->r.err)
    return -1;
  int host_park = t->park == LULL_PARK_HOST;
  lull_func *pf = NULL;
  uint32_t pbase = 0;
  if (host_park) {
    pf = func_at(rd, pending, "the pending host call");
    if (!pf || pf->kind != LULLI_FUNC_HOST)
      return bad(rd, "the pending call is not to a host function");
  } else if (pending != LULLI_SNAP_NONE || pop) {
    return bad(rd, "a pending host call, but the thread parked at a "
                   "safepoint");
  }
  if (t->nframes == 1) {
    /* No frame is left: the called function tail-called a host function,
     * which parked, and whose results are the call's. */
    if (!host_park || pop || !returns_as(rd->e, t->root_fn->type, pf))
      return bad(rd, "no frame is left, but the thread is not parked in a "
                     "host function that returns the call's results");
    t->pc = &t->root_code[3];
  } else if (top->fn->kind == LULLI_FUNC_HOST) {
    /* Either its continuation parked (the pending results are the host
     * function's own, and its frame goes), or the host function it
     * called with lull_host_call did (they are the callee's, which the
     * continuation then gets). */
    int in_cont = pop && pf == top->fn;
    int in_callee =
        !pop && returns_as(rd->e, t->conts[top->cont].callee->type, pf);
    if (!host_park || !(in_cont || in_callee))
      return bad(rd, "the top host frame is not parked in its continuation "
                     "or in the host function it called");
    pbase = top->base;
    t->pc = &rd->e->tramp[LULLI_TRAMP_HOSTCONT];
  } else {
    const lulli_parkmap *pm = rd->below_pm;
    if (host_park &&
        (pop || !call_site_calls(rd, top->fn->code, pm, pf)))
      return bad(rd, "the pending host call does not match its call site");
    pbase = top->base + pm->height;
    t->pc = top->fn->code->code + pm->cell;
  }
  int rc = host_park ? lulli_stack_reserve(t, (size_t)pbase + frame_need(pf))
                    : 0;
  if (rc != 0)
    return reserve_failed(rd, rc, "the pending call");
  t->pending_fn = pf;
  t->pending_base = host_park ? pbase : 0;
  t->pending_pop = pop;
  return 0;
}

/* The park point frame i of the read thread waits at (decoded into
 * *buf), or NULL for a host frame. */
static const lulli_parkmap *frame_park(const lull_thread *t, uint32_t i,
                                       lulli_parkmap *buf) {
  const lulli_frame *fr = &t->frames[i];
  if (fr->fn->kind != LULLI_FUNC_WASM)
    return NULL;
  const lulli_code *code = fr->fn->code;
  const lulli_cell *at = i == t->nframes - 1 ? t->pc : t->frames[i + 1].ret_pc;
  return lulli_parkmap_at(code, (uint32_t)(at - code->code), buf);
}

/* The GC reader checks each reference against the type its place
 * declares, but an operand slot's map gives only its hierarchy: with GC
 * objects named in the snapshot, a struct could stand where the code
 * takes an array. The park point knows each operand's static type, so
 * every any-hierarchy operand in a home slot must match it. */
static int check_any_operands(reader *rd) {
  lull_thread *t = rd->t;
  for (uint32_t i = 1; i < t->nframes && !rd->r.err; i++) {
    const lulli_frame *fr = &t->frames[i];
    lulli_parkmap buf;
    const lulli_parkmap *pm = frame_park(t, i, &buf);
    if (!pm || pm->nany == 0)
      continue;
    const lulli_code *code = fr->fn->code;
    const lull_module *mod = fr->fn->inst->module;
    const lulli_slot *s = t->stack + fr->base;
    const uint16_t *any = code->refslots + pm->first + pm->nfunc + pm->next -
                          pm->nany;
    uint32_t pos = pm->vals;
    for (uint32_t j = 0; j < pm->nvals; j++) {
      lulli_parkval v;
      lulli_parkval_next(code, &pos, &v);
      if (v.kind != LULLI_PV_SLOT || !lulld_vt_is_ref(v.type))
        continue;
      int in_any = 0;
      for (uint32_t k = 0; k < pm->nany && !in_any; k++)
        in_any = any[k] == v.slot;
      lull_valtype want = LULLI_MODULE_VT(mod, v.type);
      if (in_any &&
          !lulli_ref_test(rd->e, s[v.slot].ref, lulld_vt_nullable(want)))
        return bad(rd, "frame %u: operand %u is not of its type %s", i, j,
                   lull_valtype_str(want));
    }
  }
  return rd->r.err ? -1 : 0;
}

/* The operand slots of the any hierarchy that name an exception become
 * it, once the GC heap (which leaves those names alone) was read. */
static int resolve_any_exns(reader *rd) {
  lull_thread *t = rd->t;
  for (uint32_t i = 1; i < t->nframes && !rd->r.err; i++) {
    const lulli_frame *fr = &t->frames[i];
    lulli_parkmap buf;
    const lulli_parkmap *pm = frame_park(t, i, &buf);
    if (!pm)
      continue;
    const lulli_code *code = fr->fn->code;
    lulli_slot *s = t->stack + fr->base;
    lulli_slotcursor cur = {0, 0};
    for (uint32_t k = 0; pm && k < pm->height; k++)
      if (lulli_slot_type(code, pm, k, &cur) == LULLI_ANY_SLOT &&
          (s[k].u64 & LULLI_SNAP_EXN))
        s[k].ref = ref_at(rd, LULLI_ANY_SLOT, s[k].u64);
  }
  return rd->r.err ? -1 : 0;
}

/* The exceptions: all made first (a payload may name a later one), each
 * held by the heap at once so a refused snapshot leaves nothing behind
 * the engine does not free; then their payloads' references resolved. */
static int read_exns(reader *rd) {
  lulli_rbuf *r = &rd->r;
  const lulld_module *m = rd->inst->module->m;
  uint32_t n = lulli_get_u32(r);
  if (r->err)
    return -1;
  /* Each takes at least 4 bytes. */
  if (n > (r->n - r->pos) / 4)
    return bad(rd, "%u exceptions: more than the bytes left can hold", n);
  if (n && !(rd->exns = lulld_calloc(&rd->e->alloc, n, sizeof *rd->exns)))
    return oom(rd);
  rd->nexns = n;
  for (uint32_t i = 0; i < n && !r->err; i++) {
    uint32_t k = lulli_get_u32(r);
    if (!r->err && k >= m->ntags)
      return bad(rd, "an exception names tag %u; the module has %u", k,
                 m->ntags);
    lull_tag *tag = rd->inst->tags[k];
    lulli_gcobj *x = r->err ? NULL : lulli_exn_alloc(rd->e, tag);
    if (!x)
      return oom(rd);
    lulli_exn_hold(rd->e, x);
    rd->exns[i] = x;
    lulli_slot *s = lulli_exn_payload(x);
    for (uint32_t j = 0; j < tag->type->param_slots; j++)
      s[j].u64 = lulli_get_u64(r);
  }
  for (uint32_t i = 0; i < n && !r->err; i++) {
    const lulli_type *ty = lulli_exn_tag(rd->exns[i])->type;
    lulli_slot *s = lulli_exn_payload(rd->exns[i]);
    for (uint32_t j = 0; j < ty->nparams; j++) {
      uint8_t kind = lulli_snap_kind(ty->vtypes[j]);
      if (lulld_vt_is_ref(ty->vtypes[j]))
        s->ref = ref_at(rd, kind, s->u64);
      s += lulld_slots_of(ty->vtypes[j]);
    }
  }
  return r->err ? -1 : 0;
}

static int read_thread(reader *rd) {
  lull_thread *t = rd->t;
  lulli_rbuf *r = &rd->r;
  t->root_fn = func_at(rd, lulli_get_u32(r), "the called function");
  uint8_t park = lulli_get_u8(r);
  t->park_tag = (uintptr_t)lulli_get_u64(r);
  t->fuel_set = lulli_get_u64(r);
  t->fuel = (int64_t)lulli_get_u64(r);
  uint32_t n = lulli_get_u32(r);
  if (r->err)
    return -1;
  if (park < LULL_PARK_HOST || park > LULL_PARK_INTERRUPT)
    return bad(rd, "unknown park reason %u", park);
  t->park = park;
  /* Each frame takes at least 17 bytes: a count beyond what is left
   * cannot be right, and checking first bounds the allocation. No frame
   * at all is a host function parked in the root's place (read_pending). */
  if (n > (r->n - r->pos) / 17)
    return bad(rd, "%u frames: more than the bytes left can hold", n);
  int rc = lulli_frames_reserve(t, n + 1);
  if (rc != 0) {
    char what[32];
    snprintf(what, sizeof what, "%u frames", n);
    return reserve_failed(rd, rc, what);
  }
  lulli_retain(lulli_func_owner(t->root_fn));
  lulli_frame *root = &t->frames[0];
  root->ret_pc = NULL;
  root->fn = t->root_fn;
  root->inst = rd->e->empty_instance;
  root->base = 0;
  root->cont = 0;
  t->nframes = 1;
  t->root_code[0].h = rd->e->handlers[LULLI_OP_CALL_PTR];
  t->root_code[1].u64 = 0;
  t->root_code[2].ptr = t->root_fn;
  t->root_code[3].h = rd->e->handlers[LULLI_OP_EXIT];
  for (uint32_t i = 1; i <= n; i++) {
    t->nframes = i + 1;
    if (read_frame(rd, i, n) != 0)
      return -1;
  }
  return read_pending(rd);
}

static int read_memories(reader *rd) {
  lull_instance *inst = rd->inst;
  const lulld_module *m = inst->module->m;
  if (lulli_get_u32(&rd->r) != m->nmemories)
    return bad(rd, "the memory count differs from the module's");
  for (uint32_t i = 0; i < m->nmemories && !rd->r.err; i++) {
    lull_memory *mem = inst->memories[i];
    uint64_t pages = lulli_get_u64(&rd->r);
    uint64_t chunks = lulli_get_u64(&rd->r);
    if (rd->r.err)
      return -1;
    uint64_t have = mem->size / LULLI_PAGE_SIZE;
    if (pages < have || pages > mem->max_pages)
      return bad(rd, "memory %u: %llu pages do not fit (%llu to %llu allowed)",
                 i, (unsigned long long)pages, (unsigned long long)have,
                 (unsigned long long)mem->max_pages);
    if (i < m->nmemory_imports && mem->size)
      memset(mem->data, 0, (size_t)mem->size);
    if (pages > have && lulli_memory_grow(mem, pages - have) < 0)
      return bad(rd, "memory %u: cannot grow to %llu pages", i,
                 (unsigned long long)pages);
    uint64_t total = mem->size / LULLI_SNAP_CHUNK;
    if (chunks > total)
      return bad(rd, "memory %u: %llu chunks in %llu", i,
                 (unsigned long long)chunks, (unsigned long long)total);
    int64_t last = -1;
    for (uint64_t c = 0; c < chunks; c++) {
      uint64_t at = lulli_get_u64(&rd->r);
      const uint8_t *p = lulli_get(&rd->r, LULLI_SNAP_CHUNK);
      if (!p)
        return -1;
      if (at >= total || (int64_t)at <= last)
        return bad(rd, "memory %u: chunk %llu out of order or range", i,
                   (unsigned long long)at);
      memcpy(mem->data + (size_t)at * LULLI_SNAP_CHUNK, p, LULLI_SNAP_CHUNK);
      last = at;
    }
  }
  return rd->r.err ? -1 : 0;
}

static int read_tables_globals(reader *rd) {
  lull_instance *inst = rd->inst;
  const lulld_module *m = inst->module->m;
  if (lulli_get_u32(&rd->r) != m->ntables)
    return bad(rd, "the table count differs from the module's");
  for (uint32_t i = 0; i < m->ntables && !rd->r.err; i++) {
    lull_table *tb = inst->tables[i];
    uint32_t size = lulli_get_u32(&rd->r);
    if (rd->r.err)
      return -1;
    uint64_t max = tb->limits.has_max ? tb->limits.max : LULLD_MAX_TABLE;
    if (size > (rd->r.n - rd->r.pos) / 8 || size < tb->size || size > max ||
        size > LULLD_MAX_TABLE)
      return bad(rd, "table %u: size %u does not fit", i, size);
    if (size > tb->size && lulli_table_grow(tb, size - tb->size, NULL) < 0)
      return oom(rd); /* within its limits: only memory can be missing */
    for (uint32_t k = 0; k < size; k++) {
      void *v = ref_at(rd, lulli_snap_kind(tb->elem), lulli_get_u64(&rd->r));
      tb->elems[k] = v;
      if (v && lulld_vt_is_funcref(tb->elem) &&
          lulli_table_note_func(tb, v) != 0)
        return oom(rd);
    }
  }
  if (lulli_get_u32(&rd->r) != m->nglobals)
    return bad(rd, "the global count differs from the module's");
  for (uint32_t i = 0; i < m->nglobals && !rd->r.err; i++) {
    lull_global *g = inst->globals[i];
    uint8_t type = lulli_get_u8(&rd->r);
    uint64_t lo = lulli_get_u64(&rd->r), hi = lulli_get_u64(&rd->r);
    if (rd->r.err)
      return -1;
    if (type != lulli_snap_kind(g->type))
      return bad(rd, "global %u has type %s, not %s", i,
                 lull_valtype_str((lull_valtype)type),
                 lull_valtype_str(lulli_snap_kind(g->type)));
    g->val[0].u64 = lo;
    g->val[1].u64 = hi;
    if (lulld_vt_is_ref(g->type))
      g->val[0].ref = ref_at(rd, type, lo);
  }
  uint8_t *drops[2] = {inst->elem_dropped, inst->data_dropped};
  uint32_t counts[2] = {m->nelems, m->ndatas};
  for (int s = 0; s < 2; s++) {
    if (lulli_get_u32(&rd->r) != counts[s])
      return bad(rd, "the %s segment count differs from the module's",
                 s ? "data" : "element");
    const uint8_t *p = lulli_get(&rd->r, counts[s]);
    for (uint32_t k = 0; p && k < counts[s]; k++) {
      if (p[k] > 1)
        return bad(rd, "a segment's dropped flag is %u", p[k]);
      drops[s][k] = p[k];
    }
  }
  return rd->r.err ? -1 : 0;
}

/* The header: magic, version, module (when `m` is given), length and
 * checksum; then the extra bytes. */
static int read_header(reader *rd, lull_module *m, const uint8_t **extra,
                       size_t *extra_len) {
  lulli_rbuf *r = &rd->r;
  const uint8_t *magic = lulli_get(r, 8);
  if (!magic || memcmp(magic, LULLI_SNAP_MAGIC, 8) != 0)
    return bad(rd, "not a lull snapshot");
  uint32_t version = lulli_get_u32(r);
  if (!r->err && (version < LULLI_SNAP_OLDEST || version > LULLI_SNAP_VERSION))
    return bad(rd, "snapshot format version %u; this lull reads versions %u "
                   "to %u", version, LULLI_SNAP_OLDEST, LULLI_SNAP_VERSION);
  const uint8_t *hash = lulli_get(r, 32);
  if (hash && m && memcmp(hash, lulli_module_hash(m), 32) != 0)
    return bad(rd, "the snapshot was made from another module");
  uint64_t body = lulli_get_u64(r);
  uint32_t crc = lulli_get_u32(r);
  if (r->err)
    return -1;
  if (body != r->n - r->pos)
    return bad(rd, "the body is %llu bytes, the header says %llu",
               (unsigned long long)(r->n - r->pos), (unsigned long long)body);
  if (lulli_crc32(r->p + r->pos, r->n - r->pos) != crc)
    return bad(rd, "checksum mismatch: the snapshot is damaged");
  uint64_t xlen = lulli_get_u64(r);
  if (!r->err && xlen > r->n - r->pos)
    return bad(rd, "the extra bytes run past the end");
  const uint8_t *x = lulli_get(r, (size_t)xlen);
  if (r->err)
    return -1;
  if (extra)
    *extra = xlen ? x : NULL;
  if (extra_len)
    *extra_len = (size_t)xlen;
  return 0;
}

lull_status lull_snapshot_extra(const uint8_t *bytes, size_t len,
                                const uint8_t **extra, size_t *extra_len,
                                lull_error *err) {
  if (!bytes && len)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_snapshot_extra: no bytes");
  reader rd;
  memset(&rd, 0, sizeof rd);
  rd.r.p = bytes;
  rd.r.n = len;
  if (read_header(&rd, NULL, extra, extra_len) != 0)
    return lulld_error(err, LULL_BADSNAPSHOT, rd.r.err_at,
                       "bad snapshot: %s (at byte %zu)", rd.r.err,
                       rd.r.err_at);
  return LULL_OK;
}

lull_status lull_snapshot_read(lull_engine *e, lull_module *m,
                               const lull_extern *imports, size_t nimports,
                               const uint8_t *bytes, size_t len,
                               lull_instance **inst, lull_thread **thread,
                               const uint8_t **extra, size_t *extra_len,
                               lull_error *err) {
  if (inst)
    *inst = NULL;
  if (thread)
    *thread = NULL;
  if (!e || !m || !inst || !thread || (!bytes && len) || m->hdr.engine != e)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_snapshot_read: bad arguments");
  reader rd;
  memset(&rd, 0, sizeof rd);
  rd.e = e;
  rd.r.p = bytes;
  rd.r.n = len;
  const uint8_t *x = NULL;
  size_t xlen = 0;
  if (read_header(&rd, m, &x, &xlen) != 0)
    goto refused;
  lull_status s = lulli_instantiate(e, m, imports, nimports, 0, NULL, &rd.inst,
                                    err);
  if (s != LULL_OK)
    return s;
  rd.t = lull_thread_new(e);
  if (!rd.t) {
    lull_instance_free(rd.inst);
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  }
  if (read_exns(&rd) != 0 || read_thread(&rd) != 0 ||
      read_memories(&rd) != 0 || read_tables_globals(&rd) != 0)
    goto refused;
  if ((m->m->features & LULL_FEATURE_GC) &&
      lulli_snap_gc_read(&rd.r, rd.msg, sizeof rd.msg, rd.t, rd.inst) != 0)
    goto refused;
  if (resolve_any_exns(&rd) != 0 ||
      ((m->m->features & LULL_FEATURE_GC) && check_any_operands(&rd) != 0))
    goto refused;
  lulld_free(&e->alloc, rd.exns, rd.nexns * sizeof *rd.exns);
  rd.exns = NULL;
  rd.nexns = 0;
  if (rd.r.pos != rd.r.n) {
    bad(&rd, "unexpected bytes after the end");
    goto refused;
  }
  if (extra)
    *extra = x;
  if (extra_len)
    *extra_len = xlen;
  rd.t->state = LULL_THREAD_SUSPENDED;
  *inst = rd.inst;
  *thread = rd.t;
  return LULL_OK;
refused:
  lulld_free(&e->alloc, rd.exns, rd.nexns * sizeof *rd.exns);
  if (rd.oom)
    lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET,
                "out of memory reading the snapshot");
  else
    lulld_error(err, LULL_BADSNAPSHOT, rd.r.err_at,
                "bad snapshot: %s (at byte %zu)",
                rd.r.err ? rd.r.err : "unreadable", rd.r.err_at);
  /* Shared tables and globals may hold references not translated. */
  if (rd.inst && (m->m->features & LULL_FEATURE_GC))
    lulli_snap_gc_scrub(rd.inst);
  if (rd.t) {
    /* The thread holds the root reference only once it was taken. */
    if (rd.t->nframes == 0)
      rd.t->root_fn = NULL;
    lull_thread_free(rd.t);
  }
  lull_instance_free(rd.inst);
  return rd.oom ? LULL_NOMEM : LULL_BADSNAPSHOT;
}

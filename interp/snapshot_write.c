/*
 * snapshot_write.c -- a parked thread and its instance to bytes (format
 * in snapshot_internal.h and docs/snapshot-format.md). Frames are
 * written in Wasm terms: where each waits as a Wasm byte offset, its
 * locals and operand stack as typed values in Wasm order, read from
 * wherever the park point says this build keeps them. Only live state is
 * written (memory in non-zero chunks), so identical states give
 * identical bytes.
 */
#include <stdio.h>

#include "../decoder/instr.h"
#include "snapshot_internal.h"

typedef struct writer {
  lulli_wbuf w;
  lull_thread *t;
  lull_instance *inst;
  lull_error *err;
  int failed;
  lulli_exntab exns;
} writer;

static void fail(writer *wr, const char *fmt, ...) LULL_PRINTF(2, 3);
static void fail(writer *wr, const char *fmt, ...) {
  if (wr->failed)
    return;
  wr->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  lulld_verror(wr->err, LULL_BADSTATE, LULL_NO_OFFSET, fmt, ap);
  va_end(ap);
}

uint32_t lulli_snap_func_index(const lull_instance *inst, const lull_func *f) {
  const lulld_module *m = inst->module->m;
  if (f->kind == LULLI_FUNC_WASM && f->inst == inst)
    return f->index;
  for (uint32_t i = 0; i < m->nfunc_imports; i++)
    if (inst->funcs[i] == f)
      return i;
  return LULLI_SNAP_NONE;
}

/* The index of `f` in the instance's function index space. */
static uint32_t func_index(writer *wr, lull_func *f) {
  uint32_t i = lulli_snap_func_index(wr->inst, f);
  if (i != LULLI_SNAP_NONE)
    return i;
  fail(wr, "cannot snapshot: a function outside the instance is in use");
  return 0;
}

/* An exception reference: LULLI_SNAP_EXN | its index (0: null). */
static uint64_t exn_bits(writer *wr, void *ref) {
  if (!ref)
    return 0;
  int64_t i = lulli_exntab_find(&wr->exns, ref);
  if (i < 0) {
    fail(wr, "cannot snapshot: an exception was not found");
    return 0;
  }
  return LULLI_SNAP_EXN | (uint64_t)i;
}

static uint64_t ref_bits(writer *wr, uint8_t type, void *ref) {
  if (type == LULL_HT_EXN)
    return exn_bits(wr, ref);
  if (type == LULLI_ANY_SLOT)
    return lulli_is_exn(ref) ? exn_bits(wr, ref) : (uint64_t)(uintptr_t)ref;
  if (type == LULL_EXTERNREF)
    return (uint64_t)(uintptr_t)ref;
  return ref ? (uint64_t)func_index(wr, ref) + 1 : 0;
}

/* The cell where frame `i` continues: the top frame at t->pc, the others
 * at the return address their callee saved. */
static const lulli_cell *resume_of(const lull_thread *t, uint32_t i) {
  return i == t->nframes - 1 ? t->pc : t->frames[i + 1].ret_pc;
}

/* One value of type `type` held in `s` (two slots for a v128): its type
 * code, then its bits, references translated. */
static void put_val(writer *wr, lull_valtype type, const lulli_slot *s) {
  uint8_t kind = lulli_snap_vkind(wr->inst->module->m, type);
  lulli_put_u8(&wr->w, kind);
  switch (lulli_snap_width(kind)) {
  case 4:
    lulli_put_u32(&wr->w, (uint32_t)s[0].u64);
    break;
  case 16:
    lulli_put_u64(&wr->w, s[0].u64);
    lulli_put_u64(&wr->w, s[1].u64);
    break;
  default:
    lulli_put_u64(&wr->w, lulld_vt_is_ref(type)
                              ? ref_bits(wr, kind, s[0].ref)
                              : s[0].u64);
    break;
  }
}

/* A Wasm frame parked at `pm`: where, then its locals and its operand
 * stack in Wasm order, each value wherever this build keeps it. */
static void put_wasm_frame(writer *wr, const lulli_slot *s,
                           const lulli_code *code, const lulli_parkmap *pm) {
  lulli_put_u32(&wr->w, pm->wasm);
  lulli_put_u32(&wr->w, code->nlocals);
  for (uint32_t j = 0, at = 0; j < code->nlocals; j++) {
    put_val(wr, code->local_types[j], s + at);
    at += lulld_slots_of(code->local_types[j]);
  }
  lulli_put_u32(&wr->w, pm->nvals);
  uint32_t pos = pm->vals;
  for (uint32_t j = 0; j < pm->nvals; j++) {
    lulli_parkval v;
    lulli_parkval_next(code, &pos, &v);
    lulli_slot k[2];
    const lulli_slot *from = s + v.slot;
    if (v.kind == LULLI_PV_CONST) {
      k[0].u64 = v.c[0];
      k[1].u64 = v.c[1];
      from = k;
    }
    put_val(wr, v.type, from);
  }
}

static void put_frames(writer *wr) {
  lull_thread *t = wr->t;
  lulli_put_u32(&wr->w, t->nframes - 1);
  for (uint32_t i = 1; i < t->nframes && !wr->failed; i++) {
    const lulli_frame *fr = &t->frames[i];
    int host = fr->fn->kind == LULLI_FUNC_HOST;
    lulli_put_u8(&wr->w, (uint8_t)host);
    lulli_put_u32(&wr->w, func_index(wr, fr->fn));
    if (host) {
      const lulli_contrec *cr = &t->conts[fr->cont];
      uint32_t len = (uint32_t)strlen(cr->k->name);
      lulli_put_u32(&wr->w, len);
      lulli_put(&wr->w, cr->k->name, len);
      lulli_put_u32(&wr->w, func_index(wr, cr->callee));
      lulli_put_u32(&wr->w, (uint32_t)cr->len);
      lulli_put(&wr->w, cr->state, cr->len);
      continue;
    }
    const lulli_code *code = fr->fn->code;
    lulli_parkmap buf;
    const lulli_parkmap *pm = lulli_parkmap_at(
        code, (uint32_t)(resume_of(t, i) - code->code), &buf);
    /* Only the top frame of a thread out of fuel or interrupted waits
     * at a safepoint; every other one waits for a call to return. */
    int want_call = i < t->nframes - 1 || t->park == LULL_PARK_HOST;
    if (!pm || !pm->call != !want_call) {
      fail(wr, "cannot snapshot: frame %u is not at a park point", i);
      return;
    }
    put_wasm_frame(wr, t->stack + fr->base, code, pm);
  }
  if (t->park == LULL_PARK_HOST) {
    lulli_put_u32(&wr->w, func_index(wr, t->pending_fn));
    lulli_put_u8(&wr->w, t->pending_pop);
  } else {
    lulli_put_u32(&wr->w, LULLI_SNAP_NONE);
    lulli_put_u8(&wr->w, 0);
  }
}

/* The exceptions, each its tag (an index of the instance's tags) and
 * its payload's slots. */
static void put_exns(writer *wr) {
  lull_instance *inst = wr->inst;
  const lulld_module *m = inst->module->m;
  lulli_exntab_gather(&wr->exns, wr->t, inst);
  if (wr->exns.oom) {
    fail(wr, "out of memory writing a snapshot");
    return;
  }
  lulli_put_u32(&wr->w, (uint32_t)wr->exns.n);
  for (size_t i = 0; i < wr->exns.n && !wr->failed; i++) {
    lulli_gcobj *x = wr->exns.v[i];
    lull_tag *tag = lulli_exn_tag(x);
    uint32_t k = 0;
    while (k < m->ntags && inst->tags[k] != tag)
      k++;
    if (k == m->ntags) {
      fail(wr, "cannot snapshot: an exception's tag is not the instance's");
      return;
    }
    lulli_put_u32(&wr->w, k);
    const lulli_type *ty = tag->type;
    lulli_slot *s = lulli_exn_payload(x);
    for (uint32_t j = 0; j < ty->nparams; j++) {
      uint8_t kind = lulli_snap_kind(ty->vtypes[j]);
      uint32_t top = lulld_vt_top(ty->vtypes[j]);
      void *p = s->ref;
      /* The GC heap's table is written after the thread and does not
       * look inside exceptions: an object there could not be named. */
      if ((top == LULL_HT_ANY && p && !((uintptr_t)p & 1u)) ||
          (top == LULL_HT_EXTERN && lulli_gc_owns(wr->t->engine, p))) {
        fail(wr, "cannot snapshot: an exception carries a GC object");
        return;
      }
      if (lulld_vt_is_ref(ty->vtypes[j])) {
        lulli_put_u64(&wr->w, ref_bits(wr, kind, s->ref));
      } else {
        lulli_put_u64(&wr->w, s[0].u64);
        if (kind == LULL_V128)
          lulli_put_u64(&wr->w, s[1].u64);
      }
      s += lulld_slots_of(ty->vtypes[j]);
    }
  }
}

static int chunk_is_zero(const uint8_t *p) {
  static const uint8_t zero[64];
  for (uint32_t i = 0; i < LULLI_SNAP_CHUNK; i += sizeof zero)
    if (memcmp(p + i, zero, sizeof zero) != 0)
      return 0;
  return 1;
}

static void put_instance(writer *wr) {
  lull_instance *inst = wr->inst;
  const lulld_module *m = inst->module->m;
  lulli_put_u32(&wr->w, m->nmemories);
  for (uint32_t i = 0; i < m->nmemories; i++) {
    const lull_memory *mem = inst->memories[i];
    uint64_t chunks = mem->size / LULLI_SNAP_CHUNK, used = 0;
    lulli_put_u64(&wr->w, mem->size / LULLI_PAGE_SIZE);
    /* The count, filled in once the chunks are written: one pass over
     * the memory. */
    size_t count_at = wr->w.n;
    lulli_put_u64(&wr->w, 0);
    for (uint64_t c = 0; c < chunks; c++) {
      const uint8_t *p = mem->data + (size_t)c * LULLI_SNAP_CHUNK;
      if (chunk_is_zero(p))
        continue;
      lulli_put_u64(&wr->w, c);
      lulli_put(&wr->w, p, LULLI_SNAP_CHUNK);
      used++;
    }
    lulli_patch_u64(&wr->w, count_at, used);
  }
  lulli_put_u32(&wr->w, m->ntables);
  for (uint32_t i = 0; i < m->ntables && !wr->failed; i++) {
    const lull_table *tb = inst->tables[i];
    lulli_put_u32(&wr->w, tb->size);
    for (uint32_t k = 0; k < tb->size; k++)
      lulli_put_u64(&wr->w,
                    ref_bits(wr, lulli_snap_kind(tb->elem), tb->elems[k]));
  }
  lulli_put_u32(&wr->w, m->nglobals);
  for (uint32_t i = 0; i < m->nglobals; i++) {
    const lull_global *g = inst->globals[i];
    uint8_t kind = lulli_snap_kind(g->type);
    lulli_put_u8(&wr->w, kind);
    if (lulld_vt_is_ref(g->type)) {
      lulli_put_u64(&wr->w, ref_bits(wr, kind, g->val[0].ref));
      lulli_put_u64(&wr->w, 0);
    } else {
      lulli_put_u64(&wr->w, g->val[0].u64);
      lulli_put_u64(&wr->w, g->type == LULL_V128 ? g->val[1].u64 : 0);
    }
  }
  lulli_put_u32(&wr->w, m->nelems);
  lulli_put(&wr->w, inst->elem_dropped, m->nelems);
  lulli_put_u32(&wr->w, m->ndatas);
  lulli_put(&wr->w, inst->data_dropped, m->ndatas);
}

lull_status lull_snapshot_write(lull_thread *t, lull_instance *inst,
                                const void *extra, size_t extra_len,
                                uint8_t **out, size_t *out_len,
                                lull_error *err) {
  if (out)
    *out = NULL;
  if (out_len)
    *out_len = 0;
  if (!t || !inst || !out || !out_len || (extra_len && !extra))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_snapshot_write: bad arguments");
  if (t->state != LULL_THREAD_SUSPENDED)
    return lulld_error(err, LULL_BADSTATE, LULL_NO_OFFSET,
                       "lull_snapshot_write: the thread is not suspended");
  lull_engine *e = t->engine;
  writer wr;
  memset(&wr, 0, sizeof wr);
  wr.w.a = &e->alloc;
  wr.t = t;
  wr.inst = inst;
  wr.err = err;
  wr.exns.a = &e->alloc;
  /* Header, with the length and checksum filled in at the end. */
  lulli_put(&wr.w, LULLI_SNAP_MAGIC, 8);
  lulli_put_u32(&wr.w, LULLI_SNAP_VERSION);
  lulli_put(&wr.w, lulli_module_hash(inst->module), 32);
  lulli_put_u64(&wr.w, 0);
  lulli_put_u32(&wr.w, 0);
  lulli_put_u64(&wr.w, extra_len);
  lulli_put(&wr.w, extra, extra_len);
  put_exns(&wr);
  lulli_put_u32(&wr.w, func_index(&wr, t->root_fn));
  lulli_put_u8(&wr.w, t->park);
  lulli_put_u64(&wr.w, t->park_tag);
  lulli_put_u64(&wr.w, t->fuel_set);
  lulli_put_u64(&wr.w, (uint64_t)t->fuel);
  put_frames(&wr);
  put_instance(&wr);
  if (!wr.failed && (inst->module->m->features & LULL_FEATURE_GC)) {
    const char *why = lulli_snap_gc_write(&wr.w, t, inst);
    if (why)
      fail(&wr, "cannot snapshot: %s", why);
  }
  lulli_exntab_free(&wr.exns);
  if (wr.w.oom && !wr.failed)
    fail(&wr, "out of memory writing a snapshot");
  if (wr.failed) {
    lulld_free(&e->alloc, wr.w.p, wr.w.cap);
    if (err && wr.w.oom)
      err->status = LULL_NOMEM;
    return err ? err->status : LULL_BADSTATE;
  }
  size_t body = wr.w.n - LULLI_SNAP_HEADER;
  lulli_patch_u64(&wr.w, 44, body);
  uint32_t crc = lulli_crc32(wr.w.p + LULLI_SNAP_HEADER, body);
  for (int i = 0; i < 4; i++)
    wr.w.p[52 + i] = (uint8_t)(crc >> (8 * i));
  /* Hand back exactly the bytes written (lull_snapshot_free takes the
   * length). */
  uint8_t *p = lulld_realloc(&e->alloc, wr.w.p, wr.w.cap, wr.w.n);
  if (!p) {
    lulld_free(&e->alloc, wr.w.p, wr.w.cap);
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  }
  *out = p;
  *out_len = wr.w.n;
  return LULL_OK;
}

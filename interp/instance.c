/*
 * instance.c -- instantiation: import matching, the instance's index
 * spaces, globals, active element and data segments (in the spec's order,
 * so a trapping segment leaves earlier ones applied), the start function,
 * and exports.
 */
#include <stdio.h>

#include "../decoder/instr.h"
#include "exec_internal.h"
#include "snapshot_internal.h"

void lulli_instance_destroy(lull_instance *inst) {
  lull_engine *e = inst->hdr.engine;
  /* The arrays are sized by the module, which the keep list may hold the
   * last reference to: free them first. */
  const lulld_module *m = inst->module ? inst->module->m : NULL;
  if (m) {
    lulld_free(&e->alloc, inst->funcs, m->nfuncs * sizeof *inst->funcs);
    lulld_free(&e->alloc, inst->own, m->ncodes * sizeof *inst->own);
    lulld_free(&e->alloc, inst->tables, m->ntables * sizeof *inst->tables);
    lulld_free(&e->alloc, inst->memories,
               m->nmemories * sizeof *inst->memories);
    lulld_free(&e->alloc, inst->globals, m->nglobals * sizeof *inst->globals);
    lulld_free(&e->alloc, inst->tags, m->ntags * sizeof *inst->tags);
    lulld_free(&e->alloc, inst->elem_dropped, m->nelems);
    lulld_free(&e->alloc, inst->data_dropped, m->ndatas);
    for (uint32_t i = 0; inst->elem_vals && i < m->nelems; i++)
      lulld_free(&e->alloc, inst->elem_vals[i],
                 inst->elem_vals[i] ? m->elems[i].count * sizeof(void *) : 0);
    lulld_free(&e->alloc, inst->elem_vals,
               inst->elem_vals ? m->nelems * sizeof(void **) : 0);
  }
  for (size_t i = 0; i < inst->nkeep; i++)
    lulli_drop(e, inst->keep[i]);
  lulld_free(&e->alloc, inst->keep, inst->cap_keep * sizeof *inst->keep);
  lulld_free(&e->alloc, inst, sizeof *inst);
}

/* Holds a reference on `o` for the instance's lifetime. `owned`: the
 * reference was just made for the instance (a new object), else one is
 * taken. */
static int keep(lull_instance *inst, lulli_obj *o, int owned) {
  if (LULLD_GROW(&inst->hdr.engine->alloc, inst->keep, &inst->cap_keep,
                 inst->nkeep + 1))
    return -1;
  if (!owned)
    lulli_retain(o);
  inst->keep[inst->nkeep++] = o;
  return 0;
}

/* A GC instruction of a constant expression on the value stack st[0..n)
 * (two slots per value): pops its operands, pushes the new reference and
 * returns the new height. When the heap cannot take the object, the
 * instance records it (instantiation fails) and null stands in. */
static uint32_t eval_gc(lull_instance *inst, const lulld_instr *in,
                        lulli_slot (*st)[2], uint32_t n) {
  lull_engine *e = inst->hdr.engine;
  const uint32_t *ids = inst->module->type_ids;
  lulli_gcobj *o = NULL;
  uint32_t pop = 0;
  int fail = 0;
  void *ref = NULL;
  switch (in->op) {
  case LULLD_OP_ANY_CONVERT_EXTERN:
  case LULLD_OP_EXTERN_CONVERT_ANY:
    pop = 1;
    ref = in->op == LULLD_OP_ANY_CONVERT_EXTERN
              ? lulli_gc_internalize(e, st[n - 1][0].ref, &fail)
              : lulli_gc_externalize(e, st[n - 1][0].ref, &fail);
    break;
  case LULLD_OP_STRUCT_NEW:
  case LULLD_OP_STRUCT_NEW_DEFAULT: {
    const lulli_type *t = e->types[ids[in->u.index]];
    o = lulli_gc_struct(e, ids[in->u.index]);
    if (in->op == LULLD_OP_STRUCT_NEW) {
      pop = t->nfields;
      for (uint32_t k = 0; o && k < pop; k++)
        memcpy(LULLI_GC_DATA(o) + lulli_gc_field_offset(t, k),
               st[n - pop + k], 8 * lulld_slots_of(t->types[k]));
    }
    fail = !o;
    ref = o;
    break;
  }
  case LULLD_OP_ARRAY_NEW:
  case LULLD_OP_ARRAY_NEW_DEFAULT: {
    pop = in->op == LULLD_OP_ARRAY_NEW ? 2 : 1;
    uint32_t len = (uint32_t)st[n - 1][0].u64;
    o = lulli_gc_array(e, ids[in->u.index], len);
    for (uint32_t k = 0; o && pop == 2 && k < len; k++)
      lulli_gc_put(o, k, st[n - 2]);
    fail = !o;
    ref = o;
    break;
  }
  default: /* array.new_fixed */
    pop = in->u.pair.b;
    o = lulli_gc_array(e, ids[in->u.pair.a], pop);
    for (uint32_t k = 0; o && k < pop; k++)
      lulli_gc_put(o, k, st[n - pop + k]);
    fail = !o;
    ref = o;
    break;
  }
  if (fail)
    inst->const_oom = 1;
  n -= pop;
  st[n][0].ref = ref;
  st[n][1].u64 = 0;
  return n + 1;
}

/* An extended constant expression, valid (so at most
 * LULLD_MAX_CONST_DEPTH values deep: i32 and i64 arithmetic, references,
 * the GC instructions that allocate; two slots per value for a v128). */
static void eval_expr(lull_instance *inst, const lulld_constexpr *ce,
                      lulli_slot *out) {
  const lulld_module *m = inst->module->m;
  lulli_slot st[LULLD_MAX_CONST_DEPTH + 1][2];
  uint32_t n = 0;
  lulld_reader r;
  lulld_reader_init(&r, m->bytes, ce->offset, m->len);
  lulld_instr in;
  while (n < LULLD_MAX_CONST_DEPTH &&
         lulld_read_instr(&r, m->features, &in) == 0 &&
         in.op != LULLD_OP_END) {
    lulld_constexpr one;
    memset(&one, 0, sizeof one);
    if (lulld_const_arith(in.op) && n >= 2) {
      uint64_t a = st[n - 2][0].u64, b = st[n - 1][0].u64, v;
      switch (in.op) {
      case LULLD_OP_I32_ADD: case LULLD_OP_I64_ADD: v = a + b; break;
      case LULLD_OP_I32_SUB: case LULLD_OP_I64_SUB: v = a - b; break;
      default: v = a * b; break;
      }
      n -= 2;
      st[n++][0].u64 = in.op <= LULLD_OP_I32_MUL ? (uint32_t)v : v;
      continue;
    }
    if (in.op == LULLD_OP_REF_I31 && n >= 1) {
      /* As the REF_I31 handler makes it. */
      st[n - 1][0].u64 = (uint64_t)(st[n - 1][0].u64 & 0x7FFFFFFFu) << 1 | 1u;
      continue;
    }
    if ((in.op >> 8) == LULLD_OP_PREFIX_FB) {
      n = eval_gc(inst, &in, st, n);
      continue;
    }
    /* Every other instruction is one constant expression of its own. */
    lulld_const_from_instr(&in, &one);
    lulli_eval_const(inst, &one, st[n++]);
  }
  out[0] = n ? st[0][0] : (lulli_slot){.u64 = 0};
  out[1] = n ? st[0][1] : (lulli_slot){.u64 = 0};
}

void lulli_eval_const(lull_instance *inst, const lulld_constexpr *ce,
                      lulli_slot *out) {
  out[0].u64 = 0;
  switch (ce->op) {
  case LULLD_CONST_I32:
    out[0].u64 = ce->v.i32;
    break;
  case LULLD_CONST_I64:
    out[0].u64 = ce->v.i64;
    break;
  case LULLD_CONST_F32:
    out[0].u64 = ce->v.i32;
    break;
  case LULLD_CONST_F64:
    out[0].u64 = ce->v.i64;
    break;
  case LULLD_CONST_V128:
    memcpy(&out[0].u64, ce->v.v128, 8);
    memcpy(&out[1].u64, ce->v.v128 + 8, 8);
    break;
  case LULLD_CONST_REF_NULL:
    out[0].ref = NULL;
    break;
  case LULLD_CONST_REF_FUNC:
    out[0].ref = inst->funcs[ce->index];
    break;
  case LULLD_CONST_GLOBAL_GET: {
    const lull_global *g = inst->globals[ce->index];
    out[0] = g->val[0];
    if (g->type == LULL_V128)
      out[1] = g->val[1];
    break;
  }
  case LULLD_CONST_EXPR:
    eval_expr(inst, ce, out);
    break;
  default:
    break;
  }
}

/* Does an object with limits `have` (its current size and declared
 * maximum) fit an import that asks for `want`? The address types must be
 * the same. */
static int limits_fit(uint64_t have_min, lulld_limits have, lulld_limits want) {
  if (have.is64 != want.is64 || have_min < want.min)
    return 0;
  if (want.has_max && (!have.has_max || have.max > want.max))
    return 0;
  return 1;
}

static lull_status unlinkable(lull_error *err, const lulld_import *im,
                              const char *why) {
  return lulld_error(err, LULL_UNLINKABLE, LULL_NO_OFFSET,
                     "incompatible import type: \"%s\" \"%s\": %s",
                     im->module.str, im->name.str, why);
}

/* Checks import `i` against `x` and puts it in the index spaces. */
static lull_status link_import(lull_instance *inst, const lulld_import *im,
                               const lull_extern *x, uint32_t *counts,
                               lull_error *err) {
  lull_module *mod = inst->module;
  if ((uint8_t)x->kind != im->kind)
    return unlinkable(err, im, "wrong kind of external value");
  lulli_obj *o = NULL;
  switch (im->kind) {
  case LULL_EXTERN_FUNC: {
    lull_func *f = x->of.func;
    if (!f)
      return unlinkable(err, im, "no function");
    if (!lulli_type_sub(inst->hdr.engine, f->type_id,
                        mod->type_ids[im->d.func]))
      return unlinkable(err, im, "function type differs");
    inst->funcs[counts[0]++] = f;
    o = lulli_func_owner(f);
    break;
  }
  case LULL_EXTERN_TABLE: {
    lull_table *t = x->of.table;
    if (!t)
      return unlinkable(err, im, "no table");
    if (t->elem != LULLI_MODULE_VT(mod, im->d.table.elem))
      return unlinkable(err, im, "element type differs");
    if (!limits_fit(t->size, t->limits, im->d.table.limits))
      return unlinkable(err, im, "table limits do not match");
    inst->tables[counts[1]++] = t;
    o = &t->hdr;
    break;
  }
  case LULL_EXTERN_MEMORY: {
    lull_memory *mm = x->of.memory;
    if (!mm)
      return unlinkable(err, im, "no memory");
    if (!limits_fit(mm->size / LULLI_PAGE_SIZE, mm->limits, im->d.memory))
      return unlinkable(err, im, "memory limits do not match");
    inst->memories[counts[2]++] = mm;
    o = &mm->hdr;
    break;
  }
  case LULL_EXTERN_TAG: {
    lull_tag *tg = x->of.tag;
    if (!tg)
      return unlinkable(err, im, "no tag");
    /* Tag types match only when equal (the registry makes equal types
     * one id). */
    if (tg->type_id != mod->type_ids[im->d.tag])
      return unlinkable(err, im, "tag type differs");
    inst->tags[counts[4]++] = tg;
    o = &tg->hdr;
    break;
  }
  default: {
    lull_global *g = x->of.global;
    if (!g)
      return unlinkable(err, im, "no global");
    /* A mutable global is read and written: its type must be the same;
     * an immutable one only read, so a subtype will do. */
    lull_valtype want = LULLI_MODULE_VT(mod, im->d.global.type);
    if (g->mut != im->d.global.mut ||
        (g->mut ? g->type != want
                : !lulli_vt_match(inst->hdr.engine, g->type, want)))
      return unlinkable(err, im, "global type differs");
    inst->globals[counts[3]++] = g;
    o = &g->hdr;
    break;
  }
  }
  if (keep(inst, o, 0) != 0)
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  return LULL_OK;
}

/* Makes the instance's own functions, tables, memories and globals. */
/* With GC, element segments of expressions are evaluated now, once: an
 * item may allocate, and each use must see the same object. */
static int eval_elems(lull_instance *inst) {
  lull_engine *e = inst->hdr.engine;
  const lulld_module *m = inst->module->m;
  if (!(m->features & LULL_FEATURE_GC) || !m->nelems)
    return 0;
  inst->elem_vals = lulld_calloc(&e->alloc, m->nelems, sizeof(void **));
  if (!inst->elem_vals)
    return -1;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const lulld_elem *el = &m->elems[i];
    if (!el->exprs || !el->count)
      continue;
    inst->elem_vals[i] = lulld_calloc(&e->alloc, el->count, sizeof(void *));
    if (!inst->elem_vals[i])
      return -1;
    for (uint32_t j = 0; j < el->count; j++) {
      lulli_slot v[2];
      lulli_eval_const(inst, &el->exprs[j], v);
      inst->elem_vals[i][j] = v[0].ref;
    }
  }
  return 0;
}

static lull_status define(lull_instance *inst, lull_error *err) {
  lull_engine *e = inst->hdr.engine;
  lull_module *mod = inst->module;
  const lulld_module *m = mod->m;
  for (uint32_t i = 0; i < m->ncodes; i++) {
    lull_func *f = &inst->own[i];
    uint32_t index = m->nfunc_imports + i;
    f->kind = LULLI_FUNC_WASM;
    f->type_id = mod->type_ids[m->func_types[index]];
    f->type = e->types[f->type_id];
    f->inst = inst;
    f->code = &mod->codes[i];
    f->index = index;
    f->hdr.engine = e;
    inst->funcs[index] = f;
  }
  for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
    if (m->tables[i].limits.min > LULLD_MAX_TABLE)
      return lulld_error(err, LULL_LIMIT, LULL_NO_OFFSET,
                         "table %u needs %llu elements, over lull's limit "
                         "of %u", i,
                         (unsigned long long)m->tables[i].limits.min,
                         LULLD_MAX_TABLE);
    lull_table *t = lulli_table_create(e, LULLI_MODULE_VT(inst->module, m->tables[i].elem),
                                       m->tables[i].limits, NULL);
    if (!t || keep(inst, &t->hdr, 1) != 0) {
      if (t)
        lulli_release(&t->hdr);
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET,
                         "out of memory making table %u", i);
    }
    t->owner = inst;
    inst->tables[i] = t;
  }
  for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++) {
    uint64_t cap = m->memories[i].is64 ? e->cfg.max_memory_pages64
                                       : e->cfg.max_memory_pages;
    if (m->memories[i].min > cap)
      return lulld_error(err, LULL_LIMIT, LULL_NO_OFFSET,
                         "memory %u needs %llu pages, over the engine's "
                         "limit of %llu pages", i,
                         (unsigned long long)m->memories[i].min,
                         (unsigned long long)cap);
    lull_memory *mm = lulli_memory_create(e, m->memories[i], 1);
    if (!mm)
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET,
                         "out of memory making memory %u of %llu pages", i,
                         (unsigned long long)m->memories[i].min);
    if (keep(inst, &mm->hdr, 1) != 0) {
      lulli_release(&mm->hdr);
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
    }
    inst->memories[i] = mm;
  }
  inst->mem0 = m->nmemories ? inst->memories[0] : e->empty_memory;
  for (uint32_t i = m->ntag_imports; i < m->ntags; i++) {
    lull_tag *tg = lulli_tag_create(e, inst->module->type_ids[m->tags[i]]);
    if (!tg || keep(inst, &tg->hdr, 1) != 0) {
      if (tg)
        lulli_release(&tg->hdr);
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
    }
    inst->tags[i] = tg;
  }
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
    const lulld_global *gd = &m->globals[i];
    lull_global *g = lulli_global_create(
        e, LULLI_MODULE_VT(inst->module, gd->type.type), gd->type.mut);
    if (!g || keep(inst, &g->hdr, 1) != 0) {
      if (g)
        lulli_release(&g->hdr);
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
    }
    lulli_eval_const(inst, &gd->init, g->val);
    inst->globals[i] = g;
  }
  /* Tables with an initializer, once the globals it may read exist. */
  for (uint32_t i = 0; i < m->ntable_inits; i++) {
    const lulld_constexpr *init = &m->table_inits[i];
    if (init->op == LULLD_CONST_ABSENT)
      continue;
    lull_table *t = inst->tables[m->ntable_imports + i];
    lulli_slot v[2];
    lulli_eval_const(inst, init, v);
    if (lulli_table_fill(t, 0, v[0].ref, t->size) != NULL)
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  }
  if (eval_elems(inst) != 0)
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  if (inst->const_oom)
    return lulld_error(err, LULL_TRAP, LULL_NO_OFFSET,
                       "out of memory: the GC heap is full (a constant "
                       "expression allocates)");
  return LULL_OK;
}

/* Active element segments, then active data segments, as table.init and
 * memory.init followed by a drop; declarative segments are dropped. */
static lull_status init_segments(lull_instance *inst, lull_error *err) {
  const lulld_module *m = inst->module->m;
  lulli_slot off[2];
  for (uint32_t i = 0; i < m->nelems; i++) {
    const lulld_elem *el = &m->elems[i];
    if (el->mode == LULLD_SEG_ACTIVE) {
      lulli_eval_const(inst, &el->offset, off);
      lull_table *tb = inst->tables[el->table];
      /* A 64-bit offset past 2^32 is past every table lull makes. */
      uint64_t at = tb->limits.is64 ? off[0].u64 : (uint32_t)off[0].u64;
      const char *why =
          lulli_table_init(inst, tb, i, at > UINT32_MAX ? UINT32_MAX : (uint32_t)at,
                           0, el->count);
      if (why)
        return lulld_error(err, LULL_TRAP, LULL_NO_OFFSET,
                           "%s (element segment %u)", why, i);
    }
    if (el->mode != LULLD_SEG_PASSIVE)
      inst->elem_dropped[i] = 1;
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const lulld_data *d = &m->datas[i];
    if (d->mode != LULLD_SEG_ACTIVE)
      continue;
    lulli_eval_const(inst, &d->offset, off);
    lull_memory *mem = inst->memories[d->memory];
    uint64_t at = mem->limits.is64 ? off[0].u64 : (uint32_t)off[0].u64;
    const char *why = lulli_mem_init(inst, i, mem, at, 0, d->size);
    if (why)
      return lulld_error(err, LULL_TRAP, LULL_NO_OFFSET,
                         "%s (data segment %u)", why, i);
    inst->data_dropped[i] = 1;
  }
  return LULL_OK;
}

/* Runs the start function on `t`, or on a thread of its own when `t` is
 * NULL. It may not suspend: there is nobody to resume it. */
static lull_status run_start(lull_instance *inst, lull_thread *on,
                             lull_error *err) {
  const lulld_module *m = inst->module->m;
  if (!m->has_start)
    return LULL_OK;
  lull_thread *t = on ? on : lull_thread_new(inst->hdr.engine);
  if (!t)
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  lull_status s = lull_call(t, inst->funcs[m->start], NULL, 0, NULL, 0);
  if (s == LULL_TRAP)
    lulld_error(err, LULL_TRAP, LULL_NO_OFFSET, "%s",
                lull_thread_trap_message(t));
  else if (s == LULL_SUSPENDED)
    s = lulld_error(err, LULL_BADSTATE, LULL_NO_OFFSET,
                    "the start function suspended; only exported functions "
                    "called with lull_call may suspend");
  else if (s != LULL_OK)
    lulld_error(err, s, LULL_NO_OFFSET, "start function: %s",
                lull_thread_trap_message(t));
  if (!on)
    lull_thread_free(t);
  return s;
}

#define ALLOC_ARRAY(p, n)                                                     \
  do {                                                                        \
    if (n) {                                                                  \
      (p) = lulld_calloc(&e->alloc, (n), sizeof *(p));                        \
      if (!(p))                                                               \
        goto oom;                                                             \
    }                                                                         \
  } while (0)

lull_status lull_instantiate(lull_engine *e, lull_module *mod,
                             const lull_extern *imports, size_t nimports,
                             lull_instance **out, lull_error *err) {
  return lulli_instantiate(e, mod, imports, nimports, 1, NULL, out, err);
}

lull_status lull_instantiate_on(lull_engine *e, lull_module *mod,
                                const lull_extern *imports, size_t nimports,
                                lull_thread *t, lull_instance **out,
                                lull_error *err) {
  if (!t || lull_thread_state_of(t) == LULL_THREAD_RUNNING ||
      lull_thread_state_of(t) == LULL_THREAD_SUSPENDED) {
    if (out)
      *out = NULL;
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_instantiate_on: no thread, or one in a call");
  }
  return lulli_instantiate(e, mod, imports, nimports, 1, t, out, err);
}

lull_status lulli_instantiate(lull_engine *e, lull_module *mod,
                              const lull_extern *imports, size_t nimports,
                              int init, lull_thread *start_on,
                              lull_instance **out, lull_error *err) {
  if (out)
    *out = NULL;
  if (!e || !mod || !out || (nimports && !imports) || mod->hdr.engine != e)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_instantiate: bad engine, module or output");
  const lulld_module *m = mod->m;
  if (nimports < m->nimports) {
    const lulld_import *im = &m->imports[nimports];
    return lulld_error(err, LULL_UNLINKABLE, LULL_NO_OFFSET,
                       "unknown import: \"%s\" \"%s\" (import %zu) not given: "
                       "the module has %u imports, %zu given",
                       im->module.str, im->name.str, nimports, m->nimports,
                       nimports);
  }
  if (nimports > m->nimports)
    return lulld_error(err, LULL_UNLINKABLE, LULL_NO_OFFSET,
                       "unknown import: the module has %u imports, %zu given",
                       m->nimports, nimports);
  lull_instance *inst = lulld_calloc(&e->alloc, 1, sizeof *inst);
  if (!inst)
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  lulli_obj_init(e, &inst->hdr, LULLI_KIND_INSTANCE);
  inst->module = mod;
  inst->mem0 = e->empty_memory;
  lull_status s;
  if (keep(inst, &mod->hdr, 0) != 0)
    goto oom;
  ALLOC_ARRAY(inst->funcs, m->nfuncs);
  ALLOC_ARRAY(inst->own, m->ncodes);
  ALLOC_ARRAY(inst->tables, m->ntables);
  ALLOC_ARRAY(inst->memories, m->nmemories);
  ALLOC_ARRAY(inst->globals, m->nglobals);
  ALLOC_ARRAY(inst->elem_dropped, m->nelems);
  ALLOC_ARRAY(inst->data_dropped, m->ndatas);
  ALLOC_ARRAY(inst->tags, m->ntags);
  uint32_t counts[5] = {0, 0, 0, 0, 0};
  for (uint32_t i = 0; i < m->nimports; i++) {
    s = link_import(inst, &m->imports[i], &imports[i], counts, err);
    if (s != LULL_OK)
      goto fail;
  }
  /* Objects a constant expression is building are on the C stack, where
   * no map finds them: no collection while they are made. */
  e->gc.inhibit++;
  s = define(inst, err);
  e->gc.inhibit--;
  if (s != LULL_OK)
    goto fail;
  if (init && ((s = init_segments(inst, err)) != LULL_OK ||
               (s = run_start(inst, start_on, err)) != LULL_OK))
    goto fail;
  *out = inst;
  return LULL_OK;
oom:
  s = lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
fail:
  /* Functions already stored in imported tables keep the instance alive
   * (the spec lets them be called); otherwise it goes now. */
  lulli_release(&inst->hdr);
  return s;
}

void lull_instance_free(lull_instance *inst) {
  if (inst)
    lulli_release(&inst->hdr);
}

/* The object export `ex` of `inst` names. */
static void export_object(lull_instance *inst, const lulld_export *ex,
                          lull_extern *out) {
  out->kind = (lull_externkind)ex->kind;
  switch (ex->kind) {
  case LULL_EXTERN_FUNC:
    out->of.func = inst->funcs[ex->index];
    break;
  case LULL_EXTERN_TABLE:
    out->of.table = inst->tables[ex->index];
    break;
  case LULL_EXTERN_MEMORY:
    out->of.memory = inst->memories[ex->index];
    break;
  case LULL_EXTERN_TAG:
    out->of.tag = inst->tags[ex->index];
    break;
  default:
    out->of.global = inst->globals[ex->index];
    break;
  }
}

lull_status lull_instance_export(lull_instance *inst, const char *name,
                                 lull_extern *out) {
  if (!name)
    return LULL_BADARG;
  return lull_instance_export_n(inst, name, strlen(name), out);
}

lull_status lull_instance_export_n(lull_instance *inst, const char *name,
                                   size_t len, lull_extern *out) {
  if (!inst || (!name && len) || !out)
    return LULL_BADARG;
  const lulld_module *m = inst->module->m;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const lulld_export *ex = &m->exports[i];
    if (ex->name.len == len && memcmp(ex->name.str, name, len) == 0) {
      export_object(inst, ex, out);
      return LULL_OK;
    }
  }
  return LULL_NOTFOUND;
}

lull_func *lull_instance_func(lull_instance *inst, const char *name) {
  lull_extern x;
  if (lull_instance_export(inst, name, &x) != LULL_OK ||
      x.kind != LULL_EXTERN_FUNC)
    return NULL;
  return x.of.func;
}

lull_memory *lull_instance_memory(lull_instance *inst) {
  return lull_instance_memory_at(inst, 0);
}

lull_memory *lull_instance_memory_at(lull_instance *inst, uint32_t index) {
  if (!inst || index >= inst->module->m->nmemories)
    return NULL;
  return inst->memories[index];
}

uint32_t lull_instance_memory_count(const lull_instance *inst) {
  return inst ? inst->module->m->nmemories : 0;
}

void lull_instance_set_data(lull_instance *inst, void *data) {
  if (inst)
    inst->data = data;
}

void *lull_instance_data(const lull_instance *inst) {
  return inst ? inst->data : NULL;
}

size_t lull_instance_export_count(const lull_instance *inst) {
  return inst ? inst->module->m->nexports : 0;
}

lull_status lull_instance_export_at(lull_instance *inst, size_t i,
                                    const char **name, lull_extern *out) {
  if (!inst || i >= inst->module->m->nexports)
    return LULL_BADARG;
  const lulld_export *ex = &inst->module->m->exports[i];
  if (name)
    *name = ex->name.str;
  if (out)
    export_object(inst, ex, out);
  return LULL_OK;
}

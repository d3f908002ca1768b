/*
 * validate.c -- module-level validation and the driver of lulld_validate:
 * type indices of functions, limits of tables and memories, constant
 * expressions of globals and segments, segments, the start function,
 * exports, then every function body (validate_code.c).
 *
 * The checks run in the reference interpreter's order (imports and
 * function types, globals, tables, memories, element and data segments,
 * code, start, exports, the memory count), so a module with several
 * faults reports the one the testsuite expects.
 */
#include <stdio.h>

#include "validate_internal.h"

/* Fills the error of a module-level rule. `offset` is where it applies,
 * or LULL_NO_OFFSET when the decoded module does not keep one. */
static int mfail(lulld_vstate *s, uint64_t offset, const char *fmt, ...)
    LULL_PRINTF(3, 4);
static int mfail(lulld_vstate *s, uint64_t offset, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  lulld_verror(s->err, LULL_INVALID, offset, fmt, ap);
  va_end(ap);
  s->status = LULL_INVALID;
  return -1;
}

static int check_limits(lulld_vstate *s, const lulld_limits *l,
                        uint64_t range, const char *range_msg,
                        const char *what, uint32_t index) {
  if (l->min > range || (l->has_max && l->max > range))
    return mfail(s, LULL_NO_OFFSET, "%s: %s %u", range_msg, what, index);
  if (l->has_max && l->min > l->max)
    return mfail(s, LULL_NO_OFFSET,
                 "size minimum must not be greater than maximum: %s %u "
                 "(min %llu, max %llu)", what, index,
                 (unsigned long long)l->min, (unsigned long long)l->max);
  return 0;
}

/* A value type named by the module: its type index must exist. */
static int check_vt(lulld_vstate *s, lull_valtype t, const char *what,
                    uint32_t index) {
  if (lulld_vt_ok(s->m, t))
    return 0;
  return mfail(s, LULL_NO_OFFSET, "unknown type %u: %s %u", LULL_VT_INDEX(t),
               what, index);
}

static int check_const(lulld_vstate *s, const lulld_constexpr *e,
                       lull_valtype want, const char *where, uint32_t index);

/* A table's element type, limits and initializer: a table of a type
 * without a default (non-null) needs an initializer. */
static int check_tables(lulld_vstate *s) {
  const lulld_module *m = s->m;
  for (uint32_t i = 0; i < m->ntables; i++) {
    lull_valtype elem = m->tables[i].elem;
    if (check_vt(s, elem, "table", i) ||
        (m->tables[i].limits.is64
             ? check_limits(s, &m->tables[i].limits, UINT64_MAX,
                            "table size must be at most 2^64-1", "table", i)
             : check_limits(s, &m->tables[i].limits, UINT32_MAX,
                            "table size must be at most 2^32-1", "table",
                            i)))
      return -1;
    if (i < m->ntable_imports || i - m->ntable_imports >= m->ntable_inits)
      continue;
    const lulld_constexpr *init = &m->table_inits[i - m->ntable_imports];
    if (init->op == LULLD_CONST_ABSENT) {
      if (!LULL_VT_IS_NULLABLE(elem))
        return mfail(s, LULL_NO_OFFSET,
                     "type mismatch: table %u of %s needs an initializer",
                     i, lulld_vtype_name(elem));
    } else if (check_const(s, init, elem, "table", i)) {
      return -1;
    }
  }
  return 0;
}

static int check_memories(lulld_vstate *s) {
  for (uint32_t i = 0; i < s->m->nmemories; i++)
    if (s->m->memories[i].is64
            ? check_limits(s, &s->m->memories[i], LULLD_MAX_PAGES64,
                           "memory size must be at most 2^48 pages (2^64 "
                           "bytes)", "memory", i)
            : check_limits(s, &s->m->memories[i], LULLD_MAX_PAGES,
                           "memory size must be at most 65536 pages (4GiB)",
                           "memory", i))
      return -1;
  return 0;
}

/* The type of global `g` read by a constant expression at `offset`. In
 * Wasm 2.0 only imported globals are visible to it; in 3.0 the globals
 * defined before it too (segments come after them all; tables before
 * them all). They must be immutable. */
static int const_global(lulld_vstate *s, uint32_t g, const char *where,
                        uint32_t index, uint32_t offset, lull_valtype *t) {
  const lulld_module *m = s->m;
  uint32_t visible = m->nglobal_imports;
  if (lulld_wasm3(m) && strcmp(where, "global") == 0)
    visible = index;
  else if (lulld_wasm3(m) && strcmp(where, "table") != 0)
    visible = m->nglobals;
  if (g >= visible)
    return mfail(s, offset, "unknown global %u: %s %u at offset 0x%x", g,
                 where, index, offset);
  if (m->globals[g].type.mut)
    return mfail(s, offset,
                 "constant expression required: %s %u at offset 0x%x "
                 "reads mutable global %u",
                 where, index, offset, g);
  *t = m->globals[g].type.type;
  return 0;
}

/* The type of an extended constant expression (LULLD_CONST_EXPR): its
 * instructions run on a stack of types (the validator's operand stack,
 * free before the code is validated); it must leave one value. */
static int const_walk(lulld_vstate *s, const lulld_constexpr *e,
                      const char *where, uint32_t index, lull_valtype *out) {
  const lulld_module *m = s->m;
  lulld_reader r;
  lulld_reader_init(&r, m->bytes, e->offset, m->len);
  uint32_t n = 0;
  lulld_instr in;
  while (lulld_read_instr(&r, m->features, &in) == 0 &&
         in.op != LULLD_OP_END) {
    lull_valtype t = 0;
    if (LULLD_GROW(&m->alloc, s->vals, &s->vals_cap, (size_t)n + 1))
      return lulld_vnomem(s);
    if (lulld_const_arith(in.op)) {
      t = lulld_opinfo_of(in.op)->r;
      if (n < 2 || s->vals[n - 1] != t || s->vals[n - 2] != t)
        return mfail(s, in.offset,
                     "type mismatch: %s %u at offset 0x%x: %s needs two %s",
                     where, index, in.offset, lulld_op_name(in.op),
                     lulld_vtype_name(t));
      n -= 2;
    } else if (in.op == LULLD_OP_GLOBAL_GET) {
      if (const_global(s, in.u.index, where, index, in.offset, &t))
        return -1;
    } else if (in.op == LULLD_OP_REF_FUNC) {
      if (in.u.index >= m->nfuncs)
        return mfail(s, in.offset, "unknown function %u: %s %u", in.u.index,
                     where, index);
      t = lulld_ref_func_type(m, in.u.index);
    } else if (in.op == LULLD_OP_REF_NULL) {
      t = lulld_vt_resolve(m, in.u.reftype);
      if (check_vt(s, t, where, index))
        return -1;
    } else if (in.op == LULLD_OP_REF_I31) {
      if (n < 1 || s->vals[n - 1] != LULL_I32)
        return mfail(s, in.offset,
                     "type mismatch: %s %u at offset 0x%x: ref.i31 needs "
                     "an i32", where, index, in.offset);
      n--;
      t = LULL_REF(LULL_HT_I31, 0);
    } else if ((in.op >> 8) == LULLD_OP_PREFIX_FB) {
      uint32_t np;
      if (lulld_vgc_const(m, &in, &np, &t))
        return mfail(s, in.offset, "unknown type: %s %u at offset 0x%x",
                     where, index, in.offset);
      for (uint32_t k = 0; k < np; k++)
        if (n < np ||
            !lulld_vt_match(m, s->vals[n - np + k],
                            lulld_vgc_operand(m, &in, k)))
          return mfail(s, in.offset,
                       "type mismatch: %s %u at offset 0x%x: operands of %s",
                       where, index, in.offset, lulld_op_name(in.op));
      n -= np;
    } else {
      t = lulld_opinfo_of(in.op)->r; /* a *.const */
    }
    if (n == LULLD_MAX_CONST_DEPTH) {
      lulld_error(s->err, LULL_LIMIT, in.offset,
                  "constant expression too deep: %s %u at offset 0x%x (the "
                  "implementation limit is %u values)",
                  where, index, in.offset, LULLD_MAX_CONST_DEPTH);
      s->status = LULL_LIMIT;
      return -1;
    }
    s->vals[n++] = t;
  }
  if (r.err)
    return mfail(s, e->offset, "%s: %s %u", r.err, where, index);
  if (n != 1)
    return mfail(s, e->offset,
                 "type mismatch: %s %u at offset 0x%x: a constant "
                 "expression must produce exactly one value",
                 where, index, e->offset);
  *out = s->vals[0];
  return 0;
}

/* A constant expression producing `want`, described by `where` for the
 * message. Only imported globals are visible to it (the spec's context
 * C'), and they must be immutable. */
static int check_const(lulld_vstate *s, const lulld_constexpr *e,
                       lull_valtype want, const char *where,
                       uint32_t index) {
  const lulld_module *m = s->m;
  lull_valtype t = e->type;
  switch (e->op) {
  case LULLD_CONST_BAD:
    if (e->index == LULLD_CONSTBAD_NONCONST)
      return mfail(s, e->offset,
                   "constant expression required: %s %u at offset 0x%x",
                   where, index, e->offset);
    return mfail(s, e->offset,
                 "type mismatch: %s %u at offset 0x%x: a constant "
                 "expression must produce exactly one value",
                 where, index, e->offset);
  case LULLD_CONST_GLOBAL_GET:
    if (const_global(s, e->index, where, index, e->offset, &t))
      return -1;
    break;
  case LULLD_CONST_EXPR:
    if (const_walk(s, e, where, index, &t))
      return -1;
    break;
  case LULLD_CONST_REF_FUNC:
    if (e->index >= m->nfuncs)
      return mfail(s, e->offset,
                   "unknown function %u: %s %u at offset 0x%x", e->index,
                   where, index, e->offset);
    t = lulld_ref_func_type(m, e->index);
    break;
  case LULLD_CONST_REF_NULL:
    if (check_vt(s, t, where, index))
      return -1;
    break;
  default:
    break;
  }
  if (!lulld_vt_match(m, t, want))
    return mfail(s, e->offset,
                 "type mismatch: %s %u at offset 0x%x: expected %s, "
                 "found %s",
                 where, index, e->offset, lulld_vtype_name(want),
                 lulld_vtype_name(t));
  return 0;
}

static int check_globals(lulld_vstate *s) {
  const lulld_module *m = s->m;
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (check_vt(s, m->globals[i].type.type, "global", i) ||
        (i >= m->nglobal_imports &&
         check_const(s, &m->globals[i].init, m->globals[i].type.type,
                     "global", i)))
      return -1;
  return 0;
}

/* Items first, then the table and the offset (the reference
 * interpreter's order). */
static int check_elems(lulld_vstate *s) {
  const lulld_module *m = s->m;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const lulld_elem *e = &m->elems[i];
    if (check_vt(s, e->type, "element segment", i))
      return -1;
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->exprs) {
        if (check_const(s, &e->exprs[k], e->type, "element segment", i))
          return -1;
      } else if (e->funcs && e->funcs[k] >= m->nfuncs) {
        return mfail(s, LULL_NO_OFFSET,
                     "unknown function %u: element segment %u item %u",
                     e->funcs[k], i, k);
      }
    }
    if (e->mode != LULLD_SEG_ACTIVE)
      continue;
    if (e->table >= m->ntables)
      return mfail(s, e->offset.offset,
                   "unknown table %u: element segment %u", e->table, i);
    if (!lulld_vt_match(m, e->type, m->tables[e->table].elem))
      return mfail(s, e->offset.offset,
                   "type mismatch: element segment %u of %s for table %u "
                   "of %s",
                   i, lulld_vtype_name(e->type), e->table,
                   lulld_vtype_name(m->tables[e->table].elem));
    if (check_const(s, &e->offset,
                    m->tables[e->table].limits.is64 ? LULL_I64 : LULL_I32,
                    "element segment", i))
      return -1;
  }
  return 0;
}

static int check_datas(lulld_vstate *s) {
  const lulld_module *m = s->m;
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const lulld_data *d = &m->datas[i];
    if (d->mode != LULLD_SEG_ACTIVE)
      continue;
    if (d->memory >= m->nmemories)
      return mfail(s, d->offset.offset,
                   "unknown memory %u: data segment %u", d->memory, i);
    if (check_const(s, &d->offset,
                    m->memories[d->memory].is64 ? LULL_I64 : LULL_I32,
                    "data segment", i))
      return -1;
  }
  return 0;
}

static int check_start(lulld_vstate *s) {
  const lulld_module *m = s->m;
  if (!m->has_start)
    return 0;
  if (m->start >= m->nfuncs)
    return mfail(s, LULL_NO_OFFSET, "unknown function %u: start function",
                 m->start);
  const lulld_functype *ft = lulld_func_type(m, m->start);
  if (ft->nparams || ft->nresults)
    return mfail(s, LULL_NO_OFFSET,
                 "start function must have type [] -> []: function %u",
                 m->start);
  return 0;
}

static uint32_t name_hash(const lulld_name *n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (uint32_t i = 0; i < n->len; i++)
    h = (h ^ (uint8_t)n->str[i]) * 16777619u;
  return h;
}

/* Export indices, and unique names through an open-addressing table of
 * export numbers (linear in the export count). */
static int check_exports(lulld_vstate *s) {
  const lulld_module *m = s->m;
  static const char *const spaces[8] = {"function", "table", "memory",
                                        "global",   "tag",   "kind",
                                        "kind",     "kind"};
  if (m->nexports == 0)
    return 0;
  size_t cap = 16;
  while (cap < (size_t)m->nexports * 2)
    cap *= 2;
  uint32_t *slot = lulld_calloc(&m->alloc, cap, sizeof *slot);
  if (!slot)
    return lulld_vnomem(s);
  int rc = 0;
  for (uint32_t i = 0; i < m->nexports && rc == 0; i++) {
    const lulld_export *e = &m->exports[i];
    uint32_t count = e->kind == LULL_EXTERN_FUNC     ? m->nfuncs
                     : e->kind == LULL_EXTERN_TABLE  ? m->ntables
                     : e->kind == LULL_EXTERN_MEMORY ? m->nmemories
                     : e->kind == LULL_EXTERN_TAG    ? m->ntags
                                                     : m->nglobals;
    if (e->kind > LULL_EXTERN_TAG || e->index >= count) {
      rc = mfail(s, LULL_NO_OFFSET, "unknown %s %u: export \"%s\"",
                 spaces[e->kind & 7], e->index, e->name.str);
      break;
    }
    size_t h = name_hash(&e->name) & (cap - 1);
    for (; slot[h]; h = (h + 1) & (cap - 1)) {
      const lulld_name *o = &m->exports[slot[h] - 1].name;
      if (o->len == e->name.len &&
          (o->len == 0 || memcmp(o->str, e->name.str, o->len) == 0)) {
        rc = mfail(s, LULL_NO_OFFSET,
                   "duplicate export name: \"%s\" (exports %u and %u)",
                   e->name.str, slot[h] - 1, i);
        break;
      }
    }
    slot[h] = i + 1;
  }
  lulld_free(&m->alloc, slot, cap * sizeof *slot);
  return rc;
}

/* Everything before the code: function types, limits, globals and
 * segments. */
static int check_module(lulld_vstate *s) {
  const lulld_module *m = s->m;
  if (lulld_vdeftypes(s))
    return -1;
  for (uint32_t i = 0; i < m->nfuncs; i++) {
    if (m->func_types[i] >= m->ntypes)
      return mfail(s, LULL_NO_OFFSET, "unknown type %u: function %u%s",
                   m->func_types[i], i,
                   i < m->nfunc_imports ? " (imported)" : "");
    if (m->types[m->func_types[i]].kind != LULLD_COMP_FUNC)
      return mfail(s, LULL_NO_OFFSET, "non-function type %u: function %u",
                   m->func_types[i], i);
  }
  for (uint32_t i = 0; i < m->ntags; i++) {
    uint32_t t = m->tags[i];
    if (t >= m->ntypes)
      return mfail(s, LULL_NO_OFFSET, "unknown type %u: tag %u", t, i);
    if (m->types[t].kind != LULLD_COMP_FUNC)
      return mfail(s, LULL_NO_OFFSET, "non-function type %u: tag %u", t, i);
    if (m->types[t].nresults != 0)
      return mfail(s, LULL_NO_OFFSET,
                   "non-empty tag result type: tag %u (type %u)", i, t);
  }
  if (check_globals(s) || check_tables(s) || check_memories(s) ||
      check_elems(s) || check_datas(s))
    return -1;
  if (m->ncodes != m->nfuncs - m->nfunc_imports) {
    lulld_error(s->err, LULL_MALFORMED, LULL_NO_OFFSET,
                "function and code section have inconsistent lengths");
    s->status = LULL_MALFORMED;
    return -1;
  }
  return 0;
}

static void free_scratch(lulld_vstate *s) {
  const lulld_alloc *a = &s->m->alloc;
  lulld_free(a, s->vals, s->vals_cap * sizeof *s->vals);
  lulld_free(a, s->ctrls, s->ctrls_cap * sizeof *s->ctrls);
  lulld_free(a, s->ltypes, s->ltypes_cap * sizeof *s->ltypes);
  lulld_free(a, s->lends, s->lends_cap * sizeof *s->lends);
  lulld_free(a, s->linit, s->linit_cap * sizeof *s->linit);
  lulld_free(a, s->inits, s->inits_cap * sizeof *s->inits);
}

lull_status lulld_validate(lulld_module *m, lull_error *err) {
  if (!m)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lulld_validate: no module");
  lulld_vstate s;
  memset(&s, 0, sizeof s);
  s.m = m;
  s.err = err;
  s.status = LULL_OK;
  if (check_module(&s) == 0) {
    for (uint32_t i = 0; i < m->ncodes; i++)
      if (lulld_vcode(&s, i))
        break;
  }
  if (s.status == LULL_OK && check_start(&s) == 0 && check_exports(&s) == 0 &&
      m->nmemories > 1 && !(m->features & LULL_FEATURE_MULTI_MEMORY))
    mfail(&s, LULL_NO_OFFSET, "multiple memories: %u memories",
          m->nmemories);
  free_scratch(&s);
  return s.status;
}

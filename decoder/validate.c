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
                 "(min %u, max %u)", what, index, l->min, l->max);
  return 0;
}

static int check_tables(lulld_vstate *s) {
  for (uint32_t i = 0; i < s->m->ntables; i++)
    if (check_limits(s, &s->m->tables[i].limits, UINT32_MAX,
                     "table size must be at most 2^32-1", "table", i))
      return -1;
  return 0;
}

static int check_memories(lulld_vstate *s) {
  for (uint32_t i = 0; i < s->m->nmemories; i++)
    if (check_limits(s, &s->m->memories[i], LULLD_MAX_PAGES,
                     "memory size must be at most 65536 pages (4GiB)",
                     "memory", i))
      return -1;
  return 0;
}

/* A constant expression producing `want`, described by `where` for the
 * message. Only imported globals are visible to it (the spec's context
 * C'), and they must be immutable. */
static int check_const(lulld_vstate *s, const lulld_constexpr *e,
                       lull_valtype want, const char *where, uint32_t index) {
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
    if (e->index >= m->nglobal_imports)
      return mfail(s, e->offset, "unknown global %u: %s %u at offset 0x%x",
                   e->index, where, index, e->offset);
    if (m->globals[e->index].type.mut)
      return mfail(s, e->offset,
                   "constant expression required: %s %u at offset 0x%x "
                   "reads mutable global %u",
                   where, index, e->offset, e->index);
    t = m->globals[e->index].type.type;
    break;
  case LULLD_CONST_REF_FUNC:
    if (e->index >= m->nfuncs)
      return mfail(s, e->offset,
                   "unknown function %u: %s %u at offset 0x%x", e->index,
                   where, index, e->offset);
    t = LULL_FUNCREF;
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
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
    if (check_const(s, &m->globals[i].init, m->globals[i].type.type,
                    "global", i))
      return -1;
  return 0;
}

/* Items first, then the table and the offset (the reference
 * interpreter's order). */
static int check_elems(lulld_vstate *s) {
  const lulld_module *m = s->m;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const lulld_elem *e = &m->elems[i];
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
    if (check_const(s, &e->offset, LULL_I32, "element segment", i))
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
    if (check_const(s, &d->offset, LULL_I32, "data segment", i))
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
  static const char *const spaces[4] = {"function", "table", "memory",
                                        "global"};
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
                                                     : m->nglobals;
    if (e->kind > LULL_EXTERN_GLOBAL || e->index >= count) {
      rc = mfail(s, LULL_NO_OFFSET, "unknown %s %u: export \"%s\"",
                 spaces[e->kind & 3], e->index, e->name.str);
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
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes)
      return mfail(s, LULL_NO_OFFSET, "unknown type %u: function %u%s",
                   m->func_types[i], i,
                   i < m->nfunc_imports ? " (imported)" : "");
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
      m->nmemories > 1)
    mfail(&s, LULL_NO_OFFSET, "multiple memories: %u memories",
          m->nmemories);
  free_scratch(&s);
  return s.status;
}

/*
 * validate_types.c -- the type section's rules: type indices inside a
 * definition name types defined before its recursion group ends, a
 * declared supertype is earlier, not final, and of a matching structure,
 * and type_canon, iso-recursive type equivalence: two definitions are
 * equal when they sit at the same position of equal recursion groups,
 * a reference into its own group compared by position and one outside
 * by that type's canonical index.
 */
#include "validate_internal.h"

static int tfail(lulld_vstate *s, const char *what, uint32_t i,
                 const char *detail) {
  lulld_error(s->err, LULL_INVALID, LULL_NO_OFFSET, "%s: type %u%s", what,
              i, detail);
  s->status = LULL_INVALID;
  return -1;
}

static int unknown_in(lulld_vstate *s, uint32_t x, uint32_t i) {
  lulld_error(s->err, LULL_INVALID, LULL_NO_OFFSET,
              "unknown type %u: in type %u", x, i);
  s->status = LULL_INVALID;
  return -1;
}

/* The entries of types[] a definition has. */
static uint32_t ntypes_of(const lulld_functype *t) {
  return t->kind == LULLD_COMP_FUNC ? t->nparams + t->nresults : t->nfields;
}

/* A type index as compared across groups: inside the group starting at
 * `g` by its position (tagged above every index), else canonical. */
static uint64_t ref_key(const lulld_module *m, uint32_t g, uint32_t x) {
  const lulld_functype *t = &m->types[g];
  if (x >= g && x - g < t->nrec)
    return (1ull << 32) | (x - g);
  return x < m->ntypes ? m->type_canon[x] : x;
}

static uint64_t vt_key(const lulld_module *m, uint32_t g, lull_valtype t) {
  if (!LULL_VT_IS_INDEXED(t))
    return t;
  return ((uint64_t)LULLD_VT_FORM(t) << 40) ^ ref_key(m, g, LULL_VT_INDEX(t));
}

static uint64_t super_key(const lulld_module *m, uint32_t g, uint32_t x) {
  return x >= m->ntypes ? x : ref_key(m, g, x);
}

/* Are definitions i (group g) and j (group h) equal? */
static int same_def(const lulld_module *m, uint32_t g, uint32_t i,
                    uint32_t h, uint32_t j) {
  const lulld_functype *a = &m->types[i], *b = &m->types[j];
  if (a->kind != b->kind || a->final != b->final ||
      a->nparams != b->nparams || a->nresults != b->nresults ||
      a->nfields != b->nfields ||
      super_key(m, g, a->super) != super_key(m, h, b->super))
    return 0;
  for (uint32_t k = 0; k < a->nfields; k++)
    if (a->muts[k] != b->muts[k])
      return 0;
  for (uint32_t k = 0; k < ntypes_of(a); k++)
    if (vt_key(m, g, a->types[k]) != vt_key(m, h, b->types[k]))
      return 0;
  return 1;
}

static int same_group(const lulld_module *m, uint32_t g, uint32_t h) {
  uint32_t n = m->types[g].nrec;
  if (m->types[h].nrec != n)
    return 0;
  for (uint32_t k = 0; k < n; k++)
    if (!same_def(m, g, g + k, h, h + k))
      return 0;
  return 1;
}

static uint64_t mix(uint64_t h, uint64_t v) {
  return (h ^ v) * 0x100000001b3ull;
}

static uint32_t group_hash(const lulld_module *m, uint32_t g) {
  uint64_t h = mix(0xcbf29ce484222325ull, m->types[g].nrec);
  for (uint32_t i = g; i < g + m->types[g].nrec; i++) {
    const lulld_functype *t = &m->types[i];
    h = mix(h, t->kind | (uint64_t)t->final << 8 |
                   (uint64_t)t->nparams << 16 | (uint64_t)t->nfields << 40);
    h = mix(h, super_key(m, g, t->super));
    for (uint32_t k = 0; k < ntypes_of(t); k++)
      h = mix(h, vt_key(m, g, t->types[k]));
  }
  return (uint32_t)(h ^ (h >> 32));
}

/* type_canon by a hash table of the groups seen, linear in the size of
 * the types. */
static int canonicalize(lulld_vstate *s) {
  lulld_module *m = s->m;
  m->type_canon = lulld_calloc(&m->alloc, m->ntypes, sizeof *m->type_canon);
  size_t cap = 16;
  while (cap < (size_t)m->ntypes * 2)
    cap *= 2;
  uint32_t *slot = lulld_calloc(&m->alloc, cap, sizeof *slot);
  if (!m->type_canon || !slot) {
    lulld_free(&m->alloc, slot, slot ? cap * sizeof *slot : 0);
    return lulld_vnomem(s);
  }
  for (uint32_t g = 0; g < m->ntypes; g += m->types[g].nrec) {
    uint32_t rep = g;
    size_t h = group_hash(m, g) & (cap - 1);
    for (; slot[h]; h = (h + 1) & (cap - 1))
      if (same_group(m, slot[h] - 1, g)) {
        rep = slot[h] - 1;
        break;
      }
    if (!slot[h])
      slot[h] = g + 1;
    for (uint32_t k = 0; k < m->types[g].nrec; k++)
      m->type_canon[g + k] = rep + k;
  }
  lulld_free(&m->alloc, slot, cap * sizeof *slot);
  return 0;
}

/* A field of a subtype against the supertype's: the same mutability; a
 * mutable one of an equal type, an immutable one of a subtype (packed
 * types match only themselves). */
static int field_match(const lulld_module *m, const lulld_functype *a,
                       const lulld_functype *b, uint32_t k) {
  lull_valtype x = a->types[k], y = b->types[k];
  if (a->muts[k] != b->muts[k])
    return 0;
  if (a->muts[k] && !lulld_vt_match(m, y, x))
    return 0;
  return lulld_vt_match(m, x, y);
}

/* Does definition a's structure match its supertype b's? */
static int comp_match(const lulld_module *m, const lulld_functype *a,
                      const lulld_functype *b) {
  if (a->kind != b->kind)
    return 0;
  if (a->kind == LULLD_COMP_FUNC) {
    if (a->nparams != b->nparams || a->nresults != b->nresults)
      return 0;
    for (uint32_t k = 0; k < a->nparams; k++)
      if (!lulld_vt_match(m, b->types[k], a->types[k]))
        return 0;
    for (uint32_t k = a->nparams; k < a->nparams + a->nresults; k++)
      if (!lulld_vt_match(m, a->types[k], b->types[k]))
        return 0;
    return 1;
  }
  if (a->nfields < b->nfields ||
      (a->kind == LULLD_COMP_ARRAY && a->nfields != b->nfields))
    return 0;
  for (uint32_t k = 0; k < b->nfields; k++)
    if (!field_match(m, a, b, k))
      return 0;
  return 1;
}

int lulld_vdeftypes(lulld_vstate *s) {
  lulld_module *m = s->m;
  /* Indices first, and each one's code made its definition's kind, so
   * equal types have equal bits. */
  for (uint32_t i = 0; i < m->ntypes; i++) {
    lulld_functype *t = &m->types[i];
    uint32_t end = t->rec + t->nrec;
    for (uint32_t k = 0; k < ntypes_of(t); k++) {
      lull_valtype v = t->types[k];
      if (LULL_VT_IS_INDEXED(v) && LULL_VT_INDEX(v) >= end)
        return unknown_in(s, LULL_VT_INDEX(v), i);
      t->types[k] = lulld_vt_resolve(m, v);
    }
    if (t->super == LULLD_MANY_SUPERS)
      return tfail(s, "multiple supertypes", i, "");
    if (t->super != LULLD_NO_SUPER && t->super >= i)
      return unknown_in(s, t->super, i);
  }
  /* Only typed references name types in types: in Wasm 2.0 every index
   * is its own class, and nothing is allocated. */
  if (m->ntypes == 0 || m->type_canon ||
      !(m->features & LULL_FEATURE_FUNCTION_REFERENCES))
    return 0;
  if (canonicalize(s))
    return -1;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const lulld_functype *t = &m->types[i];
    if (t->super == LULLD_NO_SUPER)
      continue;
    const lulld_functype *b = &m->types[t->super];
    if (b->final)
      return tfail(s, "sub type", i, ": its supertype is final");
    if (!comp_match(m, t, b))
      return tfail(s, "sub type", i, ": does not match its supertype");
  }
  return 0;
}

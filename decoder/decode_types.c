/*
 * decode_types.c -- the sections that declare things: type, import,
 * function, table, memory, global, export, start and data count, and the
 * index spaces that imports and definitions share.
 */
#include "decode_internal.h"

/* Smallest encodings of one item, for allocation guards. */
#define MIN_IMPORT 4 /* two empty names, kind, one-byte index */
#define MIN_TABLE 3  /* reftype, flag, min */
#define MIN_MEMORY 2 /* flag, min */
#define MIN_GLOBAL 3 /* type, mutability, `end` */
#define MIN_EXPORT 3 /* empty name, kind, index */

/* Index space kinds, in lull_externkind order. */
#define SPACE_BIT(kind) (1u << (kind))

/*
 * Allocates one index space with its imports first and `ndefined` entries
 * for the definitions. Called by the section that defines them, or at the
 * end for a space without definitions; only the first call allocates.
 */
static int index_space(lulld_dctx *c, unsigned kind, uint32_t ndefined,
                       size_t at) {
  lulld_module *m = c->m;
  if (c->index_spaces_done & SPACE_BIT(kind))
    return 0;
  c->index_spaces_done |= SPACE_BIT(kind);
  uint32_t nimp = 0;
  switch (kind) {
  case LULL_EXTERN_FUNC: nimp = m->nfunc_imports; break;
  case LULL_EXTERN_TABLE: nimp = m->ntable_imports; break;
  case LULL_EXTERN_MEMORY: nimp = m->nmemory_imports; break;
  case LULL_EXTERN_TAG: nimp = m->ntag_imports; break;
  default: nimp = m->nglobal_imports; break;
  }
  uint64_t total = (uint64_t)nimp + ndefined;
  if (total > UINT32_MAX)
    return lulld_dfail(c, at, "length out of bounds", "index space too large");
  if (total == 0)
    return 0;
  uint32_t k = 0;
  switch (kind) {
  case LULL_EXTERN_FUNC:
    m->func_types = lulld_calloc(c->a, total, sizeof *m->func_types);
    if (!m->func_types)
      return lulld_dnomem(c, at);
    m->nfuncs = (uint32_t)total;
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == LULL_EXTERN_FUNC)
        m->func_types[k++] = m->imports[i].d.func;
    break;
  case LULL_EXTERN_TABLE:
    m->tables = lulld_calloc(c->a, total, sizeof *m->tables);
    if (!m->tables)
      return lulld_dnomem(c, at);
    m->ntables = (uint32_t)total;
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == LULL_EXTERN_TABLE)
        m->tables[k++] = m->imports[i].d.table;
    break;
  case LULL_EXTERN_MEMORY:
    m->memories = lulld_calloc(c->a, total, sizeof *m->memories);
    if (!m->memories)
      return lulld_dnomem(c, at);
    m->nmemories = (uint32_t)total;
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == LULL_EXTERN_MEMORY)
        m->memories[k++] = m->imports[i].d.memory;
    break;
  case LULL_EXTERN_TAG:
    m->tags = lulld_calloc(c->a, total, sizeof *m->tags);
    if (!m->tags)
      return lulld_dnomem(c, at);
    m->ntags = (uint32_t)total;
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == LULL_EXTERN_TAG)
        m->tags[k++] = m->imports[i].d.tag;
    break;
  default:
    m->globals = lulld_calloc(c->a, total, sizeof *m->globals);
    if (!m->globals)
      return lulld_dnomem(c, at);
    m->nglobals = (uint32_t)total;
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == LULL_EXTERN_GLOBAL)
        m->globals[k++].type = m->imports[i].d.global;
    break;
  }
  return 0;
}

int lulld_dindex_spaces(lulld_dctx *c, uint32_t nfuncs, uint32_t ntables,
                        uint32_t nmemories, uint32_t nglobals) {
  size_t at = c->r.pos;
  if (index_space(c, LULL_EXTERN_FUNC, nfuncs, at) ||
      index_space(c, LULL_EXTERN_TABLE, ntables, at) ||
      index_space(c, LULL_EXTERN_MEMORY, nmemories, at) ||
      index_space(c, LULL_EXTERN_GLOBAL, nglobals, at) ||
      index_space(c, LULL_EXTERN_TAG, 0, at))
    return -1;
  return 0;
}

/* A tag's type: the attribute byte (0, an exception), then a type index
 * whose checks are the validator's. */
static int tagtype(lulld_dctx *c, uint32_t *type) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint8_t attr = lulld_read_u8(r);
  if (lulld_dcheck(c))
    return -1;
  if (attr != 0)
    return lulld_dfail(c, at, "malformed tag attribute", "0x%02x", attr);
  *type = lulld_read_u32(r);
  return lulld_dcheck(c);
}

/*
 * Reads `n` value types into ts[from..from+n). The count was checked
 * against the bytes left, so the array is no larger than the module.
 */
static int valtypes(lulld_dctx *c, lull_valtype *ts, uint32_t from,
                    uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (lulld_dvaltype(c, &ts[from + i]))
      return -1;
  return 0;
}

/*
 * One function type's vectors (after 0x60): vec(valtype) params,
 * vec(valtype) results, read into one array (grown once the result count
 * is known). On failure *ft holds what was allocated, for functype_free.
 */
static int functype(lulld_dctx *c, lulld_functype *ft, size_t at) {
  lulld_reader *r = &c->r;
  uint32_t np = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  if (np) {
    ft->types = lulld_malloc(c->a, (size_t)np * sizeof *ft->types);
    if (!ft->types)
      return lulld_dnomem(c, at);
    ft->nparams = np;
  }
  if (valtypes(c, ft->types, 0, np))
    return -1;
  uint32_t nr = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  if (nr) {
    lull_valtype *t = lulld_realloc(c->a, ft->types,
                                    (size_t)np * sizeof *t,
                                    ((size_t)np + nr) * sizeof *t);
    if (!t)
      return lulld_dnomem(c, at);
    ft->types = t;
    ft->nresults = nr;
  }
  if (valtypes(c, ft->types, np, nr))
    return -1;
  if (np > LULLD_MAX_PARAMS)
    lulld_dtoo_many(c, LULL_LIMIT, at, "too many parameters", np,
                 LULLD_MAX_PARAMS);
  if (nr > LULLD_MAX_RESULTS)
    lulld_dtoo_many(c, LULL_LIMIT, at, "too many results", nr,
                 LULLD_MAX_RESULTS);
  size_t total = (size_t)np + nr;
  for (uint32_t i = 0; i < np; i++)
    ft->param_slots += lulld_slots_of(ft->types[i]);
  for (uint32_t i = np; i < total; i++)
    ft->result_slots += lulld_slots_of(ft->types[i]);
  return 0;
}

/* `n` fields of a struct (or the one of an array): a storage type (a
 * value type or a packed i8 / i16) and a mutability byte each. */
static int fields(lulld_dctx *c, lulld_functype *ft, uint32_t n, size_t at) {
  lulld_reader *r = &c->r;
  if (n) {
    ft->types = lulld_calloc(c->a, n, sizeof *ft->types);
    ft->muts = lulld_calloc(c->a, n, 1);
    ft->nfields = n;
    if (!ft->types || !ft->muts)
      return lulld_dnomem(c, at);
  }
  for (uint32_t i = 0; i < n; i++) {
    if (r->pos < r->end && (r->base[r->pos] == LULLD_PACKED_I8 ||
                            r->base[r->pos] == LULLD_PACKED_I16))
      ft->types[i] = r->base[r->pos++];
    else if (lulld_dvaltype(c, &ft->types[i]))
      return -1;
    size_t mat = r->pos;
    uint8_t mut = lulld_read_u8(r);
    if (lulld_dcheck(c))
      return -1;
    if (mut > 1)
      return lulld_dfail(c, mat, "malformed mutability", "0x%02x", mut);
    ft->muts[i] = mut;
  }
  return 0;
}

/* A composite type: 0x60 function, and with GC 0x5F struct, 0x5E array. */
static int comptype(lulld_dctx *c, lulld_functype *ft) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint8_t form = lulld_read_u8(r);
  if (lulld_dcheck(c))
    return -1;
  if (form & 0x80)
    return lulld_dfail(c, at + 1, "integer representation too long", NULL);
  int gc = (c->m->features & LULL_FEATURE_GC) != 0;
  if (form == 0x60)
    return functype(c, ft, at);
  if (gc && form == 0x5F) {
    ft->kind = LULLD_COMP_STRUCT;
    uint32_t n = lulld_dlen(r);
    return lulld_dcheck(c) || fields(c, ft, n, at) ? -1 : 0;
  }
  if (gc && form == 0x5E) {
    ft->kind = LULLD_COMP_ARRAY;
    return fields(c, ft, 1, at);
  }
  return lulld_dfail(c, at, "malformed function type", "0x%02x", form);
}

/* A subtype: with GC, 0x50 (open) or 0x4F (final), the supertypes, then
 * the composite type; a bare composite type is final with none. More
 * than one supertype is kept as LULLD_MANY_SUPERS for the validator. */
static int subtype(lulld_dctx *c, lulld_functype *ft) {
  lulld_reader *r = &c->r;
  ft->final = 1;
  ft->super = LULLD_NO_SUPER;
  if ((c->m->features & LULL_FEATURE_GC) && r->pos < r->end &&
      (r->base[r->pos] == 0x50 || r->base[r->pos] == 0x4F)) {
    ft->final = r->base[r->pos++] == 0x4F;
    uint32_t n = lulld_dlen(r);
    if (lulld_dcheck(c))
      return -1;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t x = lulld_read_u32(r);
      if (lulld_dcheck(c))
        return -1;
      ft->super = i == 0 ? x : LULLD_MANY_SUPERS;
    }
  }
  return comptype(c, ft);
}

static void functype_free(const lulld_alloc *a, lulld_functype *ft) {
  size_t n = ft->kind == LULLD_COMP_FUNC
                 ? (size_t)ft->nparams + ft->nresults
                 : ft->nfields;
  if (ft->types)
    lulld_free(a, ft->types, n * sizeof *ft->types);
  if (ft->muts)
    lulld_free(a, ft->muts, ft->nfields);
  ft->types = NULL;
  ft->muts = NULL;
}

/* One recursion group: with GC, 0x4E and a vector of subtypes; otherwise
 * (and for a subtype outside `rec`) a group of one. Each definition is
 * counted in m->types before it is read, so a failure frees it with the
 * rest. */
static int rectype(lulld_dctx *c) {
  lulld_module *m = c->m;
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t k = 1;
  if ((m->features & LULL_FEATURE_GC) && r->pos < r->end &&
      r->base[r->pos] == 0x4E) {
    r->pos++;
    k = lulld_dlen(r);
    if (lulld_dcheck(c))
      return -1;
  }
  uint32_t first = m->ntypes;
  if ((uint64_t)first + k > LULL_VT_MAX_INDEX)
    return lulld_dfail(c, at, "too many types", "%u", first + k);
  for (uint32_t i = 0; i < k; i++) {
    if (LULLD_GROW(c->a, m->types, &m->cap_types, (size_t)m->ntypes + 1))
      return lulld_dnomem(c, at);
    lulld_functype *ft = &m->types[m->ntypes++];
    memset(ft, 0, sizeof *ft);
    ft->rec = first;
    ft->nrec = k;
    if (subtype(c, ft))
      return -1;
  }
  return 0;
}

int lulld_dtype_section(lulld_dctx *c) {
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  for (uint32_t i = 0; i < n; i++)
    if (rectype(c))
      return -1;
  return 0;
}

static void import_free(const lulld_alloc *a, lulld_import *im) {
  lulld_dname_free(a, &im->module);
  lulld_dname_free(a, &im->name);
}

/* The part of an import after its two names. */
static int import_desc(lulld_dctx *c, lulld_import *im) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  im->kind = lulld_read_u8(r);
  if (lulld_dcheck(c))
    return -1;
  switch (im->kind) {
  case LULL_EXTERN_FUNC:
    im->d.func = lulld_read_u32(r);
    return lulld_dcheck(c);
  case LULL_EXTERN_TABLE:
    return lulld_dtabletype(c, &im->d.table);
  case LULL_EXTERN_MEMORY:
    return lulld_dlimits(c, &im->d.memory);
  case LULL_EXTERN_GLOBAL:
    return lulld_dglobaltype(c, &im->d.global);
  case LULL_EXTERN_TAG:
    if (c->m->features & LULL_FEATURE_EXCEPTIONS)
      return tagtype(c, &im->d.tag);
    /* fall through */
  default:
    return lulld_dfail(c, at, "malformed import kind", "0x%02x", im->kind);
  }
}

int lulld_dimport_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(&c->r, c->sec_end, n, MIN_IMPORT)) {
    m->imports = lulld_calloc(c->a, n, sizeof *m->imports);
    if (!m->imports)
      return lulld_dnomem(c, at);
    m->nimports = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_import scratch;
    memset(&scratch, 0, sizeof scratch);
    lulld_import *im = m->imports ? &m->imports[i] : &scratch;
    int bad = lulld_dname(c, &im->module) || lulld_dname(c, &im->name) ||
              import_desc(c, im);
    if (im == &scratch)
      import_free(c->a, im);
    if (bad)
      return -1;
    switch (im->kind) {
    case LULL_EXTERN_FUNC: m->nfunc_imports++; break;
    case LULL_EXTERN_TABLE: m->ntable_imports++; break;
    case LULL_EXTERN_MEMORY: m->nmemory_imports++; break;
    case LULL_EXTERN_TAG: m->ntag_imports++; break;
    default: m->nglobal_imports++; break;
    }
  }
  return 0;
}

int lulld_dfunction_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  int keep = lulld_dfits(&c->r, c->sec_end, n, 1);
  if (keep && index_space(c, LULL_EXTERN_FUNC, n, at))
    return -1;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t t = lulld_read_u32(&c->r);
    if (lulld_dcheck(c))
      return -1;
    if (keep)
      m->func_types[m->nfunc_imports + i] = t;
  }
  c->nfunc_decls = n;
  return 0;
}

/* A defined table: a table type, or with typed function references
 * 0x40 0x00, a table type and the expression that fills it. */
static int table(lulld_dctx *c, lulld_tabletype *t, lulld_constexpr *init) {
  lulld_reader *r = &c->r;
  memset(init, 0, sizeof *init);
  init->op = LULLD_CONST_ABSENT;
  if ((c->m->features & LULL_FEATURE_FUNCTION_REFERENCES) &&
      r->pos < r->end && r->base[r->pos] == 0x40) {
    size_t at = ++r->pos;
    if (lulld_read_u8(r) != 0x00 && !r->err)
      return lulld_dfail(c, at, "malformed table", "0x40 not followed by 0");
    if (lulld_dcheck(c) || lulld_dtabletype(c, t))
      return -1;
    return lulld_dconstexpr(c, init);
  }
  return lulld_dtabletype(c, t);
}

int lulld_dtable_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  int keep = lulld_dfits(&c->r, c->sec_end, n, MIN_TABLE);
  if (keep && index_space(c, LULL_EXTERN_TABLE, n, at))
    return -1;
  if (keep && n) {
    m->table_inits = lulld_calloc(c->a, n, sizeof *m->table_inits);
    if (!m->table_inits)
      return lulld_dnomem(c, at);
    m->ntable_inits = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_tabletype t;
    lulld_constexpr init;
    if (table(c, &t, &init))
      return -1;
    if (keep) {
      m->tables[m->ntable_imports + i] = t;
      if (i < m->ntable_inits)
        m->table_inits[i] = init;
    }
  }
  return 0;
}

int lulld_dmemory_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  int keep = lulld_dfits(&c->r, c->sec_end, n, MIN_MEMORY);
  if (keep && index_space(c, LULL_EXTERN_MEMORY, n, at))
    return -1;
  for (uint32_t i = 0; i < n; i++) {
    lulld_limits l;
    if (lulld_dlimits(c, &l))
      return -1;
    if (keep)
      m->memories[m->nmemory_imports + i] = l;
  }
  return 0;
}

int lulld_dglobal_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  int keep = lulld_dfits(&c->r, c->sec_end, n, MIN_GLOBAL);
  if (keep && index_space(c, LULL_EXTERN_GLOBAL, n, at))
    return -1;
  for (uint32_t i = 0; i < n; i++) {
    lulld_global g;
    if (lulld_dglobaltype(c, &g.type) || lulld_dconstexpr(c, &g.init))
      return -1;
    if (keep)
      m->globals[m->nglobal_imports + i] = g;
  }
  return 0;
}

int lulld_dexport_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t n = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(r, c->sec_end, n, MIN_EXPORT)) {
    m->exports = lulld_calloc(c->a, n, sizeof *m->exports);
    if (!m->exports)
      return lulld_dnomem(c, at);
    m->nexports = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_export scratch;
    memset(&scratch, 0, sizeof scratch);
    lulld_export *ex = m->exports ? &m->exports[i] : &scratch;
    int bad = lulld_dname(c, &ex->name);
    if (!bad) {
      size_t kat = r->pos;
      ex->kind = lulld_read_u8(r);
      bad = lulld_dcheck(c);
      unsigned last = (c->m->features & LULL_FEATURE_EXCEPTIONS)
                          ? LULL_EXTERN_TAG
                          : LULL_EXTERN_GLOBAL;
      if (!bad && ex->kind > last)
        bad = lulld_dfail(c, kat, "malformed export kind", "0x%02x",
                          ex->kind);
      if (!bad) {
        ex->index = lulld_read_u32(r);
        bad = lulld_dcheck(c);
      }
    }
    if (ex == &scratch)
      lulld_dname_free(c->a, &ex->name);
    if (bad)
      return -1;
  }
  return 0;
}

int lulld_dtag_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  int keep = lulld_dfits(&c->r, c->sec_end, n, 2);
  if (keep && index_space(c, LULL_EXTERN_TAG, n, at))
    return -1;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t t;
    if (tagtype(c, &t))
      return -1;
    if (keep)
      m->tags[m->ntag_imports + i] = t;
  }
  return 0;
}

int lulld_dstart_section(lulld_dctx *c) {
  c->m->start = lulld_read_u32(&c->r);
  c->m->has_start = 1;
  return lulld_dcheck(c);
}

int lulld_ddatacount_section(lulld_dctx *c) {
  c->m->datacount = lulld_read_u32(&c->r);
  c->m->has_datacount = 1;
  return lulld_dcheck(c);
}

void lulld_ddecls_free(lulld_module *m) {
  const lulld_alloc *a = &m->alloc;
  for (uint32_t i = 0; i < m->ntypes; i++)
    functype_free(a, &m->types[i]);
  if (m->types)
    lulld_free(a, m->types, m->cap_types * sizeof *m->types);
  for (uint32_t i = 0; i < m->nimports; i++)
    import_free(a, &m->imports[i]);
  if (m->imports)
    lulld_free(a, m->imports, (size_t)m->nimports * sizeof *m->imports);
  if (m->func_types)
    lulld_free(a, m->func_types, (size_t)m->nfuncs * sizeof *m->func_types);
  if (m->tables)
    lulld_free(a, m->tables, (size_t)m->ntables * sizeof *m->tables);
  if (m->table_inits)
    lulld_free(a, m->table_inits,
               (size_t)m->ntable_inits * sizeof *m->table_inits);
  if (m->memories)
    lulld_free(a, m->memories, (size_t)m->nmemories * sizeof *m->memories);
  if (m->globals)
    lulld_free(a, m->globals, (size_t)m->nglobals * sizeof *m->globals);
  if (m->tags)
    lulld_free(a, m->tags, (size_t)m->ntags * sizeof *m->tags);
  for (uint32_t i = 0; i < m->nexports; i++)
    lulld_dname_free(a, &m->exports[i].name);
  if (m->exports)
    lulld_free(a, m->exports, (size_t)m->nexports * sizeof *m->exports);
  m->types = NULL;
  m->imports = NULL;
  m->func_types = NULL;
  m->tables = NULL;
  m->memories = NULL;
  m->globals = NULL;
  m->tags = NULL;
  m->exports = NULL;
}

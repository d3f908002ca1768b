/*
 * decode.c -- the decoder's driver: the header, the section loop with its
 * order, duplicate and size rules, the checks that need the whole module,
 * and freeing a module. Each section's contents are read in decode_*.c.
 */
#include "decode_internal.h"

/* Offsets are kept in 32 bits (and a body's end may lie a LEB128 beyond
 * the last byte while it is being checked). */
#define MAX_MODULE_SIZE ((size_t)UINT32_MAX - 16)

/* Position of each known section in the required order; custom sections
 * (rank 0) may appear anywhere. The data count section sits between the
 * element and code sections although its id is the largest; the tag
 * section, between memory and global. */
static const uint8_t section_rank[LULLD_SEC_LAST_ID + 1] = {
    [LULLD_SEC_CUSTOM] = 0,    [LULLD_SEC_TYPE] = 1,
    [LULLD_SEC_IMPORT] = 2,    [LULLD_SEC_FUNCTION] = 3,
    [LULLD_SEC_TABLE] = 4,     [LULLD_SEC_MEMORY] = 5,
    [LULLD_SEC_TAG] = 6,       [LULLD_SEC_GLOBAL] = 7,
    [LULLD_SEC_EXPORT] = 8,    [LULLD_SEC_START] = 9,
    [LULLD_SEC_ELEMENT] = 10,  [LULLD_SEC_DATACOUNT] = 11,
    [LULLD_SEC_CODE] = 12,     [LULLD_SEC_DATA] = 13,
};

static const char *const section_name[LULLD_SEC_LAST_ID + 1] = {
    "custom", "type",   "import", "function", "table", "memory",   "global",
    "export", "start",  "element", "code",    "data",  "data count", "tag",
};

/*
 * A custom section: its name, then anything. Only "name" is looked at.
 * As in the reference interpreter, a name that runs past the declared
 * size is an unexpected end (it cannot skip a negative number of bytes),
 * and so is a section that runs past the module.
 */
static int custom_section(lulld_dctx *c) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t n = lulld_dlen(r);
  const uint8_t *s = lulld_read_bytes(r, n);
  if (lulld_dcheck(c))
    return -1;
  if (!lulld_utf8_valid(s, n))
    return lulld_dfail(c, at, "malformed UTF-8 encoding",
                       "custom section name");
  if (r->pos > c->sec_end)
    return lulld_dfail(c, c->sec_end, "unexpected end of section or function",
                       "custom section name runs past the section");
  /* A declared size may reach a few bytes past the module (lengths are
   * checked from where the size field starts); skipping there fails. */
  if (c->sec_end > r->end)
    return lulld_dfail(c, r->end, "unexpected end of section or function",
                       "custom section runs past the module");
  if (n == 4 && memcmp(s, "name", 4) == 0 &&
      lulld_dname_section(c, r->pos, c->sec_end))
    return -1;
  /* Kept for lull_module_custom: embedders read their own sections. */
  lulld_module *m = c->m;
  if (LULLD_GROW(c->a, m->customs, &m->cap_customs, (size_t)m->ncustoms + 1))
    return lulld_dnomem(c, at);
  lulld_custom *cs = &m->customs[m->ncustoms];
  cs->name.str = lulld_strndup(c->a, (const char *)s, n);
  if (!cs->name.str)
    return lulld_dnomem(c, at);
  cs->name.len = n;
  cs->offset = (uint32_t)r->pos;
  cs->len = (uint32_t)(c->sec_end - r->pos);
  m->ncustoms++;
  r->pos = c->sec_end;
  return 0;
}

static void customs_free(lulld_module *m) {
  for (uint32_t i = 0; i < m->ncustoms; i++)
    lulld_dname_free(&m->alloc, &m->customs[i].name);
  if (m->customs)
    lulld_free(&m->alloc, m->customs, m->cap_customs * sizeof *m->customs);
}

static int section_body(lulld_dctx *c, uint8_t id) {
  switch (id) {
  case LULLD_SEC_CUSTOM: return custom_section(c);
  case LULLD_SEC_TYPE: return lulld_dtype_section(c);
  case LULLD_SEC_IMPORT: return lulld_dimport_section(c);
  case LULLD_SEC_FUNCTION: return lulld_dfunction_section(c);
  case LULLD_SEC_TABLE: return lulld_dtable_section(c);
  case LULLD_SEC_MEMORY: return lulld_dmemory_section(c);
  case LULLD_SEC_GLOBAL: return lulld_dglobal_section(c);
  case LULLD_SEC_EXPORT: return lulld_dexport_section(c);
  case LULLD_SEC_START: return lulld_dstart_section(c);
  case LULLD_SEC_ELEMENT: return lulld_delem_section(c);
  case LULLD_SEC_CODE: return lulld_dcode_section(c);
  case LULLD_SEC_DATA: return lulld_ddata_section(c);
  case LULLD_SEC_TAG: return lulld_dtag_section(c);
  default: return lulld_ddatacount_section(c);
  }
}

/*
 * The section loop. A known section that is out of order or repeated ends
 * the module as far as the reference interpreter is concerned, so it is
 * "unexpected content after last section".
 */
static int sections(lulld_dctx *c) {
  lulld_reader *r = &c->r;
  unsigned last = 0;
  while (!lulld_reader_eof(r)) {
    size_t at = r->pos;
    uint8_t id = r->base[at];
    if (id > LULLD_SEC_LAST_ID ||
        (id == LULLD_SEC_TAG &&
         !(c->m->features & LULL_FEATURE_EXCEPTIONS)))
      return lulld_dfail(c, at, "malformed section id", "%u", id);
    unsigned rank = section_rank[id];
    if (id != LULLD_SEC_CUSTOM && rank <= last)
      return lulld_dfail(c, at, "unexpected content after last section",
                         "%s section", section_name[id]);
    r->pos++;
    uint32_t size = lulld_dlen(r);
    if (lulld_dcheck(c))
      return -1;
    size_t start = r->pos;
    c->sec_end = start + size;
    c->in_section = 1;
    if (section_body(c, id))
      return -1;
    c->in_section = 0;
    if (r->pos != c->sec_end)
      return lulld_dfail(c, r->pos, "section size mismatch",
                         "%s section at 0x%zx declares %u bytes, its "
                         "contents end at 0x%zx",
                         section_name[id], at, size, r->pos);
    if (id != LULLD_SEC_CUSTOM)
      last = rank;
  }
  return 0;
}

static void mark(uint8_t *bits, uint32_t nfuncs, uint32_t f) {
  if (f < nfuncs)
    bits[f >> 3] |= (uint8_t)(1u << (f & 7));
}

static void mark_expr(uint8_t *bits, uint32_t nfuncs,
                      const lulld_constexpr *x) {
  if (x->op == LULLD_CONST_REF_FUNC)
    mark(bits, nfuncs, x->index);
}

/*
 * C.refs of the spec: every function index that occurs in the module
 * outside function bodies and the start section. Only those may be named
 * by ref.func in a body. Indices out of range are the validator's to
 * report, so they are not recorded.
 */
static int declared_refs(lulld_dctx *c) {
  lulld_module *m = c->m;
  if (m->nfuncs == 0)
    return 0;
  uint8_t *bits = lulld_calloc(c->a, ((size_t)m->nfuncs + 7) / 8, 1);
  if (!bits)
    return lulld_dnomem(c, m->len);
  m->declared_refs = bits;
  for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
    mark_expr(bits, m->nfuncs, &m->globals[i].init);
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == LULL_EXTERN_FUNC)
      mark(bits, m->nfuncs, m->exports[i].index);
  for (uint32_t i = 0; i < m->nelems; i++) {
    const lulld_elem *e = &m->elems[i];
    if (e->mode == LULLD_SEG_ACTIVE)
      mark_expr(bits, m->nfuncs, &e->offset);
    for (uint32_t k = 0; e->funcs && k < e->count; k++)
      mark(bits, m->nfuncs, e->funcs[k]);
    for (uint32_t k = 0; e->exprs && k < e->count; k++)
      mark_expr(bits, m->nfuncs, &e->exprs[k]);
  }
  for (uint32_t i = 0; i < m->ndatas; i++)
    if (m->datas[i].mode == LULLD_SEG_ACTIVE)
      mark_expr(bits, m->nfuncs, &m->datas[i].offset);
  return 0;
}

/*
 * What can only be checked once every section is read, in the order the
 * reference interpreter checks it (its offset for these is the end of
 * the module; a data count problem without a better place gets it too).
 */
static int whole_module(lulld_dctx *c) {
  lulld_module *m = c->m;
  if (lulld_dindex_spaces(c, 0, 0, 0, 0))
    return -1;
  if (m->ncodes != c->nfunc_decls)
    return lulld_dfail(c, m->len,
                       "function and code section have inconsistent lengths",
                       "%u functions, %u bodies", c->nfunc_decls, m->ncodes);
  if (m->has_datacount && m->datacount != m->ndatas)
    return lulld_dfail(c, m->len,
                       "data count and data section have inconsistent lengths",
                       "data count %u, %u segments", m->datacount, m->ndatas);
  /* Without any data segment every data index is unknown, which the
   * validator reports ("unknown data segment"); the testsuite's binary
   * forms of such invalid modules (wast2json writes no data count section
   * when there is no data) must reach it rather than fail here. */
  if (!m->has_datacount && c->first_data_use && m->ndatas > 0)
    return lulld_dfail(c, c->first_data_use - 1, "data count section required",
                       "memory.init or data.drop");
  if (lulld_dtoo_many_report(c))
    return -1;
  return declared_refs(c);
}

static int header(lulld_dctx *c) {
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
  static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
  const lulld_module *m = c->m;
  if (m->len < 4)
    return lulld_dfail(c, m->len, "unexpected end", "no magic header");
  if (memcmp(m->bytes, magic, 4) != 0)
    return lulld_dfail(c, 0, "magic header not detected", NULL);
  if (m->len < 8)
    return lulld_dfail(c, m->len, "unexpected end", "no version");
  if (memcmp(m->bytes + 4, version, 4) != 0)
    return lulld_dfail(c, 4, "unknown binary version", NULL);
  c->r.pos = 8;
  return 0;
}

lull_status lulld_decode(const lulld_alloc *a, uint32_t features,
                         const uint8_t *bytes, size_t len, lulld_module **out,
                         lull_error *err) {
  if (out)
    *out = NULL;
  if (!a || !out || (!bytes && len))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lulld_decode: no allocator, output or bytes");
  if (len > MAX_MODULE_SIZE)
    return lulld_error(err, LULL_LIMIT, LULL_NO_OFFSET,
                       "module too large (%zu bytes)", len);
  lulld_module *m = lulld_calloc(a, 1, sizeof *m);
  if (!m)
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET,
                       "out of memory decoding the module");
  m->alloc = *a;
  m->features = features;
  if (len) {
    m->bytes = lulld_malloc(a, len);
    if (!m->bytes) {
      lulld_free(a, m, sizeof *m);
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET,
                         "out of memory copying the module");
    }
    memcpy(m->bytes, bytes, len);
    m->len = len;
  }
  lulld_dctx c;
  memset(&c, 0, sizeof c);
  c.m = m;
  c.a = &m->alloc;
  c.err = err;
  c.status = LULL_OK;
  lulld_reader_init(&c.r, m->bytes, 0, len);

  if (header(&c) == 0 && sections(&c) == 0)
    (void)whole_module(&c);

  if (c.blocks)
    lulld_free(c.a, c.blocks, c.blocks_cap);
  if (c.status != LULL_OK) {
    lulld_module_free(m);
    return c.status;
  }
  *out = m;
  return LULL_OK;
}

void lulld_module_free(lulld_module *m) {
  if (!m)
    return;
  lulld_alloc a = m->alloc;
  if (m->declared_refs)
    lulld_free(&a, m->declared_refs, ((size_t)m->nfuncs + 7) / 8);
  if (m->type_canon)
    lulld_free(&a, m->type_canon, (size_t)m->ntypes * sizeof *m->type_canon);
  lulld_ddecls_free(m);
  lulld_delems_free(m);
  if (m->datas)
    lulld_free(&a, m->datas, (size_t)m->ndatas * sizeof *m->datas);
  lulld_dcodes_free(m);
  lulld_dnames_free(m);
  customs_free(m);
  if (m->bytes)
    lulld_free(&a, m->bytes, m->len);
  lulld_free(&a, m, sizeof *m);
}

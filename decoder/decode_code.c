/*
 * decode_code.c -- the code section: entries, local declarations, and the
 * check that each body (scanned by decode_scan.c) ends exactly at its
 * declared size.
 */
#include "decode_internal.h"

#define MIN_CODE 3  /* size, empty locals vector, `end` */
#define MIN_GROUP 2 /* count, type */

/*
 * The local declarations: vec(count, type). The reference interpreter
 * reads them all before it checks the total ("too many locals" when it
 * reaches 2^32); the implementation limit LULLD_MAX_LOCALS gets the same
 * wording (see lulld_dtoo_many). Groups are kept only when the body has
 * room for them.
 */
static int locals(lulld_dctx *c, lulld_code *cd, size_t body_end) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t n = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(r, body_end, n, MIN_GROUP)) {
    cd->groups = lulld_malloc(c->a, (size_t)n * sizeof *cd->groups);
    if (!cd->groups)
      return lulld_dnomem(c, at);
    cd->ngroups = n;
  }
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t count = lulld_read_u32(r);
    lull_valtype type;
    if (lulld_dcheck(c) || lulld_dvaltype(c, &type))
      return -1;
    total += count;
    if (cd->groups) {
      cd->groups[i].count = count;
      cd->groups[i].type = type;
    }
  }
  if (total > UINT32_MAX)
    return lulld_dfail(c, at, "too many locals", "%llu declared",
                       (unsigned long long)total);
  /* Within the format's bound but beyond this implementation's: the same
   * wording, reported once the rest of the module is known to be
   * well-formed. */
  if (total > LULLD_MAX_LOCALS)
    lulld_dtoo_many(c, LULL_MALFORMED, at, "too many locals", total,
                 LULLD_MAX_LOCALS);
  cd->nlocals = (uint32_t)total;
  return 0;
}

static void code_free(const lulld_alloc *a, lulld_code *cd) {
  if (cd->groups)
    lulld_free(a, cd->groups, (size_t)cd->ngroups * sizeof *cd->groups);
  cd->groups = NULL;
  cd->ngroups = 0;
}

/* One entry: size, locals, body; the body's closing `end` must be its
 * last byte. */
static int code_entry(lulld_dctx *c, lulld_code *cd) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t size = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  size_t start = r->pos;
  size_t body_end = start + size;
  cd->offset = (uint32_t)at;
  cd->end = (uint32_t)body_end;
  if (locals(c, cd, body_end))
    return -1;
  cd->body = (uint32_t)r->pos;
  if (lulld_dscan(c, NULL))
    return -1;
  if (r->pos != body_end)
    return lulld_dfail(c, r->pos, "section size mismatch",
                       "function body at 0x%zx declares %u bytes, its code "
                       "ends at 0x%zx",
                       at, size, r->pos);
  return 0;
}

int lulld_dcode_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(&c->r, c->sec_end, n, MIN_CODE)) {
    m->codes = lulld_calloc(c->a, n, sizeof *m->codes);
    if (!m->codes)
      return lulld_dnomem(c, at);
    m->ncodes = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_code scratch;
    memset(&scratch, 0, sizeof scratch);
    lulld_code *cd = m->codes ? &m->codes[i] : &scratch;
    int bad = code_entry(c, cd);
    if (cd == &scratch)
      code_free(c->a, cd);
    if (bad)
      return -1;
  }
  return 0;
}

void lulld_dcodes_free(lulld_module *m) {
  for (uint32_t i = 0; i < m->ncodes; i++)
    code_free(&m->alloc, &m->codes[i]);
  if (m->codes)
    lulld_free(&m->alloc, m->codes, (size_t)m->ncodes * sizeof *m->codes);
  m->codes = NULL;
  m->ncodes = 0;
}

/*
 * Local `index` of a defined function: parameters first, then the groups
 * in order. A linear walk over the groups, which are few in practice; the
 * compiler resolves every local once.
 */
lull_valtype lulld_local_type(const lulld_functype *ft, const lulld_code *code,
                         uint32_t index) {
  if (index < ft->nparams)
    return ft->types[index];
  index -= ft->nparams;
  for (uint32_t i = 0; i < code->ngroups; i++) {
    if (index < code->groups[i].count)
      return code->groups[i].type;
    index -= code->groups[i].count;
  }
  return 0;
}

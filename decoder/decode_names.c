/*
 * decode_names.c -- the `name` custom section: the module name
 * (subsection 0) and function names (subsection 1), kept for traps and
 * backtraces. The section is optional debug information: when it is
 * malformed it is dropped, never making the module malformed. It is read
 * with its own reader bounded by the section, so bad contents can never
 * make it read past the section either.
 */
#include "decode_internal.h"

#define SUB_MODULE 0
#define SUB_FUNCS 1
#define MIN_NAMEMAP_ENTRY 2 /* index, empty name */

/* Reads a name in place; 0 when it is well-formed UTF-8. */
static int name_in_place(lulld_reader *r, const uint8_t **s, uint32_t *n) {
  *n = lulld_read_u32(r);
  *s = lulld_read_bytes(r, *n);
  return r->err || !lulld_utf8_valid(*s, *n) ? -1 : 0;
}

/* Returns 1 when the subsection is malformed, -1 when out of memory. */
static int module_name(lulld_dctx *c, lulld_reader *r) {
  const uint8_t *s;
  uint32_t n;
  if (name_in_place(r, &s, &n) || !lulld_reader_eof(r))
    return 1;
  c->m->module_name.str = lulld_strndup(c->a, (const char *)s, n);
  if (!c->m->module_name.str)
    return lulld_dnomem(c, r->pos);
  c->m->module_name.len = n;
  return 0;
}

/* A name map, in strictly increasing index order as the spec requires.
 * Returns 1 when it is malformed, -1 when out of memory. */
static int func_names(lulld_dctx *c, lulld_reader *r) {
  lulld_module *m = c->m;
  uint32_t n = lulld_read_u32(r);
  if (r->err || !lulld_dfits(r, r->end, n, MIN_NAMEMAP_ENTRY))
    return 1;
  if (n == 0)
    return lulld_reader_eof(r) ? 0 : 1;
  m->funcnames = lulld_calloc(c->a, n, sizeof *m->funcnames);
  if (!m->funcnames)
    return lulld_dnomem(c, r->pos);
  m->nfuncnames = n;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t index = lulld_read_u32(r);
    const uint8_t *s;
    uint32_t len;
    if (name_in_place(r, &s, &len))
      return 1;
    if (i > 0 && index <= m->funcnames[i - 1].index)
      return 1;
    lulld_funcname *f = &m->funcnames[i];
    f->index = index;
    f->name.str = lulld_strndup(c->a, (const char *)s, len);
    if (!f->name.str)
      return lulld_dnomem(c, r->pos);
    f->name.len = len;
  }
  return lulld_reader_eof(r) ? 0 : 1;
}

/*
 * Subsections: id byte, u32 size, contents; ids in increasing order, each
 * at most once. Unknown ones (local names and the extended name section's
 * others) are skipped.
 */
int lulld_dname_section(lulld_dctx *c, size_t pos, size_t end) {
  lulld_module *m = c->m;
  if (m->funcnames || m->module_name.str)
    return 0; /* only the first name section counts */
  lulld_reader r;
  lulld_reader_init(&r, m->bytes, pos, end);
  int last = -1;
  int bad = 0;
  while (!bad && !lulld_reader_eof(&r)) {
    uint8_t id = lulld_read_u8(&r);
    uint32_t size = lulld_read_u32(&r);
    if (r.err || size > r.end - r.pos || (int)id <= last) {
      bad = 1;
      break;
    }
    last = id;
    lulld_reader sub;
    lulld_reader_init(&sub, m->bytes, r.pos, r.pos + size);
    r.pos += size;
    if (id == SUB_MODULE)
      bad = module_name(c, &sub);
    else if (id == SUB_FUNCS)
      bad = func_names(c, &sub);
  }
  if (bad)
    lulld_dnames_free(m);
  return bad < 0 ? -1 : 0;
}

void lulld_dnames_free(lulld_module *m) {
  for (uint32_t i = 0; i < m->nfuncnames; i++)
    lulld_dname_free(&m->alloc, &m->funcnames[i].name);
  if (m->funcnames)
    lulld_free(&m->alloc, m->funcnames,
               (size_t)m->nfuncnames * sizeof *m->funcnames);
  m->funcnames = NULL;
  m->nfuncnames = 0;
  lulld_dname_free(&m->alloc, &m->module_name);
}

/* Binary search: the names are sorted by index. */
const char *lulld_func_name(const lulld_module *m, uint32_t index) {
  uint32_t lo = 0, hi = m->nfuncnames;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t k = m->funcnames[mid].index;
    if (k == index)
      return m->funcnames[mid].name.str;
    if (k < index)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/*
 * decode_segments.c -- the element section (all 8 encodings) and the data
 * section (all 3).
 */
#include "decode_internal.h"

#define MIN_ELEM 3 /* flags, offset `end` or element kind, empty vector */
#define MIN_DATA 2 /* flags 1, empty bytes */

/*
 * Element segment flags, as the spec encodes them:
 *   bit 0  passive or declarative (else active)
 *   bit 1  with bit 0: declarative; without: an explicit table index
 *   bit 2  items are expressions (else function indices)
 * Encodings 0 and 4 (active, table 0) have no element kind or type byte
 * and mean funcref.
 */
#define ELEM_NOT_ACTIVE 1u
#define ELEM_TABLE_OR_DECL 2u
#define ELEM_EXPRS 4u

static void elem_free(const lulld_alloc *a, lulld_elem *e) {
  if (e->funcs)
    lulld_free(a, e->funcs, (size_t)e->count * sizeof *e->funcs);
  if (e->exprs)
    lulld_free(a, e->exprs, (size_t)e->count * sizeof *e->exprs);
  e->funcs = NULL;
  e->exprs = NULL;
}

/* The head of a segment: flags, mode, table, offset and element type. */
static int elem_head(lulld_dctx *c, lulld_elem *e, uint32_t *flags) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t f = lulld_read_u32(r);
  if (lulld_dcheck(c))
    return -1;
  if (f > 7)
    return lulld_dfail(c, at, "malformed elements segment kind", "%u", f);
  *flags = f;
  /* Function indices are never null: with typed function references
   * their segments have type (ref func). */
  e->type = (f & ELEM_EXPRS) ||
                    !(c->m->features & LULL_FEATURE_FUNCTION_REFERENCES)
                ? LULL_FUNCREF
                : LULL_REF(LULL_HT_FUNC, 0);
  e->table = 0;
  if (!(f & ELEM_NOT_ACTIVE)) {
    e->mode = LULLD_SEG_ACTIVE;
    if (f & ELEM_TABLE_OR_DECL) {
      e->table = lulld_read_u32(r);
      if (lulld_dcheck(c))
        return -1;
    }
    if (lulld_dconstexpr(c, &e->offset))
      return -1;
  } else {
    e->mode = (f & ELEM_TABLE_OR_DECL) ? LULLD_SEG_DECLARATIVE
                                       : LULLD_SEG_PASSIVE;
  }
  if ((f & 3) == 0)
    return 0;
  if (f & ELEM_EXPRS)
    return lulld_dreftype(c, &e->type);
  size_t kat = r->pos;
  uint8_t kind = lulld_read_u8(r);
  if (lulld_dcheck(c))
    return -1;
  if (kind != 0x00)
    return lulld_dfail(c, kat, "malformed element kind", "0x%02x", kind);
  return 0;
}

/* The items of a segment: function indices or constant expressions. */
static int elem_items(lulld_dctx *c, lulld_elem *e, uint32_t flags) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t n = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  int keep = n && lulld_dfits(r, c->sec_end, n, 1);
  if (flags & ELEM_EXPRS) {
    if (keep) {
      e->exprs = lulld_calloc(c->a, n, sizeof *e->exprs);
      if (!e->exprs)
        return lulld_dnomem(c, at);
      e->count = n;
    }
    for (uint32_t i = 0; i < n; i++) {
      lulld_constexpr x;
      if (lulld_dconstexpr(c, &x))
        return -1;
      if (keep)
        e->exprs[i] = x;
    }
    return 0;
  }
  if (keep) {
    e->funcs = lulld_malloc(c->a, (size_t)n * sizeof *e->funcs);
    if (!e->funcs)
      return lulld_dnomem(c, at);
    e->count = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t f = lulld_read_u32(r);
    if (lulld_dcheck(c))
      return -1;
    if (keep)
      e->funcs[i] = f;
  }
  return 0;
}

int lulld_delem_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(&c->r, c->sec_end, n, MIN_ELEM)) {
    m->elems = lulld_calloc(c->a, n, sizeof *m->elems);
    if (!m->elems)
      return lulld_dnomem(c, at);
    m->nelems = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_elem scratch;
    memset(&scratch, 0, sizeof scratch);
    lulld_elem *e = m->elems ? &m->elems[i] : &scratch;
    uint32_t flags = 0;
    int bad = elem_head(c, e, &flags) || elem_items(c, e, flags);
    if (e == &scratch)
      elem_free(c->a, e);
    if (bad)
      return -1;
  }
  return 0;
}

/* One data segment: flags (0 active in memory 0, 1 passive, 2 active with
 * a memory index), the offset when active, then the bytes. */
static int data_segment(lulld_dctx *c, lulld_data *d) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t f = lulld_read_u32(r);
  if (lulld_dcheck(c))
    return -1;
  if (f > 2)
    return lulld_dfail(c, at, "malformed data segment kind", "%u", f);
  d->memory = 0;
  d->mode = f == 1 ? LULLD_SEG_PASSIVE : LULLD_SEG_ACTIVE;
  if (f == 2) {
    d->memory = lulld_read_u32(r);
    if (lulld_dcheck(c))
      return -1;
  }
  if (f != 1 && lulld_dconstexpr(c, &d->offset))
    return -1;
  d->size = lulld_dlen(r);
  d->bytes = lulld_read_bytes(r, d->size);
  return lulld_dcheck(c);
}

int lulld_ddata_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(&c->r, c->sec_end, n, MIN_DATA)) {
    m->datas = lulld_calloc(c->a, n, sizeof *m->datas);
    if (!m->datas)
      return lulld_dnomem(c, at);
    m->ndatas = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_data scratch;
    lulld_data *d = m->datas ? &m->datas[i] : &scratch;
    if (data_segment(c, d))
      return -1;
  }
  return 0;
}

void lulld_delems_free(lulld_module *m) {
  for (uint32_t i = 0; i < m->nelems; i++)
    elem_free(&m->alloc, &m->elems[i]);
  if (m->elems)
    lulld_free(&m->alloc, m->elems, (size_t)m->nelems * sizeof *m->elems);
  m->elems = NULL;
  m->nelems = 0;
}

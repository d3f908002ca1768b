/*
 * decode_prims.c -- the decoder's error reporting and its readers of the
 * format's small pieces: names, value and reference types, limits, table
 * and global types.
 */
#include <stdio.h>

#include "decode_internal.h"

/*
 * Every malformed-module message is "<spec wording> at offset 0x<hex>",
 * then details in parentheses when there are any. The wording comes first
 * because embedders and the spec runner match on it as a prefix.
 */
int lulld_dfail(lulld_dctx *c, size_t offset, const char *msg,
                const char *detail, ...) {
  if (c->status != LULL_OK)
    return -1;
  char more[160] = "";
  if (detail) {
    va_list ap;
    va_start(ap, detail);
    vsnprintf(more, sizeof more, detail, ap);
    va_end(ap);
  }
  c->status = lulld_error(c->err, LULL_MALFORMED, offset,
                          "%s at offset 0x%zx%s%s%s", msg, offset,
                          detail ? " (" : "", more, detail ? ")" : "");
  return -1;
}

/* Keeps the first limit exceeded; see lulld_dtoo_many_report. */
void lulld_dtoo_many(lulld_dctx *c, lull_status status, size_t offset,
                     const char *what, uint64_t n, uint64_t limit) {
  if (c->limit.what)
    return;
  c->limit.status = status;
  c->limit.what = what;
  c->limit.at = offset;
  c->limit.n = n;
  c->limit.max = limit;
}

int lulld_dtoo_many_report(lulld_dctx *c) {
  if (!c->limit.what)
    return 0;
  c->status = lulld_error(c->err, c->limit.status, c->limit.at,
                          "%s at offset 0x%zx (%llu, the implementation "
                          "limit is %llu)",
                          c->limit.what, c->limit.at,
                          (unsigned long long)c->limit.n,
                          (unsigned long long)c->limit.max);
  return -1;
}

int lulld_dnomem(lulld_dctx *c, size_t offset) {
  if (c->status != LULL_OK)
    return -1;
  c->status = lulld_error(c->err, LULL_NOMEM, offset,
                          "out of memory decoding the module at offset 0x%zx",
                          offset);
  return -1;
}

/*
 * The reader knows only "unexpected end"; inside a section the reference
 * interpreter says "unexpected end of section or function", and the
 * testsuite expects the longer form there. An illegal opcode of one byte
 * is named in the message as the reference interpreter names it
 * ("illegal opcode ff"); a prefixed one gets its bytes as details.
 */
int lulld_dcheck(lulld_dctx *c) {
  const lulld_reader *r = &c->r;
  if (!r->err)
    return 0;
  const char *msg = r->err;
  size_t at = r->err_pos;
  if (c->in_section && strcmp(msg, "unexpected end") == 0)
    return lulld_dfail(c, at, "unexpected end of section or function", NULL);
  if (strcmp(msg, "illegal opcode") == 0 && at < r->end) {
    uint8_t b = r->base[at];
    if (b == LULLD_OP_PREFIX_FC || b == LULLD_OP_PREFIX_FD) {
      lulld_reader sub;
      lulld_reader_init(&sub, r->base, at + 1, r->end);
      uint64_t n = lulld_read_uleb(&sub, 64);
      return lulld_dfail(c, at, msg, "0x%02x %llu", b,
                         (unsigned long long)n);
    }
    char what[32];
    snprintf(what, sizeof what, "illegal opcode %02x", b);
    return lulld_dfail(c, at, what, NULL);
  }
  return lulld_dfail(c, at, msg, NULL);
}

/*
 * A name: a byte length, that many bytes of UTF-8, copied with a NUL
 * after them. The error offset of bad UTF-8 is where the length starts.
 */
int lulld_dname(lulld_dctx *c, lulld_name *out) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t n = lulld_dlen(r);
  const uint8_t *s = lulld_read_bytes(r, n);
  if (lulld_dcheck(c))
    return -1;
  if (!lulld_utf8_valid(s, n))
    return lulld_dfail(c, at, "malformed UTF-8 encoding", NULL);
  out->str = lulld_strndup(c->a, (const char *)s, n);
  if (!out->str)
    return lulld_dnomem(c, at);
  out->len = n;
  return 0;
}

void lulld_dname_free(const lulld_alloc *a, lulld_name *n) {
  if (n->str)
    lulld_free(a, n->str, (size_t)n->len + 1);
  n->str = NULL;
  n->len = 0;
}

/* Value and reference types: the shared reader (valtype.c), with this
 * module's features; its error becomes the module's. */
int lulld_dvaltype(lulld_dctx *c, lull_valtype *out) {
  if (lulld_read_valtype(&c->r, c->m->features, 0, out))
    return lulld_dcheck(c);
  *out = lulld_vt_resolve(c->m, *out);
  return 0;
}

int lulld_dreftype(lulld_dctx *c, lull_valtype *out) {
  if (lulld_read_valtype(&c->r, c->m->features, 1, out))
    return lulld_dcheck(c);
  *out = lulld_vt_resolve(c->m, *out);
  return 0;
}

/*
 * Limits: a flag (0: min only, 1: min and max), then u32 values. The flag
 * is a one-bit LEB128 number in Wasm 2.0's reference interpreter, which
 * decides the wording of a bad flag. With memory64 the flag is a byte of
 * bits (1: a maximum, 4: 64-bit addresses), then u64 values (for 32-bit
 * ones too); any other bit is "malformed limits flags".
 */
int lulld_dlimits(lulld_dctx *c, lulld_limits *out) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint8_t flag = lulld_read_u8(r);
  if (lulld_dcheck(c))
    return -1;
  if (c->m->features & LULL_FEATURE_MEMORY64) {
    if (flag & ~0x05)
      return lulld_dfail(c, at, "malformed limits flags", "0x%02x", flag);
    out->has_max = flag & 1;
    out->is64 = (flag & 4) != 0;
    /* u64 either way: the validator words a 32-bit limit out of range. */
    out->min = lulld_read_uleb(r, 64);
    out->max = out->has_max ? lulld_read_uleb(r, 64) : 0;
    return lulld_dcheck(c);
  }
  if ((flag & 0x7F) > 1)
    return lulld_dfail(c, at, "integer too large", "limits flag 0x%02x",
                       flag);
  if (flag & 0x80)
    return lulld_dfail(c, at + 1, "integer representation too long",
                       "limits flag");
  out->has_max = flag;
  out->is64 = 0;
  out->min = lulld_read_u32(r);
  out->max = flag ? lulld_read_u32(r) : 0;
  return lulld_dcheck(c);
}

int lulld_dtabletype(lulld_dctx *c, lulld_tabletype *out) {
  if (lulld_dreftype(c, &out->elem))
    return -1;
  return lulld_dlimits(c, &out->limits);
}

int lulld_dglobaltype(lulld_dctx *c, lulld_globaltype *out) {
  if (lulld_dvaltype(c, &out->type))
    return -1;
  size_t at = c->r.pos;
  uint8_t mut = lulld_read_u8(&c->r);
  if (lulld_dcheck(c))
    return -1;
  if (mut > 1)
    return lulld_dfail(c, at, "malformed mutability", "0x%02x", mut);
  out->mut = mut;
  return 0;
}

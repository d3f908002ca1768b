/*
 * snapshot_format.c -- the bytes of a task snapshot. Little-endian:
 *
 *   "LULLTASK"                    magic, 8 bytes
 *   u32 version                   LULLU_SNAP_VERSION
 *   u32 phase                     0: in _initialize, 1: in the entry
 *   u64 fuel_slice
 *   u32 max_memory_pages          0: none
 *   u32 n, n bytes                the embedder's name for the module
 *   u32 n, n bytes                the entry's name
 *   u32 n, n x (u8 type, 16 B)    the entry's arguments (little-endian
 *                                 bits, zero-padded)
 *   u64 n, n bytes                the core snapshot (lull_snapshot_write),
 *                                 whose extra bytes are the WASI context
 *                                 (lull_wasi_save; lull_snapshot_extra
 *                                 finds them before the restore)
 *   u32 crc32                     CRC-32 of every byte before it
 *
 * The core snapshot carries its own version and the module's hash; this
 * wrapper only has to be well formed and intact.
 */
#include <stdlib.h>
#include <string.h>

#include "loop_internal.h"

#define LULLU_SNAP_MAGIC "LULLTASK"
#define LULLU_SNAP_VERSION 2u

/* The 16 payload bytes of a value. */
static lull_status put_val(lullu_buf *b, const lull_val *v, lull_error *err) {
  uint8_t x[16];
  memset(x, 0, sizeof x);
  uint64_t bits = 0;
  switch (v->type) {
  case LULL_I32:
    bits = (uint32_t)v->of.i32;
    break;
  case LULL_I64:
    bits = (uint64_t)v->of.i64;
    break;
  case LULL_F32: {
    uint32_t u;
    memcpy(&u, &v->of.f32, 4);
    bits = u;
    break;
  }
  case LULL_F64:
    memcpy(&bits, &v->of.f64, 8);
    break;
  case LULL_V128:
    memcpy(x, v->of.v128, 16);
    break;
  default:
    if (v->of.externref)
      return lullu_error(err, LULL_BADARG,
                         "cannot save a task whose entry takes a non-null "
                         "reference argument");
    break;
  }
  if (v->type != LULL_V128)
    for (int i = 0; i < 8; i++)
      x[i] = (uint8_t)(bits >> (8 * i));
  lullu_buf_u8(b, (uint8_t)v->type);
  lullu_buf_bytes(b, x, 16);
  return LULL_OK;
}

lull_status lullu_snap_encode(lull_engine *e, const lullu_snap *sn,
                              uint8_t **out, size_t *len, lull_error *err) {
  lullu_buf b = {.e = e};
  lullu_buf_bytes(&b, LULLU_SNAP_MAGIC, 8);
  lullu_buf_u32(&b, LULLU_SNAP_VERSION);
  lullu_buf_u32(&b, (uint32_t)sn->phase);
  lullu_buf_u64(&b, sn->info.fuel_slice);
  lullu_buf_u32(&b, sn->info.max_memory_pages);
  lullu_buf_u32(&b, (uint32_t)sn->info.name_len);
  lullu_buf_bytes(&b, sn->info.name, sn->info.name_len);
  lullu_buf_u32(&b, (uint32_t)sn->info.entry_len);
  lullu_buf_bytes(&b, sn->info.entry, sn->info.entry_len);
  lullu_buf_u32(&b, (uint32_t)sn->nargs);
  for (size_t i = 0; i < sn->nargs; i++) {
    lull_status st = put_val(&b, &sn->args[i], err);
    if (st != LULL_OK) {
      lullu_buf_free(&b);
      return st;
    }
  }
  lullu_buf_u64(&b, sn->core_len);
  lullu_buf_bytes(&b, sn->core, sn->core_len);
  if (!b.failed)
    lullu_buf_u32(&b, lullu_crc32(b.p, b.len));
  if (b.failed) {
    lullu_buf_free(&b);
    return lullu_error(err, LULL_NOMEM, "out of memory");
  }
  *out = b.p;
  *len = b.len;
  return LULL_OK;
}

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------- */

typedef struct reader {
  const uint8_t *p;
  size_t len, pos;
  lull_error *err;
  int failed;
} reader;

/* The next `n` bytes, or NULL (and the error) when fewer are left. */
static const uint8_t *take(reader *r, size_t n, const char *what) {
  if (r->failed)
    return NULL;
  if (n > r->len - r->pos) {
    r->failed = 1;
    lullu_error(r->err, LULL_BADSNAPSHOT,
                "bad snapshot: truncated at byte %zu (reading %s)", r->len,
                what);
    if (r->err)
      r->err->offset = r->len;
    return NULL;
  }
  const uint8_t *p = r->p + r->pos;
  r->pos += n;
  return p;
}

static uint64_t get_le(reader *r, int size, const char *what) {
  const uint8_t *p = take(r, (size_t)size, what);
  uint64_t v = 0;
  if (p)
    for (int i = size - 1; i >= 0; i--)
      v = (v << 8) | p[i];
  return v;
}

static void get_val(reader *r, lull_val *v) {
  uint8_t type = (uint8_t)get_le(r, 1, "an argument's type");
  const uint8_t *x = take(r, 16, "an argument");
  if (!x)
    return;
  memset(v, 0, sizeof *v);
  v->type = (lull_valtype)type;
  uint64_t bits = 0;
  for (int i = 7; i >= 0; i--)
    bits = (bits << 8) | x[i];
  switch (type) {
  case LULL_I32:
    v->of.i32 = (int32_t)(uint32_t)bits;
    break;
  case LULL_I64:
    v->of.i64 = (int64_t)bits;
    break;
  case LULL_F32: {
    uint32_t u = (uint32_t)bits;
    memcpy(&v->of.f32, &u, 4);
    break;
  }
  case LULL_F64:
    memcpy(&v->of.f64, &bits, 8);
    break;
  case LULL_V128:
    memcpy(v->of.v128, x, 16);
    break;
  case LULL_FUNCREF:
  case LULL_EXTERNREF:
    break;
  default:
    r->failed = 1;
    lullu_error(r->err, LULL_BADSNAPSHOT,
                "bad snapshot: argument of unknown type 0x%02x", type);
  }
}

lull_status lullu_snap_parse(const uint8_t *bytes, size_t len, lullu_snap *sn,
                             lull_val **args, lull_error *err) {
  memset(sn, 0, sizeof *sn);
  *args = NULL;
  if (!bytes || len < 8 || memcmp(bytes, LULLU_SNAP_MAGIC, 8) != 0)
    return lullu_error(err, LULL_BADSNAPSHOT,
                       "bad snapshot: not a lull task snapshot");
  reader r = {bytes, len, 8, err, 0};
  uint32_t version = (uint32_t)get_le(&r, 4, "the version");
  if (!r.failed && version != LULLU_SNAP_VERSION)
    return lullu_error(err, LULL_BADSNAPSHOT,
                       "bad snapshot: format version %u, this lull reads "
                       "version %u",
                       version, LULLU_SNAP_VERSION);
  uint32_t phase = (uint32_t)get_le(&r, 4, "the phase");
  sn->info.fuel_slice = get_le(&r, 8, "the fuel slice");
  sn->info.max_memory_pages = (uint32_t)get_le(&r, 4, "the memory limit");
  sn->info.name_len = (size_t)get_le(&r, 4, "the name");
  sn->info.name = (const char *)take(&r, sn->info.name_len, "the name");
  sn->info.entry_len = (size_t)get_le(&r, 4, "the entry");
  sn->info.entry = (const char *)take(&r, sn->info.entry_len, "the entry");
  uint32_t nargs = (uint32_t)get_le(&r, 4, "the arguments");
  if (!r.failed && nargs > (len - r.pos) / 17) {
    r.failed = 1;
    lullu_error(err, LULL_BADSNAPSHOT,
                "bad snapshot: truncated at byte %zu (reading the arguments)",
                len);
  }
  if (!r.failed && nargs) {
    *args = calloc(nargs, sizeof **args);
    if (!*args)
      return lullu_error(err, LULL_NOMEM, "out of memory");
    for (uint32_t i = 0; i < nargs; i++)
      get_val(&r, &(*args)[i]);
  }
  sn->nargs = nargs;
  sn->args = *args;
  uint64_t n = get_le(&r, 8, "the core snapshot");
  if (!r.failed && n > len - r.pos)
    n = len; /* let take() report the truncation */
  sn->core_len = (size_t)n;
  sn->core = take(&r, sn->core_len, "the core snapshot");
  size_t body = r.pos;
  uint32_t crc = (uint32_t)get_le(&r, 4, "the checksum");
  if (!r.failed && r.pos != len) {
    r.failed = 1;
    lullu_error(err, LULL_BADSNAPSHOT,
                "bad snapshot: %zu bytes after the end", len - r.pos);
  }
  if (!r.failed && crc != lullu_crc32(bytes, body)) {
    r.failed = 1;
    lullu_error(err, LULL_BADSNAPSHOT,
                "bad snapshot: checksum mismatch (the file is corrupted)");
  }
  if (!r.failed && phase > LULLU_PHASE_ENTRY) {
    r.failed = 1;
    lullu_error(err, LULL_BADSNAPSHOT, "bad snapshot: unknown phase %u",
                phase);
  }
  if (!r.failed && lull_snapshot_extra(sn->core, sn->core_len, &sn->wasi,
                                       &sn->wasi_len, err) != LULL_OK)
    r.failed = 1;
  if (r.failed) {
    free(*args);
    *args = NULL;
    memset(sn, 0, sizeof *sn);
    return LULL_BADSNAPSHOT;
  }
  sn->phase = (int)phase;
  return LULL_OK;
}

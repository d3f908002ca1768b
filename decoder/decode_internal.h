/*
 * decode_internal.h -- what the files of the binary decoder share: the
 * decoding context, error reporting, and readers of the format's small
 * pieces (lengths, names, value types, limits). Internal to decoder/decode*.c
 * and utf8.c. Prefix lulld_d.
 *
 * How the decoder reads. The module is one flat stream, as in the spec's
 * reference interpreter: a section's contents and a function body are read
 * with the reader's end at the end of the module, and only afterwards is
 * the position compared with the declared size ("section size mismatch").
 * Bounding each section instead would be just as correct, but the
 * testsuite expects the reference's messages, which come from reading on:
 * a body that lacks its `end` runs into the next bytes and reports "END
 * opcode expected" or a size mismatch depending on what follows. Reading
 * past a declared size can only lead to an error, and every byte is read
 * at most once before that error, so this costs nothing.
 *
 * Allocation guards: a count read from the binary is trusted for an
 * allocation only when the declared section (or body) has room for that
 * many items of the smallest possible size. A larger count can never be
 * read successfully, so its items are decoded into a scratch item and
 * dropped until the error that must come (the error then matches the
 * reference interpreter's, which reads item by item too).
 */
#ifndef LULL_DECODER_DECODE_INTERNAL_H
#define LULL_DECODER_DECODE_INTERNAL_H

#include <stdint.h>

#include "instr.h"
#include "module.h"
#include "reader.h"

/* Section ids. */
enum {
  LULLD_SEC_CUSTOM = 0,
  LULLD_SEC_TYPE = 1,
  LULLD_SEC_IMPORT = 2,
  LULLD_SEC_FUNCTION = 3,
  LULLD_SEC_TABLE = 4,
  LULLD_SEC_MEMORY = 5,
  LULLD_SEC_GLOBAL = 6,
  LULLD_SEC_EXPORT = 7,
  LULLD_SEC_START = 8,
  LULLD_SEC_ELEMENT = 9,
  LULLD_SEC_CODE = 10,
  LULLD_SEC_DATA = 11,
  LULLD_SEC_DATACOUNT = 12,
  LULLD_SEC_TAG = 13,
  LULLD_SEC_LAST_ID = 13
};

/* The state of one lulld_decode call. */
typedef struct lulld_dctx {
  lulld_module *m;
  const lulld_alloc *a;  /* &m->alloc */
  lulld_reader r;        /* over all of m->bytes (see the note above) */
  lull_error *err;
  lull_status status;    /* LULL_OK until the first failure */
  /* Inside a section, running out of bytes is "unexpected end of section
   * or function"; in the header and section framing, "unexpected end". */
  int in_section;
  /* End of the declared contents of the section being read: the bound of
   * allocation guards (never of reads). */
  size_t sec_end;

  /* Defined functions declared by the function section, checked against
   * the code section once the whole module is read (the reference reports
   * the inconsistency only then, after any later malformed section). */
  uint32_t nfunc_decls;
  uint8_t index_spaces_done; /* func/table/memory/global arrays allocated */

  /* Offset + 1 of the first memory.init or data.drop in a body; 0: none.
   * Without a data count section such a module is malformed. */
  uint32_t first_data_use;

  /* The first implementation limit exceeded (see lulld_dtoo_many). */
  struct {
    const char *what; /* NULL: none */
    lull_status status;
    size_t at;
    uint64_t n, max;
  } limit;

  /* The block stack of the body scanner: one kind byte per open block.
   * Grown as needed and reused for every body. */
  uint8_t *blocks;
  size_t blocks_cap;
} lulld_dctx;

/* ---- Errors. Each returns -1 so a caller can `return lulld_dfail(...)`.
 * Only the first error is kept. ---- */

/* A malformed module: `msg` is the spec's wording; `detail` (printf format,
 * may be NULL) adds what and where beyond the offset. */
LULL_HIDDEN int lulld_dfail(lulld_dctx *c, size_t offset, const char *msg,
                            const char *detail, ...) LULL_PRINTF(4, 5);
/* An implementation limit of module.h exceeded: noted, and reported with
 * `status` as "`what` at offset ... (n, the implementation limit is ...)"
 * by lulld_dtoo_many_report once the whole module has been read, so that a
 * module that is also malformed is reported as malformed. Only the first
 * is kept. */
LULL_HIDDEN void lulld_dtoo_many(lulld_dctx *c, lull_status status,
                                 size_t offset, const char *what,
                                 uint64_t n, uint64_t limit);
LULL_HIDDEN int lulld_dtoo_many_report(lulld_dctx *c);
/* Out of memory while decoding what starts at `offset`. */
LULL_HIDDEN int lulld_dnomem(lulld_dctx *c, size_t offset);
/* Turns the reader's sticky error into the module's error. Returns 0 when
 * the reader has none. */
LULL_HIDDEN int lulld_dcheck(lulld_dctx *c);

/* ---- Small pieces (decode_prims.c). Each reads from c->r; on failure the
 * error is recorded and -1 returned. ---- */

/* A length or vector count: a u32 that cannot exceed the bytes left from
 * where it starts ("length out of bounds"), as the reference interpreter
 * checks it. The reader's error is set on failure. */
static inline uint32_t lulld_dlen(lulld_reader *r) {
  size_t at = r->pos;
  uint32_t n = lulld_read_u32(r);
  if (!r->err && n > r->end - at)
    lulld_reader_fail(r, "length out of bounds", at);
  return n;
}

/* Can `count` items of at least `min_size` bytes each fit between the
 * reader's position and `end`? If not, decoding them must fail, and the
 * caller must not allocate for them. */
static inline int lulld_dfits(const lulld_reader *r, size_t end,
                              uint64_t count, size_t min_size) {
  if (end > r->end)
    end = r->end;
  size_t left = r->pos < end ? end - r->pos : 0;
  return count <= left / min_size;
}

LULL_HIDDEN int lulld_dname(lulld_dctx *c, lulld_name *out);
LULL_HIDDEN void lulld_dname_free(const lulld_alloc *a, lulld_name *n);
LULL_HIDDEN int lulld_dvaltype(lulld_dctx *c, lull_valtype *out);
LULL_HIDDEN int lulld_dreftype(lulld_dctx *c, lull_valtype *out);
LULL_HIDDEN int lulld_dlimits(lulld_dctx *c, lulld_limits *out);
LULL_HIDDEN int lulld_dtabletype(lulld_dctx *c, lulld_tabletype *out);
LULL_HIDDEN int lulld_dglobaltype(lulld_dctx *c, lulld_globaltype *out);

/* Is [s, s+n) well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence)? (utf8.c) */
LULL_HIDDEN int lulld_utf8_valid(const uint8_t *s, size_t n);

/* ---- Sections. Each reads one section's contents from c->r. ---- */
LULL_HIDDEN int lulld_dtype_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dimport_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dfunction_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dtable_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dmemory_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dglobal_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dexport_section(lulld_dctx *c);
/* The tag section (exception handling): each tag an attribute byte 0
 * and the index of its function type. */
LULL_HIDDEN int lulld_dtag_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dstart_section(lulld_dctx *c);
LULL_HIDDEN int lulld_ddatacount_section(lulld_dctx *c);
LULL_HIDDEN int lulld_delem_section(lulld_dctx *c);
LULL_HIDDEN int lulld_ddata_section(lulld_dctx *c);
LULL_HIDDEN int lulld_dcode_section(lulld_dctx *c);
/* The contents of a custom section named "name", [pos, end). Never fails
 * for bad contents (they are ignored); only for out of memory. */
LULL_HIDDEN int lulld_dname_section(lulld_dctx *c, size_t pos, size_t end);

/* Free what the sections above allocated (for lulld_module_free). */
LULL_HIDDEN void lulld_ddecls_free(lulld_module *m);
LULL_HIDDEN void lulld_delems_free(lulld_module *m);
LULL_HIDDEN void lulld_dcodes_free(lulld_module *m);
LULL_HIDDEN void lulld_dnames_free(lulld_module *m);

/* Allocates the function, table, memory and global index spaces (imports
 * first, then `n*` defined ones) once; later calls do nothing. */
LULL_HIDDEN int lulld_dindex_spaces(lulld_dctx *c, uint32_t nfuncs,
                                    uint32_t ntables, uint32_t nmemories,
                                    uint32_t nglobals);

/* ---- Code (decode_code.c, decode_constexpr.c) ---- */

/* What the scanner notes about a constant expression. */
typedef struct lulld_dconst {
  uint32_t ninstr;       /* instructions before the final `end` */
  uint32_t nonconst_at;  /* offset + 1 of the first non-constant one */
  lulld_instr first;     /* the first instruction, when ninstr >= 1 */
} lulld_dconst;

/* Scans an instruction sequence from c->r up to the `end` that closes it,
 * checking its block structure. With `k` NULL it is a function body (and
 * notes memory.init / data.drop); otherwise a constant expression whose
 * instructions are noted in *k. */
LULL_HIDDEN int lulld_dscan(lulld_dctx *c, lulld_dconst *k);

/* Reads a constant expression into *out (see lulld_constexpr). */
LULL_HIDDEN int lulld_dconstexpr(lulld_dctx *c, lulld_constexpr *out);

#endif

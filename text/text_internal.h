/*
 * text_internal.h -- the WebAssembly text format: a lexer, a parser and an
 * encoder that turns one module's text into the binary format the decoder
 * reads, so everything after it (validation, compilation, running) is
 * shared with binary modules. Internal to liblull; prefix lullt_.
 *
 * The pipeline:
 *   lex.c      the whole text into an array of tokens (offsets, no copies);
 *              annotations are skipped here, a bad character or string
 *              becomes an error token where it stands
 *   num.c      numeric literals: integers with range checks, floats with
 *              correct rounding, nan:0x payloads, underscores
 *   ops.c      the instruction table and the keyword set
 *   types.c    value, heap, reference and defined types; type uses
 *   instr.c    instructions, plain and folded, into code bytes
 *   module.c   the module fields: a first pass gives every definition its
 *              index (identifiers may be used before they are defined), a
 *              second encodes each field into its section
 *   encode.c   growable byte buffers and LEB128
 *   wat.c      the public functions of lull_text.h
 *
 * Errors carry the byte offset of the offending token and the reference
 * interpreter's wording ("unexpected token", "unknown operator", "constant
 * out of range", ...); wat.c turns the offset into a line and a column.
 */
#ifndef LULL_TEXT_INTERNAL_H
#define LULL_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../decoder/util.h"
#include "lull.h"

/* ---------------------------------------------------------------------
 * Byte buffers (encode.c)
 * --------------------------------------------------------------------- */

typedef struct lullt_buf {
  uint8_t *p;
  size_t n, cap;
  int oom; /* a growth failed: the buffer stops growing, the parse fails */
} lullt_buf;

LULL_HIDDEN void lullt_buf_free(const lulld_alloc *a, lullt_buf *b);
LULL_HIDDEN void lullt_put(const lulld_alloc *a, lullt_buf *b,
                           const void *p, size_t n);
LULL_HIDDEN void lullt_byte(const lulld_alloc *a, lullt_buf *b, uint8_t v);
LULL_HIDDEN void lullt_u64(const lulld_alloc *a, lullt_buf *b, uint64_t v);
LULL_HIDDEN void lullt_s64(const lulld_alloc *a, lullt_buf *b, int64_t v);

/* ---------------------------------------------------------------------
 * Tokens (lex.c)
 * --------------------------------------------------------------------- */

typedef enum lullt_tok {
  LULLT_EOF,
  LULLT_LPAR,
  LULLT_RPAR,
  LULLT_KEYWORD,  /* starts with a lower-case letter */
  LULLT_ID,       /* $name or $"name"; text is the whole token */
  LULLT_STRING,   /* "..." with its quotes */
  LULLT_NUM,      /* a well-formed numeric literal (integer or float) */
  LULLT_RESERVED, /* any other run of identifier characters and strings */
  LULLT_ERROR     /* a lexical error; `len` indexes lullt_lex_errors */
} lullt_tok;

typedef struct lullt_token {
  uint32_t kind : 4;
  uint32_t is_float : 1; /* NUM: has a fraction, exponent, inf or nan */
  uint32_t kw : 16;      /* KEYWORD: lullt_kw_index + 1 (0: offset=/align=) */
  uint32_t off;          /* byte offset in the text */
  uint32_t len;          /* bytes */
} lullt_token;

/* An (@custom ...) annotation, kept for the module it stands in: its
 * bytes in the text and the index of the token that follows it. */
typedef struct lullt_custom {
  uint32_t off, end;
  uint32_t tok;
} lullt_custom;

typedef struct lullt_tokens {
  lullt_token *t;
  size_t n, cap;
  lullt_custom *custom;
  size_t ncustom, custom_cap;
} lullt_tokens;

/* Splits `text` into tokens ending with one EOF token (after an ERROR
 * token, if any). Returns 0, or -1 when out of memory. Texts of 4 GiB and
 * more are refused (-1): offsets are 32-bit. */
LULL_HIDDEN int lullt_lex(const lulld_alloc *a, const char *text, size_t len,
                          lullt_tokens *out);
LULL_HIDDEN void lullt_tokens_free(const lulld_alloc *a, lullt_tokens *t);
/* The index of the first byte of s[i..end) that is not white space or in
 * a comment (an unclosed block comment runs to `end`). */
LULL_HIDDEN size_t lullt_skip_space(const char *s, size_t i, size_t end);
/* The message of an ERROR token. */
LULL_HIDDEN const char *lullt_lex_error(const lullt_token *t);

/* Decodes the string token `t` (quotes included) into `out` (appended).
 * The lexer has checked its escapes, so this cannot fail but for memory. */
LULL_HIDDEN void lullt_string(const lulld_alloc *a, const char *text,
                              const lullt_token *t, lullt_buf *out);

/* ---------------------------------------------------------------------
 * Numbers (num.c)
 * --------------------------------------------------------------------- */

typedef enum lullt_numerr {
  LULLT_NUM_OK,
  LULLT_NUM_RANGE, /* "constant out of range" */
  LULLT_NUM_SYNTAX /* not a literal of this kind */
} lullt_numerr;

/* An integer literal of `bits` (8, 16, 32 or 64) bits: signed or unsigned
 * range (so i32 accepts -2^31 .. 2^32-1), two's complement result. */
LULL_HIDDEN lullt_numerr lullt_int(const char *s, size_t n, int bits,
                                   uint64_t *out);
/* An unsigned integer (an index, a limit, an alignment): no sign. */
LULL_HIDDEN lullt_numerr lullt_nat(const char *s, size_t n, uint64_t *out);
LULL_HIDDEN lullt_numerr lullt_f32(const char *s, size_t n, uint32_t *bits);
LULL_HIDDEN lullt_numerr lullt_f64(const char *s, size_t n, uint64_t *bits);
/* Is s[0..n) a numeric literal of the text format? Sets *is_float. */
LULL_HIDDEN int lullt_num_shape(const char *s, size_t n, int *is_float);

/* ---------------------------------------------------------------------
 * Instructions and keywords (ops.c)
 * --------------------------------------------------------------------- */

/* How an instruction's immediates are written. */
typedef enum lullt_imm {
  LULLT_I_NONE,
  LULLT_I_BLOCK,      /* block, loop, if: label? blocktype */
  LULLT_I_TRY_TABLE,  /* label? blocktype catch* */
  LULLT_I_ELSE,       /* else label? (plain form only) */
  LULLT_I_END,        /* end label? (plain form only) */
  LULLT_I_LABEL,      /* a label */
  LULLT_I_BR_TABLE,   /* label+ */
  LULLT_I_FUNC,       /* a function */
  LULLT_I_TYPE,       /* a type */
  LULLT_I_TYPE_FIELD, /* a type, a field of it */
  LULLT_I_TYPE_TYPE,  /* two types */
  LULLT_I_TYPE_N,     /* a type, a count */
  LULLT_I_TYPE_DATA,  /* a type, a data segment */
  LULLT_I_TYPE_ELEM,  /* a type, an element segment */
  LULLT_I_CALL_IND,   /* table? typeuse: type index, then table */
  LULLT_I_SELECT,     /* (result t*)* */
  LULLT_I_LOCAL,
  LULLT_I_GLOBAL,
  LULLT_I_TABLE,      /* table? (0) */
  LULLT_I_TABLE_COPY, /* (table table)? */
  LULLT_I_TABLE_INIT, /* table? elem */
  LULLT_I_ELEM,
  LULLT_I_MEMARG,     /* memory? offset=? align=?; `align` is natural */
  LULLT_I_MEMARG_LANE,
  LULLT_I_MEM,        /* memory? (0) */
  LULLT_I_MEM_COPY,   /* (memory memory)? */
  LULLT_I_MEM_INIT,   /* memory? data */
  LULLT_I_DATA,
  LULLT_I_TAG,
  LULLT_I_I32,
  LULLT_I_I64,
  LULLT_I_F32,
  LULLT_I_F64,
  LULLT_I_V128,
  LULLT_I_SHUFFLE,
  LULLT_I_LANE,
  LULLT_I_HEAPTYPE,   /* ref.null */
  LULLT_I_REFTYPE,    /* ref.test, ref.cast: the opcode + 1 for null */
  LULLT_I_BR_ON_CAST  /* label reftype reftype */
} lullt_imm;

/* A keyword of the text format. Instructions have `imm` and their
 * encoding: a prefix byte (0 for none) and the opcode (the LEB128 u32
 * after a prefix); `align` is the natural alignment (log2) of a memory
 * access, or the lane count of a lane instruction. Other keywords (module,
 * func, i32, ...) have `is_instr` 0. */
typedef struct lullt_kw {
  const char *name;
  uint8_t is_instr;
  uint8_t imm;
  uint8_t prefix;
  uint8_t align;
  uint32_t code;
} lullt_kw;

/* The keyword table as a hash table, built once per parse. */
typedef struct lullt_kwtab {
  const lullt_kw **slot;
  size_t mask;
} lullt_kwtab;

LULL_HIDDEN int lullt_kwtab_init(const lulld_alloc *a, lullt_kwtab *t);
LULL_HIDDEN void lullt_kwtab_free(const lulld_alloc *a, lullt_kwtab *t);
LULL_HIDDEN const lullt_kw *lullt_kw_find(const lullt_kwtab *t, const char *s,
                                          size_t n);
/* Keywords by number (the `kw` of a token, minus one). */
LULL_HIDDEN size_t lullt_kw_index(const lullt_kw *k);
LULL_HIDDEN const lullt_kw *lullt_kw_at(size_t index);

/* ---------------------------------------------------------------------
 * The parser (types.c, instr.c, module.c)
 * --------------------------------------------------------------------- */

/* A value or storage type in its binary encoding: `code` is the type's
 * byte (0x7F i32 ... 0x78 i8, 0x77 i16, a one-byte reference shorthand, or
 * 0x63 (ref null ht) / 0x64 (ref ht)); for the last two, `ht` is an
 * abstract heap type's byte or, with `ht_idx`, a type index. Shorthands are
 * always used where one exists, so equal types compare equal bytewise. */
typedef struct lullt_vt {
  uint8_t code;
  uint8_t ht;     /* abstract heap type byte, 0 for an index */
  uint8_t pad[2];
  uint32_t ht_idx;
} lullt_vt;

/* An identifier: bytes (decoded for $"..."), stable for the parse. */
typedef struct lullt_name {
  const char *s;
  uint32_t n;
} lullt_name;

/* Identifiers of one index space: a hash map to indices. */
typedef struct lullt_names {
  struct lullt_name_slot {
    lullt_name name;
    uint32_t idx;
  } *slot;
  size_t cap, used;
  uint32_t count; /* entries in the index space, named or not */
} lullt_names;

/* What the parser knows of a defined type. */
typedef struct lullt_type {
  uint8_t kind;          /* 0 func, 1 struct, 2 array */
  uint8_t implicit_ok;   /* a final function type without supertypes alone
                            in its rec group: an inline type use may match */
  uint8_t parsed;
  uint32_t tok;          /* its (type ...) token, for pass two */
  uint32_t nparams, nresults;
  lullt_vt *params, *results;
  lullt_names fields;    /* struct field identifiers */
} lullt_type;

typedef enum lullt_space {
  LULLT_SP_FUNC,
  LULLT_SP_TABLE,
  LULLT_SP_MEM,
  LULLT_SP_GLOBAL,
  LULLT_SP_TAG,
  LULLT_SP_ELEM,
  LULLT_SP_DATA,
  LULLT_SP_TYPE,
  LULLT_SP_COUNT
} lullt_space;

/* A chunk of the parser's arena. */
typedef struct lullt_chunk {
  struct lullt_chunk *next;
  size_t size, used;
  _Alignas(8) uint8_t mem[];
} lullt_chunk;

/* The parser's state for one module (and its allocations). */
typedef struct lullt_parser {
  const lulld_alloc *a;
  int v2;               /* the Wasm 2.0 text format: 32-bit limits and
                           offsets, and the 2.0 reference's wording */
  int write_names;      /* write a name section (module and functions) */
  lullt_name module_name; /* the module's $id, if any */
  const char *text;
  const lullt_token *t; /* the tokens */
  size_t ntok;
  const lullt_custom *custom; /* (@custom ...) annotations */
  size_t ncustom;
  size_t pos;           /* the current token */
  lullt_chunk *arena;

  /* the first error (then everything unwinds) */
  int failed;
  uint32_t err_off;
  char err[200];

  lullt_names names[LULLT_SP_COUNT];
  lullt_type *types;     /* explicit types, then implicit ones */
  size_t ntypes, types_cap;
  uint32_t nexplicit;    /* explicit type count */
  uint32_t *sig;         /* function types an inline use may match, by
                            signature: open addressing, type index + 1 */
  size_t sig_cap, sig_used;
  int sig_built;
  uint8_t *mem64;        /* per memory: 1 when 64-bit (for offsets) */
  uint8_t *table64;      /* per table: 1 when 64-bit */
  size_t mem_cap, table_cap;
  uint32_t nmems, ntables;

  /* section contents */
  lullt_buf sec_type_implicit, sec_import, sec_func, sec_table, sec_mem,
      sec_tag, sec_global, sec_export, sec_elem, sec_code, sec_data,
      sec_types;
  uint32_t n_import, n_func, n_table, n_mem, n_tag, n_global, n_export,
      n_elem, n_data, n_types_entries;
  int has_start;
  uint32_t start;
  int uses_data_index; /* memory.init, data.drop ...: datacount needed */

  lullt_buf scratch[64]; /* immediates of folded instructions, per depth */
  lullt_buf tmp;         /* short-lived bytes (strings) */
  unsigned depth;        /* nesting of folded instructions and blocks */
} lullt_parser;

/* The deepest nesting of blocks and folded instructions the parser takes
 * (it recurses; this bounds its C stack). */
#define LULLT_MAX_DEPTH 1000

/* Records the first error at token `tok` (printf format); returns -1. */
LULL_HIDDEN int lullt_fail(lullt_parser *p, size_t tok, const char *fmt, ...)
    LULL_PRINTF(3, 4);
/* "unexpected token", or the lexer's error if the token is one. */
LULL_HIDDEN int lullt_unexpected(lullt_parser *p);
LULL_HIDDEN void *lullt_arena(lullt_parser *p, size_t n);

/* Token helpers. */
static inline const lullt_token *lullt_cur(const lullt_parser *p) {
  return &p->t[p->pos];
}
static inline const lullt_token *lullt_peek(const lullt_parser *p, size_t k) {
  return p->pos + k < p->ntok ? &p->t[p->pos + k] : &p->t[p->ntok - 1];
}
/* Is the current token the keyword `kw` (compared by text)? */
LULL_HIDDEN int lullt_is_kw(const lullt_parser *p, size_t tok, const char *kw);
/* Is it `(` followed by the keyword `kw`? */
LULL_HIDDEN int lullt_is_open(const lullt_parser *p, const char *kw);
/* Consumes `(` kw, or fails. */
LULL_HIDDEN int lullt_expect_open(lullt_parser *p, const char *kw);
LULL_HIDDEN int lullt_expect_rpar(lullt_parser *p);
/* Skips to the token after the `)` matching the `(` at p->pos. */
LULL_HIDDEN int lullt_skip_list(lullt_parser *p);
/* The identifier of an ID token. */
LULL_HIDDEN lullt_name lullt_id(lullt_parser *p, const lullt_token *t);
/* A string token's bytes into p->tmp (cleared first). */
LULL_HIDDEN void lullt_str(lullt_parser *p, const lullt_token *t);

/* Index spaces. */
LULL_HIDDEN int lullt_bind(lullt_parser *p, lullt_names *ns, lullt_name id,
                           uint32_t idx, const char *what, size_t tok);
LULL_HIDDEN int lullt_names_get(const lullt_names *ns, lullt_name id,
                                uint32_t *idx);
LULL_HIDDEN void lullt_names_free(lullt_parser *p, lullt_names *ns);
/* An index of `space` (number or identifier) at the current token. */
LULL_HIDDEN int lullt_index(lullt_parser *p, lullt_space space, uint32_t *out);
/* A u32 number at the current token. */
LULL_HIDDEN int lullt_u32(lullt_parser *p, uint32_t *out);
/* Is the current token an index (a number or an identifier)? */
static inline int lullt_at_index(const lullt_parser *p) {
  unsigned k = lullt_cur(p)->kind;
  return k == LULLT_ID || (k == LULLT_NUM && !lullt_cur(p)->is_float);
}

/* Types (types.c). */
LULL_HIDDEN int lullt_valtype(lullt_parser *p, lullt_vt *out);
LULL_HIDDEN int lullt_heaptype(lullt_parser *p, lullt_vt *out);
/* (ref null? ht) or a shorthand, into *out. */
LULL_HIDDEN int lullt_reftype(lullt_parser *p, lullt_vt *out);
LULL_HIDDEN void lullt_put_vt(lullt_parser *p, lullt_buf *b, lullt_vt t);
LULL_HIDDEN void lullt_put_ht(lullt_parser *p, lullt_buf *b, lullt_vt t);
/* Is the current token the start of a value type? */
LULL_HIDDEN int lullt_at_valtype(const lullt_parser *p);

/* A type use: (type x)? (param ...)* (result ...)*. */
typedef struct lullt_use {
  int has_type;
  uint32_t idx;           /* the type (after lullt_typeuse_resolve) */
  uint32_t nparams, nresults;
  lullt_vt *params, *results; /* inline ones (arena) */
  lullt_name *pnames;     /* parameter identifiers (with names allowed) */
  size_t pcap, rcap, ncap;
} lullt_use;

/* Parses a type use; names: parameters may have identifiers. */
LULL_HIDDEN int lullt_typeuse(lullt_parser *p, lullt_use *u, int names);
/* Finds the type of a parsed use, adding an implicit one when needed;
 * checks an explicit type against inline parameters and results. Then
 * nparams/params describe the function's parameters. */
LULL_HIDDEN int lullt_typeuse_resolve(lullt_parser *p, lullt_use *u,
                                      size_t tok);
/* Type definitions: pass one parses them all into p->types and writes
 * the explicit part of the type section. */
LULL_HIDDEN int lullt_types_define(lullt_parser *p, size_t rec_or_type_tok,
                                   uint32_t first);

/* Instructions (instr.c). The function context: locals and labels. */
typedef struct lullt_func {
  lullt_names locals;
  lullt_vt *local_types;
  uint32_t nlocals;
  lullt_name *labels;
  size_t nlabels, labels_cap;
} lullt_func;

/* Instructions up to the next `)`, into `out` (no final `end`). f may be
 * NULL for constant expressions (no locals, but labels still work). */
LULL_HIDDEN int lullt_instrs(lullt_parser *p, lullt_func *f, lullt_buf *out);
LULL_HIDDEN void lullt_func_free(lullt_parser *p, lullt_func *f);
/* One folded instruction (an offset or element expression's short form). */
LULL_HIDDEN int lullt_folded1(lullt_parser *p, lullt_func *f, lullt_buf *out);

/* Adds the implicit types of the function body at p->pos in the order
 * the reference interpreter does (order.c); reports no error. */
LULL_HIDDEN void lullt_implicit_types(lullt_parser *p);

/* Custom sections from (@custom ...) annotations (custom.c). The binary
 * format's sections in order (type ... data, with datacount before code)
 * give 2 * LULLT_NSLOTS places: slot 2k is before section k, 2k + 1 after
 * it. Appends the custom sections of the annotations that stand among
 * tokens first..last to slots[place]. */
#define LULLT_NSLOTS 13
LULL_HIDDEN int lullt_customs(lullt_parser *p, size_t first, size_t last,
                              lullt_buf *slots);

/* Modules (module.c): parses the module fields from p->pos up to the
 * closing `)` of the module (or EOF when bare) and writes the binary. */
LULL_HIDDEN int lullt_module(lullt_parser *p, lullt_buf *out);

#endif

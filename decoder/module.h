/*
 * module.h -- the decoded form of a WebAssembly 2.0 module, and the
 * decoder's and validator's entry points. Internal to liblull; interp/
 * builds on it. Prefix lulld_.
 *
 * Ownership: a lulld_module owns a copy of the input bytes; code bodies,
 * data segments and custom sections point into that copy, and every name
 * is its own NUL-terminated allocation. All memory comes from the module's
 * allocator and goes back in lulld_module_free.
 *
 * Index spaces follow the spec: imports come first in the function, table,
 * memory, global and tag index spaces.
 */
#ifndef LULL_DECODER_MODULE_H
#define LULL_DECODER_MODULE_H

#include <stdint.h>

#include "util.h"
#include "valtype.h"

/* Implementation limits (the spec allows them; each has an error naming
 * it). Locals beyond this are rejected with "too many locals". */
#define LULLD_MAX_LOCALS 50000u
#define LULLD_MAX_PARAMS 1000u
#define LULLD_MAX_RESULTS 1000u
#define LULLD_MAX_PAGES 65536u       /* 4 GiB of 64 KiB pages */
#define LULLD_MAX_PAGES64 (1ull << 48) /* 2^64 bytes of 64 KiB pages */
#define LULLD_MAX_TABLE 10000000u    /* elements per table */
/* Values an extended constant expression may hold at once ("constant
 * expression too deep"), so instantiation evaluates it without
 * allocating. */
#define LULLD_MAX_CONST_DEPTH 64u

/* A name from the binary: validated UTF-8, copied, NUL-terminated (a name
 * may itself hold U+0000, hence the length). */
typedef struct lulld_name {
  char *str;
  uint32_t len;
} lulld_name;

/* The composite type a type definition declares. */
#define LULLD_COMP_FUNC 0
#define LULLD_COMP_STRUCT 1
#define LULLD_COMP_ARRAY 2

/* Packed storage types of struct fields and array elements: codes that
 * no value type uses, so a field's type is one lull_valtype. */
#define LULLD_PACKED_I8 0x78u
#define LULLD_PACKED_I16 0x77u

/* No declared supertype; more than one (invalid). */
#define LULLD_NO_SUPER UINT32_MAX
#define LULLD_MANY_SUPERS (UINT32_MAX - 1)

/*
 * A type definition. For a function type, types[0..nparams) are the
 * parameters and types[nparams..) the results; a struct's fields are
 * types[0..nfields) (an array has one field, its element), with muts[k]
 * set for a mutable field. With GC every definition belongs to a
 * recursion group [rec, rec + nrec) and may name one supertype; a
 * definition without `sub` (all of them before GC) is final.
 */
typedef struct lulld_functype {
  uint32_t nparams;
  uint32_t nresults;
  lull_valtype *types;
  uint32_t param_slots;  /* sum of lulld_slots_of over the parameters */
  uint32_t result_slots; /* ... over the results */
  uint32_t nfields;      /* struct and array: entries of types and muts */
  uint8_t *muts;
  uint8_t kind;          /* LULLD_COMP_* */
  uint8_t final;
  uint32_t super;        /* type index or LULLD_NO_SUPER */
  uint32_t rec, nrec;
} lulld_functype;

/* Limits in pages (memories) or elements (tables). With memory64, a
 * memory or table may have 64-bit addresses (is64): its limits, addresses
 * and sizes are then i64, and its limits may pass 2^32. */
typedef struct lulld_limits {
  uint64_t min;
  uint64_t max;    /* meaningful only when has_max */
  uint8_t has_max;
  uint8_t is64;
} lulld_limits;

typedef struct lulld_tabletype {
  lull_valtype elem; /* a reference type */
  lulld_limits limits;
} lulld_tabletype;

typedef struct lulld_globaltype {
  lull_valtype type;
  uint8_t mut;     /* 1 when mutable */
} lulld_globaltype;

/* A constant expression. In Wasm 2.0 a valid one is one instruction and
 * `end`; with extended constant expressions, longer ones (arithmetic)
 * are LULLD_CONST_EXPR, typed and evaluated by walking them. The decoder accepts any well-formed instruction sequence and
 * records one that is not of that form as LULLD_CONST_BAD, with `index`
 * saying why, so the validator reports it as invalid (not malformed):
 *   LULLD_CONSTBAD_NONCONST  an instruction that is not constant; `offset`
 *                            is that instruction's ("constant expression
 *                            required")
 *   LULLD_CONSTBAD_ARITY     no value, or more than one ("type mismatch") */
#define LULLD_CONSTBAD_NONCONST 1u
#define LULLD_CONSTBAD_ARITY 2u
typedef enum lulld_constop {
  LULLD_CONST_BAD = 0,
  LULLD_CONST_I32 = 1,
  LULLD_CONST_I64,
  LULLD_CONST_F32,
  LULLD_CONST_F64,
  LULLD_CONST_V128,
  LULLD_CONST_REF_NULL,  /* `type` is the reference type */
  LULLD_CONST_REF_FUNC,  /* `index` is a function index */
  LULLD_CONST_GLOBAL_GET, /* `index` is a global index */
  LULLD_CONST_ABSENT,     /* no expression (a table without one) */
  LULLD_CONST_EXPR        /* extended: the instructions from `offset` on,
                             to the `end` (all constant ones) */
} lulld_constop;

typedef struct lulld_constexpr {
  uint8_t op;      /* lulld_constop */
  lull_valtype type; /* the type it produces */
  uint32_t index;  /* for REF_FUNC and GLOBAL_GET */
  union {
    uint32_t i32;  /* also f32 bits */
    uint64_t i64;  /* also f64 bits */
    uint8_t v128[16];
  } v;
  uint32_t offset; /* byte offset of the expression, for error messages */
} lulld_constexpr;

/* The constant expression of one constant instruction `in` (a *.const,
 * ref.null, ref.func or global.get): op, type, index and value; `offset`
 * is left as it is. */
struct lulld_instr;
LULL_HIDDEN void lulld_const_from_instr(const struct lulld_instr *in,
                                        lulld_constexpr *out);

typedef struct lulld_import {
  lulld_name module;
  lulld_name name;
  uint8_t kind;    /* lull_externkind */
  union {
    uint32_t func;   /* type index */
    lulld_tabletype table;
    lulld_limits memory;
    lulld_globaltype global;
    uint32_t tag;    /* the tag's type index */
  } d;
} lulld_import;

typedef struct lulld_global {
  lulld_globaltype type;
  lulld_constexpr init;  /* unused for imported globals */
} lulld_global;

typedef struct lulld_export {
  lulld_name name;
  uint8_t kind;    /* lull_externkind */
  uint32_t index;
} lulld_export;

typedef enum lulld_segmode {
  LULLD_SEG_ACTIVE = 0,
  LULLD_SEG_PASSIVE = 1,
  LULLD_SEG_DECLARATIVE = 2
} lulld_segmode;

/* An element segment, any of the 8 encodings. Items are either plain
 * function indices (`funcs`, encodings 0-3) or constant expressions
 * (`exprs`, encodings 4-7); exactly one of the two arrays is used. */
typedef struct lulld_elem {
  uint8_t mode;    /* lulld_segmode */
  lull_valtype type; /* a reference type */
  uint32_t table;  /* active only */
  lulld_constexpr offset; /* active only */
  uint32_t count;
  uint32_t *funcs;
  lulld_constexpr *exprs;
} lulld_elem;

/* A data segment, any of the 3 encodings. `bytes` points into the module's
 * copy of the input. */
typedef struct lulld_data {
  uint8_t mode;    /* LULLD_SEG_ACTIVE or LULLD_SEG_PASSIVE */
  uint32_t memory; /* active only */
  lulld_constexpr offset; /* active only */
  uint32_t size;
  const uint8_t *bytes;
} lulld_data;

/* A run of `count` locals of one type, as the binary declares them. */
typedef struct lulld_localgroup {
  uint32_t count;
  lull_valtype type;
} lulld_localgroup;

/* The body of a defined function. */
typedef struct lulld_code {
  uint32_t offset;       /* byte offset of the body's size field */
  uint32_t body;         /* byte offset of the first instruction */
  uint32_t end;          /* byte offset just past the final `end` */
  uint32_t nlocals;      /* declared locals, parameters excluded */
  uint32_t ngroups;
  lulld_localgroup *groups;
  /* Filled by validation: the largest operand-stack height the body
   * reaches, in slots (v128 counts 2), not counting locals. */
  uint32_t max_height;
} lulld_code;

/* A function name from the `name` custom section. Sorted by index. */
typedef struct lulld_funcname {
  uint32_t index;
  lulld_name name;
} lulld_funcname;

/* A custom section. */
typedef struct lulld_custom {
  lulld_name name;
  uint32_t offset;       /* of the contents, after the name */
  uint32_t len;
} lulld_custom;

typedef struct lulld_module {
  lulld_alloc alloc;
  uint32_t features;       /* lull_features the module may use */
  uint8_t *bytes;          /* owned copy of the input */
  size_t len;

  uint32_t ntypes;
  lulld_functype *types;
  size_t cap_types;        /* allocated entries of types */
  /* Filled by validation: type_canon[i] is the smallest index of a type
   * equal to type i (iso-recursively: the same position in equal
   * recursion groups), so equal types compare as equal indices. NULL
   * before. */
  uint32_t *type_canon;

  uint32_t nimports;
  lulld_import *imports;

  /* Function index space: imports first. func_types[i] is a type index. */
  uint32_t nfuncs;
  uint32_t nfunc_imports;
  uint32_t *func_types;

  uint32_t ntables;
  uint32_t ntable_imports;
  lulld_tabletype *tables;
  /* The initializer of each defined table (tables[ntable_imports + i]):
   * LULLD_CONST_ABSENT when it has none (null elements). NULL when no
   * table is defined. */
  lulld_constexpr *table_inits;
  uint32_t ntable_inits;

  uint32_t nmemories;
  uint32_t nmemory_imports;
  lulld_limits *memories;

  uint32_t nglobals;
  uint32_t nglobal_imports;
  lulld_global *globals;

  /* Tag index space (exception handling): imports first. tags[i] is the
   * index of the tag's function type (no results). */
  uint32_t ntags;
  uint32_t ntag_imports;
  uint32_t *tags;

  uint32_t nexports;
  lulld_export *exports;

  uint8_t has_start;
  uint32_t start;

  uint32_t nelems;
  lulld_elem *elems;

  uint8_t has_datacount;
  uint32_t datacount;
  uint32_t ndatas;
  lulld_data *datas;

  /* codes[i] belongs to function nfunc_imports + i. */
  uint32_t ncodes;
  lulld_code *codes;

  /* Every custom section in order: its name, and where its contents
   * (after the name) are in `bytes`. */
  uint32_t ncustoms;
  size_t cap_customs;
  lulld_custom *customs;

  uint32_t nfuncnames;
  lulld_funcname *funcnames;
  lulld_name module_name;  /* from the name section; str may be NULL */

  /* Functions that may appear in ref.func inside function bodies (C.refs
   * in the spec): those named in element segments, exports and global
   * initializers. One bit per function index; NULL when nfuncs == 0. */
  uint8_t *declared_refs;
} lulld_module;

/* Decodes `len` bytes (copied) into a new module. Checks everything the
 * binary format requires (structure, LEB128, UTF-8, section order and
 * sizes, counts) but not validity. Returns LULL_OK, LULL_MALFORMED with the
 * spec's wording and the byte offset in `err`, or LULL_NOMEM. */
LULL_HIDDEN lull_status lulld_decode(const lulld_alloc *a, uint32_t features,
                                     const uint8_t *bytes, size_t len,
                                     lulld_module **out, lull_error *err);

LULL_HIDDEN void lulld_module_free(lulld_module *m);

/* Validates a decoded module: every module-level rule and every function
 * body. Fills each code's max_height. Returns LULL_OK or LULL_INVALID with
 * the spec's wording, the function index and the byte offset in `err`
 * (or LULL_NOMEM). */
LULL_HIDDEN lull_status lulld_validate(lulld_module *m, lull_error *err);

/* The name of function `index` from the name section, or NULL. */
LULL_HIDDEN const char *lulld_func_name(const lulld_module *m, uint32_t index);

/* The type of function `index` (imports first). */
static inline const lulld_functype *lulld_func_type(const lulld_module *m,
                                                    uint32_t index) {
  return &m->types[m->func_types[index]];
}

/* Does the module follow Wasm 3.0 (some proposal beyond 2.0 is on)? A
 * few rules changed in 3.0 without a proposal of their own: constant
 * expressions may read defined globals, and some messages are worded
 * anew ("immutable global"). Wasm 2.0 keeps its own. */
static inline int lulld_wasm3(const lulld_module *m) {
  return m->features != LULL_FEATURES_2_0;
}

/* The type of ref.func `f`: with typed function references the
 * non-null reference to its type, (ref $t); in Wasm 2.0 funcref. */
static inline lull_valtype lulld_ref_func_type(const lulld_module *m,
                                               uint32_t f) {
  if (!(m->features & LULL_FEATURE_FUNCTION_REFERENCES))
    return LULL_FUNCREF;
  return LULL_REF_INDEX(m->func_types[f], 0);
}

/* Type of local `index` of defined function `code` whose type is `ft`
 * (parameters first), or 0 when out of range. */
LULL_HIDDEN lull_valtype lulld_local_type(const lulld_functype *ft,
                                     const lulld_code *code, uint32_t index);

#endif

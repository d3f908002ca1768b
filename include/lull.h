/*
 * lull.h -- the core API: decode, validate, instantiate and run WebAssembly
 * on a heap-allocated stack that can be parked and resumed.
 *
 * Objects and who owns them
 *   lull_engine    configuration, allocator, type registry. Owns every object
 *                  made through it: lull_engine_free releases whatever the
 *                  embedder has not freed yet.
 *   lull_module    decoded, validated and compiled code; immutable, shared
 *                  by any number of instances.
 *   lull_instance  memories, tables, globals and imports of one module.
 *   lull_thread    runs calls; owns the Wasm stack (value slots and frames).
 *   lull_func, lull_memory, lull_table, lull_global
 *                  the four kinds of external values. Those returned by a
 *                  *_new function belong to the caller (free them with the
 *                  matching *_free); those returned by lookups (exports)
 *                  are borrowed and live as long as their instance.
 *
 * Reference counting is internal: an instance keeps alive what it imports,
 * and a thread keeps alive the instances it is running in, so freeing an
 * object that is still in use only drops the caller's reference.
 *
 * Threads of the OS: an engine and everything made from it may be used by
 * one OS thread at a time. The one exception is lull_thread_interrupt, which
 * any OS thread or a signal handler may call at any time.
 *
 * Errors: every function that can fail returns a lull_status and, where it
 * takes a lull_error *, fills it with a message naming what and where. No
 * input, however bad, crashes or leaks.
 */
#ifndef LULL_H
#define LULL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LULL_VERSION_MAJOR 0
#define LULL_VERSION_MINOR 1
#define LULL_VERSION_PATCH 0
#define LULL_VERSION_STRING "0.1.0"

/* ======================================================================
 * Status codes and errors
 * ====================================================================== */

/* XX(name, description). One list makes the enum and lull_status_str. */
#define LULL_STATUS_MAP(XX)                                                   \
  XX(OK, "ok")                                                                \
  XX(SUSPENDED, "thread suspended")                                           \
  XX(TRAP, "trap")                                                            \
  XX(MALFORMED, "malformed module")                                           \
  XX(INVALID, "invalid module")                                               \
  XX(UNLINKABLE, "unlinkable module")                                         \
  XX(BADARG, "bad argument")                                                  \
  XX(BADSTATE, "thread is in the wrong state")                                \
  XX(NOMEM, "out of memory")                                                  \
  XX(LIMIT, "implementation limit exceeded")                                  \
  XX(BADSNAPSHOT, "bad snapshot")                                             \
  XX(NOTFOUND, "not found")                                                   \
  XX(IO, "i/o error")                                                         \
  XX(DENIED, "not permitted")                                                 \
  XX(EXCEPTION, "uncaught exception")                                         \
  XX(BADCODE, "compiled module not usable")

typedef enum lull_status {
#define LULL_XX_(name, desc) LULL_##name,
  LULL_STATUS_MAP(LULL_XX_)
#undef LULL_XX_
  LULL_STATUS_COUNT_
} lull_status;

/* A short English description of a status. Never NULL. */
const char *lull_status_str(lull_status s);

#define LULL_NO_OFFSET UINT64_MAX

/* What went wrong, filled by any function that takes one. `message` starts
 * with the WebAssembly specification's wording where the spec has one
 * ("unexpected end", "type mismatch", ...) followed by the details.
 * `offset` is the byte offset in the input (module or snapshot) where the
 * problem was found, or LULL_NO_OFFSET. Plain data: the caller owns it. */
typedef struct lull_error {
  lull_status status;
  uint64_t offset;
  char message[256];
} lull_error;

/* ======================================================================
 * Types and values
 * ====================================================================== */

/* A value type in 32 bits:
 *
 *    31          10   9    8    7        0
 *   [ type index  ][IDX][NN][   code    ]
 *
 *   code  the binary encoding: 0x7F..0x7B for the number and vector
 *         types; for a reference, its abstract heap type (LULL_HT_*), or
 *         for a concrete one (IDX set) the abstract heap type its
 *         definition belongs to (LULL_HT_FUNC for a function type)
 *   NN    the reference is not nullable: (ref ht) rather than (ref null ht)
 *   IDX   the heap type is the type `index`
 *
 * So the one-byte shorthands keep their binary values: LULL_FUNCREF is
 * (ref null func) and LULL_EXTERNREF is (ref null extern). A type index in
 * a type lull reports (a function's parameters, a global's type) names a
 * function type of the engine's registry: the same index for structurally
 * equal types of any module (see lull_engine_functype). Value 0 is never
 * a valid type. */
typedef uint32_t lull_valtype;

enum {
  LULL_I32 = 0x7F,
  LULL_I64 = 0x7E,
  LULL_F32 = 0x7D,
  LULL_F64 = 0x7C,
  LULL_V128 = 0x7B,
  LULL_FUNCREF = 0x70,  /* (ref null func) */
  LULL_EXTERNREF = 0x6F /* (ref null extern) */
};

/* Abstract heap types: the codes of their (ref null ht) shorthands. Only
 * func, extern, nofunc and noextern are used before GC and exceptions. */
enum {
  LULL_HT_NOEXN = 0x74,
  LULL_HT_NOFUNC = 0x73,
  LULL_HT_NOEXTERN = 0x72,
  LULL_HT_NONE = 0x71,
  LULL_HT_FUNC = 0x70,
  LULL_HT_EXTERN = 0x6F,
  LULL_HT_ANY = 0x6E,
  LULL_HT_EQ = 0x6D,
  LULL_HT_I31 = 0x6C,
  LULL_HT_STRUCT = 0x6B,
  LULL_HT_ARRAY = 0x6A,
  LULL_HT_EXN = 0x69
};

#define LULL_VT_NONNULL 0x100u
#define LULL_VT_INDEXED 0x200u
#define LULL_VT_INDEX_SHIFT 10
#define LULL_VT_MAX_INDEX 0x3FFFFFu

/* (ref null? ht) for an abstract heap type, and for type index `index`
 * (whose definition is a function type: its code is LULL_HT_FUNC). */
#define LULL_REF(ht, nullable)                                                  ((lull_valtype)(ht) | ((nullable) ? 0u : LULL_VT_NONNULL))
#define LULL_REF_INDEX(index, nullable)                                         ((lull_valtype)LULL_HT_FUNC | LULL_VT_INDEXED |                                ((lull_valtype)(index) << LULL_VT_INDEX_SHIFT) |                             ((nullable) ? 0u : LULL_VT_NONNULL))

/* Parts of a value type. */
#define LULL_VT_CODE(t) ((t) & 0xFFu)
#define LULL_VT_IS_NULLABLE(t) (((t) & LULL_VT_NONNULL) == 0)
#define LULL_VT_IS_INDEXED(t) (((t) & LULL_VT_INDEXED) != 0)
#define LULL_VT_INDEX(t) ((uint32_t)((t) >> LULL_VT_INDEX_SHIFT))

/* Is `t` a reference type (of any heap type)? */
int lull_valtype_is_ref(lull_valtype t);

/* The name of a value type ("i32", "funcref", "(ref func)", "(ref null
 * $t)" for any concrete type...), or "?" for a bad one. Never NULL. */
const char *lull_valtype_str(lull_valtype t);

typedef struct lull_engine lull_engine;
typedef struct lull_module lull_module;
typedef struct lull_instance lull_instance;
typedef struct lull_thread lull_thread;
typedef struct lull_func lull_func;
typedef struct lull_memory lull_memory;
typedef struct lull_table lull_table;
typedef struct lull_global lull_global;
typedef struct lull_tag lull_tag;
typedef struct lull_linker lull_linker;
typedef struct lull_hostcall lull_hostcall;
typedef struct lull_cont lull_cont;

/* A typed value. Every reference to a function, whatever its type
 * (funcref, (ref func), (ref $t)), is in `funcref`; every other reference
 * in `externref`. They are NULL when null. An externref is an opaque
 * pointer-sized value chosen by the host; lull never dereferences it
 * (snapshots store its bits). A funcref is borrowed: it lives as long as
 * the function's instance. Where lull takes a value for a reference type
 * (arguments, results, globals, tables) it checks what the value holds:
 * a null only for a nullable type, a function only of a matching type;
 * `type` need only be a reference type of the same kind. An exnref
 * (exception handling) is an exception lull made, in `externref`: the
 * host may pass back only one it got from lull. */
typedef struct lull_val {
  lull_valtype type;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    lull_func *funcref;
    void *externref;
  } of;
} lull_val;

/* Reads `text` as a value of type `t` into *out: i32 and i64 in decimal
 * (signed, or unsigned up to the width) or 0x hexadecimal bits, optionally
 * signed; f32 and f64 in decimal or hexadecimal floating point, nan, inf
 * or -inf; v128 as 0x and up to 32 hexadecimal digits; a nullable
 * reference only as "null". LULL_BADARG with the reason in `err` (may be
 * NULL) when the text is not one ("'12x' is not an i32", out of range). */
lull_status lull_val_parse(lull_valtype t, const char *text, lull_val *out,
                           lull_error *err);

/* Writes `v` as text to `buf` (room for `size` bytes, terminated),
 * snprintf's way: returns the length the whole text has, which may be
 * more than fitted, or -1 for a value of no known type. Integers print as
 * signed decimal, floats with the fewest digits that read back as the
 * same value (so lull_val_parse reads back what this writes), v128 as 0x
 * and 32 hexadecimal digits, references as "null", "func" or the host
 * pointer. */
int lull_val_format(const lull_val *v, char *buf, size_t size);

/* Is `v` a non-null i31 reference (an i31ref, or an anyref or eqref
 * holding one; with LULL_FEATURE_GC)? Then *out, unless NULL, gets its
 * 31 bits sign-extended. Returns 0 for every other value and for NULL. */
int lull_val_i31(const lull_val *v, int32_t *out);

/* A function type. The arrays are borrowed views: when lull returns one it
 * stays valid as long as the object it describes. */
typedef struct lull_functype {
  uint32_t nparams;
  uint32_t nresults;
  const lull_valtype *params;
  const lull_valtype *results;
} lull_functype;

/* Reads a signature string, as wasm3 and WAMR write function types:
 * the results, then the parameters in parentheses: "i(ii)", "v(*I)" or
 * "(F)" (no result), "IF(rR)". Letters: i i32, I i64, f f32, F f64,
 * V v128, * i32 (a guest address), r externref, R funcref. The types go
 * to `types` (room for `cap`; at most 64 are read), which *out points
 * into. LULL_BADARG with the reason in `err` (may be NULL) for a bad
 * string, LULL_LIMIT when `cap` is too small. */
lull_status lull_functype_parse(const char *sig, lull_valtype *types,
                                size_t cap, lull_functype *out,
                                lull_error *err);

/* Limits of a memory (in 64 KiB pages) or a table (in elements). addr64:
 * the memory or table has 64-bit addresses (memory64, table64): i64
 * addresses, sizes and memory.grow, and limits that may pass 2^32. */
typedef struct lull_limits {
  uint64_t min;
  uint64_t max;
  int has_max;
  int addr64;
} lull_limits;

typedef enum lull_externkind {
  LULL_EXTERN_FUNC = 0,
  LULL_EXTERN_TABLE = 1,
  LULL_EXTERN_MEMORY = 2,
  LULL_EXTERN_GLOBAL = 3,
  LULL_EXTERN_TAG = 4   /* exception handling */
} lull_externkind;

/* An external value: what an instance exports and what imports accept. */
typedef struct lull_extern {
  lull_externkind kind;
  union {
    lull_func *func;
    lull_table *table;
    lull_memory *memory;
    lull_global *global;
    lull_tag *tag;
  } of;
} lull_extern;

/* The type of an import or export, described without the object. */
typedef struct lull_externtype {
  lull_externkind kind;
  union {
    lull_functype func;
    struct { lull_valtype elem; lull_limits limits; } table;
    lull_limits memory;
    struct { lull_valtype type; int mutable_; } global;
    lull_functype tag;  /* its parameters: the exception's payload; no
                           results */
  } of;
} lull_externtype;

/* ======================================================================
 * Engine
 * ====================================================================== */

/* The allocator: lua_Alloc's contract. new_size == 0 frees `ptr` and returns
 * NULL; otherwise it returns a block of new_size bytes holding the first
 * min(old_size, new_size) bytes of `ptr` (NULL ptr: a fresh block), or NULL
 * when it cannot (then `ptr` is untouched).
 *
 * What goes through it: every object and buffer of the engine (modules and
 * their compiled code, instances, tables, globals, threads and their Wasm
 * stacks, snapshots, GC objects), the text format's, a WASI context's own
 * (the context, its arguments, environment, preopens and descriptor
 * table) and a scheduler's tasks (their names, arguments, results, task
 * snapshots). What does not: the bytes of linear memories, which are
 * address space mapped with mmap (a reservation up to
 * lull_config.memory_reserve, see there); libuv's own allocations (libuv
 * has one allocator per process, uv_replace_allocator); what may outlive
 * its engine or leave its thread, which is malloc'd: a WASI request and
 * its buffers and an open file (a request in flight outlives a context
 * freed under it), the write-behind buffers (a pool thread frees them),
 * the scheduler's own record (freed when its handle has closed, after
 * lull_uv_sched_free returned) and the bytes lull_wasi_save gives the
 * embedder (documented as malloc'd); a number literal of more than 127
 * characters in the text format, parsed in a scratch buffer; and the
 * instruction counts of -DLULL_PROFILE builds. */
typedef void *(*lull_alloc_fn)(void *ud, void *ptr, size_t old_size,
                               size_t new_size);

/* Proposals beyond Wasm 2.0, one bit each. XX(name, bit, spec name): one
 * list makes the enum and lull_feature_str. A module that uses a feature
 * the engine does not have on is refused by the decoder or validator with
 * the message a 2.0 engine would give (e.g. "multiple memories"). */
#define LULL_FEATURE_MAP(XX)                                                  \
  XX(TAIL_CALL, 0, "tail-call")                                               \
  XX(EXTENDED_CONST, 1, "extended-const")                                     \
  XX(MULTI_MEMORY, 2, "multi-memory")                                         \
  XX(MEMORY64, 3, "memory64")                                                 \
  XX(FUNCTION_REFERENCES, 4, "function-references")                           \
  XX(RELAXED_SIMD, 5, "relaxed-simd")                                         \
  XX(EXCEPTIONS, 6, "exceptions")                                             \
  XX(GC, 7, "gc")

typedef enum lull_feature {
#define LULL_XX_(name, bit, str) LULL_FEATURE_##name = 1u << (bit),
  LULL_FEATURE_MAP(LULL_XX_)
#undef LULL_XX_
} lull_feature;

/* A set of lull_feature bits. LULL_FEATURES_2_0 is plain Wasm 2.0 (SIMD,
 * bulk memory, reference types, multi-value included). */
typedef uint32_t lull_features;
#define LULL_FEATURES_2_0 0u

/* The proposals this build of lull implements: the default of
 * lull_config_init. */
lull_features lull_features_supported(void);

/* The spec name of one feature bit ("tail-call"), or NULL if `f` is not
 * exactly one known bit. */
const char *lull_feature_str(lull_feature f);

/* Asked before a memory grows (memory.grow, lull_memory_grow, and
 * lull_snapshot_read bringing a memory back to its saved size): memory `m`
 * from `cur_pages` to `new_pages` (within its maximum). Returns nonzero to
 * let it grow, 0 to refuse: memory.grow then returns -1 as when the
 * maximum is reached, and nothing traps. It runs inside the dispatch loop
 * of the growing thread and must not call into lull with that thread; it
 * may read the memory (lull_memory_data) and the instance's user data of
 * the embedder's own bookkeeping. */
typedef int (*lull_grow_fn)(void *ud, lull_memory *m, uint64_t cur_pages,
                            uint64_t new_pages);

typedef struct lull_config {
  lull_alloc_fn alloc;       /* NULL: malloc, realloc and free */
  void *alloc_ud;            /* passed to `alloc` */
  size_t stack_limit;        /* bytes of Wasm stack per thread (value slots
                                and frame records); exceeding it traps with
                                "call stack exhausted". 0: 16 MiB */
  uint64_t max_memory_pages; /* cap on every linear memory with 32-bit
                                addresses, in 64 KiB pages, over the
                                module's own maximum. 0: 65536 (4 GiB) */
  uint64_t max_memory_pages64; /* the same for 64-bit memories (memory64).
                                0: 2^20 pages (64 GiB) */
  uint64_t memory_reserve;   /* bytes of address space each memory maps
                                ahead for growth (up to its maximum):
                                growing inside it never moves the memory,
                                growing past it remaps (no copy either).
                                0: 1 GiB. Lower it for tens of thousands of
                                guests in one process */
  int safepoints;            /* 1 (default): check fuel and interrupts at
                                function entries and loop headers; 0: run the
                                same code with no checks (fuel and interrupts
                                then never park; used to measure what the
                                checks cost) */
  int lazy_compile;          /* 0 (default): lull_module_new compiles every
                                function; 1: each is compiled when first
                                called (faster loading of big modules; a
                                function too large to compile then traps
                                at its first call instead of failing the
                                load) */
  lull_features features;    /* proposals on; lull_config_init sets
                                lull_features_supported(). Bits this build
                                does not implement make lull_engine_new
                                fail (NULL) */
  uint64_t gc_heap_limit;    /* bytes the engine's GC objects (structs,
                                arrays; headers included) may take at
                                once; an allocation past it traps with
                                "out of memory". 0: 1 GiB */
  lull_grow_fn grow_limiter; /* NULL: every growth within the maximum is
                                allowed */
  void *grow_ud;             /* passed to `grow_limiter` */
} lull_config;

/* Fills `cfg` with the defaults. */
void lull_config_init(lull_config *cfg);

/* Makes an engine. `cfg` may be NULL for the defaults; it is copied.
 * Returns NULL when out of memory or when `cfg` is inconsistent. */
lull_engine *lull_engine_new(const lull_config *cfg);

/* Frees the engine and everything still alive that was made through it. */
void lull_engine_free(lull_engine *e);

/* malloc, calloc, realloc, free and strdup on the engine's allocator
 * (lull_config.alloc), for code built on lull that wants its memory
 * counted and limited with the engine's: the WASI layer and the scheduler
 * use them. Each block keeps its size in a small header, so lull_free
 * needs none. Blocks must be freed with the engine that made them, before
 * lull_engine_free, and on the OS thread that uses the engine. A size of
 * 0 (lull_realloc: with `ptr` left as it is) and a NULL engine give NULL. */
void *lull_malloc(lull_engine *e, size_t size);
void *lull_calloc(lull_engine *e, size_t count, size_t size);
void *lull_realloc(lull_engine *e, void *ptr, size_t size);
void lull_free(lull_engine *e, void *ptr);
char *lull_strdup(lull_engine *e, const char *s);

/* The function type that type index `index` of a reference type names
 * ((ref $t) in a type lull reported). The arrays are owned by the engine.
 * LULL_BADARG when there is no such type. */
lull_status lull_engine_functype(const lull_engine *e, uint32_t index,
                                 lull_functype *out);

/* ======================================================================
 * Modules
 * ====================================================================== */

/* Decodes and validates `bytes` without compiling. On failure returns
 * LULL_MALFORMED or LULL_INVALID (or LULL_NOMEM) and fills `err` (may be
 * NULL). Does not keep `bytes`. */
lull_status lull_validate(lull_engine *e, const uint8_t *bytes, size_t len,
                          lull_error *err);

/* Decodes, validates and compiles a module. The bytes are copied. On
 * success *out is a new module owned by the caller. */
lull_status lull_module_new(lull_engine *e, const uint8_t *bytes, size_t len,
                            lull_module **out, lull_error *err);

/* Frees a module. Instances made from it keep it alive as needed. */
void lull_module_free(lull_module *m);

/* The compiled module as bytes, to cache and give to
 * lull_module_deserialize later instead of compiling again (functions
 * left for their first call, with lazy_compile, are compiled first). The
 * bytes hold the module's own bytes too. They are for this build of lull
 * on this machine and for engines with the same features and safepoints
 * setting. *out is allocated with the engine's allocator; free it with
 * lull_module_serialized_free. */
lull_status lull_module_serialize(lull_module *m, uint8_t **out, size_t *len,
                                  lull_error *err);
void lull_module_serialized_free(lull_engine *e, uint8_t *bytes, size_t len);

/* A module from the bytes of lull_module_serialize, without validating
 * or compiling it again. When `wasm` is not NULL the bytes must have been
 * made from exactly that module. LULL_BADCODE with the reason in `err`
 * when they are not usable: not serialized lull code, truncated or
 * damaged (checksummed), made by another build of lull or an engine with
 * other features, or for another module; nothing is left allocated. When
 * this engine gave the module's types other type ids than the engine that
 * serialized it (it loaded other modules first), the module is compiled
 * again from the bytes it holds: correct, only not faster. The checks
 * catch accidents, not an attacker: deserialize only bytes that lull
 * serialized and nobody else could change. */
lull_status lull_module_deserialize(lull_engine *e, const uint8_t *bytes,
                                    size_t len, const uint8_t *wasm,
                                    size_t wasm_len, lull_module **out,
                                    lull_error *err);

/* A 64-bit hash of `len` bytes, fast (a word at a time) and not
 * cryptographic: a key to cache compiled modules under (the `lull`
 * command's --cache names entries by it and the length). Serialized
 * modules end with it, over the bytes before it, as their checksum. */
uint64_t lull_module_key(const uint8_t *wasm, size_t len);

/* Imports and exports, in the module's order. The strings and types are
 * owned by the module. Returns LULL_BADARG for an index out of range. */
size_t lull_module_import_count(const lull_module *m);
lull_status lull_module_import(const lull_module *m, size_t i,
                               const char **module_name, const char **name,
                               lull_externtype *type);
size_t lull_module_export_count(const lull_module *m);
lull_status lull_module_export(const lull_module *m, size_t i,
                               const char **name, lull_externtype *type);

/* Custom sections, in the order they appear in the module (the name
 * section included). *name is NUL-terminated; *data and *len are the
 * section's bytes after its name. Everything is owned by the module.
 * LULL_BADARG for an index out of range. */
size_t lull_module_custom_count(const lull_module *m);
lull_status lull_module_custom(const lull_module *m, size_t i,
                               const char **name, const uint8_t **data,
                               size_t *len);
/* The first custom section called `name`. LULL_NOTFOUND when there is
 * none. */
lull_status lull_module_custom_find(const lull_module *m, const char *name,
                                    const uint8_t **data, size_t *len);

/* ======================================================================
 * External objects made by the host
 * ====================================================================== */

/* A host function. It is called with its arguments and a results array
 * whose types are already set, and says what happens next by returning
 * one of lull_hostret (see "Host functions" below). */
typedef enum lull_hostret {
  LULL_HOST_RETURN = 0, /* results are written; continue */
  LULL_HOST_TRAP,       /* set by lull_host_trap: unwind the thread */
  LULL_HOST_SUSPEND,    /* set by lull_host_suspend: park the thread */
  LULL_HOST_CALL,       /* set by lull_host_call: call Wasm, then continue */
  LULL_HOST_THROW       /* set by lull_host_throw or lull_host_rethrow:
                           throw an exception into the caller's frames */
} lull_hostret;

typedef lull_hostret (*lull_host_fn)(lull_hostcall *hc, const lull_val *args,
                                     lull_val *results, void *env);

/* Makes a host function of type `type` (copied). `env` is passed to every
 * call; `free_env` (may be NULL) is called on it when the function dies. */
lull_func *lull_func_new(lull_engine *e, const lull_functype *type,
                         lull_host_fn fn, void *env, void (*free_env)(void *));
void lull_func_free(lull_func *f);
/* The function's type, owned by the function. */
lull_functype lull_func_type(const lull_func *f);

/* A memory of `limits` pages; NULL when out of memory or limits are bad. */
lull_memory *lull_memory_new(lull_engine *e, lull_limits limits);
void lull_memory_free(lull_memory *m);
/* The bytes of a memory. The pointer may change when the memory grows
 * (past lull_config.memory_reserve), so read it again after anything that
 * may run Wasm. */
uint8_t *lull_memory_data(lull_memory *m);
/* The size in bytes, and in 64 KiB pages. */
size_t lull_memory_size(const lull_memory *m);
uint64_t lull_memory_pages(const lull_memory *m);
/* 1 when the memory has 64-bit addresses (memory64). */
int lull_memory_is64(const lull_memory *m);
/* Grows by `delta` pages; returns the old size in pages or -1. Never
 * copies the bytes: its cost is in the pages added, not the size. */
int64_t lull_memory_grow(lull_memory *m, uint64_t delta);

/* Lowers the memory's maximum to `max_pages` (an embedder's per-guest
 * limit). LULL_BADARG when the memory is already larger. */
lull_status lull_memory_limit(lull_memory *m, uint64_t max_pages);

/* Bounds-checked access to guest memory, for host functions handed
 * guest addresses. lull_memory_ptr gives the bytes [offset, offset + len)
 * or NULL when any of them is outside the memory (or m is NULL); the
 * pointer is valid until the memory grows or Wasm runs. read and write
 * copy `len` bytes; LULL_BADARG, with nothing copied, when the range is
 * outside the memory. */
void *lull_memory_ptr(lull_memory *m, uint64_t offset, uint64_t len);
lull_status lull_memory_read(const lull_memory *m, uint64_t offset,
                             void *dst, size_t len);
lull_status lull_memory_write(lull_memory *m, uint64_t offset,
                              const void *src, size_t len);
/* Copies the NUL-terminated string at `offset` into `buf` (room for
 * `size` bytes, NUL included) and sets *len (may be NULL) to its length.
 * LULL_BADARG when the memory ends before a NUL, LULL_LIMIT when the
 * string does not fit (then `buf` holds as much as fits, terminated). */
lull_status lull_memory_read_str(const lull_memory *m, uint64_t offset,
                                 char *buf, size_t size, size_t *len);
/* Writes `s` and its NUL at `offset`. LULL_BADARG, with nothing written,
 * when they do not fit in the memory. */
lull_status lull_memory_write_str(lull_memory *m, uint64_t offset,
                                  const char *s);

/* A table of `elem` references (any reference type lull holds), every
 * element set to `init` (which must be a value of type `elem`; NULL for
 * null, refused when `elem` is not nullable and the table not empty). */
lull_table *lull_table_new(lull_engine *e, lull_valtype elem,
                           lull_limits limits, const lull_val *init);
void lull_table_free(lull_table *t);
uint64_t lull_table_size(const lull_table *t);
lull_status lull_table_get(const lull_table *t, uint64_t i, lull_val *out);
lull_status lull_table_set(lull_table *t, uint64_t i, const lull_val *v);
/* Grows by `delta` elements, each set to `init` (NULL for null, refused
 * when the element type is not nullable): returns the old size, or -1
 * past the maximum, for a bad value or when out of memory. */
int64_t lull_table_grow(lull_table *t, uint64_t delta, const lull_val *init);

/* A global holding `v` (its type is v->type). */
lull_global *lull_global_new(lull_engine *e, const lull_val *v, int mutable_);
void lull_global_free(lull_global *g);
void lull_global_get(const lull_global *g, lull_val *out);
/* LULL_BADARG when the global is immutable or `v` is not a value of its
 * type; `err` (may be NULL) says which. */
lull_status lull_global_set(lull_global *g, const lull_val *v,
                            lull_error *err);

/* A tag of exception handling, with `type`'s parameters (copied) as its
 * payload; `type` must have no results. Every tag is its own identity:
 * an exception is caught by the tag it was thrown with, not by another
 * of the same type. NULL when out of memory or the type is bad. A tag
 * may be imported by modules (LULL_EXTERN_TAG) and thrown by host
 * functions (lull_host_throw). Owned by the caller. */
lull_tag *lull_tag_new(lull_engine *e, const lull_functype *type);
void lull_tag_free(lull_tag *t);
/* The tag's type (no results), owned by the tag. */
lull_functype lull_tag_type(const lull_tag *t);

/* Takes a reference on an external value, borrowed or not: the object
 * (for a Wasm function, its whole instance) stays alive until the
 * matching lull_extern_release, even after its instance is freed. For
 * hosts that keep exports or function references for longer than their
 * instance (the wasm.h API does). LULL_BADARG for a NULL object. */
lull_status lull_extern_retain(const lull_extern *x);
void lull_extern_release(const lull_extern *x);

/* ======================================================================
 * Instances and linking
 * ====================================================================== */

/* Instantiates `m` with `imports` given in the module's import order,
 * then runs its start function. Errors: LULL_UNLINKABLE ("unknown import",
 * "incompatible import type"), LULL_TRAP (a segment out of bounds or a trap
 * in the start function; the message says which), LULL_NOMEM. On success
 * *out belongs to the caller. */
lull_status lull_instantiate(lull_engine *e, lull_module *m,
                             const lull_extern *imports, size_t nimports,
                             lull_instance **out, lull_error *err);

/* lull_instantiate, with the start function run on `t` (the caller's,
 * not in a call): after LULL_TRAP from the start function, `t` holds the
 * trap's message and backtrace (lull_thread_backtrace), and a host
 * function it called can tell the thread apart. LULL_BADARG when `t` is
 * NULL, running or suspended. */
lull_status lull_instantiate_on(lull_engine *e, lull_module *m,
                                const lull_extern *imports, size_t nimports,
                                lull_thread *t, lull_instance **out,
                                lull_error *err);

/* Drops the caller's reference; the instance dies when nothing uses it. */
void lull_instance_free(lull_instance *inst);

/* A pointer of the embedder's, kept with the instance (NULL at first) and
 * never touched by lull: it is not freed with the instance and not part
 * of snapshots. Host functions find it through lull_hostcall_instance. */
void lull_instance_set_data(lull_instance *inst, void *data);
void *lull_instance_data(const lull_instance *inst);

/* The instance's exports, in the module's order: how many, and export `i`
 * (its name, owned by the module, and the object, borrowed from the
 * instance). LULL_BADARG for an index out of range. */
size_t lull_instance_export_count(const lull_instance *inst);
lull_status lull_instance_export_at(lull_instance *inst, size_t i,
                                    const char **name, lull_extern *out);

/* Looks up an export by name. LULL_NOTFOUND when there is none. The object
 * is borrowed from the instance. */
lull_status lull_instance_export(lull_instance *inst, const char *name,
                                 lull_extern *out);
/* The same for a name of `len` bytes, which may hold U+0000. */
lull_status lull_instance_export_n(lull_instance *inst, const char *name,
                                   size_t len, lull_extern *out);
/* The exported function `name`, or NULL. Borrowed. */
lull_func *lull_instance_func(lull_instance *inst, const char *name);
/* Memory 0 of the instance (imported or defined), or NULL. Borrowed. */
lull_memory *lull_instance_memory(lull_instance *inst);
/* Memory `index` of the instance (multi-memory), or NULL. Borrowed. */
lull_memory *lull_instance_memory_at(lull_instance *inst, uint32_t index);
/* How many memories the instance has, imported ones included. */
uint32_t lull_instance_memory_count(const lull_instance *inst);

/* A linker resolves imports by (module, name). It keeps references to what
 * it is given, and drops them when freed. */
lull_linker *lull_linker_new(lull_engine *e);
void lull_linker_free(lull_linker *l);
/* Defines one import. A later definition of the same pair replaces it. */
lull_status lull_linker_define(lull_linker *l, const char *module,
                               const char *name, const lull_extern *ext);
/* One host function of a table for lull_linker_define_host. */
typedef struct lull_host_def {
  const char *name;      /* the import's name */
  const char *signature; /* its type, as lull_functype_parse reads it */
  lull_host_fn fn;
  void *env;             /* passed to `fn`; never freed by lull */
} lull_host_def;

/* Defines `n` host functions of `defs` under module name `module`, as
 * lull_func_new and lull_linker_define would one by one. Every entry is
 * checked before anything is defined: a bad signature, name or function
 * defines nothing and returns LULL_BADARG with the entry named in `err`
 * (may be NULL). Only running out of memory (LULL_NOMEM) may leave the
 * entries before the failing one defined. */
lull_status lull_linker_define_host(lull_linker *l, const char *module,
                                    const lull_host_def *defs, size_t n,
                                    lull_error *err);
/* Defines every export of `inst` under the module name `module`. */
lull_status lull_linker_define_instance(lull_linker *l, const char *module,
                                        lull_instance *inst);
/* Instantiates `m`, taking each import from the linker. */
lull_status lull_linker_instantiate(lull_linker *l, lull_module *m,
                                    lull_instance **out, lull_error *err);
/* The same, running the start function on `t` (see lull_instantiate_on). */
lull_status lull_linker_instantiate_on(lull_linker *l, lull_module *m,
                                       lull_thread *t, lull_instance **out,
                                       lull_error *err);
/* Looks up every import of `m` in the linker and writes them, in the
 * module's import order, to `out` (room for `n`, which must be the import
 * count): what lull_instantiate or lull_snapshot_read take. The objects
 * are borrowed from the linker. LULL_UNLINKABLE ("unknown import") when
 * one is missing; types are checked by whoever instantiates. */
lull_status lull_linker_resolve(lull_linker *l, const lull_module *m,
                                lull_extern *out, size_t n, lull_error *err);

/* ======================================================================
 * Threads and calls
 * ====================================================================== */

typedef enum lull_thread_state {
  LULL_THREAD_IDLE = 0,  /* never called */
  LULL_THREAD_RUNNING,   /* inside lull_call or lull_resume */
  LULL_THREAD_SUSPENDED, /* parked; lull_resume continues it */
  LULL_THREAD_TRAPPED,   /* the last call trapped */
  LULL_THREAD_FINISHED   /* the last call returned */
} lull_thread_state;

typedef enum lull_park_reason {
  LULL_PARK_NONE = 0,
  LULL_PARK_HOST,      /* a host function returned LULL_HOST_SUSPEND */
  LULL_PARK_FUEL,      /* out of fuel */
  LULL_PARK_INTERRUPT  /* lull_thread_interrupt was called */
} lull_park_reason;

/* Makes a thread with an empty stack. Owned by the caller. */
lull_thread *lull_thread_new(lull_engine *e);
/* Frees the thread, and with it a parked call and everything it held. */
void lull_thread_free(lull_thread *t);

/* A pointer of the embedder's, kept with the thread (NULL at first) and
 * never touched by lull. Host functions find it through
 * lull_hostcall_thread. */
void lull_thread_set_data(lull_thread *t, void *data);
void *lull_thread_data(const lull_thread *t);

/* This thread's stack limit in bytes (value slots and frame records), in
 * place of lull_config.stack_limit; 0 goes back to the engine's. A lower
 * limit than the stack already holds takes effect at its next growth:
 * nothing is taken away from a parked call. LULL_BADSTATE while the
 * thread is running. */
lull_status lull_thread_set_stack_limit(lull_thread *t, size_t bytes);
size_t lull_thread_stack_limit(const lull_thread *t);

/* Calls `f` with `nargs` arguments on thread `t`, which must not be running
 * or suspended. Returns LULL_OK with `nresults` results written, LULL_TRAP
 * (see lull_thread_trap_message), LULL_SUSPENDED (the thread is parked;
 * lull_resume continues and eventually writes the results), or LULL_BADARG
 * / LULL_BADSTATE for misuse (wrong count or types, thread busy), with the
 * reason in lull_thread_trap_message. */
lull_status lull_call(lull_thread *t, lull_func *f, const lull_val *args,
                      size_t nargs, lull_val *results, size_t nresults);

/* Calls the function `inst` exports as `name` with arguments as text,
 * each read by lull_val_parse for its parameter's type; `nresults` must
 * be the function's result count. Returns what lull_call returns, with
 * the message also in `err` (may be NULL) for anything but LULL_OK and
 * LULL_SUSPENDED; LULL_NOTFOUND when there is no such exported function,
 * LULL_BADARG when the argument count or an argument is wrong (named in
 * `err`; nothing runs). */
lull_status lull_call_text(lull_thread *t, lull_instance *inst,
                           const char *name, const char *const *args,
                           size_t nargs, lull_val *results, size_t nresults,
                           lull_error *err);

/* Continues a suspended thread. When it parked in a host function,
 * `host_results` are that function's results (count and types must match);
 * when it ran out of fuel or was interrupted, pass none. On completion the
 * results of the call that lull_call started are written to `results`.
 * Returns what lull_call returns. */
lull_status lull_resume(lull_thread *t, const lull_val *host_results,
                        size_t nhost, lull_val *results, size_t nresults);

lull_thread_state lull_thread_state_of(const lull_thread *t);
lull_park_reason lull_thread_park_reason(const lull_thread *t);
/* For LULL_PARK_HOST: the tag the host passed to lull_host_suspend. */
uintptr_t lull_thread_park_tag(const lull_thread *t);

/* The message of the last trap or misuse error, "" if none. Owned by the
 * thread, valid until the next call on it. */
const char *lull_thread_trap_message(const lull_thread *t);

/* What a trap was. XX(name, description): one list makes the enum and
 * lull_trap_code_str. The descriptions of the Wasm traps are the spec's
 * messages, which lull_thread_trap_message starts with. */
#define LULL_TRAP_MAP(XX)                                                     \
  XX(NONE, "no trap")                                                         \
  XX(UNREACHABLE, "unreachable")                                              \
  XX(MEMORY_OUT_OF_BOUNDS, "out of bounds memory access")                     \
  XX(TABLE_OUT_OF_BOUNDS, "out of bounds table access")                       \
  XX(DIVIDE_BY_ZERO, "integer divide by zero")                                \
  XX(INTEGER_OVERFLOW, "integer overflow")                                    \
  XX(BAD_CONVERSION, "invalid conversion to integer")                         \
  XX(STACK_EXHAUSTED, "call stack exhausted")                                 \
  XX(INDIRECT_CALL_MISMATCH, "indirect call type mismatch")                   \
  XX(UNDEFINED_ELEMENT, "undefined element")                                  \
  XX(UNINITIALIZED_ELEMENT, "uninitialized element")                          \
  XX(NULL_REFERENCE, "null reference")                                        \
  XX(CAST_FAILURE, "cast failure")                                            \
  XX(OUT_OF_MEMORY, "out of memory")                                          \
  XX(HOST, "host function trapped")                                           \
  XX(OTHER, "other trap")

typedef enum lull_trap_code {
#define LULL_XX_(name, desc) LULL_TRAP_##name,
  LULL_TRAP_MAP(LULL_XX_)
#undef LULL_XX_
  /* Codes from here up are the embedder's own (lull_host_trap_code). */
  LULL_TRAP_USER = 0x10000
} lull_trap_code;

/* A short English description of a code; "embedder-defined trap" for one
 * of LULL_TRAP_USER and above, "?" for an unknown one. Never NULL. */
const char *lull_trap_code_str(uint32_t code);

/* The code of the last trap (a lull_trap_code, or the embedder's own):
 * LULL_TRAP_NONE when the last call did not trap (misuse of the API
 * included). */
uint32_t lull_thread_trap_code(const lull_thread *t);

/* After a call ended with LULL_EXCEPTION (an exception no Wasm frame
 * caught): its tag in *tag (borrowed: alive until the next call on the
 * thread or its free) and up to `max` values of its payload in `payload`
 * (may be NULL); returns the payload's length. The trap message names
 * the tag ("uncaught exception: tag \"e\"") and the backtrace shows
 * where it was thrown. 0, with *tag NULL, when the thread holds none. */
size_t lull_thread_exception(const lull_thread *t, lull_tag **tag,
                             lull_val *payload, size_t max);

/* One frame of a trap backtrace, innermost first. A host function's
 * frame (between Wasm frames, under lull_host_call) has func_index
 * UINT32_MAX, func_name "<host>" and no instance. */
typedef struct lull_frame_info {
  uint32_t func_index;   /* in the module's function index space */
  const char *func_name; /* from the name section, or NULL; borrowed */
  uint32_t wasm_offset;  /* byte offset of the instruction in the module */
  const lull_instance *instance; /* the frame's instance: an address to
                                    compare only (it may be freed since) */
} lull_frame_info;

/* Copies up to `max` frames of the last trap's backtrace to `out` and
 * returns how many it holds: the innermost frames, at most 100. */
size_t lull_thread_backtrace(const lull_thread *t, lull_frame_info *out,
                             size_t max);

/* Fuel. One unit is about one WebAssembly instruction: the compiler charges
 * each straight-line region's instruction count at the safe point (function
 * entry or loop header) that starts it. A thread with fuel parks with
 * LULL_PARK_FUEL once its fuel is spent; it may overshoot by at most one
 * region. LULL_FUEL_UNLIMITED (the default) turns fuel off. */
#define LULL_FUEL_UNLIMITED UINT64_MAX
void lull_thread_set_fuel(lull_thread *t, uint64_t fuel);
uint64_t lull_thread_fuel(const lull_thread *t);

/* Asks the thread to park with LULL_PARK_INTERRUPT at a safe point: the
 * next one when the flag is set before lull_call or lull_resume or by one
 * of the thread's host functions, else within 16,384 fuel units of the
 * guest's own work (some tens of microseconds; the safepoints test the
 * flag only between such parts of fuel, which keeps them cheap). Lock-free
 * and async-signal-safe: any OS thread or a signal handler may call it
 * while `t` is alive. The flag is cleared when the thread parks. */
void lull_thread_interrupt(lull_thread *t);

/* ======================================================================
 * Host functions
 * ====================================================================== */

/* The thread and instance a host call runs on. Borrowed. The instance is
 * the caller's (NULL when the host function was called by lull_call). */
lull_thread *lull_hostcall_thread(lull_hostcall *hc);
lull_instance *lull_hostcall_instance(lull_hostcall *hc);
/* The calling instance's memory 0, or NULL. */
lull_memory *lull_hostcall_memory(lull_hostcall *hc);
/* The calling instance's memory `index`, or NULL. */
lull_memory *lull_hostcall_memory_at(lull_hostcall *hc, uint32_t index);

/* Records a trap message (copied) and returns LULL_HOST_TRAP. The trap's
 * code is LULL_TRAP_HOST. */
lull_hostret lull_host_trap(lull_hostcall *hc, const char *message);
/* The same with a code of the host's choosing: one of lull_trap_code
 * (a host that checks bounds itself may report
 * LULL_TRAP_MEMORY_OUT_OF_BOUNDS) or LULL_TRAP_USER and above; 0
 * (LULL_TRAP_NONE) means LULL_TRAP_HOST. */
lull_hostret lull_host_trap_code(lull_hostcall *hc, uint32_t code,
                                 const char *message);

/* Returns LULL_HOST_SUSPEND: the thread parks with LULL_PARK_HOST and `tag`
 * (any value the host wants to find again with lull_thread_park_tag). The
 * results array is not used; lull_resume supplies the results. */
lull_hostret lull_host_suspend(lull_hostcall *hc, uintptr_t tag);

/* A continuation: called when a Wasm function started by lull_host_call
 * returns. It gets that function's results, the state bytes given to
 * lull_host_call (which it may change in place), and the results array of
 * the original host call; it returns what happens next, like a host
 * function. `env` is the one given to lull_cont_register. */
typedef lull_hostret (*lull_cont_fn)(lull_hostcall *hc,
                                     const lull_val *callee_results,
                                     void *state, size_t state_len,
                                     lull_val *results, void *env);

/* Registers a continuation under a name, unique per engine. Snapshots name
 * continuations this way, so a snapshot taken inside one can be resumed by
 * an engine that registered the same name. Owned by the engine. Returns
 * NULL when the name is taken or memory runs out. */
lull_cont *lull_cont_register(lull_engine *e, const char *name,
                              lull_cont_fn fn, void *env);

/* Returns LULL_HOST_CALL: the thread calls `f` with `args` on the heap
 * stack, then calls `k` with its results and a copy of `state`. The C stack
 * does not grow. On misuse (argument count or types) the host call traps.
 * When `f` throws an exception that it does not catch, `k` is called
 * with callee_results NULL instead: lull_hostcall_exception reads the
 * exception; returning anything but lull_host_rethrow's value ends it
 * there (the continuation caught it). */
lull_hostret lull_host_call(lull_hostcall *hc, lull_func *f,
                            const lull_val *args, size_t nargs,
                            const lull_cont *k, const void *state,
                            size_t state_len);

/* Returns LULL_HOST_THROW: instead of returning, the host call throws a
 * new exception of `tag` with `args` (copied) as its payload, which the
 * calling Wasm frames may catch; if none does, the call that started the
 * thread ends with LULL_EXCEPTION. On misuse (a NULL tag, argument count
 * or types) the host call traps. */
lull_hostret lull_host_throw(lull_hostcall *hc, lull_tag *tag,
                             const lull_val *args, size_t nargs);

/* In a continuation whose callee threw: the exception's tag (borrowed,
 * alive during the continuation) in *tag and up to `max` values of its
 * payload in `payload` (may be NULL); returns the payload's length. 0,
 * with *tag NULL, when the callee returned. */
size_t lull_hostcall_exception(lull_hostcall *hc, lull_tag **tag,
                               lull_val *payload, size_t max);

/* In a continuation whose callee threw: returns LULL_HOST_THROW, and the
 * exception goes on into the frames below (the continuation does not
 * catch it). Anywhere else the host call traps. */
lull_hostret lull_host_rethrow(lull_hostcall *hc);

/* ======================================================================
 * GC objects (LULL_FEATURE_GC)
 *
 * Structs and arrays live in the engine's heap and are freed by its
 * collector once nothing reaches them: no frame of a thread, global,
 * table, element segment or pin. A host function's arguments and the
 * results it has written are roots while it runs, and so are a
 * continuation's callee results and its own results. Any other reference the
 * host holds in a lull_val (from a result, a global or a table) is not:
 * pin it with lull_gc_pin to keep the object across calls that may
 * collect (running Wasm, lull_gc_collect, making objects).
 * Collection is incremental: allocation pays for it in steps of bounded
 * work, so no single pause grows with the heap. None of these functions
 * may be called from another OS thread while a thread of the engine runs.
 * ====================================================================== */

typedef struct lull_gc_stats {
  uint64_t bytes;          /* taken by objects now, headers included */
  uint64_t limit;          /* lull_config.gc_heap_limit */
  uint64_t cycles;         /* incremental collections completed */
  uint64_t full;           /* whole collections (lull_gc_collect, or an
                              allocation at the limit) */
  uint64_t steps;          /* bounded steps taken by allocation */
  uint64_t pause_max_ns;   /* the longest step (a guest's longest pause
                              for collection, whole collections aside) */
  uint64_t pause_total_ns; /* time spent collecting, all of it */
  uint64_t allocated;      /* bytes ever allocated */
  uint64_t peak_bytes;     /* the most `bytes` has been */
  uint64_t live_max;       /* the most a collection found reachable when
                              it started (objects made meanwhile aside) */
} lull_gc_stats;

/* Fills `out` with the engine's heap figures. */
void lull_gc_stats_get(const lull_engine *e, lull_gc_stats *out);

/* The engine type id of type index `index` of module `m` (what
 * lull_gc_struct_new and lull_gc_array_new take, and what a (ref $t)
 * lull hands out names). LULL_BADARG for a bad index. */
lull_status lull_module_type_id(const lull_module *m, uint32_t index,
                                uint32_t *out);

/* Keeps the object `v` refers to alive until as many lull_gc_unpin
 * calls (pins count). An i31 or null needs none (LULL_OK); a value that
 * is not an object lull handed out is LULL_BADARG; LULL_NOMEM. */
lull_status lull_gc_pin(lull_engine *e, const lull_val *v);
lull_status lull_gc_unpin(lull_engine *e, const lull_val *v);

/* A new struct of engine type `type` with field values `fields` (an i8
 * or i16 field takes an i32, wrapped), into *out as (ref $type).
 * LULL_BADARG for a type that is no struct or values that do not fit,
 * LULL_TRAP past the heap limit, LULL_NOMEM. The object may be collected
 * once the host lets go of it unpinned (see above). */
lull_status lull_gc_struct_new(lull_engine *e, uint32_t type,
                               const lull_val *fields, size_t nfields,
                               lull_val *out);
/* A new array of engine type `type` with `len` elements, each `init`
 * (NULL: the default value, where the element type has one). */
lull_status lull_gc_array_new(lull_engine *e, uint32_t type, uint32_t len,
                              const lull_val *init, lull_val *out);
/* Field `field` of the struct `ref` refers to (packed fields as an i32,
 * zero-extended). LULL_BADARG for a null, a non-struct, a bad index. */
lull_status lull_gc_struct_get(lull_engine *e, const lull_val *ref,
                               uint32_t field, lull_val *out);
/* The length of an array, and element i of it (packed: zero-extended). */
lull_status lull_gc_array_len(lull_engine *e, const lull_val *ref,
                              uint32_t *out);
lull_status lull_gc_array_get(lull_engine *e, const lull_val *ref,
                              uint32_t i, lull_val *out);

/* An anyref holding a host value (as any.convert_extern makes from an
 * externref): NULL gives a null anyref. LULL_TRAP past the heap limit. */
lull_status lull_gc_host_ref(lull_engine *e, void *host, lull_val *out);
/* Is `v` an anyref of engine `e` holding a host value? Then *out, unless
 * NULL, gets it. */
int lull_val_host(const lull_engine *e, const lull_val *v, void **out);
/* extern.convert_any and any.convert_extern for the host: the externref
 * of an anyref (a host value comes back as itself) and the reverse. */
lull_status lull_gc_extern_of(lull_engine *e, const lull_val *any,
                              lull_val *out);
lull_status lull_gc_any_of(lull_engine *e, const lull_val *ext,
                           lull_val *out);

/* Collects the whole heap now (a pause as long as the heap is big).
 * Threads may be parked or inside host functions; a constant expression
 * being evaluated (instantiation) postpones it. LULL_BADARG without an
 * engine. */
lull_status lull_gc_collect(lull_engine *e);

/* ======================================================================
 * Snapshots
 * ====================================================================== */

/* Writes suspended thread `t`, parked in instance `inst`, to a new byte
 * string: the thread's frames and live slots, the instance's memories,
 * tables, globals and dropped segments, and `extra` (bytes of the
 * embedder's own, e.g. a WASI context; may be NULL). Every Wasm frame must
 * run in `inst`, every host frame must use a continuation registered by
 * name, and every function reference must be one of `inst`'s functions.
 * The format is little-endian and versioned and names the module by a
 * SHA-256 of its bytes; identical states give identical bytes, and
 * all-zero memory pages take almost no room. On success *out (allocated
 * with the engine's allocator; release it with lull_snapshot_free) and
 * *out_len are set. The thread stays suspended. */
lull_status lull_snapshot_write(lull_thread *t, lull_instance *inst,
                                const void *extra, size_t extra_len,
                                uint8_t **out, size_t *out_len,
                                lull_error *err);
void lull_snapshot_free(lull_engine *e, uint8_t *bytes, size_t len);

/* The `extra` bytes of a snapshot, without reading the rest: an embedder
 * may need them (say, to rebuild its WASI context) before it can make the
 * imports lull_snapshot_read takes. Checks the header and the checksum;
 * *extra points into `bytes`. LULL_BADSNAPSHOT when they do not hold. */
lull_status lull_snapshot_extra(const uint8_t *bytes, size_t len,
                                const uint8_t **extra, size_t *extra_len,
                                lull_error *err);

/* Reads a snapshot of module `m` (the same bytes as when it was written)
 * into a new instance, made with `imports` like lull_instantiate but
 * without running segment initialization or the start function, and a new
 * suspended thread; lull_resume continues it where it parked. *extra and
 * *extra_len (may be NULL) point into `bytes`. A snapshot that is
 * truncated, corrupted, made for another module or version, or that does
 * not fit the module is refused with LULL_BADSNAPSHOT and a message, and
 * nothing is left allocated. */
lull_status lull_snapshot_read(lull_engine *e, lull_module *m,
                               const lull_extern *imports, size_t nimports,
                               const uint8_t *bytes, size_t len,
                               lull_instance **inst, lull_thread **thread,
                               const uint8_t **extra, size_t *extra_len,
                               lull_error *err);

#ifdef __cplusplus
}
#endif
#endif /* LULL_H */

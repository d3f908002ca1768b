/*
 * wasm.h -- the standard WebAssembly C API (the wasm-c-api project's
 * interface, which other engines implement too), written for lull on top
 * of its core API (lull.h). A program written against it switches engines
 * by relinking.
 *
 * Ownership, the API's own conventions:
 *   - A parameter or result marked `own` passes ownership: the receiver
 *     deletes it (wasm_X_delete). Everything else is borrowed.
 *   - A vector (wasm_X_vec_t) owns its elements; deleting it deletes them.
 *     Vectors are plain structs: new, new_empty and new_uninitialized fill
 *     one, wasm_X_vec_delete empties it.
 *   - Types (valtype, functype, ...) are plain values: a copy is a deep copy.
 *   - Reference objects (func, global, table, memory, extern, instance,
 *     module, trap, foreign, and wasm_ref_t, which stands for any of them)
 *     are handles: wasm_X_copy gives another handle to the same object,
 *     wasm_X_same compares objects, and every handle is deleted on its own.
 *     A handle keeps its object alive: an export outlives its instance.
 *
 * Objects and stores: everything made with a store belongs to it and must
 * be deleted before it (wasm_store_delete deletes what is left). A store
 * and its objects may be used by one OS thread at a time. An engine may be
 * shared by any number of threads, each with stores of its own, and a
 * module reaches another thread's store through wasm_module_share and
 * wasm_module_obtain.
 *
 * Host info: any reference object carries one pointer of the embedder's,
 * with an optional finalizer, shared by every handle to the object. The
 * finalizer runs once, when the last handle is deleted, or when the store
 * is deleted for an object Wasm may still hold as an anyref.
 *
 * lull's details: a value wasm.h cannot name (v128, and the references of
 * GC and exception handling) has the kind WASM_LULL_UNNAMED in the types
 * lull reports, and functions taking or returning one cannot be called
 * through this API; tags (exception handling) are left out of a module's
 * imports and exports. Limits over 2^32 - 1 (memory64, table64) are
 * reported as 2^32 - 1.
 */
#ifndef WASM_H
#define WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef WASM_API_EXTERN
#define WASM_API_EXTERN
#endif

/* Marks what passes ownership (see above); expands to nothing. */
#define own

typedef char byte_t;
typedef float float32_t;
typedef double float64_t;

/* ======================================================================
 * The families of declarations every object kind shares
 * ====================================================================== */

/* An object with a delete function. */
#define WASM_DECLARE_OWN(name)                                                \
  typedef struct wasm_##name##_t wasm_##name##_t;                             \
  WASM_API_EXTERN void wasm_##name##_delete(own wasm_##name##_t *);

/* A vector of `name` values (ptr_or_none empty) or of owned pointers to
 * them (ptr_or_none `*`). new_uninitialized leaves pointer elements NULL;
 * new takes ownership of the elements it is given; copy deep-copies. */
#define WASM_DECLARE_VEC(name, ptr_or_none)                                   \
  typedef struct wasm_##name##_vec_t {                                        \
    size_t size;                                                              \
    wasm_##name##_t ptr_or_none *data;                                        \
  } wasm_##name##_vec_t;                                                      \
  WASM_API_EXTERN void wasm_##name##_vec_new_empty(                           \
      own wasm_##name##_vec_t *out);                                          \
  WASM_API_EXTERN void wasm_##name##_vec_new_uninitialized(                   \
      own wasm_##name##_vec_t *out, size_t);                                  \
  WASM_API_EXTERN void wasm_##name##_vec_new(                                 \
      own wasm_##name##_vec_t *out, size_t,                                   \
      own wasm_##name##_t ptr_or_none const[]);                               \
  WASM_API_EXTERN void wasm_##name##_vec_copy(                                \
      own wasm_##name##_vec_t *out, const wasm_##name##_vec_t *);             \
  WASM_API_EXTERN void wasm_##name##_vec_delete(own wasm_##name##_vec_t *);

/* ======================================================================
 * Bytes and names
 * ====================================================================== */

typedef byte_t wasm_byte_t;
WASM_DECLARE_VEC(byte, )

/* A name is a byte vector (UTF-8, not NUL-terminated unless made so). */
typedef wasm_byte_vec_t wasm_name_t;
#define wasm_name wasm_byte_vec
#define wasm_name_new wasm_byte_vec_new
#define wasm_name_new_empty wasm_byte_vec_new_empty
#define wasm_name_new_uninitialized wasm_byte_vec_new_uninitialized
#define wasm_name_copy wasm_byte_vec_copy
#define wasm_name_delete wasm_byte_vec_delete

/* A name holding the bytes of `s`, without its NUL. */
static inline void wasm_name_new_from_string(own wasm_name_t *out,
                                             own const char *s) {
  wasm_name_new(out, strlen(s), s);
}
/* A name holding the bytes of `s` and its NUL (as trap messages are). */
static inline void wasm_name_new_from_string_nt(own wasm_name_t *out,
                                                own const char *s) {
  wasm_name_new(out, strlen(s) + 1, s);
}

/* ======================================================================
 * Configuration, engine, store
 * ====================================================================== */

/* Engine settings; lull's defaults (lull_config_init) throughout. */
WASM_DECLARE_OWN(config)
WASM_API_EXTERN own wasm_config_t *wasm_config_new(void);

/* An engine: settings shared by its stores; safe to use from any thread.
 * NULL when out of memory. */
WASM_DECLARE_OWN(engine)
WASM_API_EXTERN own wasm_engine_t *wasm_engine_new(void);
/* Takes `config` (deleted here, also on failure). */
WASM_API_EXTERN own wasm_engine_t *
wasm_engine_new_with_config(own wasm_config_t *);

/* A store: the objects of one embedding context (one lull engine). The
 * engine must outlive it. NULL when out of memory. */
WASM_DECLARE_OWN(store)
WASM_API_EXTERN own wasm_store_t *wasm_store_new(wasm_engine_t *);

/* ======================================================================
 * Types
 * ====================================================================== */

typedef uint8_t wasm_mutability_t;
enum wasm_mutability_enum { WASM_CONST, WASM_VAR };

/* Sizes of memories (pages) and tables (elements). */
typedef struct wasm_limits_t {
  uint32_t min;
  uint32_t max;
} wasm_limits_t;
/* The `max` of limits that have none. */
static const uint32_t wasm_limits_max_default = 0xffffffff;

/* A type: delete, copy and its vector. */
#define WASM_DECLARE_TYPE(name)                                               \
  WASM_DECLARE_OWN(name)                                                      \
  WASM_DECLARE_VEC(name, *)                                                   \
  WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_copy(                    \
      const wasm_##name##_t *);

WASM_DECLARE_TYPE(valtype)

typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
  WASM_I32,
  WASM_I64,
  WASM_F32,
  WASM_F64,
  WASM_ANYREF = 128, /* lull: an externref */
  WASM_FUNCREF,
  WASM_EXTERNREF = WASM_ANYREF, /* the name other engines use too */
  WASM_LULL_UNNAMED = 255 /* a type wasm.h has no kind for */
};

WASM_API_EXTERN own wasm_valtype_t *wasm_valtype_new(wasm_valkind_t);
WASM_API_EXTERN wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *);

static inline bool wasm_valkind_is_num(wasm_valkind_t k) {
  return k < WASM_ANYREF;
}
static inline bool wasm_valkind_is_ref(wasm_valkind_t k) {
  return k >= WASM_ANYREF;
}
static inline bool wasm_valtype_is_num(const wasm_valtype_t *t) {
  return wasm_valkind_is_num(wasm_valtype_kind(t));
}
static inline bool wasm_valtype_is_ref(const wasm_valtype_t *t) {
  return wasm_valkind_is_ref(wasm_valtype_kind(t));
}

/* Function types own their parameter and result vectors. */
WASM_DECLARE_TYPE(functype)
WASM_API_EXTERN own wasm_functype_t *
wasm_functype_new(own wasm_valtype_vec_t *params,
                  own wasm_valtype_vec_t *results);
WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_params(const wasm_functype_t *);
WASM_API_EXTERN const wasm_valtype_vec_t *
wasm_functype_results(const wasm_functype_t *);

WASM_DECLARE_TYPE(globaltype)
WASM_API_EXTERN own wasm_globaltype_t *
wasm_globaltype_new(own wasm_valtype_t *, wasm_mutability_t);
WASM_API_EXTERN const wasm_valtype_t *
wasm_globaltype_content(const wasm_globaltype_t *);
WASM_API_EXTERN wasm_mutability_t
wasm_globaltype_mutability(const wasm_globaltype_t *);

WASM_DECLARE_TYPE(tabletype)
WASM_API_EXTERN own wasm_tabletype_t *
wasm_tabletype_new(own wasm_valtype_t *, const wasm_limits_t *);
WASM_API_EXTERN const wasm_valtype_t *
wasm_tabletype_element(const wasm_tabletype_t *);
WASM_API_EXTERN const wasm_limits_t *
wasm_tabletype_limits(const wasm_tabletype_t *);

WASM_DECLARE_TYPE(memorytype)
WASM_API_EXTERN own wasm_memorytype_t *
wasm_memorytype_new(const wasm_limits_t *);
WASM_API_EXTERN const wasm_limits_t *
wasm_memorytype_limits(const wasm_memorytype_t *);

/* Any of the four types above; the casts between them return the same
 * object (borrowed), or NULL for the wrong kind. */
WASM_DECLARE_TYPE(externtype)

typedef uint8_t wasm_externkind_t;
enum wasm_externkind_enum {
  WASM_EXTERN_FUNC,
  WASM_EXTERN_GLOBAL,
  WASM_EXTERN_TABLE,
  WASM_EXTERN_MEMORY
};

WASM_API_EXTERN wasm_externkind_t
wasm_externtype_kind(const wasm_externtype_t *);

#define WASM_DECLARE_EXTERNTYPE_CASTS(name)                                   \
  WASM_API_EXTERN wasm_externtype_t *wasm_##name##_as_externtype(             \
      wasm_##name##_t *);                                                     \
  WASM_API_EXTERN wasm_##name##_t *wasm_externtype_as_##name(                 \
      wasm_externtype_t *);                                                   \
  WASM_API_EXTERN const wasm_externtype_t *                                   \
  wasm_##name##_as_externtype_const(const wasm_##name##_t *);                 \
  WASM_API_EXTERN const wasm_##name##_t *wasm_externtype_as_##name##_const(   \
      const wasm_externtype_t *);

WASM_DECLARE_EXTERNTYPE_CASTS(functype)
WASM_DECLARE_EXTERNTYPE_CASTS(globaltype)
WASM_DECLARE_EXTERNTYPE_CASTS(tabletype)
WASM_DECLARE_EXTERNTYPE_CASTS(memorytype)

/* An import: module name, name and type, all owned by it. */
WASM_DECLARE_TYPE(importtype)
WASM_API_EXTERN own wasm_importtype_t *
wasm_importtype_new(own wasm_name_t *module, own wasm_name_t *name,
                    own wasm_externtype_t *);
WASM_API_EXTERN const wasm_name_t *
wasm_importtype_module(const wasm_importtype_t *);
WASM_API_EXTERN const wasm_name_t *
wasm_importtype_name(const wasm_importtype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_importtype_type(const wasm_importtype_t *);

WASM_DECLARE_TYPE(exporttype)
WASM_API_EXTERN own wasm_exporttype_t *
wasm_exporttype_new(own wasm_name_t *, own wasm_externtype_t *);
WASM_API_EXTERN const wasm_name_t *
wasm_exporttype_name(const wasm_exporttype_t *);
WASM_API_EXTERN const wasm_externtype_t *
wasm_exporttype_type(const wasm_exporttype_t *);

/* ======================================================================
 * Values
 * ====================================================================== */

struct wasm_ref_t;

/* A value. A reference (WASM_ANYREF, WASM_FUNCREF) is a handle the value
 * owns, or NULL for null: wasm_val_delete deletes it. */
typedef struct wasm_val_t {
  wasm_valkind_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float32_t f32;
    float64_t f64;
    struct wasm_ref_t *ref;
  } of;
} wasm_val_t;

WASM_API_EXTERN void wasm_val_delete(own wasm_val_t *v);
WASM_API_EXTERN void wasm_val_copy(own wasm_val_t *out, const wasm_val_t *);

WASM_DECLARE_VEC(val, )

/* ======================================================================
 * References
 * ====================================================================== */

/* A reference object: handles, identity and host info. */
#define WASM_DECLARE_REF_BASE(name)                                           \
  WASM_DECLARE_OWN(name)                                                      \
  WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_copy(                    \
      const wasm_##name##_t *);                                               \
  WASM_API_EXTERN bool wasm_##name##_same(const wasm_##name##_t *,            \
                                          const wasm_##name##_t *);           \
  WASM_API_EXTERN void *wasm_##name##_get_host_info(const wasm_##name##_t *); \
  WASM_API_EXTERN void wasm_##name##_set_host_info(wasm_##name##_t *,         \
                                                   void *);                   \
  WASM_API_EXTERN void wasm_##name##_set_host_info_with_finalizer(            \
      wasm_##name##_t *, void *, void (*)(void *));

/* The same, with casts to and from wasm_ref_t (the same object, borrowed;
 * NULL for the wrong kind). */
#define WASM_DECLARE_REF(name)                                                \
  WASM_DECLARE_REF_BASE(name)                                                 \
  WASM_API_EXTERN wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *);        \
  WASM_API_EXTERN wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *);          \
  WASM_API_EXTERN const wasm_ref_t *wasm_##name##_as_ref_const(               \
      const wasm_##name##_t *);                                               \
  WASM_API_EXTERN const wasm_##name##_t *wasm_ref_as_##name##_const(          \
      const wasm_ref_t *);

/* The same, with a form that other threads' stores may obtain. */
#define WASM_DECLARE_SHARABLE_REF(name)                                       \
  WASM_DECLARE_REF(name)                                                      \
  WASM_DECLARE_OWN(shared_##name)                                             \
  WASM_API_EXTERN own wasm_shared_##name##_t *wasm_##name##_share(            \
      const wasm_##name##_t *);                                               \
  WASM_API_EXTERN own wasm_##name##_t *wasm_##name##_obtain(                  \
      wasm_store_t *, const wasm_shared_##name##_t *);

WASM_DECLARE_REF_BASE(ref)

/* ======================================================================
 * Frames and traps
 * ====================================================================== */

/* One frame of a trap's backtrace: Wasm frames only (a host function
 * that called Wasm again has none). */
WASM_DECLARE_OWN(frame)
WASM_DECLARE_VEC(frame, *)
WASM_API_EXTERN own wasm_frame_t *wasm_frame_copy(const wasm_frame_t *);

/* The instance the frame runs in (borrowed; NULL in a trap of a start
 * function, whose instance never came to be), the function's index in
 * its module, and the byte offset of the instruction from the start of
 * the function's body and from the start of the module. */
WASM_API_EXTERN struct wasm_instance_t *
wasm_frame_instance(const wasm_frame_t *);
WASM_API_EXTERN uint32_t wasm_frame_func_index(const wasm_frame_t *);
WASM_API_EXTERN size_t wasm_frame_func_offset(const wasm_frame_t *);
WASM_API_EXTERN size_t wasm_frame_module_offset(const wasm_frame_t *);

typedef wasm_name_t wasm_message_t;

WASM_DECLARE_REF(trap)
/* A trap with `message` (copied; by convention NUL-terminated). */
WASM_API_EXTERN own wasm_trap_t *wasm_trap_new(wasm_store_t *,
                                               const wasm_message_t *);
/* The message, NUL included. */
WASM_API_EXTERN void wasm_trap_message(const wasm_trap_t *,
                                       own wasm_message_t *out);
/* The innermost frame, or NULL when the trap has none (made by the
 * host). */
WASM_API_EXTERN own wasm_frame_t *wasm_trap_origin(const wasm_trap_t *);
/* Every frame, innermost first (at most 100). */
WASM_API_EXTERN void wasm_trap_trace(const wasm_trap_t *,
                                     own wasm_frame_vec_t *out);

/* ======================================================================
 * Foreign objects: the host's own references, with identity and host info
 * ====================================================================== */

WASM_DECLARE_REF(foreign)
WASM_API_EXTERN own wasm_foreign_t *wasm_foreign_new(wasm_store_t *);

/* ======================================================================
 * Modules
 * ====================================================================== */

WASM_DECLARE_SHARABLE_REF(module)

/* Decodes, validates and compiles `binary` (copied). NULL when it is not
 * a valid module. */
WASM_API_EXTERN own wasm_module_t *wasm_module_new(wasm_store_t *,
                                                   const wasm_byte_vec_t *binary);
WASM_API_EXTERN bool wasm_module_validate(wasm_store_t *,
                                          const wasm_byte_vec_t *binary);
WASM_API_EXTERN void wasm_module_imports(const wasm_module_t *,
                                         own wasm_importtype_vec_t *out);
WASM_API_EXTERN void wasm_module_exports(const wasm_module_t *,
                                         own wasm_exporttype_vec_t *out);

/* The compiled module as bytes, for wasm_module_deserialize in a store of
 * this build of lull (an empty vector when it cannot be made). */
WASM_API_EXTERN void wasm_module_serialize(const wasm_module_t *,
                                           own wasm_byte_vec_t *out);
/* NULL when the bytes are not usable (see lull_module_deserialize). */
WASM_API_EXTERN own wasm_module_t *
wasm_module_deserialize(wasm_store_t *, const wasm_byte_vec_t *);

/* ======================================================================
 * Functions
 * ====================================================================== */

WASM_DECLARE_REF(func)

/* A host function: it reads `args`, writes as many results as its type
 * has to `results` (owned by the caller, which deletes the references
 * written), and returns NULL or a trap (which it gives up). */
typedef own wasm_trap_t *(*wasm_func_callback_t)(const wasm_val_vec_t *args,
                                                 own wasm_val_vec_t *results);
typedef own wasm_trap_t *(*wasm_func_callback_with_env_t)(
    void *env, const wasm_val_vec_t *args, own wasm_val_vec_t *results);

WASM_API_EXTERN own wasm_func_t *
wasm_func_new(wasm_store_t *, const wasm_functype_t *, wasm_func_callback_t);
/* `finalizer` (may be NULL) runs on `env` when the function dies: when
 * neither a handle nor an instance nor a table holds it any longer. */
WASM_API_EXTERN own wasm_func_t *
wasm_func_new_with_env(wasm_store_t *, const wasm_functype_t *type,
                       wasm_func_callback_with_env_t, void *env,
                       void (*finalizer)(void *));

WASM_API_EXTERN own wasm_functype_t *wasm_func_type(const wasm_func_t *);
WASM_API_EXTERN size_t wasm_func_param_arity(const wasm_func_t *);
WASM_API_EXTERN size_t wasm_func_result_arity(const wasm_func_t *);

/* Calls the function. `results` must hold result_arity values; they are
 * written (and owned by the caller) only when NULL is returned. A trap,
 * a wrong argument count or type, or an uncaught exception returns a
 * trap saying so. A host function may call functions again. */
WASM_API_EXTERN own wasm_trap_t *wasm_func_call(const wasm_func_t *,
                                                const wasm_val_vec_t *args,
                                                wasm_val_vec_t *results);

/* ======================================================================
 * Globals, tables, memories
 * ====================================================================== */

WASM_DECLARE_REF(global)
/* NULL when `val` is not of the type's content. */
WASM_API_EXTERN own wasm_global_t *wasm_global_new(wasm_store_t *,
                                                   const wasm_globaltype_t *,
                                                   const wasm_val_t *);
WASM_API_EXTERN own wasm_globaltype_t *wasm_global_type(const wasm_global_t *);
WASM_API_EXTERN void wasm_global_get(const wasm_global_t *,
                                     own wasm_val_t *out);
/* Does nothing for an immutable global or a value of another type. */
WASM_API_EXTERN void wasm_global_set(wasm_global_t *, const wasm_val_t *);

WASM_DECLARE_REF(table)
typedef uint32_t wasm_table_size_t;
/* Every element is `init` (NULL: null). */
WASM_API_EXTERN own wasm_table_t *wasm_table_new(wasm_store_t *,
                                                 const wasm_tabletype_t *,
                                                 wasm_ref_t *init);
/* The type with the current size as its minimum. */
WASM_API_EXTERN own wasm_tabletype_t *wasm_table_type(const wasm_table_t *);
/* Element `index`; NULL for null or an index out of range. */
WASM_API_EXTERN own wasm_ref_t *wasm_table_get(const wasm_table_t *,
                                               wasm_table_size_t index);
/* false for an index out of range or a reference of the wrong kind. */
WASM_API_EXTERN bool wasm_table_set(wasm_table_t *, wasm_table_size_t index,
                                    wasm_ref_t *);
WASM_API_EXTERN wasm_table_size_t wasm_table_size(const wasm_table_t *);
WASM_API_EXTERN bool wasm_table_grow(wasm_table_t *, wasm_table_size_t delta,
                                     wasm_ref_t *init);

WASM_DECLARE_REF(memory)
typedef uint32_t wasm_memory_pages_t;
static const size_t MEMORY_PAGE_SIZE = 0x10000;
WASM_API_EXTERN own wasm_memory_t *wasm_memory_new(wasm_store_t *,
                                                   const wasm_memorytype_t *);
/* The type with the current size as its minimum. */
WASM_API_EXTERN own wasm_memorytype_t *
wasm_memory_type(const wasm_memory_t *);
/* The bytes; the pointer may change when the memory grows or Wasm runs. */
WASM_API_EXTERN byte_t *wasm_memory_data(wasm_memory_t *);
WASM_API_EXTERN size_t wasm_memory_data_size(const wasm_memory_t *);
WASM_API_EXTERN wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *);
WASM_API_EXTERN bool wasm_memory_grow(wasm_memory_t *,
                                      wasm_memory_pages_t delta);

/* ======================================================================
 * Externals: any of the four, the same objects (the casts are borrowed)
 * ====================================================================== */

WASM_DECLARE_REF(extern)
WASM_DECLARE_VEC(extern, *)

WASM_API_EXTERN wasm_externkind_t wasm_extern_kind(const wasm_extern_t *);
WASM_API_EXTERN own wasm_externtype_t *wasm_extern_type(const wasm_extern_t *);

#define WASM_DECLARE_EXTERN_CASTS(name)                                       \
  WASM_API_EXTERN wasm_extern_t *wasm_##name##_as_extern(wasm_##name##_t *);  \
  WASM_API_EXTERN wasm_##name##_t *wasm_extern_as_##name(wasm_extern_t *);    \
  WASM_API_EXTERN const wasm_extern_t *wasm_##name##_as_extern_const(         \
      const wasm_##name##_t *);                                               \
  WASM_API_EXTERN const wasm_##name##_t *wasm_extern_as_##name##_const(       \
      const wasm_extern_t *);

WASM_DECLARE_EXTERN_CASTS(func)
WASM_DECLARE_EXTERN_CASTS(global)
WASM_DECLARE_EXTERN_CASTS(table)
WASM_DECLARE_EXTERN_CASTS(memory)

/* ======================================================================
 * Instances
 * ====================================================================== */

WASM_DECLARE_REF(instance)

/* Instantiates `module` (made with the same store) with `imports` in the
 * module's import order and runs its start function. NULL on failure;
 * then *trap (when `trap` is not NULL) is a trap saying why: the start
 * function's trap with its frames, or a link error (missing or
 * mistyped import) as a message. */
WASM_API_EXTERN own wasm_instance_t *
wasm_instance_new(wasm_store_t *, const wasm_module_t *,
                  const wasm_extern_vec_t *imports, own wasm_trap_t **trap);

/* The exports, in the module's order. */
WASM_API_EXTERN void wasm_instance_exports(const wasm_instance_t *,
                                           own wasm_extern_vec_t *out);

/* ======================================================================
 * Conveniences
 * ====================================================================== */

static inline own wasm_valtype_t *wasm_valtype_new_i32(void) {
  return wasm_valtype_new(WASM_I32);
}
static inline own wasm_valtype_t *wasm_valtype_new_i64(void) {
  return wasm_valtype_new(WASM_I64);
}
static inline own wasm_valtype_t *wasm_valtype_new_f32(void) {
  return wasm_valtype_new(WASM_F32);
}
static inline own wasm_valtype_t *wasm_valtype_new_f64(void) {
  return wasm_valtype_new(WASM_F64);
}
static inline own wasm_valtype_t *wasm_valtype_new_anyref(void) {
  return wasm_valtype_new(WASM_ANYREF);
}
static inline own wasm_valtype_t *wasm_valtype_new_funcref(void) {
  return wasm_valtype_new(WASM_FUNCREF);
}

/* wasm_functype_new_P_R: a function type of P parameters and R results,
 * each given as an owned valtype, parameters first. */
static inline own wasm_functype_t *
wasm_lull_functype_of_(size_t np, size_t nr, own wasm_valtype_t *const *ts) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new_empty(&params);
  wasm_valtype_vec_new_empty(&results);
  if (np)
    wasm_valtype_vec_new(&params, np, ts);
  if (nr)
    wasm_valtype_vec_new(&results, nr, ts + np);
  return wasm_functype_new(&params, &results);
}
static inline own wasm_functype_t *wasm_functype_new_0_0(void) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new_empty(&params);
  wasm_valtype_vec_new_empty(&results);
  return wasm_functype_new(&params, &results);
}
#define WASM_LULL_FUNCTYPE_(np, nr, params_, args_)                           \
  static inline own wasm_functype_t *wasm_functype_new_##np##_##nr params_ {  \
    wasm_valtype_t *ts[] = args_;                                             \
    return wasm_lull_functype_of_(np, nr, ts);                                \
  }
#define WASM_LULL_T_ own wasm_valtype_t *
#define WASM_LULL_ARGS_(...) {__VA_ARGS__}
WASM_LULL_FUNCTYPE_(1, 0, (WASM_LULL_T_ p), WASM_LULL_ARGS_(p))
WASM_LULL_FUNCTYPE_(2, 0, (WASM_LULL_T_ p1, WASM_LULL_T_ p2),
                    WASM_LULL_ARGS_(p1, p2))
WASM_LULL_FUNCTYPE_(3, 0, (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ p3),
                    WASM_LULL_ARGS_(p1, p2, p3))
WASM_LULL_FUNCTYPE_(0, 1, (WASM_LULL_T_ r), WASM_LULL_ARGS_(r))
WASM_LULL_FUNCTYPE_(1, 1, (WASM_LULL_T_ p, WASM_LULL_T_ r),
                    WASM_LULL_ARGS_(p, r))
WASM_LULL_FUNCTYPE_(2, 1, (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ r),
                    WASM_LULL_ARGS_(p1, p2, r))
WASM_LULL_FUNCTYPE_(3, 1,
                    (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ p3,
                     WASM_LULL_T_ r),
                    WASM_LULL_ARGS_(p1, p2, p3, r))
WASM_LULL_FUNCTYPE_(0, 2, (WASM_LULL_T_ r1, WASM_LULL_T_ r2),
                    WASM_LULL_ARGS_(r1, r2))
WASM_LULL_FUNCTYPE_(1, 2, (WASM_LULL_T_ p, WASM_LULL_T_ r1, WASM_LULL_T_ r2),
                    WASM_LULL_ARGS_(p, r1, r2))
WASM_LULL_FUNCTYPE_(2, 2,
                    (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ r1,
                     WASM_LULL_T_ r2),
                    WASM_LULL_ARGS_(p1, p2, r1, r2))
WASM_LULL_FUNCTYPE_(3, 2,
                    (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ p3,
                     WASM_LULL_T_ r1, WASM_LULL_T_ r2),
                    WASM_LULL_ARGS_(p1, p2, p3, r1, r2))
WASM_LULL_FUNCTYPE_(0, 3, (WASM_LULL_T_ r1, WASM_LULL_T_ r2, WASM_LULL_T_ r3),
                    WASM_LULL_ARGS_(r1, r2, r3))
WASM_LULL_FUNCTYPE_(1, 3,
                    (WASM_LULL_T_ p, WASM_LULL_T_ r1, WASM_LULL_T_ r2,
                     WASM_LULL_T_ r3),
                    WASM_LULL_ARGS_(p, r1, r2, r3))
WASM_LULL_FUNCTYPE_(2, 3,
                    (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ r1,
                     WASM_LULL_T_ r2, WASM_LULL_T_ r3),
                    WASM_LULL_ARGS_(p1, p2, r1, r2, r3))
WASM_LULL_FUNCTYPE_(3, 3,
                    (WASM_LULL_T_ p1, WASM_LULL_T_ p2, WASM_LULL_T_ p3,
                     WASM_LULL_T_ r1, WASM_LULL_T_ r2, WASM_LULL_T_ r3),
                    WASM_LULL_ARGS_(p1, p2, p3, r1, r2, r3))

/* Host pointers as i32 or i64 values, by the pointer's width. */
static inline void wasm_val_init_ptr(own wasm_val_t *out, void *p) {
  if (sizeof(intptr_t) == 4) {
    out->kind = WASM_I32;
    out->of.i32 = (int32_t)(intptr_t)p;
  } else {
    out->kind = WASM_I64;
    out->of.i64 = (int64_t)(intptr_t)p;
  }
}
static inline void *wasm_val_ptr(const wasm_val_t *v) {
  return sizeof(intptr_t) == 4 ? (void *)(intptr_t)v->of.i32
                               : (void *)(intptr_t)v->of.i64;
}

#define WASM_I32_VAL(i) {.kind = WASM_I32, .of = {.i32 = i}}
#define WASM_I64_VAL(i) {.kind = WASM_I64, .of = {.i64 = i}}
#define WASM_F32_VAL(z) {.kind = WASM_F32, .of = {.f32 = z}}
#define WASM_F64_VAL(z) {.kind = WASM_F64, .of = {.f64 = z}}
#define WASM_REF_VAL(r) {.kind = WASM_ANYREF, .of = {.ref = r}}
#define WASM_INIT_VAL {.kind = WASM_ANYREF, .of = {.ref = NULL}}

#define WASM_EMPTY_VEC {0, NULL}
#define WASM_ARRAY_VEC(array) {sizeof(array) / sizeof(*(array)), array}

#ifdef __cplusplus
}
#endif
#endif /* WASM_H */

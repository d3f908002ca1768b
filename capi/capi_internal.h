/*
 * capi_internal.h -- what the files of wasm.h's implementation share.
 *
 * Every reference object of wasm.h (func, global, table, memory, extern,
 * instance, module, trap, foreign, ref) is one `lullc_obj`: the public
 * pointer types are never defined, only cast to and from it, so the
 * API's casts (wasm_func_as_extern, wasm_ref_as_func, ...) return the same
 * pointer. A handle is the object itself with a count: wasm_X_copy counts
 * one more, wasm_X_same compares pointers. The four external kinds are
 * found again from their lull object (a map per store), so a function
 * that comes back out of a table or a call is the same object as before.
 * The four external types likewise are one `lullc_externtype`.
 */
#ifndef LULL_CAPI_INTERNAL_H
#define LULL_CAPI_INTERNAL_H

#include "lull.h"
#include "wasm.h"

#if defined(__GNUC__) && !defined(_WIN32)
#define LULLC_HIDDEN __attribute__((visibility("hidden")))
#else
#define LULLC_HIDDEN
#endif

/* The kinds of objects; the four external ones have wasm_externkind_t's
 * values. */
typedef enum lullc_kind {
  LULLC_FUNC = WASM_EXTERN_FUNC,
  LULLC_GLOBAL = WASM_EXTERN_GLOBAL,
  LULLC_TABLE = WASM_EXTERN_TABLE,
  LULLC_MEMORY = WASM_EXTERN_MEMORY,
  LULLC_FOREIGN,
  LULLC_INSTANCE,
  LULLC_MODULE,
  LULLC_TRAP
} lullc_kind;

typedef struct lullc_obj lullc_obj;

/* Where each defined function's body starts in the module's bytes, to
 * turn a trap's module offsets into function offsets. */
typedef struct lullc_code {
  uint32_t nimported; /* imported functions come first in the index space */
  uint32_t nbodies;
  uint32_t *body;     /* module offset of each body's first byte */
} lullc_code;

/* The two maps of a store: lull object (an external's or an instance) to
 * its lullc_obj, and the objects
 * Wasm holds as anyrefs (by their own address). Chained through the
 * object's link[slot]. */
enum { LULLC_MAP_KEY = 0, LULLC_MAP_PINNED = 1 };
typedef struct lullc_map {
  lullc_obj **buckets;
  size_t nbuckets, count;
  int slot;
} lullc_map;

struct lullc_obj {
  lullc_kind kind;
  wasm_store_t *store;
  size_t handles;  /* handles not yet deleted */
  int pinned;      /* handed to Wasm as an anyref: lives until the store
                      dies, as nothing says when Wasm lets go of it */
  void *info;      /* host info */
  void (*finalizer)(void *);
  lullc_obj *prev, *next;   /* the store's list of live objects */
  void *key[2];             /* in each map, when `mapped` says so */
  lullc_obj *link[2];
  int mapped[2];
  /* The four external kinds hold a reference to their lull object
   * (lull_extern_retain), so a handle outlives the instance. */
  lull_extern x;
  union {
    struct {
      lullc_obj *inst; /* the instance it was exported from, or NULL:
                          its object lives while the export's does */
    } func;
    struct { wasm_mutability_t mut; } global;
    struct {
      lull_valtype elem;
      lull_limits limits;
    } table;
    struct { lull_limits limits; } memory;
    struct {
      lull_instance *inst;
      lullc_obj *module; /* a handle: frames need its code offsets */
    } instance;
    struct { lull_module *m; lullc_code code; } module;
    struct {
      char *msg;                 /* NUL included in len */
      size_t len;
      struct wasm_frame_t *frames;
      size_t nframes;
    } trap;
  } u;
};

struct wasm_frame_t {
  lullc_obj *inst; /* a handle, or NULL */
  uint32_t func_index;
  size_t func_offset, module_offset;
};

struct wasm_config_t { lull_config cfg; };
struct wasm_engine_t { lull_config cfg; };

struct wasm_store_t {
  wasm_engine_t *engine;
  lull_engine *e;
  lullc_obj *objs;     /* every live object, to delete with the store */
  lullc_map maps[2];
  lull_thread **idle;  /* threads for calls; a host function calling
                          again takes another one */
  size_t nidle, idle_cap;
  int dying;           /* wasm_store_delete is destroying every object:
                          objects no longer drop the ones they hold */
};

struct wasm_valtype_t { wasm_valkind_t kind; };

/* functype, globaltype, tabletype and memorytype. */
typedef struct lullc_externtype {
  wasm_externkind_t kind;
  wasm_valtype_vec_t params, results; /* func */
  wasm_valtype_t *content;            /* global's content, table's element */
  wasm_mutability_t mut;
  wasm_limits_t limits;               /* table, memory */
} lullc_externtype;

struct wasm_importtype_t {
  wasm_name_t module, name;
  wasm_externtype_t *type;
};
struct wasm_exporttype_t {
  wasm_name_t name;
  wasm_externtype_t *type;
};

#define LULLC_OBJ(p) ((lullc_obj *)(p))
#define LULLC_ET(p) ((lullc_externtype *)(p))

/* store.c */
LULLC_HIDDEN lullc_obj *lullc_map_find(const lullc_map *m, const void *key);
LULLC_HIDDEN int lullc_map_add(lullc_map *m, lullc_obj *o, void *key);
LULLC_HIDDEN void lullc_map_remove(lullc_map *m, lullc_obj *o);
/* A thread for one call; NULL when out of memory. */
LULLC_HIDDEN lull_thread *lullc_thread_take(wasm_store_t *s);
LULLC_HIDDEN void lullc_thread_give(wasm_store_t *s, lull_thread *t);

/* ref.c */
/* A new object with one handle, in the store's list; NULL when out of
 * memory. */
LULLC_HIDDEN lullc_obj *lullc_obj_new(wasm_store_t *s, lullc_kind kind);
/* One handle more / less; the object dies with its last unpinned handle. */
LULLC_HIDDEN lullc_obj *lullc_obj_hold(lullc_obj *o);
LULLC_HIDDEN void lullc_obj_drop(lullc_obj *o);
/* Frees the object whatever its counts (the store is dying). */
LULLC_HIDDEN void lullc_obj_destroy(lullc_obj *o);
/* The object of an external value, found again or made (a new handle
 * either way), taking a reference on the lull object. `type` (may be
 * NULL) gives a global's mutability and a table's or memory's limits;
 * `inst` (may be NULL) is the instance object that exports it. NULL when
 * out of memory or for a tag. */
LULLC_HIDDEN lullc_obj *lullc_extern_obj(wasm_store_t *s, const lull_extern *x,
                                         const lull_externtype *type,
                                         lullc_obj *inst);
/* The lull external value an object stands for; -1 for another kind. */
LULLC_HIDDEN int lullc_extern_of(const lullc_obj *o, lull_extern *out);

/* types.c */
LULLC_HIDDEN wasm_valkind_t lullc_kind_of(lull_valtype t);
/* The lull type of a kind (0 for WASM_LULL_UNNAMED and unknown kinds). */
LULLC_HIDDEN lull_valtype lullc_valtype_of(wasm_valkind_t k);
LULLC_HIDDEN wasm_functype_t *lullc_functype_from(const lull_functype *ft);
LULLC_HIDDEN wasm_limits_t lullc_limits_from(const lull_limits *l);
LULLC_HIDDEN lull_limits lullc_limits_to(const wasm_limits_t *l);
/* NULL for a tag or when out of memory. */
LULLC_HIDDEN wasm_externtype_t *
lullc_externtype_from(const lull_externtype *t);

/* val.c */
/* A wasm.h value as a lull value: a funcref must hold a function, an
 * anyref any object (pinned: Wasm may keep it). -1 when `v` is not of
 * kind `k`. */
LULLC_HIDDEN int lullc_val_to(wasm_store_t *s, const wasm_val_t *v,
                              wasm_valkind_t k, lull_val *out);
/* A lull value as a wasm.h value (a new handle for a reference). -1 for
 * a value wasm.h has no kind for, or out of memory. */
LULLC_HIDDEN int lullc_val_from(wasm_store_t *s, const lull_val *v,
                                wasm_val_t *out);
/* The reference a wasm.h handle stands for in lull: a function object's
 * lull_func as a funcref, anything as an anyref. */
LULLC_HIDDEN int lullc_ref_to(wasm_store_t *s, wasm_ref_t *r,
                              lull_valtype want, lull_val *out);

/* trap.c */
LULLC_HIDDEN lullc_obj *lullc_trap_text(wasm_store_t *s, const char *msg);
/* The trap thread `t` holds: its message, and its Wasm frames, each with
 * its instance object (found by its lull instance). `code` (may be NULL)
 * serves for the offsets of frames whose instance has no object yet (a
 * start function's). */
LULLC_HIDDEN lullc_obj *lullc_trap_thread(wasm_store_t *s, lull_thread *t,
                                          const lullc_code *code);

/* module.c */
LULLC_HIDDEN void lullc_code_free(lullc_code *c);

#endif /* LULL_CAPI_INTERNAL_H */

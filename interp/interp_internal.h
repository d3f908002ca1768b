/*
 * interp_internal.h -- the interpreter's runtime structures. Prefix lulli_.
 *
 * The pieces and how they point at each other:
 *
 *   lull_engine ---- owns every object (a list of lulli_obj headers), the
 *                    function type registry, continuations, and the
 *                    handler table of the dispatch loop.
 *   lull_module ---- the decoded module (lulld_module) plus one lulli_code
 *                    per defined function: register code, shared by every
 *                    instance and never written after compilation.
 *   lull_instance -- index spaces of pointers: funcs, tables, memories,
 *                    globals. Defined functions are lull_func records
 *                    inside the instance; imported ones point elsewhere.
 *   lull_thread ---- the Wasm stack: `stack` (value slots) and `frames`.
 *                    Frames hold slot offsets, never pointers into the
 *                    stack, so the stack may move when it grows.
 *
 * Lifetimes: objects are reference counted (lulli_obj.refs). An instance
 * holds a reference on its module and on everything it imports; a table
 * holding functions of other instances keeps those instances alive; a
 * running or parked thread keeps its instances alive. Cycles are possible
 * (two instances sharing a table); lull_engine_free releases everything
 * that is left, so nothing outlives the engine.
 */
#ifndef LULL_INTERP_INTERNAL_H
#define LULL_INTERP_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../decoder/module.h"
#include "lull.h"

#define LULLI_DEFAULT_STACK_LIMIT ((size_t)16 << 20)
/* Defaults of lull_config: the cap on 64-bit memories, in pages, and the
 * address space each memory reserves for growth (memory.c). */
#define LULLI_DEFAULT_PAGES64 ((uint64_t)1 << 20)
#define LULLI_DEFAULT_RESERVE ((uint64_t)1 << 30)
#define LULLI_PAGE_SIZE 65536u
/* Default of lull_config.gc_heap_limit. */
#define LULLI_DEFAULT_GC_LIMIT ((uint64_t)1 << 30)
/* Frame slots are addressed with 16 bits in the register code. */
#define LULLI_MAX_FRAME_SLOTS 65535u

/* ---------------------------------------------------------------------
 * Values on the Wasm stack: 64-bit slots. Every write stores all 64 bits
 * (i32 and f32 bits zero-extended), so identical states are identical
 * bytes and i64.extend_i32_u needs no instruction. A v128 takes two slots,
 * low half first. References are pointers (lull_func * or the externref).
 * ------------------------------------------------------------------- */
typedef union lulli_slot {
  uint64_t u64;
  int64_t i64;
  double f64;
  void *ref;
} lulli_slot;

/* One cell of register code: a handler address (or, with switch
 * dispatch, an opcode number) followed by operand cells. See ops.h. */
typedef union lulli_cell {
  const void *h;
  uint64_t u64;
  int64_t i64;
  uint32_t u32[2];
  int32_t s32[2];
  uint16_t u16[4];
  void *ptr;
} lulli_cell;

/* ---------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------- */
typedef enum lulli_kind {
  LULLI_KIND_MODULE = 1,
  LULLI_KIND_INSTANCE,
  LULLI_KIND_FUNC,
  LULLI_KIND_MEMORY,
  LULLI_KIND_TABLE,
  LULLI_KIND_GLOBAL,
  LULLI_KIND_THREAD,
  LULLI_KIND_LINKER,
  LULLI_KIND_TAG
} lulli_kind;

/* The header of every engine-owned object: the engine's list of live
 * objects (so lull_engine_free can release leftovers) and a count of
 * references. */
typedef struct lulli_obj {
  struct lulli_obj *prev, *next;
  lull_engine *engine;
  uint32_t refs;
  uint8_t kind;
} lulli_obj;

/* A canonical function type, interned in the engine: two structurally
 * equal types have the same id, so call_indirect compares one integer.
 * Type indices in its value types are engine ids (see types.c). */
typedef struct lulli_type {
  uint32_t nparams, nresults;
  lull_valtype *types;     /* params then results (a struct's or array's
                              fields): with the fields below, the
                              registry's key */
  lull_valtype *vtypes;    /* the same for the API: a reference into the
                              type's own recursion group holds its id */
  uint32_t param_slots, result_slots;
  uint32_t hash;           /* of the whole recursion group */
  /* GC: the kind (LULLD_COMP_*), finality, declared supertype (its key
   * as in `types`, and its id or LULLD_NO_SUPER), fields, and the
   * recursion group: ids rec .. rec + nrec - 1, interned as one. */
  uint8_t kind, final;
  uint32_t super_key, super;
  uint32_t nfields;
  uint8_t *muts;
  uint32_t rec, nrec;
} lulli_type;

/* ---------------------------------------------------------------------
 * GC objects (gc_heap.c). A reference in the any hierarchy is NULL, an
 * odd pointer (an i31) or a lulli_gcobj. A struct keeps each field in
 * 8 bytes (a v128 in 16), field k at 8 times the slots of the fields
 * before it, so a field moves to and from a slot whole; an i8 or i16
 * field is wrapped when read. An array packs its elements at their
 * storage size (1, 2, 4, 8 or 16 bytes), as data segments hold them.
 * A host value given as an anyref lives in a HOST box, an i31 given
 * out as an externref in an I31 box (so an extern slot never holds an
 * odd value lull made; see cast.c).
 * ------------------------------------------------------------------- */
enum { LULLI_GC_STRUCT = 1, LULLI_GC_ARRAY, LULLI_GC_HOST, LULLI_GC_I31,
       LULLI_GC_EXN };
enum { LULLI_GC_IDLE = 0, LULLI_GC_MARK, LULLI_GC_SWEEP };

typedef struct lulli_gcobj {
  struct lulli_gcobj *next; /* every object of the heap, newest first */
  uint32_t type;            /* engine type id (struct, array) */
  uint8_t kind;             /* LULLI_GC_* */
  uint8_t color;            /* marked when equal to the heap's `live` */
  uint8_t esize;            /* array: bytes per element */
  uint8_t eref;             /* array: its elements are references, of
                               the any (1) or the extern (2) hierarchy */
  uint32_t len;             /* array: elements; struct: payload bytes */
  uint8_t exported;         /* in the heap's set of exported objects */
  uint8_t held;             /* exception: linked into the heap (exn.c) */
  uint8_t pad_[2];
} lulli_gcobj;

/* The payload after the header. */
#define LULLI_GC_DATA(o) ((uint8_t *)((lulli_gcobj *)(o) + 1))

/* A gray object: traced from element `from` on (arrays go in chunks). */
typedef struct lulli_gray {
  lulli_gcobj *o;
  uint32_t from;
} lulli_gray;

struct lull_thread;

/* The heap and its collector's state (gc_collect.c). */
typedef struct lulli_gcheap {
  lulli_gcobj *objects;
  size_t bytes;             /* headers and payloads allocated */
  size_t limit;             /* lull_config.gc_heap_limit */
  uint8_t live;             /* the color of marked objects */
  uint8_t phase;            /* LULLI_GC_IDLE, _MARK or _SWEEP */
  uint8_t overflow;         /* the gray stack could not grow */
  uint32_t inhibit;         /* > 0: no collection may start or finish
                               (references held where no map sees them,
                               as in constant expressions) */
  lulli_gray *gray;
  size_t ngray, cap_gray;
  lulli_gcobj **sweep;      /* the link the sweep looks at next */
  size_t trigger;           /* bytes at which a cycle starts */
  size_t debt;              /* work owed by allocation, in bytes */
  size_t work;              /* work done by the current step */
  /* The thread allocating from Wasm and its instruction, whose stack the
   * GC map at that instruction describes; NULL outside. */
  struct lull_thread *at_thread;
  const union lulli_cell *at_pc;
  /* Objects the host pinned (lull_gc_pin): roots. */
  lulli_gcobj **pins;
  size_t npins, cap_pins;
  /* For lull_gc_stats. */
  uint64_t cycles, full, steps, pause_max, pause_total;
  uint64_t allocated;       /* bytes ever allocated */
  size_t peak;              /* the most `bytes` has been */
  size_t marked;            /* bytes marked by the cycle in progress */
  size_t live_max;          /* the most a finished marking found */
  /* Objects given out as externrefs (extern.convert_any): an extern
   * slot holds one of these or a host value, told apart by this set
   * (open addressing, linear probing). */
  lulli_gcobj **exp;
  size_t nexp, cap_exp;
} lulli_gcheap;

/* A named continuation (lull_cont_register). */
struct lull_cont {
  char *name;
  lull_cont_fn fn;
  void *env;
};

struct lull_engine {
  lull_config cfg;
  lulld_alloc alloc;
  lulli_obj objects;        /* sentinel of the live-object list */
  int freeing;              /* set while lull_engine_free tears down */

  /* Type registry: types[id] (each allocated once, so pointers to a type
   * stay valid), plus an open-addressing hash of ids. */
  lulli_type **types;
  size_t ntypes, cap_types;
  uint32_t *type_hash;      /* id + 1, 0 = empty */
  size_t cap_hash;

  lull_cont **conts;
  size_t nconts, cap_conts;

  /* Handler table of the dispatch loop, indexed by lulli_op. */
  const void *const *handlers;
  /* The same read backwards, handler to op (opinfo.c). */
  void *ops_index;
  /* Code that frames return into when they have no Wasm caller. */
  lulli_cell tramp[2];
  /* The code of a function not compiled yet (lazy_compile): COMPILE. */
  lulli_cell lazy_stub[1];
  /* "No memory" (size 0), and the instance of frames that belong to no
   * instance (the root frame), so the dispatch loop never tests for NULL. */
  lull_memory *empty_memory;
  lull_instance *empty_instance;
  lulli_gcheap gc;
  /* The block of the last floating exception freed, kept for the next
   * throw of the same size (exn.c): a throw caught by a plain catch then
   * costs no allocation. Not counted in the heap. */
  lulli_gcobj *exn_spare;
};

enum { LULLI_TRAMP_HOSTCONT = 0, LULLI_TRAMP_EXIT = 1 };

struct lull_linker;

/* Compiled code of one defined function; part of its module. */

/* A trap site: the instruction at `cell` (in cells) may trap, and
 * backtraces name it by the Wasm byte offset `wasm` in the module. The
 * compiler keeps these in an array while it works; the code keeps them
 * in the compact form of codemap.c. */
typedef struct lulli_trapsite {
  uint32_t cell;
  uint32_t wasm;
} lulli_trapsite;

/* One value of the Wasm operand stack at a park point, and where this
 * build keeps it there: in its home slot, still in a local (the value is
 * the local's), or a constant not written anywhere. Snapshots write the
 * operand stack in Wasm order through these, so they never depend on
 * where a build happens to keep a value. */
enum { LULLI_PV_SLOT = 0, LULLI_PV_LOCAL, LULLI_PV_CONST };
typedef struct lulli_parkval {
  uint64_t c[2];      /* LULLI_PV_CONST: the bits (v128: both halves) */
  lull_valtype type;
  uint16_t slot;      /* LULLI_PV_SLOT: its home; LULLI_PV_LOCAL: the
                         local's first slot */
  uint8_t kind;       /* LULLI_PV_* */
} lulli_parkval;

/* A park point: where a frame can be when its thread is parked, i.e.
 * just after a call (the frame waits for its callee) or just after a
 * safepoint (fuel or interrupt) at a function entry or loop header.
 * An engine without safepoints compiles the same code and the same park
 * points (only its dispatch loop leaves the checks out), so a snapshot
 * taken where an engine with them parked resumes in one without. A snapshot names it by `wasm` and stores the frame's locals
 * and the values `vals` lists; the collector reads its live slots
 * [0, height), the reference-typed ones by this list.
 *
 * The code keeps its park points in the compact form of codemap.c, and
 * lookups decode one into this record; the collector's maps at
 * allocations (lulli_code.gcmaps) are kept as these records. */
typedef struct lulli_parkmap {
  uint32_t cell;    /* where execution resumes: after the call/safepoint */
  uint32_t wasm;    /* byte offset in the module of the call or loop
                       instruction, or of the body (its size field) for a
                       function entry: increasing with `cell` */
  uint32_t vals;    /* where its operand values start in lulli_code.parks
                       (codemap.c; compiling: an index into the
                       compiler's array of them) */
  uint32_t nvals;   /* its values, bottom first */
  uint16_t height;  /* live slots from the frame base; for a call, the
                       callee's base */
  uint8_t call;     /* after a call: its size in cells (2 for CALL, 3 for
                       CALL_INDIRECT); 0 after a safepoint */
  uint32_t first;   /* index into lulli_code.refslots, where these are: */
  uint16_t nfunc;   /* operand slots holding funcrefs, then */
  uint16_t next;    /* operand slots holding other references (the
                       extern hierarchy, then the last `nany` of them
                       the any hierarchy), then */
  uint16_t nany;
  uint16_t ndead;   /* slots below `height` holding nothing (constants
                       not yet written out): stored as zero */
} lulli_parkmap;

typedef struct lulli_code {
  lulli_cell *code;
  uint32_t ncells;
  uint32_t param_slots;   /* slots of the parameters */
  uint32_t local_slots;   /* parameters and declared locals */
  uint32_t nlocals;       /* how many locals, parameters included */
  uint32_t frame_slots;   /* everything the frame may touch */
  /* The fuel the function's entry charges, before its first region
   * runs: the entry's safepoint is part of the call (exec.c, `enter`),
   * not an instruction. 64 bits wide (it fits in 32) so that a call
   * subtracts it straight from memory, as a back edge does its cost. */
  int64_t entry_cost;
  /* Trap sites and park points, sorted by cell, each table a string of
   * `ntrapbytes` (`nparkbytes`) bytes (codemap.c). */
  uint32_t ntrapbytes;
  uint8_t *traps;
  uint32_t nparkbytes;
  uint8_t *parks;
  uint32_t nhandlers;
  struct lulli_handler *handlers; /* innermost try_table first */
  uint32_t nrefslots;
  uint16_t *refslots;
  lull_valtype *local_types; /* every local's type, parameters first */
  /* Where the collector may run inside the function: each allocating
   * instruction (`cell` its first cell), with its operands live. Never
   * park points. Sorted by cell. */
  uint32_t ngcmaps;
  lulli_parkmap *gcmaps;
} lulli_code;

struct lull_module {
  lulli_obj hdr;
  lulld_module *m;
  uint32_t *type_ids;     /* module type index -> engine type id */
  lulli_code *codes;      /* one per defined function */
  uint8_t hash[32];       /* SHA-256 of the bytes, names the module in
                             snapshots; computed when first needed */
  uint8_t hashed;
};

typedef enum lulli_fkind { LULLI_FUNC_WASM = 0, LULLI_FUNC_HOST = 1 } lulli_fkind;

struct lull_func {
  lulli_obj hdr;          /* used by standalone (host) functions only */
  uint8_t kind;           /* lulli_fkind */
  uint32_t type_id;
  const lulli_type *type; /* owned by the engine registry */
  /* Wasm functions */
  lull_instance *inst;
  const lulli_code *code;
  uint32_t index;         /* in the module's function index space */
  /* Host functions */
  lull_host_fn fn;
  void *env;
  void (*free_env)(void *);
};

struct lull_memory {
  lulli_obj hdr;
  uint8_t *data;
  uint64_t size;          /* bytes; a multiple of the page size */
  uint64_t max_pages;     /* the effective maximum (module and engine) */
  uint64_t reserved;      /* bytes of address space mapped (memory.c) */
  lulld_limits limits;    /* as declared */
};

struct lull_table {
  lulli_obj hdr;
  lull_valtype elem;      /* a reference type (engine ids) */
  uint32_t size;
  uint32_t cap;
  void **elems;
  lulld_limits limits;
  lull_instance *owner;   /* the instance that defined it, or NULL */
  /* What keeps the functions stored here alive (their instances, or host
   * functions), other than the owner; released with the table. */
  lulli_obj **keep;
  size_t nkeep, cap_keep;
};

/* A tag: the identity an exception is caught by, and the function type
 * (no results) of its payload. Defined tags are made per instance; the
 * host makes its own with lull_tag_new. */
struct lull_tag {
  lulli_obj hdr;
  uint32_t type_id;
  const lulli_type *type; /* owned by the engine registry */
};

/* A catch clause of a try_table, as the unwinder looks it up: a throw
 * at a cell in [start, end) of the code (for a caller, its call) that
 * matches `tag` (a tag index of the module; LULLI_CATCH_ALL for any)
 * puts the payload at fp[dst..] (then the exnref when `ref`) and goes
 * on at `target`. */
#define LULLI_CATCH_ALL UINT32_MAX
typedef struct lulli_handler {
  uint32_t start, end;
  uint32_t target;
  uint32_t tag;
  uint16_t dst;
  uint8_t ref;
} lulli_handler;

struct lull_global {
  lulli_obj hdr;
  lull_valtype type;      /* engine ids */
  uint8_t mut;
  lulli_slot val[2];
};

struct lull_instance {
  lulli_obj hdr;
  lull_module *module;
  lull_func **funcs;      /* function index space */
  lull_func *own;         /* the defined functions */
  lull_table **tables;
  lull_memory **memories;
  lull_memory *mem0;      /* memories[0] or the engine's empty memory */
  lull_global **globals;
  lull_tag **tags;        /* tag index space (exception handling) */
  uint8_t *elem_dropped;  /* one byte per element segment */
  uint8_t *data_dropped;  /* one byte per data segment */
  /* With GC: each element segment of expressions evaluated once, at
   * instantiation (an item may allocate), or NULL; NULL when none. */
  void ***elem_vals;
  uint8_t const_oom;      /* a constant expression could not allocate */
  lulli_obj **keep;       /* references held: the module and imports */
  size_t nkeep, cap_keep;
  void *data;             /* the embedder's (lull_instance_set_data) */
};

/* ---------------------------------------------------------------------
 * Threads
 * ------------------------------------------------------------------- */

/* A frame record. The frame's slots start at stack[base]. `ret_pc` is
 * where execution continues in the caller when this frame returns: inside
 * the caller's code, or a trampoline (root exit, host continuation). A
 * host frame (fn->kind == HOST) stands for a host function that called
 * Wasm through lull_host_call; `cont` indexes the thread's continuation
 * records. */
typedef struct lulli_frame {
  const lulli_cell *ret_pc;
  lull_func *fn;
  lull_instance *inst;
  uint32_t base;
  uint32_t cont;
} lulli_frame;

/* A continuation in progress: which one and its state bytes. */
typedef struct lulli_contrec {
  const lull_cont *k;
  lull_func *callee;      /* whose results the continuation receives */
  uint8_t *state;
  size_t len;
} lulli_contrec;

/* A host call in progress, handed to host functions as lull_hostcall. */
struct lull_hostcall {
  lull_thread *thread;
  lull_instance *inst;    /* the calling instance, or NULL */
  lull_func *fn;
  /* Set by lull_host_suspend / lull_host_call, which copies the callee's
   * arguments (into the thread's `cargs`) and the state (into `state`,
   * owned here until a host frame takes it), because what the host passed
   * may live on its own stack. */
  uintptr_t tag;
  lull_func *callee;
  const lull_val *cargs;
  size_t ncargs;
  const lull_cont *k;
  uint8_t *state;
  size_t state_len;
  int misuse;             /* lull_host_call was given bad arguments */
  uint32_t code;          /* lull_host_trap's code; 0: judged by `msg` */
  lulli_gcobj *exn;       /* a continuation's: what its callee threw */
  lulli_gcobj *thrown;    /* lull_host_throw's (or the rethrown exn) */
  char msg[256];          /* lull_host_trap's message */
};

struct lull_thread {
  lulli_obj hdr;
  lull_engine *engine;
  lulli_slot *stack;
  size_t cap_slots;
  lulli_frame *frames;
  uint32_t nframes;
  uint32_t cap_frames;
  lulli_contrec *conts;
  uint32_t nconts;
  size_t cap_conts;

  uint8_t state;          /* lull_thread_state */
  uint8_t park;           /* lull_park_reason */
  uintptr_t park_tag;
  const lulli_cell *pc;   /* where a parked thread continues */
  /* A thread parked in a host function: its results go to
   * stack[pending_base], typed by pending_fn; when pending_pop is set the
   * host frame on top is popped afterwards (the park happened in a
   * continuation). */
  uint32_t pending_base;
  lull_func *pending_fn;
  uint8_t pending_pop;

  lull_func *root_fn;     /* the function lull_call started */
  lulli_cell root_code[4];/* call_ptr root_fn; exit */

  int64_t fuel;           /* remaining; INT64_MAX when unlimited */
  uint64_t fuel_set;      /* as the user set it */
  /* 0, or INTPTR_MIN once interrupted: negative like spent fuel, so a
   * safepoint tests both with one OR (dispatch.h). Pointer-sized, so the
   * atomic is lock-free, and async-signal-safe, on every target. */
  atomic_intptr_t interrupt;

  char trap_msg[256];
  uint32_t trap_code;     /* lull_trap_code of trap_msg, or the host's */
  /* The exception the last call ended with (LULL_EXCEPTION), or the one
   * a host continuation is being handed; owned as exn.c says. */
  lulli_gcobj *exn;
  lull_frame_info *bt;
  size_t nbt, cap_bt;

  lull_val *scratch;      /* host call arguments and results */
  size_t cap_scratch;
  /* The type of the host function running now (its arguments and results
   * are in `scratch`), or NULL. */
  const lulli_type *host_type;
  /* While a continuation runs: how many `scratch` values are live (the
   * callee's results, then the continuation's), each by its own type. */
  uint32_t cont_nscratch;
  lull_val *cargs;        /* arguments of a lull_host_call callee */
  size_t cap_cargs;
  void *profile;          /* instruction counts (-DLULL_PROFILE builds) */
  size_t stack_limit;     /* bytes of slots and frames; from the engine's
                             config unless lull_thread_set_stack_limit */
  void *data;             /* the embedder's (lull_thread_set_data) */
};

/* ---------------------------------------------------------------------
 * Internal functions
 * ------------------------------------------------------------------- */

/* obj.c */
LULL_HIDDEN void lulli_obj_init(lull_engine *e, lulli_obj *o, lulli_kind k);
LULL_HIDDEN void lulli_retain(lulli_obj *o);
/* Drops a reference; frees the object at zero. */
LULL_HIDDEN void lulli_release(lulli_obj *o);
/* The same from an object that is being destroyed, whose engine `e` may
 * be freeing every object in any order. */
LULL_HIDDEN void lulli_drop(lull_engine *e, lulli_obj *o);
/* Unlinks and frees by kind (called at refs == 0 or by engine free). */
LULL_HIDDEN void lulli_obj_destroy(lulli_obj *o);

/* types.c: interning. Returns the id, or UINT32_MAX when out of memory.
 * The value types' indices are engine ids. */
LULL_HIDDEN uint32_t lulli_type_intern(lull_engine *e,
                                       const lull_valtype *params,
                                       uint32_t np,
                                       const lull_valtype *results,
                                       uint32_t nr);
/* Interns the recursion group that starts at type `g` of module `m`,
 * whose earlier types have the engine ids type_ids[0..g), and fills
 * type_ids for its types. Returns 0, or -1 when out of memory. */
LULL_HIDDEN int lulli_type_intern_group(lull_engine *e, const lulld_module *m,
                                        uint32_t *type_ids, uint32_t g);
/* A reference to type index LULLI_TYPE_SELF - p in a registry key is one
 * to the p-th type of the recursion group being defined. */
#define LULLI_TYPE_SELF LULL_VT_MAX_INDEX
/* Declared subtyping of engine ids: is type a type b or below it? */
LULL_HIDDEN int lulli_type_sub(const lull_engine *e, uint32_t a, uint32_t b);
/* Is the reference `ref` (a slot's pointer) a value of type `t` (engine
 * ids)? ref.test and ref.cast (cast.c). */
LULL_HIDDEN int lulli_ref_test(const lull_engine *e, const void *ref,
                               lull_valtype t);
static inline lull_valtype lulli_vt_reindex(lull_valtype t, uint32_t index) {
  return LULLD_VT_FORM(t) | (lull_valtype)index << LULL_VT_INDEX_SHIFT;
}
/* A module's value type with engine ids (type_ids from lull_module). */
LULL_HIDDEN lull_valtype lulli_vt_to_engine(const uint32_t *type_ids,
                                            lull_valtype t);
/* A value type of module `mod` with engine ids. */
#define LULLI_MODULE_VT(mod, t) lulli_vt_to_engine((mod)->type_ids, (t))
/* Is `t` a value type lull can hold, with indices of registered types? */
LULL_HIDDEN int lulli_vt_valid(const lull_engine *e, lull_valtype t);
/* Subtyping of value types with engine ids. */
LULL_HIDDEN int lulli_vt_match(const lull_engine *e, lull_valtype a,
                               lull_valtype b);
LULL_HIDDEN void lulli_types_free(lull_engine *e);

/* func.c */
LULL_HIDDEN void lulli_func_retain(lull_func *f);
LULL_HIDDEN void lulli_func_release(lull_func *f);
LULL_HIDDEN void lulli_func_destroy(lull_func *f);

/* memory.c */
LULL_HIDDEN lull_memory *lulli_memory_create(lull_engine *e, lulld_limits l,
                                             int registered);
LULL_HIDDEN void lulli_memory_destroy(lull_memory *m);
/* Grows by delta pages: old size in pages, or -1. */
LULL_HIDDEN int64_t lulli_memory_grow(lull_memory *m, uint64_t delta);

/* table.c */
LULL_HIDDEN lull_table *lulli_table_create(lull_engine *e, lull_valtype elem,
                                           lulld_limits l, void *init);
LULL_HIDDEN void lulli_table_destroy(lull_table *t);
LULL_HIDDEN int64_t lulli_table_grow(lull_table *t, uint32_t delta,
                                     void *init);
/* Records that `t` now holds a function of `f`'s instance, keeping it
 * alive. Returns -1 when out of memory. */
LULL_HIDDEN int lulli_table_note_func(lull_table *t, lull_func *f);

/* global.c */
LULL_HIDDEN lull_global *lulli_global_create(lull_engine *e,
                                             lull_valtype type,
                                             uint8_t mut);
LULL_HIDDEN void lulli_global_destroy(lull_global *g);

/* values.c: conversions between lull_val and slots. */
LULL_HIDDEN void lulli_val_to_slots(const lull_val *v, lulli_slot *s);
/* A reference of the any hierarchy given to the host is remembered as
 * handed out (gc_api.c), so it is accepted back; `e` may be NULL. */
LULL_HIDDEN void lulli_slots_to_val(lull_engine *e, lull_valtype type,
                                    const lulli_slot *s, lull_val *v);
/* Is `v` a value of type `t` (engine ids)? A reference is judged by what
 * it holds (null, a function and its type, a host value), not by the
 * type the embedder wrote in v->type, which must only be a reference of
 * the same hierarchy (func or extern). */
LULL_HIDDEN int lulli_val_fits(const lull_engine *e, const lull_val *v,
                               lull_valtype t);

/* module.c */
LULL_HIDDEN void lulli_module_destroy(lull_module *m);
/* A module of decoded and validated `m` (taken over, freed on failure):
 * its types interned and, when `compile` is set, its functions compiled
 * (or left for later, with lazy_compile); otherwise its codes are zeroed
 * for the caller to fill. */
LULL_HIDDEN lull_status lulli_module_make(lull_engine *e, lulld_module *m,
                                          int compile, lull_module **out,
                                          lull_error *err);
/* Decodes, validates and makes a module (lull_module_new's work). */
LULL_HIDDEN lull_status lulli_module_load(lull_engine *e, const uint8_t *bytes,
                                          size_t len, lull_module **out,
                                          lull_error *err);

/* instance.c */
LULL_HIDDEN void lulli_instance_destroy(lull_instance *inst);
/* The object that keeps `f` alive: its instance, or the host function. */
LULL_HIDDEN lulli_obj *lulli_func_owner(lull_func *f);

/* signature.c: the most values a signature string may name, results
 * and parameters together. */
#define LULLI_MAX_SIG 64

/* linker.c */
LULL_HIDDEN void lulli_linker_destroy(lull_linker *l);

/* thread.c */
LULL_HIDDEN void lulli_thread_destroy(lull_thread *t);
/* Make sure slots [0, need) and frames [0, need) exist: 0, -1 past the
 * thread's stack limit, -2 when the allocator says no. */
LULL_HIDDEN int lulli_stack_reserve(lull_thread *t, size_t need_slots);
LULL_HIDDEN int lulli_frames_reserve(lull_thread *t, uint32_t need);
/* The trap message for a failed reserve. */
static inline const char *lulli_reserve_msg(int rc) {
  return rc == -2 ? "out of memory" : "call stack exhausted";
}
/* Records a trap message and the backtrace from the thread's frames with
 * the innermost at `pc`. */
LULL_HIDDEN void lulli_trap(lull_thread *t, const lulli_cell *pc,
                            const char *fmt, ...) LULL_PRINTF(3, 4);
/* Makes sure the scratch array holds n values. */
LULL_HIDDEN int lulli_scratch_reserve(lull_thread *t, size_t n);

/* compile.c: compiles defined functions [first, first + count) of `mod`
 * into mod->codes. */
LULL_HIDDEN lull_status lulli_compile(lull_module *mod, uint32_t first,
                                      uint32_t count, lull_error *err);
/* Makes defined function `def` compile on its first call: its frame
 * layout is set from the validated body, its code is the COMPILE stub. */
LULL_HIDDEN void lulli_compile_later(lull_module *mod, uint32_t def);
/* Compiles `def` now if it was left for later. */
LULL_HIDDEN lull_status lulli_compiled(lull_module *mod, uint32_t def,
                                       lull_error *err);
LULL_HIDDEN void lulli_code_free(const lulld_alloc *a, lulli_code *c);

/* codemap.c: the trap sites and park points of compiled code, stored
 * compactly, and their lookups. */
/* Stores the compiler's trap sites and park points (with their operand
 * values `pvals`) in `out`: 0, or -1 out of memory. */
LULL_HIDDEN int lulli_codemap_store(const lulld_alloc *a, lulli_code *out,
                                    const lulli_trapsite *traps,
                                    uint32_t ntraps,
                                    const lulli_parkmap *parks,
                                    uint32_t nparks,
                                    const lulli_parkval *pvals);
/* The Wasm byte offset of the last trap site at or before `cell`, or 0. */
LULL_HIDDEN uint32_t lulli_trap_wasm(const lulli_code *code, uint32_t cell);
/* The park point of `code` resuming at `cell` (at Wasm byte offset
 * `wasm`), decoded into *buf; NULL when there is none. */
LULL_HIDDEN const lulli_parkmap *lulli_parkmap_at(const lulli_code *code,
                                                  uint32_t cell,
                                                  lulli_parkmap *buf);
LULL_HIDDEN const lulli_parkmap *lulli_parkmap_by_wasm(const lulli_code *code,
                                                       uint32_t wasm,
                                                       lulli_parkmap *buf);
/* Walks the operand values of park point `pm`: set *pos to pm->vals
 * first, then each call fills *v with the next one. */
LULL_HIDDEN void lulli_parkval_next(const lulli_code *code, uint32_t *pos,
                                    lulli_parkval *v);

/* exec.c: runs the thread from t->pc until it exits, traps or parks. */
LULL_HIDDEN lull_status lulli_run(lull_thread *t);
/* The handler table (indexed by lulli_op) of the dispatch loop with the
 * safepoints' checks (checks 1) or without them (0). */
LULL_HIDDEN const void *const *lulli_handler_table(int checks);

/* engine.c */
LULL_HIDDEN int lulli_engine_init(lull_engine *e);
LULL_HIDDEN void lulli_engine_fini(lull_engine *e);

/* instr.c: evaluates a constant expression in `inst` (its globals and
 * functions must be in place). */
LULL_HIDDEN void lulli_eval_const(lull_instance *inst,
                                  const lulld_constexpr *ce, lulli_slot *out);

/* profile.c: counting instructions in -DLULL_PROFILE builds */
LULL_HIDDEN void lulli_profile_count(lull_thread *t, const lulli_cell *pc);
LULL_HIDDEN void lulli_profile_dump(lull_thread *t);

/* opinfo.c: register-code facts for tools */
LULL_HIDDEN const char *lulli_op_name(unsigned op);
/* The op at pc, or -1 if the cell holds no handler. */
LULL_HIDDEN int lulli_ops_index(lull_engine *e);
LULL_HIDDEN void lulli_ops_index_free(lull_engine *e);
LULL_HIDDEN int lulli_op_of(const lull_engine *e, const lulli_cell *pc);
LULL_HIDDEN unsigned lulli_op_size(const lull_engine *e, const lulli_cell *pc);
/* The length in cells of op `op` at pc (BR_TABLE's depends on pc[1]). */
LULL_HIDDEN unsigned lulli_op_length(unsigned op, const lulli_cell *pc);
/* Prints defined function `def`'s register code. */
LULL_HIDDEN void lulli_disasm(const lull_module *mod, uint32_t def,
                              void *file);

/* gc_heap.c */
/* Allocates an object with `payload` zeroed bytes for thread `t` running
 * at `pc` (the collector may run first). NULL when the heap limit or the
 * allocator says no. */
LULL_HIDDEN lulli_gcobj *lulli_gc_alloc(lull_engine *e, uint8_t kind,
                                        uint32_t type, uint32_t len,
                                        size_t payload);
/* A new array of type `type` (an engine id) with `n` elements, zeroed;
 * NULL as lulli_gc_alloc. */
LULL_HIDDEN lulli_gcobj *lulli_gc_array(lull_engine *e, uint32_t type,
                                        uint32_t n);
/* A new struct of type `type`, zeroed. */
LULL_HIDDEN lulli_gcobj *lulli_gc_struct(lull_engine *e, uint32_t type);
/* The storage size of a field type (1, 2, 4, 8 or 16 bytes). */
LULL_HIDDEN unsigned lulli_gc_esize(lull_valtype t);
/* Byte offset of field k of struct type `t`. */
LULL_HIDDEN uint32_t lulli_gc_field_offset(const lulli_type *t, uint32_t k);
/* Stores the slot value `v` as an element of `o` at index i, and reads
 * one back into a slot (packed elements zero-extended). */
LULL_HIDDEN void lulli_gc_put(lulli_gcobj *o, uint32_t i, const lulli_slot *v);
LULL_HIDDEN void lulli_gc_get(const lulli_gcobj *o, uint32_t i, lulli_slot *v);
/* The anyref of a host value (a HOST box; NULL stays NULL) and the
 * externref of an anyref (a HOST box's value, an I31 box for an i31):
 * any.convert_extern and extern.convert_any. `*fail` is set when out of
 * memory. */
LULL_HIDDEN void *lulli_gc_internalize(lull_engine *e, void *ext, int *fail);
LULL_HIDDEN void *lulli_gc_externalize(lull_engine *e, void *any, int *fail);
/* gc_export.c: the set of exported objects. */
/* Is `p` (an extern slot's value) an object lull gave out? */
LULL_HIDDEN int lulli_gc_owns(const lull_engine *e, const void *p);
/* Adds `o` to the set; -1 (and *fail set) when out of memory. */
LULL_HIDDEN int lulli_gc_export(lull_engine *e, lulli_gcobj *o, int *fail);
/* Removes `o`, which is being freed. */
LULL_HIDDEN void lulli_gc_unexport(lull_engine *e, lulli_gcobj *o);
LULL_HIDDEN void lulli_gc_exports_free(lull_engine *e);
/* The bytes object `o` takes, header included. */
LULL_HIDDEN size_t lulli_gc_size(const lulli_gcobj *o);
/* Frees one object (unlinked already) and takes it off the books. */
LULL_HIDDEN void lulli_gc_release(lull_engine *e, lulli_gcobj *o);
/* Frees every object (engine teardown). */
LULL_HIDDEN void lulli_gc_free_all(lull_engine *e);

/* gc_api.c: remembers the object `p` of a reference of type `t` the host
 * receives (nothing for other values). */
LULL_HIDDEN void lulli_gc_hand_out(lull_engine *e, lull_valtype t, void *p);

/* gc_roots.c: every reference slot of the any and extern hierarchies,
 * handed to `fn` with its declared type (engine ids; the hierarchy's top,
 * nullable, where no more is known). A thread's top frame is at `pc`: an
 * allocating instruction when `at_alloc`, else a park point or a call. */
typedef void (*lulli_ref_fn)(void *ctx, lull_valtype declared, void **slot);
LULL_HIDDEN void lulli_gc_visit_thread(lull_thread *t, const lulli_cell *pc,
                                       int at_alloc, lulli_ref_fn fn,
                                       void *ctx);
LULL_HIDDEN void lulli_gc_visit_global(lull_global *g, lulli_ref_fn fn,
                                       void *ctx);
LULL_HIDDEN void lulli_gc_visit_table(lull_table *t, lulli_ref_fn fn,
                                      void *ctx);
/* Element segments evaluated at instantiation, not dropped. */
LULL_HIDDEN void lulli_gc_visit_segments(lull_instance *inst,
                                         lulli_ref_fn fn, void *ctx);
/* A struct's reference fields or a reference array's elements. */
LULL_HIDDEN void lulli_gc_visit_object(lull_engine *e, lulli_gcobj *o,
                                       lulli_ref_fn fn, void *ctx);

/* gc_collect.c */
/* The write barrier: while marking, the reference `old` of type `t`
 * (resolved) about to be overwritten inside an object is grayed. */
LULL_HIDDEN void lulli_gc_shade(lull_engine *e, lull_valtype t, void *old);
/* The same for elements [from, from + n) of array `a`. */
LULL_HIDDEN void lulli_gc_shade_range(lull_engine *e, lulli_gcobj *a,
                                      uint32_t from, uint32_t n);
/* Allocation of `size` bytes pays for collection work (a bounded step). */
LULL_HIDDEN void lulli_gc_pay(lull_engine *e, size_t size);
/* Is there room for `size` more bytes under the limit, after a full
 * collection if needed? */
LULL_HIDDEN int lulli_gc_room(lull_engine *e, size_t size);
/* A whole collection now (lull_gc_collect, and at the limit). */
LULL_HIDDEN void lulli_gc_full(lull_engine *e);
LULL_HIDDEN void lulli_gc_fini(lull_engine *e);

/* gc_ops.c: the array instructions that take ranges; NULL or the trap
 * message. */
LULL_HIDDEN const char *lulli_array_new_data(lull_instance *inst,
                                             uint32_t type, uint32_t seg,
                                             uint32_t s, uint32_t n,
                                             lulli_gcobj **out);
LULL_HIDDEN const char *lulli_array_new_elem(lull_instance *inst,
                                             uint32_t type, uint32_t seg,
                                             uint32_t s, uint32_t n,
                                             lulli_gcobj **out);
LULL_HIDDEN const char *lulli_array_fill(lull_engine *e, lulli_gcobj *a,
                                         uint32_t d,
                                         const lulli_slot *v, uint32_t n);
LULL_HIDDEN const char *lulli_array_copy(lull_engine *e, lulli_gcobj *a,
                                         uint32_t d,
                                         const lulli_gcobj *b, uint32_t s,
                                         uint32_t n);
LULL_HIDDEN const char *lulli_array_init_data(lull_instance *inst,
                                              lulli_gcobj *a, uint32_t seg,
                                              uint32_t d, uint32_t s,
                                              uint32_t n);
LULL_HIDDEN const char *lulli_array_init_elem(lull_instance *inst,
                                              lulli_gcobj *a, uint32_t seg,
                                              uint32_t d, uint32_t s,
                                              uint32_t n);

/* tag.c */
LULL_HIDDEN lull_tag *lulli_tag_create(lull_engine *e, uint32_t type_id);
LULL_HIDDEN void lulli_tag_destroy(lull_tag *t);

/* exn.c: exception objects. An exception is a GC object (LULLI_GC_EXN)
 * whose payload is its tag (a reference held) and the values' slots. A
 * new one floats: counted against the heap limit but owned by whoever
 * has it in hand (the throw in progress, a thread's `exn`), and freed by
 * lulli_exn_drop as soon as a plain `catch` ends it. Once Wasm or the
 * host holds it as an exnref it joins the heap (lulli_exn_hold), which
 * owns it from then on. */
LULL_HIDDEN lulli_gcobj *lulli_exn_new(lull_engine *e, lull_tag *tag,
                                       const lulli_slot *payload);
/* The same with a zero payload and without running the collector (for
 * a snapshot being read, whose objects no root reaches yet). */
LULL_HIDDEN lulli_gcobj *lulli_exn_alloc(lull_engine *e, lull_tag *tag);
LULL_HIDDEN lull_tag *lulli_exn_tag(const lulli_gcobj *x);
LULL_HIDDEN lulli_slot *lulli_exn_payload(lulli_gcobj *x);
LULL_HIDDEN void lulli_exn_hold(lull_engine *e, lulli_gcobj *x);
/* Frees `x` if it still floats; nothing if NULL or held. */
LULL_HIDDEN void lulli_exn_drop(lull_engine *e, lulli_gcobj *x);
/* The tag and payload of `x` (may be NULL: none), as the API gives
 * them; returns the payload's length. */
LULL_HIDDEN size_t lulli_exn_read(lulli_gcobj *x, lull_tag **tag,
                                  lull_val *payload, size_t max);

/* sha256.c */
LULL_HIDDEN void lulli_sha256(const uint8_t *data, size_t len,
                              uint8_t out[32]);
LULL_HIDDEN uint32_t lulli_crc32(const uint8_t *p, size_t n);

#endif

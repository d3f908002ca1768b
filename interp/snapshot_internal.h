/*
 * snapshot_internal.h -- the snapshot format and the byte buffers that
 * write and read it. docs/snapshot-format.md specifies the format; in
 * short (little-endian throughout):
 *   "LULLSNAP"  u32 version  u8[32] module SHA-256  u64 body length
 *   u32 CRC-32 of the body   body
 * The body, in this order:
 *   extra:     u64 length, bytes (first, so lull_snapshot_extra finds it
 *              without reading the rest)
 *   exceptions: u32 count, per exception (every one a frame, global,
 *              table or another exception's payload holds): u32 tag (an
 *              index of the instance's tags), then its payload's slots
 *              as a frame's are written
 *   thread:    u32 root function, u8 park reason, u64 park tag,
 *              u64 fuel as set, u64 fuel left,
 *              u32 frame count, then per frame (outermost first):
 *                u8 kind (0 Wasm, 1 host), u32 function index,
 *                Wasm frames: u32 Wasm byte offset of the park point
 *                  (its call or loop instruction, or the body's size
 *                  field for a function entry), u32 local count, values,
 *                  u32 operand count, values (bottom first)
 *                host frames: name of the continuation (u32 length,
 *                  bytes), u32 callee function, u32 state length, state
 *              u32 pending host function (NONE if none), u8 pending pop
 *   instance:  u32 memory count, per memory (every one, imported ones
 *                too, 64-bit ones alike): u64 pages, u64 chunk count,
 *                per non-zero 4 KiB chunk: u64 index, 4096 bytes
 *              u32 table count, per table: u32 size, u64 per element
 *              u32 global count, per global: u8 type, u64 low, u64 high
 *              u32 element segment count, a byte each (dropped)
 *              u32 data segment count, a byte each (dropped)
 * With GC, when there is an object to write, then:
 *   gc heap:   u32 object count (at least 1), per object: u64 its address (its name in
 *              this snapshot), u8 kind (LULLI_GC_*), u32 module type index
 *              (0 for boxes), u32 length (array elements; struct payload
 *              bytes), u8 exported; then its payload: a struct's fields as
 *              u64s (two for a v128), an array's elements as u64s when
 *              references, else their bytes, a box's value as a u64
 * A value is its type's binary code (0x7F i32 ... 0x6F externref) and its
 * bits: 4 bytes for i32 and f32, 16 for v128, 8 for the rest. Function
 * references are written as index + 1 in the instance's function index
 * space (0 is null); externrefs as their bits; references of the
 * any hierarchy as their bits too: an i31's, or an object's address,
 * which the gc heap section maps to the object (as it maps an externref
 * that names an exported object);
 * an exception reference as LULLI_SNAP_EXN | its index in the
 * exceptions (0 is null; a slot of the any hierarchy holds either that
 * or its own bits).
 * Nothing names a register slot or a code address: frame bases, return
 * addresses and where a value lives follow from the reader's own park
 * points.
 */
#ifndef LULL_INTERP_SNAPSHOT_INTERNAL_H
#define LULL_INTERP_SNAPSHOT_INTERNAL_H

#include "interp_internal.h"

#define LULLI_SNAP_MAGIC "LULLSNAP"
/* The version this lull writes, and the oldest it reads: versions 1 and
 * 2 named register-code positions and cannot be read by another build. */
#define LULLI_SNAP_VERSION 3u
#define LULLI_SNAP_OLDEST 3u
#define LULLI_SNAP_HEADER (8 + 4 + 32 + 8 + 4)
#define LULLI_SNAP_CHUNK 4096u
#define LULLI_SNAP_NONE 0xFFFFFFFFu
#define LULLI_SNAP_EXN ((uint64_t)1 << 63)

typedef struct lulli_wbuf {
  const lulld_alloc *a;
  uint8_t *p;
  size_t n, cap;
  int oom;
} lulli_wbuf;

LULL_HIDDEN void lulli_put(lulli_wbuf *w, const void *src, size_t n);
LULL_HIDDEN void lulli_put_u8(lulli_wbuf *w, uint8_t v);
LULL_HIDDEN void lulli_put_u32(lulli_wbuf *w, uint32_t v);
LULL_HIDDEN void lulli_put_u64(lulli_wbuf *w, uint64_t v);
/* Overwrites the 8 bytes at `at`, written before, with `v`. */
LULL_HIDDEN void lulli_patch_u64(lulli_wbuf *w, size_t at, uint64_t v);

/* Reads fail sticky: the first failure sets `err` and every later read
 * returns 0. */
typedef struct lulli_rbuf {
  const uint8_t *p;
  size_t n, pos;
  const char *err;
  size_t err_at;
} lulli_rbuf;

LULL_HIDDEN const uint8_t *lulli_get(lulli_rbuf *r, size_t n);
LULL_HIDDEN uint8_t lulli_get_u8(lulli_rbuf *r);
LULL_HIDDEN uint32_t lulli_get_u32(lulli_rbuf *r);
LULL_HIDDEN uint64_t lulli_get_u64(lulli_rbuf *r);
LULL_HIDDEN void lulli_rfail(lulli_rbuf *r, const char *why);

/* The module's SHA-256, computed once. */
LULL_HIDDEN const uint8_t *lulli_module_hash(lull_module *m);

/* What a value of type `t` is to a snapshot: a number's or vector's own
 * code, or LULL_FUNCREF / LULL_EXTERNREF for every reference of the func /
 * extern hierarchy, (ref $t) included: a snapshot stores a function
 * reference as a function index, never an engine's type ids, which
 * differ between processes. */
static inline uint8_t lulli_snap_kind(lull_valtype t) {
  if (!lulld_vt_is_ref(t))
    return (uint8_t)t;
  if (lulld_vt_top(t) == LULL_HT_EXN)
    return LULL_HT_EXN;
  return lulld_vt_is_funcref(t) ? LULL_FUNCREF : LULL_EXTERNREF;
}

/* The exceptions a snapshot holds (snapshot_exn.c): gathered from the
 * thread's frames, the instance's globals and tables and their payloads
 * before anything is written, so each reference is an index. */
typedef struct lulli_exntab {
  const lulld_alloc *a;
  lulli_gcobj **v;
  size_t n, cap;
  int oom;
} lulli_exntab;
LULL_HIDDEN void lulli_exntab_gather(lulli_exntab *x, lull_thread *t,
                                     lull_instance *inst);
/* The index of `o` in the table, or -1. */
LULL_HIDDEN int64_t lulli_exntab_find(const lulli_exntab *x,
                                      const lulli_gcobj *o);
LULL_HIDDEN void lulli_exntab_free(lulli_exntab *x);
/* Is the reference `p` of a slot of the any hierarchy an exception? */
static inline int lulli_is_exn(const void *p) {
  return p && !((uintptr_t)p & 1u) &&
         ((const lulli_gcobj *)p)->kind == LULLI_GC_EXN;
}

/* What an operand slot `k` of a frame parked at `pm` holds, as far as a
 * snapshot cares: LULL_FUNCREF, LULL_EXTERNREF, LULLI_ANY_SLOT (the any
 * hierarchy or an exception), LULLI_DEAD_SLOT or 0 (plain bits). */
#define LULLI_DEAD_SLOT 0xFF
#define LULLI_ANY_SLOT LULL_HT_ANY
LULL_HIDDEN uint8_t lulli_park_slot_type(const lulli_code *code,
                                         const lulli_parkmap *pm, uint32_t k);
/* The same for every slot of a frame in turn: locals by their declared
 * types (the second slot of a v128 counts as v128), operand slots by the
 * park map. Call with k = 0, 1, 2, ... and one cursor, zeroed first. */
typedef struct lulli_slotcursor {
  uint32_t local; /* the local the last slot asked about belongs to */
  uint32_t start; /* its first slot */
} lulli_slotcursor;
LULL_HIDDEN uint8_t lulli_slot_type(const lulli_code *code,
                                    const lulli_parkmap *pm, uint32_t k,
                                    lulli_slotcursor *cur);

/* The type code of a frame's value of type `t` of module `m`: a number's
 * or vector's own, else its hierarchy's top (0x70 func, 0x6F extern,
 * 0x6E any, 0x69 exn), as lulli_snap_kind with the any hierarchy told
 * apart (its references are GC objects' or i31s' names, resolved after
 * the GC heap is read). */
static inline uint8_t lulli_snap_vkind(const lulld_module *m, lull_valtype t) {
  if (!lulld_vt_is_ref(t))
    return (uint8_t)t;
  uint32_t top = lulld_vt_top(lulld_vt_resolve(m, t));
  return top == LULL_HT_FUNC   ? LULL_FUNCREF
         : top == LULL_HT_EXN  ? LULL_HT_EXN
         : top == LULL_HT_ANY  ? LULLI_ANY_SLOT
                               : LULL_EXTERNREF;
}

/* The bytes a value of snapshot kind `kind` (lulli_snap_vkind) takes
 * after its type code. */
static inline unsigned lulli_snap_width(uint8_t kind) {
  return kind == LULL_I32 || kind == LULL_F32 ? 4 : kind == LULL_V128 ? 16
                                                                      : 8;
}

/* The index of `f` in the instance's function index space, or
 * LULLI_SNAP_NONE when it is not in it (snapshot_write.c). */
LULL_HIDDEN uint32_t lulli_snap_func_index(const lull_instance *inst,
                                           const lull_func *f);

/* snapshot_gc.c: the gc heap section. Writing returns NULL or why it
 * cannot be written; reading makes the objects, translates every
 * reference of the thread, the instance and the objects, and returns 0,
 * or -1 with r->err set to a message written into `msg` (which must
 * outlive r). Scrubbing nulls the instance's references of the
 * any hierarchy after a failed read (they may be untranslated bits). */
LULL_HIDDEN const char *lulli_snap_gc_write(lulli_wbuf *w, lull_thread *t,
                                            lull_instance *inst);
LULL_HIDDEN int lulli_snap_gc_read(lulli_rbuf *r, char *msg, size_t msglen,
                                   lull_thread *t, lull_instance *inst);
LULL_HIDDEN void lulli_snap_gc_scrub(lull_instance *inst);

/* instance.c: instantiates; with init 0 without running segment
 * initialization and the start function (the state comes from a
 * snapshot), else running the start function on `start_on` (NULL: a
 * thread of its own). */
LULL_HIDDEN lull_status lulli_instantiate(lull_engine *e, lull_module *m,
                                          const lull_extern *imports,
                                          size_t nimports, int init,
                                          lull_thread *start_on,
                                          lull_instance **out,
                                          lull_error *err);

#endif

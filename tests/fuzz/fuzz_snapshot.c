/*
 * fuzz_snapshot.c -- libFuzzer target for snapshots. At start-up a guest
 * (memory, a table, i64/f64/v128 globals, recursion, call_indirect and a
 * host function that parks it) runs under a small fuel budget, and the
 * snapshots written at its first parks are kept. Each input then picks
 * one of three ways to make bytes for lull_snapshot_read:
 *   0  the input itself is the snapshot
 *   1  a kept snapshot with the input's (offset, xor) patches, its
 *      checksum sealed again, as a crafted snapshot would be
 *   2  a kept snapshot cut at an input-chosen length, sealed again
 * and whatever is read is resumed to its end (or a few more parks). The
 * same bytes then go through an engine whose allocator fails at an
 * allocation chosen from the input. A status lull_snapshot_read or
 * lull_resume does not document aborts; the sanitizers report the rest.
 *
 * With LULL_FUZZ_SEED_DIR set, start-up also writes the kept snapshots
 * there as mode-0 inputs (scripts/fuzz.sh seeds the corpus so).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/snapshot_internal.h"
#include "lull.h"
#include "lull_text.h"
#include "tests/fuzz/fuzz_alloc.h"

static const char guest[] =
    "(module\n"
    "  (import \"host\" \"wait\" (func $wait (param i32) (result i32)))\n"
    "  (memory 1 4)\n"
    "  (table 4 funcref)\n"
    "  (elem (i32.const 0) $leaf $node)\n"
    "  (global $g (mut i64) (i64.const 7))\n"
    "  (global $f (mut f64) (f64.const 0.5))\n"
    "  (global $v (mut v128) (v128.const i32x4 1 2 3 4))\n"
    "  (type $t (func (param i32) (result i32)))\n"
    "  (func $leaf (param i32) (result i32)\n"
    "    (i32.store (i32.and (i32.mul (local.get 0) (i32.const 4))\n"
    "                        (i32.const 0xfffc))\n"
    "               (local.get 0))\n"
    "    (global.set $g (i64.add (global.get $g) (i64.extend_i32_u\n"
    "      (local.get 0))))\n"
    "    (call $wait (local.get 0)))\n"
    "  (func $node (param i32) (result i32) (local i32 v128 f64)\n"
    "    (local.set 2 (i32x4.splat (local.get 0)))\n"
    "    (local.set 3 (f64.convert_i32_u (local.get 0)))\n"
    "    (global.set $v (i32x4.add (global.get $v) (local.get 2)))\n"
    "    (global.set $f (f64.add (global.get $f) (local.get 3)))\n"
    "    (if (i32.lt_u (local.get 0) (i32.const 2))\n"
    "      (then (return (call_indirect (type $t) (local.get 0)\n"
    "                                   (i32.const 0)))))\n"
    "    (local.set 1 (call $node (i32.sub (local.get 0) (i32.const 1))))\n"
    "    (loop $l\n"
    "      (local.set 1 (i32.add (local.get 1)\n"
    "        (call_indirect (type $t) (local.get 1) (i32.const 0))))\n"
    "      (br_if $l (i32.lt_u (local.get 1) (i32.const 40))))\n"
    "    (i32.add (local.get 1) (call $node (i32.sub (local.get 0)\n"
    "                                            (i32.const 2)))))\n"
    "  (func (export \"run\") (param i32) (result i32)\n"
    "    (call_indirect (type $t) (local.get 0) (i32.const 1))))\n";

#define MAX_SEEDS 24
#define FUEL 60

typedef struct seed {
  uint8_t *p;
  size_t len;
} seed;

static seed seeds[MAX_SEEDS];
static size_t nseeds;
static uint8_t *wasm;
static size_t wasm_len;

/* Parks on odd arguments; the resume gives arg + 1. */
static lull_hostret wait_fn(lull_hostcall *hc, const lull_val *args,
                            lull_val *results, void *env) {
  (void)env;
  if (args[0].of.i32 & 1)
    return lull_host_suspend(hc, (uintptr_t)args[0].of.i32);
  results[0].of.i32 = args[0].of.i32 + 1;
  return LULL_HOST_RETURN;
}

/* The guest's one import, made on engine e. */
static lull_func *wait_import(lull_engine *e) {
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ty = {1, 1, i32, i32};
  return lull_func_new(e, &ty, wait_fn, NULL, NULL);
}

/* Resumes a parked thread: fuel again, or the host function's result. */
static lull_status resume(lull_thread *t, lull_val *res) {
  lull_thread_set_fuel(t, FUEL);
  if (lull_thread_park_reason(t) == LULL_PARK_HOST) {
    lull_val r = {.type = LULL_I32};
    r.of.i32 = (int32_t)lull_thread_park_tag(t) + 1;
    return lull_resume(t, &r, 1, res, 1);
  }
  return lull_resume(t, NULL, 0, res, 1);
}

static void keep(lull_engine *e, lull_thread *t, lull_instance *inst) {
  uint8_t *b;
  size_t len;
  lull_error err;
  if (nseeds == MAX_SEEDS ||
      lull_snapshot_write(t, inst, "extra", 5, &b, &len, &err) != LULL_OK)
    return;
  seeds[nseeds].p = malloc(len);
  if (!seeds[nseeds].p)
    abort();
  memcpy(seeds[nseeds].p, b, len);
  seeds[nseeds++].len = len;
  lull_snapshot_free(e, b, len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  lull_engine *e = lull_engine_new(NULL);
  lull_error err;
  if (!e || lull_wat_to_wasm(e, guest, sizeof guest - 1, &wasm, &wasm_len,
                             &err) != LULL_OK) {
    fprintf(stderr, "fuzz-snapshot: the guest: %s\n", err.message);
    abort();
  }
  lull_module *m;
  lull_instance *inst;
  lull_extern im = {.kind = LULL_EXTERN_FUNC};
  im.of.func = wait_import(e);
  if (lull_module_new(e, wasm, wasm_len, &m, &err) != LULL_OK ||
      lull_instantiate(e, m, &im, 1, &inst, &err) != LULL_OK)
    abort();
  lull_thread *t = lull_thread_new(e);
  lull_val arg = {.type = LULL_I32}, res;
  arg.of.i32 = 9;
  lull_thread_set_fuel(t, FUEL);
  lull_status s = lull_call(t, lull_instance_func(inst, "run"), &arg, 1, &res,
                            1);
  while (s == LULL_SUSPENDED && nseeds < MAX_SEEDS) {
    keep(e, t, inst);
    s = resume(t, &res);
  }
  if (nseeds == 0)
    abort();
  const char *dir = getenv("LULL_FUZZ_SEED_DIR");
  for (size_t i = 0; dir && i < nseeds; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%zu", dir, i);
    FILE *f = fopen(path, "wb");
    if (!f)
      continue;
    fputc(0, f);
    fwrite(seeds[i].p, 1, seeds[i].len, f);
    fclose(f);
  }
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_func_free(im.of.func);
  lull_module_free(m);
  lull_engine_free(e);
  return 0;
}

/* The checksum over the body, as a crafted snapshot would have it. */
static void reseal(uint8_t *p, size_t len) {
  if (len < LULLI_SNAP_HEADER)
    return;
  uint32_t crc = lulli_crc32(p + LULLI_SNAP_HEADER, len - LULLI_SNAP_HEADER);
  for (int i = 0; i < 4; i++)
    p[LULLI_SNAP_HEADER - 4 + i] = (uint8_t)(crc >> (8 * i));
}

/* The bytes this input stands for (malloc'd), or NULL. */
static uint8_t *make_bytes(const uint8_t *d, size_t n, size_t *len) {
  if (n < 2)
    return NULL;
  unsigned mode = d[0] % 3;
  if (mode == 0) {
    uint8_t *b = malloc(n - 1 ? n - 1 : 1);
    if (b)
      memcpy(b, d + 1, n - 1);
    *len = n - 1;
    return b;
  }
  const seed *s = &seeds[d[1] % nseeds];
  uint8_t *b = malloc(s->len);
  if (!b)
    return NULL;
  memcpy(b, s->p, s->len);
  *len = s->len;
  if (mode == 1) {
    /* Patches of 4 bytes: a 24-bit offset and a nonzero xor mask. */
    for (size_t i = 2; i + 3 < n; i += 4) {
      uint32_t off = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 |
                     (uint32_t)d[i + 2] << 16;
      b[off % s->len] ^= d[i + 3] ? d[i + 3] : 1;
    }
  } else {
    size_t cut = n >= 4 ? ((size_t)d[2] | (size_t)d[3] << 8) : 0;
    *len = cut % s->len;
  }
  reseal(b, *len);
  return b;
}

/* Reads and resumes on engine e; 0, or -1 for an undocumented status. */
static int run(lull_engine *e, lull_module *m, lull_func *wait,
               const uint8_t *b, size_t len) {
  lull_extern im = {.kind = LULL_EXTERN_FUNC};
  im.of.func = wait;
  lull_instance *inst = NULL;
  lull_thread *t = NULL;
  lull_error err;
  lull_status s =
      lull_snapshot_read(e, m, &im, 1, b, len, &inst, &t, NULL, NULL, &err);
  if (s != LULL_OK)
    return s == LULL_BADSNAPSHOT || s == LULL_NOMEM || s == LULL_BADARG ? 0
                                                                        : -1;
  lull_val res;
  s = LULL_SUSPENDED;
  for (int i = 0; i < 8 && s == LULL_SUSPENDED; i++)
    s = resume(t, &res);
  int bad = s != LULL_OK && s != LULL_TRAP && s != LULL_SUSPENDED &&
            s != LULL_NOMEM && s != LULL_BADSTATE && s != LULL_BADARG;
  lull_thread_free(t);
  lull_instance_free(inst);
  return bad ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t len;
  uint8_t *b = make_bytes(data, size, &len);
  if (!b)
    return 0;
  failing f = {UINT32_MAX, 0};
  lull_config cfg;
  lull_config_init(&cfg);
  lull_engine *e = lull_engine_new(&cfg);
  lull_module *m = NULL;
  lull_func *w = NULL;
  lull_error err;
  if (!e || lull_module_new(e, wasm, wasm_len, &m, &err) != LULL_OK ||
      !(w = wait_import(e)))
    abort();
  if (run(e, m, w, b, len) != 0)
    abort();
  lull_func_free(w);
  lull_module_free(m);
  lull_engine_free(e);

  /* Out of memory at an input-chosen allocation of the read and resume. */
  cfg.alloc = failing_alloc;
  cfg.alloc_ud = &f;
  e = lull_engine_new(&cfg);
  if (!e || lull_module_new(e, wasm, wasm_len, &m, &err) != LULL_OK ||
      !(w = wait_import(e)))
    abort();
  f.left = fuzz_hash(data, size) % 128;
  if (run(e, m, w, b, len) != 0)
    abort();
  f.left = UINT32_MAX;
  lull_func_free(w);
  lull_module_free(m);
  lull_engine_free(e);
  free(b);
  return 0;
}

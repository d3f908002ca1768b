/*
 * define.c -- the table of wasi_snapshot_preview1 functions, generated
 * from LULLW_FUNCS, and the glue between lull's host-function calling
 * convention and the implementations: arguments become raw 64-bit values,
 * and an implementation's answer becomes a result, a trap or a
 * suspension.
 */
#include "wasi_internal.h"

#include <string.h>

typedef struct fn_info {
  const char *name;
  const char *params;
  uint32_t nresults;
  lullw_impl impl;
  lull_host_fn tramp;
} fn_info;

static lull_hostret invoke(lull_wasi *w, uint32_t fn, lull_hostcall *hc,
                           const lull_val *args, lull_val *results);

/* One trampoline per function, so the context alone can be the env. */
#define LULLW_XX_(name, params, nres)                                         \
  static lull_hostret tramp_##name(lull_hostcall *hc, const lull_val *args,   \
                                   lull_val *results, void *env) {            \
    return invoke(env, LULLW_FN_##name, hc, args, results);                   \
  }
LULLW_FUNCS(LULLW_XX_)
#undef LULLW_XX_

static const fn_info fns[LULLW_NFUNCS] = {
#define LULLW_XX_(name, params, nres)                                         \
  {#name, params, nres, lullw_##name, tramp_##name},
    LULLW_FUNCS(LULLW_XX_)
#undef LULLW_XX_
};

const char *lullw_fn_params(uint32_t fn) {
  return fn < LULLW_NFUNCS ? fns[fn].params : NULL;
}

const char *lullw_fn_name(uint32_t fn) {
  return fn < LULLW_NFUNCS ? fns[fn].name : NULL;
}

lullw_impl lullw_fn_impl(uint32_t fn) {
  return fn < LULLW_NFUNCS ? fns[fn].impl : NULL;
}

static lull_hostret invoke(lull_wasi *w, uint32_t fn, lull_hostcall *hc,
                           const lull_val *args, lull_val *results) {
  lullw_call c;
  memset(&c, 0, sizeof c);
  c.w = w;
  c.t = lull_hostcall_thread(hc);
  c.mem = lull_hostcall_memory(hc);
  c.fn = fn;
  const char *p = fns[fn].params;
  for (uint32_t i = 0; p[i]; i++)
    c.a[i] = p[i] == 'I' ? (uint64_t)args[i].of.i64 : (uint32_t)args[i].of.i32;
  /* Through the write-behind gate (wb_gate.c): a call that could see
   * writes still queued waits for them. */
  int32_t r = lullw_dispatch(&c);
  if (r == LULLW_TRAP)
    return lull_host_trap(hc, c.msg);
  if (r == LULLW_PENDING)
    return lull_host_suspend(hc, LULLW_TAG);
  if (fns[fn].nresults)
    results[0].of.i32 = r;
  return LULL_HOST_RETURN;
}

/* The function's host object, made on first use. */
static lull_func *func_of(lull_wasi *w, uint32_t fn) {
  if (w->funcs[fn])
    return w->funcs[fn];
  lull_valtype params[LULLW_MAX_ARGS], result = LULL_I32;
  uint32_t n = 0;
  for (const char *p = fns[fn].params; *p; p++)
    params[n++] = *p == 'I' ? LULL_I64 : LULL_I32;
  lull_functype ty = {n, fns[fn].nresults, params, &result};
  w->funcs[fn] = lull_func_new(w->engine, &ty, fns[fn].tramp, w, NULL);
  return w->funcs[fn];
}

lull_status lull_wasi_define(lull_wasi *w, lull_linker *l) {
  if (!w || !l)
    return LULL_BADARG;
  for (uint32_t i = 0; i < LULLW_NFUNCS; i++) {
    lull_extern ext;
    ext.kind = LULL_EXTERN_FUNC;
    ext.of.func = func_of(w, i);
    if (!ext.of.func)
      return LULL_NOMEM;
    lull_status s =
        lull_linker_define(l, "wasi_snapshot_preview1", fns[i].name, &ext);
    if (s != LULL_OK)
      return s;
  }
  return LULL_OK;
}

lull_func *lull_wasi_func(lull_wasi *w, const char *name) {
  if (!w || !name)
    return NULL;
  for (uint32_t i = 0; i < LULLW_NFUNCS; i++)
    if (strcmp(fns[i].name, name) == 0)
      return func_of(w, i);
  return NULL;
}

void lullw_funcs_free(lull_wasi *w) {
  for (uint32_t i = 0; i < LULLW_NFUNCS; i++) {
    if (w->funcs[i])
      lull_func_free(w->funcs[i]);
    w->funcs[i] = NULL;
  }
}

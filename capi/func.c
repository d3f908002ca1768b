/*
 * func.c -- functions: host functions made from wasm.h callbacks, and
 * calls. A call runs on one of the store's lull threads; a host function
 * that calls again takes another, so calls nest on the C stack the way
 * wasm.h's callbacks expect (lull's own host functions never do).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

/* What a host function's lull env is: it lives as long as the lull
 * function, which may outlive every handle (an instance imports it). */
typedef struct host_env {
  wasm_store_t *store;
  wasm_func_callback_t cb;
  wasm_func_callback_with_env_t cb_env;
  void *env;
  void (*finalizer)(void *);
  size_t nparams, nresults;
  wasm_valkind_t kinds[]; /* params, then results */
} host_env;

static void host_free(void *p) {
  host_env *h = p;
  if (h->finalizer)
    h->finalizer(h->env);
  free(h);
}

/* Traps with the callback's trap's message, which it gave up. */
static lull_hostret host_trapped(lull_hostcall *hc, wasm_trap_t *trap) {
  lull_hostret r = lull_host_trap(hc, LULLC_OBJ(trap)->u.trap.msg);
  wasm_trap_delete(trap);
  return r;
}

static lull_hostret host_call(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *p) {
  host_env *h = p;
  wasm_store_t *s = h->store;
  wasm_val_vec_t a, r;
  lull_hostret ret = LULL_HOST_RETURN;
  wasm_val_vec_new_uninitialized(&a, h->nparams);
  wasm_val_vec_new_uninitialized(&r, h->nresults);
  if (a.size != h->nparams || r.size != h->nresults) {
    ret = lull_host_trap(hc, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < h->nparams; i++)
    if (lullc_val_from(s, &args[i], &a.data[i]) != 0) {
      a.size = i; /* only what was made is deleted */
      ret = lull_host_trap(hc, "out of memory");
      goto done;
    }
  for (size_t i = 0; i < h->nresults; i++) {
    r.data[i].kind = h->kinds[h->nparams + i];
    r.data[i].of.ref = NULL;
  }
  wasm_trap_t *trap = h->cb ? h->cb(&a, &r) : h->cb_env(h->env, &a, &r);
  if (trap) {
    ret = host_trapped(hc, trap);
    goto done;
  }
  for (size_t i = 0; i < h->nresults; i++)
    if (lullc_val_to(s, &r.data[i], h->kinds[h->nparams + i],
                     &results[i]) != 0) {
      ret = lull_host_trap(hc, "host function returned a value of the "
                               "wrong type");
      goto done;
    }
done:
  wasm_val_vec_delete(&a);
  wasm_val_vec_delete(&r);
  return ret;
}

static wasm_func_t *func_new(wasm_store_t *s, const wasm_functype_t *type,
                             wasm_func_callback_t cb,
                             wasm_func_callback_with_env_t cb_env, void *env,
                             void (*finalizer)(void *)) {
  if (!s || !type || (!cb && !cb_env))
    return NULL;
  const lullc_externtype *t = LULLC_ET(type);
  size_t np = t->params.size, nr = t->results.size;
  host_env *h = malloc(sizeof *h + np + nr);
  lull_valtype *ts = malloc((np + nr + 1) * sizeof *ts);
  if (!h || !ts)
    goto fail;
  *h = (host_env){s, cb, cb_env, env, finalizer, np, nr};
  for (size_t i = 0; i < np + nr; i++) {
    const wasm_valtype_t *v =
        i < np ? t->params.data[i] : t->results.data[i - np];
    h->kinds[i] = v->kind;
    ts[i] = lullc_valtype_of(v->kind);
    if (!ts[i])
      goto fail;
  }
  lull_functype ft = {(uint32_t)np, (uint32_t)nr, ts, ts + np};
  lull_func *f = lull_func_new(s->e, &ft, host_call, h, host_free);
  free(ts);
  if (!f) {
    free(h);
    return NULL;
  }
  /* The object takes a reference of its own; dropping the one made here
   * frees the function (and runs the finalizer) if the object failed. */
  lull_extern x = {.kind = LULL_EXTERN_FUNC, .of.func = f};
  lullc_obj *o = lullc_extern_obj(s, &x, NULL, NULL);
  lull_func_free(f);
  return (wasm_func_t *)o;
fail:
  free(h);
  free(ts);
  return NULL;
}

wasm_func_t *wasm_func_new(wasm_store_t *s, const wasm_functype_t *type,
                           wasm_func_callback_t cb) {
  return func_new(s, type, cb, NULL, NULL, NULL);
}

wasm_func_t *wasm_func_new_with_env(wasm_store_t *s,
                                    const wasm_functype_t *type,
                                    wasm_func_callback_with_env_t cb,
                                    void *env, void (*finalizer)(void *)) {
  return func_new(s, type, NULL, cb, env, finalizer);
}

wasm_functype_t *wasm_func_type(const wasm_func_t *p) {
  lull_functype ft = lull_func_type(LULLC_OBJ(p)->x.of.func);
  return lullc_functype_from(&ft);
}

size_t wasm_func_param_arity(const wasm_func_t *p) {
  return lull_func_type(LULLC_OBJ(p)->x.of.func).nparams;
}

size_t wasm_func_result_arity(const wasm_func_t *p) {
  return lull_func_type(LULLC_OBJ(p)->x.of.func).nresults;
}

static const char *kind_name(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return "i32";
  case WASM_I64: return "i64";
  case WASM_F32: return "f32";
  case WASM_F64: return "f64";
  case WASM_ANYREF: return "anyref";
  case WASM_FUNCREF: return "funcref";
  default: return "value wasm.h cannot name";
  }
}

/* Converts the arguments; NULL, or a trap saying which is wrong. */
static lullc_obj *args_to(wasm_store_t *s, const lull_functype *ft,
                          const wasm_val_vec_t *args, lull_val *out) {
  char msg[128];
  for (uint32_t i = 0; i < ft->nparams; i++) {
    wasm_valkind_t k = lullc_kind_of(ft->params[i]);
    if (lullc_val_to(s, &args->data[i], k, &out[i]) != 0) {
      snprintf(msg, sizeof msg, "argument %u is not a %s", i, kind_name(k));
      return lullc_trap_text(s, msg);
    }
  }
  return NULL;
}

wasm_trap_t *wasm_func_call(const wasm_func_t *p, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  lullc_obj *o = LULLC_OBJ(p);
  wasm_store_t *s = o->store;
  lull_functype ft = lull_func_type(o->x.of.func);
  char msg[128];
  size_t nargs = args ? args->size : 0, nres = results ? results->size : 0;
  if (nargs != ft.nparams || nres < ft.nresults) {
    snprintf(msg, sizeof msg,
             "function takes %u arguments and gives %u results; called "
             "with %zu arguments and room for %zu results",
             ft.nparams, ft.nresults, nargs, nres);
    return (wasm_trap_t *)lullc_trap_text(s, msg);
  }
  lull_val *la = malloc((ft.nparams + ft.nresults + 1) * sizeof *la);
  lull_thread *t = la ? lullc_thread_take(s) : NULL;
  lullc_obj *trap = NULL;
  if (!t) {
    trap = lullc_trap_text(s, "out of memory");
    goto done;
  }
  lull_val *lr = la + ft.nparams;
  trap = args_to(s, &ft, args, la);
  if (trap)
    goto done;
  lull_status st = lull_call(t, o->x.of.func, la, ft.nparams, lr, ft.nresults);
  if (st != LULL_OK) {
    trap = lullc_trap_thread(s, t, NULL);
  } else {
    for (uint32_t i = 0; i < ft.nresults; i++)
      if (lullc_val_from(s, &lr[i], &results->data[i]) != 0) {
        /* Results are the caller's only when the call succeeds. */
        for (uint32_t j = 0; j < i; j++)
          wasm_val_delete(&results->data[j]);
        trap = lullc_trap_text(s, "a result wasm.h cannot hold");
        break;
      }
  }
  /* A parked thread (a lull host function suspended it) cannot take
   * another call. */
  if (st == LULL_SUSPENDED) {
    lull_thread_free(t);
    t = NULL;
  }
done:
  if (t)
    lullc_thread_give(s, t);
  free(la);
  return (wasm_trap_t *)trap;
}

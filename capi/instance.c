/*
 * instance.c -- instances: instantiation with the start function's trap,
 * and exports as objects.
 */
#include <stdio.h>
#include <stdlib.h>

#include "capi_internal.h"

/* Sets *trap (when asked for) and returns NULL. */
static wasm_instance_t *failed(wasm_trap_t **trap, lullc_obj *t) {
  if (trap)
    *trap = (wasm_trap_t *)t;
  else if (t)
    lullc_obj_drop(t);
  return NULL;
}

wasm_instance_t *wasm_instance_new(wasm_store_t *s, const wasm_module_t *mp,
                                   const wasm_extern_vec_t *imports,
                                   wasm_trap_t **trap) {
  lullc_obj *mod = LULLC_OBJ(mp);
  char msg[160];
  if (trap)
    *trap = NULL;
  if (!s || !mod)
    return NULL;
  if (mod->store != s)
    return failed(trap, lullc_trap_text(s, "module belongs to another store "
                                           "(share it with "
                                           "wasm_module_share)"));
  size_t n = imports ? imports->size : 0;
  lull_extern *xs = malloc((n + 1) * sizeof *xs);
  lull_thread *t = xs ? lullc_thread_take(s) : NULL;
  lullc_obj *err = NULL, *inst = NULL;
  lull_instance *li = NULL;
  if (!t) {
    err = lullc_trap_text(s, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    lullc_obj *x = LULLC_OBJ(imports->data[i]);
    if (!x || lullc_extern_of(x, &xs[i]) != 0 || x->store != s) {
      snprintf(msg, sizeof msg, "import %zu is not an external of this store",
               i);
      err = lullc_trap_text(s, msg);
      goto done;
    }
  }
  lull_error e;
  lull_status st =
      lull_instantiate_on(s->e, mod->u.module.m, xs, n, t, &li, &e);
  if (st != LULL_OK) {
    /* A trap in the start function has its frames in the thread; link
     * errors and segments out of bounds only a message. */
    err = st == LULL_TRAP && lull_thread_backtrace(t, NULL, 0) > 0
              ? lullc_trap_thread(s, t, &mod->u.module.code)
              : lullc_trap_text(s, e.message);
    goto done;
  }
  inst = lullc_obj_new(s, LULLC_INSTANCE);
  if (inst) {
    inst->u.instance.inst = li;
    inst->u.instance.module = lullc_obj_hold(mod);
  } else {
    lull_instance_free(li);
  }
  /* Frames of traps find their instance object by the lull instance. */
  if (inst && lullc_map_add(&s->maps[LULLC_MAP_KEY], inst, li) != 0) {
    lullc_obj_destroy(inst);
    inst = NULL;
  }
  if (!inst)
    err = lullc_trap_text(s, "out of memory");
done:
  if (t)
    lullc_thread_give(s, t);
  free(xs);
  return inst ? (wasm_instance_t *)inst : failed(trap, err);
}

void wasm_instance_exports(const wasm_instance_t *p, wasm_extern_vec_t *out) {
  lullc_obj *o = LULLC_OBJ(p);
  lull_instance *li = o->u.instance.inst;
  const lull_module *m = o->u.instance.module->u.module.m;
  size_t n = lull_instance_export_count(li), k = 0;
  wasm_extern_vec_new_uninitialized(out, n);
  for (size_t i = 0; i < n && out->size == n; i++) {
    const char *name;
    lull_extern x;
    lull_externtype t;
    if (lull_instance_export_at(li, i, &name, &x) != LULL_OK ||
        x.kind == LULL_EXTERN_TAG ||
        lull_module_export(m, i, &name, &t) != LULL_OK)
      continue;
    out->data[k++] = (wasm_extern_t *)lullc_extern_obj(o->store, &x, &t, o);
  }
  out->size = k;
}

/* finalize: host info with finalizers on instances, functions, modules
 * and foreign objects; each finalizer runs once, when the last handle
 * goes, or with the store for an object Wasm may hold. */
#include <stdint.h>

#include "capi_test.h"

enum { ITERATIONS = 500 };

static int live;
static int finalized[2 * ITERATIONS + 8];

static void finalize(void *info) {
  intptr_t i = (intptr_t)info;
  CHECK(i >= 0 && i < (intptr_t)(sizeof finalized / sizeof *finalized));
  finalized[i]++;
  live--;
}

static wasm_trap_t *nothing(void *env, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  return NULL;
}

static void run_in_store(wasm_store_t *store, int base) {
  wasm_module_t *module = capi_load(store, "finalize");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  for (int i = 0; i < ITERATIONS; i++) {
    int id = base + i;
    wasm_instance_t *instance =
        wasm_instance_new(store, module, &imports, NULL);
    CHECK(instance);
    wasm_instance_set_host_info_with_finalizer(instance, (void *)(intptr_t)id,
                                               finalize);
    live++;
    /* Every handle shares the object's host info. */
    wasm_instance_t *copy = wasm_instance_copy(instance);
    CHECK(wasm_instance_same(copy, instance));
    CHECK(wasm_instance_get_host_info(copy) == (void *)(intptr_t)id);
    wasm_instance_delete(copy);
    CHECK(finalized[id] == 0);

    /* An export holds its instance: the instance dies after it. */
    wasm_extern_vec_t ex;
    wasm_instance_exports(instance, &ex);
    CHECK(ex.size == 3);
    wasm_instance_delete(instance);
    CHECK(finalized[id] == 0);
    wasm_extern_vec_delete(&ex);
    CHECK(finalized[id] == 1);
  }
  /* Host info without a finalizer, then replaced by one. */
  wasm_module_set_host_info(module, (void *)1);
  CHECK(wasm_module_get_host_info(module) == (void *)1);
  int id = 2 * ITERATIONS + base / ITERATIONS; /* one per store */
  wasm_module_set_host_info_with_finalizer(module, (void *)(intptr_t)id,
                                           finalize);
  live++;
  wasm_module_t *copy = wasm_module_copy(module);
  wasm_module_delete(module);
  CHECK(finalized[id] == 0);
  wasm_module_delete(copy);
  CHECK(finalized[id] == 1);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  for (int round = 0; round < 2; round++) {
    wasm_store_t *store = wasm_store_new(engine);
    run_in_store(store, round * ITERATIONS);
    CHECK(live == 0);
    wasm_store_delete(store);
  }
  for (int i = 0; i < 2 * ITERATIONS; i++)
    CHECK(finalized[i] == 1);

  /* A foreign object Wasm may hold (here: a global's value) outlives
   * its handles and is finalized with the store. */
  enum { HELD = 2 * ITERATIONS + 2, FREE, FUNC };
  wasm_store_t *store = wasm_store_new(engine);
  wasm_foreign_t *held = wasm_foreign_new(store);
  wasm_foreign_t *free_one = wasm_foreign_new(store);
  wasm_foreign_set_host_info_with_finalizer(held, (void *)(intptr_t)HELD,
                                            finalize);
  wasm_foreign_set_host_info_with_finalizer(free_one, (void *)(intptr_t)FREE,
                                            finalize);
  live += 2;
  wasm_globaltype_t *gt =
      wasm_globaltype_new(wasm_valtype_new_anyref(), WASM_VAR);
  wasm_val_t v = WASM_REF_VAL(wasm_foreign_as_ref(held));
  wasm_global_t *g = wasm_global_new(store, gt, &v);
  wasm_globaltype_delete(gt);
  CHECK(g);
  wasm_foreign_delete(free_one);
  CHECK(finalized[FREE] == 1);
  wasm_foreign_delete(held);
  CHECK(finalized[HELD] == 0);
  /* The global still gives the same object. */
  wasm_global_get(g, &v);
  CHECK(v.kind == WASM_ANYREF && v.of.ref);
  CHECK(wasm_ref_get_host_info(v.of.ref) == (void *)(intptr_t)HELD);
  wasm_val_delete(&v);
  wasm_global_delete(g);

  /* A host function's environment is finalized when the function dies:
   * at once when only its handle held it. */
  wasm_functype_t *ft = wasm_functype_new_0_0();
  wasm_func_t *f = wasm_func_new_with_env(store, ft, nothing,
                                          (void *)(intptr_t)FUNC, finalize);
  wasm_functype_delete(ft);
  CHECK(f);
  live++;
  wasm_func_delete(f);
  CHECK(finalized[FUNC] == 1);

  wasm_store_delete(store);
  CHECK(finalized[HELD] == 1);
  CHECK(live == 0);
  wasm_engine_delete(engine);
  printf("finalize: ok\n");
  return 0;
}

/* threads: one engine and one compiled module shared by threads, each
 * with a store of its own, running at the same time as the main thread. */
#include <pthread.h>

#include "capi_test.h"

enum { THREADS = 4, CALLS = 200 };

typedef struct job {
  wasm_engine_t *engine;
  const wasm_shared_module_t *shared;
  int id;
  int calls; /* written by its own thread only */
} job;

static wasm_trap_t *hello(void *env, const wasm_val_vec_t *args,
                          wasm_val_vec_t *results) {
  job *j = env;
  CHECK(args->size == 1 && args->data[0].of.i32 == j->id);
  j->calls++;
  return NULL;
}

static void run(job *j) {
  wasm_store_t *store = wasm_store_new(j->engine);
  CHECK(store);
  wasm_module_t *module = wasm_module_obtain(store, j->shared);
  CHECK(module);
  wasm_functype_t *ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t *f = wasm_func_new_with_env(store, ft, hello, j, NULL);
  wasm_functype_delete(ft);
  wasm_globaltype_t *gt =
      wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t id = WASM_I32_VAL(j->id);
  wasm_global_t *g = wasm_global_new(store, gt, &id);
  wasm_globaltype_delete(gt);
  wasm_extern_t *ins[] = {wasm_func_as_extern(f), wasm_global_as_extern(g)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 2, &ex);
  wasm_val_vec_t none = WASM_EMPTY_VEC, results = WASM_EMPTY_VEC;
  for (int i = 0; i < CALLS; i++)
    CHECK(wasm_func_call(capi_func(&ex, 0), &none, &results) == NULL);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_func_delete(f);
  wasm_global_delete(g);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

static void *thread_main(void *p) {
  run(p);
  return NULL;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "threads");
  wasm_shared_module_t *shared = wasm_module_share(module);
  CHECK(shared);
  wasm_module_delete(module);
  wasm_store_delete(store);

  job jobs[THREADS + 1];
  pthread_t threads[THREADS];
  for (int i = 0; i <= THREADS; i++)
    jobs[i] = (job){engine, shared, i + 1, 0};
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_create(&threads[i], NULL, thread_main, &jobs[i]) == 0);
  run(&jobs[THREADS]); /* the main thread too, meanwhile */
  for (int i = 0; i < THREADS; i++)
    CHECK(pthread_join(threads[i], NULL) == 0);
  for (int i = 0; i <= THREADS; i++)
    CHECK(jobs[i].calls == CALLS);

  wasm_shared_module_delete(shared);
  wasm_engine_delete(engine);
  printf("threads: ok\n");
  return 0;
}

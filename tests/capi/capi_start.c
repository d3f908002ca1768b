/* start: a start function that traps gives no instance and a trap with
 * its frames; a link error gives a trap with a message. */
#include "capi_test.h"

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "start");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_trap_t *trap = NULL;
  char msg[256];

  CHECK(wasm_instance_new(store, module, &imports, &trap) == NULL);
  CHECK(trap != NULL);
  CHECK(strstr(capi_message(trap, msg, sizeof msg), "unreachable"));
  wasm_frame_t *origin = wasm_trap_origin(trap);
  CHECK(origin && wasm_frame_func_index(origin) == 1);
  wasm_frame_delete(origin);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 2);
  CHECK(wasm_frame_func_index(trace.data[0]) == 1);
  CHECK(wasm_frame_func_index(trace.data[1]) == 0);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);

  /* Without a trap out-parameter it just fails. */
  CHECK(wasm_instance_new(store, module, &imports, NULL) == NULL);

  /* A missing import: the trap says so. */
  wasm_module_t *hello = capi_load(store, "hello");
  CHECK(wasm_instance_new(store, hello, &imports, &trap) == NULL);
  capi_trapped(trap, "import");

  /* An import of the wrong type: a global where a function goes. */
  wasm_globaltype_t *gt =
      wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t zero = WASM_I32_VAL(0);
  wasm_global_t *g = wasm_global_new(store, gt, &zero);
  wasm_globaltype_delete(gt);
  wasm_extern_t *ins[] = {wasm_global_as_extern(g)};
  wasm_extern_vec_t wrong = WASM_ARRAY_VEC(ins);
  CHECK(wasm_instance_new(store, hello, &wrong, &trap) == NULL);
  capi_trapped(trap, "incompatible import type");
  wasm_global_delete(g);

  /* A module of another store is refused. */
  wasm_store_t *other = wasm_store_new(engine);
  CHECK(wasm_instance_new(other, hello, &imports, &trap) == NULL);
  capi_trapped(trap, "another store");
  wasm_store_delete(other);

  wasm_module_delete(hello);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("start: ok\n");
  return 0;
}

/*
 * consumer_core.c -- a program that links only the core (lull-core,
 * lull::core): no libuv anywhere, in the headers or the link line. It
 * runs the module through lull.h, then through the standard wasm.h,
 * which must give the same sum.
 */
#include <stdint.h>
#include <stdio.h>

#include "lull.h"
#include "wasm.h"

#include "add_module.h"

/* add(a, b) through wasm.h; 0 when it gives a + b. */
static int run_add_wasm_h(int32_t a, int32_t b) {
  int rc = 1;
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = engine ? wasm_store_new(engine) : NULL;
  wasm_byte_vec_t bin;
  wasm_byte_vec_new(&bin, sizeof add_module, (const char *)add_module);
  wasm_module_t *m = store ? wasm_module_new(store, &bin) : NULL;
  wasm_extern_vec_t imports = WASM_EMPTY_VEC, exports = WASM_EMPTY_VEC;
  wasm_instance_t *inst = m ? wasm_instance_new(store, m, &imports, NULL)
                            : NULL;
  if (inst)
    wasm_instance_exports(inst, &exports);
  if (exports.size == 1) {
    wasm_val_t as[] = {WASM_I32_VAL(a), WASM_I32_VAL(b)}, rs[1];
    wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
    wasm_trap_t *trap = wasm_func_call(wasm_extern_as_func(exports.data[0]),
                                       &args, &results);
    rc = trap || rs[0].of.i32 != a + b;
    wasm_trap_delete(trap);
  }
  if (rc)
    fprintf(stderr, "consumer: wasm.h did not add\n");
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(inst);
  wasm_module_delete(m);
  wasm_byte_vec_delete(&bin);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return rc;
}

int main(void) { return run_add(2, 40) || run_add_wasm_h(2, 40); }

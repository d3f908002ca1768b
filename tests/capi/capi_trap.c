/* trap: traps from Wasm (unreachable, a division by zero three calls
 * deep) and from a host function, with their messages and frames. */
#include "capi_test.h"

static wasm_store_t *the_store;
/* The export the nested callback calls; set once the instance exists. */
static const wasm_func_t *inner;
static int nested;

static wasm_trap_t *call(const wasm_func_t *f);

/* A host function that calls Wasm again (on the C stack, as wasm.h's
 * callbacks may) and hands on its trap. */
static wasm_trap_t *call_again(const wasm_val_vec_t *args,
                               wasm_val_vec_t *results) {
  nested++;
  wasm_trap_t *trap = call(inner);
  CHECK(trap != NULL);
  return trap;
}

static wasm_trap_t *fail(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  wasm_message_t m;
  wasm_name_new_from_string_nt(&m, "callback abort");
  wasm_trap_t *trap = wasm_trap_new(the_store, &m);
  wasm_name_delete(&m);
  return trap;
}

static wasm_trap_t *call(const wasm_func_t *f) {
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(rs);
  return wasm_func_call(f, &args, &results);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = the_store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "trap");
  wasm_func_t *cb =
      capi_host(store, wasm_functype_new_0_1(wasm_valtype_new_i32()), fail);
  wasm_extern_t *ins[] = {wasm_func_as_extern(cb)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 1, &ex);
  wasm_func_delete(cb);
  CHECK(ex.size == 3);
  char msg[256];

  /* A host function's trap: its message, no Wasm frame of its own. */
  capi_trapped(call(capi_func(&ex, 0)), "callback abort");

  /* unreachable: one frame, in function 2 (after the import). */
  wasm_trap_t *trap = call(capi_func(&ex, 1));
  CHECK(trap != NULL);
  CHECK(strstr(capi_message(trap, msg, sizeof msg), "unreachable"));
  wasm_frame_t *origin = wasm_trap_origin(trap);
  CHECK(origin != NULL);
  CHECK(wasm_frame_func_index(origin) == 2);
  CHECK(wasm_frame_instance(origin) == instance);
  /* The body starts with its locals' count, so the instruction is past
   * it, and the module offset is the function offset plus where the
   * body starts. */
  CHECK(wasm_frame_func_offset(origin) >= 1);
  CHECK(wasm_frame_module_offset(origin) > wasm_frame_func_offset(origin));
  wasm_frame_t *copy = wasm_frame_copy(origin);
  CHECK(wasm_frame_func_index(copy) == 2);
  wasm_frame_delete(copy);
  wasm_frame_delete(origin);
  wasm_trap_delete(trap);

  /* A division by zero in $deep after three calls of itself. */
  trap = call(capi_func(&ex, 2));
  CHECK(trap != NULL);
  CHECK(strstr(capi_message(trap, msg, sizeof msg), "divide by zero"));
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 5);
  for (size_t i = 0; i < 4; i++)
    CHECK(wasm_frame_func_index(trace.data[i]) == 3);
  CHECK(wasm_frame_func_index(trace.data[4]) == 4);
  /* The innermost frame divides; the others call, earlier in the body. */
  CHECK(wasm_frame_func_offset(trace.data[0]) <
        wasm_frame_func_offset(trace.data[1]));
  CHECK(wasm_frame_func_offset(trace.data[1]) ==
        wasm_frame_func_offset(trace.data[2]));
  wasm_frame_vec_t trace2;
  wasm_frame_vec_copy(&trace2, &trace);
  CHECK(trace2.size == 5 &&
        wasm_frame_module_offset(trace2.data[4]) ==
            wasm_frame_module_offset(trace.data[4]));
  wasm_frame_vec_delete(&trace2);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);

  /* A trap the host makes has no frames; its message keeps one NUL. */
  wasm_message_t m;
  wasm_name_new_from_string(&m, "plain");
  trap = wasm_trap_new(store, &m);
  wasm_name_delete(&m);
  CHECK(wasm_trap_origin(trap) == NULL);
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 0);
  wasm_trap_message(trap, &m);
  CHECK(m.size == 6 && strcmp(m.data, "plain") == 0);
  wasm_name_delete(&m);
  wasm_trap_delete(trap);

  /* The callback calls "unreachable" of the same module from inside a
   * call; the inner trap comes out of the outer call. */
  wasm_func_t *again = capi_host(
      store, wasm_functype_new_0_1(wasm_valtype_new_i32()), call_again);
  wasm_extern_t *ins2[] = {wasm_func_as_extern(again)};
  wasm_extern_vec_t ex2;
  wasm_instance_t *instance2 = capi_instantiate(store, module, ins2, 1, &ex2);
  inner = capi_func(&ex2, 1);
  for (int i = 1; i <= 3; i++) {
    capi_trapped(call(capi_func(&ex2, 0)), "unreachable");
    CHECK(nested == i);
  }
  /* Its frames are Wasm's only: the export that called the host
   * function, in the second instance. */
  trap = call(capi_func(&ex2, 0));
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 1);
  CHECK(wasm_frame_func_index(trace.data[0]) == 1);
  CHECK(wasm_frame_instance(trace.data[0]) == instance2);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
  /* Across instances: a third instance imports the first one's
   * "unreachable"; each frame names its own instance. */
  wasm_extern_t *ins3[] = {ex.data[1]};
  wasm_extern_vec_t ex3;
  wasm_instance_t *instance3 = capi_instantiate(store, module, ins3, 1, &ex3);
  trap = call(capi_func(&ex3, 0));
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 2);
  CHECK(wasm_frame_func_index(trace.data[0]) == 2);
  CHECK(wasm_frame_instance(trace.data[0]) == instance);
  CHECK(wasm_frame_func_index(trace.data[1]) == 1);
  CHECK(wasm_frame_instance(trace.data[1]) == instance3);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
  wasm_extern_vec_delete(&ex3);
  wasm_instance_delete(instance3);

  /* And the store's calls go on as before. */
  capi_trapped(call(capi_func(&ex, 2)), "divide by zero");
  wasm_func_delete(again);
  wasm_extern_vec_delete(&ex2);
  wasm_instance_delete(instance2);

  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("trap: ok\n");
  return 0;
}

/*
 * helper_snapshot_exn.c -- the other process of test_exceptions' snapshot
 * tests: reads a snapshot of tests/wat/exceptions_snap.wat (a thread
 * parked inside a try_table, maybe holding exception references),
 * resumes it to the end (a park in the host gets 10 back) and prints the
 * result, then what the exception in the global carries (or -1).
 *
 *   helper_snapshot_exn MODULE.wasm SNAPSHOT
 */
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

static lull_hostret park(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)args, (void)results, (void)env;
  return lull_host_suspend(hc, 1);
}

int main(int argc, char **argv) {
  size_t mlen, slen;
  unsigned char *mbytes, *sbytes;
  if (test_helper_inputs(argc, argv, &mbytes, &mlen, &sbytes, &slen) != 0)
    return 2;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_instance *inst;
  lull_thread *t;
  lull_valtype i32 = LULL_I32;
  lull_functype ft = {1, 1, &i32, &i32};
  lull_extern im = {.kind = LULL_EXTERN_FUNC};
  im.of.func = lull_func_new(e, &ft, park, NULL, NULL);
  lull_error err;
  lull_val r, back = test_i32(10);
  int rc = 1;
  if (lull_module_new(e, mbytes, mlen, &m, &err) != LULL_OK ||
      lull_snapshot_read(e, m, &im, 1, sbytes, slen, &inst, &t, NULL, NULL,
                         &err) != LULL_OK) {
    fprintf(stderr, "helper: %s\n", err.message);
    goto done;
  }
  lull_thread_set_fuel(t, LULL_FUEL_UNLIMITED);
  lull_status s;
  do {
    int host = lull_thread_park_reason(t) == LULL_PARK_HOST;
    s = lull_resume(t, host ? &back : NULL, host ? 1 : 0, &r, 1);
  } while (s == LULL_SUSPENDED);
  if (s != LULL_OK) {
    fprintf(stderr, "helper: %s\n", lull_thread_trap_message(t));
    goto done;
  }
  lull_val g = {.type = LULL_I32, .of.i32 = -1};
  lull_func *f = lull_instance_func(inst, "from_global");
  if (lull_call(t, f, NULL, 0, &g, 1) != LULL_OK)
    g.of.i32 = -1;
  printf("%d %d\n", r.of.i32, g.of.i32);
  rc = 0;
done:
  lull_engine_free(e);
  free(mbytes);
  free(sbytes);
  return rc;
}

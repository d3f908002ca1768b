/*
 * fuzz_run.c -- libFuzzer target for execution: module bytes are decoded,
 * instantiated with stand-in imports (functions that return zeros, fresh
 * memories, tables and globals of the imported types) and every exported
 * function is called with zero arguments under a fuel budget, resumed a
 * few times, then dropped while parked. The same input then runs through
 * an engine whose allocator fails at an allocation chosen from the input,
 * so instantiation, calls, stack growth and host calls meet out-of-memory
 * too. Any status the API does not document for a call aborts; ASan,
 * UBSan and LeakSanitizer report the rest.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lull.h"
#include "tests/fuzz/fuzz_alloc.h"

#define MAX_IMPORTS 64
#define FUEL 20000
#define RESUMES 3

static lull_hostret zeros(lull_hostcall *hc, const lull_val *args,
                          lull_val *results, void *env) {
  (void)hc;
  (void)args;
  (void)results; /* typed and zeroed by lull */
  (void)env;
  return LULL_HOST_RETURN;
}

/* A stand-in for import i, or 0 in *ok when lull cannot make one. */
static lull_extern stand_in(lull_engine *e, const lull_externtype *ty,
                            int *ok) {
  lull_extern x;
  memset(&x, 0, sizeof x);
  x.kind = ty->kind;
  switch (ty->kind) {
  case LULL_EXTERN_FUNC:
    x.of.func = lull_func_new(e, &ty->of.func, zeros, NULL, NULL);
    *ok = x.of.func != NULL;
    break;
  case LULL_EXTERN_MEMORY: {
    lull_limits l = ty->of.memory;
    if (l.min > 16)
      l.min = 16; /* too small is unlinkable: fine, that path runs too */
    x.of.memory = lull_memory_new(e, l);
    *ok = x.of.memory != NULL;
    break;
  }
  case LULL_EXTERN_TABLE: {
    lull_limits l = ty->of.table.limits;
    if (l.min > 1024)
      l.min = 1024;
    x.of.table = lull_table_new(e, ty->of.table.elem, l, NULL);
    *ok = x.of.table != NULL;
    break;
  }
  case LULL_EXTERN_GLOBAL: {
    lull_val v;
    memset(&v, 0, sizeof v);
    v.type = ty->of.global.type;
    x.of.global = lull_global_new(e, &v, ty->of.global.mutable_);
    *ok = x.of.global != NULL;
    break;
  }
  default:
    *ok = 0;
  }
  return x;
}

static void drop(lull_extern *x) {
  switch (x->kind) {
  case LULL_EXTERN_FUNC:
    lull_func_free(x->of.func);
    break;
  case LULL_EXTERN_MEMORY:
    lull_memory_free(x->of.memory);
    break;
  case LULL_EXTERN_TABLE:
    lull_table_free(x->of.table);
    break;
  case LULL_EXTERN_GLOBAL:
    lull_global_free(x->of.global);
    break;
  default:
    break;
  }
}

static int call_status_ok(lull_status s) {
  return s == LULL_OK || s == LULL_TRAP || s == LULL_SUSPENDED ||
         s == LULL_NOMEM;
}

/* Runs the module on engine `e`; returns 0, or -1 for a status the API
 * does not document. */
static int run(lull_engine *e, const uint8_t *data, size_t size) {
  lull_module *m = NULL;
  lull_error err;
  if (lull_module_new(e, data, size, &m, &err) != LULL_OK)
    return 0;
  size_t n = lull_module_import_count(m);
  lull_extern imports[MAX_IMPORTS];
  size_t made = 0;
  int bad = 0;
  lull_instance *inst = NULL;
  if (n > MAX_IMPORTS)
    goto done;
  for (; made < n; made++) {
    const char *mod, *name;
    lull_externtype ty;
    int ok = 0;
    if (lull_module_import(m, made, &mod, &name, &ty) != LULL_OK)
      break;
    imports[made] = stand_in(e, &ty, &ok);
    if (!ok)
      break;
  }
  if (made < n)
    goto done;
  lull_thread *t = lull_thread_new(e);
  if (!t)
    goto done;
  lull_status s = lull_instantiate_on(e, m, imports, n, t, &inst, &err);
  if (s != LULL_OK) {
    bad = s != LULL_UNLINKABLE && s != LULL_TRAP && s != LULL_NOMEM &&
          s != LULL_BADSTATE && s != LULL_LIMIT;
    if (bad)
      fprintf(stderr, "fuzz-run: instantiation gave status %d: %s\n", (int)s,
              err.message);
    lull_thread_free(t);
    goto done;
  }
  size_t nex = lull_module_export_count(m);
  for (size_t i = 0; i < nex && !bad; i++) {
    const char *name;
    lull_externtype ty;
    if (lull_module_export(m, i, &name, &ty) != LULL_OK ||
        ty.kind != LULL_EXTERN_FUNC || ty.of.func.nparams > 16 ||
        ty.of.func.nresults > 16)
      continue;
    lull_val args[16], res[16];
    memset(args, 0, sizeof args);
    for (uint32_t k = 0; k < ty.of.func.nparams; k++)
      args[k].type = ty.of.func.params[k];
    /* By index, not by name: a name holding U+0000 would find another
     * export whose name is its part before the U+0000. */
    lull_extern x;
    if (lull_instance_export_at(inst, i, &name, &x) != LULL_OK ||
        x.kind != LULL_EXTERN_FUNC)
      continue;
    lull_func *fn = x.of.func;
    lull_thread_set_fuel(t, FUEL);
    s = lull_call(t, fn, args, ty.of.func.nparams, res, ty.of.func.nresults);
    for (int r = 0; r < RESUMES && s == LULL_SUSPENDED; r++) {
      lull_thread_set_fuel(t, FUEL);
      s = lull_resume(t, NULL, 0, res, ty.of.func.nresults);
    }
    bad = !call_status_ok(s);
    if (bad)
      fprintf(stderr, "fuzz-run: calling \"%s\" gave status %d\n", name,
              (int)s);
    if (s == LULL_SUSPENDED) {
      /* Dropped while parked: a new thread for the next export. */
      lull_thread_free(t);
      t = lull_thread_new(e);
      if (!t)
        break;
    }
  }
  if (t)
    lull_thread_free(t);
  lull_instance_free(inst);
done:
  for (size_t i = 0; i < made; i++)
    drop(&imports[i]);
  lull_module_free(m);
  return bad ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lull_engine *e = lull_engine_new(NULL);
  if (!e)
    abort();
  if (run(e, data, size) != 0)
    abort();
  lull_engine_free(e);

  failing f = {fuzz_hash(data, size) % 512, 0};
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = failing_alloc;
  cfg.alloc_ud = &f;
  e = lull_engine_new(&cfg);
  if (!e)
    return 0;
  if (run(e, data, size) != 0)
    abort();
  lull_engine_free(e);
  return 0;
}

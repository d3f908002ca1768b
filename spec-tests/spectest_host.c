/*
 * spectest_host.c -- the `spectest` host module. Every object is made once
 * per test file, handed to the linker, and our own reference dropped at
 * once: the linker (and any instance importing it) keeps it alive.
 */
#include "spectest_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a print function needs when it runs. Allocated per function and
 * freed by the engine with the function, so it never outlives nor
 * predeceases it. */
typedef struct print_env {
  int verbose;
  uint32_t nparams;
} print_env;

/* Prints like the reference interpreter's spectest: one "value : type"
 * line per argument. */
static lull_hostret print_fn(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  const print_env *pe = env;
  if (!pe->verbose)
    return LULL_HOST_RETURN;
  for (uint32_t i = 0; i < pe->nparams; i++) {
    const lull_val *v = &args[i];
    switch (v->type) {
    case LULL_I32: printf("%d : i32\n", v->of.i32); break;
    case LULL_I64: printf("%lld : i64\n", (long long)v->of.i64); break;
    case LULL_F32: printf("%.9g : f32\n", (double)v->of.f32); break;
    case LULL_F64: printf("%.17g : f64\n", v->of.f64); break;
    default: printf("? : %s\n", lull_valtype_str(v->type)); break;
    }
  }
  fflush(stdout);
  return LULL_HOST_RETURN;
}

typedef struct print_def {
  const char *name;
  uint32_t nparams;
  lull_valtype params[2];
} print_def;

static const print_def prints[] = {
    {"print", 0, {LULL_I32, LULL_I32}},
    {"print_i32", 1, {LULL_I32, LULL_I32}},
    {"print_i64", 1, {LULL_I64, LULL_I64}},
    {"print_f32", 1, {LULL_F32, LULL_F32}},
    {"print_f64", 1, {LULL_F64, LULL_F64}},
    {"print_i32_f32", 2, {LULL_I32, LULL_F32}},
    {"print_f64_f64", 2, {LULL_F64, LULL_F64}},
};

/* Defines `ext` and drops the caller's reference, whatever the outcome. */
static int define(lull_linker *l, const char *name, lull_extern *ext,
                  char *err, size_t errlen) {
  lull_status s = lull_linker_define(l, "spectest", name, ext);
  switch (ext->kind) {
  case LULL_EXTERN_FUNC: lull_func_free(ext->of.func); break;
  case LULL_EXTERN_TABLE: lull_table_free(ext->of.table); break;
  case LULL_EXTERN_MEMORY: lull_memory_free(ext->of.memory); break;
  case LULL_EXTERN_GLOBAL: lull_global_free(ext->of.global); break;
  case LULL_EXTERN_TAG: lull_tag_free(ext->of.tag); break;
  }
  if (s != LULL_OK) {
    snprintf(err, errlen, "lull_linker_define(spectest.%s): %s", name,
             lull_status_str(s));
    return -1;
  }
  return 0;
}

static int define_prints(lull_engine *e, lull_linker *l, int verbose,
                         char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof prints / sizeof prints[0]; i++) {
    print_env *pe = malloc(sizeof *pe);
    if (!pe) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    pe->verbose = verbose;
    pe->nparams = prints[i].nparams;
    lull_functype ft = {prints[i].nparams, 0, prints[i].params, NULL};
    lull_extern ext = {.kind = LULL_EXTERN_FUNC};
    ext.of.func = lull_func_new(e, &ft, print_fn, pe, free);
    if (!ext.of.func) {
      free(pe);
      snprintf(err, errlen, "lull_func_new(spectest.%s) failed",
               prints[i].name);
      return -1;
    }
    if (define(l, prints[i].name, &ext, err, errlen) != 0)
      return -1;
  }
  return 0;
}

static int define_globals(lull_engine *e, lull_linker *l, char *err,
                          size_t errlen) {
  lull_val vals[4];
  memset(vals, 0, sizeof vals);
  vals[0].type = LULL_I32;
  vals[0].of.i32 = 666;
  vals[1].type = LULL_I64;
  vals[1].of.i64 = 666;
  vals[2].type = LULL_F32;
  vals[2].of.f32 = 666.6f;
  vals[3].type = LULL_F64;
  vals[3].of.f64 = 666.6;
  static const char *const names[] = {"global_i32", "global_i64",
                                      "global_f32", "global_f64"};
  for (size_t i = 0; i < 4; i++) {
    lull_extern ext = {.kind = LULL_EXTERN_GLOBAL};
    ext.of.global = lull_global_new(e, &vals[i], 0);
    if (!ext.of.global) {
      snprintf(err, errlen, "lull_global_new(spectest.%s) failed", names[i]);
      return -1;
    }
    if (define(l, names[i], &ext, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int spec_host_define(lull_engine *e, lull_linker *l, int verbose, char *err,
                     size_t errlen) {
  if (define_prints(e, l, verbose, err, errlen) != 0 ||
      define_globals(e, l, err, errlen) != 0)
    return -1;

  lull_val null_ref;
  memset(&null_ref, 0, sizeof null_ref);
  null_ref.type = LULL_FUNCREF;
  lull_limits table_limits = {10, 20, 1, 0};
  lull_extern ext = {.kind = LULL_EXTERN_TABLE};
  ext.of.table = lull_table_new(e, LULL_FUNCREF, table_limits, &null_ref);
  if (!ext.of.table) {
    snprintf(err, errlen, "lull_table_new(spectest.table) failed");
    return -1;
  }
  if (define(l, "table", &ext, err, errlen) != 0)
    return -1;
  /* The same with 64-bit indices (table64), when the engine has them. */
  lull_limits table64_limits = {10, 20, 1, 1};
  ext.of.table = lull_table_new(e, LULL_FUNCREF, table64_limits, &null_ref);
  if (!ext.of.table) {
    snprintf(err, errlen, "lull_table_new(spectest.table64) failed");
    return -1;
  }
  if (define(l, "table64", &ext, err, errlen) != 0)
    return -1;

  lull_limits memory_limits = {1, 2, 1, 0};
  ext.kind = LULL_EXTERN_MEMORY;
  ext.of.memory = lull_memory_new(e, memory_limits);
  if (!ext.of.memory) {
    snprintf(err, errlen, "lull_memory_new(spectest.memory) failed");
    return -1;
  }
  return define(l, "memory", &ext, err, errlen);
}

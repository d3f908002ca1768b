/*
 * fuzz_exec_diff.c -- lull-fuzz-exec: runs a module made by binaryen's
 * translate-to-fuzz (wasm-opt -ttf) the way binaryen's own interpreter
 * does under --fuzz-exec-before (every exported function in export order,
 * zero arguments, one instance, hangLimitInitializer run before each call,
 * its "fuzzing-support" log imports printing what they get), and compares each event with binaryen's output:
 * calls, logged values, results (bit for bit, NaNs included: the script
 * makes modules with --denan; but v128 lanes that are NaNs on both sides,
 * which --denan does not reach) and traps (binaryen's wording differs, so
 * a trap only has to be a trap).
 *
 *   lull-fuzz-exec [--fuel N] [--suspend] [--snapshot] [--print]
 *                  --expect FILE M.wasm
 *
 * --fuel N    every call runs N fuel at a time, resumed after each park
 * --suspend   every log import suspends the thread, resumed at once
 * --snapshot  at every park the thread and instance are written to a
 *             snapshot, freed, read back and resumed from it
 * --print     lists lull's events first
 *
 * Exit status: 0 when everything matched, 1 on a difference (printed),
 * 2 when the module or the expectations cannot be read, 3 when the run
 * took more than the park budget (not a difference: the script skips it).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lull.h"

#define MAX_EVENTS 100000
#define MAX_PARKS 2000000

typedef enum { EV_CALL, EV_LOG, EV_RESULT, EV_TRAP } ev_kind;

/* What lull did, in order. */
typedef struct event {
  ev_kind kind;
  const char *name;  /* EV_CALL: the export (borrowed from the module) */
  size_t nvals;      /* EV_LOG: 1; EV_RESULT: the results */
  lull_val vals[8];
} event;

typedef struct run {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
  lull_extern imports[8];
  size_t nimports;
  lull_func *own[8]; /* the log functions, freed at the end */
  size_t nown;
  uint64_t fuel;     /* 0: unlimited */
  int suspend;
  int snapshot;
  uint64_t parks;
  event *ev;
  size_t nev;
} run;

static event *push(run *r, ev_kind k) {
  if (r->nev == MAX_EVENTS)
    return NULL;
  event *e = &r->ev[r->nev++];
  memset(e, 0, sizeof *e);
  e->kind = k;
  return e;
}

static lull_hostret log_fn(lull_hostcall *hc, const lull_val *args,
                           lull_val *results, void *env) {
  (void)results;
  run *r = env;
  event *e = push(r, EV_LOG);
  if (e) {
    e->nvals = 1;
    e->vals[0] = args[0];
  }
  return r->suspend ? lull_host_suspend(hc, 1) : LULL_HOST_RETURN;
}

/* Defines the imports binaryen's fuzzer gives: log-i32/i64/f32/f64. */
static int make_imports(run *r) {
  size_t n = lull_module_import_count(r->m);
  if (n > 8)
    return -1;
  for (size_t i = 0; i < n; i++) {
    const char *mod, *name;
    lull_externtype ty;
    if (lull_module_import(r->m, i, &mod, &name, &ty) != LULL_OK ||
        strcmp(mod, "fuzzing-support") != 0 || strncmp(name, "log-", 4) ||
        ty.kind != LULL_EXTERN_FUNC || ty.of.func.nparams != 1 ||
        ty.of.func.nresults != 0)
      return -1;
    lull_func *f = lull_func_new(r->e, &ty.of.func, log_fn, r, NULL);
    if (!f)
      return -1;
    r->own[r->nown++] = f;
    r->imports[i].kind = LULL_EXTERN_FUNC;
    r->imports[i].of.func = f;
  }
  r->nimports = n;
  return 0;
}

/* At a park: the snapshot round trip, when asked for. */
static int round_trip(run *r) {
  uint8_t *bytes;
  size_t len;
  lull_error err;
  if (lull_snapshot_write(r->t, r->inst, NULL, 0, &bytes, &len, &err) !=
      LULL_OK) {
    fprintf(stderr, "lull-fuzz-exec: snapshot write: %s\n", err.message);
    return -1;
  }
  lull_instance *inst;
  lull_thread *t;
  lull_status st = lull_snapshot_read(r->e, r->m, r->imports, r->nimports,
                                      bytes, len, &inst, &t, NULL, NULL, &err);
  lull_snapshot_free(r->e, bytes, len);
  if (st != LULL_OK) {
    fprintf(stderr, "lull-fuzz-exec: snapshot read: %s\n", err.message);
    return -1;
  }
  lull_thread_free(r->t);
  lull_instance_free(r->inst);
  r->t = t;
  r->inst = inst;
  return 0;
}

/* Calls export `name` with zero arguments to the end. 0, or 3 over the
 * park budget, or -1 on an internal error. */
static int call_export(run *r, const char *name, lull_functype ty) {
  lull_val args[32], res[8];
  if (ty.nparams > 32 || ty.nresults > 8)
    return -1;
  memset(args, 0, sizeof args);
  for (uint32_t i = 0; i < ty.nparams; i++)
    args[i].type = ty.params[i];
  event *c = push(r, EV_CALL);
  if (!c)
    return -1;
  c->name = name;
  /* binaryen resets the hang limit (the globals that bound the module's
   * loops and recursion) before every export it calls, silently. */
  lull_func *reset = lull_instance_func(r->inst, "hangLimitInitializer");
  if (reset) {
    lull_thread_set_fuel(r->t, LULL_FUEL_UNLIMITED);
    if (lull_call(r->t, reset, NULL, 0, NULL, 0) != LULL_OK)
      return -1;
  }
  lull_thread_set_fuel(r->t, r->fuel ? r->fuel : LULL_FUEL_UNLIMITED);
  lull_status st = lull_call(r->t, lull_instance_func(r->inst, name), args,
                             ty.nparams, res, ty.nresults);
  while (st == LULL_SUSPENDED) {
    if (++r->parks > MAX_PARKS)
      return 3;
    if (r->snapshot && round_trip(r) != 0)
      return -1;
    if (r->fuel)
      lull_thread_set_fuel(r->t, r->fuel);
    st = lull_resume(r->t, NULL, 0, res, ty.nresults);
  }
  if (st == LULL_TRAP) {
    if (!push(r, EV_TRAP))
      return -1;
    return 0;
  }
  if (st != LULL_OK) {
    fprintf(stderr, "lull-fuzz-exec: %s: %s\n", name, lull_status_str(st));
    return -1;
  }
  if (ty.nresults) {
    event *e = push(r, EV_RESULT);
    if (!e)
      return -1;
    e->nvals = ty.nresults;
    memcpy(e->vals, res, ty.nresults * sizeof *res);
  }
  return 0;
}

/* ---------------------------------------------------------------------
 * binaryen's text
 * ------------------------------------------------------------------- */

/* A float in binaryen's printing: decimal, "inf", "-inf", or
 * "nan:0xPAYLOAD" / "-nan:0xPAYLOAD" (the mantissa bits). */
static int parse_float(const char *s, int is64, uint64_t *bits,
                       const char **end) {
  int neg = *s == '-';
  const char *p = s + neg;
  if (strncmp(p, "nan", 3) == 0) {
    uint64_t payload = is64 ? 1ull << 51 : 1u << 22;
    p += 3;
    if (strncmp(p, ":0x", 3) == 0)
      payload = strtoull(p + 3, (char **)&p, 16);
    *bits = is64 ? (neg ? 1ull << 63 : 0) | 0x7FF0000000000000ull | payload
                 : (neg ? 1u << 31 : 0) | 0x7F800000u | (uint32_t)payload;
    *end = p;
    return 0;
  }
  char *e;
  double d = strtod(s, &e);
  if (e == s)
    return -1;
  *end = e;
  if (is64) {
    memcpy(bits, &d, 8);
  } else {
    float f = (float)d;
    uint32_t u;
    memcpy(&u, &f, 4);
    *bits = u;
  }
  return 0;
}

static int f32_nan(uint32_t u) { return (u & 0x7FFFFFFFu) > 0x7F800000u; }
static int f64_nan(uint64_t u) {
  return (u & ~(1ull << 63)) > 0x7FF0000000000000ull;
}

/* v128 values: equal, or equal but for lanes that are NaNs on both
 * sides, read as f64x2 or as f32x4. --denan does not reach SIMD
 * arithmetic, whose NaN results the spec lets differ (binaryen gives the
 * canonical NaN where lull may keep an operand's). */
static int same_v128(const uint8_t *a, const uint8_t *b) {
  if (memcmp(a, b, 16) == 0)
    return 1;
  int ok64 = 1, ok32 = 1;
  for (int i = 0; i < 2; i++) {
    uint64_t x, y;
    memcpy(&x, a + 8 * i, 8);
    memcpy(&y, b + 8 * i, 8);
    ok64 &= x == y || (f64_nan(x) && f64_nan(y));
  }
  for (int i = 0; i < 4; i++) {
    uint32_t x, y;
    memcpy(&x, a + 4 * i, 4);
    memcpy(&y, b + 4 * i, 4);
    ok32 &= x == y || (f32_nan(x) && f32_nan(y));
  }
  return ok64 || ok32;
}

/* Checks one value printed by binaryen against v; *s moves past it. */
static int same_val(const char **s, const lull_val *v) {
  const char *p = *s, *end;
  uint64_t bits;
  switch (v->type) {
  case LULL_I32: {
    long long x = strtoll(p, (char **)&end, 10);
    *s = end;
    return end != p && (int32_t)x == v->of.i32;
  }
  case LULL_I64: {
    long long x = strtoll(p, (char **)&end, 10);
    *s = end;
    return end != p && (int64_t)x == v->of.i64;
  }
  case LULL_F32: {
    uint32_t u;
    memcpy(&u, &v->of.f32, 4);
    if (parse_float(p, 0, &bits, &end) != 0)
      return 0;
    *s = end;
    return (uint32_t)bits == u;
  }
  case LULL_F64: {
    uint64_t u;
    memcpy(&u, &v->of.f64, 8);
    if (parse_float(p, 1, &bits, &end) != 0)
      return 0;
    *s = end;
    return bits == u;
  }
  case LULL_V128: {
    /* "i32x4 0x... 0x... 0x... 0x..." */
    if (strncmp(p, "i32x4 ", 6) != 0)
      return 0;
    p += 6;
    uint8_t theirs[16];
    for (int i = 0; i < 4; i++) {
      unsigned long x = strtoul(p, (char **)&end, 16);
      if (end == p)
        return 0;
      uint32_t lane = (uint32_t)x;
      memcpy(theirs + 4 * i, &lane, 4);
      p = end;
      while (*p == ' ')
        p++;
    }
    *s = p;
    return same_v128(theirs, v->of.v128);
  }
  default:
    /* references print as their kind; any null/non-null detail is not
     * compared */
    while (*p && *p != ',' && *p != ')' && *p != '\n')
      p++;
    *s = p;
    return 1;
  }
}

/* Binaryen logs an i64 as its two i32 halves, low first. */
static int same_log(const char *p, const lull_val *v) {
  if (v->type == LULL_I64) {
    char *e;
    long long lo = strtoll(p, &e, 10);
    if (e == p)
      return 0;
    long long hi = strtoll(e, &e, 10);
    return (((uint64_t)(uint32_t)hi << 32) | (uint32_t)lo) ==
           (uint64_t)v->of.i64;
  }
  return same_val(&p, v);
}

static int same_result(const char *p, const event *e) {
  int multi = e->nvals > 1;
  if (multi && *p++ != '(')
    return 0;
  for (size_t i = 0; i < e->nvals; i++) {
    if (i) {
      if (strncmp(p, ", ", 2) != 0)
        return 0;
      p += 2;
    }
    if (!same_val(&p, &e->vals[i]))
      return 0;
  }
  return 1;
}

static void show(const event *e, char *out, size_t cap) {
  switch (e->kind) {
  case EV_CALL:
    snprintf(out, cap, "calling %s", e->name);
    break;
  case EV_TRAP:
    snprintf(out, cap, "a trap");
    break;
  default: {
    size_t n = (size_t)snprintf(out, cap, "%s",
                                e->kind == EV_LOG ? "log" : "result");
    for (size_t i = 0; i < e->nvals && n < cap; i++) {
      const lull_val *v = &e->vals[i];
      uint64_t bits = 0;
      memcpy(&bits, &v->of, v->type == LULL_I32 || v->type == LULL_F32 ? 4
                            : v->type == LULL_V128                     ? 8
                                                                       : 8);
      n += (size_t)snprintf(out + n, cap - n, " %s:0x%" PRIx64,
                            lull_valtype_str(v->type), bits);
    }
  }
  }
}

/* Walks binaryen's output (up to its first "comparing" line) and lull's
 * events side by side. */
static int compare(run *r, FILE *f) {
  char line[4096], mine[512];
  size_t i = 0;
  int bad = 0;
  while (fgets(line, sizeof line, f)) {
    const char *p;
    ev_kind want;
    if (strncmp(line, "[fuzz-exec] comparing", 21) == 0)
      break;
    if (strncmp(line, "[fuzz-exec] calling ", 20) == 0) {
      want = EV_CALL;
      p = line + 20;
    } else if (strncmp(line, "[LoggingExternalInterface logging ", 34) == 0) {
      want = EV_LOG;
      p = line + 34;
    } else if (strncmp(line, "[fuzz-exec] note result: ", 25) == 0) {
      want = EV_RESULT;
      p = strstr(line, " => ");
      if (!p)
        continue;
      p += 4;
    } else if (strncmp(line, "[trap ", 6) == 0) {
      want = EV_TRAP;
      p = line;
    } else {
      continue; /* binaryen's warnings and notes */
    }
    line[strcspn(line, "\n")] = '\0';
    if (i == r->nev) {
      printf("lull stopped before binaryen's: %s\n", line);
      return 1;
    }
    const event *e = &r->ev[i++];
    int ok = e->kind == want;
    if (ok && want == EV_CALL)
      ok = strcmp(p, e->name) == 0;
    else if (ok && want == EV_LOG)
      ok = same_log(p, &e->vals[0]);
    else if (ok && want == EV_RESULT)
      ok = same_result(p, e);
    if (!ok) {
      show(e, mine, sizeof mine);
      printf("event %zu differs: binaryen: %s; lull: %s\n", i - 1, line, mine);
      bad = 1;
      break;
    }
  }
  if (!bad && i != r->nev) {
    show(&r->ev[i], mine, sizeof mine);
    printf("lull went on after binaryen stopped: %s\n", mine);
    bad = 1;
  }
  return bad;
}

static unsigned char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n == cap) {
      unsigned char *p = realloc(buf, cap = cap ? cap * 2 : 65536);
      if (!p) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = p;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got);
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  run r;
  memset(&r, 0, sizeof r);
  const char *expect = NULL, *file = NULL;
  int print = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fuel") && i + 1 < argc)
      r.fuel = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--suspend"))
      r.suspend = 1;
    else if (!strcmp(argv[i], "--snapshot"))
      r.snapshot = 1;
    else if (!strcmp(argv[i], "--print"))
      print = 1;
    else if (!strcmp(argv[i], "--expect") && i + 1 < argc)
      expect = argv[++i];
    else if (argv[i][0] != '-' && !file)
      file = argv[i];
    else {
      fprintf(stderr, "usage: lull-fuzz-exec [--fuel N] [--suspend] "
                      "[--snapshot] [--print] --expect FILE M.wasm\n");
      return 2;
    }
  }
  if (!file || !expect) {
    fprintf(stderr, "lull-fuzz-exec: need --expect FILE and a module\n");
    return 2;
  }
  size_t len;
  unsigned char *bytes = read_all(file, &len);
  FILE *f = fopen(expect, "r");
  r.e = lull_engine_new(NULL);
  r.ev = calloc(MAX_EVENTS, sizeof *r.ev);
  lull_error err;
  int rc = 2;
  if (!bytes || !f || !r.e || !r.ev) {
    fprintf(stderr, "lull-fuzz-exec: cannot read %s or %s\n", file, expect);
    goto done;
  }
  if (lull_module_new(r.e, bytes, len, &r.m, &err) != LULL_OK) {
    printf("lull refuses the module: %s\n", err.message);
    rc = 1;
    goto done;
  }
  if (make_imports(&r) != 0 ||
      lull_instantiate(r.e, r.m, r.imports, r.nimports, &r.inst, &err) !=
          LULL_OK ||
      !(r.t = lull_thread_new(r.e))) {
    printf("lull cannot instantiate the module\n");
    rc = 1;
    goto done;
  }
  rc = 0;
  for (size_t i = 0;; i++) {
    const char *name;
    lull_externtype ty;
    if (lull_module_export(r.m, i, &name, &ty) != LULL_OK)
      break;
    if (ty.kind != LULL_EXTERN_FUNC)
      continue;
    int c = call_export(&r, name, ty.of.func);
    if (c == 3) {
      rc = 3;
      goto done;
    }
    if (c != 0) {
      rc = 2;
      goto done;
    }
  }
  if (print)
    for (size_t i = 0; i < r.nev; i++) {
      char line[512];
      show(&r.ev[i], line, sizeof line);
      printf("%zu %s\n", i, line);
    }
  rc = compare(&r, f);
done:
  if (f)
    fclose(f);
  free(bytes);
  if (r.t)
    lull_thread_free(r.t);
  if (r.inst)
    lull_instance_free(r.inst);
  for (size_t i = 0; i < r.nown; i++)
    lull_func_free(r.own[i]);
  if (r.m)
    lull_module_free(r.m);
  if (r.e)
    lull_engine_free(r.e);
  free(r.ev);
  return rc;
}

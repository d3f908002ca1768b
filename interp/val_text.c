/*
 * val_text.c -- values as text, for embedders that take them from a user
 * (a command line, a config file): lull_val_parse, lull_val_format, and
 * calling an export by name with arguments as text.
 *
 *   i32, i64   decimal (signed, or unsigned up to the type's width) or
 *              0x hexadecimal bits, optionally signed: -0x10
 *   f32, f64   decimal or hexadecimal floating point (strtod), nan, inf,
 *              -inf
 *   v128       0x and up to 32 hexadecimal digits, the value's 128 bits
 *   references "null" (for a nullable type)
 * Formatting prints integers as signed decimal and floats with the fewest
 * digits that read back to the same value, so formatting and parsing
 * round-trip.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_internal.h"

/* An integer of `bits` bits: decimal or 0x hex, with an optional sign. */
static int parse_int(const char *s, int bits, uint64_t *out) {
  int neg = 0;
  if (*s == '-' || *s == '+') {
    neg = *s == '-';
    s++;
  }
  if (*s < '0' || *s > '9')
    return -1;
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
    if (!isxdigit((unsigned char)*s))
      return -1;
  }
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, base);
  if (errno || *end)
    return -1;
  uint64_t umax = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
  uint64_t nmax = (uint64_t)1 << (bits - 1); /* |INT_MIN| */
  if (neg ? v > nmax : v > umax)
    return -1;
  *out = neg ? (uint64_t)0 - v : v;
  return 0;
}

static int parse_float(const char *s, double *out) {
  if (!*s || isspace((unsigned char)*s))
    return -1;
  char *end;
  errno = 0;
  double d = strtod(s, &end);
  if (*end)
    return -1;
  *out = d;
  return 0;
}

static int hex_digit(int c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* 0x and 1 to 32 hex digits, least significant last. */
static int parse_v128(const char *s, uint8_t out[16]) {
  if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
    return -1;
  s += 2;
  size_t n = strlen(s);
  if (n == 0 || n > 32)
    return -1;
  memset(out, 0, 16);
  for (size_t i = 0; i < n; i++) {
    int c = (unsigned char)s[n - 1 - i];
    if (!isxdigit(c))
      return -1;
    out[i / 2] |= (uint8_t)(hex_digit(c) << (i % 2 * 4));
  }
  return 0;
}

lull_status lull_val_parse(lull_valtype t, const char *text, lull_val *out,
                           lull_error *err) {
  if (!text || !out)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_val_parse: no text or no output");
  memset(out, 0, sizeof *out);
  out->type = t;
  uint64_t u;
  double d;
  switch (t) {
  case LULL_I32:
    if (parse_int(text, 32, &u) != 0)
      break;
    out->of.i32 = (int32_t)(uint32_t)u;
    return LULL_OK;
  case LULL_I64:
    if (parse_int(text, 64, &u) != 0)
      break;
    out->of.i64 = (int64_t)u;
    return LULL_OK;
  case LULL_F32:
    if (parse_float(text, &d) != 0)
      break;
    out->of.f32 = strtof(text, NULL);
    if (isinf(out->of.f32) && !isinf(d))
      return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                         "'%s' is out of range for f32", text);
    return LULL_OK;
  case LULL_F64:
    if (parse_float(text, &d) != 0)
      break;
    if (isinf(d) && !strchr(text, 'i') && !strchr(text, 'I'))
      return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                         "'%s' is out of range for f64", text);
    out->of.f64 = d;
    return LULL_OK;
  case LULL_V128:
    if (parse_v128(text, out->of.v128) != 0)
      break;
    return LULL_OK;
  default:
    if (!lull_valtype_is_ref(t))
      return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                         "lull_val_parse: %#x is not a value type",
                         (unsigned)t);
    if (LULL_VT_IS_NULLABLE(t) && strcmp(text, "null") == 0)
      return LULL_OK;
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "'%s': a %s can be given as text only as null", text,
                       lull_valtype_str(t));
  }
  return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET, "'%s' is not %s %s",
                     text, t == LULL_V128 ? "a" : "an", lull_valtype_str(t));
}

/* The shortest "%.*g" that reads back as `d`. */
static int format_double(char *buf, size_t size, double d, int max_digits,
                         int is_f32) {
  if (isnan(d))
    return snprintf(buf, size, "%s", signbit(d) ? "-nan" : "nan");
  if (isinf(d))
    return snprintf(buf, size, "%s", d < 0 ? "-inf" : "inf");
  char tmp[64];
  for (int p = 1; p <= max_digits; p++) {
    snprintf(tmp, sizeof tmp, "%.*g", p, d);
    if (is_f32 ? strtof(tmp, NULL) == (float)d : strtod(tmp, NULL) == d)
      break;
  }
  return snprintf(buf, size, "%s", tmp);
}

int lull_val_format(const lull_val *v, char *buf, size_t size) {
  if (!v || (!buf && size))
    return -1;
  switch (v->type) {
  case LULL_I32:
    return snprintf(buf, size, "%" PRId32, v->of.i32);
  case LULL_I64:
    return snprintf(buf, size, "%" PRId64, v->of.i64);
  case LULL_F32:
    return format_double(buf, size, v->of.f32, 9, 1);
  case LULL_F64:
    return format_double(buf, size, v->of.f64, 17, 0);
  case LULL_V128: {
    char tmp[35] = "0x";
    for (int i = 15; i >= 0; i--)
      snprintf(tmp + 2 + 2 * (15 - i), 3, "%02x", v->of.v128[i]);
    return snprintf(buf, size, "%s", tmp);
  }
  default: /* a reference: a function one, or a host value */
    if (!lull_valtype_is_ref(v->type))
      return -1;
    if (lulld_vt_is_funcref(v->type))
      return snprintf(buf, size, "%s", v->of.funcref ? "func" : "null");
    if (v->of.externref)
      return snprintf(buf, size, "%p", v->of.externref);
    return snprintf(buf, size, "null");
  }
}

lull_status lull_call_text(lull_thread *t, lull_instance *inst,
                           const char *name, const char *const *args,
                           size_t nargs, lull_val *results, size_t nresults,
                           lull_error *err) {
  if (!t || !inst || !name || (nargs && !args))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_call_text: no thread, instance, name or "
                       "arguments");
  lull_extern x;
  if (lull_instance_export(inst, name, &x) != LULL_OK ||
      x.kind != LULL_EXTERN_FUNC)
    return lulld_error(err, LULL_NOTFOUND, LULL_NO_OFFSET,
                       "no exported function '%s'", name);
  lull_functype ty = lull_func_type(x.of.func);
  if (nargs != ty.nparams)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "'%s' takes %u arguments, %zu given", name,
                       ty.nparams, nargs);
  if (nresults != ty.nresults)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "'%s' has %u results, room for %zu given", name,
                       ty.nresults, nresults);
  const lulld_alloc *a = &t->engine->alloc;
  lull_val *vals = nargs ? lulld_calloc(a, nargs, sizeof *vals) : NULL;
  if (nargs && !vals)
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  lull_status s = LULL_OK;
  for (size_t i = 0; i < nargs && s == LULL_OK; i++) {
    s = lull_val_parse(ty.params[i], args[i], &vals[i], err);
    if (s != LULL_OK && err) {
      char why[sizeof err->message];
      memcpy(why, err->message, sizeof why);
      lulld_error(err, s, LULL_NO_OFFSET, "argument %zu of '%s': %s", i + 1,
                  name, why);
    }
  }
  if (s == LULL_OK) {
    s = lull_call(t, x.of.func, vals, nargs, results, nresults);
    if (s != LULL_OK && s != LULL_SUSPENDED)
      lulld_error(err, s, LULL_NO_OFFSET, "%s", lull_thread_trap_message(t));
  }
  if (vals)
    lulld_free(a, vals, nargs * sizeof *vals);
  return s;
}

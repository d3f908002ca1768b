/*
 * invoke.c -- the values of `lull run --invoke`: arguments parsed by
 * the export's parameter types, results printed as TYPE:VALUE.
 *
 *   i32, i64   decimal (signed, or unsigned up to the type's width) or
 *              0x hexadecimal bits, optionally negated: -0x10
 *   f32, f64   decimal or hexadecimal floating point (strtod), nan, inf,
 *              -inf
 * Results print integers as signed decimal and floats with the fewest
 * digits that read back to the same value.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_internal.h"

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

int lullc_parse_val(lull_valtype t, const char *text, lull_val *out,
                        char *why, size_t whylen) {
  memset(out, 0, sizeof *out);
  out->type = t;
  uint64_t u;
  double d;
  switch (t) {
  case LULL_I32:
    if (parse_int(text, 32, &u) != 0)
      break;
    out->of.i32 = (int32_t)(uint32_t)u;
    return 0;
  case LULL_I64:
    if (parse_int(text, 64, &u) != 0)
      break;
    out->of.i64 = (int64_t)u;
    return 0;
  case LULL_F32:
    if (parse_float(text, &d) != 0)
      break;
    out->of.f32 = strtof(text, NULL);
    if (isinf(out->of.f32) && !isinf(d)) {
      snprintf(why, whylen, "'%s' is out of range for f32", text);
      return -1;
    }
    return 0;
  case LULL_F64:
    if (parse_float(text, &d) != 0)
      break;
    if (isinf(d) && !strchr(text, 'i') && !strchr(text, 'I')) {
      snprintf(why, whylen, "'%s' is out of range for f64", text);
      return -1;
    }
    out->of.f64 = d;
    return 0;
  default:
    snprintf(why, whylen, "parameters of type %s cannot be given on the "
                          "command line",
             lull_valtype_str(t));
    return -1;
  }
  snprintf(why, whylen, "'%s' is not an %s", text, lull_valtype_str(t));
  return -1;
}

/* The shortest "%.*g" that reads back as `d`. */
static void print_double(FILE *f, double d, int max_digits, int is_f32) {
  if (isnan(d)) {
    fputs(signbit(d) ? "-nan" : "nan", f);
    return;
  }
  if (isinf(d)) {
    fputs(d < 0 ? "-inf" : "inf", f);
    return;
  }
  char buf[64];
  for (int p = 1; p <= max_digits; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, d);
    if (is_f32 ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d)
      break;
  }
  fputs(buf, f);
}

void lullc_print_val(FILE *f, const lull_val *v) {
  fprintf(f, "%s:", lull_valtype_str(v->type));
  switch (v->type) {
  case LULL_I32:
    fprintf(f, "%" PRId32, v->of.i32);
    break;
  case LULL_I64:
    fprintf(f, "%" PRId64, v->of.i64);
    break;
  case LULL_F32:
    print_double(f, v->of.f32, 9, 1);
    break;
  case LULL_F64:
    print_double(f, v->of.f64, 17, 0);
    break;
  case LULL_V128:
    fputs("0x", f);
    for (int i = 15; i >= 0; i--)
      fprintf(f, "%02x", v->of.v128[i]);
    break;
  default: /* a reference: a function one, or a host value */
    if (LULL_VT_CODE(v->type) != LULL_HT_EXTERN &&
        LULL_VT_CODE(v->type) != LULL_HT_NOEXTERN)
      fputs(v->of.funcref ? "func" : "null", f);
    else if (v->of.externref)
      fprintf(f, "%p", v->of.externref);
    else
      fputs("null", f);
    break;
  }
  fputc('\n', f);
}

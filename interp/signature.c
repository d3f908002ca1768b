/*
 * signature.c -- function types written as signature strings, as wasm3
 * and WAMR take them (lull_functype_parse; lull_linker_define_host in
 * linker.c defines host functions in bulk with them):
 *
 *   "i(ii)"    results, then the parameters in parentheses
 *   "v(*i)"    "v" alone before the parentheses: no result
 *   "(F)"      nothing before them: no result either
 *
 *   i  i32     I  i64     f  f32     F  f64     V  v128
 *   *  i32 (a guest address, for the reader)
 *   r  externref           R  funcref
 */
#include <string.h>

#include "interp_internal.h"


static lull_valtype letter_type(char c) {
  switch (c) {
  case 'i':
  case '*':
    return LULL_I32;
  case 'I':
    return LULL_I64;
  case 'f':
    return LULL_F32;
  case 'F':
    return LULL_F64;
  case 'V':
    return LULL_V128;
  case 'r':
    return LULL_EXTERNREF;
  case 'R':
    return LULL_FUNCREF;
  default:
    return 0;
  }
}

/* Parses `sig` into `types` (params first, then results, as lull_functype
 * wants them laid out) and the two counts. */
static lull_status parse_sig(const char *sig, lull_valtype *types,
                             uint32_t *np, uint32_t *nr, lull_error *err) {
  if (!sig)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET, "no signature");
  const char *open = strchr(sig, '(');
  size_t len = strlen(sig);
  if (!open || len < 2 || sig[len - 1] != ')' ||
      strchr(open + 1, '(') || strchr(open, ')') != sig + len - 1)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "signature \"%s\": want RESULTS(PARAMS), e.g. "
                       "\"i(ii)\"", sig);
  size_t nres = (size_t)(open - sig), npar = len - nres - 2;
  const char *res = sig;
  if (nres == 1 && sig[0] == 'v')
    nres = 0;
  if (nres + npar > LULLI_MAX_SIG)
    return lulld_error(err, LULL_LIMIT, LULL_NO_OFFSET,
                       "signature \"%s\": more than %d values", sig,
                       LULLI_MAX_SIG);
  for (size_t i = 0; i < npar + nres; i++) {
    size_t at = i < npar ? (size_t)(open + 1 - sig) + i : (size_t)(i - npar);
    char c = i < npar ? open[1 + i] : res[i - npar];
    types[i] = letter_type(c);
    if (!types[i])
      return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                         "signature \"%s\": '%c' at %zu is not a type "
                         "(iIfFV*rR)", sig, c, at);
  }
  *np = (uint32_t)npar;
  *nr = (uint32_t)nres;
  return LULL_OK;
}

lull_status lull_functype_parse(const char *sig, lull_valtype *types,
                                size_t cap, lull_functype *out,
                                lull_error *err) {
  lull_valtype tmp[LULLI_MAX_SIG];
  uint32_t np = 0, nr = 0;
  if (!out || (cap && !types))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_functype_parse: no output");
  lull_status s = parse_sig(sig, tmp, &np, &nr, err);
  if (s != LULL_OK)
    return s;
  if ((size_t)np + nr > cap)
    return lulld_error(err, LULL_LIMIT, LULL_NO_OFFSET,
                       "signature \"%s\": %u types, room for %zu", sig,
                       np + nr, cap);
  memcpy(types, tmp, ((size_t)np + nr) * sizeof *types);
  out->nparams = np;
  out->nresults = nr;
  out->params = types;
  out->results = types + np;
  return LULL_OK;
}

/*
 * wat.c -- lull-wat: a text module into a binary one with lull's text
 * format, for builds that need .wasm files (the tests' modules) without
 * an outside converter.
 *
 *   lull-wat [--names] IN.wat -o OUT.wasm
 *
 * --names also writes a name section (the module's and the functions'
 * identifiers). Errors name the line and column; exit status 1 then, 2 for
 * bad arguments or files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lull_text.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *p = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      char *q = realloc(p, cap);
      if (!q) {
        free(p);
        fclose(f);
        return NULL;
      }
      p = q;
    }
    size_t got = fread(p + n, 1, cap - n, f);
    if (!got)
      break;
    n += got;
  }
  fclose(f);
  *len = n;
  return p;
}

int main(int argc, char **argv) {
  const char *in = NULL, *out = NULL;
  unsigned flags = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--names"))
      flags |= LULL_WAT_NAMES;
    else if (!strcmp(argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else if (!in && argv[i][0] != '-')
      in = argv[i];
    else
      in = out = NULL, i = argc;
  }
  if (!in || !out) {
    fprintf(stderr, "usage: lull-wat [--names] IN.wat -o OUT.wasm\n");
    return 2;
  }
  size_t len = 0;
  char *text = slurp(in, &len);
  if (!text) {
    fprintf(stderr, "lull-wat: cannot read %s\n", in);
    return 2;
  }
  uint8_t *wasm;
  size_t n;
  lull_error err;
  lull_status s = lull_wat_to_wasm_flags(NULL, text, len, flags, &wasm, &n,
                                         &err);
  free(text);
  if (s != LULL_OK) {
    fprintf(stderr, "%s: %s\n", in, err.message);
    return 1;
  }
  FILE *f = fopen(out, "wb");
  int bad = !f || fwrite(wasm, 1, n, f) != n;
  if (f && fclose(f))
    bad = 1;
  lull_wasm_free(NULL, wasm, n);
  if (bad) {
    fprintf(stderr, "lull-wat: cannot write %s\n", out);
    return 2;
  }
  return 0;
}

/*
 * cli_module.c -- the command's module files: reading them, `lull
 * validate`, and loading with the exit statuses the command documents.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loop_internal.h"
#include "lull_text.h"

void lullu_cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("lull: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

int lullu_read_file(const char *path, uint8_t **out, size_t *len) {
  *out = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno ? errno : EIO;
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    return EISDIR;
  }
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      uint8_t *p = realloc(buf, ncap);
      if (!p) {
        free(buf);
        fclose(f);
        return ENOMEM;
      }
      buf = p;
      cap = ncap;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return EIO;
  }
  *out = buf;
  *len = n;
  return 0;
}

int lullu_cli_load_module(lull_engine *e, const char *path, const char *what,
                          lull_module **out) {
  *out = NULL;
  uint8_t *bytes;
  size_t len;
  int rc = lullu_read_file(path, &bytes, &len);
  if (rc != 0) {
    lullu_cli_error("cannot read %s%s%s: %s", what ? what : "",
                    what ? " " : "", path, strerror(rc));
    return rc == ENOMEM ? LULLU_EXIT_SOFTWARE : LULLU_EXIT_NOINPUT;
  }
  lull_error err;
  memset(&err, 0, sizeof err);
  /* a file that starts like a text module is read as text */
  lull_status st =
      lull_is_text(bytes, len)
          ? lull_module_new_text(e, (const char *)bytes, len, out, &err)
          : lull_module_new(e, bytes, len, out, &err);
  free(bytes);
  if (st == LULL_OK)
    return 0;
  /* The core's messages name the offset themselves. */
  lullu_cli_error("%s: %s: %s", path, lull_status_str(st), err.message);
  return st == LULL_NOMEM ? LULLU_EXIT_SOFTWARE : LULLU_EXIT_DATAERR;
}

int lullu_cli_validate(const char *file) {
  uint8_t *bytes;
  size_t len;
  int rc = lullu_read_file(file, &bytes, &len);
  if (rc != 0) {
    lullu_cli_error("cannot read %s: %s", file, strerror(rc));
    return rc == ENOMEM ? LULLU_EXIT_SOFTWARE : LULLU_EXIT_NOINPUT;
  }
  lull_engine *e = lull_engine_new(NULL);
  if (!e) {
    free(bytes);
    lullu_cli_error("out of memory");
    return LULLU_EXIT_SOFTWARE;
  }
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status st =
      lull_is_text(bytes, len)
          ? lull_validate_text(e, (const char *)bytes, len, &err)
          : lull_validate(e, bytes, len, &err);
  free(bytes);
  lull_engine_free(e);
  if (st == LULL_OK) {
    printf("%s: valid\n", file);
    return LULLU_EXIT_OK;
  }
  lullu_cli_error("%s: %s: %s", file, lull_status_str(st), err.message);
  return st == LULL_NOMEM ? LULLU_EXIT_SOFTWARE : LULLU_EXIT_DATAERR;
}

/*
 * module.c -- the command's module files: reading them, `lull
 * validate`, and loading with the exit statuses the command documents.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "lull_text.h"

/* Writes `s` with control characters as \xNN: names and messages can come
 * from a module, which must not drive the user's terminal. */
void lullc_put_escaped(FILE *f, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7F)
      fprintf(f, "\\x%02x", *p);
    else
      fputc(*p, f);
  }
}

void lullc_error(const char *fmt, ...) {
  char small[512], *msg = small;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)) != NULL) {
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  if (!msg)
    msg = small; /* cut short rather than lost */
  fputs("lull: ", stderr);
  lullc_put_escaped(stderr, n < 0 ? fmt : msg);
  fputc('\n', stderr);
  if (msg != small)
    free(msg);
}

/* Whether the first bytes of a file can begin what `kind` reads. */
static int header_ok(lullc_input kind, const uint8_t *h, size_t n) {
  if (kind == LULLC_INPUT_SNAPSHOT)
    return n >= 8 && memcmp(h, "LULLTASK", 8) == 0;
  if (n >= 4 && memcmp(h, "\0asm", 4) == 0)
    return 1;
  /* The text format starts with white space, a comment or '('. */
  return n > 0 && (h[0] == '(' || h[0] == ';' || h[0] == ' ' ||
                   h[0] == '\t' || h[0] == '\n' || h[0] == '\r');
}

static const char *const input_what[] = {"a module", "a snapshot"};
/* What a file with the wrong first bytes is told. */
static const char *const input_bad[] = {
    "malformed module: magic header not detected (nor the text format)",
    "not a lull task snapshot (bad magic bytes)"};

int lullc_read_input(const char *path, const char *what, lullc_input kind,
                     uint64_t limit, uint8_t **out, size_t *len) {
  *out = NULL;
  *len = 0;
  const char *sp = what ? " " : "";
  what = what ? what : "";
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    lullc_error("cannot read %s%s%s: %s", what, sp, path, strerror(e));
    return LULLC_EXIT_NOINPUT;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    lullc_error("cannot read %s%s%s: %s", what, sp, path,
                    S_ISDIR(st.st_mode) ? strerror(EISDIR)
                                        : "not a regular file");
    close(fd);
    return LULLC_EXIT_NOINPUT;
  }
  if ((uint64_t)st.st_size > limit || (uint64_t)st.st_size > SIZE_MAX) {
    lullc_error("cannot read %s%s%s: %llu bytes, more than the %llu "
                    "allowed for %s (--max-file)",
                    what, sp, path, (unsigned long long)st.st_size,
                    (unsigned long long)limit, input_what[kind]);
    close(fd);
    return LULLC_EXIT_DATAERR;
  }
  size_t size = (size_t)st.st_size;
  uint8_t *buf = malloc(size ? size : 1);
  if (!buf) {
    close(fd);
    lullc_error("out of memory reading %s", path);
    return LULLC_EXIT_SOFTWARE;
  }
  size_t n = 0;
  int bad = 0;
  while (n < size) {
    /* The first 8 bytes alone, so the header decides before the rest is
     * read. */
    size_t want = n < 8 ? (size < 8 ? size : 8) - n : size - n;
    ssize_t got = read(fd, buf + n, want);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      bad = got < 0 ? errno : 0;
      break; /* a file cut short while we read it: what is there */
    }
    n += (size_t)got;
    if (n == 8 || n == size) {
      if (!header_ok(kind, buf, n)) {
        close(fd);
        free(buf);
        lullc_error("%s%s%s: %s", what, sp, path, input_bad[kind]);
        return LULLC_EXIT_DATAERR;
      }
    }
  }
  close(fd);
  if (bad) {
    free(buf);
    lullc_error("cannot read %s%s%s: %s", what, sp, path, strerror(bad));
    return LULLC_EXIT_NOINPUT;
  }
  if (!header_ok(kind, buf, n)) {
    free(buf);
    lullc_error("%s%s%s: %s%s", what, sp, path, input_bad[kind],
                    n ? "" : " (an empty file)");
    return LULLC_EXIT_DATAERR;
  }
  *out = buf;
  *len = n;
  return 0;
}

int lullc_load_module(lull_engine *e, const char *path, const char *what,
                      uint64_t limit, const char *cache, lull_module **out) {
  *out = NULL;
  uint8_t *bytes;
  size_t len;
  int rc = lullc_read_input(path, what, LULLC_INPUT_MODULE, limit, &bytes,
                            &len);
  if (rc != 0)
    return rc;
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status st;
  if (!cache) {
    /* a file that starts like a text module is read as text */
    st = lull_is_text(bytes, len)
             ? lull_module_new_text(e, (const char *)bytes, len, out, &err)
             : lull_module_new(e, bytes, len, out, &err);
  } else if (lull_is_text(bytes, len)) {
    /* Cached under its binary form, which the text converts to. */
    uint8_t *wasm;
    size_t wlen;
    st = lull_wat_to_wasm(e, (const char *)bytes, len, &wasm, &wlen, &err);
    if (st == LULL_OK) {
      st = lullc_cached_module(e, cache, wasm, wlen, out, &err);
      lull_wasm_free(e, wasm, wlen);
    }
  } else {
    st = lullc_cached_module(e, cache, bytes, len, out, &err);
  }
  free(bytes);
  if (st == LULL_OK)
    return 0;
  /* The core's messages name the offset themselves. */
  lullc_error("%s: %s: %s", path, lull_status_str(st), err.message);
  return st == LULL_NOMEM ? LULLC_EXIT_SOFTWARE : LULLC_EXIT_DATAERR;
}

int lullc_validate(const char *file) {
  uint8_t *bytes;
  size_t len;
  int rc = lullc_read_input(file, NULL, LULLC_INPUT_MODULE,
                            LULLC_MAX_MODULE_FILE, &bytes, &len);
  if (rc != 0)
    return rc;
  lull_engine *e = lull_engine_new(NULL);
  if (!e) {
    free(bytes);
    lullc_error("out of memory");
    return LULLC_EXIT_SOFTWARE;
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
    return LULLC_EXIT_OK;
  }
  lullc_error("%s: %s: %s", file, lull_status_str(st), err.message);
  return st == LULL_NOMEM ? LULLC_EXIT_SOFTWARE : LULLC_EXIT_DATAERR;
}

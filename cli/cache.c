/*
 * cache.c -- `--cache DIR`: compiled modules kept between runs. A module
 * is looked up under lull_module_key of its binary bytes and their length
 * (DIR/<hash>-<length>.lullc); two modules under one name would only cost
 * a compilation, since lull_module_deserialize compares the module's
 * bytes with those the entry holds. What it refuses there (another lull
 * build, a damaged file) is compiled again and replaced. The cache only
 * saves time: a file that cannot be read or written costs a warning,
 * never the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"

/* Reads the regular file at `path` whole (malloc'd). 0, or -1 (errno
 * set; ENOENT: not cached yet). */
static int read_whole(const char *path, uint8_t **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      (uint64_t)st.st_size > LULLC_MAX_MODULE_FILE * 16) {
    close(fd);
    errno = EINVAL;
    return -1;
  }
  size_t n = (size_t)st.st_size, got = 0;
  uint8_t *b = malloc(n);
  while (b && got < n) {
    ssize_t r = read(fd, b + got, n - got);
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  if (!b || got != n) {
    free(b);
    errno = b ? EIO : ENOMEM;
    return -1;
  }
  *out = b;
  *len = n;
  return 0;
}

/* Writes `n` bytes to `path` through a temporary file renamed over it, so
 * a reader never sees half a file. */
static int write_whole(const char *path, const uint8_t *p, size_t n) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, p + done, n - done);
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  int e = errno;
  if (close(fd) != 0 || done != n || rename(tmp, path) != 0) {
    e = done != n ? e : errno;
    unlink(tmp);
    errno = e;
    return -1;
  }
  return 0;
}

lull_status lullc_cached_module(lull_engine *e, const char *dir,
                                const uint8_t *wasm, size_t len,
                                lull_module **out, lull_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%016llx-%zu.lullc", dir,
           (unsigned long long)lull_module_key(wasm, len), len);

  uint8_t *code;
  size_t clen;
  if (read_whole(path, &code, &clen) == 0) {
    lull_status s = lull_module_deserialize(e, code, clen, wasm, len, out, err);
    free(code);
    if (s == LULL_OK || s == LULL_NOMEM)
      return s;
  } else if (errno != ENOENT) {
    fprintf(stderr, "lull: warning: cache file %s: %s\n", path,
            strerror(errno));
  }
  lull_status s = lull_module_new(e, wasm, len, out, err);
  if (s != LULL_OK)
    return s;
  if (lull_module_serialize(*out, &code, &clen, NULL) != LULL_OK)
    return LULL_OK;
  if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
      write_whole(path, code, clen) != 0)
    fprintf(stderr, "lull: warning: cannot write cache file %s: %s\n", path,
            strerror(errno));
  lull_module_serialized_free(e, code, clen);
  return LULL_OK;
}

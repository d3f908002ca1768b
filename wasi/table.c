/*
 * table.c -- open descriptors and the guest's descriptor table. A guest
 * number indexes `w->fds`; a free number holds NULL and new descriptors
 * take the lowest free number, as POSIX does. Files are reference counted
 * (see wasi_internal.h): the host descriptor is closed when the table and
 * every request are done with it.
 */
#include "wasi_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

lullw_file *lullw_file_new(int fd, int owned) {
  lullw_file *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->refs = 1;
  f->fd = fd;
  f->owned = (uint8_t)(owned != 0);
  f->root = -1;
  return f;
}

void lullw_file_ref(lullw_file *f) { f->refs++; }

void lullw_file_unref(lullw_file *f) {
  if (!f || --f->refs > 0)
    return;
  /* No job can be writing it: a job holds a reference. */
  lullw_wb_free(f->wb);
  if (f->owned && f->fd >= 0)
    close(f->fd);
  free(f->relpath);
  free(f);
}

uint8_t lullw_filetype_of_mode(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return LULLW_FT_REGULAR;
  case S_IFDIR:
    return LULLW_FT_DIR;
  case S_IFLNK:
    return LULLW_FT_SYMLINK;
  case S_IFCHR:
    return LULLW_FT_CHAR;
  case S_IFBLK:
    return LULLW_FT_BLOCK;
  case S_IFSOCK:
    return LULLW_FT_SOCK_STREAM;
  default:
    return LULLW_FT_UNKNOWN; /* FIFOs have no WASI type */
  }
}

int32_t lullw_file_classify(lullw_file *f) {
  struct stat st;
  if (fstat(f->fd, &st) != 0)
    return lullw_errno(errno);
  f->filetype = lullw_filetype_of_mode(st.st_mode);
  f->kind = LULLW_KIND_FS;
  f->dev = (uint64_t)st.st_dev;
  f->ino = (uint64_t)st.st_ino;
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(f->fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
        type == SOCK_DGRAM)
      f->filetype = LULLW_FT_SOCK_DGRAM;
    f->kind = LULLW_KIND_SOCKET;
  } else if (S_ISFIFO(st.st_mode) || (S_ISCHR(st.st_mode) && isatty(f->fd))) {
    /* Pipes and terminals may block; other character devices (/dev/null,
     * /dev/zero, /dev/urandom) never do and cannot be polled. */
    f->kind = LULLW_KIND_STREAM;
  }
  return 0;
}

lullw_file *lullw_fd_get(lull_wasi *w, uint32_t fd, uint64_t rights,
                         int32_t *err) {
  if (fd >= w->nfds || !w->fds[fd]) {
    *err = LULLW_EBADF;
    return NULL;
  }
  lullw_file *f = w->fds[fd];
  if ((f->rights_base & rights) != rights) {
    *err = LULLW_ENOTCAPABLE;
    return NULL;
  }
  *err = 0;
  return f;
}

lullw_file *lullw_dir_get(lull_wasi *w, uint32_t fd, uint64_t rights,
                          int32_t *err) {
  lullw_file *f = lullw_fd_get(w, fd, 0, err);
  if (f && f->filetype != LULLW_FT_DIR) {
    *err = LULLW_ENOTDIR;
    return NULL;
  }
  return f ? lullw_fd_get(w, fd, rights, err) : NULL;
}

/* Makes room for numbers up to `fd` inclusive. */
static int grow(lull_wasi *w, uint32_t fd) {
  if (fd < w->nfds)
    return 0;
  if (fd >= LULLW_FD_MAX)
    return -1;
  uint32_t n = w->nfds ? w->nfds : 8;
  while (n <= fd)
    n *= 2;
  if (n > LULLW_FD_MAX)
    n = LULLW_FD_MAX;
  lullw_file **p = lull_realloc(w->engine, w->fds, (size_t)n * sizeof *p);
  if (!p)
    return -1;
  memset(p + w->nfds, 0, (size_t)(n - w->nfds) * sizeof *p);
  w->fds = p;
  w->nfds = n;
  return 0;
}

int64_t lullw_fd_insert(lull_wasi *w, lullw_file *f) {
  uint32_t fd = 0;
  while (fd < w->nfds && w->fds[fd])
    fd++;
  if (grow(w, fd) != 0)
    return -1;
  w->fds[fd] = f;
  return fd;
}

int32_t lullw_fd_put(lull_wasi *w, uint32_t fd, lullw_file *f) {
  if (grow(w, fd) != 0)
    return LULLW_ENOMEM;
  lullw_file *old = w->fds[fd];
  w->fds[fd] = f;
  lullw_file_unref(old);
  return 0;
}

void lullw_fd_remove(lull_wasi *w, uint32_t fd) {
  if (fd >= w->nfds)
    return;
  lullw_file *f = w->fds[fd];
  w->fds[fd] = NULL;
  lullw_file_unref(f);
}

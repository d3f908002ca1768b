/*
 * fd.c -- the descriptor calls that never block: fd_close, fd_fdstat_*,
 * fd_prestat_*, fd_renumber, fd_seek and fd_tell. They read or change the
 * table and at most make a non-blocking system call (fcntl, lseek).
 */
#include "wasi_internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int32_t lullw_fd_close(lullw_call *c) {
  int32_t err;
  if (!lullw_fd_get(c->w, LULLW_U32(c, 0), 0, &err))
    return err;
  lullw_fd_remove(c->w, LULLW_U32(c, 0));
  return 0;
}

int32_t lullw_fd_fdstat_get(lullw_call *c) {
  int32_t err;
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0), 0, &err);
  if (!f)
    return err;
  uint8_t *p = lullw_mem(c->mem, LULLW_U32(c, 1), LULLW_FDSTAT_SIZE);
  if (!p)
    return LULLW_EFAULT;
  memset(p, 0, LULLW_FDSTAT_SIZE);
  p[0] = f->filetype;
  lullw_st16(p + 2, f->fdflags);
  lullw_st64(p + 8, f->rights_base);
  lullw_st64(p + 16, f->rights_inh);
  return 0;
}

int32_t lullw_fd_fdstat_set_flags(lullw_call *c) {
  int32_t err;
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0),
                               LULLW_R_FD_FDSTAT_SET_FLAGS, &err);
  if (!f)
    return err;
  uint32_t flags = LULLW_U32(c, 1);
  const uint32_t known = LULLW_FDF_APPEND | LULLW_FDF_DSYNC |
                         LULLW_FDF_NONBLOCK | LULLW_FDF_RSYNC | LULLW_FDF_SYNC;
  if (flags & ~known)
    return LULLW_EINVAL;
  /* The synchronous-I/O flags are fixed when a file is opened on the
   * hosts lull runs on. */
  const uint32_t sync = LULLW_FDF_DSYNC | LULLW_FDF_RSYNC | LULLW_FDF_SYNC;
  if ((flags & sync) != (f->fdflags & sync))
    return LULLW_ENOTSUP;
  if ((flags ^ f->fdflags) & LULLW_FDF_APPEND) {
    int fl = fcntl(f->fd, F_GETFL);
    if (fl < 0)
      return lullw_errno(errno);
    fl = (flags & LULLW_FDF_APPEND) ? fl | O_APPEND : fl & ~O_APPEND;
    if (fcntl(f->fd, F_SETFL, fl) != 0)
      return lullw_errno(errno);
  }
  /* NONBLOCK is the guest's own view: lull never blocks the loop either
   * way; with it, a call that would wait returns EAGAIN instead. */
  f->fdflags = (uint16_t)flags;
  return 0;
}

int32_t lullw_fd_fdstat_set_rights(lullw_call *c) {
  int32_t err;
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0), 0, &err);
  if (!f)
    return err;
  uint64_t base = LULLW_U64(c, 1), inh = LULLW_U64(c, 2);
  /* Rights can only be dropped. */
  if ((base & ~f->rights_base) || (inh & ~f->rights_inh))
    return LULLW_ENOTCAPABLE;
  f->rights_base = base;
  f->rights_inh = inh;
  return 0;
}

/* The preopen behind guest number `fd`, or NULL. */
static const lullw_preopen *preopen_of(lull_wasi *w, uint32_t fd) {
  if (fd >= w->nfds || !w->fds[fd])
    return NULL;
  lullw_file *f = w->fds[fd];
  if (f->origin != LULLW_FROM_PREOPEN || f->root < 0 ||
      (size_t)f->root >= w->npreopens)
    return NULL;
  return &w->preopens[f->root];
}

int32_t lullw_fd_prestat_get(lullw_call *c) {
  const lullw_preopen *p = preopen_of(c->w, LULLW_U32(c, 0));
  if (!p)
    return LULLW_EBADF;
  uint8_t *out = lullw_mem(c->mem, LULLW_U32(c, 1), 8);
  if (!out)
    return LULLW_EFAULT;
  memset(out, 0, 8);
  out[0] = 0; /* preopentype dir */
  lullw_st32(out + 4, (uint32_t)strlen(p->guest));
  return 0;
}

int32_t lullw_fd_prestat_dir_name(lullw_call *c) {
  const lullw_preopen *p = preopen_of(c->w, LULLW_U32(c, 0));
  if (!p)
    return LULLW_EBADF;
  uint32_t len = LULLW_U32(c, 2);
  size_t n = strlen(p->guest);
  uint8_t *out = lullw_mem(c->mem, LULLW_U32(c, 1), len);
  if (!out)
    return LULLW_EFAULT;
  if (len < n)
    return LULLW_ENAMETOOLONG;
  memcpy(out, p->guest, n);
  return 0;
}

int32_t lullw_fd_renumber(lullw_call *c) {
  uint32_t from = LULLW_U32(c, 0), to = LULLW_U32(c, 1);
  int32_t err;
  if (!lullw_fd_get(c->w, from, 0, &err) || !lullw_fd_get(c->w, to, 0, &err))
    return err;
  if (from == to)
    return 0;
  lullw_file *f = c->w->fds[from];
  c->w->fds[from] = NULL;
  lullw_fd_put(c->w, to, f); /* `to` exists: no growth, cannot fail */
  return 0;
}

int32_t lullw_fd_seek(lullw_call *c) {
  int64_t off = (int64_t)LULLW_U64(c, 1);
  uint32_t whence = LULLW_U32(c, 2);
  /* Asking where we are needs only fd_tell. */
  uint64_t need = (off == 0 && whence == 1) ? LULLW_R_FD_TELL
                                            : LULLW_R_FD_SEEK | LULLW_R_FD_TELL;
  int32_t err;
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0), need, &err);
  if (!f)
    return err;
  if (whence > 2)
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, LULLW_U32(c, 3), 8))
    return LULLW_EFAULT;
  if (f->kind != LULLW_KIND_FS)
    return LULLW_ESPIPE;
  static const int host_whence[3] = {SEEK_SET, SEEK_CUR, SEEK_END};
  off_t r = lseek(f->fd, (off_t)off, host_whence[whence]);
  if (r < 0)
    return lullw_errno(errno);
  return lullw_put_u64(c->mem, LULLW_U32(c, 3), (uint64_t)r);
}

int32_t lullw_fd_tell(lullw_call *c) {
  int32_t err;
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0), LULLW_R_FD_TELL, &err);
  if (!f)
    return err;
  if (!lullw_mem(c->mem, LULLW_U32(c, 1), 8))
    return LULLW_EFAULT;
  if (f->kind != LULLW_KIND_FS)
    return LULLW_ESPIPE;
  off_t r = lseek(f->fd, 0, SEEK_CUR);
  if (r < 0)
    return lullw_errno(errno);
  return lullw_put_u64(c->mem, LULLW_U32(c, 1), (uint64_t)r);
}

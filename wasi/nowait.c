/*
 * nowait.c -- reading a regular file without the thread pool when that
 * cannot block. Linux's preadv2 with RWF_NOWAIT reads what the page cache
 * holds and says EAGAIN instead of waiting for the disk; then, and on
 * systems without it, the read goes to the thread pool as usual. Writes
 * have no such guarantee for buffered files (ext4 refuses RWF_NOWAIT for
 * them, and a write may wait for dirty pages to drain), so they always
 * take the thread pool: behind the guest's back for regular files
 * (write-behind, wb.c).
 */
#include "wasi_internal.h"

#include <errno.h>
#include <sys/uio.h>

#ifdef RWF_NOWAIT

int64_t lullw_read_nowait(int fd, const struct iovec *iov, int n,
                          int64_t off) {
  ssize_t r;
  do
    r = preadv2(fd, iov, n, (off_t)off, RWF_NOWAIT);
  while (r < 0 && errno == EINTR);
  if (r >= 0)
    return r;
  /* Not in the cache, or not supported here: the caller goes the slow
   * way. */
  return errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL
             ? -EAGAIN
             : -(int64_t)errno;
}

#else

int64_t lullw_read_nowait(int fd, const struct iovec *iov, int n,
                          int64_t off) {
  return -EAGAIN;
}

#endif

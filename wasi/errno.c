/*
 * errno.c -- host errno values to WASI errno values. WASI numbers its
 * errors differently from every host, so each host value is looked up in
 * one table; a value the table lacks becomes EIO, the vaguest honest
 * answer.
 */
#include "wasi_internal.h"

#include <errno.h>

/* Host and WASI values side by side. A linear table rather than a switch:
 * some hosts give two names one value (EAGAIN and EWOULDBLOCK, ENOTSUP and
 * EOPNOTSUPP), which a switch would refuse as duplicate cases. */
static const struct {
  int host;
  int32_t wasi;
} errno_table[] = {
#define HOST_(name) {E##name, LULLW_E##name},
    HOST_(2BIG) HOST_(ACCES) HOST_(ADDRINUSE) HOST_(ADDRNOTAVAIL)
    HOST_(AFNOSUPPORT) HOST_(AGAIN) HOST_(ALREADY) HOST_(BADF) HOST_(BADMSG)
    HOST_(BUSY) HOST_(CANCELED) HOST_(CHILD) HOST_(CONNABORTED)
    HOST_(CONNREFUSED) HOST_(CONNRESET) HOST_(DEADLK) HOST_(DESTADDRREQ)
    HOST_(DOM) HOST_(DQUOT) HOST_(EXIST) HOST_(FAULT) HOST_(FBIG)
    HOST_(HOSTUNREACH) HOST_(IDRM) HOST_(ILSEQ) HOST_(INPROGRESS) HOST_(INTR)
    HOST_(INVAL) HOST_(IO) HOST_(ISCONN) HOST_(ISDIR) HOST_(LOOP) HOST_(MFILE)
    HOST_(MLINK) HOST_(MSGSIZE) HOST_(MULTIHOP) HOST_(NAMETOOLONG)
    HOST_(NETDOWN) HOST_(NETRESET) HOST_(NETUNREACH) HOST_(NFILE)
    HOST_(NOBUFS) HOST_(NODEV) HOST_(NOENT) HOST_(NOEXEC) HOST_(NOLCK)
    HOST_(NOLINK) HOST_(NOMEM) HOST_(NOMSG) HOST_(NOPROTOOPT) HOST_(NOSPC)
    HOST_(NOSYS) HOST_(NOTCONN) HOST_(NOTDIR) HOST_(NOTEMPTY)
    HOST_(NOTRECOVERABLE) HOST_(NOTSOCK) HOST_(NOTSUP) HOST_(NOTTY)
    HOST_(NXIO) HOST_(OVERFLOW) HOST_(OWNERDEAD) HOST_(PERM) HOST_(PIPE)
    HOST_(PROTO) HOST_(PROTONOSUPPORT) HOST_(PROTOTYPE) HOST_(RANGE)
    HOST_(ROFS) HOST_(SPIPE) HOST_(SRCH) HOST_(STALE) HOST_(TIMEDOUT)
    HOST_(TXTBSY) HOST_(XDEV)
#undef HOST_
    /* Second names of the same conditions. */
    {EWOULDBLOCK, LULLW_EAGAIN},
    {EOPNOTSUPP, LULLW_ENOTSUP},
};

int32_t lullw_errno(int host_errno) {
  if (host_errno == 0)
    return LULLW_ESUCCESS;
  for (size_t i = 0; i < sizeof errno_table / sizeof errno_table[0]; i++)
    if (errno_table[i].host == host_errno)
      return errno_table[i].wasi;
  return LULLW_EIO;
}

int32_t lullw_uverr(int64_t uv_result) {
  /* On Unix a libuv error is the negated errno. */
  return uv_result >= 0 ? LULLW_ESUCCESS : lullw_errno((int)-uv_result);
}

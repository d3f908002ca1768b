/*
 * wasi_test.h -- what the test guests share: every wasi_snapshot_preview1
 * function imported raw (pointers as plain i32, so a test can pass any
 * address), errno names, and checks that print one line each:
 *
 *   ok   WHAT -> ERRNO        the call returned what was expected
 *   FAIL WHAT -> ERRNO (want ERRNO)
 *
 * The expected outputs under ../expected/ hold the "ok" lines.
 */
#ifndef WASI_TEST_H
#define WASI_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define IMP(n)                                                                \
  __attribute__((import_module("wasi_snapshot_preview1"), import_name(#n)))
typedef int32_t i32;
typedef int64_t i64;

i32 raw_args_get(i32, i32) IMP(args_get);
i32 raw_args_sizes_get(i32, i32) IMP(args_sizes_get);
i32 raw_environ_get(i32, i32) IMP(environ_get);
i32 raw_environ_sizes_get(i32, i32) IMP(environ_sizes_get);
i32 raw_clock_res_get(i32, i32) IMP(clock_res_get);
i32 raw_clock_time_get(i32, i64, i32) IMP(clock_time_get);
i32 raw_fd_advise(i32, i64, i64, i32) IMP(fd_advise);
i32 raw_fd_allocate(i32, i64, i64) IMP(fd_allocate);
i32 raw_fd_close(i32) IMP(fd_close);
i32 raw_fd_datasync(i32) IMP(fd_datasync);
i32 raw_fd_fdstat_get(i32, i32) IMP(fd_fdstat_get);
i32 raw_fd_fdstat_set_flags(i32, i32) IMP(fd_fdstat_set_flags);
i32 raw_fd_fdstat_set_rights(i32, i64, i64) IMP(fd_fdstat_set_rights);
i32 raw_fd_filestat_get(i32, i32) IMP(fd_filestat_get);
i32 raw_fd_filestat_set_size(i32, i64) IMP(fd_filestat_set_size);
i32 raw_fd_filestat_set_times(i32, i64, i64, i32) IMP(fd_filestat_set_times);
i32 raw_fd_pread(i32, i32, i32, i64, i32) IMP(fd_pread);
i32 raw_fd_prestat_get(i32, i32) IMP(fd_prestat_get);
i32 raw_fd_prestat_dir_name(i32, i32, i32) IMP(fd_prestat_dir_name);
i32 raw_fd_pwrite(i32, i32, i32, i64, i32) IMP(fd_pwrite);
i32 raw_fd_read(i32, i32, i32, i32) IMP(fd_read);
i32 raw_fd_readdir(i32, i32, i32, i64, i32) IMP(fd_readdir);
i32 raw_fd_renumber(i32, i32) IMP(fd_renumber);
i32 raw_fd_seek(i32, i64, i32, i32) IMP(fd_seek);
i32 raw_fd_sync(i32) IMP(fd_sync);
i32 raw_fd_tell(i32, i32) IMP(fd_tell);
i32 raw_fd_write(i32, i32, i32, i32) IMP(fd_write);
i32 raw_path_create_directory(i32, i32, i32) IMP(path_create_directory);
i32 raw_path_filestat_get(i32, i32, i32, i32, i32) IMP(path_filestat_get);
i32 raw_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32)
    IMP(path_filestat_set_times);
i32 raw_path_link(i32, i32, i32, i32, i32, i32, i32) IMP(path_link);
i32 raw_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32) IMP(path_open);
i32 raw_path_readlink(i32, i32, i32, i32, i32, i32) IMP(path_readlink);
i32 raw_path_remove_directory(i32, i32, i32) IMP(path_remove_directory);
i32 raw_path_rename(i32, i32, i32, i32, i32, i32) IMP(path_rename);
i32 raw_path_symlink(i32, i32, i32, i32, i32) IMP(path_symlink);
i32 raw_path_unlink_file(i32, i32, i32) IMP(path_unlink_file);
i32 raw_poll_oneoff(i32, i32, i32, i32) IMP(poll_oneoff);
_Noreturn void raw_proc_exit(i32) IMP(proc_exit);
i32 raw_proc_raise(i32) IMP(proc_raise);
i32 raw_random_get(i32, i32) IMP(random_get);
i32 raw_sched_yield(void) IMP(sched_yield);
i32 raw_sock_accept(i32, i32, i32) IMP(sock_accept);
i32 raw_sock_recv(i32, i32, i32, i32, i32, i32) IMP(sock_recv);
i32 raw_sock_send(i32, i32, i32, i32, i32) IMP(sock_send);
i32 raw_sock_shutdown(i32, i32) IMP(sock_shutdown);

/* A guest address as the i32 the raw imports take. */
#define P(x) ((i32)(uintptr_t)(x))
#define L(s) ((i32)strlen(s))
/* An address past the end of any test guest's memory. */
#define BAD ((i32)0xFFFFFFF0)

static const char *const errnames[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT",
    "AGAIN", "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD",
    "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM",
    "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ",
    "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE",
    "MLINK", "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET",
    "NETUNREACH", "NFILE", "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK",
    "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS", "NOTCONN",
    "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
    "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE"};

static inline const char *errname(int e) {
  return e >= 0 && e < (int)(sizeof errnames / sizeof errnames[0])
             ? errnames[e]
             : "?";
}

static int failures;

/* One expected errno. */
#define EXPECT(what, call, want)                                              \
  do {                                                                        \
    int got_ = (call), want_ = (want);                                        \
    if (got_ == want_) {                                                      \
      printf("ok   %s -> %s\n", what, errname(got_));                         \
    } else {                                                                  \
      printf("FAIL %s -> %s (want %s) [line %d]\n", what, errname(got_),     \
             errname(want_), __LINE__);                                       \
      failures++;                                                             \
    }                                                                         \
  } while (0)

/* A condition about results. */
#define CHECK(what, cond)                                                     \
  do {                                                                        \
    if (cond) {                                                               \
      printf("ok   %s\n", what);                                              \
    } else {                                                                  \
      printf("FAIL %s [line %d]\n", what, __LINE__);                          \
      failures++;                                                             \
    }                                                                         \
  } while (0)

/* Opens `path` under directory `dir` with every right, or with O_DIRECTORY
 * (2) every right but those that write (as wasi-libc asks: a directory
 * opened for writing is EISDIR): the new fd. */
static inline int open_at(int dir, const char *path, int oflags, int fdflags,
                          int follow, int *fd) {
  const i64 writes = __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE |
                     __WASI_RIGHTS_FD_ALLOCATE |
                     __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
  i64 base = (i64)0x3FFFFFFF & ~((oflags & 2) ? writes : 0);
  return raw_path_open(dir, follow ? 1 : 0, P(path), L(path), oflags, base,
                       (i64)0x3FFFFFFF, fdflags, P(fd));
}

static inline int write_str(int fd, const char *s, uint32_t *n) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  return raw_fd_write(fd, P(&iov), 1, P(n));
}

static inline int read_buf(int fd, void *buf, uint32_t len, uint32_t *n) {
  __wasi_iovec_t iov = {buf, len};
  return raw_fd_read(fd, P(&iov), 1, P(n));
}

static inline uint64_t now_ns(int clock) {
  uint64_t t = 0;
  raw_clock_time_get(clock, 1, P(&t));
  return t;
}

/* The end of every test guest: a summary line and the exit status. */
static inline int finish(void) {
  printf("%d failures\n", failures);
  fflush(stdout);
  return failures ? 1 : 0;
}

#endif

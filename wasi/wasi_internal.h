/*
 * wasi_internal.h -- the WASI layer's shared structures. Prefix lullw_.
 *
 * The pieces:
 *
 *   lull_wasi ---- one guest's context: arguments, environment, the
 *                  preopens as configured, the descriptor table and the
 *                  list of requests in flight.
 *   lullw_file --- an open host descriptor with what the guest may do with
 *                  it (rights, fdflags) and where it came from (preopen,
 *                  stdio slot, or a path below a preopen, for snapshots).
 *                  Reference counted: the table holds one reference and
 *                  every request that uses the descriptor holds one, so
 *                  fd_close or lull_wasi_free never closes a descriptor a
 *                  libuv worker is still using.
 *   lullw_wb ----- write-behind of one regular file (wb.c): the guest's
 *                  writes, copied, queued in order for a thread-pool job
 *                  that writes them while the guest runs on. Calls that
 *                  could observe the file wait for its queue first
 *                  (wb_gate.c).
 *   lullw_req ---- one request in flight for one suspended thread: a
 *                  uv_fs_t or uv_work_t given to libuv's thread pool, or
 *                  handles (timers, polls) on the loop. When it completes
 *                  its `finish` hook writes the results into guest memory,
 *                  it leaves the context's list and the context's wake
 *                  callback resumes the thread.
 *
 * A context may be freed while requests are in flight. It then orphans
 * them (their `w` becomes NULL), cancels what libuv can cancel and closes
 * their handles; each orphan frees itself when libuv reports it done,
 * without touching the context or guest memory.
 *
 * Every host function is a `lullw_impl` taking a lullw_call (arguments as
 * raw 64-bit values and the caller's memory). It returns a WASI errno
 * (>= 0), LULLW_PENDING when it started a request that will wake the
 * thread, or LULLW_TRAP with a message in the call. The same functions
 * run again from lull_wasi_rearm after a snapshot, with `rearm` set.
 */
#ifndef LULL_WASI_INTERNAL_H
#define LULL_WASI_INTERNAL_H

/* Every file of wasi/ includes this header first: O_PATH, accept4,
 * MSG_NOSIGNAL and friends are GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>

#include "lull_wasi.h"

#define LULLW_HIDDEN __attribute__((visibility("hidden")))

/* ---------------------------------------------------------------------
 * The functions of wasi_snapshot_preview1. XX(name, params, nresults):
 * params spells the parameter types, 'i' for i32 and 'I' for i64; every
 * function returns one i32 (the errno) except proc_exit.
 * ------------------------------------------------------------------- */
#define LULLW_FUNCS(XX)                                                       \
  XX(args_get, "ii", 1)                                                       \
  XX(args_sizes_get, "ii", 1)                                                 \
  XX(environ_get, "ii", 1)                                                    \
  XX(environ_sizes_get, "ii", 1)                                              \
  XX(clock_res_get, "ii", 1)                                                  \
  XX(clock_time_get, "iIi", 1)                                                \
  XX(fd_advise, "iIIi", 1)                                                    \
  XX(fd_allocate, "iII", 1)                                                   \
  XX(fd_close, "i", 1)                                                        \
  XX(fd_datasync, "i", 1)                                                     \
  XX(fd_fdstat_get, "ii", 1)                                                  \
  XX(fd_fdstat_set_flags, "ii", 1)                                            \
  XX(fd_fdstat_set_rights, "iII", 1)                                          \
  XX(fd_filestat_get, "ii", 1)                                                \
  XX(fd_filestat_set_size, "iI", 1)                                           \
  XX(fd_filestat_set_times, "iIIi", 1)                                        \
  XX(fd_pread, "iiiIi", 1)                                                    \
  XX(fd_prestat_get, "ii", 1)                                                 \
  XX(fd_prestat_dir_name, "iii", 1)                                           \
  XX(fd_pwrite, "iiiIi", 1)                                                   \
  XX(fd_read, "iiii", 1)                                                      \
  XX(fd_readdir, "iiiIi", 1)                                                  \
  XX(fd_renumber, "ii", 1)                                                    \
  XX(fd_seek, "iIii", 1)                                                      \
  XX(fd_sync, "i", 1)                                                         \
  XX(fd_tell, "ii", 1)                                                        \
  XX(fd_write, "iiii", 1)                                                     \
  XX(path_create_directory, "iii", 1)                                         \
  XX(path_filestat_get, "iiiii", 1)                                           \
  XX(path_filestat_set_times, "iiiiIIi", 1)                                   \
  XX(path_link, "iiiiiii", 1)                                                 \
  XX(path_open, "iiiiiIIii", 1)                                               \
  XX(path_readlink, "iiiiii", 1)                                              \
  XX(path_remove_directory, "iii", 1)                                         \
  XX(path_rename, "iiiiii", 1)                                                \
  XX(path_symlink, "iiiii", 1)                                                \
  XX(path_unlink_file, "iii", 1)                                              \
  XX(poll_oneoff, "iiii", 1)                                                  \
  XX(proc_exit, "i", 0)                                                       \
  XX(proc_raise, "i", 1)                                                      \
  XX(random_get, "ii", 1)                                                     \
  XX(sched_yield, "", 1)                                                      \
  XX(sock_accept, "iii", 1)                                                   \
  XX(sock_recv, "iiiiii", 1)                                                  \
  XX(sock_send, "iiiii", 1)                                                   \
  XX(sock_shutdown, "ii", 1)

enum {
#define LULLW_XX_(name, params, nres) LULLW_FN_##name,
  LULLW_FUNCS(LULLW_XX_)
#undef LULLW_XX_
  LULLW_NFUNCS
};

#define LULLW_MAX_ARGS 9

/* ---------------------------------------------------------------------
 * WASI constants (the witx definitions of wasi_snapshot_preview1).
 * ------------------------------------------------------------------- */
#define LULLW_ERRNO_MAP(XX)                                                   \
  XX(SUCCESS, 0) XX(2BIG, 1) XX(ACCES, 2) XX(ADDRINUSE, 3)                    \
  XX(ADDRNOTAVAIL, 4) XX(AFNOSUPPORT, 5) XX(AGAIN, 6) XX(ALREADY, 7)          \
  XX(BADF, 8) XX(BADMSG, 9) XX(BUSY, 10) XX(CANCELED, 11) XX(CHILD, 12)       \
  XX(CONNABORTED, 13) XX(CONNREFUSED, 14) XX(CONNRESET, 15) XX(DEADLK, 16)    \
  XX(DESTADDRREQ, 17) XX(DOM, 18) XX(DQUOT, 19) XX(EXIST, 20) XX(FAULT, 21)   \
  XX(FBIG, 22) XX(HOSTUNREACH, 23) XX(IDRM, 24) XX(ILSEQ, 25)                 \
  XX(INPROGRESS, 26) XX(INTR, 27) XX(INVAL, 28) XX(IO, 29) XX(ISCONN, 30)     \
  XX(ISDIR, 31) XX(LOOP, 32) XX(MFILE, 33) XX(MLINK, 34) XX(MSGSIZE, 35)      \
  XX(MULTIHOP, 36) XX(NAMETOOLONG, 37) XX(NETDOWN, 38) XX(NETRESET, 39)       \
  XX(NETUNREACH, 40) XX(NFILE, 41) XX(NOBUFS, 42) XX(NODEV, 43)               \
  XX(NOENT, 44) XX(NOEXEC, 45) XX(NOLCK, 46) XX(NOLINK, 47) XX(NOMEM, 48)     \
  XX(NOMSG, 49) XX(NOPROTOOPT, 50) XX(NOSPC, 51) XX(NOSYS, 52)                \
  XX(NOTCONN, 53) XX(NOTDIR, 54) XX(NOTEMPTY, 55) XX(NOTRECOVERABLE, 56)      \
  XX(NOTSOCK, 57) XX(NOTSUP, 58) XX(NOTTY, 59) XX(NXIO, 60) XX(OVERFLOW, 61)  \
  XX(OWNERDEAD, 62) XX(PERM, 63) XX(PIPE, 64) XX(PROTO, 65)                   \
  XX(PROTONOSUPPORT, 66) XX(PROTOTYPE, 67) XX(RANGE, 68) XX(ROFS, 69)         \
  XX(SPIPE, 70) XX(SRCH, 71) XX(STALE, 72) XX(TIMEDOUT, 73) XX(TXTBSY, 74)    \
  XX(XDEV, 75) XX(NOTCAPABLE, 76)

enum {
#define LULLW_XX_(name, num) LULLW_E##name = num,
  LULLW_ERRNO_MAP(LULLW_XX_)
#undef LULLW_XX_
};

/* What an implementation returns besides an errno. */
#define LULLW_PENDING (-1)
#define LULLW_TRAP (-2)

/* Rights: one bit per operation. */
#define LULLW_R_FD_DATASYNC (1ull << 0)
#define LULLW_R_FD_READ (1ull << 1)
#define LULLW_R_FD_SEEK (1ull << 2)
#define LULLW_R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define LULLW_R_FD_SYNC (1ull << 4)
#define LULLW_R_FD_TELL (1ull << 5)
#define LULLW_R_FD_WRITE (1ull << 6)
#define LULLW_R_FD_ADVISE (1ull << 7)
#define LULLW_R_FD_ALLOCATE (1ull << 8)
#define LULLW_R_PATH_CREATE_DIRECTORY (1ull << 9)
#define LULLW_R_PATH_CREATE_FILE (1ull << 10)
#define LULLW_R_PATH_LINK_SOURCE (1ull << 11)
#define LULLW_R_PATH_LINK_TARGET (1ull << 12)
#define LULLW_R_PATH_OPEN (1ull << 13)
#define LULLW_R_FD_READDIR (1ull << 14)
#define LULLW_R_PATH_READLINK (1ull << 15)
#define LULLW_R_PATH_RENAME_SOURCE (1ull << 16)
#define LULLW_R_PATH_RENAME_TARGET (1ull << 17)
#define LULLW_R_PATH_FILESTAT_GET (1ull << 18)
#define LULLW_R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define LULLW_R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define LULLW_R_FD_FILESTAT_GET (1ull << 21)
#define LULLW_R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define LULLW_R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define LULLW_R_PATH_SYMLINK (1ull << 24)
#define LULLW_R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define LULLW_R_PATH_UNLINK_FILE (1ull << 26)
#define LULLW_R_POLL_FD_READWRITE (1ull << 27)
#define LULLW_R_SOCK_SHUTDOWN (1ull << 28)
#define LULLW_R_SOCK_ACCEPT (1ull << 29)
#define LULLW_R_ALL ((1ull << 30) - 1)

/* What a descriptor of each kind may have. */
#define LULLW_RIGHTS_FILE                                                     \
  (LULLW_R_FD_DATASYNC | LULLW_R_FD_READ | LULLW_R_FD_SEEK |                  \
   LULLW_R_FD_FDSTAT_SET_FLAGS | LULLW_R_FD_SYNC | LULLW_R_FD_TELL |          \
   LULLW_R_FD_WRITE | LULLW_R_FD_ADVISE | LULLW_R_FD_ALLOCATE |               \
   LULLW_R_FD_FILESTAT_GET | LULLW_R_FD_FILESTAT_SET_SIZE |                   \
   LULLW_R_FD_FILESTAT_SET_TIMES | LULLW_R_POLL_FD_READWRITE)
#define LULLW_RIGHTS_DIR                                                      \
  (LULLW_R_FD_DATASYNC | LULLW_R_FD_FDSTAT_SET_FLAGS | LULLW_R_FD_SYNC |      \
   LULLW_R_FD_ADVISE | LULLW_R_PATH_CREATE_DIRECTORY |                        \
   LULLW_R_PATH_CREATE_FILE | LULLW_R_PATH_LINK_SOURCE |                      \
   LULLW_R_PATH_LINK_TARGET | LULLW_R_PATH_OPEN | LULLW_R_FD_READDIR |        \
   LULLW_R_PATH_READLINK | LULLW_R_PATH_RENAME_SOURCE |                       \
   LULLW_R_PATH_RENAME_TARGET | LULLW_R_PATH_FILESTAT_GET |                   \
   LULLW_R_PATH_FILESTAT_SET_SIZE | LULLW_R_PATH_FILESTAT_SET_TIMES |         \
   LULLW_R_FD_FILESTAT_GET | LULLW_R_FD_FILESTAT_SET_TIMES |                  \
   LULLW_R_PATH_SYMLINK | LULLW_R_PATH_REMOVE_DIRECTORY |                     \
   LULLW_R_PATH_UNLINK_FILE | LULLW_R_POLL_FD_READWRITE)
#define LULLW_RIGHTS_SOCKET                                                   \
  (LULLW_R_FD_READ | LULLW_R_FD_WRITE | LULLW_R_FD_FDSTAT_SET_FLAGS |         \
   LULLW_R_FD_FILESTAT_GET | LULLW_R_POLL_FD_READWRITE |                      \
   LULLW_R_SOCK_SHUTDOWN | LULLW_R_SOCK_ACCEPT)

enum { /* filetype */
  LULLW_FT_UNKNOWN = 0,
  LULLW_FT_BLOCK = 1,
  LULLW_FT_CHAR = 2,
  LULLW_FT_DIR = 3,
  LULLW_FT_REGULAR = 4,
  LULLW_FT_SOCK_DGRAM = 5,
  LULLW_FT_SOCK_STREAM = 6,
  LULLW_FT_SYMLINK = 7
};

enum { /* fdflags */
  LULLW_FDF_APPEND = 1,
  LULLW_FDF_DSYNC = 2,
  LULLW_FDF_NONBLOCK = 4,
  LULLW_FDF_RSYNC = 8,
  LULLW_FDF_SYNC = 16
};

enum { /* oflags */
  LULLW_O_CREAT = 1,
  LULLW_O_DIRECTORY = 2,
  LULLW_O_EXCL = 4,
  LULLW_O_TRUNC = 8
};

enum { /* fstflags */
  LULLW_FST_ATIM = 1,
  LULLW_FST_ATIM_NOW = 2,
  LULLW_FST_MTIM = 4,
  LULLW_FST_MTIM_NOW = 8
};

#define LULLW_LOOKUP_FOLLOW 1u

/* Sizes and offsets of the guest's structures. */
#define LULLW_FDSTAT_SIZE 24
#define LULLW_FILESTAT_SIZE 64
#define LULLW_DIRENT_SIZE 24
#define LULLW_SUB_SIZE 48
#define LULLW_EVENT_SIZE 32

/* Limits of what one call may ask for. */
#define LULLW_IO_MAX ((size_t)1 << 20)   /* bytes moved by one read/write */
#define LULLW_IOV_MAX 1024               /* iovecs in one call */
#define LULLW_PATH_MAX 4096              /* bytes of a path, also after
                                            following symlinks */
#define LULLW_SYMLINK_MAX 40             /* symlinks followed in one lookup */
#define LULLW_FD_MAX 65536               /* descriptors per context */
#define LULLW_RANDOM_INLINE 65536     /* random_get up to this is made
                                            during the call */
#define LULLW_RANDOM_PIECE ((uint32_t)1 << 20) /* a larger one, on the pool,
                                            one piece at a time */
#define LULLW_TAG LULL_WASI_PARK_TAG     /* park tag of a WASI suspension */

/* ---------------------------------------------------------------------
 * Descriptors
 * ------------------------------------------------------------------- */

/* How lull does I/O on a descriptor. */
typedef enum lullw_kind {
  LULLW_KIND_FS = 0,     /* regular files, directories, devices that never
                            block: uv_fs_* and the thread pool */
  LULLW_KIND_STREAM = 1, /* pipes and terminals: uv_poll, then read/write */
  LULLW_KIND_SOCKET = 2  /* sockets: uv_poll, then recv/send */
} lullw_kind;

/* Where a descriptor came from: decides how a snapshot carries it. */
typedef enum lullw_origin {
  LULLW_FROM_PREOPEN = 0, /* `root` is the preopen's index */
  LULLW_FROM_STDIO = 1,   /* `root` is 0, 1 or 2 */
  LULLW_FROM_PATH = 2,    /* opened as `relpath` below preopen `root` */
  LULLW_FROM_HOST = 3     /* handed over by the embedder or accepted from
                             a socket: cannot move */
} lullw_origin;

typedef struct lullw_file {
  int refs;
  int fd;                /* the host descriptor */
  uint8_t owned;         /* close `fd` with the last reference (stdio
                            descriptors are borrowed) */
  uint8_t kind;          /* lullw_kind */
  uint8_t filetype;      /* LULLW_FT_* */
  uint8_t origin;        /* lullw_origin */
  uint8_t access;        /* 1: opened for reading, 2: for writing */
  uint16_t fdflags;      /* LULLW_FDF_* as the guest sees them */
  uint64_t rights_base, rights_inh;
  int32_t root;          /* see lullw_origin */
  char *relpath;         /* for LULLW_FROM_PATH; malloc'd */
  uint64_t dev, ino;     /* the file's identity (from fstat), so a call on
                            one descriptor can wait for writes queued on
                            another descriptor of the same file */
  struct lullw_wb *wb;   /* write-behind state, made by the first queued
                            write; freed with the file */
  uint64_t wb_credit;    /* bytes that may still be queued before the
                            file system's free space is checked again */
} lullw_file;

/* A preopen as configured: kept for fd_prestat_* and snapshots. */
typedef struct lullw_preopen {
  char *host;  /* absolute path, malloc'd */
  char *guest; /* the name the guest sees, malloc'd */
} lullw_preopen;

typedef struct lullw_req lullw_req;
typedef struct lullw_saved lullw_saved;

struct lull_wasi {
  lull_engine *engine;
  uv_loop_t *loop;
  lull_wasi_wake_fn wake;
  void *wake_ud;
  /* Arguments and environment: NUL-terminated strings back to back. */
  uint32_t argc, envc;
  char *argbuf, *envbuf;
  size_t argbuf_len, envbuf_len;
  size_t npreopens;
  lullw_preopen *preopens;
  int stdio_host[3];      /* as configured; -1 for closed */
  /* The descriptor table; NULL marks a free number. */
  lullw_file **fds;
  uint32_t nfds;
  /* Requests in flight, doubly linked. */
  lullw_req *reqs;
  int exited;
  uint32_t exit_code;
  /* The host functions lull_wasi_define made, created on first use. */
  lull_func *funcs[LULLW_NFUNCS];
  /* A request read by lull_wasi_load, waiting for lull_wasi_rearm. */
  lullw_saved *saved;
  /* Write-behind (wb.c): the files with a job on the thread pool or an
   * error still to report, doubly linked through lullw_wb.prev/next; how
   * many of them have a job out; and the embedder's drain callback. */
  struct lullw_wb *wb_active;
  uint32_t wb_jobs;
  lull_wasi_drain_fn drain;
  void *drain_ud;
  int quiesce;            /* lull_wasi_set_quiesce */
};

/* ---------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------- */

typedef struct lullw_call {
  lull_wasi *w;
  lull_thread *t;
  lull_memory *mem;          /* the caller's memory 0, or NULL */
  uint32_t fn;               /* LULLW_FN_* */
  uint64_t a[LULLW_MAX_ARGS];/* arguments; an i32 is zero-extended */
  int rearm;                 /* run again by lull_wasi_rearm */
  const uint64_t *deadlines; /* rearm of poll_oneoff: one per subscription,
                                realtime ns, UINT64_MAX for none */
  char msg[64];              /* LULLW_TRAP: the trap message */
} lullw_call;

typedef int32_t (*lullw_impl)(lullw_call *c);

#define LULLW_XX_(name, params, nres)                                         \
  LULLW_HIDDEN int32_t lullw_##name(lullw_call *c);
LULLW_FUNCS(LULLW_XX_)
#undef LULLW_XX_

/* The argument `i` of a call, as the types the guest passed. */
#define LULLW_U32(c, i) ((uint32_t)(c)->a[i])
#define LULLW_U64(c, i) ((c)->a[i])

/* ---------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------- */

typedef struct lullw_reqtype {
  /* On the loop, context alive: write results into guest memory; may
   * change r->err. NULL: nothing to write. */
  void (*finish)(lullw_req *r);
  /* Releases what the request holds besides the common fields (buffers,
   * descriptors a worker opened); called exactly once, orphan or not. */
  void (*dispose)(lullw_req *r);
  /* Starts closing the request's handles with lullw_req_closed as the
   * close callback; returns how many. NULL: no handles. */
  int (*close)(lullw_req *r);
} lullw_reqtype;

struct lullw_req {
  lullw_req *prev, *next;
  lull_wasi *w;            /* NULL once orphaned */
  lull_thread *t;
  lull_memory *mem;
  const lullw_reqtype *type;
  uint32_t fn;             /* the call, kept for snapshots */
  uint64_t a[LULLW_MAX_ARGS];
  uint64_t *deadlines;     /* poll_oneoff: realtime deadline per
                              subscription (malloc'd) or NULL */
  uint32_t ndeadlines;
  int32_t err;             /* the errno the thread is woken with */
  int64_t result;          /* a uv_fs_t's result (bytes moved) */
  uint8_t in_flight;       /* 1: the uv_fs_t / uv_work_t is with libuv */
  uint8_t uses_fs;         /* 1: uv_fs_req_cleanup on release */
  int nclosing;            /* handles whose close callback is pending */
  lullw_file *file;        /* a reference held, or NULL */
  union {
    uv_fs_t fs;
    uv_work_t work;
    uv_timer_t timer;
    uv_idle_t idle;
  } u;
};

/* A zeroed request of `size` bytes (at least sizeof(lullw_req)) for call
 * `c`, linked into the context; NULL when out of memory. */
LULLW_HIDDEN lullw_req *lullw_req_new(lullw_call *c, const lullw_reqtype *type,
                                      size_t size);
/* The request is done with errno `err`: finish (when the context is
 * alive), unlink, release, then wake the thread. Call it last: `r` is
 * gone afterwards. */
LULLW_HIDDEN void lullw_req_complete(lullw_req *r, int32_t err);
/* Unlinks and releases a request that never reached libuv (its start
 * failed); no wake. */
LULLW_HIDDEN void lullw_req_abort(lullw_req *r);
/* The close callback of request handles (handle->data is the request). */
LULLW_HIDDEN void lullw_req_closed(uv_handle_t *h);
/* Generic callbacks: a uv_fs_t or uv_work_t of a request completed. The
 * fs one stores fs->result in `err` (0 or the errno). */
LULLW_HIDDEN void lullw_req_fs_cb(uv_fs_t *fs);
/* Queues `r` on the thread pool: `work` runs there (it may only touch the
 * request), then the request completes with the errno in r->err. */
LULLW_HIDDEN int32_t lullw_req_queue(lullw_req *r, uv_work_cb work);
/* Wakes the thread of call `c` with `err` on the next loop iteration
 * (sched_yield, and rearm of a call that completed at once). */
LULLW_HIDDEN int32_t lullw_defer(lullw_call *c, int32_t err);
/* The type of lullw_defer's requests: their result is already known. */
LULLW_HIDDEN extern const lullw_reqtype lullw_defer_type;
/* Orphans every request of `w` (lull_wasi_free). */
LULLW_HIDDEN void lullw_req_orphan_all(lull_wasi *w);

/* ---------------------------------------------------------------------
 * Descriptor table (table.c)
 * ------------------------------------------------------------------- */

LULLW_HIDDEN lullw_file *lullw_file_new(int fd, int owned);
LULLW_HIDDEN void lullw_file_ref(lullw_file *f);
LULLW_HIDDEN void lullw_file_unref(lullw_file *f);
/* Classifies host descriptor f->fd (kind, filetype) with fstat. */
LULLW_HIDDEN int32_t lullw_file_classify(lullw_file *f);
/* The file at guest number `fd` with all of `rights`, or NULL with *err
 * set to BADF or NOTCAPABLE. */
LULLW_HIDDEN lullw_file *lullw_fd_get(lull_wasi *w, uint32_t fd,
                                      uint64_t rights, int32_t *err);
/* The same for a call that needs a directory: ENOTDIR for anything else,
 * before the rights are looked at (a file has no directory rights; what
 * is wrong is that it is no directory, as POSIX says). */
LULLW_HIDDEN lullw_file *lullw_dir_get(lull_wasi *w, uint32_t fd,
                                       uint64_t rights, int32_t *err);
/* Puts `f` (taking over the caller's reference) at the lowest free
 * number; returns it, or -1 when the table is full. */
LULLW_HIDDEN int64_t lullw_fd_insert(lull_wasi *w, lullw_file *f);
/* Puts `f` at number `fd`, replacing what is there. 0 or NOMEM. */
LULLW_HIDDEN int32_t lullw_fd_put(lull_wasi *w, uint32_t fd, lullw_file *f);
/* Removes number `fd` and drops the table's reference. */
LULLW_HIDDEN void lullw_fd_remove(lull_wasi *w, uint32_t fd);
/* WASI filetype of a stat mode. */
LULLW_HIDDEN uint8_t lullw_filetype_of_mode(unsigned mode);

/* ---------------------------------------------------------------------
 * Contexts (ctx.c), shared with snapshot.c
 * ------------------------------------------------------------------- */

/* An empty context: no strings, no descriptors, no preopens. */
LULLW_HIDDEN lull_wasi *lullw_alloc(lull_engine *e, uv_loop_t *loop,
                                    lull_wasi_wake_fn wake, void *wake_ud);
/* Copies `n` strings into a buffer of NUL-terminated strings (from
 * `e`'s allocator, as the context's buffers are). 0 or -1. */
LULLW_HIDDEN int lullw_set_strings(lull_engine *e, char **buf, size_t *len,
                                   uint32_t *count, size_t n,
                                   const char *const *v);
/* Appends a preopen to the configuration (no descriptor). 0 or -1. */
LULLW_HIDDEN int lullw_add_preopen(lull_wasi *w, const char *host_abs,
                                   const char *guest);
/* Opens preopen `i`'s directory; NULL with errno set on failure. */
LULLW_HIDDEN lullw_file *lullw_open_preopen(lull_wasi *w, size_t i);
/* The rights a descriptor of `f`'s kind and file type can have: a
 * directory has no read, write or seek rights, a pipe no seek. */
LULLW_HIDDEN uint64_t lullw_rights_of_type(const lullw_file *f);
/* Rights, access and fdflags of a descriptor the host handed over. */
LULLW_HIDDEN void lullw_host_rights(lullw_file *f);
/* 1 when `host_fd` is the process's own standard number `slot` but was
 * opened by this process (FD_CLOEXEC: nothing inherited across exec
 * carries it), so the process started with `slot` closed and the number
 * went to something else: libuv's epoll descriptor or its signal pipe,
 * which a guest must never read or write. */
LULLW_HIDDEN int lullw_stdio_foreign(uint32_t slot, int host_fd);
/* Puts borrowed host descriptor `host_fd` at guest number `slot` (or
 * closes the number for -1 or a descriptor that is not open). EBADF for a
 * foreign one (lullw_stdio_foreign), leaving the number as it was. */
LULLW_HIDDEN int32_t lullw_attach_stdio(lull_wasi *w, uint32_t slot,
                                        int host_fd);

/* ---------------------------------------------------------------------
 * Guest memory (mem.c). Every access is checked against the memory's
 * current size with 64-bit arithmetic; NULL memory means no access.
 * ------------------------------------------------------------------- */

/* The host address of [ptr, ptr+len) or NULL when out of bounds. */
LULLW_HIDDEN uint8_t *lullw_mem(lull_memory *m, uint64_t ptr, uint64_t len);
/* Little-endian stores and loads; 0 or FAULT. */
LULLW_HIDDEN int32_t lullw_put_u8(lull_memory *m, uint64_t ptr, uint8_t v);
LULLW_HIDDEN int32_t lullw_put_u16(lull_memory *m, uint64_t ptr, uint16_t v);
LULLW_HIDDEN int32_t lullw_put_u32(lull_memory *m, uint64_t ptr, uint32_t v);
LULLW_HIDDEN int32_t lullw_put_u64(lull_memory *m, uint64_t ptr, uint64_t v);
LULLW_HIDDEN void lullw_st16(uint8_t *p, uint16_t v);
LULLW_HIDDEN void lullw_st32(uint8_t *p, uint32_t v);
LULLW_HIDDEN void lullw_st64(uint8_t *p, uint64_t v);
LULLW_HIDDEN uint16_t lullw_ld16(const uint8_t *p);
LULLW_HIDDEN uint32_t lullw_ld32(const uint8_t *p);
LULLW_HIDDEN uint64_t lullw_ld64(const uint8_t *p);

/* A list of guest buffers (iovecs), copied out of guest memory. */
typedef struct lullw_iovs {
  uint32_t n;
  uint64_t total;     /* sum of lengths (may exceed LULLW_IO_MAX) */
  uint32_t (*v)[2];   /* {ptr, len} pairs, malloc'd */
} lullw_iovs;

/* Reads `n` iovecs at `ptr` and checks that each buffer lies inside the
 * memory. 0, FAULT, INVAL (too many) or NOMEM. */
LULLW_HIDDEN int32_t lullw_iovs_read(lull_memory *m, uint32_t ptr,
                                     uint32_t n, lullw_iovs *out);
LULLW_HIDDEN void lullw_iovs_free(lullw_iovs *v);
/* Copies up to `len` bytes between `buf` and the guest buffers; returns
 * FAULT if one no longer lies inside the memory. */
LULLW_HIDDEN int32_t lullw_iovs_scatter(lull_memory *m, const lullw_iovs *v,
                                        const uint8_t *buf, size_t len);
LULLW_HIDDEN int32_t lullw_iovs_gather(lull_memory *m, const lullw_iovs *v,
                                       uint8_t *buf, size_t len);
/* A copy of the guest string at [ptr, ptr+len), NUL-terminated, in *out
 * (malloc'd). FAULT, INVAL (holds a NUL), NAMETOOLONG or NOMEM. */
LULLW_HIDDEN int32_t lullw_path_read(lull_memory *m, uint32_t ptr,
                                     uint32_t len, char **out);

/* ---------------------------------------------------------------------
 * Write-behind for regular files (wb.c, wb_gate.c)
 *
 * fd_write and fd_pwrite on a regular file without the synchronous-I/O
 * fdflags copy the guest's bytes into a chunk, append it to the file's
 * queue and return at once. One thread-pool job per file at a time writes
 * the queue in order, taking chunks appended while it runs, so the guest
 * fills the queue while the pool empties it. The queue is shared with
 * that job under `lock`; everything else is the loop thread's.
 *
 * Bounds: a write that would take a file's queue over LULLW_WB_FILE_MAX
 * or the context's over LULLW_WB_CTX_MAX (and the queue is not empty)
 * waits until the queue is down to LULLW_WB_LOW.
 *
 * Other calls that could observe the file (every fd_* call that takes
 * the descriptor, except fdstat_get/set_rights and prestat; any call on
 * another descriptor of the same file; every path_* call while anything
 * is queued in the context) first wait until the job is done: a gate
 * request (wb_gate.c) parks the thread and makes the call when the queue
 * is empty. The first write that fails stops the file's queue (later
 * chunks are dropped, so the file never has a hole after a failure) and
 * its errno is returned by the next call on that descriptor that waits,
 * or by the next write to it.
 * ------------------------------------------------------------------- */

#define LULLW_WB_FILE_MAX ((size_t)4 << 20) /* bytes queued per file */
#define LULLW_WB_CTX_MAX ((size_t)8 << 20)  /* bytes queued per context */
#define LULLW_WB_LOW ((size_t)2 << 20)      /* a write waiting for room
                                               goes on when the queue is
                                               down to this */
#define LULLW_WB_KEEP ((size_t)1 << 20)     /* written chunks a file keeps
                                               for its next writes once
                                               its bursts are small */
#define LULLW_WB_KEEP_MS 1000               /* how long after a bigger
                                               burst it keeps more */
#define LULLW_WB_TURN ((size_t)4 << 20)     /* bytes a job writes before
                                               it lets other pool work
                                               go first */
#define LULLW_WB_SPACE_MARGIN ((uint64_t)64 << 20) /* free space a file
                                               system must keep beyond
                                               what is queued for writes
                                               to be queued at all */
#define LULLW_WB_SPACE_CHECK ((uint64_t)16 << 20) /* bytes queued between
                                               two checks of it */
#define LULLW_DIRECT (-3)                   /* lullw_wb_write: not queued,
                                               make the write now */
#define LULLW_GATE_DRAIN ((size_t)-1)       /* lullw_gate_wait: until the
                                               file's own queue is written */

typedef struct lullw_chunk {
  struct lullw_chunk *next;
  int64_t off;      /* fd_pwrite's offset; -1: fd_write, at the position */
  size_t len;
  size_t cap;       /* bytes allocated for `data` */
  uint8_t data[];
} lullw_chunk;

typedef struct lullw_wb {
  /* The loop thread's. */
  lull_wasi *w;            /* the context while on its wb_active list;
                              NULL otherwise (also once it is freed) */
  size_t peak;             /* most bytes queued since the last job ended */
  uint64_t big_at;         /* loop time (ms) of the last job end after a
                              burst of more than LULLW_WB_KEEP bytes */
  struct lullw_wb *prev, *next;
  uv_loop_t *loop;
  lullw_file *file;        /* the owner; a job holds a reference */
  uv_work_t work;
  int job;                 /* 1: `work` is with libuv */
  /* Shared with the job, under `lock`. */
  uv_mutex_t lock;
  lullw_chunk *head, *tail;/* appended, not yet taken by the job */
  size_t bytes;            /* appended and not yet written */
  lullw_chunk *done;       /* written, kept for the next writes (at most
                              LULLW_WB_FILE_MAX bytes of them; see wb.c) */
  size_t done_bytes;
  int worker;              /* 1: the job is running or about to, and takes
                              what is appended; 0: it has left (or none) */
  int host_err;            /* errno of the first failed write, until it is
                              reported */
  int want_room;           /* a write waits for room: the job leaves once
                              `bytes` is down to LULLW_WB_LOW */
} lullw_wb;

/* 1 when writes to `f` are queued rather than made during the call. */
LULLW_HIDDEN int lullw_wb_eligible(const lullw_file *f);
/* Queues the guest's buffers `v` (at most LULLW_IO_MAX bytes) for `f` at
 * `off` (-1: at the position) and stores the count at `out_ptr`: 0, a
 * WASI errno (an earlier write's error, reported here; ENOMEM),
 * LULLW_PENDING when the queue is full and the thread waits for room (or
 * for the file's queue, see LULLW_DIRECT), or LULLW_DIRECT when the file
 * system is too close to full for a write to be acknowledged before it
 * is made: nothing is queued for the file any more and the caller makes
 * the write itself, so that ENOSPC reaches the guest from that call. */
LULLW_HIDDEN int32_t lullw_wb_write(lullw_call *c, lullw_file *f,
                                    const lullw_iovs *v, int64_t off,
                                    uint32_t out_ptr);
/* 1 while a job writes `f` or another descriptor of the same file. With
 * `own_ok`, `f`'s own queue does not count. */
LULLW_HIDDEN int lullw_wb_busy(lull_wasi *w, const lullw_file *f, int own_ok);
/* 1 when `f` may queue `len` more bytes now. */
LULLW_HIDDEN int lullw_wb_room(lull_wasi *w, const lullw_file *f, size_t len);
/* Takes `f`'s unreported write error (a WASI errno), or 0. */
LULLW_HIDDEN int32_t lullw_wb_take_error(lullw_file *f);
/* lull_wasi_free: the jobs finish on their own, touching no context. */
LULLW_HIDDEN void lullw_wb_detach_all(lull_wasi *w);
/* The file's last reference is gone (no job can be out). */
LULLW_HIDDEN void lullw_wb_free(lullw_wb *wb);

/* The gate (wb_gate.c). Runs call `c` as the guest made it: first waits
 * for the queued writes the call could observe (LULLW_PENDING, with a
 * gate request that makes the call once they are written), or reports a
 * queued write's error; then the implementation. */
LULLW_HIDDEN int32_t lullw_dispatch(lullw_call *c);
/* A gate request for call `c`: the thread waits until nothing the call
 * could observe is queued (and `need` bytes fit in the file's queue, for
 * a write waiting for room). LULLW_PENDING or ENOMEM. */
LULLW_HIDDEN int32_t lullw_gate_wait(lullw_call *c, size_t need);
/* A job ended: starts the calls of gates that need not wait any more
 * (each on the next loop turn, through its idle handle). */
LULLW_HIDDEN void lullw_gate_kick(lull_wasi *w);
/* 1 when a thread of `w` waits for room to write to `f`. */
LULLW_HIDDEN int lullw_gate_room_waiter(lull_wasi *w, const lullw_file *f);

/* ---------------------------------------------------------------------
 * File status (stat.c)
 * ------------------------------------------------------------------- */

struct stat;
struct timespec;

typedef struct lullw_stat {
  uint64_t dev, ino, nlink, size, atim, mtim, ctim;
  uint8_t filetype;
} lullw_stat;

LULLW_HIDDEN void lullw_stat_from_host(lullw_stat *out, const struct stat *st);
LULLW_HIDDEN void lullw_stat_from_uv(lullw_stat *out, const uv_stat_t *st);
/* Writes the 64-byte filestat at `ptr`: 0 or FAULT. */
LULLW_HIDDEN int32_t lullw_stat_put(lull_memory *m, uint32_t ptr,
                                    const lullw_stat *st);
/* The two timespecs of futimens/utimensat for fd_filestat_set_times and
 * path_filestat_set_times: 0 or INVAL for contradictory flags. */
LULLW_HIDDEN int32_t lullw_times(uint64_t atim, uint64_t mtim, uint32_t fst,
                                 struct timespec ts[2]);

/* ---------------------------------------------------------------------
 * Errors (errno.c), clocks (clock.c)
 * ------------------------------------------------------------------- */

/* The WASI errno of a host errno value (positive). */
LULLW_HIDDEN int32_t lullw_errno(int host_errno);
/* The WASI errno of a libuv error (negative), or 0 for >= 0. */
LULLW_HIDDEN int32_t lullw_uverr(int64_t uv_result);

/* Nanoseconds of CLOCK_MONOTONIC and CLOCK_REALTIME. */
LULLW_HIDDEN uint64_t lullw_now_mono(void);
LULLW_HIDDEN uint64_t lullw_now_real(void);

/* ---------------------------------------------------------------------
 * Sandboxed path resolution (resolve.c). Runs on the thread pool.
 * ------------------------------------------------------------------- */

#define LULLW_RESOLVE_FOLLOW 1  /* follow a symlink in the last component */

typedef struct lullw_resolved {
  int dirfd;        /* the directory holding `name` */
  int owned;        /* 1: dirfd was opened by the walk; close it */
  int must_dir;     /* the path ended with '/' */
  char name[256];   /* the last component, or "." for the directory */
  char canon[LULLW_PATH_MAX]; /* the path from the base, symlinks and
                                 ".." resolved ("" for the base itself) */
} lullw_resolved;

/* Walks `path` from directory `base` one component at a time, never
 * letting the kernel follow a symlink or "..": absolute paths, ".." above
 * `base` and symlinks leading there give NOTCAPABLE. On success returns 0
 * and fills `out` (release with lullw_resolve_done); else a WASI errno. */
LULLW_HIDDEN int32_t lullw_resolve(int base, const char *path, int flags,
                                   lullw_resolved *out);
LULLW_HIDDEN void lullw_resolve_done(lullw_resolved *r);

/* The flags for opening an intermediate directory: O_PATH where there is
 * one (only search permission needed), else read-only. */
#ifdef O_PATH
#define LULLW_O_SEARCH O_PATH
#else
#define LULLW_O_SEARCH O_RDONLY
#endif

/* ---------------------------------------------------------------------
 * Streams (stream.c): pipes, terminals and sockets, polled with uv_poll.
 * ------------------------------------------------------------------- */

/* Non-blocking attempts: the byte count, or a negative host errno
 * (-EAGAIN when the descriptor is not ready). */
LULLW_HIDDEN int64_t lullw_stream_read(lullw_file *f, uint8_t *buf,
                                       size_t len, int flags);
LULLW_HIDDEN int64_t lullw_stream_write(lullw_file *f, const uint8_t *buf,
                                        size_t len);
/* Readiness right now: a mask of UV_READABLE / UV_WRITABLE /
 * UV_DISCONNECT (hangup), without blocking. */
LULLW_HIDDEN int lullw_stream_ready(int fd, int events);
/* Initialises `h` to poll a duplicate of `fd` (libuv allows one poll
 * handle per descriptor and loop, and guests may share one) without
 * leaving the shared file description non-blocking. Returns the
 * duplicate or a negative libuv error. Close the duplicate right after
 * uv_close(h). */
LULLW_HIDDEN int lullw_poll_init(uv_loop_t *loop, uv_poll_t *h, int fd);

/* A request's wait for readiness of one descriptor. */
typedef struct lullw_waiter {
  uv_poll_t h;
  int dup;    /* the duplicate being polled */
  int active; /* 1: `h` is initialised and must be closed */
} lullw_waiter;

/* Starts polling `fd` for `events` on behalf of `r` (h.data = r); `cb`
 * runs on readiness. 0 or a WASI errno (the waiter is then closed with
 * the request). */
LULLW_HIDDEN int32_t lullw_waiter_start(lullw_req *r, lullw_waiter *wt,
                                        int fd, int events, uv_poll_cb cb);
/* For a request type's `close` hook: closes the handle (the close
 * callback is lullw_req_closed) and the duplicate; returns 0 or 1. */
LULLW_HIDDEN int lullw_waiter_close(lullw_waiter *wt);

/* ---------------------------------------------------------------------
 * Reads that cannot block (nowait.c)
 * ------------------------------------------------------------------- */

struct iovec;
/* Reads from regular file `fd` at `off` (-1: the current offset) only
 * what needs no disk access: the byte count, -EAGAIN when it would wait
 * (or cannot tell), or another negative errno. */
LULLW_HIDDEN int64_t lullw_read_nowait(int fd, const struct iovec *iov, int n,
                                       int64_t off);

/* ---------------------------------------------------------------------
 * Snapshots (snapshot.c)
 * ------------------------------------------------------------------- */

struct lullw_saved {
  int deliver;         /* 1: the call had finished with `err`; only the
                          wake was pending */
  int32_t err;
  uint32_t fn;
  uint32_t nargs;
  uint64_t a[LULLW_MAX_ARGS];
  uint32_t ndeadlines;
  uint64_t *deadlines; /* realtime ns, UINT64_MAX for none */
};

LULLW_HIDDEN void lullw_saved_free(lullw_saved *s);

/* The parameter signature and result count of function `fn`. */
LULLW_HIDDEN const char *lullw_fn_params(uint32_t fn);
LULLW_HIDDEN const char *lullw_fn_name(uint32_t fn);
LULLW_HIDDEN lullw_impl lullw_fn_impl(uint32_t fn);
/* Drops the context's references to its host functions. */
LULLW_HIDDEN void lullw_funcs_free(lull_wasi *w);

/* Opens `relpath` below preopen descriptor `base` the way path_open
 * would, synchronously (load time). Returns the descriptor or -1. */
LULLW_HIDDEN int lullw_reopen(int base, const char *relpath, int host_flags);
/* Host open flags for an access mode (1 read, 2 write) and fdflags. */
LULLW_HIDDEN int lullw_open_flags(int access, uint16_t fdflags);

#endif /* LULL_WASI_INTERNAL_H */

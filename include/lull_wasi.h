/*
 * lull_wasi.h -- WASI preview 1 (wasi_snapshot_preview1) on libuv.
 *
 * A lull_wasi is one guest's WASI context: arguments, environment,
 * preopened directories and its table of open descriptors. Its host
 * functions never block: whatever can block starts a libuv request and
 * returns LULL_HOST_SUSPEND; when the request completes, the results are
 * written into guest memory and the context's `wake` callback hands the
 * thread back to whoever schedules it, which calls lull_resume with the
 * results given.
 *
 * Paths resolve inside preopened directories only: lull walks every
 * component itself, so "..", absolute paths, symlinks that point outside
 * and renames racing with a lookup cannot reach anything outside.
 *
 * One OS thread at a time, the one that runs the loop.
 *
 * How the implementation behaves (details the declarations below leave
 * open; none changes their meaning):
 *
 *   - `wake` gets one result, the function's errno as an i32. It may be
 *     called from any libuv callback of the loop (timer, poll, idle, fs,
 *     work), never from inside lull_wasi_* or a host function. It may
 *     resume the thread, which may start new requests or even free the
 *     context: nothing of the finished request is touched after it.
 *   - Free the context before the thread and instance it serves (or at
 *     least without running the loop in between): a request completing
 *     writes into the instance's memory. Free it before the engine.
 *   - Standard descriptors are borrowed (never closed by lull); preopens,
 *     files the guest opens and descriptors given with lull_wasi_insert_fd
 *     are owned and closed by the context.
 *   - File reads and writes go through uv_fs_read / uv_fs_write, except a
 *     read of a regular file the page cache can answer at once (Linux's
 *     RWF_NOWAIT), which completes during the call, and writes to regular
 *     files, which are written behind (below). Path calls run their
 *     whole sandboxed lookup and the final *at system call as one
 *     uv_queue_work job. Pipes, terminals and sockets are tried without
 *     blocking and otherwise waited for with uv_poll on a duplicate of the
 *     descriptor (guests may share one). sched_yield wakes on the next
 *     loop iteration (an idle handle). random_get fills up to 64 KiB
 *     during the call and parks for more, filled 1 MiB at a time on the
 *     thread pool. One call moves at most 1 MiB; a
 *     larger request is a short read or write, which libc handles.
 *   - Sandbox: absolute paths, ".." above the directory descriptor used,
 *     and symlinks whose target is absolute or climbs above it give
 *     ENOTCAPABLE; symlinks are followed at most 40 times (ELOOP); paths
 *     are at most 4095 bytes after expansion (ENAMETOOLONG). path_symlink
 *     refuses absolute targets (ENOTCAPABLE). ".." may not leave even a
 *     directory opened below a preopen.
 *   - Rights are the witx ones: a preopen has every directory right and
 *     passes on directory and file rights; path_open gives what was asked,
 *     the directory passes on and the file's type allows (a directory
 *     never has read, write or seek rights); the DSYNC, RSYNC and SYNC
 *     fdflags need the directory to pass on FD_DATASYNC / FD_SYNC;
 *     O_DIRECTORY with a write right asked is EISDIR (as natively);
 *     fd_fdstat_set_rights only drops. A descriptor's type is checked
 *     before its rights: sock_* on a non-socket is ENOTSOCK, path_* and
 *     fd_readdir on a non-directory ENOTDIR. Pipes,
 *     terminals and sockets have no seek or tell rights (so libc's isatty
 *     works).
 *   - Write-behind: fd_write and fd_pwrite on a regular file (opened
 *     without the DSYNC, RSYNC or SYNC fdflags) copy the guest's bytes,
 *     queue them and return success at once, without parking the thread;
 *     a thread-pool job writes each file's queue in order (so appends
 *     stay in order too) while the guest runs on. At most 4 MiB are
 *     queued per file and 8 MiB per context; a write that would go over
 *     waits (parked like any WASI call) until the queue is down to 2 MiB.
 *     A file keeps up to 4 MiB of written buffers for its next writes (1
 *     MiB once a second has passed without a bigger burst) until it is
 *     closed. Any other call that could see the file waits until the
 *     writes queued for it are made: every fd_* call on that descriptor
 *     or on another descriptor of the same file (fd_fdstat_get,
 *     fd_fdstat_set_rights, fd_prestat_* and fd_readdir excepted), and
 *     every path_* call while anything is queued in the context. So the
 *     guest never sees stale data, sizes or offsets; another process (or
 *     another context) may, for as long as the queue takes to write (the
 *     page cache would show it at once). Writes are queued only while the
 *     file system has room for them and everything queued with 64 MiB to
 *     spare (fstatvfs, checked every 16 MiB); nearer to full, and on file
 *     systems that report no space (proc, sysfs), a write is made during
 *     the call, after what is queued, so ENOSPC comes from the write that
 *     does not fit, as natively. Other errors of queued writes (EIO,
 *     EFBIG, EDQUOT, another process filling the disk) are deferred, as
 *     the page cache defers them to fsync and close: what is queued after
 *     the failed write on that descriptor is dropped, and the errno is
 *     returned by the next call on that descriptor (fd_close still closes
 *     it), or by the next write to it. An error no call has reported is
 *     kept for lull_wasi_write_error, which an embedder checks when the
 *     guest ends (the `lull` command reports it and exits non-zero); a
 *     snapshot does not carry one. A context with writes
 *     queued cannot be saved (LULL_BADSTATE; try again after the drain
 *     callback, as the scheduler does). lull_wasi_free lets the queued
 *     writes finish (the loop must run for that, as for any request in
 *     flight) rather than dropping data the guest was told is written.
 *   - proc_raise: signals ignored by default (SIGCHLD, SIGCONT, SIGURG,
 *     SIGWINCH) and 0 return success, stop signals ENOTSUP, the others
 *     trap with "proc_raise: SIGNAME" (lull_wasi_exited then says 0).
 *   - Snapshots: the call the guest is parked in is made again by
 *     lull_wasi_rearm with its arguments (poll_oneoff keeps its clock
 *     deadlines as wall-clock times). A sleep, a clock poll and
 *     sched_yield are exact; a wait on a pipe or socket finds it closed
 *     (EBADF); a file read or write that was on the thread pool may
 *     already have happened and is made again. Regular files and
 *     directories opened by path are opened again at their offset; other
 *     things opened by path (named pipes, devices) come back closed. A
 *     context with more than one request in flight (several threads
 *     parked in it) cannot be saved (LULL_BADSTATE). lull_wasi_load
 *     refuses damaged bytes with LULL_BADSNAPSHOT and a preopen directory
 *     that no longer exists with LULL_NOTFOUND, naming it; it re-opens
 *     files synchronously.
 */
#ifndef LULL_WASI_H
#define LULL_WASI_H

#include <uv.h>

#include "lull.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lull_wasi lull_wasi;

/* A host directory the guest sees under `guest_path` (e.g. "." or
 * "/data"). Strings are copied. */
typedef struct lull_wasi_preopen {
  const char *host_path;
  const char *guest_path;
} lull_wasi_preopen;

typedef struct lull_wasi_config {
  int argc;
  const char *const *argv;     /* argv[0] is the program's name */
  int envc;
  const char *const *env;      /* "KEY=VALUE" strings */
  size_t npreopens;
  const lull_wasi_preopen *preopens;
  int stdin_fd, stdout_fd, stderr_fd; /* host descriptors for the guest's
                                         0, 1 and 2; -1: closed */
} lull_wasi_config;

/* Fills `cfg` with no arguments, no environment, no preopens, and the
 * process's own standard descriptors. */
void lull_wasi_config_init(lull_wasi_config *cfg);

/* Called on the loop when a request that thread `t` was suspended on has
 * completed: resume it with lull_resume(t, results, n, ...). `results`
 * are valid only during the call. Never called from inside a host
 * function, and never after lull_wasi_free. */
typedef void (*lull_wasi_wake_fn)(void *ud, lull_thread *t,
                                  const lull_val *results, size_t n);

/* Makes a WASI context on `loop`. Everything in `cfg` is copied; each
 * preopen must be a directory that exists. Returns NULL and fills `err`
 * on failure. */
lull_wasi *lull_wasi_new(lull_engine *e, uv_loop_t *loop,
                         const lull_wasi_config *cfg, lull_wasi_wake_fn wake,
                         void *wake_ud, lull_error *err);

/* Cancels every request in flight (their wake never fires), closes every
 * descriptor the guest opened and frees the context. libuv handles are
 * closed asynchronously: run the loop afterwards to let them finish.
 * Writes still queued (write-behind, see above) are not cancelled: the
 * thread pool finishes them while the loop runs, then the descriptors
 * they write are closed. */
void lull_wasi_free(lull_wasi *w);

/* Defines every wasi_snapshot_preview1 function in `l`. */
lull_status lull_wasi_define(lull_wasi *w, lull_linker *l);

/* After a call or resume returned LULL_TRAP: 1 if the guest called
 * proc_exit (then *code is its exit code), 0 for a real trap. */
int lull_wasi_exited(const lull_wasi *w, uint32_t *code);

/* Snapshots: the context as bytes (arguments, environment, preopens, open
 * descriptors by path, offset and flags, and the request the guest is
 * suspended on, e.g. a sleep's deadline). What cannot move (sockets, pipes)
 * comes back closed: the guest sees EBADF. *out is malloc'd. LULL_BADSTATE
 * while writes are queued (lull_wasi_pending_writes): they are in neither
 * the file nor the snapshot yet; save after the drain callback. */
lull_status lull_wasi_save(const lull_wasi *w, uint8_t **out, size_t *len,
                           lull_error *err);
lull_wasi *lull_wasi_load(lull_engine *e, uv_loop_t *loop,
                          const uint8_t *bytes, size_t len,
                          lull_wasi_wake_fn wake, void *wake_ud,
                          lull_error *err);
/* lull_wasi_load for snapshots from elsewhere: a snapshot names the host
 * directories its guest had, so whoever writes the bytes would choose
 * what the resumed guest can reach. This refuses (LULL_DENIED, naming the
 * directory, before any is opened) a snapshot with a preopen whose host
 * path is not one of `granted` (absolute paths compared as strings: pass
 * them resolved, e.g. by realpath, as lull_wasi_new's preopens are). */
lull_wasi *lull_wasi_load_granted(lull_engine *e, uv_loop_t *loop,
                                  const uint8_t *bytes, size_t len,
                                  const char *const *granted, size_t ngranted,
                                  lull_wasi_wake_fn wake, void *wake_ud,
                                  lull_error *err);
/* After lull_snapshot_read: starts again the request that thread `t` was
 * suspended on when the snapshot was taken (a sleep keeps its deadline);
 * its completion calls `wake` as usual. */
lull_status lull_wasi_rearm(lull_wasi *w, lull_thread *t, lull_instance *inst,
                            lull_error *err);

/* ======================================================================
 * Additions (after the first version of this header)
 * ====================================================================== */

/* The tag (lull_thread_park_tag) of a thread parked in a WASI call that
 * waits for a request; its completion calls `wake`. */
#define LULL_WASI_PARK_TAG 0x57415349u /* "WASI" */

/* The host function for wasi_snapshot_preview1's `name` ("fd_write", ...)
 * bound to `w`, made on first use; NULL for an unknown name or when out of
 * memory. Borrowed: it lives as long as `w` (lull_wasi_free drops the
 * context's reference; a linker or instance holding it keeps the object,
 * but calling it after lull_wasi_free is undefined). Use it to build the
 * import array lull_snapshot_read takes. */
lull_func *lull_wasi_func(lull_wasi *w, const char *name);

/* Hands the guest an open host descriptor `host_fd` (a socket, listening
 * or connected, a pipe or a file) at the lowest free guest number, stored
 * in *guest_fd. The context owns it from then on and closes it when the
 * guest closes it or the context is freed; on failure the caller keeps
 * it. Its rights follow its type and access mode (sockets get
 * sock_accept, sock_recv, sock_send, sock_shutdown and polling). It
 * cannot move: a snapshot brings it back closed. LULL_BADARG when it is
 * not an open descriptor, LULL_LIMIT when the table is full. */
lull_status lull_wasi_insert_fd(lull_wasi *w, int host_fd, uint32_t *guest_fd,
                                lull_error *err);

/* Replaces what the guest's numbers 0, 1 and 2 refer to with host
 * descriptors, borrowed like lull_wasi_config's (never closed by lull);
 * -1, or a descriptor that is not open, leaves the number closed;
 * LULL_BADARG (nothing changed) for the process's own 0, 1 or 2 when it
 * was opened after the process started (see lull_wasi_open_stdio). Meant
 * for after lull_wasi_load, which re-attaches the guest's standard
 * descriptors to the loading process's own 0, 1 and 2 when they were
 * those in the saved context, and leaves them closed otherwise. */
lull_status lull_wasi_set_stdio(lull_wasi *w, int stdin_fd, int stdout_fd,
                                int stderr_fd);

/* Write-behind (see the notes above): how many bytes of the guest's
 * writes to regular files are queued and not yet written, over all its
 * descriptors; 0 when none. */
size_t lull_wasi_pending_writes(const lull_wasi *w);

/* Called on the loop (from a libuv callback, never from inside
 * lull_wasi_* or a host function) each time the context's last
 * write-behind job ends: everything the guest wrote has been handed to
 * the kernel, lull_wasi_pending_writes is 0 and lull_wasi_save can
 * succeed. The callback may do anything, including freeing the context. */
typedef void (*lull_wasi_drain_fn)(void *ud, lull_wasi *w);

/* Sets the context's drain callback, replacing the previous one (NULL:
 * none). */
void lull_wasi_set_drain_cb(lull_wasi *w, lull_wasi_drain_fn cb, void *ud);

/* While `on` is nonzero, a write waiting for room in a full queue waits
 * until every write queued in the context is written (instead of until
 * the queue is down to 2 MiB), so that when the drain callback comes the
 * writer is still parked and the context can be saved. The scheduler
 * sets it while a snapshot of the task is pending: a guest that writes
 * all the time would otherwise be running again, with writes queued,
 * whenever the queue empties. */
void lull_wasi_set_quiesce(lull_wasi *w, int on);

/* Write-behind: the host errno (positive) of a queued write that failed
 * after the guest was told it succeeded and that no call has reported to
 * the guest yet, or 0. *guest_fd (may be NULL) gets the guest's number
 * of that descriptor, UINT32_MAX when it is no longer open. Check it
 * when the guest has ended and its writes are drained (lull_uv's exit
 * callback comes only then): data the guest believes written is not in
 * its file, and nobody else will say so. */
int lull_wasi_write_error(const lull_wasi *w, uint32_t *guest_fd);

/* Standard descriptors. A process started with 0, 1 or 2 closed gives
 * those numbers to the next descriptors it opens, and libuv opens some
 * when the first loop is made (its epoll descriptor, its signal pipe):
 * a guest given "its stdin" would then read libuv's pipe (and hang the
 * process) or close libuv's descriptors under it. So an embedder that
 * gives guests the process's own 0, 1 and 2 must make sure they are open
 * before it makes any libuv loop: call lull_wasi_open_stdio first thing
 * in main. It opens /dev/null on each of 0, 1 and 2 that is closed (a
 * guest then reads end-of-file and its writes go nowhere, as a shell's
 * `<&-` program would expect at worst) and returns 0, or a negative errno.
 * lull_wasi_new (and lull_wasi_set_stdio) refuse with LULL_BADARG a
 * standard number whose descriptor the process opened itself after it
 * started (it has FD_CLOEXEC, which nothing inherited carries), naming
 * the descriptor; lull_wasi_load leaves such a number closed. Descriptors
 * passed under other numbers are taken as given. */
int lull_wasi_open_stdio(void);

#ifdef __cplusplus
}
#endif
#endif /* LULL_WASI_H */

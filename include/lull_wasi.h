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
 * closed asynchronously: run the loop afterwards to let them finish. */
void lull_wasi_free(lull_wasi *w);

/* Defines every wasi_snapshot_preview1 function in `l`. */
lull_status lull_wasi_define(lull_wasi *w, lull_linker *l);

/* After a call or resume returned LULL_TRAP: 1 if the guest called
 * proc_exit (then *code is its exit code), 0 for a real trap. */
int lull_wasi_exited(const lull_wasi *w, uint32_t *code);

/* Snapshots: the context as bytes (arguments, environment, preopens, open
 * descriptors by path, offset and flags, and the request the guest is
 * suspended on, e.g. a sleep's deadline). What cannot move (sockets, pipes)
 * comes back closed: the guest sees EBADF. *out is malloc'd. */
lull_status lull_wasi_save(const lull_wasi *w, uint8_t **out, size_t *len,
                           lull_error *err);
lull_wasi *lull_wasi_load(lull_engine *e, uv_loop_t *loop,
                          const uint8_t *bytes, size_t len,
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
 * -1, or a descriptor that is not open, leaves the number closed. Meant
 * for after lull_wasi_load, which re-attaches the guest's standard
 * descriptors to the loading process's own 0, 1 and 2 when they were
 * those in the saved context, and leaves them closed otherwise. */
lull_status lull_wasi_set_stdio(lull_wasi *w, int stdin_fd, int stdout_fd,
                                int stderr_fd);

#ifdef __cplusplus
}
#endif
#endif /* LULL_WASI_H */

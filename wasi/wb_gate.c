/*
 * wb_gate.c -- keeping the guest's view of its files exact while writes
 * are queued behind its back (wb.c).
 *
 * Every WASI call goes through lullw_dispatch. While nothing is queued in
 * the context (w->wb_active is empty) it is the implementation and
 * nothing else. Otherwise the call's class says what it could observe:
 *
 *   ONE    the descriptor of argument 0: reads, seeks, stat, size, times,
 *          sync, close, fdstat_set_flags, allocate, advise. Waits while a
 *          job writes that file (through any descriptor), then reports
 *          the descriptor's write error if it has one.
 *   TWO    fd_renumber: the same for both descriptors.
 *   WRITE  fd_write and fd_pwrite: wait only for other descriptors of the
 *          same file (the descriptor's own queue keeps the order); the
 *          write itself reports errors and waits for room (wb.c).
 *   ALL    every path_* call: a path may name any file, so it waits until
 *          no job is left in the context.
 *   NONE   the rest (fdstat_get, set_rights, prestat, readdir, poll,
 *          clocks, sockets, ...), which observe nothing a queued write
 *          changes.
 *
 * Waiting is a gate request: a lullw_req like any other (the thread is
 * parked on it, a snapshot records its call, lull_wasi_free releases
 * it), holding an idle handle. When a job ends, lullw_gate_kick starts
 * the handle of every gate whose call need not wait any more; on the
 * next loop turn the gate makes the call through lullw_dispatch again,
 * and either wakes the thread with its result or hands the thread over
 * to the request the call started (or to a new gate, if more writes came
 * in meanwhile). Doing it from the gate's own callback, not from the
 * job's, keeps the rule of req.c: a wake is the last thing a callback
 * does, since the guest may free the context from it.
 */
#include "wasi_internal.h"

#include <string.h>

enum { NONE = 0, ONE, TWO, WRITE, ALL };

static int gate_class(uint32_t fn) {
  switch (fn) {
  case LULLW_FN_fd_advise:
  case LULLW_FN_fd_allocate:
  case LULLW_FN_fd_close:
  case LULLW_FN_fd_datasync:
  case LULLW_FN_fd_fdstat_set_flags:
  case LULLW_FN_fd_filestat_get:
  case LULLW_FN_fd_filestat_set_size:
  case LULLW_FN_fd_filestat_set_times:
  case LULLW_FN_fd_pread:
  case LULLW_FN_fd_read:
  case LULLW_FN_fd_seek:
  case LULLW_FN_fd_sync:
  case LULLW_FN_fd_tell:
    return ONE;
  case LULLW_FN_fd_renumber:
    return TWO;
  case LULLW_FN_fd_write:
  case LULLW_FN_fd_pwrite:
    return WRITE;
  case LULLW_FN_path_create_directory:
  case LULLW_FN_path_filestat_get:
  case LULLW_FN_path_filestat_set_times:
  case LULLW_FN_path_link:
  case LULLW_FN_path_open:
  case LULLW_FN_path_readlink:
  case LULLW_FN_path_remove_directory:
  case LULLW_FN_path_rename:
  case LULLW_FN_path_symlink:
  case LULLW_FN_path_unlink_file:
    return ALL;
  default:
    return NONE;
  }
}

/* The file at guest number `fd`, or NULL (the call reports EBADF). */
static lullw_file *file_at(lull_wasi *w, uint64_t fd) {
  return fd < w->nfds ? w->fds[fd] : NULL;
}

static int fd_busy(lull_wasi *w, uint64_t fd, int own_ok) {
  lullw_file *f = file_at(w, fd);
  return f && lullw_wb_busy(w, f, own_ok);
}

/* 1 when call `fn` with arguments `a` must wait for a job now. */
static int blocked(lull_wasi *w, uint32_t fn, const uint64_t *a) {
  switch (gate_class(fn)) {
  case ONE:
    return fd_busy(w, a[0], 0);
  case TWO:
    return fd_busy(w, a[0], 0) || fd_busy(w, a[1], 0);
  case WRITE:
    return fd_busy(w, a[0], 1);
  case ALL:
    return w->wb_jobs != 0;
  default:
    return 0;
  }
}

/* The write error of descriptor `fd`, taken for this call to report. A
 * close closes the descriptor all the same. */
static int32_t report(lullw_call *c, uint64_t fd) {
  lullw_file *f = file_at(c->w, fd);
  int32_t e = f ? lullw_wb_take_error(f) : 0;
  if (e && c->fn == LULLW_FN_fd_close)
    lullw_fd_remove(c->w, (uint32_t)fd);
  return e;
}

int32_t lullw_dispatch(lullw_call *c) {
  lull_wasi *w = c->w;
  if (w->wb_active) {
    int cls = gate_class(c->fn);
    if (cls != NONE && blocked(w, c->fn, c->a))
      return lullw_gate_wait(c, 0);
    if (cls == ONE || cls == TWO) {
      int32_t e = report(c, c->a[0]);
      if (!e && cls == TWO)
        e = report(c, c->a[1]);
      if (e)
        return e;
    }
  }
  return lullw_fn_impl(c->fn)(c);
}

/* ------------------------------------------------------------------ */
/* Gate requests                                                        */
/* ------------------------------------------------------------------ */

typedef struct gate_req {
  lullw_req r;
  size_t need;   /* a write waiting for room: its size; a write waiting
                    for its file's queue to be written (to be made
                    during the call): LULLW_GATE_DRAIN; else 0 */
  int armed;     /* the idle handle is started */
} gate_req;

static int gate_close(lullw_req *r) {
  uv_close((uv_handle_t *)&r->u.idle, lullw_req_closed);
  return 1;
}

static const lullw_reqtype gate_type = {NULL, NULL, gate_close};

static void gate_cb(uv_idle_t *h) {
  gate_req *g = h->data;
  uv_idle_stop(h);
  g->armed = 0;
  lullw_call c;
  memset(&c, 0, sizeof c);
  c.w = g->r.w;
  c.t = g->r.t;
  c.mem = g->r.mem;
  c.fn = g->r.fn;
  memcpy(c.a, g->r.a, sizeof c.a);
  int32_t r = lullw_dispatch(&c);
  if (r == LULLW_PENDING) {
    /* The thread now waits on the request the call started. */
    lullw_req_abort(&g->r);
    return;
  }
  if (r < 0)
    r = LULLW_EIO; /* cannot happen: the calls behind a gate never trap */
  lullw_req_complete(&g->r, r);
}

int32_t lullw_gate_wait(lullw_call *c, size_t need) {
  gate_req *g = (gate_req *)lullw_req_new(c, &gate_type, sizeof *g);
  if (!g)
    return LULLW_ENOMEM;
  uv_idle_init(c->w->loop, &g->r.u.idle);
  g->r.u.idle.data = g;
  g->need = need;
  return LULLW_PENDING;
}

/* 1 when the gate's call can be made now. A write waiting for room waits
 * for every job of the context to end while it quiesces (the scheduler
 * wants to save it, parked, once nothing is queued). */
static int ready(lull_wasi *w, const gate_req *g) {
  if (!g->need)
    return !blocked(w, g->r.fn, g->r.a);
  lullw_file *f = file_at(w, g->r.a[0]);
  if (g->need == LULLW_GATE_DRAIN)
    return !f || !lullw_wb_busy(w, f, 0);
  if (w->quiesce && w->wb_jobs)
    return 0;
  return !f || (!lullw_wb_busy(w, f, 1) && lullw_wb_room(w, f, g->need));
}

int lullw_gate_room_waiter(lull_wasi *w, const lullw_file *f) {
  for (lullw_req *r = w->reqs; r; r = r->next)
    if (r->type == &gate_type && ((gate_req *)r)->need &&
        ((gate_req *)r)->need != LULLW_GATE_DRAIN &&
        file_at(w, r->a[0]) == f)
      return 1;
  return 0;
}

void lullw_gate_kick(lull_wasi *w) {
  for (lullw_req *r = w->reqs; r; r = r->next) {
    if (r->type != &gate_type)
      continue;
    gate_req *g = (gate_req *)r;
    if (!g->armed && ready(w, g)) {
      g->armed = 1;
      uv_idle_start(&r->u.idle, gate_cb);
    }
  }
}

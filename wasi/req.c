/*
 * req.c -- the life of a request: made by a host function that is about
 * to suspend, linked into its context, handed to libuv, completed by a
 * libuv callback (which writes the results and wakes the thread), then
 * released. When the context is freed first, the request is orphaned:
 * what libuv can cancel is cancelled, handles are closed, and the request
 * frees itself when libuv lets go of it, touching nothing else.
 *
 * The order in lullw_req_complete matters: the wake callback may run the
 * guest, which may start new requests or free the whole context, so the
 * request is unlinked and released before wake is called, and nothing is
 * touched after it.
 */
#include "wasi_internal.h"

#include <stdlib.h>
#include <string.h>

lullw_req *lullw_req_new(lullw_call *c, const lullw_reqtype *type,
                         size_t size) {
  lullw_req *r = calloc(1, size);
  if (!r)
    return NULL;
  r->w = c->w;
  r->t = c->t;
  r->mem = c->mem;
  r->type = type;
  r->fn = c->fn;
  memcpy(r->a, c->a, sizeof r->a);
  r->next = c->w->reqs;
  if (r->next)
    r->next->prev = r;
  c->w->reqs = r;
  return r;
}

static void unlink_req(lullw_req *r) {
  if (!r->w)
    return;
  if (r->prev)
    r->prev->next = r->next;
  else
    r->w->reqs = r->next;
  if (r->next)
    r->next->prev = r->prev;
  r->prev = r->next = NULL;
}

/* Frees what the request holds, then the request itself, at once or
 * after the close callbacks of its handles. */
static void release(lullw_req *r) {
  if (r->type->dispose)
    r->type->dispose(r);
  if (r->uses_fs)
    uv_fs_req_cleanup(&r->u.fs);
  lullw_file_unref(r->file);
  r->file = NULL;
  free(r->deadlines);
  r->deadlines = NULL;
  r->nclosing = r->type->close ? r->type->close(r) : 0;
  if (r->nclosing == 0)
    free(r);
}

void lullw_req_closed(uv_handle_t *h) {
  lullw_req *r = h->data;
  if (--r->nclosing == 0)
    free(r);
}

void lullw_req_complete(lullw_req *r, int32_t err) {
  lull_wasi *w = r->w;
  lull_thread *t = r->t;
  lull_wasi_wake_fn wake = NULL;
  void *ud = NULL;
  r->err = err;
  if (w) {
    if (r->type->finish)
      r->type->finish(r);
    unlink_req(r);
    wake = w->wake;
    ud = w->wake_ud;
  }
  lull_val v;
  memset(&v, 0, sizeof v);
  v.type = LULL_I32;
  v.of.i32 = r->err;
  release(r);
  if (wake)
    wake(ud, t, &v, 1);
}

void lullw_req_abort(lullw_req *r) {
  unlink_req(r);
  release(r);
}

void lullw_req_fs_cb(uv_fs_t *fs) {
  lullw_req *r = fs->data;
  r->in_flight = 0;
  r->result = fs->result;
  lullw_req_complete(r, lullw_uverr(fs->result));
}

static void after_work(uv_work_t *work, int status) {
  lullw_req *r = work->data;
  r->in_flight = 0;
  if (status == UV_ECANCELED)
    r->err = LULLW_ECANCELED;
  lullw_req_complete(r, r->err);
}

int32_t lullw_req_queue(lullw_req *r, uv_work_cb work) {
  r->u.work.data = r;
  int e = uv_queue_work(r->w->loop, &r->u.work, work, after_work);
  if (e < 0) {
    lullw_req_abort(r);
    return lullw_uverr(e);
  }
  r->in_flight = 1;
  return LULLW_PENDING;
}

/* ------------------------------------------------------------------ */
/* Deferred wake: an idle handle, so the thread wakes on the next turn   */
/* of the loop. (A zero timer would not do: one started from a timer     */
/* callback runs again in the same pass, and a guest calling sched_yield */
/* in a loop would starve the loop.) An active idle handle also makes    */
/* that turn poll for I/O without blocking.                              */
/* ------------------------------------------------------------------ */

static void defer_cb(uv_idle_t *h) {
  lullw_req *r = h->data;
  uv_idle_stop(h);
  lullw_req_complete(r, r->err);
}

static int defer_close(lullw_req *r) {
  uv_close((uv_handle_t *)&r->u.idle, lullw_req_closed);
  return 1;
}

/* Exported for snapshots: a deferred wake carries a finished result. */
const lullw_reqtype lullw_defer_type = {NULL, NULL, defer_close};

int32_t lullw_defer(lullw_call *c, int32_t err) {
  lullw_req *r = lullw_req_new(c, &lullw_defer_type, sizeof *r);
  if (!r)
    return LULLW_ENOMEM;
  uv_idle_init(c->w->loop, &r->u.idle);
  r->u.idle.data = r;
  r->err = err;
  uv_idle_start(&r->u.idle, defer_cb);
  return LULLW_PENDING;
}

void lullw_req_orphan_all(lull_wasi *w) {
  while (w->reqs) {
    lullw_req *r = w->reqs;
    w->reqs = r->next;
    r->prev = r->next = NULL;
    r->w = NULL;
    if (r->in_flight)
      /* Cancelled or not, libuv calls back once; the orphan then frees
       * itself. A request already running on the pool cannot be
       * cancelled and finishes first. */
      uv_cancel((uv_req_t *)&r->u.fs);
    else
      release(r);
  }
}

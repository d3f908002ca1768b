/*
 * wb.c -- write-behind for regular files: fd_write and fd_pwrite copy the
 * guest's bytes into a chunk, queue it, and return without parking the
 * thread; a thread-pool job writes the queue in order while the guest
 * runs on. (RWF_NOWAIT does not work for buffered writes on Linux's usual
 * file systems, and a plain write may wait for dirty pages to drain, so
 * writing during the call could block the loop.)
 *
 * One job per file at a time keeps the writes in order. The job takes
 * the queue's chunks one by one until the queue is empty, so chunks
 * appended while it runs need no new trip through the loop: reading the
 * next chunk overlaps writing the previous one.
 * The queue, its byte count and the job's error are shared with the job
 * under the file's mutex; the rest is the loop thread's. When the job
 * leaves, its after-work callback (on the loop) either sends it again
 * (chunks came in after it looked) or ends it: it drops the job's
 * reference on the file, lets the context's waiting calls go on
 * (lullw_gate_kick) and, when no job is left in the context, tells the
 * embedder (the drain callback).
 *
 * Chunks are recycled: the job hands written chunks back (`done`) and the
 * next writes reuse them. Freeing them on the pool thread instead lets
 * malloc give the memory back to the kernel each time the queue empties,
 * and every new chunk then costs a page fault per page, which made a
 * copy slower than writing during the call. The kept chunks are bounded
 * by LULLW_WB_FILE_MAX. When a job ends (the pool caught up), they are
 * cut to LULLW_WB_KEEP unless a burst queued more than that in the last
 * LULLW_WB_KEEP_MS: cutting them at every job end made the next burst
 * fault its buffers in again, and a copy whose pool often catches up
 * (another process busy on the other core) ran up to 40% slower. A file
 * nobody writes any more keeps what it has until it is closed (there is
 * no job end to cut them at); they are freed with the file, and with
 * their context.
 *
 * Space: a write is acknowledged before it is made only while the file
 * system has room for it and everything the context has queued, with
 * LULLW_WB_SPACE_MARGIN to spare (checked with fstatvfs every
 * LULLW_WB_SPACE_CHECK bytes). Nearer to full, and on file systems that
 * do not count their space (proc, sysfs), writes are made during the
 * call as they were before write-behind, so the write that does not fit
 * gets ENOSPC itself, as it would natively, and nothing acknowledged is
 * lost to a full disk.
 *
 * Errors: the first write that fails stops the queue. The job drops what
 * is left (a file never gets data after a hole), keeps the errno, and
 * the next call on the descriptor reports it (lullw_wb_take_error, from
 * the gate or the next write), as the page cache leaves write errors to
 * fsync or close.
 *
 * A freed context detaches its files (lullw_wb_detach_all): their jobs
 * finish what the guest was told is written, then drop their file
 * reference, and the last one closes the descriptor. Nothing is
 * cancelled, so the data reaches the file as long as the loop runs.
 */
#include "wasi_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

int lullw_wb_eligible(const lullw_file *f) {
  /* The synchronous-I/O flags promise the data is stored when the call
   * returns: those files keep the old path. */
  const uint16_t sync = LULLW_FDF_DSYNC | LULLW_FDF_RSYNC | LULLW_FDF_SYNC;
  return f->kind == LULLW_KIND_FS && f->filetype == LULLW_FT_REGULAR &&
         !(f->fdflags & sync);
}

/* ------------------------------------------------------------------ */
/* The job, on the thread pool                                          */
/* ------------------------------------------------------------------ */

/* Writes one chunk whole: 0 or an errno. */
static int write_chunk(int fd, const lullw_chunk *k) {
  size_t done = 0;
  while (done < k->len) {
    ssize_t n = k->off < 0
                    ? write(fd, k->data + done, k->len - done)
                    : pwrite(fd, k->data + done, k->len - done,
                             (off_t)((uint64_t)k->off + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? errno : EIO;
    done += (size_t)n;
  }
  return 0;
}

static void free_chunks(lullw_chunk *k) {
  while (k) {
    lullw_chunk *next = k->next;
    free(k);
    k = next;
  }
}

/* Under the lock: `list` is written (or dropped); its chunks go back to
 * `done` while it has room, and the rest into *spill to be freed. */
static void give_back(lullw_wb *wb, lullw_chunk *list, lullw_chunk **spill) {
  while (list) {
    lullw_chunk *k = list;
    list = k->next;
    wb->bytes -= k->len;
    if (wb->done_bytes + k->cap <= LULLW_WB_FILE_MAX) {
      k->next = wb->done;
      wb->done = k;
      wb->done_bytes += k->cap;
    } else {
      k->next = *spill;
      *spill = k;
    }
  }
}

/* One chunk at a time, so that `bytes` falls as the job goes: a write
 * waiting for room (want_room) is let go once the queue is down to
 * LULLW_WB_LOW, by the job leaving early; its after-work callback sends it
 * again for the rest and starts the waiting call. Otherwise the waiter
 * would sit out the whole queue with the guest's core idle. The job also
 * leaves after LULLW_WB_TURN bytes: sent again, it queues behind the
 * pool's other work, so a guest that writes all the time cannot keep a
 * pool thread from every other file operation on the loop. */
static void work(uv_work_t *req) {
  lullw_wb *wb = req->data;
  int fd = wb->file->fd;
  size_t turn = 0;
  for (;;) {
    lullw_chunk *spill = NULL;
    uv_mutex_lock(&wb->lock);
    lullw_chunk *k = wb->head;
    if (!k || wb->host_err || turn >= LULLW_WB_TURN ||
        (wb->want_room && wb->bytes <= LULLW_WB_LOW)) {
      /* Empty, stopped by an error (what is queued is dropped), at the
       * end of its turn, or leaving early for a waiting write. */
      if (wb->host_err) {
        give_back(wb, wb->head, &spill);
        wb->head = wb->tail = NULL;
      }
      wb->worker = 0;
      uv_mutex_unlock(&wb->lock);
      free_chunks(spill);
      return;
    }
    wb->head = k->next;
    if (!wb->head)
      wb->tail = NULL;
    k->next = NULL;
    uv_mutex_unlock(&wb->lock);
    turn += k->len;
    int e = write_chunk(fd, k);
    uv_mutex_lock(&wb->lock);
    give_back(wb, k, &spill);
    if (e && !wb->host_err)
      wb->host_err = e;
    uv_mutex_unlock(&wb->lock);
    free_chunks(spill);
  }
}

/* ------------------------------------------------------------------ */
/* The loop's side                                                      */
/* ------------------------------------------------------------------ */

static void after_work(uv_work_t *req, int status);

/* Puts `wb` on its context's list of active files. */
static void activate(lull_wasi *w, lullw_wb *wb) {
  if (wb->w)
    return;
  wb->w = w;
  wb->prev = NULL;
  wb->next = w->wb_active;
  if (wb->next)
    wb->next->prev = wb;
  w->wb_active = wb;
}

static void deactivate(lullw_wb *wb) {
  lull_wasi *w = wb->w;
  if (!w)
    return;
  if (wb->prev)
    wb->prev->next = wb->next;
  else
    w->wb_active = wb->next;
  if (wb->next)
    wb->next->prev = wb->prev;
  wb->prev = wb->next = NULL;
  wb->w = NULL;
}

/* Hands the job to the pool (wb->worker is already 1). A pool that
 * refuses (it cannot, short of a bug) stops the queue like a failed
 * write. */
static int submit(lullw_wb *wb) {
  wb->work.data = wb;
  int e = uv_queue_work(wb->loop, &wb->work, work, after_work);
  if (e < 0) {
    uv_mutex_lock(&wb->lock);
    lullw_chunk *list = wb->head;
    wb->head = wb->tail = NULL;
    for (lullw_chunk *k = list; k; k = k->next)
      wb->bytes -= k->len;
    wb->worker = 0;
    if (!wb->host_err)
      wb->host_err = EIO;
    uv_mutex_unlock(&wb->lock);
    free_chunks(list);
    return -1;
  }
  if (!wb->job) {
    wb->job = 1;
    lullw_file_ref(wb->file);
    if (wb->w)
      wb->w->wb_jobs++;
  }
  return 0;
}

/* Frees written chunks beyond `keep` bytes. */
static void trim(lullw_wb *wb, size_t keep) {
  lullw_chunk *spill = NULL;
  uv_mutex_lock(&wb->lock);
  while (wb->done && wb->done_bytes > keep) {
    lullw_chunk *k = wb->done;
    wb->done = k->next;
    wb->done_bytes -= k->cap;
    k->next = spill;
    spill = k;
  }
  uv_mutex_unlock(&wb->lock);
  free_chunks(spill);
}

static void after_work(uv_work_t *req, int status) {
  (void)status; /* never cancelled */
  lullw_wb *wb = req->data;
  lull_wasi *w = wb->w;
  uv_mutex_lock(&wb->lock);
  int more = wb->head != NULL;
  int failed = wb->host_err != 0;
  wb->want_room = 0;
  if (more)
    wb->worker = 1;
  uv_mutex_unlock(&wb->lock);
  /* Chunks came in after the job last looked, or it left early to make
   * room: it goes again, and a write waiting for room goes on. */
  if (more && submit(wb) == 0) {
    if (w)
      lullw_gate_kick(w);
    return;
  }
  wb->job = 0;
  lullw_file *f = wb->file;
  uint64_t now = uv_now(wb->loop);
  if (wb->peak > LULLW_WB_KEEP)
    wb->big_at = now;
  wb->peak = 0;
  if (!w)
    trim(wb, 0);
  else if (now - wb->big_at >= LULLW_WB_KEEP_MS &&
           !lullw_gate_room_waiter(w, f))
    trim(wb, LULLW_WB_KEEP);
  if (w) {
    w->wb_jobs--;
    if (!failed)
      deactivate(wb); /* nothing left to report */
  }
  /* The job's reference: the descriptor may close, and `wb` go, here. */
  lullw_file_unref(f);
  if (!w)
    return;
  lullw_gate_kick(w);
  /* Last, so the callback may do anything (it is not inside lull). */
  if (!w->wb_jobs && w->drain)
    w->drain(w->drain_ud, w);
}

static lullw_wb *wb_new(lullw_file *f, uv_loop_t *loop) {
  lullw_wb *wb = calloc(1, sizeof *wb);
  if (!wb)
    return NULL;
  if (uv_mutex_init(&wb->lock) != 0) {
    free(wb);
    return NULL;
  }
  wb->loop = loop;
  wb->file = f;
  return wb;
}

void lullw_wb_free(lullw_wb *wb) {
  if (!wb)
    return;
  deactivate(wb);
  free_chunks(wb->head); /* none: a queue always has a job */
  free_chunks(wb->done);
  uv_mutex_destroy(&wb->lock);
  free(wb);
}

/* Bytes queued for `wb` now. */
static size_t queued(lullw_wb *wb) {
  uv_mutex_lock(&wb->lock);
  size_t n = wb->bytes;
  uv_mutex_unlock(&wb->lock);
  return n;
}

int lullw_wb_room(lull_wasi *w, const lullw_file *f, size_t len) {
  size_t mine = f->wb ? queued(f->wb) : 0, all = 0;
  if (mine && mine + len > LULLW_WB_FILE_MAX)
    return 0;
  for (lullw_wb *wb = w->wb_active; wb; wb = wb->next)
    all += queued(wb);
  return !all || all + len <= LULLW_WB_CTX_MAX;
}

int lullw_wb_busy(lull_wasi *w, const lullw_file *f, int own_ok) {
  for (lullw_wb *wb = w->wb_active; wb; wb = wb->next) {
    if (!wb->job)
      continue;
    const lullw_file *g = wb->file;
    if (g == f) {
      if (!own_ok)
        return 1;
    } else if (f->filetype == LULLW_FT_REGULAR && g->ino == f->ino &&
               g->dev == f->dev) {
      return 1;
    }
  }
  return 0;
}

int32_t lullw_wb_take_error(lullw_file *f) {
  lullw_wb *wb = f->wb;
  if (!wb)
    return 0;
  lullw_chunk *spill = NULL;
  uv_mutex_lock(&wb->lock);
  int e = wb->host_err;
  wb->host_err = 0;
  /* What was queued before the error is reported is dropped here, not
   * left for the job: once the error is taken the job would write it,
   * after the hole the failure left. (Chunks the job had taken are
   * dropped by the job itself when the write fails.) */
  if (e) {
    give_back(wb, wb->head, &spill);
    wb->head = wb->tail = NULL;
  }
  uv_mutex_unlock(&wb->lock);
  free_chunks(spill);
  if (e && !wb->job)
    deactivate(wb);
  return e ? lullw_errno(e) : 0;
}

/* A chunk for `len` bytes: a written one of about that size, else a new
 * one. */
static lullw_chunk *chunk_for(lullw_wb *wb, size_t len) {
  lullw_chunk **at, *k = NULL;
  uv_mutex_lock(&wb->lock);
  for (at = &wb->done; *at; at = &(*at)->next)
    if ((*at)->cap >= len && (*at)->cap / 2 <= len) {
      k = *at;
      *at = k->next;
      wb->done_bytes -= k->cap;
      break;
    }
  uv_mutex_unlock(&wb->lock);
  if (!k && (k = malloc(sizeof *k + len)) != NULL)
    k->cap = len;
  return k;
}

/* 1 when `len` more bytes may be queued for `f` (see Space above). */
static int space_ok(lull_wasi *w, lullw_file *f, size_t len) {
  if (f->wb_credit >= len) {
    f->wb_credit -= len;
    return 1;
  }
  f->wb_credit = 0;
  struct statvfs st;
  if (fstatvfs(f->fd, &st) != 0 || st.f_blocks == 0)
    return 0;
  uint64_t avail = (uint64_t)st.f_bavail * st.f_frsize;
  uint64_t need = lull_wasi_pending_writes(w) + len + LULLW_WB_SPACE_MARGIN;
  if (avail < need)
    return 0;
  uint64_t credit = avail - need;
  f->wb_credit = credit < LULLW_WB_SPACE_CHECK ? credit : LULLW_WB_SPACE_CHECK;
  return 1;
}

int32_t lullw_wb_write(lullw_call *c, lullw_file *f, const lullw_iovs *v,
                       int64_t off, uint32_t out_ptr) {
  size_t len = v->total < LULLW_IO_MAX ? (size_t)v->total : LULLW_IO_MAX;
  int32_t err = lullw_wb_take_error(f);
  if (err)
    return err;
  if (!len)
    return lullw_put_u32(c->mem, out_ptr, 0);
  if (!space_ok(c->w, f, len)) {
    /* Made during the call, after what is queued for the file. */
    if (f->wb && lullw_wb_busy(c->w, f, 0))
      return lullw_gate_wait(c, LULLW_GATE_DRAIN);
    return LULLW_DIRECT;
  }
  if (!lullw_wb_room(c->w, f, len)) {
    /* Every job of the context (the one over the bound may be another
     * file's) lets the waiter go as soon as it has made room; while the
     * context quiesces, the waiter waits for all of it (wb_gate.c). */
    for (lullw_wb *o = c->w->wb_active; o && !c->w->quiesce; o = o->next) {
      uv_mutex_lock(&o->lock);
      o->want_room = 1;
      uv_mutex_unlock(&o->lock);
    }
    return lullw_gate_wait(c, len);
  }
  if (!f->wb && !(f->wb = wb_new(f, c->w->loop)))
    return LULLW_ENOMEM;
  lullw_wb *wb = f->wb;
  lullw_chunk *k = chunk_for(wb, len);
  if (!k)
    return LULLW_ENOMEM;
  k->next = NULL;
  k->off = off;
  k->len = len;
  if ((err = lullw_iovs_gather(c->mem, v, k->data, len)) != 0 ||
      (err = lullw_put_u32(c->mem, out_ptr, (uint32_t)len)) != 0) {
    free(k);
    return err;
  }
  activate(c->w, wb);
  uv_mutex_lock(&wb->lock);
  if (wb->tail)
    wb->tail->next = k;
  else
    wb->head = k;
  wb->tail = k;
  wb->bytes += len;
  if (wb->bytes > wb->peak)
    wb->peak = wb->bytes;
  /* A job that is still running takes the chunk; one that has left but
   * whose after-work callback has not run yet is sent again from there. */
  int start = !wb->worker && !wb->job;
  if (start)
    wb->worker = 1;
  uv_mutex_unlock(&wb->lock);
  if (start)
    submit(wb); /* on failure the next call reports EIO */
  return 0;
}

int lull_wasi_write_error(const lull_wasi *w, uint32_t *guest_fd) {
  if (!w)
    return 0;
  for (lullw_wb *wb = w->wb_active; wb; wb = wb->next) {
    uv_mutex_lock(&wb->lock);
    int e = wb->host_err;
    uv_mutex_unlock(&wb->lock);
    if (!e)
      continue;
    if (guest_fd) {
      *guest_fd = UINT32_MAX;
      for (uint32_t i = 0; i < w->nfds; i++)
        if (w->fds[i] == wb->file) {
          *guest_fd = i;
          break;
        }
    }
    return e;
  }
  return 0;
}

void lullw_wb_detach_all(lull_wasi *w) {
  while (w->wb_active)
    deactivate(w->wb_active);
  w->wb_jobs = 0;
}

/* ------------------------------------------------------------------ */
/* The embedder's view                                                  */
/* ------------------------------------------------------------------ */

size_t lull_wasi_pending_writes(const lull_wasi *w) {
  size_t n = 0;
  if (!w)
    return 0;
  for (lullw_wb *wb = w->wb_active; wb; wb = wb->next)
    n += queued(wb);
  return n;
}

void lull_wasi_set_drain_cb(lull_wasi *w, lull_wasi_drain_fn cb, void *ud) {
  if (!w)
    return;
  w->drain = cb;
  w->drain_ud = ud;
}

void lull_wasi_set_quiesce(lull_wasi *w, int on) {
  if (!w)
    return;
  w->quiesce = on != 0;
  /* Writers held back for it may go on now. */
  if (!on)
    lullw_gate_kick(w);
}

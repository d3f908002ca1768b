/*
 * poll.c -- poll_oneoff: wait for the first of several clocks and
 * descriptor readiness events.
 *
 * The subscriptions are read once and checked against "now" without
 * blocking (collect). If nothing is ready the thread parks with one
 * uv_timer for the earliest clock deadline and one uv_poll per pipe,
 * terminal or socket subscription; whichever fires first makes collect
 * run again, and the thread wakes with every event that is ready then.
 * Regular files and directories are always ready, as in POSIX poll.
 *
 * Every clock deadline is kept as an absolute monotonic time and as the
 * matching realtime, which is what a snapshot carries: restored on another
 * machine, a sleep ends at the same wall-clock time.
 */
#include "wasi_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SUBS 65536u
#define NONE UINT64_MAX

typedef struct psub {
  uint64_t userdata;
  uint8_t type;     /* eventtype: 0 clock, 1 fd_read, 2 fd_write */
  uint16_t error;   /* found while reading: the event is ready at once */
  uint64_t mono;    /* clock deadline, monotonic ns */
  uint64_t real;    /* the same, realtime ns */
  lullw_file *file; /* fd subscriptions: reference held */
} psub;

typedef struct poll_req {
  lullw_req r;
  uint32_t out_ptr, nevents_ptr, nsubs;
  psub *subs;
  uint8_t *events; /* nsubs event records, host side */
  uint32_t nevents;
  int timer_active;
  uint32_t nwaits;
  uint32_t *wait_sub; /* subscription of each waiter */
  lullw_waiter waits[];
} poll_req;

static uint64_t add_sat(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The deadline on the other clock: same distance from now. */
static uint64_t shift(uint64_t t, uint64_t now_from, uint64_t now_to) {
  return t <= now_from ? now_to : add_sat(now_to, t - now_from);
}

/* Reads subscription `i` at `p`. Returns 0, or INVAL for an unknown tag
 * (the whole call fails); a bad subscription gets an error event. */
static int32_t read_sub(lullw_call *c, const uint8_t *p, uint32_t i,
                        psub *s, uint64_t now_mono, uint64_t now_real) {
  memset(s, 0, sizeof *s);
  s->userdata = lullw_ld64(p);
  s->type = p[8];
  s->mono = s->real = NONE;
  if (s->type == 0) {
    uint32_t id = lullw_ld32(p + 16);
    uint64_t timeout = lullw_ld64(p + 24);
    uint16_t flags = lullw_ld16(p + 40);
    if (flags & ~1u) {
      s->error = LULLW_EINVAL;
    } else if (id == 2 || id == 3) {
      s->error = LULLW_ENOTSUP; /* CPU time cannot be waited for */
    } else if (id > 3) {
      s->error = LULLW_EINVAL;
    } else if (c->rearm && c->deadlines && c->deadlines[i] != NONE) {
      s->real = c->deadlines[i];
      s->mono = shift(s->real, now_real, now_mono);
    } else if (!(flags & 1)) {
      s->mono = add_sat(now_mono, timeout);
      s->real = add_sat(now_real, timeout);
    } else if (id == 0) {
      s->real = timeout;
      s->mono = shift(timeout, now_real, now_mono);
    } else {
      s->mono = timeout;
      s->real = shift(timeout, now_mono, now_real);
    }
    return 0;
  }
  if (s->type == 1 || s->type == 2) {
    int32_t err;
    lullw_file *f = lullw_fd_get(c->w, lullw_ld32(p + 16),
                                 LULLW_R_POLL_FD_READWRITE, &err);
    if (!f) {
      s->error = (uint16_t)err;
      return 0;
    }
    lullw_file_ref(f);
    s->file = f;
    return 0;
  }
  return LULLW_EINVAL;
}

static int sub_events(const psub *s) {
  return s->type == 1 ? UV_READABLE : UV_WRITABLE;
}

static int is_stream(const psub *s) {
  return !s->error && s->file && s->file->kind != LULLW_KIND_FS;
}

/* Checks every subscription now; writes the ready ones' events to
 * q->events and returns how many. */
static uint32_t collect(poll_req *q) {
  uint64_t now = lullw_now_mono();
  uint32_t n = 0;
  for (uint32_t i = 0; i < q->nsubs; i++) {
    const psub *s = &q->subs[i];
    int ready = 0;
    uint64_t nbytes = 0;
    uint16_t flags = 0;
    if (s->error) {
      ready = 1;
    } else if (s->type == 0) {
      ready = now >= s->mono;
    } else if (s->file->kind == LULLW_KIND_FS) {
      ready = 1;
      struct stat st;
      if (s->type == 1 && fstat(s->file->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t at = lseek(s->file->fd, 0, SEEK_CUR);
        if (at >= 0 && st.st_size > at)
          nbytes = (uint64_t)(st.st_size - at);
      }
    } else {
      int r = lullw_stream_ready(s->file->fd, sub_events(s));
      ready = (r & sub_events(s)) != 0;
      if (ready && s->type == 1) {
        int avail = 0;
        if (ioctl(s->file->fd, FIONREAD, &avail) == 0 && avail > 0)
          nbytes = (uint64_t)avail;
      }
      if (r & UV_DISCONNECT)
        flags = 1; /* fd_readwrite_hangup */
    }
    if (!ready)
      continue;
    uint8_t *e = q->events + (size_t)n * LULLW_EVENT_SIZE;
    memset(e, 0, LULLW_EVENT_SIZE);
    lullw_st64(e, s->userdata);
    lullw_st16(e + 8, s->error);
    e[10] = s->type;
    lullw_st64(e + 16, nbytes);
    lullw_st16(e + 24, flags);
    n++;
  }
  q->nevents = n;
  return n;
}

static void poll_finish(lullw_req *r) {
  poll_req *q = (poll_req *)r;
  if (r->err)
    return;
  uint8_t *p =
      lullw_mem(r->mem, q->out_ptr, (uint64_t)q->nevents * LULLW_EVENT_SIZE);
  if (!p) {
    r->err = LULLW_EFAULT;
    return;
  }
  memcpy(p, q->events, (size_t)q->nevents * LULLW_EVENT_SIZE);
  r->err = lullw_put_u32(r->mem, q->nevents_ptr, q->nevents);
}

static void poll_dispose(lullw_req *r) {
  poll_req *q = (poll_req *)r;
  if (q->subs)
    for (uint32_t i = 0; i < q->nsubs; i++)
      lullw_file_unref(q->subs[i].file);
  free(q->subs);
  free(q->events);
  free(q->wait_sub);
  q->subs = NULL;
  q->events = NULL;
  q->wait_sub = NULL;
}

static int poll_close(lullw_req *r) {
  poll_req *q = (poll_req *)r;
  int n = 0;
  if (q->timer_active) {
    q->timer_active = 0;
    uv_close((uv_handle_t *)&r->u.timer, lullw_req_closed);
    n++;
  }
  for (uint32_t i = 0; i < q->nwaits; i++)
    n += lullw_waiter_close(&q->waits[i]);
  return n;
}

static const lullw_reqtype poll_type = {poll_finish, poll_dispose,
                                        poll_close};

static void timer_cb(uv_timer_t *h);

/* Sets the timer for the earliest clock still to come. */
static void arm_timer(poll_req *q) {
  uint64_t first = NONE;
  for (uint32_t i = 0; i < q->nsubs; i++)
    if (!q->subs[i].error && q->subs[i].type == 0 && q->subs[i].mono < first)
      first = q->subs[i].mono;
  if (first == NONE)
    return;
  uint64_t now = lullw_now_mono();
  uint64_t ms = first > now ? (first - now + 999999) / 1000000 : 0;
  uv_timer_start(&q->r.u.timer, timer_cb, ms, 0);
}

static void timer_cb(uv_timer_t *h) {
  poll_req *q = h->data;
  if (collect(q) > 0)
    lullw_req_complete(&q->r, 0);
  else
    arm_timer(q); /* woke a little early: the loop's clock is coarse */
}

static void wait_cb(uv_poll_t *h, int status, int events) {
  poll_req *q = h->data;
  if (status < 0) {
    lullw_waiter *wt = (lullw_waiter *)((char *)h - offsetof(lullw_waiter, h));
    psub *s = &q->subs[q->wait_sub[wt - q->waits]];
    s->error = (uint16_t)lullw_uverr(status);
  }
  if (collect(q) > 0)
    lullw_req_complete(&q->r, 0);
}

int32_t lullw_poll_oneoff(lullw_call *c) {
  uint32_t in = LULLW_U32(c, 0), out = LULLW_U32(c, 1);
  uint32_t nsubs = LULLW_U32(c, 2), nev = LULLW_U32(c, 3);
  if (nsubs == 0 || nsubs > MAX_SUBS)
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, in, (uint64_t)nsubs * LULLW_SUB_SIZE) ||
      !lullw_mem(c->mem, out, (uint64_t)nsubs * LULLW_EVENT_SIZE) ||
      !lullw_mem(c->mem, nev, 4))
    return LULLW_EFAULT;

  /* Read the subscriptions first: the request is sized by how many of
   * them need a uv_poll handle. */
  psub *subs = calloc(nsubs, sizeof *subs);
  if (!subs)
    return LULLW_ENOMEM;
  uint64_t now_mono = lullw_now_mono(), now_real = lullw_now_real();
  const uint8_t *p = lullw_mem(c->mem, in, (uint64_t)nsubs * LULLW_SUB_SIZE);
  uint32_t nstreams = 0, i;
  int32_t err = 0;
  for (i = 0; i < nsubs && !err; i++) {
    err = read_sub(c, p + (size_t)i * LULLW_SUB_SIZE, i, &subs[i], now_mono,
                   now_real);
    nstreams += !err && is_stream(&subs[i]);
  }
  if (err) {
    for (uint32_t k = 0; k < i; k++)
      lullw_file_unref(subs[k].file);
    free(subs);
    return err;
  }

  poll_req *q = (poll_req *)lullw_req_new(
      c, &poll_type, sizeof *q + (size_t)nstreams * sizeof(lullw_waiter));
  if (!q) {
    for (uint32_t k = 0; k < nsubs; k++)
      lullw_file_unref(subs[k].file);
    free(subs);
    return LULLW_ENOMEM;
  }
  q->subs = subs;
  q->nsubs = nsubs;
  q->out_ptr = out;
  q->nevents_ptr = nev;
  q->events = malloc((size_t)nsubs * LULLW_EVENT_SIZE);
  q->wait_sub = malloc((size_t)(nstreams ? nstreams : 1) * sizeof(uint32_t));
  q->r.deadlines = malloc((size_t)nsubs * sizeof(uint64_t));
  if (!q->events || !q->wait_sub || !q->r.deadlines) {
    lullw_req_abort(&q->r);
    return LULLW_ENOMEM;
  }
  q->r.ndeadlines = nsubs;
  for (i = 0; i < nsubs; i++)
    q->r.deadlines[i] = subs[i].type == 0 && !subs[i].error ? subs[i].real
                                                            : NONE;

  if (collect(q) > 0) {
    /* Something is ready already: answer without parking. */
    q->r.err = 0;
    poll_finish(&q->r);
    err = q->r.err;
    lullw_req_abort(&q->r);
    return err;
  }

  uv_timer_init(c->w->loop, &q->r.u.timer);
  q->r.u.timer.data = q;
  q->timer_active = 1;
  arm_timer(q);
  for (i = 0; i < nsubs; i++) {
    if (!is_stream(&subs[i]))
      continue;
    q->wait_sub[q->nwaits] = i;
    lullw_waiter *wt = &q->waits[q->nwaits++];
    err = lullw_waiter_start(&q->r, wt, subs[i].file->fd,
                             sub_events(&subs[i]), wait_cb);
    if (err) {
      lullw_req_abort(&q->r);
      return err;
    }
  }
  return LULLW_PENDING;
}

/*
 * proc.c -- proc_exit, proc_raise, sched_yield and random_get.
 *
 * proc_exit unwinds the guest with a trap whose message is "exit N" and
 * records N for lull_wasi_exited. proc_raise follows each signal's
 * default action: those that are ignored by default return success, those
 * that stop a process are not supported, and the rest end the guest with
 * a trap naming the signal. sched_yield parks the thread until the next
 * turn of the loop. random_get reads the host's random source (getrandom
 * through libuv), which only blocks before the system has gathered
 * entropy at boot, but costs about a millisecond per MiB: requests up to
 * LULLW_RANDOM_INLINE bytes are filled during the call, larger ones on
 * the thread pool (the thread parks), so a guest asking for a GiB does
 * not hold up the loop and every other guest on it.
 */
#include "wasi_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t lullw_proc_exit(lullw_call *c) {
  uint32_t code = LULLW_U32(c, 0);
  c->w->exited = 1;
  c->w->exit_code = code;
  snprintf(c->msg, sizeof c->msg, "exit %u", code);
  return LULLW_TRAP;
}

/* WASI's signal numbers, in order. */
static const char *const signal_names[] = {
    "SIGNONE", "SIGHUP",  "SIGINT",  "SIGQUIT",   "SIGILL",  "SIGTRAP",
    "SIGABRT", "SIGBUS",  "SIGFPE",  "SIGKILL",   "SIGUSR1", "SIGSEGV",
    "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",   "SIGCHLD", "SIGCONT",
    "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU",   "SIGURG",  "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGPOLL", "SIGPWR",
    "SIGSYS"};

int32_t lullw_proc_raise(lullw_call *c) {
  uint32_t sig = LULLW_U32(c, 0);
  if (sig >= sizeof signal_names / sizeof signal_names[0])
    return LULLW_EINVAL;
  switch (sig) {
  case 0:  /* no signal: only checks */
  case 16: /* SIGCHLD */
  case 17: /* SIGCONT */
  case 22: /* SIGURG */
  case 27: /* SIGWINCH */
    return 0;
  case 18: /* SIGSTOP */
  case 19: /* SIGTSTP */
  case 20: /* SIGTTIN */
  case 21: /* SIGTTOU */
    return LULLW_ENOTSUP;
  default:
    snprintf(c->msg, sizeof c->msg, "proc_raise: %s", signal_names[sig]);
    return LULLW_TRAP;
  }
}

int32_t lullw_sched_yield(lullw_call *c) { return lullw_defer(c, 0); }

/* A large random_get: a pool job fills a host buffer (the guest's memory
 * may move while the job runs), the loop copies it into the guest, and
 * the job goes again until the guest's buffer is full. One piece at a
 * time, so a 1 GiB request holds 1 MiB of host memory, and other pool
 * work gets its turn between pieces. */
typedef struct random_req {
  lullw_req r;
  uint32_t ptr, len, done;
  uint32_t piece;   /* bytes the running job fills */
  uint8_t *buf;     /* LULLW_RANDOM_PIECE bytes */
} random_req;

static void random_dispose(lullw_req *r) { free(((random_req *)r)->buf); }

static const lullw_reqtype random_type = {NULL, random_dispose, NULL};

static void random_work(uv_work_t *work) {
  random_req *q = work->data;
  int e = uv_random(NULL, NULL, q->buf, q->piece, 0, NULL);
  q->r.err = e < 0 ? lullw_uverr(e) : 0;
}

static void random_after(uv_work_t *work, int status) {
  random_req *q = work->data;
  q->r.in_flight = 0;
  if (status == UV_ECANCELED)
    q->r.err = LULLW_ECANCELED;
  if (!q->r.w || q->r.err) {
    lullw_req_complete(&q->r, q->r.err);
    return;
  }
  uint8_t *p = lullw_mem(q->r.mem, (uint64_t)q->ptr + q->done, q->piece);
  if (!p) {
    lullw_req_complete(&q->r, LULLW_EFAULT);
    return;
  }
  memcpy(p, q->buf, q->piece);
  q->done += q->piece;
  if (q->done == q->len) {
    lullw_req_complete(&q->r, 0);
    return;
  }
  q->piece = q->len - q->done < LULLW_RANDOM_PIECE ? q->len - q->done
                                                    : LULLW_RANDOM_PIECE;
  int e = uv_queue_work(q->r.w->loop, &q->r.u.work, random_work, random_after);
  if (e < 0) {
    lullw_req_complete(&q->r, lullw_uverr(e));
    return;
  }
  q->r.in_flight = 1;
}

int32_t lullw_random_get(lullw_call *c) {
  uint32_t ptr = LULLW_U32(c, 0), len = LULLW_U32(c, 1);
  if (!lullw_mem(c->mem, ptr, len))
    return LULLW_EFAULT;
  if (len <= LULLW_RANDOM_INLINE) {
    /* Small requests (every libc seeding its generator) cost less than
     * a trip to the pool would. */
    int e = uv_random(NULL, NULL, lullw_mem(c->mem, ptr, len), len, 0, NULL);
    return e < 0 ? lullw_uverr(e) : 0;
  }
  random_req *q = (random_req *)lullw_req_new(c, &random_type, sizeof *q);
  if (!q)
    return LULLW_ENOMEM;
  q->ptr = ptr;
  q->len = len;
  q->piece = len < LULLW_RANDOM_PIECE ? len : LULLW_RANDOM_PIECE;
  if (!(q->buf = malloc(q->piece))) {
    lullw_req_abort(&q->r);
    return LULLW_ENOMEM;
  }
  q->r.u.work.data = q;
  int e = uv_queue_work(c->w->loop, &q->r.u.work, random_work, random_after);
  if (e < 0) {
    lullw_req_abort(&q->r);
    return lullw_uverr(e);
  }
  q->r.in_flight = 1;
  return LULLW_PENDING;
}

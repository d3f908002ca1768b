/*
 * sched.c -- the scheduler: its queues and the one uv_idle_t callback that
 * serves them.
 *
 * Why an idle handle: while an idle handle is active, libuv polls for I/O
 * without blocking, and every loop iteration runs due timers first, then
 * the idle callbacks, then I/O callbacks. So each turn of ours is bounded
 * (one slice per ready task, at most cfg.turn_ns of run time) and
 * everything else on the loop runs between two turns. When no task is
 * ready the handle is stopped and the loop sleeps in the kernel until a
 * request completes.
 */
#include <stdlib.h>

#include "loop_internal.h"

void lull_uv_config_init(lull_uv_config *cfg) {
  if (!cfg)
    return;
  cfg->fuel_slice = LULL_UV_DEFAULT_FUEL_SLICE;
  cfg->slice_ns = LULL_UV_DEFAULT_SLICE_NS;
  cfg->turn_ns = LULL_UV_DEFAULT_TURN_NS;
}

/* Frees the struct once libuv has let go of the idle handle. */
static void on_idle_closed(uv_handle_t *h) { free(h->data); }

/* The actual free: every task (without callbacks), then the handle. */
static void sched_destroy(lull_uv_sched *s) {
  lullu_link *n;
  while ((n = lullu_list_pop(&s->all)) != NULL) {
    lull_uv_task *task = LULLU_CONTAINER(n, lull_uv_task, all);
    lullu_task_destroy(task);
  }
  uv_close((uv_handle_t *)&s->idle, on_idle_closed);
}

/* 1 when the idle callback has something to do. */
static int has_work(const lull_uv_sched *s) {
  if (!lullu_list_empty(&s->ready) || !lullu_list_empty(&s->done))
    return 1;
  for (const lullu_link *n = s->snaps.next; n != &s->snaps; n = n->next)
    if (lullu_task_can_snapshot(LULLU_CONTAINER(n, lull_uv_task, snap)))
      return 1;
  return 0;
}

/* Takes every pending snapshot whose task can be saved now. A callback
 * may kill tasks or free the scheduler, so the walk restarts after each. */
static void take_snapshots(lull_uv_sched *s) {
  for (;;) {
    lull_uv_task *found = NULL;
    for (lullu_link *n = s->snaps.next; n != &s->snaps; n = n->next) {
      lull_uv_task *task = LULLU_CONTAINER(n, lull_uv_task, snap);
      if (lullu_task_can_snapshot(task)) {
        found = task;
        break;
      }
    }
    if (!found || s->free_requested)
      return;
    lullu_task_take_snapshot(found);
  }
}

static void reap_done(lull_uv_sched *s) {
  lullu_link *n;
  while (!s->free_requested && (n = lullu_list_pop(&s->done)) != NULL)
    lullu_task_reap(LULLU_CONTAINER(n, lull_uv_task, node));
}

/* One turn. Exit callbacks and snapshots first (they free memory and
 * answer the embedder soonest), then one slice for each task that was
 * ready when the turn began, in order, until the budget is spent; tasks
 * parked on fuel go to the back, so the next turn starts with whoever did
 * not get a slice. */
static void on_idle(uv_idle_t *h) {
  lull_uv_sched *s = h->data;
  s->busy = 1;
  uint64_t start = uv_hrtime();
  reap_done(s);
  take_snapshots(s);
  /* Count the tasks ready now: those parked again during the turn are
   * appended behind them and wait for the next turn. */
  size_t n = 0;
  for (lullu_link *l = s->ready.next; l != &s->ready; l = l->next)
    n++;
  while (n-- > 0 && !s->free_requested) {
    lullu_link *l = lullu_list_pop(&s->ready);
    if (!l)
      break;
    lull_uv_task *task = LULLU_CONTAINER(l, lull_uv_task, node);
    if (task->snap_cb && lull_wasi_pending_writes(task->wasi)) {
      /* A snapshot waits for its queued writes: hold the task until they
       * are written (lullu_task_on_drain), or a guest that writes all
       * the time could never be saved. */
      task->held = 1;
      continue;
    }
    lullu_task_run_slice(task);
    if (uv_hrtime() - start >= s->cfg.turn_ns)
      break;
  }
  reap_done(s);
  s->busy = 0;
  if (s->free_requested) {
    sched_destroy(s);
    return;
  }
  if (!has_work(s))
    uv_idle_stop(&s->idle);
}

void lullu_sched_kick(lull_uv_sched *s) {
  if (!s->free_requested)
    uv_idle_start(&s->idle, on_idle);
}

lull_uv_sched *lull_uv_sched_new(uv_loop_t *loop, lull_engine *e,
                                 const lull_uv_config *cfg) {
  if (!loop || !e)
    return NULL;
  lull_uv_sched *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  lull_uv_config_init(&s->cfg);
  if (cfg) {
    if (cfg->fuel_slice)
      s->cfg.fuel_slice = cfg->fuel_slice;
    if (cfg->slice_ns)
      s->cfg.slice_ns = cfg->slice_ns;
    if (cfg->turn_ns)
      s->cfg.turn_ns = cfg->turn_ns;
  }
  s->loop = loop;
  s->engine = e;
  lullu_list_init(&s->all);
  lullu_list_init(&s->ready);
  lullu_list_init(&s->done);
  lullu_list_init(&s->snaps);
  if (uv_idle_init(loop, &s->idle) != 0) {
    free(s);
    return NULL;
  }
  s->idle.data = s;
  return s;
}

void lull_uv_sched_free(lull_uv_sched *s) {
  if (!s || s->free_requested)
    return;
  s->free_requested = 1;
  if (!s->busy)
    sched_destroy(s);
}

uv_loop_t *lull_uv_sched_loop(const lull_uv_sched *s) {
  return s ? s->loop : NULL;
}

lull_engine *lull_uv_sched_engine(const lull_uv_sched *s) {
  return s ? s->engine : NULL;
}

size_t lull_uv_sched_count(const lull_uv_sched *s) { return s ? s->count : 0; }

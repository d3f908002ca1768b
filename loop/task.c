/*
 * task.c -- one guest on the scheduler: spawning it, running a slice,
 * waking, killing, and ending it with its exit callback.
 */
#include <stdlib.h>
#include <string.h>

#include "loop_internal.h"

/* ---------------------------------------------------------------------
 * Making and freeing
 * ------------------------------------------------------------------- */

void lull_uv_task_config_init(lull_uv_task_config *cfg) {
  if (!cfg)
    return;
  memset(cfg, 0, sizeof *cfg);
  lull_wasi_config_init(&cfg->wasi);
}

lull_uv_task *lullu_task_alloc(lull_uv_sched *s) {
  lull_uv_task *task = lull_calloc(s->engine, 1, sizeof *task);
  if (!task)
    return NULL;
  task->sched = s;
  task->state = LULL_UV_READY;
  lullu_list_push(&s->all, &task->all);
  s->count++;
  return task;
}

void lullu_task_release(lull_uv_task *task) {
  lullu_list_remove(&task->node);
  lullu_list_remove(&task->snap);
  /* The WASI context first: it cancels requests that would otherwise
   * complete into a freed instance. */
  if (task->wasi)
    lull_wasi_free(task->wasi);
  if (task->thread)
    lull_thread_free(task->thread);
  if (task->inst)
    lull_instance_free(task->inst);
  task->wasi = NULL;
  task->thread = NULL;
  task->inst = NULL;
  task->init_fn = task->entry_fn = NULL;
  lull_engine *e = task->sched->engine;
  lull_free(e, task->args);
  lull_free(e, task->results);
  lull_free(e, task->wake_vals);
  task->args = task->results = task->wake_vals = NULL;
  task->nargs = task->nresults = task->nwake = task->cap_wake = 0;
}

void lullu_task_destroy(lull_uv_task *task) {
  lullu_task_release(task);
  if (lullu_list_linked(&task->all)) {
    lullu_list_remove(&task->all);
  }
  task->sched->count--;
  lull_engine *e = task->sched->engine;
  lull_free(e, task->entry);
  lull_free(e, task->name);
  lull_free(e, task);
}

lull_linker *lullu_task_linker(lull_uv_task *task,
                               const lull_uv_task_config *cfg,
                               lull_error *err) {
  lull_linker *l = lull_linker_new(task->sched->engine);
  if (!l) {
    lullu_error(err, LULL_NOMEM, "out of memory");
    return NULL;
  }
  lull_status st = lull_wasi_define(task->wasi, l);
  if (st != LULL_OK) {
    lullu_error(err, st, "cannot define the WASI functions: %s",
                lull_status_str(st));
    lull_linker_free(l);
    return NULL;
  }
  if (cfg && cfg->link) {
    lull_error mine = {0};
    st = cfg->link(task, l, cfg->link_ud, &mine);
    if (st != LULL_OK) {
      if (err) {
        *err = mine;
        err->status = st;
        if (!mine.message[0])
          lullu_error(err, st, "the link callback refused the task: %s",
                      lull_status_str(st));
      }
      lull_linker_free(l);
      return NULL;
    }
  }
  return l;
}

lull_status lullu_task_find_entry(lull_uv_task *task, lull_error *err) {
  lull_extern ext;
  if (lull_instance_export(task->inst, task->entry, &ext) != LULL_OK)
    return lullu_error(err, LULL_NOTFOUND, "the module exports no '%s'",
                       task->entry);
  if (ext.kind != LULL_EXTERN_FUNC)
    return lullu_error(err, LULL_NOTFOUND, "export '%s' is not a function",
                       task->entry);
  task->entry_fn = ext.of.func;
  task->init_fn = NULL;
  if (strcmp(task->entry, "_start") != 0 &&
      strcmp(task->entry, "_initialize") != 0 &&
      lull_instance_export(task->inst, "_initialize", &ext) == LULL_OK &&
      ext.kind == LULL_EXTERN_FUNC) {
    lull_functype ty = lull_func_type(ext.of.func);
    if (ty.nparams == 0 && ty.nresults == 0)
      task->init_fn = ext.of.func;
  }
  return LULL_OK;
}

lull_status lullu_task_size_results(lull_uv_task *task, lull_error *err) {
  lull_func *f = task->phase == LULLU_PHASE_INIT ? task->init_fn
                                                  : task->entry_fn;
  lull_functype ty = lull_func_type(f);
  lull_free(task->sched->engine, task->results);
  task->results = NULL;
  task->nresults = ty.nresults;
  if (ty.nresults) {
    task->results =
        lull_calloc(task->sched->engine, ty.nresults, sizeof *task->results);
    if (!task->results)
      return lullu_error(err, LULL_NOMEM, "out of memory");
  }
  return LULL_OK;
}

lull_status lullu_task_apply_limit(lull_uv_task *task, lull_error *err) {
  if (!task->max_pages)
    return LULL_OK;
  lull_memory *mem = lull_instance_memory(task->inst);
  if (mem && lull_memory_limit(mem, task->max_pages) != LULL_OK)
    return lullu_error(err, LULL_BADARG,
                       "memory 0 already has %zu pages, more than the limit "
                       "of %u pages",
                       lull_memory_size(mem) / 65536, task->max_pages);
  return LULL_OK;
}

/* Checks the entry's arguments against its type and copies them. */
static lull_status set_args(lull_uv_task *task, const lull_val *args,
                            size_t nargs, lull_error *err) {
  lull_functype ty = lull_func_type(task->entry_fn);
  if (nargs != ty.nparams)
    return lullu_error(err, LULL_BADARG, "'%s' takes %u arguments, %zu given",
                       task->entry, ty.nparams, nargs);
  for (size_t i = 0; i < nargs; i++)
    if (args[i].type != ty.params[i])
      return lullu_error(err, LULL_BADARG,
                         "argument %zu of '%s' is %s, expected %s", i,
                         task->entry, lull_valtype_str(args[i].type),
                         lull_valtype_str(ty.params[i]));
  if (nargs) {
    task->args = lull_malloc(task->sched->engine, nargs * sizeof *args);
    if (!task->args)
      return lullu_error(err, LULL_NOMEM, "out of memory");
    memcpy(task->args, args, nargs * sizeof *args);
  }
  task->nargs = nargs;
  return LULL_OK;
}

static void end_task(lull_uv_task *task, lull_uv_exit_kind kind,
                     uint32_t code, int returned);

lull_status lull_uv_task_spawn(lull_uv_sched *s, lull_module *m,
                               const lull_uv_task_config *cfg,
                               lull_uv_exit_cb exit_cb, void *ud,
                               lull_uv_task **out, lull_error *err) {
  if (out)
    *out = NULL;
  if (!s || !m || !cfg || !exit_cb)
    return lullu_error(err, LULL_BADARG, "lull_uv_task_spawn: bad arguments");
  if (s->free_requested)
    return lullu_error(err, LULL_BADSTATE,
                       "lull_uv_task_spawn: the scheduler is being freed");
  lull_status st = LULL_OK;
  lull_linker *l = NULL;
  lull_uv_task *task = lullu_task_alloc(s);
  if (!task)
    return lullu_error(err, LULL_NOMEM, "out of memory");
  task->exit_cb = exit_cb;
  task->exit_ud = ud;
  task->fuel_slice = cfg->fuel_slice ? cfg->fuel_slice : s->cfg.fuel_slice;
  task->max_pages = cfg->max_memory_pages;
  task->entry = lull_strdup(s->engine, cfg->entry ? cfg->entry : "_start");
  task->name = lull_strdup(s->engine, cfg->name ? cfg->name : "");
  if (!task->entry || !task->name) {
    st = lullu_error(err, LULL_NOMEM, "out of memory");
    goto fail;
  }
  task->wasi = lull_wasi_new(s->engine, s->loop, &cfg->wasi,
                             lullu_task_on_wake, task, err);
  if (!task->wasi) {
    st = err ? err->status : LULL_NOMEM;
    if (st == LULL_OK)
      st = LULL_NOMEM;
    goto fail;
  }
  lull_wasi_set_drain_cb(task->wasi, lullu_task_on_drain, task);
  l = lullu_task_linker(task, cfg, err);
  if (!l) {
    st = err ? err->status : LULL_NOMEM;
    goto fail;
  }
  task->thread = lull_thread_new(s->engine);
  if (!task->thread) {
    st = lullu_error(err, LULL_NOMEM, "out of memory");
    goto fail;
  }
  /* The start function runs on the task's thread, so that a trap in it
   * has its backtrace and a proc_exit its code: the task ends with them
   * (on the loop, as any end) instead of failing to spawn. */
  st = lull_linker_instantiate_on(l, m, task->thread, &task->inst, err);
  if ((st == LULL_TRAP || st == LULL_EXCEPTION) &&
      lull_thread_state_of(task->thread) == LULL_THREAD_TRAPPED) {
    uint32_t code = 0;
    int exited = st == LULL_TRAP && lull_wasi_exited(task->wasi, &code);
    lull_linker_free(l);
    task->started = 1;
    end_task(task,
             exited                   ? LULL_UV_EXITED
             : st == LULL_EXCEPTION ? LULL_UV_EXCEPTION
                                      : LULL_UV_TRAPPED,
             code, 0);
    if (out)
      *out = task;
    return LULL_OK;
  }
  if (st != LULL_OK)
    goto fail;
  if ((st = lullu_task_apply_limit(task, err)) != LULL_OK ||
      (st = lullu_task_find_entry(task, err)) != LULL_OK ||
      (st = set_args(task, cfg->args, cfg->nargs, err)) != LULL_OK)
    goto fail;
  task->phase = task->init_fn ? LULLU_PHASE_INIT : LULLU_PHASE_ENTRY;
  if ((st = lullu_task_size_results(task, err)) != LULL_OK)
    goto fail;
  lull_linker_free(l);
  lullu_list_push(&s->ready, &task->node);
  lullu_sched_kick(s);
  if (out)
    *out = task;
  return LULL_OK;

fail:
  if (l)
    lull_linker_free(l);
  lullu_task_destroy(task);
  return st;
}

/* ---------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------- */

/* Ends the task: it waits on `done` for its exit callback. A guest that
 * ended with writes still queued (write-behind) waits for them first, off
 * every queue, so that when the exit is reported the data is in its
 * files; lullu_task_on_drain then files it. (A killed task has no WASI
 * context left: lull_wasi_free lets the writes finish on their own.) */
static void end_task(lull_uv_task *task, lull_uv_exit_kind kind,
                     uint32_t code, int returned) {
  lull_uv_sched *s = task->sched;
  lullu_list_remove(&task->node);
  task->state = LULL_UV_DONE;
  task->end_kind = kind;
  task->end_code = code;
  task->end_returned = returned;
  task->held = 0;
  if (task->wasi && lull_wasi_pending_writes(task->wasi)) {
    task->draining = 1;
    return;
  }
  lullu_list_push(&s->done, &task->node);
  lullu_sched_kick(s);
}

/* A kill takes effect: the guest is freed now, the callback comes later. */
static void kill_now(lull_uv_task *task) {
  /* A pending snapshot keeps its callback: the reap reports the error. */
  lull_uv_snapshot_cb cb = task->snap_cb;
  void *ud = task->snap_ud;
  lullu_task_release(task);
  task->snap_cb = cb;
  task->snap_ud = ud;
  end_task(task, LULL_UV_KILLED, 0, 0);
}

/* Files the task according to how its slice ended. */
static void after_slice(lull_uv_task *task, lull_status st) {
  lull_uv_sched *s = task->sched;
  if (task->kill_requested) {
    kill_now(task);
    return;
  }
  if (st == LULL_SUSPENDED) {
    if (lull_thread_park_reason(task->thread) == LULL_PARK_HOST) {
      task->state = LULL_UV_WAITING;
    } else {
      if (lull_thread_park_reason(task->thread) == LULL_PARK_FUEL)
        task->stats.fuel_parks++;
      task->state = LULL_UV_READY;
      lullu_list_push(&s->ready, &task->node);
    }
    if (task->snap_cb && lullu_task_can_snapshot(task))
      lullu_task_take_snapshot(task);
    return;
  }
  if (st == LULL_OK && task->phase == LULLU_PHASE_INIT) {
    /* _initialize returned: the entry starts on the next slice. */
    task->phase = LULLU_PHASE_ENTRY;
    task->started = 0;
    lull_error err;
    if (lullu_task_size_results(task, &err) != LULL_OK) {
      end_task(task, LULL_UV_TRAPPED, 0, 0);
      return;
    }
    task->state = LULL_UV_READY;
    lullu_list_push(&s->ready, &task->node);
    return;
  }
  if (st == LULL_OK) {
    end_task(task, LULL_UV_EXITED, 0, 1);
    return;
  }
  uint32_t code = 0;
  if (st == LULL_TRAP && lull_wasi_exited(task->wasi, &code))
    end_task(task, LULL_UV_EXITED, code, 0);
  else if (st == LULL_EXCEPTION)
    end_task(task, LULL_UV_EXCEPTION, 0, 0);
  else
    end_task(task, LULL_UV_TRAPPED, 0, 0);
}

/* Sizes the next slice from how fast the last one burnt its fuel (see
 * lull_uv_config): fuel per nanosecond times slice_ns, within
 * [LULL_UV_MIN_FUEL_SLICE, fuel_slice]. Only slices that used all their
 * fuel or ran over time say something about the rate. */
static void adapt_slice(lull_uv_task *task, uint64_t given, uint64_t elapsed,
                        int out_of_fuel) {
  uint64_t target = task->sched->cfg.slice_ns;
  if (target == UINT64_MAX || !(out_of_fuel || elapsed > target))
    return;
  uint64_t left = lull_thread_fuel(task->thread);
  uint64_t used = left < given ? given - left : 0;
  uint64_t next = task->fuel_slice;
  if (elapsed > 0 && used > 0) {
    /* In floating point: used * target could overflow 64 bits. */
    double rate = (double)used / (double)elapsed;
    double want = rate * (double)target;
    if (want < (double)next)
      next = (uint64_t)want;
  }
  if (next < LULL_UV_MIN_FUEL_SLICE)
    next = LULL_UV_MIN_FUEL_SLICE;
  if (next > task->fuel_slice)
    next = task->fuel_slice;
  task->cur_slice = next;
}

void lullu_task_run_slice(lull_uv_task *task) {
  lull_thread *t = task->thread;
  task->state = LULL_UV_RUNNING;
  if (!task->cur_slice || task->cur_slice > task->fuel_slice) {
    /* The first slice is the smallest: nothing is known yet of what the
     * guest's instructions cost; adapt_slice sizes the next from it. */
    task->cur_slice = task->sched->cfg.slice_ns == UINT64_MAX
                          ? task->fuel_slice
                          : LULL_UV_MIN_FUEL_SLICE;
    if (task->cur_slice > task->fuel_slice)
      task->cur_slice = task->fuel_slice;
  }
  uint64_t given = task->cur_slice;
  lull_thread_set_fuel(t, given);
  uint64_t start = uv_hrtime();
  lull_status st;
  if (!task->started) {
    task->started = 1;
    if (task->phase == LULLU_PHASE_INIT)
      st = lull_call(t, task->init_fn, NULL, 0, task->results,
                     task->nresults);
    else
      st = lull_call(t, task->entry_fn, task->args, task->nargs,
                     task->results, task->nresults);
  } else {
    size_t nwake = task->nwake;
    task->nwake = 0;
    st = lull_resume(t, task->wake_vals, nwake, task->results,
                     task->nresults);
  }
  task->stats.slices++;
  if (st == LULL_SUSPENDED && !task->kill_requested)
    adapt_slice(task, given, uv_hrtime() - start,
                lull_thread_park_reason(t) == LULL_PARK_FUEL);
  after_slice(task, st);
}

/* ---------------------------------------------------------------------
 * Waking and killing
 * ------------------------------------------------------------------- */

lull_status lull_uv_task_wake(lull_uv_task *task, const lull_val *results,
                              size_t n) {
  if (!task || (n && !results))
    return LULL_BADARG;
  if (task->state != LULL_UV_WAITING)
    return LULL_BADSTATE;
  if (n > task->cap_wake) {
    lull_val *p =
        lull_realloc(task->sched->engine, task->wake_vals, n * sizeof *p);
    if (!p)
      return LULL_NOMEM;
    task->wake_vals = p;
    task->cap_wake = n;
  }
  if (n)
    memcpy(task->wake_vals, results, n * sizeof *results);
  task->nwake = n;
  task->state = LULL_UV_READY;
  lullu_list_push(&task->sched->ready, &task->node);
  lullu_sched_kick(task->sched);
  return LULL_OK;
}

void lullu_task_on_wake(void *ud, lull_thread *t, const lull_val *results,
                        size_t n) {
  lull_uv_task *task = ud;
  if (t != task->thread)
    return;
  if (lull_uv_task_wake(task, results, n) == LULL_NOMEM) {
    /* The results are lost: the guest cannot continue correctly. */
    lull_uv_task_kill(task);
  }
}

void lullu_task_on_drain(void *ud, lull_wasi *w) {
  lull_uv_task *task = ud;
  (void)w;
  if (task->draining) {
    task->draining = 0;
    lullu_list_push(&task->sched->done, &task->node);
    lullu_sched_kick(task->sched);
    return;
  }
  if (task->held) {
    task->held = 0;
    lullu_list_push(&task->sched->ready, &task->node);
    lullu_sched_kick(task->sched);
  }
  /* A pending snapshot is taken now, while nothing is queued, rather than
   * on the scheduler's next turn: a thread waiting for room to write
   * (lull_wasi.h) is let go on that same turn, and may queue more before
   * the turn gets to the snapshot. Last: the callback may kill the task
   * or free the scheduler. */
  if (task->snap_cb && lullu_task_can_snapshot(task))
    lullu_task_take_snapshot(task);
}

lull_status lull_uv_task_kill(lull_uv_task *task) {
  if (!task)
    return LULL_BADARG;
  if (task->state == LULL_UV_DONE || task->kill_requested)
    return LULL_BADSTATE;
  if (task->state == LULL_UV_RUNNING) {
    task->kill_requested = 1;
    lull_thread_interrupt(task->thread);
    return LULL_OK;
  }
  kill_now(task);
  return LULL_OK;
}

/* ---------------------------------------------------------------------
 * Ending
 * ------------------------------------------------------------------- */

void lullu_task_reap(lull_uv_task *task) {
  lull_uv_sched *s = task->sched;
  if (task->snap_cb) {
    lull_uv_snapshot_cb cb = task->snap_cb;
    task->snap_cb = NULL;
    lullu_list_remove(&task->snap);
    lull_error err;
    lullu_error(&err, LULL_BADSTATE,
                "the task ended before it could be saved");
    cb(task, LULL_BADSTATE, NULL, 0, &err, task->snap_ud);
    if (s->free_requested)
      return; /* sched_destroy frees the task */
  }
  lull_uv_exit ex;
  memset(&ex, 0, sizeof ex);
  ex.kind = task->end_kind;
  ex.code = task->end_code;
  ex.message = "";
  lull_frame_info frames[100];
  if (ex.kind == LULL_UV_KILLED) {
    ex.message = "killed";
  } else if (ex.kind == LULL_UV_TRAPPED || ex.kind == LULL_UV_EXCEPTION) {
    ex.message = task->thread ? lull_thread_trap_message(task->thread)
                              : "out of memory";
    if (!ex.message[0])
      ex.message = "trap";
    if (task->thread) {
      size_t n = lull_thread_backtrace(task->thread, frames, 100);
      ex.frames = frames;
      ex.nframes = n < 100 ? n : 100;
    }
  } else if (task->end_returned) {
    ex.results = task->results;
    ex.nresults = task->nresults;
  }
  /* The callback is the task's last moment: it may spawn, kill others or
   * free the scheduler, but the task itself is gone once it returns. */
  lullu_list_remove(&task->all);
  task->exit_cb(task, &ex, task->exit_ud);
  lullu_task_destroy(task);
}

/* ---------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------- */

lull_uv_task_state lull_uv_task_state_of(const lull_uv_task *task) {
  return task ? task->state : LULL_UV_DONE;
}

lull_instance *lull_uv_task_instance(const lull_uv_task *task) {
  return task ? task->inst : NULL;
}

lull_thread *lull_uv_task_thread(const lull_uv_task *task) {
  return task ? task->thread : NULL;
}

lull_wasi *lull_uv_task_wasi(const lull_uv_task *task) {
  return task ? task->wasi : NULL;
}

lull_uv_sched *lull_uv_task_sched(const lull_uv_task *task) {
  return task ? task->sched : NULL;
}

void lull_uv_task_set_data(lull_uv_task *task, void *data) {
  if (task)
    task->data = data;
}

void *lull_uv_task_data(const lull_uv_task *task) {
  return task ? task->data : NULL;
}

void lull_uv_task_stats_of(const lull_uv_task *task, lull_uv_task_stats *out) {
  if (!out)
    return;
  if (task)
    *out = task->stats;
  else
    memset(out, 0, sizeof *out);
}

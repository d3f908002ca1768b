/*
 * task_snapshot.c -- saving a task to bytes and making a task from them.
 *
 * A task snapshot (format in snapshot_format.c) wraps the core snapshot
 * of the thread and instance (lull_snapshot_write, whose embedder bytes
 * are the WASI context from lull_wasi_save) with what the scheduler needs
 * to continue: the entry, its phase and arguments, the fuel slice, the
 * memory limit and the embedder's name for the module.
 *
 * The WASI bytes are also stored on their own, in front of the core
 * snapshot: restoring needs the WASI context first (its functions are the
 * instance's imports), while the core only hands its embedder bytes back
 * once the instance exists. After the read, the two copies must match.
 */
#include <stdlib.h>
#include <string.h>

#include "loop_internal.h"

int lullu_task_can_snapshot(const lull_uv_task *task) {
  if (!task->thread || task->state == LULL_UV_DONE ||
      task->state == LULL_UV_RUNNING)
    return 0;
  if (lull_thread_state_of(task->thread) != LULL_THREAD_SUSPENDED)
    return 0;
  /* Writes still queued are in neither the files nor the snapshot: wait
   * for the drain callback (lullu_task_on_drain kicks the scheduler). */
  if (lull_wasi_pending_writes(task->wasi))
    return 0;
  if (task->state == LULL_UV_WAITING)
    return 1;
  /* READY: parked on fuel or an interrupt. A READY task parked in a host
   * call already has its results and no request left to record: it runs
   * on and is saved at its next park. */
  return lull_thread_park_reason(task->thread) != LULL_PARK_HOST;
}

/* Builds the task snapshot into *out. */
static lull_status save(lull_uv_task *task, uint8_t **out, size_t *len,
                        lull_error *err) {
  uint8_t *wasi = NULL, *core = NULL;
  size_t wasi_len = 0, core_len = 0;
  lull_status st = lull_wasi_save(task->wasi, &wasi, &wasi_len, err);
  if (st != LULL_OK)
    goto done;
  st = lull_snapshot_write(task->thread, task->inst, wasi, wasi_len, &core,
                           &core_len, err);
  if (st != LULL_OK) {
    core = NULL;
    goto done;
  }
  lullu_snap sn;
  memset(&sn, 0, sizeof sn);
  sn.info.name = task->name;
  sn.info.name_len = strlen(task->name);
  sn.info.entry = task->entry;
  sn.info.entry_len = strlen(task->entry);
  sn.info.fuel_slice = task->fuel_slice;
  sn.info.max_memory_pages = task->max_pages;
  sn.phase = task->phase;
  sn.args = task->args;
  sn.nargs = task->nargs;
  sn.wasi = wasi;
  sn.wasi_len = wasi_len;
  sn.core = core;
  sn.core_len = core_len;
  st = lullu_snap_encode(task->sched->engine, &sn, out, len, err);
done:
  if (core)
    lull_snapshot_free(task->sched->engine, core, core_len);
  free(wasi);
  return st;
}

void lullu_task_take_snapshot(lull_uv_task *task) {
  lull_uv_snapshot_cb cb = task->snap_cb;
  void *ud = task->snap_ud;
  task->snap_cb = NULL;
  task->snap_ud = NULL;
  lullu_list_remove(&task->snap);
  if (!cb)
    return;
  lull_wasi_set_quiesce(task->wasi, 0);
  uint8_t *bytes = NULL;
  size_t len = 0;
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status st = save(task, &bytes, &len, &err);
  if (st == LULL_OK)
    cb(task, LULL_OK, bytes, len, NULL, ud);
  else
    cb(task, st, NULL, 0, &err, ud);
  lull_free(task->sched->engine, bytes);
}

lull_status lull_uv_task_snapshot(lull_uv_task *task, lull_uv_snapshot_cb cb,
                                  void *ud) {
  if (!task || !cb)
    return LULL_BADARG;
  if (task->state == LULL_UV_DONE || task->kill_requested || task->snap_cb)
    return LULL_BADSTATE;
  task->snap_cb = cb;
  task->snap_ud = ud;
  lullu_list_push(&task->sched->snaps, &task->snap);
  /* Writers waiting for room stay parked until everything queued is
   * written, so that the drain callback finds the task saveable. */
  lull_wasi_set_quiesce(task->wasi, 1);
  /* Taken on the next turn when the task is parked now, else when its
   * current or next slice parks. */
  lullu_sched_kick(task->sched);
  return LULL_OK;
}

lull_status lull_uv_snapshot_info_of(const uint8_t *bytes, size_t len,
                                     lull_uv_snapshot_info *info,
                                     lull_error *err) {
  lullu_snap sn;
  lull_val *args = NULL;
  lull_status st = lullu_snap_parse(bytes, len, &sn, &args, err);
  free(args);
  if (st == LULL_OK && info)
    *info = sn.info;
  return st;
}

/* The part of restore that can fail after the task exists. */
static lull_status restore_into(lull_uv_task *task, lull_module *m,
                                const lullu_snap *sn,
                                const lull_uv_task_config *cfg,
                                lull_error *err) {
  lull_uv_sched *s = task->sched;
  lull_linker *l = NULL;
  lull_extern *imports = NULL;
  size_t nimports = 0;
  lull_status st;

  if (cfg && cfg->grant_dirs) {
    const char **granted = NULL;
    size_t n = cfg->wasi.npreopens;
    if (n && !(granted = lull_calloc(s->engine, n, sizeof *granted))) {
      st = lullu_error(err, LULL_NOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < n; i++)
      granted[i] = cfg->wasi.preopens[i].host_path;
    task->wasi = lull_wasi_load_granted(s->engine, s->loop, sn->wasi,
                                        sn->wasi_len, granted, n,
                                        lullu_task_on_wake, task, err);
    lull_free(s->engine, granted);
  } else {
    task->wasi = lull_wasi_load(s->engine, s->loop, sn->wasi, sn->wasi_len,
                                lullu_task_on_wake, task, err);
  }
  if (!task->wasi) {
    st = err && err->status != LULL_OK ? err->status : LULL_BADSNAPSHOT;
    goto done;
  }
  lull_wasi_set_drain_cb(task->wasi, lullu_task_on_drain, task);
  l = lullu_task_linker(task, cfg, err);
  if (!l) {
    st = err ? err->status : LULL_NOMEM;
    goto done;
  }
  nimports = lull_module_import_count(m);
  if (nimports &&
      !(imports = lull_calloc(s->engine, nimports, sizeof *imports))) {
    st = lullu_error(err, LULL_NOMEM, "out of memory");
    goto done;
  }
  st = lull_linker_resolve(l, m, imports, nimports, err);
  if (st != LULL_OK)
    goto done;
  st = lull_snapshot_read(s->engine, m, imports, nimports, sn->core,
                          sn->core_len, &task->inst, &task->thread, NULL,
                          NULL, err);
  if (st != LULL_OK) {
    task->inst = NULL;
    task->thread = NULL;
    goto done;
  }
  if ((st = lullu_task_apply_limit(task, err)) != LULL_OK)
    goto done;
  if ((st = lullu_task_find_entry(task, err)) == LULL_NOTFOUND) {
    /* The module matched the snapshot's hash, so the snapshot is wrong. */
    st = LULL_BADSNAPSHOT;
    if (err)
      err->status = st;
  }
  if (st != LULL_OK)
    goto done;
  if (sn->phase == LULLU_PHASE_INIT && !task->init_fn) {
    st = lullu_error(err, LULL_BADSNAPSHOT,
                     "bad snapshot: saved in _initialize, which the module "
                     "does not export");
    goto done;
  }
  task->phase = sn->phase;
  if ((st = lullu_task_size_results(task, err)) != LULL_OK)
    goto done;
  if (lull_thread_state_of(task->thread) != LULL_THREAD_SUSPENDED) {
    st = lullu_error(err, LULL_BADSNAPSHOT,
                     "bad snapshot: the thread is not suspended");
    goto done;
  }
  task->started = 1;
  if (lull_thread_park_reason(task->thread) == LULL_PARK_HOST) {
    /* The WASI call it waits in starts again (a sleep keeps its
     * deadline); its completion wakes the task as usual. */
    st = lull_wasi_rearm(task->wasi, task->thread, task->inst, err);
    if (st != LULL_OK)
      goto done;
    task->state = LULL_UV_WAITING;
  } else {
    task->state = LULL_UV_READY;
    lullu_list_push(&s->ready, &task->node);
    lullu_sched_kick(s);
  }
  st = LULL_OK;
done:
  lull_free(s->engine, imports);
  if (l)
    lull_linker_free(l);
  return st;
}

lull_status lull_uv_task_restore(lull_uv_sched *s, lull_module *m,
                                 const uint8_t *bytes, size_t len,
                                 const lull_uv_task_config *cfg,
                                 lull_uv_exit_cb exit_cb, void *ud,
                                 lull_uv_task **out, lull_error *err) {
  if (out)
    *out = NULL;
  if (!s || !m || !bytes || !exit_cb)
    return lullu_error(err, LULL_BADARG,
                       "lull_uv_task_restore: bad arguments");
  if (s->free_requested)
    return lullu_error(err, LULL_BADSTATE,
                       "lull_uv_task_restore: the scheduler is being freed");
  lullu_snap sn;
  lull_val *args = NULL;
  lull_status st = lullu_snap_parse(bytes, len, &sn, &args, err);
  if (st != LULL_OK)
    return st;
  lull_uv_task *task = lullu_task_alloc(s);
  /* The task's arguments are the engine's, as a spawned task's are; the
   * parser, which has no engine, gave them from malloc. */
  lull_val *own = sn.nargs ? lull_malloc(s->engine, sn.nargs * sizeof *own)
                           : NULL;
  if (own)
    memcpy(own, args, sn.nargs * sizeof *own);
  free(args);
  if (!task || (sn.nargs && !own)) {
    lull_free(s->engine, own);
    if (task)
      lullu_task_destroy(task);
    return lullu_error(err, LULL_NOMEM, "out of memory");
  }
  task->exit_cb = exit_cb;
  task->exit_ud = ud;
  task->args = own;
  task->nargs = sn.nargs;
  task->fuel_slice = cfg && cfg->fuel_slice ? cfg->fuel_slice
                     : sn.info.fuel_slice  ? sn.info.fuel_slice
                                           : s->cfg.fuel_slice;
  task->max_pages = cfg && cfg->max_memory_pages ? cfg->max_memory_pages
                                                 : sn.info.max_memory_pages;
  task->entry = lull_malloc(s->engine, sn.info.entry_len + 1);
  task->name = lull_malloc(s->engine, sn.info.name_len + 1);
  if (!task->entry || !task->name) {
    st = lullu_error(err, LULL_NOMEM, "out of memory");
    goto fail;
  }
  memcpy(task->entry, sn.info.entry, sn.info.entry_len);
  task->entry[sn.info.entry_len] = '\0';
  memcpy(task->name, sn.info.name, sn.info.name_len);
  task->name[sn.info.name_len] = '\0';
  st = restore_into(task, m, &sn, cfg, err);
  if (st != LULL_OK)
    goto fail;
  if (out)
    *out = task;
  return LULL_OK;
fail:
  lullu_task_destroy(task);
  return st;
}

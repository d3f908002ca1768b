/*
 * loop_internal.h -- the scheduler's structures and the helpers its files
 * share. Prefix lullu_. Like wasi/, loop/ includes only public headers.
 *
 * How a task moves (lull_uv_task.state):
 *
 *              spawn/restore                      slice parks on fuel
 *                    |                          +--------------------+
 *                    v                          v                    |
 *   wake -------> READY --(idle turn)--> RUNNING --> parks in host --+--> WAITING
 *     ^                                     |                            |
 *     +-------------------------------------|----------------------------+
 *                                           v
 *                    returns / traps / proc_exit / kill --> DONE
 *
 * A task is in at most one of the scheduler's two queues through `node`:
 * `ready` (READY tasks, served first come first served) or `done` (DONE
 * tasks whose exit callback has not run yet). Every live task is also on
 * `all`, and a task with a snapshot pending is on `snaps`.
 *
 * All the work happens in one uv_idle_t callback (sched.c), active only
 * while a queue is not empty: exit callbacks, pending snapshots, then one
 * slice per ready task until the turn's time budget is spent. libuv runs
 * timers and polls for I/O between two idle callbacks, so neither the host
 * nor waiting tasks starve however busy the guests are.
 */
#ifndef LULL_LOOP_INTERNAL_H
#define LULL_LOOP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lull.h"
#include "lull_uv.h"
#include "lull_wasi.h"

#if defined(__GNUC__)
#define LULLU_HIDDEN __attribute__((visibility("hidden")))
#define LULLU_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LULLU_HIDDEN
#define LULLU_PRINTF(f, a)
#endif

/* ---------------------------------------------------------------------
 * Intrusive doubly linked lists with a sentinel head (queue.c).
 * ------------------------------------------------------------------- */
typedef struct lullu_link {
  struct lullu_link *prev, *next;
} lullu_link;

#define LULLU_CONTAINER(ptr, type, field)                                     \
  ((type *)(void *)((char *)(ptr)-offsetof(type, field)))

LULLU_HIDDEN void lullu_list_init(lullu_link *head);
LULLU_HIDDEN int lullu_list_empty(const lullu_link *head);
/* Appends `n` (which must not be on a list) at the tail. */
LULLU_HIDDEN void lullu_list_push(lullu_link *head, lullu_link *n);
/* Unlinks `n` if it is on a list; harmless otherwise. */
LULLU_HIDDEN void lullu_list_remove(lullu_link *n);
/* Unlinks and returns the first node, or NULL. */
LULLU_HIDDEN lullu_link *lullu_list_pop(lullu_link *head);
LULLU_HIDDEN int lullu_list_linked(const lullu_link *n);

/* ---------------------------------------------------------------------
 * The scheduler.
 * ------------------------------------------------------------------- */
struct lull_uv_sched {
  uv_loop_t *loop;
  lull_engine *engine;
  lull_uv_config cfg;
  /* Runs the queues; active only while there is work (sched.c). */
  uv_idle_t idle;
  lullu_link all;   /* every live task, on lull_uv_task.all */
  lullu_link ready; /* READY tasks, on lull_uv_task.node */
  lullu_link done;  /* DONE tasks before their exit callback */
  lullu_link snaps; /* tasks with a snapshot pending, on .snap */
  size_t count;     /* tasks on `all` */
  /* Set while the idle callback runs: lull_uv_sched_free called then (from
   * a callback or a host function) only sets `free_requested`, and the
   * callback finishes the job when it returns. */
  int busy;
  int free_requested;
};

/* Phases of a task's calls: a reactor's _initialize, then the entry. */
enum { LULLU_PHASE_INIT = 0, LULLU_PHASE_ENTRY = 1 };

struct lull_uv_task {
  lull_uv_sched *sched;
  lullu_link all;
  lullu_link node; /* on `ready` or `done` */
  lullu_link snap; /* on `snaps` while a snapshot is pending */
  lull_uv_task_state state;
  /* The guest. All three are NULL once a kill has released them. */
  lull_instance *inst;
  lull_thread *thread;
  lull_wasi *wasi;
  lull_func *init_fn;  /* the reactor's _initialize, or NULL */
  lull_func *entry_fn; /* borrowed from `inst` */
  int phase;           /* LULLU_PHASE_*: which function runs */
  int started;         /* the thread has been called in this phase */
  int kill_requested;  /* killed while running: end at the next park */
  /* Write-behind (lull_wasi.h): the task waits off every queue for its
   * WASI context's queued writes, and the drain callback files it. */
  int draining;        /* DONE: the exit is reported once they are
                          written (the data is in the files first) */
  int held;            /* READY with a snapshot pending: not run until
                          they are written, so the snapshot can be taken
                          at all by a guest that keeps writing */
  char *entry;         /* the entry's name (for snapshots) */
  char *name;          /* the embedder's name for the module */
  lull_val *args;      /* the entry's arguments */
  size_t nargs;
  lull_val *results; /* the entry's results, written when it returns */
  size_t nresults;
  /* The results a wake handed over, to resume the thread with. */
  lull_val *wake_vals;
  size_t nwake, cap_wake;
  uint64_t fuel_slice; /* the most fuel per slice */
  uint64_t cur_slice;  /* this slice's fuel: see lull_uv_config */
  uint32_t max_pages;
  lull_uv_exit_cb exit_cb;
  void *exit_ud;
  /* How the task ended (valid in DONE). */
  lull_uv_exit_kind end_kind;
  uint32_t end_code;
  int end_returned; /* EXITED because the entry returned */
  /* A pending snapshot request. */
  lull_uv_snapshot_cb snap_cb;
  void *snap_ud;
  void *data;
  lull_uv_task_stats stats;
};

/* sched.c */
/* Makes sure the idle callback runs on the next loop turn. */
LULLU_HIDDEN void lullu_sched_kick(lull_uv_sched *s);

/* task.c */
/* A zeroed task attached to `s` (on `all`), or NULL when out of memory. */
LULLU_HIDDEN lull_uv_task *lullu_task_alloc(lull_uv_sched *s);
/* The WASI layer's wake callback; `ud` is the task. */
LULLU_HIDDEN void lullu_task_on_wake(void *ud, lull_thread *t,
                                     const lull_val *results, size_t n);
/* The WASI layer's drain callback (its queued writes are written); `ud`
 * is the task. */
LULLU_HIDDEN void lullu_task_on_drain(void *ud, lull_wasi *w);
/* Frees the guest (WASI context, thread, instance) and every buffer, and
 * detaches the task from every list; the task struct itself stays. */
LULLU_HIDDEN void lullu_task_release(lull_uv_task *task);
/* lullu_task_release, then frees the struct. */
LULLU_HIDDEN void lullu_task_destroy(lull_uv_task *task);
/* Runs one slice of a READY task that has been taken off the queue, and
 * files it where the slice left it (ready, waiting or done). */
LULLU_HIDDEN void lullu_task_run_slice(lull_uv_task *task);
/* Calls the exit callback of a DONE task (and a pending snapshot's
 * callback with an error first), then destroys it. */
LULLU_HIDDEN void lullu_task_reap(lull_uv_task *task);
/* Sizes `results` for the function of the current phase. */
LULLU_HIDDEN lull_status lullu_task_size_results(lull_uv_task *task,
                                                 lull_error *err);
/* Looks up the entry (and _initialize) in task->inst by task->entry. */
LULLU_HIDDEN lull_status lullu_task_find_entry(lull_uv_task *task,
                                               lull_error *err);
/* Lowers memory 0's maximum to task->max_pages (when set). */
LULLU_HIDDEN lull_status lullu_task_apply_limit(lull_uv_task *task,
                                                lull_error *err);
/* A new linker with WASI and the embedder's imports defined. */
LULLU_HIDDEN lull_linker *lullu_task_linker(lull_uv_task *task,
                                            const lull_uv_task_config *cfg,
                                            lull_error *err);

/* task_snapshot.c */
/* 1 when the task's state can be written now: parked between slices, or
 * waiting in a host call (whose request the WASI context records), with
 * no write of its WASI context still queued. */
LULLU_HIDDEN int lullu_task_can_snapshot(const lull_uv_task *task);
/* Takes the pending snapshot and calls its callback. The callback may kill
 * the task or free the scheduler. */
LULLU_HIDDEN void lullu_task_take_snapshot(lull_uv_task *task);

/* ---------------------------------------------------------------------
 * Byte buffers and the task snapshot format (buf.c, snapshot_format.c).
 * ------------------------------------------------------------------- */
typedef struct lullu_buf {
  lull_engine *e;  /* whose allocator the bytes come from */
  uint8_t *p;
  size_t len, cap;
  int failed; /* an allocation failed: the contents are incomplete */
} lullu_buf;

LULLU_HIDDEN void lullu_buf_bytes(lullu_buf *b, const void *p, size_t n);
LULLU_HIDDEN void lullu_buf_u8(lullu_buf *b, uint8_t v);
LULLU_HIDDEN void lullu_buf_u32(lullu_buf *b, uint32_t v); /* LE */
LULLU_HIDDEN void lullu_buf_u64(lullu_buf *b, uint64_t v); /* LE */
LULLU_HIDDEN void lullu_buf_leb(lullu_buf *b, uint32_t v); /* unsigned LEB128 */
/* A LEB128 length, then the bytes. */
LULLU_HIDDEN void lullu_buf_name(lullu_buf *b, const char *s, size_t n);
LULLU_HIDDEN void lullu_buf_free(lullu_buf *b);

/* Fills `err` (may be NULL) with a status and a formatted message and
 * returns the status. */
LULLU_HIDDEN lull_status lullu_error(lull_error *err, lull_status s,
                                     const char *fmt, ...) LULLU_PRINTF(3, 4);

/* CRC-32 (IEEE), as zlib computes it. */
LULLU_HIDDEN uint32_t lullu_crc32(const uint8_t *p, size_t n);

/* A task snapshot, split into its parts. Pointers point into the bytes. */
typedef struct lullu_snap {
  lull_uv_snapshot_info info;
  int phase;
  const lull_val *args; /* parse: decoded into `argbuf` */
  size_t nargs;
  const uint8_t *wasi;
  size_t wasi_len;
  const uint8_t *core;
  size_t core_len;
} lullu_snap;

/* Encodes `sn` into *out (from `e`'s allocator: lull_free). LULL_NOMEM,
 * or LULL_BADARG for an argument that cannot be saved (a reference). */
LULLU_HIDDEN lull_status lullu_snap_encode(lull_engine *e,
                                           const lullu_snap *sn, uint8_t **out,
                                           size_t *len, lull_error *err);
/* Splits `bytes` into `sn`; the decoded arguments go to *args (malloc'd,
 * may be NULL when there are none; the caller frees it). */
LULLU_HIDDEN lull_status lullu_snap_parse(const uint8_t *bytes, size_t len,
                                          lullu_snap *sn, lull_val **args,
                                          lull_error *err);

#endif /* LULL_LOOP_INTERNAL_H */

/*
 * lull_uv.h -- many WebAssembly guests on one libuv loop.
 *
 * A lull_uv_sched runs tasks on a uv_loop_t. A task is one guest: its own
 * instance, its own WASI context (lull_wasi.h), its own thread and limits.
 * The scheduler never blocks the loop:
 *
 *   - a task runs for a slice of fuel (about one WebAssembly instruction a
 *     unit), then parks and goes to the back of the ready queue; the ready
 *     queue is served from a uv_idle_t handle, one slice per task per turn
 *     and at most `turn_ns` of run time per turn, so the loop's timers,
 *     I/O and other callbacks run between turns however busy the guests;
 *   - a task whose WASI call started a libuv request (a sleep, a read, ...)
 *     waits without using the loop at all, until the request completes and
 *     the WASI layer hands its thread back; then it is ready again.
 *
 * Objects and who owns them
 *   lull_uv_sched  made by lull_uv_sched_new on a loop and an engine the
 *                  caller keeps alive (and frees) after the scheduler.
 *   lull_uv_task   made by lull_uv_task_spawn or lull_uv_task_restore and
 *                  owned by the scheduler: it lives until its exit callback
 *                  has returned (or the scheduler is freed), then the
 *                  scheduler frees it. Do not use a task after its exit
 *                  callback.
 *
 * Callbacks (exit, snapshot) are called from the loop, never from inside
 * the function that caused them, so a callback may spawn, kill, snapshot
 * or free the scheduler freely.
 *
 * Threads of the OS: a scheduler and its tasks belong to the OS thread that
 * runs the loop.
 *
 * Errors: functions that can fail return a lull_status and fill a
 * lull_error (may be NULL) with a message.
 */
#ifndef LULL_UV_H
#define LULL_UV_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "lull.h"
#include "lull_wasi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lull_uv_sched lull_uv_sched;
typedef struct lull_uv_task lull_uv_task;

/* ======================================================================
 * Scheduler
 * ====================================================================== */

/* Fuel counts instructions, not time: a guest calling an expensive host
 * function in a loop spends much longer per unit than one doing
 * arithmetic. So a task's slice is the smaller of its fuel slice and what
 * it ran in `slice_ns` during its last slice (measured after each slice
 * that used up its fuel or ran over time, never below
 * LULL_UV_MIN_FUEL_SLICE, which is also a task's first slice). A loop turn
 * thus lasts about turn_ns + slice_ns however costly the guests'
 * instructions are. */
typedef struct lull_uv_config {
  uint64_t fuel_slice; /* most fuel per slice for tasks that do not set
                          their own; 0: LULL_UV_DEFAULT_FUEL_SLICE */
  uint64_t slice_ns;   /* the run time a slice aims at, in nanoseconds;
                          0: LULL_UV_DEFAULT_SLICE_NS; UINT64_MAX: slices
                          are exactly the fuel slice */
  uint64_t turn_ns;    /* run time per loop turn, in nanoseconds: once a
                          turn has run this long, the remaining ready tasks
                          wait for the next turn; 0: LULL_UV_DEFAULT_TURN_NS */
} lull_uv_config;

#define LULL_UV_DEFAULT_FUEL_SLICE 1000000u /* a few ms of plain code */
#define LULL_UV_DEFAULT_SLICE_NS 2000000u   /* 2 ms */
#define LULL_UV_DEFAULT_TURN_NS 5000000u    /* 5 ms */
#define LULL_UV_MIN_FUEL_SLICE 1000u

/* Fills `cfg` with the defaults. */
void lull_uv_config_init(lull_uv_config *cfg);

/* Makes a scheduler on `loop` running guests of engine `e`. `cfg` may be
 * NULL for the defaults; it is copied. The scheduler keeps one uv_idle_t
 * on the loop, active only while some task is ready to run (so a loop with
 * nothing but waiting tasks sleeps in the kernel). Returns NULL when out of
 * memory or when the loop refuses the handle. */
lull_uv_sched *lull_uv_sched_new(uv_loop_t *loop, lull_engine *e,
                                 const lull_uv_config *cfg);

/* Frees the scheduler and every task still alive, without calling their
 * exit callbacks: their requests are cancelled, their instances, threads
 * and WASI contexts freed. Handles close asynchronously: run the loop
 * (uv_run) afterwards until it returns before closing it. May be called
 * from a callback of the scheduler; the work then finishes when the
 * callback returns. */
void lull_uv_sched_free(lull_uv_sched *s);

/* The loop and the engine the scheduler runs on. */
uv_loop_t *lull_uv_sched_loop(const lull_uv_sched *s);
lull_engine *lull_uv_sched_engine(const lull_uv_sched *s);

/* How many tasks are alive (ready, running, waiting, or with an exit
 * callback still to be called). */
size_t lull_uv_sched_count(const lull_uv_sched *s);

/* ======================================================================
 * Tasks
 * ====================================================================== */

typedef enum lull_uv_exit_kind {
  LULL_UV_EXITED = 0, /* the entry returned (code 0) or the guest called
                         proc_exit (its code) */
  LULL_UV_TRAPPED,    /* a trap: `message` and the backtrace say which */
  LULL_UV_KILLED,     /* lull_uv_task_kill */
  LULL_UV_EXCEPTION   /* an exception no frame caught: `message` names its
                         tag, the backtrace shows where it was thrown */
} lull_uv_exit_kind;

/* How a task ended, given to its exit callback. Every pointer is borrowed
 * and valid only during the callback. */
typedef struct lull_uv_exit {
  lull_uv_exit_kind kind;
  uint32_t code;                 /* LULL_UV_EXITED: the exit code */
  const char *message;           /* LULL_UV_TRAPPED: the trap message;
                                    LULL_UV_EXCEPTION: "uncaught
                                    exception: tag ..."; LULL_UV_KILLED:
                                    "killed"; else "" */
  const lull_frame_info *frames; /* LULL_UV_TRAPPED, LULL_UV_EXCEPTION:
                                    the backtrace, innermost first */
  size_t nframes;
  const lull_val *results;       /* the entry's results when it returned
                                    (not after proc_exit) */
  size_t nresults;
} lull_uv_exit;

/* Called once per task, from the loop, when the task has ended. `ud` is
 * the one given at spawn. The task is freed when the callback returns.
 * When the guest returned, exited or trapped with writes still queued
 * (write-behind, lull_wasi.h), the callback comes once they are written,
 * so the files hold everything the guest wrote; a killed task's queued
 * writes finish after its callback, while the loop runs. */
typedef void (*lull_uv_exit_cb)(lull_uv_task *task, const lull_uv_exit *exit,
                                void *ud);

/* Called while a task is being made, after the WASI functions are defined
 * in `l` and before the module is instantiated: define the embedder's own
 * imports here. A host function that suspends (lull_host_suspend) is
 * continued with lull_uv_task_wake. Return LULL_OK or an error status
 * (with `err` filled) to refuse the task. */
typedef lull_status (*lull_uv_link_cb)(lull_uv_task *task, lull_linker *l,
                                       void *ud, lull_error *err);

typedef struct lull_uv_task_config {
  lull_wasi_config wasi;   /* arguments, environment, preopens, stdio */
  const char *entry;       /* the export to call; NULL: "_start". When it is
                              not "_start" and the module exports
                              "_initialize" (a WASI reactor), that runs
                              first */
  const lull_val *args;    /* the entry's arguments (copied) */
  size_t nargs;
  uint64_t fuel_slice;     /* most fuel per slice; 0: the scheduler's */
  uint32_t max_memory_pages; /* cap on memory 0 in 64 KiB pages; 0: none
                                beyond the engine's */
  const char *name;        /* the embedder's name for the module, stored in
                              snapshots (e.g. its path; see
                              lull_uv_snapshot_info); NULL: "" */
  lull_uv_link_cb link;    /* may be NULL */
  void *link_ud;
  int grant_dirs;          /* restore: 1 to let the resumed guest have only
                              the host directories in wasi.preopens (their
                              host_path, resolved): a snapshot naming
                              another is refused with LULL_DENIED (see
                              lull_wasi_load_granted); 0 trusts the
                              snapshot's list */
} lull_uv_task_config;

/* Fills `cfg` with lull_wasi_config_init's WASI defaults, entry "_start"
 * and no limits. */
void lull_uv_task_config_init(lull_uv_task_config *cfg);

/* Makes a task running `m` (made by the scheduler's engine; the task keeps
 * what it needs, so the caller may free `m` afterwards) and queues it: it
 * starts on the loop, never inside this call. Everything in `cfg` is
 * copied. The module's start function runs inside this call, on the
 * task's thread: when it traps or calls proc_exit, the spawn succeeds and
 * the task ends at once, its exit callback (on the loop, later) reporting
 * the trap with its backtrace or the exit code. Fails with
 * LULL_UNLINKABLE (an import neither WASI nor `link` defines), LULL_TRAP
 * (a data or element segment out of bounds), LULL_NOTFOUND (no such
 * entry export, or it is not a function), LULL_BADARG (the arguments do
 * not match the entry's type; memory 0 is already larger than
 * max_memory_pages), LULL_NOMEM, or what lull_wasi_new reports; then
 * nothing is left allocated and `exit_cb` is never called. On success
 * *out (may be NULL) is the task. */
lull_status lull_uv_task_spawn(lull_uv_sched *s, lull_module *m,
                               const lull_uv_task_config *cfg,
                               lull_uv_exit_cb exit_cb, void *ud,
                               lull_uv_task **out, lull_error *err);

/* Ends a task now: its WASI requests are cancelled (their callbacks never
 * run), its instance, thread and WASI context are freed, and its exit
 * callback is called with LULL_UV_KILLED on the next loop turn. When the
 * task is running (the caller is one of its host functions), the guest
 * stops at its next safe point or park instead. Returns LULL_BADSTATE when
 * the task has already ended (its exit callback is pending or running). */
lull_status lull_uv_task_kill(lull_uv_task *task);

/* Continues a task whose own host function (one defined through `link`)
 * returned LULL_HOST_SUSPEND: `results` (copied) become that function's
 * results and the task is queued to run. Call it from the loop after the
 * host function has returned, e.g. from a libuv callback; WASI calls are
 * woken by the WASI layer itself. Returns LULL_BADSTATE when the task is
 * not waiting, LULL_NOMEM when the results cannot be copied. */
lull_status lull_uv_task_wake(lull_uv_task *task, const lull_val *results,
                              size_t n);

/* What a task is doing. */
typedef enum lull_uv_task_state {
  LULL_UV_READY = 0, /* queued to run a slice */
  LULL_UV_RUNNING,   /* inside a slice: the caller is its host function */
  LULL_UV_WAITING,   /* parked in a host call until it is woken */
  LULL_UV_DONE       /* ended; its exit callback is pending or running */
} lull_uv_task_state;

lull_uv_task_state lull_uv_task_state_of(const lull_uv_task *task);

/* The task's instance, thread and WASI context (borrowed; NULL once the
 * task has ended), and its scheduler. */
lull_instance *lull_uv_task_instance(const lull_uv_task *task);
lull_thread *lull_uv_task_thread(const lull_uv_task *task);
lull_wasi *lull_uv_task_wasi(const lull_uv_task *task);
lull_uv_sched *lull_uv_task_sched(const lull_uv_task *task);

/* A pointer for the embedder, NULL at first. */
void lull_uv_task_set_data(lull_uv_task *task, void *data);
void *lull_uv_task_data(const lull_uv_task *task);

/* How many slices the task has run (every lull_call or lull_resume counts
 * one) and how many of them ended because the fuel ran out. */
typedef struct lull_uv_task_stats {
  uint64_t slices;
  uint64_t fuel_parks;
} lull_uv_task_stats;

void lull_uv_task_stats_of(const lull_uv_task *task, lull_uv_task_stats *out);

/* ======================================================================
 * Snapshots
 * ====================================================================== */

/* Called once with a snapshot of the task: on success `status` is LULL_OK
 * and `bytes`/`len` hold it (borrowed: valid during the call); otherwise
 * `err` says why. The task is still alive and continues after the
 * callback unless the callback kills it (e.g. to move it elsewhere). */
typedef void (*lull_uv_snapshot_cb)(lull_uv_task *task, lull_status status,
                                    const uint8_t *bytes, size_t len,
                                    const lull_error *err, void *ud);

/* Asks for a snapshot of the task at its next park: right away when it is
 * waiting in a WASI call (a sleep keeps its deadline) or parked between
 * slices, otherwise when the slice it is running ends. The snapshot holds
 * the thread, the instance, the WASI context (lull_wasi_save), the task's
 * entry, fuel slice, memory limit and name, and names the module by a hash
 * of its bytes. `cb` is always called from the loop, later; it gets an
 * error when the task cannot be saved (what lull_snapshot_write or
 * lull_wasi_save refuse) or ends first (LULL_BADSTATE). Writes the guest
 * has queued (write-behind, lull_wasi.h) are written first: the task is
 * saved at a park once none is queued, and with a snapshot pending it is
 * not given another slice while some are. Take snapshots of
 * tasks that sleep, poll or spin to be exact: a file read or write in
 * flight is made again on restore (see lull_wasi.h). Returns
 * LULL_BADSTATE when the task has ended or a snapshot is already pending. */
lull_status lull_uv_task_snapshot(lull_uv_task *task, lull_uv_snapshot_cb cb,
                                  void *ud);

/* What a snapshot says about itself before it is restored: the name given
 * in the task's config (borrowed from `bytes`, not NUL-terminated), the
 * entry, the fuel slice and the memory limit. LULL_BADSNAPSHOT with a
 * message when the bytes are not a task snapshot, are truncated, or fail
 * their checksum. */
typedef struct lull_uv_snapshot_info {
  const char *name;
  size_t name_len;
  const char *entry;
  size_t entry_len;
  uint64_t fuel_slice;
  uint32_t max_memory_pages;
} lull_uv_snapshot_info;

lull_status lull_uv_snapshot_info_of(const uint8_t *bytes, size_t len,
                                     lull_uv_snapshot_info *info,
                                     lull_error *err);

/* Makes a task from a snapshot of a task running `m` (the same module
 * bytes: checked by hash) and queues it; it continues where it parked,
 * e.g. a sleep ends at its old deadline. From `cfg` (may be NULL) only
 * `link`, `link_ud`, `grant_dirs` with `wasi.preopens`, and nonzero
 * `fuel_slice` / `max_memory_pages` are used (overriding the snapshot's);
 * the WASI context comes from the snapshot. A snapshot is trusted like a
 * command line unless `grant_dirs` is set.
 * Fails with LULL_BADSNAPSHOT (not a task snapshot, truncated, corrupted,
 * another module or lull version, an entry the module does not export),
 * LULL_DENIED (a directory not granted), LULL_UNLINKABLE, LULL_NOMEM or what the
 * WASI layer reports; then nothing is left allocated and `exit_cb` is
 * never called. `bytes` need not outlive the call. A task saved while it
 * waited in a WASI call waits again (the call is made again, a sleep with
 * its old deadline); one saved in an embedder's own host function comes
 * back LULL_UV_WAITING, and the embedder wakes it (lull_uv_task_wake). */
lull_status lull_uv_task_restore(lull_uv_sched *s, lull_module *m,
                                 const uint8_t *bytes, size_t len,
                                 const lull_uv_task_config *cfg,
                                 lull_uv_exit_cb exit_cb, void *ud,
                                 lull_uv_task **out, lull_error *err);

#ifdef __cplusplus
}
#endif
#endif /* LULL_UV_H */

/*
 * demo_host.c -- an event-loop program that runs WebAssembly guests next
 * to its own work, through lull_uv.h.
 *
 *   demo_host GUEST.wasm...
 *
 * Every guest runs as a task on one scheduler on this program's loop,
 * while a timer of the host prints "[host] tick N" once a second. A
 * sleeping guest costs the loop nothing until its timer fires; a spinning
 * guest runs in fuel slices, and the loop turns between slices. When the
 * last guest has exited, the host checks that no tick was missed or late
 * by more than a quarter of a second, and exits with 0 if so (1 if not,
 * 2 for a guest that failed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "lull.h"
#include "lull_uv.h"

typedef struct host {
  uv_loop_t loop;
  uv_timer_t tick;
  lull_uv_sched *sched;
  uint64_t start;    /* uv_hrtime() when the guests started */
  unsigned ticks;    /* ticks printed */
  double worst_ms;   /* the latest tick, in ms after its time */
  int running;       /* guests still running */
  int failed;        /* a guest trapped or could not start */
} host;

/* Arms the timer for tick N + 1 at exactly start + (N + 1) seconds, so
 * a late tick does not push the ones after it. */
static void arm(host *h);

static void on_tick(uv_timer_t *t) {
  host *h = t->data;
  h->ticks++;
  double late = (double)(uv_hrtime() - h->start) / 1e6 - h->ticks * 1000.0;
  if (late > h->worst_ms)
    h->worst_ms = late;
  printf("[host] tick %u\n", h->ticks);
  fflush(stdout);
  arm(h);
}

static void arm(host *h) {
  uint64_t due = h->start + (uint64_t)(h->ticks + 1) * 1000000000u;
  uint64_t now = uv_hrtime();
  uint64_t ms = due > now ? (due - now + 999999) / 1000000 : 0;
  uv_timer_start(&h->tick, on_tick, ms, 0);
}

static void on_guest_exit(lull_uv_task *task, const lull_uv_exit *ex,
                          void *ud) {
  host *h = ud;
  const char *name = lull_uv_task_data(task);
  if (ex->kind == LULL_UV_TRAPPED) {
    fprintf(stderr, "[host] %s trapped: %s\n", name, ex->message);
    h->failed = 1;
  } else if (ex->kind == LULL_UV_EXITED && ex->code != 0) {
    fprintf(stderr, "[host] %s exited with %u\n", name, ex->code);
    h->failed = 1;
  }
  if (--h->running > 0)
    return;
  /* The last guest is done: the host stops ticking and the loop ends. */
  uv_timer_stop(&h->tick);
  uv_close((uv_handle_t *)&h->tick, NULL);
}

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      unsigned char *p = realloc(buf, cap);
      if (!p) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = p;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *len = n;
  return buf;
}

/* Starts one guest with argv[0] = its file name. */
static int spawn(host *h, lull_engine *e, const char *path) {
  size_t len;
  unsigned char *bytes = read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "demo_host: cannot read %s\n", path);
    return -1;
  }
  lull_module *m = NULL;
  lull_error err;
  lull_status st = lull_module_new(e, bytes, len, &m, &err);
  free(bytes);
  if (st != LULL_OK) {
    fprintf(stderr, "demo_host: %s: %s\n", path, err.message);
    return -1;
  }
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  const char *argv[] = {name};
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.wasi.argc = 1;
  cfg.wasi.argv = argv;
  lull_uv_task *task;
  st = lull_uv_task_spawn(h->sched, m, &cfg, on_guest_exit, h, &task, &err);
  lull_module_free(m); /* the task keeps what it needs */
  if (st != LULL_OK) {
    fprintf(stderr, "demo_host: %s: %s\n", path, err.message);
    return -1;
  }
  lull_uv_task_set_data(task, (void *)name);
  h->running++;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s GUEST.wasm...\n", argv[0]);
    return 2;
  }
  host h;
  memset(&h, 0, sizeof h);
  lull_engine *e = lull_engine_new(NULL);
  if (!e || uv_loop_init(&h.loop) != 0) {
    fprintf(stderr, "demo_host: cannot start\n");
    return 2;
  }
  h.sched = lull_uv_sched_new(&h.loop, e, NULL);
  uv_timer_init(&h.loop, &h.tick);
  h.tick.data = &h;
  int rc = 0;
  for (int i = 1; i < argc && rc == 0; i++)
    rc = spawn(&h, e, argv[i]);
  if (rc == 0) {
    printf("[host] %d guests on one loop; the host ticks every second\n",
           h.running);
    fflush(stdout);
    h.start = uv_hrtime();
    arm(&h);
    uv_run(&h.loop, UV_RUN_DEFAULT);
    double secs = (double)(uv_hrtime() - h.start) / 1e9;
    /* Ticks whose time came a quarter of a second before the end. */
    unsigned due = secs > 0.25 ? (unsigned)(secs - 0.25) : 0;
    unsigned missed = due > h.ticks ? due - h.ticks : 0;
    printf("[host] guests done after %.2f s: %u ticks, %u missed; the "
           "latest came %.1f ms after its time\n",
           secs, h.ticks, missed, h.worst_ms);
    if (h.failed)
      rc = 2;
    else if (missed || h.worst_ms > 250.0)
      rc = 1;
  } else {
    rc = 2;
    if (!uv_is_closing((uv_handle_t *)&h.tick))
      uv_close((uv_handle_t *)&h.tick, NULL);
  }
  lull_uv_sched_free(h.sched);
  uv_run(&h.loop, UV_RUN_DEFAULT);
  uv_loop_close(&h.loop);
  lull_engine_free(e);
  return rc;
}

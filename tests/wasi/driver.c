/*
 * driver.c -- see driver.h.
 */
#include "driver.h"
#include "../test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wd_guest {
  lull_wasi *w;
  lull_linker *l;
  lull_instance *inst;
  lull_thread *t;
  lull_func *start;
  wd_state state;
  uint32_t code;
  unsigned wakes;
  char trap[256];
  wd_done_fn done;
  void *ud;
};

/* Records how a call or resume ended. */
static void settle(wd_guest *g, lull_status s) {
  if (s == LULL_SUSPENDED)
    return;
  if (s == LULL_OK) {
    g->state = WD_EXITED;
    g->code = 0;
  } else if (s == LULL_TRAP && lull_wasi_exited(g->w, &g->code)) {
    g->state = WD_EXITED;
  } else {
    g->state = WD_TRAPPED;
    snprintf(g->trap, sizeof g->trap, "%s", lull_thread_trap_message(g->t));
  }
  if (g->done)
    g->done(g, g->ud);
}

static void on_wake(void *ud, lull_thread *t, const lull_val *results,
                    size_t n) {
  wd_guest *g = ud;
  g->wakes++;
  settle(g, lull_resume(t, results, n, NULL, 0));
}

wd_guest *wd_new(lull_engine *e, uv_loop_t *loop, lull_module *m,
                 const lull_wasi_config *cfg, wd_done_fn done, void *ud) {
  wd_guest *g = calloc(1, sizeof *g);
  lull_error err;
  if (!g)
    return NULL;
  g->done = done;
  g->ud = ud;
  g->w = lull_wasi_new(e, loop, cfg, on_wake, g, &err);
  if (!g->w) {
    fprintf(stderr, "lull_wasi_new: %s\n", err.message);
    free(g);
    return NULL;
  }
  g->l = lull_linker_new(e);
  if (!g->l || lull_wasi_define(g->w, g->l) != LULL_OK ||
      lull_linker_instantiate(g->l, m, &g->inst, &err) != LULL_OK) {
    fprintf(stderr, "instantiate: %s\n", g->l ? err.message : "no memory");
    wd_free(g);
    return NULL;
  }
  g->t = lull_thread_new(e);
  g->start = lull_instance_func(g->inst, "_start");
  if (!g->t || !g->start) {
    fprintf(stderr, "no thread or no _start\n");
    wd_free(g);
    return NULL;
  }
  return g;
}

void wd_start(wd_guest *g) { settle(g, lull_call(g->t, g->start, NULL, 0, NULL, 0)); }

wd_state wd_state_of(const wd_guest *g) { return g->state; }
uint32_t wd_exit_code(const wd_guest *g) { return g->code; }
const char *wd_trap_message(const wd_guest *g) { return g->trap; }
lull_wasi *wd_wasi(wd_guest *g) { return g->w; }
lull_thread *wd_thread(wd_guest *g) { return g->t; }
lull_instance *wd_instance(wd_guest *g) { return g->inst; }
unsigned wd_wakes(const wd_guest *g) { return g->wakes; }

void wd_free(wd_guest *g) {
  if (!g)
    return;
  /* The context first: it cancels what the parked thread waits for. */
  lull_wasi_free(g->w);
  if (g->t)
    lull_thread_free(g->t);
  if (g->inst)
    lull_instance_free(g->inst);
  if (g->l)
    lull_linker_free(g->l);
  free(g);
}

unsigned char *wd_read_file(const char *path, size_t *len) {
  return test_read_file(path, len);
}

lull_module *wd_load_module(lull_engine *e, const char *path) {
  size_t len;
  unsigned char *bytes = wd_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "cannot read %s\n", path);
    return NULL;
  }
  lull_module *m = NULL;
  lull_error err;
  if (lull_module_new(e, bytes, len, &m, &err) != LULL_OK) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    m = NULL;
  }
  free(bytes);
  return m;
}

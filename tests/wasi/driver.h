/*
 * driver.h -- a minimal, test-only way to run WASI command modules on a
 * libuv loop: each guest gets its own WASI context, linker, instance and
 * thread; `_start` is called, and the context's wake callback resumes the
 * thread until it returns, exits or traps. The real scheduler lives in
 * loop/; this exists so the WASI layer can be tested on its own.
 */
#ifndef LULL_TEST_WASI_DRIVER_H
#define LULL_TEST_WASI_DRIVER_H

#include <uv.h>

#include "lull.h"
#include "lull_wasi.h"

typedef struct wd_guest wd_guest;

typedef enum wd_state {
  WD_RUNNING = 0, /* parked in a WASI call, or not started */
  WD_EXITED,      /* returned from _start (code 0) or called proc_exit */
  WD_TRAPPED      /* a real trap; see wd_trap_message */
} wd_state;

/* Called once when the guest ends (on the loop, or from wd_start when it
 * never parks). The guest's objects are still alive. */
typedef void (*wd_done_fn)(wd_guest *g, void *ud);

/* Makes the guest's context from `cfg` and instantiates `m`; returns NULL
 * and prints why on failure. Does not call _start yet. */
wd_guest *wd_new(lull_engine *e, uv_loop_t *loop, lull_module *m,
                 const lull_wasi_config *cfg, wd_done_fn done, void *ud);
/* Calls _start. */
void wd_start(wd_guest *g);
wd_state wd_state_of(const wd_guest *g);
uint32_t wd_exit_code(const wd_guest *g);
const char *wd_trap_message(const wd_guest *g);
lull_wasi *wd_wasi(wd_guest *g);
lull_thread *wd_thread(wd_guest *g);
lull_instance *wd_instance(wd_guest *g);
/* How many times the thread was woken (resumed by a WASI request). */
unsigned wd_wakes(const wd_guest *g);
/* Frees the context, thread, instance and linker. Safe inside `done`. */
void wd_free(wd_guest *g);

/* Reads a whole file; NULL if it cannot. */
unsigned char *wd_read_file(const char *path, size_t *len);
/* Decodes a module from a file; NULL and a message on failure. */
lull_module *wd_load_module(lull_engine *e, const char *path);

#endif

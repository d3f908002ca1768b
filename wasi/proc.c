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
 * entropy at boot.
 */
#include "wasi_internal.h"

#include <stdio.h>

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

int32_t lullw_random_get(lullw_call *c) {
  uint32_t ptr = LULLW_U32(c, 0), len = LULLW_U32(c, 1);
  if (!lullw_mem(c->mem, ptr, len))
    return LULLW_EFAULT;
  /* In pieces, reading the address again for each: nothing here runs
   * Wasm, but a piece at a time keeps each request small. */
  for (uint32_t done = 0; done < len;) {
    uint32_t k = len - done < 65536 ? len - done : 65536;
    uint8_t *p = lullw_mem(c->mem, (uint64_t)ptr + done, k);
    if (!p)
      return LULLW_EFAULT;
    int e = uv_random(NULL, NULL, p, k, 0, NULL);
    if (e < 0)
      return lullw_uverr(e);
    done += k;
  }
  return 0;
}

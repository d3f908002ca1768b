/*
 * clock.c -- clock_res_get and clock_time_get, and the two clocks the
 * rest of the layer measures deadlines with. WASI's monotonic clock is
 * the host's CLOCK_MONOTONIC, the one libuv's timers run on, so an
 * absolute monotonic deadline from the guest needs no conversion. The CPU
 * time clocks are the host process's and the host thread's: guests that
 * share a loop share those.
 */
#include "wasi_internal.h"

#include <time.h>

static int host_clock(uint32_t id, clockid_t *out) {
  switch (id) {
  case 0:
    *out = CLOCK_REALTIME;
    return 0;
  case 1:
    *out = CLOCK_MONOTONIC;
    return 0;
  case 2:
    *out = CLOCK_PROCESS_CPUTIME_ID;
    return 0;
  case 3:
    *out = CLOCK_THREAD_CPUTIME_ID;
    return 0;
  default:
    return -1;
  }
}

static uint64_t ns_of(const struct timespec *ts) {
  return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

uint64_t lullw_now_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ns_of(&ts);
}

uint64_t lullw_now_real(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ns_of(&ts);
}

int32_t lullw_clock_res_get(lullw_call *c) {
  clockid_t id;
  struct timespec ts;
  if (host_clock(LULLW_U32(c, 0), &id) != 0)
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, LULLW_U32(c, 1), 8))
    return LULLW_EFAULT;
  if (clock_getres(id, &ts) != 0)
    return LULLW_EINVAL;
  return lullw_put_u64(c->mem, LULLW_U32(c, 1), ns_of(&ts));
}

int32_t lullw_clock_time_get(lullw_call *c) {
  clockid_t id;
  struct timespec ts;
  /* Argument 1 is the precision the guest would accept; the host clocks
   * are read at their best. */
  if (host_clock(LULLW_U32(c, 0), &id) != 0)
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, LULLW_U32(c, 2), 8))
    return LULLW_EFAULT;
  if (clock_gettime(id, &ts) != 0)
    return LULLW_EINVAL;
  return lullw_put_u64(c->mem, LULLW_U32(c, 2), ns_of(&ts));
}

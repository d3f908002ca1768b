/*
 * consumer.c -- a program that links the whole library (lull, lull::lull):
 * the core's call, then a scheduler on a libuv loop of its own, so the
 * link line must bring libuv too. lull_uv.h includes uv.h, which needs
 * GNU C (gnu11) or _GNU_SOURCE.
 */
#include <stdint.h>
#include <stdio.h>

#include "lull.h"
#include "lull_uv.h"

#include "add_module.h"

int main(void) {
  if (run_add(20, 22) != 0)
    return 1;
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0)
    return 1;
  lull_engine *e = lull_engine_new(NULL);
  lull_uv_sched *s = e ? lull_uv_sched_new(&loop, e, NULL) : NULL;
  int ok = s != NULL && lull_uv_sched_count(s) == 0;
  if (s)
    lull_uv_sched_free(s);
  uv_run(&loop, UV_RUN_DEFAULT);
  int closed = uv_loop_close(&loop) == 0;
  lull_engine_free(e);
  if (!ok || !closed) {
    fprintf(stderr, "consumer: the scheduler failed\n");
    return 1;
  }
  printf("scheduler ok\n");
  return 0;
}

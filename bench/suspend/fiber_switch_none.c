/*
 * fiber_switch_none.c -- for machines without a fiber_switch_<arch>.c:
 * the "fiber-asm" way reports that it cannot run.
 */
#include <stdlib.h>

#include "fiber_switch.h"

void bench_fiber_switch(void **save, void *to) {
  (void)save;
  (void)to;
  abort(); /* bench_fiber_init returned NULL, so nobody gets here */
}

void *bench_fiber_init(void *lo, size_t size, void (*entry)(void *),
                       void *arg) {
  (void)lo;
  (void)size;
  (void)entry;
  (void)arg;
  return NULL;
}

/*
 * spin.c -- a demo guest that never waits: it reads the clock in a busy
 * loop for 3 seconds. On lull it runs in fuel slices, so the event loop
 * still turns (the host's timers fire on time) while it spins.
 *
 * Rebuild: make -C examples guests
 *   clang --target=wasm32-wasi -O2 -c spin.c
 *   clang --target=wasm32-wasi spin.o -Wl,--strip-debug -o spin.wasm
 */
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void) {
  printf("[wasm] spin 3s...\n");
  fflush(stdout);
  double start = now();
  unsigned long reads = 0;
  while (now() - start < 3.0)
    reads++;
  printf("[wasm] spun for 3s (%lu clock reads)\n", reads);
  fflush(stdout);
  return 0;
}

/*
 * sleep.c -- a demo guest that waits: it prints, sleeps 3 seconds through
 * WASI (poll_oneoff with a clock subscription, which lull turns into a
 * uv_timer while the guest stays parked), and prints again.
 *
 * Rebuild: make -C examples guests
 *   clang --target=wasm32-wasi -O2 -c sleep.c
 *   clang --target=wasm32-wasi sleep.o -Wl,--strip-debug -o sleep.wasm
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("[wasm] wait 3s...\n");
  fflush(stdout);
  sleep(3);
  printf("[wasm] exit\n");
  fflush(stdout);
  return 0;
}

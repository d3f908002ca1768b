/* sleep -- the guest of bench-concurrency: a plain C program built with
 * wasi-libc that sleeps one second and exits 0. libc's sleep() becomes
 * one poll_oneoff on the monotonic clock, so the guest parks once, in a
 * WASI call, for the whole second.
 *
 * Rebuild (the .wasm is committed; `make -C bench wasi-guests`):
 *   clang --target=wasm32-wasi -O2 sleep.c -o sleep.wasm
 */
#include <unistd.h>

int main(void) {
  sleep(1);
  return 0;
}

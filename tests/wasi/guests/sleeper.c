/* sleeper -- sleeps argv[1] milliseconds, then exits with argv[2] modulo
 * 256. Raw calls only, so it needs little memory: the 10,000-guest test
 * runs it. */
#include <stdint.h>
#include <wasi/api.h>

static uint32_t number(const char *s) {
  uint32_t v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (uint32_t)(*s++ - '0');
  return v;
}

int main(int argc, char **argv) {
  uint32_t ms = argc > 1 ? number(argv[1]) : 1000;
  uint32_t code = argc > 2 ? number(argv[2]) % 256 : 0;
  __wasi_subscription_t sub = {0};
  __wasi_event_t ev;
  __wasi_size_t n;
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = (uint64_t)ms * 1000000u;
  if (__wasi_poll_oneoff(&sub, &ev, 1, &n) != 0 || n != 1)
    return 100;
  return (int)code;
}

/* basic -- arguments, environment, clocks, random_get, sched_yield,
 * proc_raise, and proc_exit's code (exits with 7). */
#include <stdlib.h>

#include "wasi_test.h"

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; i++)
    printf("argv[%d] = '%s'\n", i, argv[i]);

  /* The raw calls agree with what libc got. */
  uint32_t n = 0, size = 0;
  EXPECT("args_sizes_get", raw_args_sizes_get(P(&n), P(&size)), 0);
  size_t want = 0;
  for (int i = 0; i < argc; i++)
    want += strlen(argv[i]) + 1;
  CHECK("args count and size", n == (uint32_t)argc && size == want);
  char *ptrs[8], buf[256];
  EXPECT("args_get", raw_args_get(P(ptrs), P(buf)), 0);
  CHECK("args_get strings", strcmp(ptrs[argc - 1], argv[argc - 1]) == 0);

  EXPECT("environ_sizes_get", raw_environ_sizes_get(P(&n), P(&size)), 0);
  printf("envc %u size %u\n", n, size);
  EXPECT("environ_get", raw_environ_get(P(ptrs), P(buf)), 0);
  for (uint32_t i = 0; i < n; i++)
    printf("env[%u] = '%s'\n", i, ptrs[i]);
  printf("getenv LULL_TEST = '%s'\n", getenv("LULL_TEST"));
  printf("getenv EMPTY = '%s'\n", getenv("EMPTY"));
  printf("getenv HOME = %s\n", getenv("HOME") ? "set" : "unset");

  /* Clocks. */
  static const char *const names[] = {"realtime", "monotonic", "process",
                                      "thread"};
  for (int id = 0; id < 4; id++) {
    uint64_t res = 0, t = 0;
    char what[64];
    snprintf(what, sizeof what, "clock_res_get %s", names[id]);
    EXPECT(what, raw_clock_res_get(id, P(&res)), 0);
    CHECK("resolution is positive", res > 0 && res <= 1000000000u);
    snprintf(what, sizeof what, "clock_time_get %s", names[id]);
    EXPECT(what, raw_clock_time_get(id, 1, P(&t)), 0);
    CHECK("time is positive", t > 0);
  }
  uint64_t t = 0;
  EXPECT("clock_res_get bad id", raw_clock_res_get(4, P(&t)), 28);
  EXPECT("clock_time_get bad id", raw_clock_time_get(99, 0, P(&t)), 28);
  CHECK("realtime is after 2020",
        now_ns(0) > (uint64_t)1577836800 * 1000000000u);
  uint64_t a = now_ns(1);
  uint64_t b = now_ns(1);
  CHECK("monotonic does not go back", b >= a);
  uint64_t cpu0 = now_ns(2);
  volatile uint64_t x = 0;
  for (int i = 0; i < 2000000; i++)
    x += (uint64_t)i;
  CHECK("process time advances when computing", now_ns(2) > cpu0 && x > 0);

  /* random_get */
  unsigned char r1[64], r2[64];
  memset(r1, 0, sizeof r1);
  memset(r2, 0, sizeof r2);
  EXPECT("random_get 64", raw_random_get(P(r1), 64), 0);
  EXPECT("random_get 64 again", raw_random_get(P(r2), 64), 0);
  CHECK("random bytes differ", memcmp(r1, r2, 64) != 0);
  EXPECT("random_get 0", raw_random_get(P(r1), 0), 0);
  static unsigned char big[200000];
  EXPECT("random_get 200000", raw_random_get(P(big), sizeof big), 0);
  int zeros = 0;
  for (size_t i = sizeof big - 1000; i < sizeof big; i++)
    zeros += big[i] == 0;
  CHECK("the end of a large request is filled", zeros < 50);

  /* sched_yield parks until the loop turns, then carries on. */
  for (int i = 0; i < 3; i++)
    EXPECT("sched_yield", raw_sched_yield(), 0);

  /* proc_raise: nothing, ignored by default, stopping, out of range. */
  EXPECT("proc_raise 0", raw_proc_raise(0), 0);
  EXPECT("proc_raise SIGCHLD", raw_proc_raise(16), 0);
  EXPECT("proc_raise SIGWINCH", raw_proc_raise(27), 0);
  EXPECT("proc_raise SIGSTOP", raw_proc_raise(18), 58);
  EXPECT("proc_raise 31", raw_proc_raise(31), 28);

  finish();
  exit(7);
}

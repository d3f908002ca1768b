/*
 * guest.c -- a WASI command for the CLI tests (test_cli.sh). argv[1]
 * picks what it does:
 *
 *   args ...        print argv, one per line
 *   env             print the environment, one per line
 *   exit N          exit with code N
 *   cat PATH        print a file (through a --dir preopen)
 *   write PATH TXT  write TXT to a file
 *   alloc MIB       allocate and touch MIB MiB; print "ok" or "no memory"
 *                   and exit 0 or 3
 *   trap            trap in a function named crash_here
 *   sleep MS        sleep, then print "slept"
 *
 * Rebuild: make -C tests/cli guests
 *   clang --target=wasm32-wasi -O2 -c guest.c
 *   clang --target=wasm32-wasi guest.o -Wl,--strip-debug -o guest.wasm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern char **environ;

__attribute__((noinline)) static void crash_here(void) {
  __builtin_trap();
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "guest: what to do?\n");
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "args")) {
    for (int i = 0; i < argc; i++)
      printf("%s\n", argv[i]);
    return 0;
  }
  if (!strcmp(cmd, "env")) {
    for (char **e = environ; *e; e++)
      printf("%s\n", *e);
    return 0;
  }
  if (!strcmp(cmd, "exit") && argc > 2)
    exit(atoi(argv[2]));
  if (!strcmp(cmd, "cat") && argc > 2) {
    FILE *f = fopen(argv[2], "r");
    if (!f) {
      perror(argv[2]);
      return 4;
    }
    int c;
    while ((c = fgetc(f)) != EOF)
      putchar(c);
    fclose(f);
    return 0;
  }
  if (!strcmp(cmd, "write") && argc > 3) {
    FILE *f = fopen(argv[2], "w");
    if (!f) {
      perror(argv[2]);
      return 4;
    }
    fputs(argv[3], f);
    return fclose(f) == 0 ? 0 : 4;
  }
  if (!strcmp(cmd, "alloc") && argc > 2) {
    size_t n = (size_t)atoi(argv[2]) << 20;
    /* volatile: the compiler must not drop the allocation. */
    char *volatile p = malloc(n);
    if (!p) {
      printf("no memory\n");
      return 3;
    }
    memset(p, 1, n);
    printf("ok %d\n", p[n - 1]);
    free(p);
    return 0;
  }
  if (!strcmp(cmd, "trap")) {
    crash_here();
    return 0;
  }
  if (!strcmp(cmd, "sleep") && argc > 2) {
    long ms = atol(argv[2]);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    printf("slept\n");
    return 0;
  }
  fprintf(stderr, "guest: unknown command %s\n", cmd);
  return 2;
}

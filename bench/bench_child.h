/*
 * bench_child.h -- measuring in a process of its own: resident memory is
 * only meaningful in a fresh process, and one that ends without freeing
 * anything. Shared by bench-concurrency and bench-suspend.
 */
#ifndef LULL_BENCH_CHILD_H
#define LULL_BENCH_CHILD_H

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks; the child runs fn(arg, fd), which writes `size` bytes of result
 * to fd and ends the process (with status 0 when it succeeded). Reads the
 * result into `out` and reaps the child. Returns 0, or -1 when anything
 * failed or the result is short. */
static inline int bench_in_child(void (*fn)(void *arg, int fd), void *arg,
                                 void *out, size_t size) {
  int fds[2], status;
  if (pipe(fds) != 0) {
    perror("pipe");
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    fn(arg, fds[1]);
    _exit(1); /* fn ends the process itself */
  }
  close(fds[1]);
  ssize_t k;
  while ((k = read(fds[0], out, size)) < 0 && errno == EINTR)
    ;
  close(fds[0]);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (k != (ssize_t)size || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return 0;
}

#endif

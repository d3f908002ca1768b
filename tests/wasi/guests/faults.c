/* faults -- every function given a guest pointer or length that leaves
 * the memory returns FAULT, and a buffer that straddles the end of the
 * memory counts as outside. Where part of a call's output would fit,
 * nothing of it may be written. */
#include "wasi_test.h"

#define F __WASI_ERRNO_FAULT
#define D 3

int main(void) {
  const i32 end = (i32)(__builtin_wasm_memory_size(0) * 65536u);
  const i32 edge = end - 2; /* 2 bytes left: any 4- or 8-byte value straddles */
  static char ok_buf[256];
  static uint32_t sentinel;
  const i32 ok = P(ok_buf);
  __wasi_iovec_t bad_iov = {(uint8_t *)(uintptr_t)0xFFFFFF00u, 0x200};
  __wasi_iovec_t edge_iov = {(uint8_t *)(uintptr_t)(uint32_t)edge, 4};
  __wasi_iovec_t ok_iov = {(uint8_t *)ok_buf, 4};
  int fd = -1;

  EXPECT("args_get argv", raw_args_get(BAD, ok), F);
  EXPECT("args_get buffer", raw_args_get(ok, BAD), F);
  EXPECT("args_get buffer at the edge", raw_args_get(ok, edge), F);
  EXPECT("args_sizes_get", raw_args_sizes_get(BAD, ok), F);
  EXPECT("args_sizes_get size", raw_args_sizes_get(ok, edge), F);
  sentinel = 0xAAAAAAAAu;
  EXPECT("args_sizes_get writes nothing on FAULT",
         raw_args_sizes_get(P(&sentinel), BAD), F);
  CHECK("the count was not written", sentinel == 0xAAAAAAAAu);
  EXPECT("environ_get", raw_environ_get(BAD, ok), F);
  EXPECT("environ_get buffer", raw_environ_get(ok, BAD), F);
  EXPECT("environ_sizes_get", raw_environ_sizes_get(ok, BAD), F);
  EXPECT("clock_res_get", raw_clock_res_get(0, BAD), F);
  EXPECT("clock_res_get at the edge", raw_clock_res_get(1, edge), F);
  EXPECT("clock_time_get", raw_clock_time_get(0, 0, BAD), F);
  EXPECT("clock_time_get at the edge", raw_clock_time_get(1, 0, end - 4), F);
  EXPECT("random_get", raw_random_get(BAD, 16), F);
  EXPECT("random_get past the end", raw_random_get(edge, 3), F);
  EXPECT("random_get a huge length", raw_random_get(ok, (i32)0xFFFFFFFF), F);

  EXPECT("fd_fdstat_get", raw_fd_fdstat_get(1, BAD), F);
  EXPECT("fd_fdstat_get at the edge", raw_fd_fdstat_get(1, end - 20), F);
  EXPECT("fd_filestat_get", raw_fd_filestat_get(D, BAD), F);
  EXPECT("fd_filestat_get at the edge", raw_fd_filestat_get(D, end - 60), F);
  EXPECT("fd_prestat_get", raw_fd_prestat_get(D, BAD), F);
  EXPECT("fd_prestat_dir_name", raw_fd_prestat_dir_name(D, BAD, 8), F);
  EXPECT("fd_prestat_dir_name at the edge",
         raw_fd_prestat_dir_name(D, edge, 8), F);
  EXPECT("fd_write iovec list", raw_fd_write(1, BAD, 1, ok), F);
  EXPECT("fd_write iovec list at the edge", raw_fd_write(1, edge, 1, ok), F);
  EXPECT("fd_write buffer", raw_fd_write(1, P(&bad_iov), 1, ok), F);
  EXPECT("fd_write buffer at the edge", raw_fd_write(1, P(&edge_iov), 1, ok),
         F);
  EXPECT("fd_write nwritten", raw_fd_write(1, P(&ok_iov), 1, BAD), F);
  EXPECT("fd_write many iovecs past the end",
         raw_fd_write(1, ok, 1000000, ok), __WASI_ERRNO_INVAL);
  EXPECT("fd_read buffer", raw_fd_read(0, P(&bad_iov), 1, ok), F);
  EXPECT("fd_read nread", raw_fd_read(0, P(&ok_iov), 1, BAD), F);
  EXPECT("open inside.txt", open_at(D, "inside.txt", 0, 0, 0, &fd), 0);
  EXPECT("fd_pread buffer", raw_fd_pread(fd, P(&bad_iov), 1, 0, ok), F);
  EXPECT("fd_pread nread", raw_fd_pread(fd, P(&ok_iov), 1, 0, BAD), F);
  EXPECT("fd_pwrite buffer", raw_fd_pwrite(fd, P(&bad_iov), 1, 0, ok), F);
  EXPECT("fd_pwrite nwritten", raw_fd_pwrite(fd, P(&ok_iov), 1, 0, BAD), F);
  EXPECT("fd_seek", raw_fd_seek(fd, 0, 0, BAD), F);
  EXPECT("fd_seek at the edge", raw_fd_seek(fd, 0, 0, end - 4), F);
  EXPECT("fd_tell", raw_fd_tell(fd, BAD), F);
  raw_fd_close(fd);
  EXPECT("fd_readdir buffer", raw_fd_readdir(D, BAD, 100, 0, ok), F);
  EXPECT("fd_readdir buffer past the end",
         raw_fd_readdir(D, edge, 100, 0, ok), F);
  EXPECT("fd_readdir bufused", raw_fd_readdir(D, ok, 100, 0, BAD), F);

  EXPECT("path_create_directory", raw_path_create_directory(D, BAD, 4), F);
  EXPECT("path_create_directory past the end",
         raw_path_create_directory(D, edge, 4), F);
  EXPECT("path_filestat_get path", raw_path_filestat_get(D, 0, BAD, 4, ok), F);
  EXPECT("path_filestat_get buffer",
         raw_path_filestat_get(D, 0, P("inside.txt"), 10, BAD), F);
  EXPECT("path_filestat_set_times",
         raw_path_filestat_set_times(D, 0, BAD, 4, 0, 0, 0), F);
  EXPECT("path_link old", raw_path_link(D, 0, BAD, 4, D, P("x"), 1), F);
  EXPECT("path_link new",
         raw_path_link(D, 0, P("inside.txt"), 10, D, BAD, 4), F);
  EXPECT("path_open path", raw_path_open(D, 0, BAD, 4, 0, 0, 0, 0, ok), F);
  EXPECT("path_open fd out",
         raw_path_open(D, 0, P("inside.txt"), 10, 0, 0, 0, 0, BAD), F);
  EXPECT("path_open fd out at the edge",
         raw_path_open(D, 0, P("inside.txt"), 10, 0, 0, 0, 0, edge), F);
  EXPECT("path_readlink path", raw_path_readlink(D, BAD, 4, ok, 10, ok), F);
  EXPECT("path_readlink buffer",
         raw_path_readlink(D, P("inside.txt"), 10, BAD, 10, ok), F);
  EXPECT("path_readlink bufused",
         raw_path_readlink(D, P("inside.txt"), 10, ok, 10, BAD), F);
  EXPECT("path_remove_directory", raw_path_remove_directory(D, BAD, 4), F);
  EXPECT("path_rename old", raw_path_rename(D, BAD, 4, D, P("x"), 1), F);
  EXPECT("path_rename new",
         raw_path_rename(D, P("inside.txt"), 10, D, BAD, 4), F);
  EXPECT("path_symlink target", raw_path_symlink(BAD, 4, D, P("x"), 1), F);
  EXPECT("path_symlink name", raw_path_symlink(P("x"), 1, D, BAD, 4), F);
  EXPECT("path_unlink_file", raw_path_unlink_file(D, BAD, 4), F);
  EXPECT("path_unlink_file huge length",
         raw_path_unlink_file(D, ok, (i32)0x7FFFFFFF), F);

  EXPECT("poll_oneoff subscriptions", raw_poll_oneoff(BAD, ok, 1, ok), F);
  EXPECT("poll_oneoff events", raw_poll_oneoff(ok, BAD, 1, ok), F);
  EXPECT("poll_oneoff nevents", raw_poll_oneoff(ok, ok, 1, BAD), F);
  EXPECT("poll_oneoff subscriptions past the end",
         raw_poll_oneoff(end - 48, ok, 2, ok), F);
  EXPECT("sock_accept", raw_sock_accept(0, 0, BAD), F);
  EXPECT("sock_recv datalen", raw_sock_recv(0, ok, 1, 0, BAD, ok), F);
  EXPECT("sock_recv flags", raw_sock_recv(0, ok, 1, 0, ok, BAD), F);
  EXPECT("sock_send datalen", raw_sock_send(0, ok, 1, 0, BAD), F);

  /* Nothing above touched what lies inside: the guest still works. */
  printf("still alive\n");
  return finish();
}

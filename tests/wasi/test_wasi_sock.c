/*
 * test_wasi_sock.c -- the socket calls against a real peer: the guest
 * (guests/sock.c) gets a listening Unix socket; this program connects to
 * it on the same loop with a uv_pipe_t and plays the script the guest
 * expects, checking what the guest sends.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include "test_util.h"

typedef struct peer {
  uv_loop_t *loop;
  const char *path;
  uv_pipe_t pipe;
  uv_connect_t conn;
  uv_timer_t timer;
  uv_shutdown_t shut;
  int step;
  char got[64];
  size_t ngot;
  int bye_sent, eof;
} peer;

static void write_done(uv_write_t *w, int status) {
  assert_int_equal(status, 0);
  free(w);
}

static void say(peer *p, const char *s) {
  uv_write_t *w = malloc(sizeof *w);
  uv_buf_t b = uv_buf_init((char *)s, (unsigned)strlen(s));
  assert_int_equal(uv_write(w, (uv_stream_t *)&p->pipe, &b, 1, write_done), 0);
}

static void alloc_cb(uv_handle_t *h, size_t size, uv_buf_t *buf) {
  static char space[256];
  buf->base = space;
  buf->len = sizeof space;
}

static void shut_done(uv_shutdown_t *s, int status) {}

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  peer *p = s->data;
  if (n == UV_EOF) {
    p->eof = 1;
    uv_close((uv_handle_t *)&p->pipe, NULL);
    return;
  }
  assert_true(n >= 0);
  assert_true(p->ngot + (size_t)n < sizeof p->got);
  memcpy(p->got + p->ngot, buf->base, (size_t)n);
  p->ngot += (size_t)n;
  if (p->ngot >= 10 && !p->bye_sent) {
    p->bye_sent = 1;
    say(p, "bye");
    uv_shutdown(&p->shut, (uv_stream_t *)&p->pipe, shut_done);
  }
}

static void step_cb(uv_timer_t *t) {
  peer *p = t->data;
  if (p->step == 0)
    say(p, "lo");
  else
    say(p, "peek!");
  if (++p->step < 2)
    uv_timer_start(&p->timer, step_cb, 50, 0);
  else
    uv_close((uv_handle_t *)&p->timer, NULL);
}

static void connected(uv_connect_t *c, int status) {
  peer *p = c->data;
  assert_int_equal(status, 0);
  say(p, "hel");
  p->pipe.data = p;
  uv_read_start((uv_stream_t *)&p->pipe, alloc_cb, read_cb);
  uv_timer_start(&p->timer, step_cb, 50, 0);
}

static void connect_cb(uv_timer_t *t) {
  peer *p = t->data;
  p->conn.data = p;
  uv_pipe_connect(&p->conn, &p->pipe, p->path, connected);
}

static void guest_done(wd_guest *g, void *ud) { *(int *)ud = 1; }

static void test_sockets(void **state) {
  char *dir = tu_tempdir();
  char sock_path[512];
  snprintf(sock_path, sizeof sock_path, "%s/sock", dir);
  int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {0};
  addr.sun_family = AF_UNIX;
  assert_true(strlen(sock_path) < sizeof addr.sun_path);
  memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);
  assert_int_equal(bind(lfd, (struct sockaddr *)&addr, sizeof addr), 0);
  assert_int_equal(listen(lfd, 4), 0);
  int in[2];
  assert_int_equal(pipe(in), 0);
  int out = tu_capture(dir, "out");

  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "sock");
  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.stdin_fd = in[0];
  cfg.stdout_fd = out;
  int done = 0;
  wd_guest *g = wd_new(e, &loop, m, &cfg, guest_done, &done);
  assert_non_null(g);
  uint32_t gfd = 0;
  lull_error err;
  assert_int_equal(lull_wasi_insert_fd(wd_wasi(g), lfd, &gfd, &err), LULL_OK);
  assert_int_equal(gfd, 3);
  assert_int_equal(lull_wasi_insert_fd(wd_wasi(g), 1000, &gfd, &err),
                   LULL_BADARG);

  peer p;
  memset(&p, 0, sizeof p);
  p.loop = &loop;
  p.path = sock_path;
  uv_pipe_init(&loop, &p.pipe, 0);
  uv_timer_init(&loop, &p.timer);
  p.timer.data = &p;
  uv_timer_start(&p.timer, connect_cb, 100, 0);

  wd_start(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_true(done);
  assert_int_equal(wd_state_of(g), WD_EXITED);
  assert_int_equal(wd_exit_code(g), 0);
  assert_true(p.eof);
  assert_int_equal(p.ngot, 10);
  assert_memory_equal(p.got, "HELLOworld", 10);
  wd_free(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);

  char *text = tu_slurp(dir, "out");
  tu_expect_output(text, "sock");
  free(text);
  close(out);
  close(in[0]);
  close(in[1]);
  lull_module_free(m);
  lull_engine_free(e);
  tu_rmtree(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sockets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * main.c -- the `lull` command: picks the subcommand and hands over to
 * the other files of cli/. Every path returns its status from main (no
 * exit()), so what was allocated is freed and leak checkers see a clean
 * process.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"

static const char usage_text[] =
    "usage: lull run [OPTIONS] FILE.wasm [ARGS]...\n"
    "       lull run --invoke NAME [OPTIONS] FILE.wasm [VALUES]...\n"
    "       lull resume [OPTIONS] SNAPSHOT\n"
    "       lull validate FILE.wasm\n"
    "       lull --version | --help\n";

static const char help_text[] =
    "\n"
    "lull runs WebAssembly modules with WASI preview 1 on an event loop; a\n"
    "guest can be saved to a file and resumed in another process.\n"
    "\n"
    "Commands:\n"
    "  run FILE.wasm [ARGS]...   run a WASI command (its _start) with\n"
    "                            argv = FILE's name and ARGS, only the\n"
    "                            environment given by --env, and exit with\n"
    "                            the guest's exit code\n"
    "  run --invoke NAME FILE.wasm [VALUES]...\n"
    "                            call export NAME (of a reactor: its\n"
    "                            _initialize runs first) with VALUES read by\n"
    "                            its parameter types, and print each result\n"
    "                            on a line as TYPE:VALUE (i32:42, f64:0.5)\n"
    "                            i32/i64: decimal or 0x hex; f32/f64: decimal,\n"
    "                            nan, inf, -inf; v128: 0x hex; references:\n"
    "                            null\n"
    "  resume SNAPSHOT           continue a guest saved by --snapshot-on; the\n"
    "                            module is read from the path the snapshot\n"
    "                            names and must not have changed; each\n"
    "                            directory the guest had must be granted\n"
    "                            again with --dir (a snapshot is data: it\n"
    "                            gives the guest nothing by itself)\n"
    "  validate FILE.wasm        check that FILE.wasm is a valid module\n"
    "\n"
    "FILE.wasm may also be a module in the text format (.wat): a file that\n"
    "starts with `(` (after white space and comments) is read as text.\n"
    "\n"
    "Options (before FILE.wasm; what follows it goes to the guest):\n"
    "  --dir HOST[::GUEST]       let the guest use directory HOST under the\n"
    "                            name GUEST (default: HOST); repeatable\n"
    "  --env KEY=VALUE           give the guest an environment variable;\n"
    "                            repeatable (no others are given)\n"
    "  --fuel-slice N            run the guest at most N instructions at a\n"
    "                            time before letting the event loop turn\n"
    "                            (default 1000000; fewer when they take\n"
    "                            longer than 2 ms)\n"
    "  --max-memory MIB          cap the guest's memory at MIB MiB (1-4096)\n"
    "  --snapshot-on SIGNAL      on SIGNAL (USR1, USR2, HUP, INT, QUIT,\n"
    "                            TERM, ALRM, WINCH or a real-time number),\n"
    "                            save the guest at its next pause to the\n"
    "  --snapshot-file FILE      snapshot FILE and exit with status 0\n"
    "  --invoke NAME             see run --invoke above\n"
    "  --max-file MIB            refuse a module or snapshot file larger\n"
    "                            than MIB MiB (default: 1024 for modules,\n"
    "                            8192 for snapshots); input files must be\n"
    "                            regular files\n"
    "  --cache DIR               keep the compiled module in DIR (made if\n"
    "                            missing) and load it from there next time\n"
    "                            instead of compiling it again\n"
    "run accepts every option; resume accepts --dir (HOST only: the\n"
    "directories it grants), --fuel-slice, --max-memory, --max-file,\n"
    "--cache, --snapshot-on and --snapshot-file.\n"
    "\n"
    "Exit status:\n"
    "  the guest's      the code it gave proc_exit (above 255: 255), or 0\n"
    "  exit code        when _start or the invoked export returns\n"
    "  0                --snapshot-on: the snapshot was written\n"
    "  64               usage: unknown option, missing or bad argument or\n"
    "                   value, no such export for --invoke\n"
    "  65               invalid or malformed module, no _start, imports\n"
    "                   lull cannot provide, memory over --max-memory, bad\n"
    "                   or mismatched snapshot, a file over --max-file\n"
    "  66               FILE.wasm, a --dir, the snapshot or the module it\n"
    "                   names cannot be read or is not a regular file\n"
    "  70               internal error (out of memory, event loop failure)\n"
    "  73               the folder of --snapshot-file is not writable,\n"
    "                   or the file exists and is not a regular file\n"
    "  74               the guest exited with 0, but a write it was told\n"
    "                   had succeeded failed later (a full disk, say);\n"
    "                   stderr names the descriptor and the error\n"
    "  77               the snapshot names a directory not granted with\n"
    "                   --dir\n"
    "  134              the guest trapped; the trap message and backtrace\n"
    "                   are printed on stderr (128 + SIGABRT, as a C\n"
    "                   program that aborts)\n"
    "  135              an exception no frame caught; a message naming its\n"
    "                   tag and the backtrace of the throw are printed on\n"
    "                   stderr\n"
    "A guest may exit with any of these codes itself; lull's own messages on\n"
    "stderr start with \"lull: \".\n";

int main(int argc, char **argv) {
  /* Started with 0, 1 or 2 closed, the process would hand those numbers
   * to libuv's own descriptors, and the guest's stdio would read and
   * close them: /dev/null takes their place before any loop is made. */
  int stdio_err = lull_wasi_open_stdio();
  if (stdio_err != 0) {
    lullc_error("cannot open /dev/null in place of a closed standard "
                "descriptor: %s", strerror(-stdio_err));
    return LULLC_EXIT_SOFTWARE;
  }
  /* A guest writing to a closed pipe gets EPIPE from fd_write, as a
   * native program that ignores SIGPIPE would, instead of lull dying. */
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    fputs(usage_text, stderr);
    return LULLC_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    fputs(help_text, stdout);
    return LULLC_EXIT_OK;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") ||
      !strcmp(cmd, "version")) {
    printf("lull %s\n", LULL_VERSION_STRING);
    return LULLC_EXIT_OK;
  }
  if (!strcmp(cmd, "run") || !strcmp(cmd, "resume") ||
      !strcmp(cmd, "validate")) {
    if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
      fputs(usage_text, stdout);
      fputs(help_text, stdout);
      return LULLC_EXIT_OK;
    }
  }
  if (!strcmp(cmd, "run") || !strcmp(cmd, "resume")) {
    int resume = cmd[1] == 'e';
    lullc_opts o;
    int rc = lullc_parse(argc - 2, argv + 2, resume, &o);
    if (rc != 0)
      return rc;
    rc = resume ? lullc_resume(&o) : lullc_run(&o);
    lullc_opts_free(&o);
    return rc;
  }
  if (!strcmp(cmd, "validate")) {
    if (argc != 3 || argv[2][0] == '-') {
      lullc_error("validate: expected one FILE.wasm");
      fputs(usage_text, stderr);
      return LULLC_EXIT_USAGE;
    }
    return lullc_validate(argv[2]);
  }
  lullc_error("unknown command '%s'", cmd);
  fputs(usage_text, stderr);
  return LULLC_EXIT_USAGE;
}

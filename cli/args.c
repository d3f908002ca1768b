/*
 * args.c -- the options of `lull run` and `lull resume`.
 *
 * Options come before the file; everything after the file belongs to the
 * guest (so a guest's own "--flag" passes through). "--" ends the options.
 * Each option takes its value as the next argument or after "=".
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_internal.h"

/* Signals --snapshot-on accepts by name. */
static const struct {
  const char *name;
  int num;
} signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM},
    {"ALRM", SIGALRM}, {"WINCH", SIGWINCH},
};

int lullc_signal(const char *name) {
  if (!name || !*name)
    return 0;
  if (name[0] >= '0' && name[0] <= '9') {
    char *end;
    errno = 0;
    long n = strtol(name, &end, 10);
    if (errno || *end)
      return 0;
    /* A number is one of the signals named below or a real-time one:
     * the others cannot be caught, are the C library's own (32, 33), or
     * mean a fault or a child (SIGSEGV, SIGCHLD, SIGPIPE, ...) that a
     * snapshot must not be taken on. */
    if (n >= SIGRTMIN && n <= SIGRTMAX)
      return (int)n;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
      if (signals[i].num == n)
        return (int)n;
    return 0;
  }
  if (strncasecmp(name, "SIG", 3) == 0)
    name += 3;
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
    if (strcasecmp(name, signals[i].name) == 0)
      return signals[i].num;
  return 0;
}

/* A positive decimal number with nothing after it; 0 when it is not. */
static uint64_t parse_count(const char *s) {
  if (!s || *s < '0' || *s > '9')
    return 0;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end)
    return 0;
  return (uint64_t)v;
}

void lullc_opts_free(lullc_opts *o) {
  free(o->dirs);
  free(o->env);
  o->dirs = NULL;
  o->env = NULL;
}

enum {
  OPT_DIR,
  OPT_ENV,
  OPT_FUEL,
  OPT_MEM,
  OPT_SIGNAL,
  OPT_FILE,
  OPT_INVOKE,
  OPT_MAX_FILE,
  OPT_CACHE
};

static const struct {
  const char *name;
  int id;
  int in_resume; /* allowed with `resume` */
} options[] = {
    {"--dir", OPT_DIR, 1},          {"--env", OPT_ENV, 0},
    {"--fuel-slice", OPT_FUEL, 1},  {"--max-memory", OPT_MEM, 1},
    {"--snapshot-on", OPT_SIGNAL, 1}, {"--snapshot-file", OPT_FILE, 1},
    {"--invoke", OPT_INVOKE, 0},    {"--max-file", OPT_MAX_FILE, 1},
    {"--cache", OPT_CACHE, 1},
};

int lullc_parse(int argc, char **argv, int resume, lullc_opts *o) {
  const char *cmd = resume ? "resume" : "run";
  memset(o, 0, sizeof *o);
  o->dirs = calloc((size_t)argc + 1, sizeof *o->dirs);
  o->env = calloc((size_t)argc + 1, sizeof *o->env);
  if (!o->dirs || !o->env) {
    lullc_error("out of memory");
    lullc_opts_free(o);
    return LULLC_EXIT_SOFTWARE;
  }
  int i = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-' || a[1] == '\0')
      break;
    size_t nlen = strcspn(a, "=");
    int id = -1, in_resume = 0;
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++)
      if (strlen(options[k].name) == nlen &&
          strncmp(a, options[k].name, nlen) == 0) {
        id = options[k].id;
        in_resume = options[k].in_resume;
      }
    if (id < 0) {
      lullc_error("%s: unknown option '%s' (see lull --help)", cmd, a);
      goto usage;
    }
    if (resume && !in_resume) {
      lullc_error("resume: '%.*s' is not allowed: the snapshot holds the "
                      "guest's arguments and environment",
                      (int)nlen, a);
      goto usage;
    }
    const char *v;
    if (a[nlen] == '=') {
      v = a + nlen + 1;
    } else if (i + 1 < argc) {
      v = argv[++i];
    } else {
      lullc_error("%s: option '%s' needs a value", cmd, a);
      goto usage;
    }
    switch (id) {
    case OPT_DIR: {
      const char *sep = strstr(v, "::");
      lullc_dir *d = &o->dirs[o->ndirs++];
      d->host = v;
      d->guest = sep ? sep + 2 : NULL;
      if (v[0] == '\0' || sep == v || (sep && sep[2] == '\0')) {
        lullc_error("%s: --dir '%s': expected HOST or HOST::GUEST", cmd,
                        v);
        goto usage;
      }
      break;
    }
    case OPT_ENV:
      if (v[0] == '=' || !strchr(v, '=')) {
        lullc_error("%s: --env '%s': expected KEY=VALUE", cmd, v);
        goto usage;
      }
      o->env[o->nenv++] = v;
      break;
    case OPT_FUEL:
      o->fuel_slice = parse_count(v);
      if (o->fuel_slice == 0) {
        lullc_error("%s: --fuel-slice '%s': expected a positive number "
                        "of instructions",
                        cmd, v);
        goto usage;
      }
      break;
    case OPT_MEM: {
      uint64_t mib = parse_count(v);
      if (mib == 0 || mib > 4096) {
        lullc_error("%s: --max-memory '%s': expected MiB from 1 to 4096",
                        cmd, v);
        goto usage;
      }
      o->max_pages = (uint32_t)(mib * 16);
      break;
    }
    case OPT_SIGNAL:
      o->snap_signal = lullc_signal(v);
      if (!o->snap_signal) {
        lullc_error("%s: --snapshot-on '%s': expected a signal lull can "
                        "watch: HUP, INT, QUIT, USR1, USR2, TERM, ALRM, "
                        "WINCH or a real-time signal's number (%d-%d)",
                        cmd, v, SIGRTMIN, SIGRTMAX);
        goto usage;
      }
      break;
    case OPT_FILE:
      if (!*v) {
        lullc_error("%s: --snapshot-file needs a file name", cmd);
        goto usage;
      }
      o->snap_file = v;
      break;
    case OPT_MAX_FILE: {
      uint64_t mib = parse_count(v);
      if (mib == 0 || mib > (1u << 20)) {
        lullc_error("%s: --max-file '%s': expected MiB from 1 to 1048576",
                        cmd, v);
        goto usage;
      }
      o->max_file = mib << 20;
      break;
    }
    case OPT_CACHE:
      if (!*v) {
        lullc_error("%s: --cache needs a directory", cmd);
        goto usage;
      }
      o->cache = v;
      break;
    case OPT_INVOKE:
      if (!*v) {
        lullc_error("%s: --invoke needs an export name", cmd);
        goto usage;
      }
      o->invoke = v;
      break;
    }
  }
  if (o->snap_signal && !o->snap_file) {
    lullc_error("%s: --snapshot-on needs --snapshot-file", cmd);
    goto usage;
  }
  if (o->snap_file && !o->snap_signal) {
    lullc_error("%s: --snapshot-file needs --snapshot-on", cmd);
    goto usage;
  }
  if (i >= argc) {
    lullc_error("%s: missing %s (see lull --help)", cmd,
                    resume ? "SNAPSHOT" : "FILE.wasm");
    goto usage;
  }
  o->file = argv[i++];
  o->nargs = argc - i;
  o->args = argv + i;
  if (resume && o->nargs) {
    lullc_error("resume: unexpected argument '%s' after the snapshot",
                    o->args[0]);
    goto usage;
  }
  return 0;
usage:
  lullc_opts_free(o);
  return LULLC_EXIT_USAGE;
}

/*
 * commands.c -- what each wast2json command asserts, and the loop that
 * runs a file's commands, counts them and reports failures.
 *
 * Counting rules (see README.md): a command whose kind is selected counts
 * as passed, failed or skipped. When any execution kind is selected, the
 * commands that build or change state (modules, registrations, every call)
 * also run when their own kind is not selected, without being counted, so
 * that e.g. --kinds=return sees the memory an earlier "action" wrote.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "runner.h"
#include "session.h"
#include "values.h"

typedef enum outcome { PASS, FAIL, SKIP } outcome;

typedef struct ctx {
  spec_session s;
  const spec_opts *o;
  int exec;        /* module commands instantiate (else only validate) */
  char *msg;       /* the current command's failure message */
  size_t msglen;
  const char *wast; /* the file's name without folders, for errata */
} ctx;

__attribute__((format(printf, 2, 3))) static outcome fail(ctx *c,
                                                          const char *fmt,
                                                          ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->msg, c->msglen, fmt, ap);
  va_end(ap);
  return FAIL;
}

static int starts_with(const char *msg, const char *text) {
  return strncmp(msg, text, strlen(text)) == 0;
}

/* The module binary of an assert_* or module command. Text modules cannot
 * be decoded; the caller skips those. */
static int read_module(ctx *c, const spec_json *cmd, const uint8_t **bytes,
                       size_t *len) {
  return spec_session_read(&c->s, spec_json_get_str(cmd, "filename"), bytes,
                           len, c->msg, c->msglen);
}

static int is_text(const spec_json *cmd) {
  const char *mt = spec_json_get_str(cmd, "module_type");
  return mt && strcmp(mt, "text") == 0;
}

/* "name" or $M."name", for messages about an action. */
static void describe_action(const spec_json *act, char *buf, size_t n) {
  const spec_json *field = spec_json_get(act, "field");
  const char *mod = spec_json_get_str(act, "module");
  char quoted[200];
  if (field && field->kind == SPEC_JSON_STRING)
    spec_quote(field->str, field->len, quoted, sizeof quoted);
  else
    snprintf(quoted, sizeof quoted, "?");
  snprintf(buf, n, "%s%s\"%s\"", mod ? mod : "", mod ? "." : "", quoted);
}

/* Runs the action of `cmd` into `a` (free it with spec_action_fini) and
 * describes it in `what`. Returns 1 when it ran; else the command has
 * failed, saying why. */
static int run_action(ctx *c, const spec_json *cmd, char *what, size_t n,
                      spec_action *a) {
  const spec_json *act = spec_json_get(cmd, "action");
  describe_action(act, what, n);
  spec_action_run(&c->s, act, a);
  if (!a->ran)
    fail(c, "%s: %s", what, a->message);
  return a->ran;
}

/* ------------------------------------------------------------------ */

static unsigned line_of(const spec_json *cmd) {
  const spec_json *ln = spec_json_get(cmd, "line");
  return ln && ln->kind == SPEC_JSON_NUMBER ? (unsigned)ln->num : 0;
}

#define TEXT_MODULE "a text-format module, which this runner cannot read"

/* Why lull's text format rejected a text module (scripts read by
 * script.c), or NULL: wast2json's text modules carry no such key and are
 * skipped. */
static const char *text_error(const spec_json *cmd) {
  return is_text(cmd) ? spec_json_get_str(cmd, "text_error") : NULL;
}

/* The module of a "module" or "module_definition" command: validated
 * only when nothing runs, else compiled and, when `instance` is not NULL,
 * instantiated. `error` (SPEC_MSG bytes) keeps why there is no module or
 * instance, for the commands that need them later. */
static outcome load_module(ctx *c, const spec_json *cmd, lull_module **module,
                           lull_instance **instance, char *error) {
  if (text_error(cmd)) {
    snprintf(error, SPEC_MSG, "%s", text_error(cmd));
    return fail(c, "expected a valid module, got malformed text: %s",
                text_error(cmd));
  }
  if (is_text(cmd)) {
    snprintf(error, SPEC_MSG, TEXT_MODULE);
    return SKIP;
  }
  const uint8_t *bytes;
  size_t len;
  if (read_module(c, cmd, &bytes, &len) != 0) {
    snprintf(error, SPEC_MSG, "%s", c->msg);
    return FAIL;
  }
  lull_error e;
  memset(&e, 0, sizeof e);
  lull_status st;
  if (!c->exec) {
    st = lull_validate(c->s.engine, bytes, len, &e);
    snprintf(error, SPEC_MSG, "only validated in this run");
  } else if (instance) {
    st = spec_session_instantiate(&c->s, bytes, len, module, instance, &e);
  } else {
    st = lull_module_new(c->s.engine, bytes, len, module, &e);
  }
  if (st == LULL_OK)
    return PASS;
  if (c->exec)
    snprintf(error, SPEC_MSG, "%s: %s", lull_status_str(st), e.message);
  if (c->exec && instance)
    return fail(c, "expected the module to instantiate, got %s", error);
  return fail(c, "expected a valid module, got %s: %s", lull_status_str(st),
              e.message);
}

static outcome cmd_module(ctx *c, const spec_json *cmd) {
  spec_loaded *l =
      spec_session_add(&c->s, spec_json_get_str(cmd, "name"), line_of(cmd));
  if (!l)
    return fail(c, "out of memory");
  return load_module(c, cmd, &l->module, &l->instance, l->error);
}

/* (module definition $M ...): compiled (or, when nothing runs, only
 * validated) and kept for the module_instance commands that follow. */
static outcome cmd_module_definition(ctx *c, const spec_json *cmd) {
  spec_def *d = spec_session_define(&c->s, spec_json_get_str(cmd, "name"),
                                    line_of(cmd));
  if (!d)
    return fail(c, "out of memory");
  return load_module(c, cmd, &d->module, NULL, d->error);
}

/* (module instance $I $M): instantiates definition $M (or the latest) and
 * makes the instance current, named $I. */
static outcome cmd_module_instance(ctx *c, const spec_json *cmd) {
  spec_loaded *l =
      spec_session_add(&c->s, spec_json_get_str(cmd, "name"), line_of(cmd));
  if (!l)
    return fail(c, "out of memory");
  lull_module *m = spec_session_definition(
      &c->s, spec_json_get_str(cmd, "module"), l->error, sizeof l->error);
  if (!m)
    return fail(c, "%s", l->error);
  lull_error e;
  lull_status st = spec_session_link(&c->s, m, &l->instance, &e);
  if (st != LULL_OK) {
    snprintf(l->error, sizeof l->error, "%s: %s", lull_status_str(st),
             e.message);
    return fail(c, "expected the module to instantiate, got %s", l->error);
  }
  return PASS;
}

static outcome cmd_register(ctx *c, const spec_json *cmd) {
  const char *as = spec_json_get_str(cmd, "as");
  if (!as)
    return fail(c, "register without \"as\"");
  lull_instance *inst = spec_session_instance(
      &c->s, spec_json_get_str(cmd, "name"), c->msg, c->msglen);
  if (!inst || spec_session_runtime(&c->s, c->msg, c->msglen) != 0)
    return FAIL;
  lull_status st = lull_linker_define_instance(c->s.linker, as, inst);
  if (st != LULL_OK)
    return fail(c, "lull_linker_define_instance(\"%s\"): %s", as,
                lull_status_str(st));
  return PASS;
}

static outcome cmd_action(ctx *c, const spec_json *cmd) {
  char what[256];
  spec_action a;
  outcome r = PASS;
  if (!run_action(c, cmd, what, sizeof what, &a))
    r = FAIL;
  else if (a.status != LULL_OK)
    r = fail(c, "%s: %s: %s", what, lull_status_str(a.status), a.message);
  spec_action_fini(&a);
  return r;
}

static void free_expected(spec_value *vals, size_t n) {
  for (size_t i = 0; i < n; i++)
    spec_value_fini(&vals[i]);
  free(vals);
}

/* Reads the expected results. *out is malloc'd (NULL when there are
 * none); free it with free_expected. */
static int read_expected(ctx *c, const spec_json *cmd, spec_value **out,
                         size_t *n) {
  const spec_json *exp = spec_json_get(cmd, "expected");
  *out = NULL;
  *n = 0;
  if (!exp || exp->kind != SPEC_JSON_ARRAY) {
    fail(c, "no \"expected\" array");
    return -1;
  }
  if (exp->len == 0)
    return 0;
  spec_value *vals = calloc(exp->len, sizeof *vals);
  if (!vals) {
    fail(c, "out of memory");
    return -1;
  }
  size_t i = 0;
  char why[256];
  for (const spec_json *v = exp->child; v; v = v->next, i++)
    if (spec_value_parse(v, &vals[i], why, sizeof why) != 0) {
      fail(c, "expected value %zu: %s", i, why);
      free_expected(vals, i);
      return -1;
    }
  *out = vals;
  *n = exp->len;
  return 0;
}

static outcome compare_results(ctx *c, const char *what, const spec_value *exp,
                               size_t nexp, const spec_action *a) {
  if (a->nresults != nexp)
    return fail(c, "%s: expected %zu results, got %zu", what, nexp,
                a->nresults);
  for (size_t i = 0; i < nexp; i++) {
    if (spec_value_match(&exp[i], &a->results[i]))
      continue;
    char want[400], got[200];
    spec_value_format(&exp[i], want, sizeof want);
    spec_val_format(&a->results[i], exp[i].lanes, got, sizeof got);
    const char *why = spec_value_unsupported(&exp[i]);
    if (why)
      return fail(c, "%s: result %zu: expected %s, got %s (%s)", what, i,
                  want, got, why);
    return fail(c, "%s: result %zu: expected %s, got %s", what, i, want, got);
  }
  return PASS;
}

static outcome cmd_return(ctx *c, const spec_json *cmd) {
  spec_value *exp;
  size_t nexp;
  if (read_expected(c, cmd, &exp, &nexp) != 0)
    return FAIL;
  char what[256];
  spec_action a;
  outcome r;
  if (!run_action(c, cmd, what, sizeof what, &a))
    r = FAIL;
  else if (a.status != LULL_OK)
    r = fail(c, "%s: expected results, got %s: %s", what,
             lull_status_str(a.status), a.message);
  else
    r = compare_results(c, what, exp, nexp, &a);
  spec_action_fini(&a);
  free_expected(exp, nexp);
  return r;
}

/* assert_trap on an action and assert_exhaustion: the call must trap with
 * a message starting with "text". */
static outcome expect_call_trap(ctx *c, const spec_json *cmd) {
  const char *text = spec_json_get_str(cmd, "text");
  if (!text)
    return fail(c, "no \"text\"");
  char what[256];
  spec_action a;
  outcome r = PASS;
  if (!run_action(c, cmd, what, sizeof what, &a))
    r = FAIL;
  else if (a.status == LULL_OK)
    r = fail(c, "%s: expected trap \"%s\", got results", what, text);
  else if (a.status != LULL_TRAP || !starts_with(a.message, text))
    r = fail(c, "%s: expected trap \"%s\", got %s: %s", what, text,
             lull_status_str(a.status), a.message);
  spec_action_fini(&a);
  return r;
}

/* assert_unlinkable, assert_uninstantiable and assert_trap on a module:
 * the module compiles, and instantiating it fails with `want` and a
 * message starting with "text". */
static outcome expect_instantiate_failure(ctx *c, const spec_json *cmd,
                                          lull_status want) {
  const char *text = spec_json_get_str(cmd, "text");
  if (!text)
    return fail(c, "no \"text\"");
  if (text_error(cmd))
    return fail(c, "expected %s \"%s\", got malformed text: %s",
                lull_status_str(want), text, text_error(cmd));
  if (is_text(cmd))
    return SKIP;
  lull_module *m = NULL;
  lull_instance *inst;
  lull_error e;
  lull_status st;
  const char *mt = spec_json_get_str(cmd, "module_type");
  if (mt && strcmp(mt, "instance") == 0) {
    /* An instance of an earlier definition, which stays its owner. */
    lull_module *def = spec_session_definition(
        &c->s, spec_json_get_str(cmd, "module"), c->msg, c->msglen);
    if (!def)
      return FAIL;
    st = spec_session_link(&c->s, def, &inst, &e);
  } else {
    const uint8_t *bytes;
    size_t len;
    if (read_module(c, cmd, &bytes, &len) != 0)
      return FAIL;
    st = spec_session_instantiate(&c->s, bytes, len, &m, &inst, &e);
  }
  outcome r = PASS;
  if (st == LULL_OK)
    r = fail(c, "expected %s \"%s\", but it instantiated",
             lull_status_str(want), text);
  else if (st != want || !starts_with(e.message, text))
    r = fail(c, "expected %s \"%s\", got %s: %s", lull_status_str(want), text,
             lull_status_str(st), e.message);
  lull_instance_free(inst);
  lull_module_free(m);
  return r;
}

static outcome cmd_trap(ctx *c, const spec_json *cmd) {
  if (spec_json_get(cmd, "action"))
    return expect_call_trap(c, cmd);
  return expect_instantiate_failure(c, cmd, LULL_TRAP);
}

static outcome cmd_exhaustion(ctx *c, const spec_json *cmd) {
  return expect_call_trap(c, cmd);
}

/* The call must end with an exception nobody caught (LULL_EXCEPTION),
 * not with results or a trap. */
static outcome cmd_exception(ctx *c, const spec_json *cmd) {
  char what[256];
  spec_action a;
  outcome r = PASS;
  if (!run_action(c, cmd, what, sizeof what, &a))
    r = FAIL;
  else if (a.status == LULL_OK)
    r = fail(c, "%s: expected an exception, got results", what);
  else if (a.status != LULL_EXCEPTION)
    r = fail(c, "%s: expected an exception, got %s: %s", what,
             lull_status_str(a.status), a.message);
  spec_action_fini(&a);
  return r;
}

static outcome cmd_unlinkable(ctx *c, const spec_json *cmd) {
  return expect_instantiate_failure(c, cmd, LULL_UNLINKABLE);
}

static outcome cmd_uninstantiable(ctx *c, const spec_json *cmd) {
  return expect_instantiate_failure(c, cmd, LULL_TRAP);
}

/* Commands whose binary module, as wast2json 1.0.32 writes it, is not the
 * module the .wast text describes. They still run, but against what the
 * spec says about the bytes actually given; the runner says so each time. */
typedef struct erratum {
  const char *wast;
  unsigned line;
  const char *text;  /* the expected message for the bytes given */
  const char *why;
} erratum;

static const erratum errata[] = {
    {"select.wast", 324, "type mismatch",
     "wast2json encodes (select (result) ...) as untyped select (0x1b); for "
     "those bytes the spec's error is \"type mismatch\", not \"invalid "
     "result arity\""},
};

/* The expected text of `cmd`, corrected by an erratum if one applies. */
static const char *expected_text(ctx *c, const spec_json *cmd,
                                 const char *text) {
  const spec_json *ln = spec_json_get(cmd, "line");
  unsigned line = ln && ln->kind == SPEC_JSON_NUMBER ? (unsigned)ln->num : 0;
  for (size_t i = 0; c->wast && i < sizeof errata / sizeof errata[0]; i++)
    if (errata[i].line == line && strcmp(errata[i].wast, c->wast) == 0) {
      printf("  %s:%u: erratum: %s\n", c->wast, line, errata[i].why);
      return errata[i].text;
    }
  return text;
}

/* assert_invalid and assert_malformed: lull_validate must reject the
 * binary with `want` and a message starting with "text". A text module
 * that lull's text format rejected passes a malformed assertion when its
 * message starts with "text"; from wast2json (which does not say why) it
 * is skipped. */
static outcome expect_rejected(ctx *c, const spec_json *cmd,
                               lull_status want) {
  const char *text = spec_json_get_str(cmd, "text");
  if (!text)
    return fail(c, "no \"text\"");
  const char *terr = text_error(cmd);
  if (terr && want == LULL_MALFORMED && !starts_with(terr, text))
    return fail(c, "expected malformed \"%s\", got malformed text: %s",
                text, terr);
  if (terr)
    return want == LULL_MALFORMED
               ? PASS
               : fail(c, "expected %s \"%s\", got malformed text: %s",
                      lull_status_str(want), text, terr);
  if (is_text(cmd))
    return SKIP;
  text = expected_text(c, cmd, text);
  const uint8_t *bytes;
  size_t len;
  if (read_module(c, cmd, &bytes, &len) != 0)
    return FAIL;
  lull_error e;
  memset(&e, 0, sizeof e);
  lull_status st = lull_validate(c->s.engine, bytes, len, &e);
  if (st == LULL_OK)
    return fail(c, "expected %s \"%s\", but it validated",
                lull_status_str(want), text);
  if (st != want || !starts_with(e.message, text))
    return fail(c, "expected %s \"%s\", got %s: %s", lull_status_str(want),
                text, lull_status_str(st), e.message);
  return PASS;
}

static outcome cmd_invalid(ctx *c, const spec_json *cmd) {
  return expect_rejected(c, cmd, LULL_INVALID);
}

static outcome cmd_malformed(ctx *c, const spec_json *cmd) {
  return expect_rejected(c, cmd, LULL_MALFORMED);
}

/* ------------------------------------------------------------------ */

typedef outcome (*handler)(ctx *c, const spec_json *cmd);

static const struct {
  const char *type;
  unsigned kindno;
  handler fn;
} commands[] = {
    {"module", SPEC_KINDNO_MODULE, cmd_module},
    {"module_definition", SPEC_KINDNO_MODULE, cmd_module_definition},
    {"module_instance", SPEC_KINDNO_INSTANCE, cmd_module_instance},
    {"register", SPEC_KINDNO_REGISTER, cmd_register},
    {"action", SPEC_KINDNO_ACTION, cmd_action},
    {"assert_return", SPEC_KINDNO_RETURN, cmd_return},
    {"assert_trap", SPEC_KINDNO_TRAP, cmd_trap},
    {"assert_exhaustion", SPEC_KINDNO_EXHAUSTION, cmd_exhaustion},
    {"assert_exception", SPEC_KINDNO_EXCEPTION, cmd_exception},
    {"assert_invalid", SPEC_KINDNO_INVALID, cmd_invalid},
    {"assert_malformed", SPEC_KINDNO_MALFORMED, cmd_malformed},
    {"assert_unlinkable", SPEC_KINDNO_UNLINKABLE, cmd_unlinkable},
    {"assert_uninstantiable", SPEC_KINDNO_UNINSTANTIABLE, cmd_uninstantiable},
};

/* Failure output, bounded per file unless verbose. */
typedef struct report {
  const spec_opts *o;
  const char *display;
  spec_counts *counts;
  size_t hidden;
} report;

static void tally(report *rp, unsigned line, const char *type, outcome r,
                  const char *msg) {
  if (r == PASS) {
    rp->counts->passed++;
    return;
  }
  if (r == SKIP) {
    rp->counts->skipped++;
    if (rp->o->verbose)
      printf("  %s:%u: %s: skipped (text-format module)\n", rp->display, line,
             type);
    return;
  }
  rp->counts->failed++;
  if (!rp->o->verbose && rp->counts->failed > rp->o->max_failures) {
    rp->hidden++;
    return;
  }
  printf("  %s:%u: %s: %s\n", rp->display, line, type, msg);
}

static void run_commands(ctx *c, report *rp, const spec_json *list) {
  char msg[2 * SPEC_MSG];
  c->msg = msg;
  c->msglen = sizeof msg;
  for (const spec_json *cmd = list->child; cmd; cmd = cmd->next) {
    const char *type = spec_json_get_str(cmd, "type");
    const spec_json *line_node = spec_json_get(cmd, "line");
    unsigned line = line_node && line_node->kind == SPEC_JSON_NUMBER
                        ? (unsigned)line_node->num
                        : 0;
    size_t i = 0;
    while (i < sizeof commands / sizeof commands[0] &&
           (!type || strcmp(commands[i].type, type) != 0))
      i++;
    if (type && strcmp(type, "script_error") == 0) {
      /* A command the .bin.wast reader could not read (script.h). */
      const char *why = spec_json_get_str(cmd, "text");
      tally(rp, line, "script", FAIL, why ? why : "unreadable command");
      continue;
    }
    if (i == sizeof commands / sizeof commands[0] || !line_node) {
      /* A command we do not know is a runner gap, never a quiet skip. */
      tally(rp, line, type ? type : "?", FAIL, "unknown command");
      continue;
    }
    unsigned bit = 1u << commands[i].kindno;
    int counted = (c->o->kinds & bit) != 0;
    int state = (bit & (SPEC_KINDS_EXEC | SPEC_KIND(MODULE))) != 0;
    if (!counted && !(c->exec && state))
      continue;
    msg[0] = '\0';
    outcome r = commands[i].fn(c, cmd);
    if (counted)
      tally(rp, line, type, r, msg);
  }
}

void spec_run_file(const spec_opts *o, const char *display,
                   const spec_converted *files, spec_counts *counts) {
  report rp = {o, display, counts, 0};
  char err[512];
  const spec_blob *json = spec_converted_find(files, SPEC_JSON_NAME);
  spec_json_doc *doc = NULL;
  const spec_json *list = NULL;
  if (!json) {
    snprintf(err, sizeof err, "wast2json wrote no %s", SPEC_JSON_NAME);
  } else if (!(doc = spec_json_parse((const char *)json->bytes, json->len,
                                     err, sizeof err))) {
    /* err is set */
  } else if (!(list = spec_json_get(spec_json_root(doc), "commands")) ||
             list->kind != SPEC_JSON_ARRAY) {
    list = NULL;
    snprintf(err, sizeof err, "no \"commands\" array");
  }
  ctx c;
  memset(&c, 0, sizeof c);
  c.o = o;
  c.exec = (o->kinds & SPEC_KINDS_EXEC) != 0;
  c.wast = strrchr(display, '/') ? strrchr(display, '/') + 1 : display;
  if (list && spec_session_init(&c.s, o, files, err, sizeof err) == 0) {
    run_commands(&c, &rp, list);
    spec_session_fini(&c.s);
  } else {
    tally(&rp, 0, "json", FAIL, err);
  }
  if (rp.hidden)
    printf("  %s: %zu more failures not shown (-v shows all)\n", display,
           rp.hidden);
  spec_json_free(doc);
}

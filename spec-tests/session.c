/*
 * session.c -- per-file state and the two actions (invoke, get). Kept
 * apart from commands.c so that what an assertion *means* (commands.c)
 * does not mix with how a module is loaded or a call is made (here).
 */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spectest_host.h"
#include "values.h"

int spec_session_init(spec_session *s, const spec_opts *o,
                      const spec_converted *files, char *err, size_t errlen) {
  memset(s, 0, sizeof *s);
  s->opts = o;
  s->files = files;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.lazy_compile = o->lazy_compile;
  cfg.features = o->features;
  s->engine = lull_engine_new(&cfg);
  if (!s->engine) {
    snprintf(err, errlen, "lull_engine_new failed");
    return -1;
  }
  return 0;
}

void spec_session_fini(spec_session *s) {
  /* The thread first: it may keep instances alive. */
  lull_thread_free(s->thread);
  for (size_t i = s->nloaded; i-- > 0;) {
    lull_instance_free(s->loaded[i].instance);
    lull_module_free(s->loaded[i].module);
    free(s->loaded[i].name);
  }
  free(s->loaded);
  for (size_t i = 0; i < s->ndefs; i++) {
    lull_module_free(s->defs[i].module);
    free(s->defs[i].name);
  }
  free(s->defs);
  lull_linker_free(s->linker);
  lull_engine_free(s->engine);
  memset(s, 0, sizeof *s);
}

int spec_session_read(spec_session *s, const char *filename,
                      const uint8_t **bytes, size_t *len, char *err,
                      size_t errlen) {
  *bytes = NULL;
  *len = 0;
  const spec_blob *b = filename ? spec_converted_find(s->files, filename)
                                : NULL;
  if (!b) {
    snprintf(err, errlen, "module file \"%s\" is not among wast2json's output",
             filename ? filename : "(none)");
    return -1;
  }
  *bytes = b->bytes;
  *len = b->len;
  return 0;
}

int spec_session_runtime(spec_session *s, char *err, size_t errlen) {
  if (s->runtime_state == 0) {
    s->runtime_state = -1;
    s->linker = lull_linker_new(s->engine);
    if (!s->linker) {
      snprintf(s->runtime_error, sizeof s->runtime_error,
               "lull_linker_new failed");
    } else if (spec_host_define(s->engine, s->linker, s->opts->verbose,
                                s->runtime_error,
                                sizeof s->runtime_error) != 0) {
      /* runtime_error is set */
    } else if (!(s->thread = lull_thread_new(s->engine))) {
      snprintf(s->runtime_error, sizeof s->runtime_error,
               "lull_thread_new failed");
    } else {
      s->runtime_state = 1;
    }
  }
  if (s->runtime_state < 0) {
    snprintf(err, errlen, "cannot set up the runtime: %s", s->runtime_error);
    return -1;
  }
  return 0;
}

/* Makes room in array *arr (`cap` entries of `size` bytes, `n` used) for
 * one more entry. */
static int grow(void **arr, size_t *cap, size_t n, size_t size) {
  if (n < *cap)
    return 0;
  size_t more = *cap ? *cap * 2 : 16;
  void *bigger = realloc(*arr, more * size);
  if (!bigger)
    return -1;
  *arr = bigger;
  *cap = more;
  return 0;
}

spec_loaded *spec_session_add(spec_session *s, const char *name,
                              unsigned line) {
  if (grow((void **)&s->loaded, &s->cap, s->nloaded, sizeof *s->loaded) != 0)
    return NULL;
  spec_loaded *l = &s->loaded[s->nloaded];
  memset(l, 0, sizeof *l);
  if (name && !(l->name = strdup(name)))
    return NULL;
  l->line = line;
  snprintf(l->error, sizeof l->error, "not instantiated");
  s->current = ++s->nloaded;
  return l;
}

lull_instance *spec_session_instance(spec_session *s, const char *name,
                                     char *err, size_t errlen) {
  const spec_loaded *l = NULL;
  if (!name) {
    if (s->current)
      l = &s->loaded[s->current - 1];
  } else {
    /* The newest definition of a name wins, as in the reference
     * interpreter. */
    for (size_t i = s->nloaded; i-- > 0 && !l;)
      if (s->loaded[i].name && strcmp(s->loaded[i].name, name) == 0)
        l = &s->loaded[i];
  }
  if (!l) {
    if (name)
      snprintf(err, errlen, "no module named %s", name);
    else
      snprintf(err, errlen, "no current module");
    return NULL;
  }
  if (!l->instance) {
    if (l->name)
      snprintf(err, errlen, "module %s (line %u) did not load: %s", l->name,
               l->line, l->error);
    else
      snprintf(err, errlen, "the module of line %u did not load: %s",
               l->line, l->error);
    return NULL;
  }
  return l->instance;
}

lull_status spec_session_link(spec_session *s, lull_module *module,
                              lull_instance **instance, lull_error *err) {
  memset(err, 0, sizeof *err);
  *instance = NULL;
  if (spec_session_runtime(s, err->message, sizeof err->message) != 0)
    return err->status = LULL_BADSTATE;
  lull_status st = lull_linker_instantiate(s->linker, module, instance, err);
  if (st != LULL_OK)
    *instance = NULL;
  return st;
}

lull_status spec_session_instantiate(spec_session *s, const uint8_t *bytes,
                                     size_t len, lull_module **module,
                                     lull_instance **instance,
                                     lull_error *err) {
  memset(err, 0, sizeof *err);
  *module = NULL;
  *instance = NULL;
  lull_status st = lull_module_new(s->engine, bytes, len, module, err);
  if (st != LULL_OK)
    return st;
  return spec_session_link(s, *module, instance, err);
}

spec_def *spec_session_define(spec_session *s, const char *name,
                              unsigned line) {
  if (grow((void **)&s->defs, &s->defs_cap, s->ndefs, sizeof *s->defs) != 0)
    return NULL;
  spec_def *d = &s->defs[s->ndefs];
  memset(d, 0, sizeof *d);
  if (name && !(d->name = strdup(name)))
    return NULL;
  d->line = line;
  snprintf(d->error, sizeof d->error, "not compiled");
  s->ndefs++;
  return d;
}

lull_module *spec_session_definition(spec_session *s, const char *name,
                                     char *err, size_t errlen) {
  const spec_def *d = NULL;
  /* The newest definition of a name wins, as for instances. */
  for (size_t i = s->ndefs; i-- > 0 && !d;)
    if (!name || (s->defs[i].name && strcmp(s->defs[i].name, name) == 0))
      d = &s->defs[i];
  if (!d) {
    if (name)
      snprintf(err, errlen, "no module definition named %s", name);
    else
      snprintf(err, errlen, "no module definition");
    return NULL;
  }
  if (!d->module)
    snprintf(err, errlen, "the module definition of line %u did not load: %s",
             d->line, d->error);
  return d->module;
}

void spec_quote(const char *name, size_t len, char *buf, size_t n) {
  size_t o = 0;
  if (!n)
    return;
  for (size_t i = 0; i < len && o + 5 < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
      o += (size_t)snprintf(buf + o, n - o, "\\%02x", c);
    else
      buf[o++] = (char)c;
  }
  buf[o] = '\0';
}

/* Reads the "args" of an invoke into a malloc'd array. */
static int read_args(lull_engine *e, const spec_json *act, lull_val **out,
                     size_t *n, char *err, size_t errlen) {
  const spec_json *args = spec_json_get(act, "args");
  *out = NULL;
  *n = 0;
  if (!args || args->kind != SPEC_JSON_ARRAY) {
    snprintf(err, errlen, "invoke without an args array");
    return -1;
  }
  if (args->len == 0)
    return 0;
  lull_val *vals = calloc(args->len, sizeof *vals);
  if (!vals) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t i = 0;
  for (const spec_json *a = args->child; a; a = a->next, i++) {
    spec_value v;
    char why[256];
    int rc = spec_value_parse(a, &v, why, sizeof why);
    if (rc == 0) {
      rc = spec_value_to_val(&v, &vals[i], why, sizeof why);
      spec_value_fini(&v);
      /* (ref.host n): an anyref boxing the host value. */
      if (rc == 0 && vals[i].type == SPEC_HOSTREF &&
          lull_gc_host_ref(e, vals[i].of.externref, &vals[i]) != LULL_OK) {
        snprintf(why, sizeof why, "cannot make a host reference");
        rc = -1;
      }
    }
    if (rc != 0) {
      snprintf(err, errlen, "argument %zu: %s", i, why);
      free(vals);
      return -1;
    }
  }
  *out = vals;
  *n = args->len;
  return 0;
}

static void invoke(spec_session *s, lull_instance *inst,
                   const spec_json *field, const spec_json *act,
                   spec_action *out) {
  char quoted[256];
  spec_quote(field->str, field->len, quoted, sizeof quoted);
  lull_extern ext;
  if (lull_instance_export_n(inst, field->str, field->len, &ext) != LULL_OK ||
      ext.kind != LULL_EXTERN_FUNC) {
    snprintf(out->message, sizeof out->message, "no exported function \"%s\"",
             quoted);
    return;
  }
  lull_val *args;
  size_t nargs;
  if (read_args(s->engine, act, &args, &nargs, out->message,
                sizeof out->message) != 0)
    return;
  lull_functype ft = lull_func_type(ext.of.func);
  out->nresults = ft.nresults;
  out->results = calloc(ft.nresults ? ft.nresults : 1, sizeof *out->results);
  if (!out->results) {
    free(args);
    snprintf(out->message, sizeof out->message, "out of memory");
    return;
  }
  for (uint32_t i = 0; i < ft.nresults; i++)
    out->results[i].type = ft.results[i];
  out->ran = 1;
  out->status = lull_call(s->thread, ext.of.func, args, nargs, out->results,
                          ft.nresults);
  free(args);
  for (uint32_t i = 0; out->status == LULL_OK && i < ft.nresults; i++)
    spec_val_unbox_host(s->engine, &out->results[i]);
  if (out->status != LULL_OK)
    snprintf(out->message, sizeof out->message, "%s",
             lull_thread_trap_message(s->thread));
  if (out->status == LULL_SUSPENDED) {
    /* Nothing in the testsuite suspends; a parked thread would refuse
     * every later call, so start over with a fresh one. */
    lull_thread_free(s->thread);
    s->thread = lull_thread_new(s->engine);
    if (!s->thread) {
      s->runtime_state = -1;
      snprintf(s->runtime_error, sizeof s->runtime_error,
               "lull_thread_new failed");
    }
  }
}

static void get(lull_instance *inst, const spec_json *field,
                spec_action *out) {
  char quoted[256];
  spec_quote(field->str, field->len, quoted, sizeof quoted);
  lull_extern ext;
  if (lull_instance_export_n(inst, field->str, field->len, &ext) != LULL_OK ||
      ext.kind != LULL_EXTERN_GLOBAL) {
    snprintf(out->message, sizeof out->message, "no exported global \"%s\"",
             quoted);
    return;
  }
  out->results = calloc(1, sizeof *out->results);
  if (!out->results) {
    snprintf(out->message, sizeof out->message, "out of memory");
    return;
  }
  out->nresults = 1;
  lull_global_get(ext.of.global, &out->results[0]);
  out->ran = 1;
  out->status = LULL_OK;
}

void spec_action_run(spec_session *s, const spec_json *act, spec_action *out) {
  memset(out, 0, sizeof *out);
  const char *type = spec_json_get_str(act, "type");
  const spec_json *field = spec_json_get(act, "field");
  if (!type || !field || field->kind != SPEC_JSON_STRING) {
    snprintf(out->message, sizeof out->message,
             "action without a type or field");
    return;
  }
  /* The module first: when it did not load, that is the cause to show. */
  lull_instance *inst = spec_session_instance(
      s, spec_json_get_str(act, "module"), out->message, sizeof out->message);
  if (!inst ||
      spec_session_runtime(s, out->message, sizeof out->message) != 0)
    return;
  if (strcmp(type, "invoke") == 0)
    invoke(s, inst, field, act, out);
  else if (strcmp(type, "get") == 0)
    get(inst, field, out);
  else
    snprintf(out->message, sizeof out->message, "unknown action type %s",
             type);
}

void spec_action_fini(spec_action *a) {
  free(a->results);
  a->results = NULL;
  a->nresults = 0;
}

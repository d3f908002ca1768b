/*
 * script.c -- turns the commands of a .bin.wast script into wast2json's
 * JSON (see script.h). Each command is written into a buffer of its own
 * and only appended when all of it could be read; otherwise a
 * "script_error" command with the reason takes its place.
 */
#include "script.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lit.h"
#include "lull_text.h"
#include "sexpr.h"

/* ------------------------------------------------------------------ */
/* A growing text buffer; running out of memory is remembered and
 * reported once at the end. */

typedef struct jbuf {
  char *p;
  size_t len;
  size_t cap;
  int oom;
} jbuf;

static void jb_put(jbuf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->cap - b->len < n + 1) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n + 1)
      cap *= 2;
    char *bigger = realloc(b->p, cap);
    if (!bigger) {
      b->oom = 1;
      return;
    }
    b->p = bigger;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void jb_cat(jbuf *b, const char *s) { jb_put(b, s, strlen(s)); }

__attribute__((format(printf, 2, 3))) static void jb_fmt(jbuf *b,
                                                         const char *fmt,
                                                         ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    jb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string of any bytes: control bytes, quotes and backslashes are
 * escaped; other bytes go as they are (the JSON reader keeps them). */
static void jb_str(jbuf *b, const char *s, size_t n) {
  jb_cat(b, "\"");
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == '"' || ch == '\\' || ch == 0x7F)
      jb_fmt(b, "\\u%04x", ch);
    else
      jb_put(b, s + i, 1);
  }
  jb_cat(b, "\"");
}

/* ------------------------------------------------------------------ */

typedef struct conv {
  spec_converted *files;
  const char *text; /* the script, for the text of its text modules */
  lull_engine *engine; /* whose features say how text modules read */
  jbuf cmd;        /* the command being written */
  unsigned nmod;   /* module files written so far */
  unsigned line;   /* the current command's line */
  char err[512];   /* why the current command cannot be read */
  int failed;
  int oom;
} conv;

__attribute__((format(printf, 3, 4))) static int bad(conv *c,
                                                     const spec_sx *at,
                                                     const char *fmt, ...) {
  if (c->failed)
    return -1;
  c->failed = 1;
  int n = snprintf(c->err, sizeof c->err, "line %u: ",
                   at ? at->line : c->line);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* A short printable form of a node, for messages. */
static const char *show(const spec_sx *n) {
  if (!n)
    return "end of list";
  if (n->kind == SPEC_SX_ATOM)
    return n->text;
  if (n->kind == SPEC_SX_STRING)
    return "a string";
  if (n->child && n->child->kind == SPEC_SX_ATOM)
    return n->child->text; /* "(foo ...)" shows as its head */
  return "a list";
}

static int is_id(const spec_sx *n) {
  return n && n->kind == SPEC_SX_ATOM && n->text[0] == '$';
}

static int is_list(const spec_sx *n, const char *head) {
  return n && n->kind == SPEC_SX_LIST && spec_sx_is(n->child, head);
}

static void key_str(conv *c, const char *key, const char *s, size_t n) {
  jb_fmt(&c->cmd, ", \"%s\": ", key);
  jb_str(&c->cmd, s, n);
}

static void key_id(conv *c, const char *key, const spec_sx *id) {
  if (id)
    key_str(c, key, id->text, id->len);
}

/* ------------------------------------------------------------------ */
/* Modules */

typedef enum mod_kind { MOD_BINARY, MOD_TEXT, MOD_INSTANCE } mod_kind;

typedef struct mod_form {
  mod_kind kind;
  int definition;        /* (module definition ...) */
  const spec_sx *id;     /* $M of a module, $I of an instance */
  const spec_sx *of;     /* instance: the definition's $M */
  const spec_sx *body;   /* binary and quote: the first string */
  const spec_sx *node;   /* the (module ...) itself */
  int quote;             /* (module quote ...) */
} mod_form;

/* (module definition? $M? binary "..."*), (module definition? $M? quote
 * "..."*), a text module (module $M? field*), or (module instance $I?
 * $M?). */
static int read_module(conv *c, const spec_sx *n, mod_form *m) {
  memset(m, 0, sizeof *m);
  m->node = n;
  const spec_sx *p = n->child->next;
  if (spec_sx_is(p, "instance")) {
    m->kind = MOD_INSTANCE;
    p = p->next;
    if (is_id(p)) {
      m->id = p;
      p = p->next;
    }
    if (is_id(p)) {
      m->of = p;
      p = p->next;
    }
    if (p)
      return bad(c, p, "unexpected %s in (module instance ...)", show(p));
    return 0;
  }
  if (spec_sx_is(p, "definition")) {
    m->definition = 1;
    p = p->next;
  }
  if (is_id(p)) {
    m->id = p;
    p = p->next;
  }
  if (spec_sx_is(p, "binary") || spec_sx_is(p, "quote")) {
    m->kind = spec_sx_is(p, "binary") ? MOD_BINARY : MOD_TEXT;
    m->quote = m->kind == MOD_TEXT;
    m->body = p->next;
    for (const spec_sx *s = m->body; s; s = s->next)
      if (s->kind != SPEC_SX_STRING)
        return bad(c, s, "expected a string in (module %s ...), got %s",
                   p->text, show(s));
    return 0;
  }
  m->kind = MOD_TEXT; /* fields in the text format */
  return 0;
}

/* The strings of `m` concatenated (malloc'd, NUL after them). */
static uint8_t *body_bytes(conv *c, const spec_sx *at, const mod_form *m,
                           size_t *lenp) {
  size_t len = 0;
  for (const spec_sx *s = m->body; s; s = s->next)
    len += s->len;
  uint8_t *bytes = malloc(len + 1);
  if (!bytes) {
    c->oom = 1;
    bad(c, at, "out of memory");
    return NULL;
  }
  size_t off = 0;
  for (const spec_sx *s = m->body; s; s = s->next) {
    memcpy(bytes + off, s->text, s->len);
    off += s->len;
  }
  bytes[len] = 0;
  *lenp = len;
  return bytes;
}

/* Adds `bytes` (taken over) as the next module file, named in `name`. */
static int add_file(conv *c, const spec_sx *at, uint8_t *bytes, size_t len,
                    char *name, size_t n) {
  snprintf(name, n, "%u.wasm", c->nmod++);
  if (spec_converted_add(c->files, name, bytes, len) != 0) {
    c->oom = 1;
    return bad(c, at, "out of memory");
  }
  return 0;
}

/* A text module (fields, or quoted text) through lull's text format: its
 * binary as the next module file, or, when lull rejects the text, the
 * message as "text_error" (what assert_malformed compares). */
static int text_module(conv *c, const spec_sx *at, const mod_form *m) {
  const char *text;
  size_t len;
  uint8_t *quoted = NULL;
  if (m->quote) {
    if (!(quoted = body_bytes(c, at, m, &len)))
      return -1;
    text = (const char *)quoted;
  } else {
    text = c->text + m->node->off;
    len = m->node->end - m->node->off;
  }
  uint8_t *wasm;
  size_t n;
  lull_error e;
  lull_status st = lull_wat_to_wasm(c->engine, text, len, &wasm, &n, &e);
  free(quoted);
  if (st != LULL_OK) {
    key_str(c, "module_type", "text", 4);
    key_str(c, "text_error", e.message, strlen(e.message));
    return 0;
  }
  /* the files hold malloc'd bytes */
  uint8_t *copy = malloc(n + 1);
  if (!copy) {
    lull_wasm_free(c->engine, wasm, n);
    c->oom = 1;
    return bad(c, at, "out of memory");
  }
  memcpy(copy, wasm, n);
  lull_wasm_free(c->engine, wasm, n);
  char name[32];
  if (add_file(c, at, copy, n, name, sizeof name) != 0)
    return -1;
  key_str(c, "filename", name, strlen(name));
  key_str(c, "module_type", "binary", 6);
  return 0;
}

/* Writes the binary of `m` as the next module file; returns its number. */
static int save_binary(conv *c, const spec_sx *at, const mod_form *m,
                       char *name, size_t n) {
  size_t len;
  uint8_t *bytes = body_bytes(c, at, m, &len);
  if (!bytes)
    return -1;
  return add_file(c, at, bytes, len, name, n);
}

/* The fields that say where an assertion's module comes from. */
static int module_fields(conv *c, const spec_sx *at, const mod_form *m) {
  char name[32];
  switch (m->kind) {
  case MOD_BINARY:
    if (save_binary(c, at, m, name, sizeof name) != 0)
      return -1;
    key_str(c, "filename", name, strlen(name));
    key_str(c, "module_type", "binary", 6);
    return 0;
  case MOD_TEXT:
    return text_module(c, at, m);
  case MOD_INSTANCE:
    key_str(c, "module_type", "instance", 8);
    key_id(c, "module", m->of);
    return 0;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Values */

/* Heap types of (ref.null ht), and the JSON type of their null. */
static const struct {
  const char *heap;
  const char *type;
} null_types[] = {
    {"func", "funcref"},       {"nofunc", "nullfuncref"},
    {"extern", "externref"},   {"noextern", "nullexternref"},
    {"any", "anyref"},         {"none", "nullref"},
    {"eq", "eqref"},           {"i31", "i31ref"},
    {"struct", "structref"},   {"array", "arrayref"},
    {"exn", "exnref"},         {"noexn", "nullexnref"},
};

/* Result patterns "some non-null reference of this type": (ref.func),
 * (ref.struct), ...; (ref.extern N) and (ref.host N) name one. */
static const struct {
  const char *form;
  const char *type;
} ref_forms[] = {
    {"ref.func", "funcref"},     {"ref.extern", "externref"},
    {"ref.host", "hostref"},     {"ref.any", "anyref"},
    {"ref.eq", "eqref"},         {"ref.i31", "i31ref"},
    {"ref.struct", "structref"}, {"ref.array", "arrayref"},
    {"ref.exn", "exnref"},
};

static const struct {
  const char *shape;
  const char *lane;
  unsigned count;
  unsigned bits;
  int is_float;
} shapes[] = {
    {"i8x16", "i8", 16, 8, 0},  {"i16x8", "i16", 8, 16, 0},
    {"i32x4", "i32", 4, 32, 0}, {"i64x2", "i64", 2, 64, 0},
    {"f32x4", "f32", 4, 32, 1}, {"f64x2", "f64", 2, 64, 1},
};

/* One number as wast2json writes it: the decimal of its bits, or a NaN
 * pattern as it stands. */
static int number(conv *c, const spec_sx *n, unsigned bits, int is_float) {
  if (!n || n->kind != SPEC_SX_ATOM)
    return bad(c, n, "expected a number, got %s", show(n));
  if (is_float && (strcmp(n->text, "nan:canonical") == 0 ||
                   strcmp(n->text, "nan:arithmetic") == 0)) {
    jb_str(&c->cmd, n->text, n->len);
    return 0;
  }
  uint64_t v;
  int rc = is_float ? spec_lit_float(n->text, bits, &v)
                    : spec_lit_int(n->text, bits, &v);
  if (rc != 0)
    return bad(c, n, "bad %s%u literal \"%s\"", is_float ? "f" : "i", bits,
               n->text);
  jb_fmt(&c->cmd, "\"%llu\"", (unsigned long long)v);
  return 0;
}

static int v128_value(conv *c, const spec_sx *n) {
  const spec_sx *sh = n->child->next;
  size_t i = 0;
  while (i < sizeof shapes / sizeof shapes[0] &&
         !spec_sx_is(sh, shapes[i].shape))
    i++;
  if (i == sizeof shapes / sizeof shapes[0])
    return bad(c, sh ? sh : n, "unknown v128 shape %s", show(sh));
  jb_fmt(&c->cmd, "{\"type\": \"v128\", \"lane_type\": \"%s\", \"value\": [",
         shapes[i].lane);
  const spec_sx *l = sh->next;
  for (unsigned k = 0; k < shapes[i].count; k++, l = l ? l->next : NULL) {
    if (!l)
      return bad(c, n, "v128.const %s needs %u lanes", shapes[i].shape,
                 shapes[i].count);
    if (k)
      jb_cat(&c->cmd, ", ");
    if (number(c, l, shapes[i].bits, shapes[i].is_float) != 0)
      return -1;
  }
  if (l)
    return bad(c, l, "v128.const %s has more than %u lanes", shapes[i].shape,
               shapes[i].count);
  jb_cat(&c->cmd, "]}");
  return 0;
}

static int null_value(conv *c, const spec_sx *n) {
  const spec_sx *ht = n->child->next;
  const char *type = "ref"; /* (ref.null) or a type index: any null */
  if (ht && ht->kind == SPEC_SX_ATOM) {
    for (size_t i = 0; i < sizeof null_types / sizeof null_types[0]; i++)
      if (strcmp(ht->text, null_types[i].heap) == 0)
        type = null_types[i].type;
    uint64_t index;
    if (strcmp(type, "ref") == 0 && !is_id(ht) &&
        spec_lit_int(ht->text, 32, &index) != 0)
      return bad(c, ht, "unknown heap type %s", ht->text);
  } else if (ht) {
    return bad(c, ht, "expected a heap type, got %s", show(ht));
  }
  if (ht && ht->next)
    return bad(c, ht->next, "unexpected %s in ref.null", show(ht->next));
  jb_fmt(&c->cmd, "{\"type\": \"%s\", \"value\": \"null\"}", type);
  return 0;
}

static int value(conv *c, const spec_sx *n, int result);

static int either_value(conv *c, const spec_sx *n) {
  jb_cat(&c->cmd, "{\"type\": \"either\", \"values\": [");
  for (const spec_sx *v = n->child->next; v; v = v->next) {
    if (v != n->child->next)
      jb_cat(&c->cmd, ", ");
    if (value(c, v, 1) != 0)
      return -1;
  }
  jb_cat(&c->cmd, "]}");
  if (!n->child->next)
    return bad(c, n, "(either) without results");
  return 0;
}

/* A constant argument or, when `result`, an expected result. */
static int value(conv *c, const spec_sx *n, int result) {
  if (!n || n->kind != SPEC_SX_LIST || !n->child ||
      n->child->kind != SPEC_SX_ATOM)
    return bad(c, n, "expected a value such as (i32.const 1), got %s",
               show(n));
  const char *head = n->child->text;
  const spec_sx *arg = n->child->next;
  static const struct {
    const char *form;
    const char *type;
    unsigned bits;
    int is_float;
  } nums[] = {{"i32.const", "i32", 32, 0}, {"i64.const", "i64", 64, 0},
              {"f32.const", "f32", 32, 1}, {"f64.const", "f64", 64, 1}};
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
    if (strcmp(head, nums[i].form) == 0) {
      if (arg && arg->next)
        return bad(c, arg->next, "unexpected %s in %s", show(arg->next),
                   head);
      jb_fmt(&c->cmd, "{\"type\": \"%s\", \"value\": ", nums[i].type);
      if (number(c, arg, nums[i].bits, nums[i].is_float) != 0)
        return -1;
      jb_cat(&c->cmd, "}");
      return 0;
    }
  if (strcmp(head, "v128.const") == 0)
    return v128_value(c, n);
  if (strcmp(head, "ref.null") == 0)
    return null_value(c, n);
  if (strcmp(head, "either") == 0) {
    if (!result)
      return bad(c, n, "(either ...) is only allowed as a result");
    return either_value(c, n);
  }
  for (size_t i = 0; i < sizeof ref_forms / sizeof ref_forms[0]; i++)
    if (strcmp(head, ref_forms[i].form) == 0) {
      uint64_t v;
      if (arg && (arg->kind != SPEC_SX_ATOM ||
                  spec_lit_int(arg->text, 64, &v) != 0))
        return bad(c, arg, "bad reference number %s in %s", show(arg), head);
      if (arg && arg->next)
        return bad(c, arg->next, "unexpected %s in %s", show(arg->next),
                   head);
      jb_fmt(&c->cmd, "{\"type\": \"%s\", \"value\": ", ref_forms[i].type);
      if (arg)
        jb_fmt(&c->cmd, "\"%llu\"}", (unsigned long long)v);
      else
        jb_cat(&c->cmd, "\"nonnull\"}");
      return 0;
    }
  return bad(c, n, "unknown value form (%s ...)", head);
}

/* ------------------------------------------------------------------ */
/* Actions and commands */

/* (invoke $I? "name" arg*) or (get $I? "name"). */
static int action(conv *c, const spec_sx *n) {
  int invoke = is_list(n, "invoke");
  if (!invoke && !is_list(n, "get"))
    return bad(c, n, "expected (invoke ...) or (get ...), got %s", show(n));
  const spec_sx *p = n->child->next;
  jb_fmt(&c->cmd, ", \"action\": {\"type\": \"%s\"", invoke ? "invoke" : "get");
  if (is_id(p)) {
    key_id(c, "module", p);
    p = p->next;
  }
  if (!p || p->kind != SPEC_SX_STRING)
    return bad(c, p ? p : n, "expected the export's name, got %s", show(p));
  key_str(c, "field", p->text, p->len);
  p = p->next;
  if (invoke) {
    jb_cat(&c->cmd, ", \"args\": [");
    for (; p; p = p->next) {
      if (value(c, p, 0) != 0)
        return -1;
      if (p->next)
        jb_cat(&c->cmd, ", ");
    }
    jb_cat(&c->cmd, "]");
  } else if (p) {
    return bad(c, p, "unexpected %s in (get ...)", show(p));
  }
  jb_cat(&c->cmd, "}");
  return 0;
}

/* The expected message that ends an assertion. */
static int message(conv *c, const spec_sx *p, const spec_sx *cmd) {
  if (!p || p->kind != SPEC_SX_STRING)
    return bad(c, p ? p : cmd, "expected the failure message, got %s",
               show(p));
  if (p->next)
    return bad(c, p->next, "unexpected %s after the message", show(p->next));
  key_str(c, "text", p->text, p->len);
  return 0;
}

static void begin(conv *c, const char *type, const spec_sx *n) {
  jb_fmt(&c->cmd, "{\"type\": \"%s\", \"line\": %u", type, n->line);
}

static int cmd_module(conv *c, const spec_sx *n) {
  mod_form m;
  if (read_module(c, n, &m) != 0)
    return -1;
  if (m.kind == MOD_INSTANCE) {
    begin(c, "module_instance", n);
    key_id(c, "name", m.id);
    key_id(c, "module", m.of);
    return 0;
  }
  begin(c, m.definition ? "module_definition" : "module", n);
  key_id(c, "name", m.id);
  return module_fields(c, n, &m);
}

static int cmd_register(conv *c, const spec_sx *n) {
  const spec_sx *as = n->child->next;
  if (!as || as->kind != SPEC_SX_STRING)
    return bad(c, as ? as : n, "expected (register \"name\" $I?)");
  begin(c, "register", n);
  key_str(c, "as", as->text, as->len);
  if (is_id(as->next)) {
    key_id(c, "name", as->next);
    if (as->next->next)
      return bad(c, as->next->next, "unexpected %s in register",
                 show(as->next->next));
  } else if (as->next) {
    return bad(c, as->next, "unexpected %s in register", show(as->next));
  }
  return 0;
}

static int cmd_action(conv *c, const spec_sx *n) {
  begin(c, "action", n);
  return action(c, n);
}

static int cmd_return(conv *c, const spec_sx *n) {
  begin(c, "assert_return", n);
  const spec_sx *act = n->child->next;
  if (action(c, act) != 0)
    return -1;
  jb_cat(&c->cmd, ", \"expected\": [");
  for (const spec_sx *r = act->next; r; r = r->next) {
    if (value(c, r, 1) != 0)
      return -1;
    if (r->next)
      jb_cat(&c->cmd, ", ");
  }
  jb_cat(&c->cmd, "]");
  return 0;
}

/* (assert_trap action "msg"), (assert_trap module "msg"). */
static int cmd_trap(conv *c, const spec_sx *n) {
  const spec_sx *what = n->child->next;
  begin(c, "assert_trap", n);
  if (is_list(what, "module")) {
    mod_form m;
    if (read_module(c, what, &m) != 0 || module_fields(c, what, &m) != 0)
      return -1;
  } else if (action(c, what) != 0) {
    return -1;
  }
  return message(c, what->next, n);
}

static int cmd_exhaustion(conv *c, const spec_sx *n) {
  const spec_sx *act = n->child->next;
  begin(c, "assert_exhaustion", n);
  if (action(c, act) != 0)
    return -1;
  return message(c, act->next, n);
}

static int cmd_exception(conv *c, const spec_sx *n) {
  const spec_sx *act = n->child->next;
  begin(c, "assert_exception", n);
  if (action(c, act) != 0)
    return -1;
  if (act->next)
    return bad(c, act->next, "unexpected %s in assert_exception",
               show(act->next));
  return 0;
}

/* assert_invalid and assert_malformed take a module to decode;
 * assert_unlinkable and assert_uninstantiable one to instantiate, which
 * may be an instance of an earlier definition. */
static int module_assertion(conv *c, const spec_sx *n, int instance_ok) {
  const spec_sx *mod = n->child->next;
  if (!is_list(mod, "module"))
    return bad(c, mod ? mod : n, "expected a module, got %s", show(mod));
  mod_form m;
  if (read_module(c, mod, &m) != 0)
    return -1;
  if (m.kind == MOD_INSTANCE && !instance_ok)
    return bad(c, mod, "%s needs a module, not an instance", n->child->text);
  begin(c, n->child->text, n);
  if (module_fields(c, mod, &m) != 0)
    return -1;
  return message(c, mod->next, n);
}

static int cmd_decode_assertion(conv *c, const spec_sx *n) {
  return module_assertion(c, n, 0);
}

static int cmd_link_assertion(conv *c, const spec_sx *n) {
  return module_assertion(c, n, 1);
}

static const struct {
  const char *head;
  int (*fn)(conv *c, const spec_sx *n);
} commands[] = {
    {"module", cmd_module},
    {"register", cmd_register},
    {"invoke", cmd_action},
    {"get", cmd_action},
    {"assert_return", cmd_return},
    {"assert_trap", cmd_trap},
    {"assert_exhaustion", cmd_exhaustion},
    {"assert_exception", cmd_exception},
    {"assert_invalid", cmd_decode_assertion},
    {"assert_malformed", cmd_decode_assertion},
    {"assert_unlinkable", cmd_link_assertion},
    {"assert_uninstantiable", cmd_link_assertion},
};

static int command(conv *c, const spec_sx *n) {
  if (n->kind != SPEC_SX_LIST || !n->child || n->child->kind != SPEC_SX_ATOM)
    return bad(c, n, "expected a command such as (module ...), got %s",
               show(n));
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(n->child->text, commands[i].head) == 0)
      return commands[i].fn(c, n);
  return bad(c, n, "unknown command (%s ...)", n->child->text);
}

/* Does the script start with a module field rather than a command? */
static int is_bare_module(const spec_sx *n) {
  static const char *const fields[] = {"type", "rec", "import", "func",
                                       "table", "memory", "global", "tag",
                                       "export", "start", "elem", "data"};
  if (n->kind != SPEC_SX_LIST || !n->child)
    return 0;
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (spec_sx_is(n->child, fields[i]))
      return 1;
  return 0;
}

int spec_script_convert(const char *text, size_t len, const char *source,
                        spec_converted *out, char *err, size_t errlen) {
  return spec_script_convert_features(text, len, source,
                                      lull_features_supported(), out, err,
                                      errlen);
}

int spec_script_convert_features(const char *text, size_t len,
                                 const char *source, lull_features features,
                                 spec_converted *out, char *err,
                                 size_t errlen) {
  memset(out, 0, sizeof *out);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features = features;
  lull_engine *engine = lull_engine_new(&cfg);
  if (!engine) {
    snprintf(err, errlen, "cannot make an engine with these features");
    return -1;
  }
  spec_sx_doc *doc = spec_sx_parse(text, len, err, errlen);
  if (!doc) {
    lull_engine_free(engine);
    return -1;
  }
  conv c;
  memset(&c, 0, sizeof c);
  c.files = out;
  c.text = text;
  c.engine = engine;
  jbuf json = {NULL, 0, 0, 0};
  jb_cat(&json, "{\"source_filename\": ");
  jb_str(&json, source, strlen(source));
  jb_cat(&json, ",\n \"commands\": [\n");
  const spec_sx *first = spec_sx_root(doc)->child;
  if (first && is_bare_module(first)) {
    /* a script of module fields is that one module */
    spec_sx whole = *first;
    whole.off = 0;
    whole.end = len;
    mod_form m;
    memset(&m, 0, sizeof m);
    m.kind = MOD_TEXT;
    m.node = &whole;
    c.line = first->line;
    begin(&c, "module", first);
    if (text_module(&c, first, &m) == 0)
      jb_cat(&c.cmd, "}");
    if (c.cmd.oom)
      c.oom = 1;
    else
      jb_put(&json, c.cmd.p, c.cmd.len);
    first = NULL;
  }
  for (const spec_sx *n = first; n && !c.oom; n = n->next) {
    c.cmd.len = 0;
    c.failed = 0;
    c.line = n->line;
    if (command(&c, n) == 0) {
      jb_cat(&c.cmd, "}");
    } else {
      c.cmd.len = 0;
      jb_fmt(&c.cmd, "{\"type\": \"script_error\", \"line\": %u, \"text\": ",
             n->line);
      jb_str(&c.cmd, c.err, strlen(c.err));
      jb_cat(&c.cmd, "}");
    }
    if (c.cmd.oom)
      c.oom = 1;
    else
      jb_put(&json, c.cmd.p, c.cmd.len);
    if (n->next)
      jb_cat(&json, ",\n");
  }
  jb_cat(&json, "]}\n");
  free(c.cmd.p);
  spec_sx_free(doc);
  lull_engine_free(engine);
  if (c.oom || json.oom) {
    free(json.p);
    spec_converted_free(out);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (spec_converted_add(out, SPEC_JSON_NAME, (uint8_t *)json.p, json.len) !=
      0) {
    spec_converted_free(out);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

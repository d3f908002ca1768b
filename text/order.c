/*
 * order.c -- the order in which a function body's inline type uses become
 * new types.
 *
 * A block with parameters or several results, or a call_indirect without
 * (type x), whose function type is not defined yet, adds it after the
 * module's types. Which index each gets depends on the order they are
 * met. The spec leaves it open; lull follows the reference interpreter so
 * that its binaries are the same: its parser resolves an instruction list
 * from the last instruction to the first, a block's body before the
 * block's own type, a plain if's then-branch, its type, then its
 * else-branch, and a folded if's conditions first to last, then its else-
 * and then-branches, then its type.
 *
 * lullt_implicit_types walks the body's tokens in that order before the
 * body is encoded and adds the types it needs; encoding then finds each of
 * them defined. The walk never reports an error: what is malformed stops it,
 * and encoding reports it where it stands.
 */
#include "text_internal.h"

typedef struct walker {
  lullt_parser *p;
  unsigned depth;
  int stop;
  size_t base, n;  /* the body's tokens: t[base .. base + n) */
  uint32_t *jump;  /* per token: after its list, or after a plain block's
                      end (0: none, or unbalanced) */
} walker;

static const lullt_kw *instr_at(const lullt_parser *p, size_t i) {
  const lullt_token *t = &p->t[i];
  if (t->kind != LULLT_KEYWORD || !t->kw)
    return NULL;
  const lullt_kw *k = lullt_kw_at(t->kw - 1u);
  return k && k->is_instr ? k : NULL;
}

/* The index after the list that opens at i, or after the plain block
 * whose keyword is at i. */
static size_t jump(walker *w, size_t i) {
  if (i < w->base || i - w->base >= w->n || !w->jump[i - w->base]) {
    w->stop = 1;
    return i;
  }
  return w->jump[i - w->base];
}
#define after_list jump

/* Is t[i] the start of a folded instruction? */
static int folded_at(const lullt_parser *p, size_t i) {
  return p->t[i].kind == LULLT_LPAR && instr_at(p, i + 1);
}

/* Skips immediates: tokens and lists that are not instructions. */
static size_t skip_imms(walker *w, size_t i) {
  const lullt_parser *p = w->p;
  while (!w->stop) {
    unsigned k = p->t[i].kind;
    if (k == LULLT_RPAR || k == LULLT_EOF || k == LULLT_ERROR ||
        instr_at(p, i) || folded_at(p, i) ||
        (k == LULLT_LPAR && lullt_is_kw(p, i + 1, "then")))
      return i;
    i = k == LULLT_LPAR ? after_list(w, i) : i + 1;
  }
  return i;
}

/* The type use at token `at`: adds its type if it needs a new one.
 * `block`: a block type (none or one result needs no type). */
static void request(walker *w, size_t at, int block) {
  lullt_parser *p = w->p;
  size_t save = p->pos;
  p->pos = at;
  if (!block && lullt_at_index(p))
    p->pos++; /* call_indirect's table */
  lullt_use u;
  if (!lullt_typeuse(p, &u, 0) &&
      (!block || u.has_type || u.nparams || u.nresults > 1))
    lullt_typeuse_resolve(p, &u, at);
  if (p->failed) {
    p->failed = 0;
    w->stop = 1;
  }
  p->pos = save;
}

static size_t item(walker *w, size_t i, size_t *own, int *own_block);
static void run_item(walker *w, size_t i);

/* The instructions from i to `)`, `end`, `else` or the end, in the
 * reference's order (last first). Returns the index where they stop. */
static size_t list(walker *w, size_t i) {
  size_t starts[64];
  size_t n = 0;
  size_t first = i;
  /* first find where each item starts; then run them last to first */
  while (!w->stop) {
    const lullt_kw *k = instr_at(w->p, i);
    unsigned kind = w->p->t[i].kind;
    if (kind == LULLT_RPAR || kind == LULLT_EOF || kind == LULLT_ERROR ||
        (k && (k->imm == LULLT_I_END || k->imm == LULLT_I_ELSE)))
      break;
    if (!k && !folded_at(w->p, i)) {
      w->stop = 1;
      break;
    }
    size_t own;
    int own_block;
    size_t next = item(w, i, &own, &own_block);
    if (n < sizeof starts / sizeof *starts)
      starts[n] = i;
    n++;
    i = next;
  }
  size_t end = i;
  if (n > sizeof starts / sizeof *starts) {
    /* a long list: find the starts again from the back, in chunks */
    size_t *all = lulld_malloc(w->p->a, n * sizeof *all);
    if (!all) {
      w->stop = 1;
      return end;
    }
    size_t j = first, m = 0;
    while (m < n) {
      size_t own;
      int own_block;
      all[m++] = j;
      j = item(w, j, &own, &own_block);
    }
    for (size_t q = n; q-- > 0 && !w->stop;)
      run_item(w, all[q]);
    lulld_free(w->p->a, all, n * sizeof *all);
    return end;
  }
  for (size_t q = n; q-- > 0 && !w->stop;)
    run_item(w, starts[q]);
  return end;
}

/* Finds the end of the item at i without running it; *own is where its
 * own type use is (0 for none). */
static size_t item(walker *w, size_t i, size_t *own, int *own_block) {
  lullt_parser *p = w->p;
  *own = 0;
  *own_block = 0;
  if (p->t[i].kind == LULLT_LPAR)
    return after_list(w, i);
  const lullt_kw *k = instr_at(p, i);
  i++;
  if (k->imm == LULLT_I_BLOCK || k->imm == LULLT_I_TRY_TABLE) {
    size_t at = i - 1;
    if (p->t[i].kind == LULLT_ID)
      i++;
    *own = i;
    *own_block = 1;
    return jump(w, at);
  }
  if (k->imm == LULLT_I_CALL_IND)
    *own = i;
  return skip_imms(w, i);
}

static void run_plain_block(walker *w, size_t i, const lullt_kw *k) {
  lullt_parser *p = w->p;
  i++;
  if (p->t[i].kind == LULLT_ID)
    i++;
  size_t own = i;
  i = list(w, skip_imms(w, i));
  if (w->stop)
    return;
  request(w, own, 1);
  if (k->code == 0x04 && !w->stop && lullt_is_kw(p, i, "else")) {
    i++;
    if (p->t[i].kind == LULLT_ID)
      i++;
    list(w, i);
  }
}

static void run_folded(walker *w, size_t i) {
  lullt_parser *p = w->p;
  const lullt_kw *k = instr_at(p, i + 1);
  i += 2;
  if (k->imm == LULLT_I_BLOCK || k->imm == LULLT_I_TRY_TABLE) {
    if (p->t[i].kind == LULLT_ID)
      i++;
    size_t own = i;
    i = skip_imms(w, i);
    if (k->code != 0x04) {
      list(w, i);
      if (!w->stop)
        request(w, own, 1);
      return;
    }
    /* if: conditions first to last, then else, then then, then the type */
    while (!w->stop && folded_at(p, i)) {
      run_item(w, i);
      i = after_list(w, i);
    }
    size_t then_at = 0, else_at = 0;
    if (!w->stop && lullt_is_kw(p, i + 1, "then")) {
      then_at = i + 2;
      i = after_list(w, i);
      if (!w->stop && p->t[i].kind == LULLT_LPAR &&
          lullt_is_kw(p, i + 1, "else"))
        else_at = i + 2;
    }
    if (else_at)
      list(w, else_at);
    if (then_at && !w->stop)
      list(w, then_at);
    if (!w->stop)
      request(w, own, 1);
    return;
  }
  /* immediates, then the children last to first, then its own type */
  size_t own = k->imm == LULLT_I_CALL_IND ? i : 0;
  list(w, skip_imms(w, i));
  if (own && !w->stop)
    request(w, own, 0);
}

static void run_item(walker *w, size_t i) {
  if (++w->depth > LULLT_MAX_DEPTH) {
    w->stop = 1;
    return;
  }
  lullt_parser *p = w->p;
  if (p->t[i].kind == LULLT_LPAR) {
    run_folded(w, i);
  } else {
    const lullt_kw *k = instr_at(p, i);
    if (k->imm == LULLT_I_BLOCK || k->imm == LULLT_I_TRY_TABLE)
      run_plain_block(w, i, k);
    else if (k->imm == LULLT_I_CALL_IND)
      request(w, i + 1, 0);
  }
  w->depth--;
}

/* Can the body at p->pos add a type at all? Only call_indirect (and its
 * return_ form) and blocks with (param ...) or (result ...) can; most
 * bodies have none, and one linear look spares them the walk. */
static int may_add_types(const lullt_parser *p) {
  size_t depth = 0;
  for (size_t i = p->pos; i < p->ntok; i++) {
    const lullt_token *t = &p->t[i];
    if (t->kind == LULLT_LPAR) {
      depth++;
      if (lullt_is_kw(p, i + 1, "param") || lullt_is_kw(p, i + 1, "result"))
        return 1;
    } else if (t->kind == LULLT_RPAR) {
      if (depth-- == 0)
        return 0;
    } else if (t->kind == LULLT_EOF || t->kind == LULLT_ERROR) {
      return 0;
    } else {
      const lullt_kw *k = instr_at(p, i);
      if (k && k->imm == LULLT_I_CALL_IND)
        return 1;
    }
  }
  return 0;
}

/* Fills w->jump in one pass, so that finding where a list or a plain
 * block ends never rescans it (the walk stays linear however deep the
 * blocks nest). */
static int jumps(walker *w) {
  lullt_parser *p = w->p;
  w->jump = lulld_calloc(p->a, w->n + 1, sizeof *w->jump);
  uint32_t *stack = lulld_malloc(p->a, (w->n + 1) * sizeof *stack);
  if (!w->jump || !stack) {
    lulld_free(p->a, stack, (w->n + 1) * sizeof *stack);
    return -1;
  }
  size_t top = 0;
  for (size_t k = 0; k < w->n; k++) {
    size_t i = w->base + k;
    const lullt_token *t = &p->t[i];
    const lullt_kw *kw = instr_at(p, i);
    int folded = i > 0 && p->t[i - 1].kind == LULLT_LPAR;
    if (t->kind == LULLT_LPAR ||
        (kw && !folded &&
         (kw->imm == LULLT_I_BLOCK || kw->imm == LULLT_I_TRY_TABLE))) {
      stack[top++] = (uint32_t)k;
    } else if (t->kind == LULLT_RPAR || (kw && !folded &&
                                         kw->imm == LULLT_I_END)) {
      if (!top)
        break;
      size_t open = stack[--top];
      int is_list = p->t[w->base + open].kind == LULLT_LPAR;
      if (is_list != (t->kind == LULLT_RPAR))
        break; /* unbalanced: the walk stops there */
      size_t after = i + 1;
      if (!is_list && after < p->ntok && p->t[after].kind == LULLT_ID)
        after++;
      w->jump[open] = (uint32_t)after;
    }
  }
  lulld_free(p->a, stack, (w->n + 1) * sizeof *stack);
  return 0;
}

void lullt_implicit_types(lullt_parser *p) {
  if (p->failed || !may_add_types(p))
    return;
  walker w = {p, 0, 0, p->pos, 0, NULL};
  /* the body: up to the function's closing parenthesis */
  size_t depth = 0, i = p->pos;
  for (; i < p->ntok; i++) {
    unsigned k = p->t[i].kind;
    if (k == LULLT_LPAR)
      depth++;
    else if (k == LULLT_RPAR && depth-- == 0)
      break;
    else if (k == LULLT_EOF || k == LULLT_ERROR)
      break;
  }
  w.n = i - p->pos;
  if (w.n >= UINT32_MAX || jumps(&w)) {
    lulld_free(p->a, w.jump, (w.n + 1) * sizeof *w.jump);
    return;
  }
  list(&w, p->pos);
  lulld_free(p->a, w.jump, (w.n + 1) * sizeof *w.jump);
}

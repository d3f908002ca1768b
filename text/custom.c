/*
 * custom.c -- custom sections written as annotations (the annotations
 * proposal, as the reference interpreter reads them):
 *
 *   (@custom "name" (before|after SECTION)? "contents"*)
 *
 * SECTION is type, import, func, table, memory, tag, global, export,
 * start, elem, datacount, code or data; without a placement the section
 * goes after the last one. The lexer keeps each annotation's span; here
 * its bytes are read again (its tokens were checked when it was skipped).
 */
#include <string.h>

#include "../decoder/decode_internal.h"
#include "text_internal.h"

/* Section names in the order the binary format places the sections. */
static const char *const order[LULLT_NSLOTS] = {
    "type",   "import", "func",  "table",     "memory", "tag",  "global",
    "export", "start",  "elem",  "datacount", "code",   "data"};


/* A string at s[i] == '"' (well formed: the lexer checked it); appends its
 * bytes to `b` and returns the index after it. */
static size_t string(lullt_parser *p, size_t i, size_t end, lullt_buf *b) {
  size_t k = i + 1;
  while (k < end && p->text[k] != '"')
    k += p->text[k] == '\\' ? 2 : 1;
  lullt_token t = {.kind = LULLT_STRING, .off = (uint32_t)i,
                   .len = (uint32_t)(k + 1 - i)};
  lullt_string(p->a, p->text, &t, b);
  return k + 1;
}

static size_t leb_len(uint64_t v) {
  size_t n = 1;
  while (v >>= 7)
    n++;
  return n;
}

static size_t word(const char *s, size_t i, size_t end) {
  while (i < end && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
    i++;
  return i;
}

int lullt_customs(lullt_parser *p, size_t first, size_t last,
                  lullt_buf *slots) {
  for (size_t c = 0; c < p->ncustom; c++) {
    const lullt_custom *a = &p->custom[c];
    if (a->tok < first || a->tok > last)
      continue;
    const char *s = p->text;
    size_t end = a->end - 1; /* the closing ) */
    size_t i = lullt_skip_space(s, a->off + 8, end);
    /* where the annotation stands, for errors: the token after it */
    size_t at = a->tok;
    if (i >= end || s[i] != '"')
      return lullt_fail(p, at, "malformed custom annotation: no name");
    lullt_buf name = {0}, data = {0};
    i = lullt_skip_space(s, string(p, i, end, &name), end);
    int slot = LULLT_NSLOTS * 2 - 1; /* after the last section */
    if (i < end && s[i] == '(') {
      size_t w = lullt_skip_space(s, i + 1, end);
      size_t we = word(s, w, end);
      int after = we - w == 5 && !memcmp(s + w, "after", 5);
      int before = we - w == 6 && !memcmp(s + w, "before", 6);
      size_t x = lullt_skip_space(s, we, end);
      size_t xe = word(s, x, end);
      int k = -1;
      for (int j = 0; j < LULLT_NSLOTS; j++)
        if (strlen(order[j]) == xe - x && !memcmp(s + x, order[j], xe - x))
          k = j;
      i = lullt_skip_space(s, xe, end);
      if ((!after && !before) || k < 0 || i >= end || s[i] != ')') {
        lullt_buf_free(p->a, &name);
        return lullt_fail(p, at, "malformed custom annotation: placement");
      }
      slot = 2 * k + after;
      i = lullt_skip_space(s, i + 1, end);
    }
    while (i < end && s[i] == '"')
      i = lullt_skip_space(s, string(p, i, end, &data), end);
    int bad = i < end;
    if (!bad && !lulld_utf8_valid(name.p, name.n)) {
      lullt_buf_free(p->a, &name);
      lullt_buf_free(p->a, &data);
      return lullt_fail(p, at, "malformed UTF-8 encoding");
    }
    if (!bad) {
      lullt_buf *b = &slots[slot];
      lullt_byte(p->a, b, 0);
      lullt_u64(p->a, b, leb_len(name.n) + name.n + data.n);
      lullt_u64(p->a, b, name.n);
      lullt_put(p->a, b, name.p, name.n);
      lullt_put(p->a, b, data.p, data.n);
      if (name.oom || data.oom)
        b->oom = 1;
    }
    lullt_buf_free(p->a, &name);
    lullt_buf_free(p->a, &data);
    if (bad)
      return lullt_fail(p, at, "malformed custom annotation");
  }
  return 0;
}

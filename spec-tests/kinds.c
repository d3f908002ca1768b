/*
 * kinds.c -- the command kinds that --kinds selects.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

static const char *const words[] = {
#define XX(name, word) word,
    SPEC_KIND_MAP(XX)
#undef XX
};

const char *spec_kind_word(unsigned i) {
  return i < SPEC_KIND_COUNT ? words[i] : "?";
}

int spec_kinds_parse(const char *list, unsigned *out, char *bad,
                     size_t badlen) {
  unsigned kinds = 0;
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    unsigned i = 0;
    while (i < SPEC_KIND_COUNT &&
           !(strlen(words[i]) == n && strncmp(words[i], p, n) == 0))
      i++;
    if (i == SPEC_KIND_COUNT) {
      snprintf(bad, badlen, "%.*s", (int)n, p);
      return -1;
    }
    kinds |= 1u << i;
    if (!comma)
      break;
    p = comma + 1;
  }
  *out = kinds;
  return 0;
}

/*
 * kinds.c -- the word lists of the command line: the command kinds that
 * --kinds selects and the proposals that --features turns on.
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

/* Calls `word` for each comma-separated word of `list` (empty words
 * included, so "a,,b" is refused); stops at the first it refuses (-1),
 * copying that word to `bad`. */
static int each_word(const char *list, int (*word)(const char *w, size_t n,
                                                   void *ud),
                     void *ud, char *bad, size_t badlen) {
  const char *p = list;
  for (;;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    if (word(p, n, ud) != 0) {
      snprintf(bad, badlen, "%.*s", (int)n, p);
      return -1;
    }
    if (!comma)
      return 0;
    p = comma + 1;
  }
}

static int is_word(const char *w, size_t n, const char *name) {
  return name && strlen(name) == n && strncmp(name, w, n) == 0;
}

static int kind_word(const char *w, size_t n, void *ud) {
  for (unsigned i = 0; i < SPEC_KIND_COUNT; i++)
    if (is_word(w, n, words[i])) {
      *(unsigned *)ud |= 1u << i;
      return 0;
    }
  return -1;
}

int spec_kinds_parse(const char *list, unsigned *out, char *bad,
                     size_t badlen) {
  unsigned kinds = 0;
  if (each_word(list, kind_word, &kinds, bad, badlen) != 0)
    return -1;
  *out = kinds;
  return 0;
}

#define ALL_FEATURES                                                          \
  (0u LULL_FEATURE_MAP(SPEC_FEATURE_BIT_))
#define SPEC_FEATURE_BIT_(name, bit, str) | LULL_FEATURE_##name

static int feature_word(const char *w, size_t n, void *ud) {
  lull_features *f = ud;
  if (is_word(w, n, "2.0"))
    return 0;
  if (is_word(w, n, "default")) {
    *f |= lull_features_supported();
    return 0;
  }
  if (is_word(w, n, "all")) {
    *f |= ALL_FEATURES;
    return 0;
  }
  for (unsigned bit = 0; bit < 32; bit++)
    if (is_word(w, n, lull_feature_str((lull_feature)(1u << bit)))) {
      *f |= 1u << bit;
      return 0;
    }
  return -1;
}

int spec_features_parse(const char *list, lull_features *out, char *bad,
                        size_t badlen) {
  lull_features f = LULL_FEATURES_2_0;
  if (each_word(list, feature_word, &f, bad, badlen) != 0)
    return -1;
  *out = f;
  return 0;
}

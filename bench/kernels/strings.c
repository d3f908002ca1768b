/*
 * strings.c -- text processing: generate prose-like text (words built
 * from syllables, numbers, punctuation, line breaks), then tokenize it,
 * lower-case and hash every word into an open-addressing table of
 * distinct words with counts, and parse and sum every number. Byte loads
 * and stores, unpredictable branches, memcmp and memcpy. run(n) does n
 * rounds of 64 KiB each (one shared table) and returns a checksum of the
 * table and the totals.
 */
#include "kernel.h"

#define TEXT_LEN (1u << 16)
#define TABLE_SIZE (1u << 16) /* power of two; > 3x the vocabulary */
#define POOL_LEN (1u << 19)
#define WORD_MAX 32

/* One distinct word: its bytes live in `pool` at [off, off + len). */
struct slot {
  uint32_t hash;
  uint32_t off;
  uint32_t len; /* 0: empty slot */
  uint32_t count;
};

static char text[TEXT_LEN];
static struct slot table[TABLE_SIZE];
static char pool[POOL_LEN];
static uint32_t pool_used;
static uint32_t distinct;

static const char *const syllables[] = {
  "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zen", "qua", "pho", "dre",
};
#define NSYLL (sizeof syllables / sizeof syllables[0])

static uint32_t str_len(const char *s) {
  uint32_t n = 0;
  while (s[n])
    n++;
  return n;
}

/* Writes `v` in decimal at `out`; returns the number of digits. */
static uint32_t put_decimal(char *out, uint32_t v) {
  char tmp[10];
  uint32_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (uint32_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

/* Fills text[0, TEXT_LEN) with generated prose; returns its length. */
static uint32_t generate(uint32_t seed) {
  uint32_t len = 0;
  int sentence_start = 1;
  /* Room for the longest token (4 syllables or 10 digits) plus two
   * separators. */
  while (len + 16 < TEXT_LEN) {
    uint32_t x = rng_next(&seed);
    uint32_t kind = x % 100;
    if (kind < 80) {
      uint32_t nsyll = 1 + (x >> 8) % 4;
      uint32_t start = len;
      for (uint32_t s = 0; s < nsyll; s++) {
        const char *syl = syllables[(x >> (12 + 4 * s)) % NSYLL];
        uint32_t sl = str_len(syl);
        memcpy(text + len, syl, sl);
        len += sl;
      }
      if (sentence_start)
        text[start] = (char)(text[start] - 'a' + 'A');
      sentence_start = 0;
    } else if (kind < 92) {
      len += put_decimal(text + len, rng_next(&seed) % 100000);
    } else {
      text[len++] = kind < 96 ? ',' : '.';
      sentence_start = kind >= 96;
    }
    text[len++] = (x >> 29) == 0 ? '\n' : ' ';
  }
  return len;
}

static uint32_t is_alpha(char c) {
  return (uint32_t)((c | 0x20) - 'a') < 26;
}

static uint32_t is_digit(char c) {
  return (uint32_t)(c - '0') < 10;
}

/* Counts one occurrence of word[0, len) with FNV-1a hash `h`. */
static void count_word(const char *word, uint32_t len, uint32_t h) {
  uint32_t i = h & (TABLE_SIZE - 1);
  for (;;) {
    struct slot *s = &table[i];
    if (s->len == 0) {
      s->hash = h;
      s->len = len;
      s->off = pool_used;
      s->count = 1;
      memcpy(pool + pool_used, word, len);
      pool_used += len;
      distinct++;
      return;
    }
    if (s->hash == h && s->len == len && memcmp(pool + s->off, word, len) == 0) {
      s->count++;
      return;
    }
    i = (i + 1) & (TABLE_SIZE - 1);
  }
}

struct totals {
  uint32_t words;
  uint32_t numbers;
  uint32_t number_sum;
  uint32_t punct;
};

static void tokenize(const char *p, uint32_t len, struct totals *t) {
  char word[WORD_MAX];
  uint32_t i = 0;
  while (i < len) {
    char c = p[i];
    if (is_alpha(c)) {
      uint32_t wl = 0, h = 2166136261u;
      while (i < len && is_alpha(p[i])) {
        char lc = (char)(p[i] | 0x20);
        if (wl < WORD_MAX)
          word[wl++] = lc;
        h = (h ^ (uint8_t)lc) * 16777619u;
        i++;
      }
      count_word(word, wl, h);
      t->words++;
    } else if (is_digit(c)) {
      uint32_t v = 0;
      while (i < len && is_digit(p[i]))
        v = v * 10 + (uint32_t)(p[i++] - '0');
      t->number_sum += v;
      t->numbers++;
    } else {
      if (c == ',' || c == '.')
        t->punct++;
      i++;
    }
  }
}

uint32_t run(uint32_t n) {
  struct totals t = {0, 0, 0, 0};
  memset(table, 0, sizeof table);
  pool_used = 0;
  distinct = 0;
  for (uint32_t r = 0; r < n; r++) {
    uint32_t len = generate(0x9e3779b1u * (r + 1));
    tokenize(text, len, &t);
  }
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < TABLE_SIZE; i++) {
    if (table[i].len)
      h = mix32(h, table[i].hash ^ table[i].count);
  }
  h = mix32(h, distinct);
  h = mix32(h, t.words);
  h = mix32(h, t.numbers);
  h = mix32(h, t.number_sum);
  return mix32(h, t.punct);
}

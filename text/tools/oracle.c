/*
 * oracle.c -- lull-text-oracle: compares lull's text-to-binary conversion
 * with the WebAssembly reference interpreter's, module by module.
 *
 *   lull-text-oracle [-v] [--max-differing N] SRC_DIR BIN_DIR
 *
 * SRC_DIR holds the testsuite's .wast scripts (any depth), BIN_DIR the same
 * tree as .bin.wast scripts, every module in binary form as the reference
 * interpreter wrote it. The modules of each pair of scripts are matched in
 * order: every module form of the source (commands and the modules of
 * assertions) but the text-format assert_malformed ones (`module quote`),
 * which the conversion drops.
 *
 * A module is "identical" when lull's bytes equal the reference's; "same
 * after sizes" when they differ only in the LEB128 width of section and
 * function-body sizes (the reference always writes 5 bytes there, lull
 * the shortest form; the spec allows both); "differing" otherwise;
 * "failing" when lull rejects the text. Prints one line per folder and the
 * total; exits 1 when a module differs or fails (beyond --max-differing).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lull_text.h"
#include "text/text_internal.h"

typedef struct form {
  size_t off, end; /* the module's text: `(module` .. `)` */
  int binary;      /* a (module binary ...) form */
} form;

typedef struct forms {
  form *f;
  size_t n, cap;
} forms;

typedef struct counts {
  unsigned identical, sizes, differing, failing, unmatched;
  unsigned binary, binary_reencoded, known;
} counts;

/* The --known list: "PATH:LINE reason" lines. */
static char *known_text;

static int is_known(const char *rel, unsigned line) {
  if (!known_text)
    return 0;
  char key[4200];
  snprintf(key, sizeof key, "\n%s:%u ", rel, line);
  return strstr(known_text, key) != NULL;
}

static const lulld_alloc A = {lulld_default_alloc, NULL};

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  if (p) {
    p[n] = 0;
    *len = (size_t)n;
  }
  return p;
}

static int is_kw(const char *text, const lullt_token *t, const char *kw) {
  size_t n = strlen(kw);
  return t->kind == LULLT_KEYWORD && t->len == n &&
         !memcmp(text + t->off, kw, n);
}

/* Index of the token after the list that starts at t[i] == `(`. */
static size_t skip(const lullt_token *t, size_t n, size_t i) {
  size_t d = 0;
  do {
    if (t[i].kind == LULLT_LPAR)
      d++;
    else if (t[i].kind == LULLT_RPAR)
      d--;
    i++;
  } while (d && i < n && t[i].kind != LULLT_EOF);
  return i;
}

static void add(forms *fs, size_t off, size_t end, int binary) {
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 64;
    fs->f = realloc(fs->f, fs->cap * sizeof *fs->f);
    if (!fs->f)
      exit(70);
  }
  fs->f[fs->n].off = off;
  fs->f[fs->n].end = end;
  fs->f[fs->n].binary = binary;
  fs->n++;
}

/* Is the module form at t[i] == `(` a `(module ... binary ...)`? */
static int is_binary(const char *text, const lullt_token *t, size_t n,
                     size_t i) {
  for (size_t j = i + 2; j < i + 5 && j < n; j++)
    if (is_kw(text, &t[j], "binary"))
      return 1;
  return 0;
}

/* The module forms of a script, in order. */
static int modules(const char *text, size_t len, forms *out) {
  lullt_tokens tk;
  if (lullt_lex(&A, text, len, &tk))
    return -1;
  const lullt_token *t = tk.t;
  size_t n = tk.n, i = 0;
  int bad = 0;
  static const char *const fields[] = {"func", "memory", "table", "global",
                                       "type", "import", "export", "data",
                                       "elem", "start", "tag", "rec"};
  for (size_t f = 0; n > 1 && f < sizeof fields / sizeof *fields; f++)
    if (is_kw(text, &t[1], fields[f])) {
      /* a script of bare module fields is one module */
      add(out, 0, len, 0);
      i = n - 1;
    }
  while (i < n && t[i].kind == LULLT_LPAR) {
    size_t end = skip(t, n, i);
    const lullt_token *k = &t[i + 1];
    if (is_kw(text, k, "module")) {
      if (!is_kw(text, &t[i + 2], "instance"))
        add(out, t[i].off, t[end - 1].off + 1, is_binary(text, t, n, i));
    } else if (k->kind == LULLT_KEYWORD && k->len > 7 &&
               !memcmp(text + k->off, "assert_", 7) &&
               t[i + 2].kind == LULLT_LPAR &&
               is_kw(text, &t[i + 3], "module") &&
               !is_kw(text, &t[i + 4], "instance")) {
      size_t mend = skip(t, n, i + 2);
      int quote = 0;
      for (size_t j = i + 4; j < i + 7 && j < mend; j++)
        if (is_kw(text, &t[j], "quote"))
          quote = 1;
      if (!(quote && is_kw(text, k, "assert_malformed")))
        add(out, t[i + 2].off, t[mend - 1].off + 1,
            is_binary(text, t, n, i + 2));
    }
    i = end;
  }
  if (i < n && t[i].kind != LULLT_EOF) {
    fprintf(stderr, "lexing stopped at offset %u\n", t[i].off);
    bad = 1;
  }
  lullt_tokens_free(&A, &tk);
  return bad ? -1 : 0;
}

static int leb(const uint8_t *p, size_t n, size_t *i, uint64_t *v) {
  *v = 0;
  for (unsigned shift = 0; *i < n && shift < 64; shift += 7) {
    uint8_t b = p[(*i)++];
    *v |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80))
      return 0;
  }
  return -1;
}

static void put_leb(uint8_t **o, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    *(*o)++ = b | (v ? 0x80 : 0);
  } while (v);
}

/* Rewrites section and function-body sizes in their shortest form into
 * `out` (room for n bytes). Returns the new length, or 0 when the module
 * does not parse that far (then it is compared as is). */
static size_t normalize(const uint8_t *p, size_t n, uint8_t *out) {
  if (n < 8)
    return 0;
  memcpy(out, p, 8);
  uint8_t *o = out + 8;
  size_t i = 8;
  while (i < n) {
    uint8_t id = p[i++];
    uint64_t size;
    if (leb(p, n, &i, &size) || size > n - i)
      return 0;
    size_t end = i + size;
    *o++ = id;
    if (id != 10) {
      put_leb(&o, size);
      memcpy(o, p + i, size);
      o += size;
      i = end;
      continue;
    }
    /* the code section: its size depends on the bodies' sizes */
    uint8_t *body = malloc(size + 16);
    uint8_t *b = body;
    uint64_t count;
    if (!body || leb(p, end, &i, &count)) {
      free(body);
      return 0;
    }
    put_leb(&b, count);
    for (uint64_t k = 0; k < count; k++) {
      uint64_t fs;
      if (leb(p, end, &i, &fs) || fs > end - i) {
        free(body);
        return 0;
      }
      put_leb(&b, fs);
      memcpy(b, p + i, fs);
      b += fs;
      i += fs;
    }
    put_leb(&o, (uint64_t)(b - body));
    memcpy(o, body, (size_t)(b - body));
    o += b - body;
    free(body);
    i = end;
  }
  return (size_t)(o - out);
}

static int verbose, hexdump;

static void compare_file(const char *src, const char *bin, const char *rel,
                         counts *c) {
  size_t sl, bl;
  char *s = slurp(src, &sl), *b = slurp(bin, &bl);
  if (!s || !b) {
    printf("%s: cannot read %s\n", src, s ? bin : src);
    c->unmatched++;
    free(s);
    free(b);
    return;
  }
  forms fs = {0}, fb = {0};
  if (modules(s, sl, &fs) || modules(b, bl, &fb))
    printf("%s: the script itself does not lex to the end\n", src);
  if (fs.n != fb.n) {
    printf("%s: %zu modules in the source, %zu in the binary script\n", src,
           fs.n, fb.n);
    c->unmatched += fs.n > fb.n ? (unsigned)(fs.n - fb.n)
                                : (unsigned)(fb.n - fs.n);
  }
  size_t m = fs.n < fb.n ? fs.n : fb.n;
  for (size_t k = 0; k < m; k++) {
    uint8_t *mine = NULL, *ref = NULL;
    size_t mn = 0, rn = 0;
    lull_error err;
    lull_status st = lull_wat_to_wasm(NULL, s + fs.f[k].off,
                                      fs.f[k].end - fs.f[k].off, &mine, &mn,
                                      &err);
    lull_status rt = lull_wat_to_wasm(NULL, b + fb.f[k].off,
                                      fb.f[k].end - fb.f[k].off, &ref, &rn,
                                      NULL);
    uint32_t line, col;
    lull_text_position(s, sl, fs.f[k].off, &line, &col);
    if (fs.f[k].binary && st == LULL_OK) {
      /* lull keeps the bytes as given; the reference decodes and
         re-encodes them (canonical LEB128, its own section order): not
         a comparison of the text parser */
      c->binary++;
      if (mn != rn || (mn && memcmp(mine, ref, mn)))
        c->binary_reencoded++;
    } else if (st != LULL_OK || rt != LULL_OK) {
      c->failing++;
      if (verbose || c->failing <= 30)
        printf("%s:%u: fails: %s\n", src, line,
               st != LULL_OK ? err.message : "reference form unreadable");
    } else if (mn == rn && (!mn || !memcmp(mine, ref, mn))) {
      c->identical++;
    } else {
      uint8_t *n1 = malloc(mn + 8), *n2 = malloc(rn + 8);
      size_t l1 = normalize(mine, mn, n1), l2 = normalize(ref, rn, n2);
      if (l1 && l1 == l2 && !memcmp(n1, n2, l1)) {
        c->sizes++;
      } else if (is_known(rel, line)) {
        c->known++;
      } else {
        c->differing++;
        if (verbose || c->differing <= 30) {
          size_t d = 0;
          const uint8_t *x = l1 ? n1 : mine, *y = l2 ? n2 : ref;
          size_t xl = l1 ? l1 : mn, yl = l2 ? l2 : rn;
          while (d < xl && d < yl && x[d] == y[d])
            d++;
          printf("%s:%u: differs at byte %zu of %zu/%zu (lull %02x, "
                 "reference %02x)\n",
                 src, line, d, xl, yl, d < xl ? x[d] : 0,
                 d < yl ? y[d] : 0);
          if (hexdump) {
            printf("  lull:");
            for (size_t q = 0; q < xl; q++)
              printf(" %02x", x[q]);
            printf("\n  ref: ");
            for (size_t q = 0; q < yl; q++)
              printf(" %02x", y[q]);
            printf("\n");
          }
        }
      }
      free(n1);
      free(n2);
    }
    lull_wasm_free(NULL, mine, mn);
    lull_wasm_free(NULL, ref, rn);
  }
  free(fs.f);
  free(fb.f);
  free(s);
  free(b);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .wast below src/rel, compared with bin/rel; one line per folder. */
static void walk(const char *src, const char *bin, const char *rel,
                 counts *total) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", src, rel);
  DIR *d = opendir(path);
  if (!d)
    return;
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof *names);
      if (!names)
        exit(70);
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  counts c = {0};
  for (size_t i = 0; i < n; i++) {
    char sp[8192], sub[4096];
    snprintf(sp, sizeof sp, "%s/%s", path, names[i]);
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
    struct stat st;
    if (stat(sp, &st) == 0 && S_ISDIR(st.st_mode)) {
      walk(src, bin, sub, total);
    } else {
      size_t l = strlen(names[i]);
      if (l > 5 && !strcmp(names[i] + l - 5, ".wast")) {
        char bp[16384];
        snprintf(bp, sizeof bp, "%s/%.*s.bin.wast", bin, (int)(strlen(sub) - 5),
                 sub);
        compare_file(sp, bp, sub, &c);
      }
    }
    free(names[i]);
  }
  free(names);
  unsigned all = c.identical + c.sizes + c.known + c.differing + c.failing;
  if (all || c.unmatched || c.binary)
    printf("%-13s %4u text modules: %4u identical, %4u same after sizes, "
           "%2u known, %u differing, %u failing, %u unmatched; %3u binary "
           "(%u re-encoded by the reference)\n",
           *rel ? rel : ".", all, c.identical, c.sizes, c.known,
           c.differing, c.failing, c.unmatched, c.binary,
           c.binary_reencoded);
  total->identical += c.identical;
  total->sizes += c.sizes;
  total->differing += c.differing;
  total->failing += c.failing;
  total->unmatched += c.unmatched;
  total->binary += c.binary;
  total->known += c.known;
  total->binary_reencoded += c.binary_reencoded;
}

int main(int argc, char **argv) {
  int i = 1;
  long max_bad = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-v"))
      verbose = 1;
    else if (!strcmp(argv[i], "-x"))
      hexdump = verbose = 1;
    else if (!strcmp(argv[i], "--max-differing") && i + 1 < argc)
      max_bad = atol(argv[++i]);
    else if (!strcmp(argv[i], "--known") && i + 1 < argc) {
      size_t n;
      char *k = slurp(argv[++i], &n);
      if (!k) {
        fprintf(stderr, "lull-text-oracle: cannot read %s\n", argv[i]);
        return 2;
      }
      known_text = malloc(n + 2);
      if (!known_text)
        return 70;
      known_text[0] = '\n';
      memcpy(known_text + 1, k, n + 1);
      free(k);
    }
    else
      break;
  }
  if (argc - i != 2) {
    fprintf(stderr, "usage: lull-text-oracle [-v] [--max-differing N] "
                    "SRC_DIR BIN_DIR\n");
    return 2;
  }
  counts t = {0};
  walk(argv[i], argv[i + 1], "", &t);
  unsigned all = t.identical + t.sizes + t.known + t.differing + t.failing;
  printf("total: %u text modules: %u identical, %u same after sizes, %u "
         "known, %u differing, %u failing, %u unmatched; %u binary (%u "
         "re-encoded by the reference)\n",
         all, t.identical, t.sizes, t.known, t.differing, t.failing,
         t.unmatched, t.binary, t.binary_reencoded);
  free(known_text);
  return (long)(t.differing + t.failing + t.unmatched) > max_bad ? 1 : 0;
}

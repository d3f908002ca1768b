/*
 * fsm.c -- a state machine over bytes: the tokenizer of a C-like
 * language run over generated source text (identifiers, numbers with
 * exponents, strings with escapes, line and block comments, operators),
 * one byte at a time through a `switch` on the state and a character
 * class table, as lexers, parsers of text formats and protocol decoders
 * are written. run(n) tokenizes the text n times and returns a checksum
 * of the tokens' kinds and lengths.
 */
#include "kernel.h"

#define TEXT_MAX (256 * 1024)

static uint8_t text[TEXT_MAX];
static uint32_t text_len;

enum { C_SPACE, C_ALPHA, C_DIGIT, C_QUOTE, C_BACKSLASH, C_SLASH, C_STAR,
       C_NEWLINE, C_DOT, C_E, C_SIGN, C_OP, C_OTHER };

static uint8_t cls[256];

static void classify(void) {
  for (uint32_t ch = 0; ch < 256; ch++) {
    uint8_t k = C_OTHER;
    if (ch == ' ' || ch == '\t' || ch == '\r')
      k = C_SPACE;
    else if (ch == '\n')
      k = C_NEWLINE;
    else if (ch == 'e' || ch == 'E')
      k = C_E;
    else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_')
      k = C_ALPHA;
    else if (ch >= '0' && ch <= '9')
      k = C_DIGIT;
    else if (ch == '"')
      k = C_QUOTE;
    else if (ch == '\\')
      k = C_BACKSLASH;
    else if (ch == '/')
      k = C_SLASH;
    else if (ch == '*')
      k = C_STAR;
    else if (ch == '.')
      k = C_DOT;
    else if (ch == '+' || ch == '-')
      k = C_SIGN;
    else if (ch == '=' || ch == '<' || ch == '>' || ch == '(' || ch == ')' ||
             ch == '{' || ch == '}' || ch == ';' || ch == ',' || ch == '&')
      k = C_OP;
    cls[ch] = k;
  }
}

static void put(const char *s) {
  while (*s && text_len < TEXT_MAX)
    text[text_len++] = (uint8_t)*s++;
}

static void put_char(uint8_t ch) {
  if (text_len < TEXT_MAX)
    text[text_len++] = ch;
}

/* Random but well-formed source text. */
static void generate(void) {
  static const char *const words[] = {"int", "return", "while", "node",
                                      "buffer_len", "x", "elem", "_tmp1"};
  static const char *const ops[] = {" = ", " + ", " - ", " <= ", "; ",
                                    "(", ")", " { ", " }\n", ", ", " && "};
  uint32_t seed = 0x2545f491u;
  text_len = 0;
  while (text_len + 64 < TEXT_MAX) {
    uint32_t r = rng_next(&seed);
    switch (r % 8u) {
    case 0:
    case 1:
      put(words[(r >> 8) % 8u]);
      break;
    case 2: {
      uint32_t v = r >> 12;
      char digits[16];
      int k = 0;
      do {
        digits[k++] = (char)('0' + v % 10u);
        v /= 10u;
      } while (v != 0);
      while (k > 0)
        put_char((uint8_t)digits[--k]);
      if (r & 0x100u)
        put(".5e-3");
      break;
    }
    case 3:
      put("\"a string with \\\"escapes\\\" and \\n\"");
      break;
    case 4:
      put((r & 0x100u) ? "// a line comment\n" : "/* a block * comment */");
      break;
    default:
      put(ops[(r >> 8) % 11u]);
      break;
    }
  }
}

enum { S_START, S_IDENT, S_NUMBER, S_FRACTION, S_EXP, S_EXP_DIGITS,
       S_STRING, S_ESCAPE, S_SLASH, S_LINE_COMMENT, S_BLOCK_COMMENT,
       S_BLOCK_STAR };

/* One pass: folds every token's kind and length into the checksum. */
static uint32_t tokenize(uint32_t h) {
  uint32_t state = S_START, start = 0;
  for (uint32_t i = 0; i < text_len; i++) {
    uint8_t k = cls[text[i]];
    switch (state) {
    case S_START:
      start = i;
      if (k == C_ALPHA || k == C_E)
        state = S_IDENT;
      else if (k == C_DIGIT)
        state = S_NUMBER;
      else if (k == C_QUOTE)
        state = S_STRING;
      else if (k == C_SLASH)
        state = S_SLASH;
      else if (k != C_SPACE && k != C_NEWLINE)
        h = mix32(h, 0x100u | text[i]);
      break;
    case S_IDENT:
      if (k != C_ALPHA && k != C_E && k != C_DIGIT) {
        h = mix32(h, 0x1000u + i - start);
        state = S_START;
        i--;
      }
      break;
    case S_NUMBER:
    case S_FRACTION:
      if (k == C_DOT && state == S_NUMBER) {
        state = S_FRACTION;
      } else if (k == C_E) {
        state = S_EXP;
      } else if (k != C_DIGIT) {
        h = mix32(h, 0x2000u + i - start);
        state = S_START;
        i--;
      }
      break;
    case S_EXP:
      state = S_EXP_DIGITS;
      if (k != C_SIGN && k != C_DIGIT) {
        h = mix32(h, 0x2800u + i - start);
        state = S_START;
        i--;
      }
      break;
    case S_EXP_DIGITS:
      if (k != C_DIGIT) {
        h = mix32(h, 0x3000u + i - start);
        state = S_START;
        i--;
      }
      break;
    case S_STRING:
      if (k == C_BACKSLASH) {
        state = S_ESCAPE;
      } else if (k == C_QUOTE) {
        h = mix32(h, 0x4000u + i - start);
        state = S_START;
      }
      break;
    case S_ESCAPE:
      state = S_STRING;
      break;
    case S_SLASH:
      if (k == C_SLASH) {
        state = S_LINE_COMMENT;
      } else if (k == C_STAR) {
        state = S_BLOCK_COMMENT;
      } else {
        h = mix32(h, '/');
        state = S_START;
        i--;
      }
      break;
    case S_LINE_COMMENT:
      if (k == C_NEWLINE) {
        h = mix32(h, 0x5000u + i - start);
        state = S_START;
      }
      break;
    case S_BLOCK_COMMENT:
      if (k == C_STAR)
        state = S_BLOCK_STAR;
      break;
    case S_BLOCK_STAR:
      if (k == C_SLASH) {
        h = mix32(h, 0x6000u + i - start);
        state = S_START;
      } else if (k != C_STAR) {
        state = S_BLOCK_COMMENT;
      }
      break;
    }
  }
  return mix32(h, state);
}

uint32_t run(uint32_t n) {
  classify();
  generate();
  uint32_t h = 0x811c9dc5u;
  for (uint32_t pass = 0; pass < n; pass++)
    h = tokenize(mix32(h, pass));
  return h;
}

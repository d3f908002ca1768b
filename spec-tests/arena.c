/*
 * arena.c -- chunks form a list so they can be freed in one walk; a big
 * request gets a chunk of its own.
 */
#include "arena.h"

#include <stdlib.h>

#define CHUNK_SIZE ((size_t)64 << 10)

struct spec_arena_chunk {
  spec_arena_chunk *prev;
  size_t used;
  size_t size;
  _Alignas(max_align_t) unsigned char data[];
};

void *spec_arena_alloc(spec_arena *a, size_t n) {
  n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  spec_arena_chunk *c = a->chunks;
  if (!c || c->size - c->used < n) {
    size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
    c = malloc(sizeof *c + size);
    if (!c)
      return NULL;
    c->used = 0;
    c->size = size;
    c->prev = a->chunks;
    a->chunks = c;
  }
  void *r = c->data + c->used;
  c->used += n;
  return r;
}

void spec_arena_free(spec_arena *a) {
  spec_arena_chunk *c = a->chunks;
  while (c) {
    spec_arena_chunk *prev = c->prev;
    free(c);
    c = prev;
  }
  a->chunks = NULL;
}

size_t spec_utf8_put(char *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

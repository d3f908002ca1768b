/*
 * arena.h -- the bump allocator behind the JSON and S-expression trees:
 * every node and string of one document lives in one arena, so freeing
 * the document frees them all at once and no node needs its own free.
 * Prefix spec_arena.
 */
#ifndef LULL_SPEC_ARENA_H
#define LULL_SPEC_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct spec_arena_chunk spec_arena_chunk;

typedef struct spec_arena {
  spec_arena_chunk *chunks; /* newest first */
} spec_arena;

/* `n` bytes aligned for any type, or NULL when out of memory. The block
 * lives until spec_arena_free. */
void *spec_arena_alloc(spec_arena *a, size_t n);

/* Frees every block; the arena is empty (and usable) again. */
void spec_arena_free(spec_arena *a);

/* Writes code point `cp` (below 0x110000) as UTF-8 to `o`, which has room
 * for 4 bytes; returns the number written. */
size_t spec_utf8_put(char *o, uint32_t cp);

#endif

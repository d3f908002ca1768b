/*
 * lull_text.h -- the WebAssembly text format (.wat): lull reads modules
 * written as text, converting them into the binary format its decoder
 * reads, so a text module and its binary form behave the same in every
 * way.
 *
 * The whole Wasm 3.0 text format is read: every section, inline imports
 * and exports, folded instructions, inline and implicit type uses,
 * identifiers and labels, every numeric literal form (hexadecimal floats,
 * nan:0x payloads, underscores), v128 shapes, rec groups and GC types,
 * tags and try_table, memory64 and table64, multiple memories, typed
 * references, tail calls and relaxed SIMD. Annotations (@...) are skipped,
 * but (@custom "name" (before|after SECTION)? "bytes"*), which writes a
 * custom section there.
 * `(module binary "...")` and `(module quote "...")` are accepted too. The
 * binary written is canonical (shortest LEB128 everywhere) and, without
 * LULL_WAT_NAMES, the bytes the WebAssembly reference interpreter writes
 * (up to its 5-byte section sizes).
 *
 * Text the converter rejects gives LULL_MALFORMED with a message that
 * starts with the WebAssembly reference interpreter's wording ("unexpected
 * token", "unknown operator", "constant out of range", "unknown label",
 * "inline function type", "duplicate func", ...) and ends with " at
 * LINE:COLUMN"; `offset` is the byte offset in the text. Identifiers that
 * name nothing are rejected here; everything else (types, indices) is left
 * to validation, which then reports binary offsets.
 *
 * Thread safety: the functions keep no state; each may run on any thread
 * with an engine used by that thread only.
 */
#ifndef LULL_TEXT_H
#define LULL_TEXT_H

#include "lull.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * Conversion
 * ====================================================================== */

/* Converts the text module `text` (`len` bytes, need not end with NUL)
 * into binary module bytes. `e` supplies the allocator (NULL: malloc).
 * An engine whose features are LULL_FEATURES_2_0 reads the Wasm 2.0 text
 * format: limits and memory offsets are 32-bit ("i32 constant out of
 * range") and a bad lane index is a "malformed lane index".
 * On success returns LULL_OK and sets *out (owned by the caller: release
 * it with lull_wasm_free with the same engine) and *out_len. On failure
 * returns LULL_MALFORMED (or LULL_NOMEM, LULL_BADARG for NULL pointers)
 * and fills `err` (may be NULL); *out is then NULL. */
lull_status lull_wat_to_wasm(lull_engine *e, const char *text, size_t len,
                             uint8_t **out, size_t *out_len, lull_error *err);

/* Flags of lull_wat_to_wasm_flags. */
#define LULL_WAT_NAMES 1u /* also write a "name" custom section (after the
                             others) with the module's and the functions'
                             identifiers, so traps and backtraces use them;
                             lull_module_new_text and lull_validate_text
                             always do */

/* lull_wat_to_wasm with flags (LULL_WAT_NAMES or 0). Unknown flags:
 * LULL_BADARG. */
lull_status lull_wat_to_wasm_flags(lull_engine *e, const char *text,
                                   size_t len, unsigned flags, uint8_t **out,
                                   size_t *out_len, lull_error *err);

/* Frees bytes returned by lull_wat_to_wasm. NULL is allowed. */
void lull_wasm_free(lull_engine *e, uint8_t *bytes, size_t len);

/* The 1-based line and column of byte `offset` of `text` (columns count
 * bytes). An offset past the end gives the end's position. */
void lull_text_position(const char *text, size_t len, uint64_t offset,
                        uint32_t *line, uint32_t *column);

/* ======================================================================
 * Modules
 * ====================================================================== */

/* lull_module_new for a text module: converts, then decodes, validates
 * and compiles. Errors of the text carry text offsets (and LINE:COLUMN);
 * later errors are those of lull_module_new, with offsets in the binary
 * form. On success *out is a new module owned by the caller. */
lull_status lull_module_new_text(lull_engine *e, const char *text, size_t len,
                                 lull_module **out, lull_error *err);

/* lull_validate for a text module. */
lull_status lull_validate_text(lull_engine *e, const char *text, size_t len,
                               lull_error *err);

/* Does `bytes` start like a binary module ("\0asm")? */
int lull_is_binary(const uint8_t *bytes, size_t len);

/* Does `bytes` start like a text module: after white space and comments,
 * a `(`? Lets a tool accept both forms of a file without relying on its
 * name (what is neither is best reported as a binary module, "magic
 * header not detected"). */
int lull_is_text(const uint8_t *bytes, size_t len);

#ifdef __cplusplus
}
#endif

#endif

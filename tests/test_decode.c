/*
 * test_decode.c -- the binary decoder (decoder/decode*.c): each section
 * decoded from hand-written bytes, every error message it emits fed a bad
 * input (wording and offset), allocation guards, and out-of-memory at
 * every allocation without leaks.
 */
#include "decode_util.h"

/* Types () -> () and a code section of `n` empty bodies, for modules that
 * need functions to exist. */
#define ONE_TYPE "01{01 60 00 00}"

/* ------------------------------------------------------------------ */
/* Sections decoded */

static void empty_module(void **state) {
  (void)state;
  lulld_module *m = decode_ok(HDR);
  assert_int_equal(m->len, 8);
  assert_int_equal(m->ntypes, 0);
  assert_int_equal(m->nfuncs, 0);
  assert_int_equal(m->ncodes, 0);
  assert_null(m->declared_refs);
  assert_null(m->module_name.str);
  lulld_module_free(m);
}

static void type_section(void **state) {
  (void)state;
  lulld_module *m =
      decode_ok(HDR "01{03 60 02 7f 7e 01 7d  60 01 7b 02 7b 6f  60 00 00}");
  assert_int_equal(m->ntypes, 3);
  const lulld_functype *t = &m->types[0];
  assert_int_equal(t->nparams, 2);
  assert_int_equal(t->nresults, 1);
  assert_int_equal(t->types[0], LULL_I32);
  assert_int_equal(t->types[1], LULL_I64);
  assert_int_equal(t->types[2], LULL_F32);
  assert_int_equal(t->param_slots, 2);
  assert_int_equal(t->result_slots, 1);
  t = &m->types[1];
  assert_int_equal(t->nparams, 1);
  assert_int_equal(t->nresults, 2);
  assert_int_equal(t->param_slots, 2); /* a v128 takes two slots */
  assert_int_equal(t->result_slots, 3);
  assert_int_equal(t->types[2], LULL_EXTERNREF);
  t = &m->types[2];
  assert_int_equal(t->nparams + t->nresults, 0);
  assert_null(t->types);
  lulld_module_free(m);
}

static void import_section(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR ONE_TYPE
      "02{04 {'env'}{'f'} 00 00"
      "      {'env'}{'t'} 01 70 01 01 05"
      "      {'env'}{'m'} 02 00 01"
      "      {'env'}{''} 03 7d 01}");
  assert_int_equal(m->nimports, 4);
  assert_string_equal(m->imports[0].module.str, "env");
  assert_int_equal(m->imports[0].module.len, 3);
  assert_string_equal(m->imports[0].name.str, "f");
  assert_int_equal(m->imports[0].kind, LULL_EXTERN_FUNC);
  assert_int_equal(m->imports[0].d.func, 0);
  assert_int_equal(m->imports[1].kind, LULL_EXTERN_TABLE);
  assert_int_equal(m->imports[1].d.table.elem, LULL_FUNCREF);
  assert_int_equal(m->imports[1].d.table.limits.min, 1);
  assert_int_equal(m->imports[1].d.table.limits.max, 5);
  assert_int_equal(m->imports[1].d.table.limits.has_max, 1);
  assert_int_equal(m->imports[2].kind, LULL_EXTERN_MEMORY);
  assert_int_equal(m->imports[2].d.memory.min, 1);
  assert_int_equal(m->imports[2].d.memory.has_max, 0);
  assert_int_equal(m->imports[3].kind, LULL_EXTERN_GLOBAL);
  assert_int_equal(m->imports[3].d.global.type, LULL_F32);
  assert_int_equal(m->imports[3].d.global.mut, 1);
  assert_string_equal(m->imports[3].name.str, "");
  /* Index spaces hold the imports even without definitions. */
  assert_int_equal(m->nfuncs, 1);
  assert_int_equal(m->nfunc_imports, 1);
  assert_int_equal(m->func_types[0], 0);
  assert_int_equal(m->ntables, 1);
  assert_int_equal(m->tables[0].limits.max, 5);
  assert_int_equal(m->nmemories, 1);
  assert_int_equal(m->nglobals, 1);
  assert_int_equal(m->nglobal_imports, 1);
  assert_int_equal(m->globals[0].type.type, LULL_F32);
  lulld_module_free(m);
}

static void declarations(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR "01{02 60 00 00 60 01 7f 00}"
      "02{02 {'a'}{'f'} 00 01  {'a'}{'m'} 02 00 00}"
      "03{02 00 01}"
      "04{01 6f 00 02}"
      "05{01 01 01 02}"
      "06{02 7f 00 41 2a 0b  7e 01 42 7f 0b}"
      "07{03 {'f'} 00 02  {'mem'} 02 01  {'g'} 03 02}"
      "08{02}"
      "0a{02 {00 0b} {00 0b}}");
  assert_int_equal(m->nfuncs, 3);
  assert_int_equal(m->nfunc_imports, 1);
  assert_int_equal(m->func_types[0], 1);
  assert_int_equal(m->func_types[1], 0);
  assert_int_equal(m->func_types[2], 1);
  assert_int_equal(lulld_func_type(m, 2)->nparams, 1);
  assert_int_equal(m->ntables, 1);
  assert_int_equal(m->ntable_imports, 0);
  assert_int_equal(m->tables[0].elem, LULL_EXTERNREF);
  assert_int_equal(m->tables[0].limits.min, 2);
  assert_int_equal(m->tables[0].limits.has_max, 0);
  assert_int_equal(m->nmemories, 2);
  assert_int_equal(m->nmemory_imports, 1);
  assert_int_equal(m->memories[1].min, 1);
  assert_int_equal(m->memories[1].max, 2);
  assert_int_equal(m->nglobals, 2);
  assert_int_equal(m->globals[0].type.type, LULL_I32);
  assert_int_equal(m->globals[0].type.mut, 0);
  assert_int_equal(m->globals[0].init.op, LULLD_CONST_I32);
  assert_int_equal(m->globals[0].init.v.i32, 42);
  assert_int_equal(m->globals[1].type.mut, 1);
  assert_true(m->globals[1].init.v.i64 == UINT64_MAX);
  assert_int_equal(m->nexports, 3);
  assert_string_equal(m->exports[1].name.str, "mem");
  assert_int_equal(m->exports[1].kind, LULL_EXTERN_MEMORY);
  assert_int_equal(m->exports[1].index, 1);
  assert_int_equal(m->exports[2].kind, LULL_EXTERN_GLOBAL);
  assert_int_equal(m->has_start, 1);
  assert_int_equal(m->start, 2);
  /* The exported function is a declared reference; the others are not. */
  assert_non_null(m->declared_refs);
  assert_int_equal(m->declared_refs[0], 1u << 2);
  lulld_module_free(m);
}

static void element_segments_all_encodings(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR ONE_TYPE "03{04 00 00 00 00} 04{01 70 00 01}"
      "09{08"
      "  00 41 00 0b 01 00"             /* active, table 0, funcs */
      "  01 00 02 00 01"                /* passive, elemkind, funcs */
      "  02 00 41 01 0b 00 01 01"       /* active, table index, funcs */
      "  03 00 01 01"                   /* declarative, funcs */
      "  04 41 02 0b 01 d2 00 0b"       /* active, table 0, exprs */
      "  05 70 02 d0 70 0b d2 01 0b"    /* passive, reftype, exprs */
      "  06 00 41 03 0b 70 01 d2 00 0b" /* active, table index, exprs */
      "  07 6f 01 d0 6f 0b}"            /* declarative, reftype, exprs */
      "0a{04 {00 0b}{00 0b}{00 0b}{00 0b}}");
  assert_int_equal(m->nelems, 8);
  const lulld_elem *e = m->elems;
  assert_int_equal(e[0].mode, LULLD_SEG_ACTIVE);
  assert_int_equal(e[0].type, LULL_FUNCREF);
  assert_int_equal(e[0].table, 0);
  assert_int_equal(e[0].offset.op, LULLD_CONST_I32);
  assert_int_equal(e[0].count, 1);
  assert_non_null(e[0].funcs);
  assert_null(e[0].exprs);
  assert_int_equal(e[1].mode, LULLD_SEG_PASSIVE);
  assert_int_equal(e[1].count, 2);
  assert_int_equal(e[1].funcs[1], 1);
  assert_int_equal(e[2].mode, LULLD_SEG_ACTIVE);
  assert_int_equal(e[2].offset.v.i32, 1);
  assert_int_equal(e[3].mode, LULLD_SEG_DECLARATIVE);
  assert_int_equal(e[4].mode, LULLD_SEG_ACTIVE);
  assert_int_equal(e[4].type, LULL_FUNCREF);
  assert_null(e[4].funcs);
  assert_int_equal(e[4].exprs[0].op, LULLD_CONST_REF_FUNC);
  assert_int_equal(e[5].mode, LULLD_SEG_PASSIVE);
  assert_int_equal(e[5].count, 2);
  assert_int_equal(e[5].exprs[0].op, LULLD_CONST_REF_NULL);
  assert_int_equal(e[5].exprs[0].type, LULL_FUNCREF);
  assert_int_equal(e[5].exprs[1].index, 1);
  assert_int_equal(e[6].offset.v.i32, 3);
  assert_int_equal(e[7].mode, LULLD_SEG_DECLARATIVE);
  assert_int_equal(e[7].type, LULL_EXTERNREF);
  assert_int_equal(e[7].exprs[0].type, LULL_EXTERNREF);
  /* Functions 0 and 1 appear in segments, 2 and 3 nowhere. */
  assert_int_equal(m->declared_refs[0], 0x03);
  lulld_module_free(m);
}

static void data_segments_all_encodings(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR "05{01 00 01} 0c{03}"
      "0b{03 00 41 08 0b {'abc'}  01 {'xy'}  02 00 41 10 0b {''}}");
  assert_int_equal(m->has_datacount, 1);
  assert_int_equal(m->datacount, 3);
  assert_int_equal(m->ndatas, 3);
  assert_int_equal(m->datas[0].mode, LULLD_SEG_ACTIVE);
  assert_int_equal(m->datas[0].memory, 0);
  assert_int_equal(m->datas[0].offset.v.i32, 8);
  assert_int_equal(m->datas[0].size, 3);
  assert_memory_equal(m->datas[0].bytes, "abc", 3);
  /* The bytes point into the module's own copy. */
  assert_true(m->datas[0].bytes > m->bytes &&
              m->datas[0].bytes < m->bytes + m->len);
  assert_int_equal(m->datas[1].mode, LULLD_SEG_PASSIVE);
  assert_memory_equal(m->datas[1].bytes, "xy", 2);
  assert_int_equal(m->datas[2].mode, LULLD_SEG_ACTIVE);
  assert_int_equal(m->datas[2].offset.v.i32, 16);
  assert_int_equal(m->datas[2].size, 0);
  lulld_module_free(m);
}

static void code_section_and_locals(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR "01{01 60 02 7f 7d 00} 03{02 00 00}"
      "0a{02 {00 0b} {03 02 7f 01 7c 00 7e 20 00 1a 0b}}");
  assert_int_equal(m->ncodes, 2);
  const lulld_code *c = &m->codes[0];
  assert_int_equal(c->nlocals, 0);
  assert_int_equal(c->ngroups, 0);
  assert_int_equal(c->end - c->body, 1);
  assert_int_equal(m->bytes[c->body], 0x0B);
  c = &m->codes[1];
  assert_int_equal(c->nlocals, 3);
  assert_int_equal(c->ngroups, 3);
  assert_int_equal(c->groups[0].count, 2);
  assert_int_equal(c->groups[1].type, LULL_F64);
  assert_int_equal(c->groups[2].count, 0);
  assert_int_equal(m->bytes[c->offset], c->end - c->offset - 1);
  assert_int_equal(m->bytes[c->body], 0x20);
  assert_int_equal(m->bytes[c->end - 1], 0x0B);
  const lulld_functype *ft = lulld_func_type(m, 1);
  assert_int_equal(lulld_local_type(ft, c, 0), LULL_I32);
  assert_int_equal(lulld_local_type(ft, c, 1), LULL_F32);
  assert_int_equal(lulld_local_type(ft, c, 2), LULL_I32);
  assert_int_equal(lulld_local_type(ft, c, 3), LULL_I32);
  assert_int_equal(lulld_local_type(ft, c, 4), LULL_F64);
  assert_int_equal(lulld_local_type(ft, c, 5), 0);
  lulld_module_free(m);
}

static void code_structure_accepted(void **state) {
  (void)state;
  /* Nested blocks, if/else, br_table, prefixed and SIMD instructions,
   * multi-byte immediates: all well-formed. */
  lulld_module *m = decode_ok(
      HDR "01{01 60 00 00} 03{01 00} 05{01 00 01}"
      "0a{01 {01 01 7f"
      "  02 40 03 40 41 01 04 40 01 05 01 0b 0b 0b"
      "  41 00 0e 02 00 00 00"
      "  41 80 80 04 28 02 80 08 1a"
      "  fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
      "  fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
      "  fd 15 03 1a"
      "  41 00 fc 0b 00"
      "  02 7f 41 00 0b 1a"
      "  1c 01 7f"
      "  0b}}");
  assert_int_equal(m->ncodes, 1);
  lulld_module_free(m);
}

static void constant_expressions(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR "02{01 {'a'}{'g'} 03 7f 00}"
      "06{0c"
      "  7f 00 41 7f 0b"
      "  7e 00 42 80 01 0b"
      "  7d 00 43 00 00 80 3f 0b"
      "  7c 00 44 00 00 00 00 00 00 f0 3f 0b"
      "  7b 00 fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 0b"
      "  70 00 d0 70 0b"
      "  70 00 d2 00 0b"
      "  7f 00 23 00 0b"
      "  7f 00 41 01 41 02 6a 0b"
      "  7f 00 0b"
      "  7f 00 41 01 41 02 0b"
      "  7f 00 02 40 0b 41 00 0b}");
  const lulld_global *g = m->globals + 1;
  assert_int_equal(g[0].init.op, LULLD_CONST_I32);
  assert_int_equal(g[0].init.type, LULL_I32);
  assert_int_equal((int32_t)g[0].init.v.i32, -1);
  assert_int_equal(g[1].init.op, LULLD_CONST_I64);
  assert_true(g[1].init.v.i64 == 128);
  assert_int_equal(g[2].init.op, LULLD_CONST_F32);
  assert_int_equal(g[2].init.v.i32, 0x3F800000u);
  assert_int_equal(g[3].init.op, LULLD_CONST_F64);
  assert_true(g[3].init.v.i64 == 0x3FF0000000000000ull);
  assert_int_equal(g[4].init.op, LULLD_CONST_V128);
  assert_int_equal(g[4].init.type, LULL_V128);
  assert_int_equal(g[4].init.v.v128[15], 15);
  assert_int_equal(g[5].init.op, LULLD_CONST_REF_NULL);
  assert_int_equal(g[5].init.type, LULL_FUNCREF);
  assert_int_equal(g[6].init.op, LULLD_CONST_REF_FUNC);
  assert_int_equal(g[6].init.index, 0);
  assert_int_equal(g[7].init.op, LULLD_CONST_GLOBAL_GET);
  assert_int_equal(g[7].init.index, 0);
  /* Not constant: recorded with the offending instruction's offset. */
  assert_int_equal(g[8].init.op, LULLD_CONST_BAD);
  assert_int_equal(g[8].init.index, LULLD_CONSTBAD_NONCONST);
  assert_int_equal(m->bytes[g[8].init.offset], 0x6A);
  /* No value, or two: an arity problem, offset of the expression. */
  assert_int_equal(g[9].init.op, LULLD_CONST_BAD);
  assert_int_equal(g[9].init.index, LULLD_CONSTBAD_ARITY);
  assert_int_equal(m->bytes[g[9].init.offset], 0x0B);
  assert_int_equal(g[10].init.index, LULLD_CONSTBAD_ARITY);
  assert_int_equal(m->bytes[g[10].init.offset], 0x41);
  /* A block is well-formed but not constant. */
  assert_int_equal(g[11].init.index, LULLD_CONSTBAD_NONCONST);
  assert_int_equal(m->bytes[g[11].init.offset], 0x02);
  lulld_module_free(m);
}

static void declared_refs_from_globals_and_exports(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR ONE_TYPE "03{0a 00 00 00 00 00 00 00 00 00 00}"
      "06{01 70 00 d2 09 0b}"
      "07{01 {'e'} 00 08}"
      "0a{0a {00 0b}{00 0b}{00 0b}{00 0b}{00 0b}"
      "      {00 0b}{00 0b}{00 0b}{00 0b}{00 0b}}");
  assert_int_equal(m->nfuncs, 10);
  assert_int_equal(m->declared_refs[0], 0);
  assert_int_equal(m->declared_refs[1], 0x03);
  lulld_module_free(m);
}

static void name_section(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR ONE_TYPE "03{03 00 00 00} 0a{03 {00 0b}{00 0b}{00 0b}}"
      "00{{'name'} 00{{'mod'}} 01{02 00{'zero'} 02{'two'}} 02{00}}");
  assert_string_equal(m->module_name.str, "mod");
  assert_int_equal(m->nfuncnames, 2);
  assert_string_equal(lulld_func_name(m, 0), "zero");
  assert_null(lulld_func_name(m, 1));
  assert_string_equal(lulld_func_name(m, 2), "two");
  assert_null(lulld_func_name(m, 3));
  lulld_module_free(m);
}

static void bad_name_sections_are_ignored(void **state) {
  (void)state;
  static const char *const bad[] = {
      "01{02 02{'a'} 01{'b'}}",        /* indices out of order */
      "01{01 00{c0 80}}",              /* bad UTF-8 */
      "01 05 01",                      /* subsection runs past the end */
      "01{01 00{'a'} 00}",             /* bytes after the name map */
      "00{{'m'}} 00{{'m'}}",           /* subsection repeated */
      "01{01 00{'a'}} 00{{'m'}}",      /* subsections out of order */
      "01{ff ff ff ff 0f}",            /* absurd count */
      "00{05 'ab'}",                   /* name runs past the subsection */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char hex[512];
    snprintf(hex, sizeof hex,
             HDR ONE_TYPE "03{01 00} 0a{01 {00 0b}} 00{{'name'} %s}", bad[i]);
    lulld_module *m = decode_ok(hex);
    assert_null(m->module_name.str);
    assert_int_equal(m->nfuncnames, 0);
    assert_null(lulld_func_name(m, 0));
    lulld_module_free(m);
  }
}

static void custom_sections_anywhere(void **state) {
  (void)state;
  lulld_module *m = decode_ok(
      HDR "00{{'a'} 01 02} 01{01 60 00 00} 00{{'b'}} 03{01 00}"
      "00{{''}} 0a{01 {00 0b}} 00{{'z'} ff}");
  assert_int_equal(m->ntypes, 1);
  assert_int_equal(m->ncodes, 1);
  lulld_module_free(m);
}

static void valid_utf8_names(void **state) {
  (void)state;
  /* Two-, three- and four-byte forms at their limits. */
  lulld_module *m = decode_ok(
      HDR "00{{c2 80 df bf e0 a0 80 ed 9f bf ee 80 80 ef bf bf"
      "      f0 90 80 80 f4 8f bf bf 00 7f}}");
  lulld_module_free(m);
}

/* ------------------------------------------------------------------ */
/* Errors, one per message */

static void header_errors(void **state) {
  (void)state;
  decode_bad_at("", "unexpected end", 0);
  decode_bad_at("0061", "unexpected end", 2);
  decode_bad_at("00617379 01000000", "magic header not detected", 0);
  decode_bad_at("0061736d 0100", "unexpected end", 6);
  decode_bad_at("0061736d 02000000", "unknown binary version", 4);
  decode_bad_at("0061736d 00000001", "unknown binary version", 4);
}

static void section_framing_errors(void **state) {
  (void)state;
  decode_bad_at(HDR "0d00", "malformed section id", 8);
  decode_bad_at(HDR "ff00", "malformed section id", 8);
  decode_bad_at(HDR "01{00} 01{00}", "unexpected content after last section",
                11);
  decode_bad_at(HDR "03{00} 01{00}", "unexpected content after last section",
                11);
  /* The data count section comes before the code section. */
  decode_bad_at(HDR "0a{00} 0c{00}", "unexpected content after last section",
                11);
  decode_bad_at(HDR "01 05 00", "length out of bounds", 9);
  decode_bad_at(HDR "01", "unexpected end", 9);
  decode_bad_at(HDR "01 80 80 80 80 80 00", "integer representation too long",
                9);
  decode_bad_at(HDR "01{01 60 00 00 00}", "section size mismatch", 14);
  decode_bad_at(HDR "01{02 60 00 00}", "unexpected end of section or function",
                14);
  decode_bad_at(HDR "01{05 60 00 00}", "length out of bounds", 10);
  /* A custom section's name longer than the section, and a custom section
   * reaching past the module. */
  decode_bad(HDR "00 02 05 'abcde'", "unexpected end of section or function");
  decode_bad(HDR "00 03 01 'a'", "unexpected end of section or function");
}

static void utf8_errors(void **state) {
  (void)state;
  static const char *const bad[] = {
      "80",          /* lone continuation byte */
      "c0 80",       /* overlong NUL */
      "c1 bf",       /* overlong */
      "e0 80 80",    /* overlong three-byte */
      "e0 9f bf",    /* overlong three-byte, highest */
      "ed a0 80",    /* surrogate U+D800 */
      "ed bf bf",    /* surrogate U+DFFF */
      "f0 80 80 80", /* overlong four-byte */
      "f0 8f bf bf", /* overlong four-byte, highest */
      "f4 90 80 80", /* U+110000 */
      "f5 80 80 80", /* beyond */
      "f8 88 80 80 80", /* five-byte form */
      "ff",          /* never valid */
      "c2",          /* truncated two-byte */
      "e2 82",       /* truncated three-byte */
      "f0 9f 98",    /* truncated four-byte */
      "c2 41",       /* bad continuation */
      "e2 28 a1",    /* bad continuation */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char hex[256];
    snprintf(hex, sizeof hex, HDR "00{{%s}}", bad[i]);
    decode_bad_at(hex, "malformed UTF-8 encoding", 10);
    snprintf(hex, sizeof hex, HDR "02{01 {'a'}{%s} 00 00}", bad[i]);
    decode_bad_at(hex, "malformed UTF-8 encoding", 13);
    snprintf(hex, sizeof hex, HDR "07{01 {%s} 00 00}", bad[i]);
    decode_bad_at(hex, "malformed UTF-8 encoding", 11);
  }
}

static void type_errors(void **state) {
  (void)state;
  decode_bad_at(HDR "01{01 61 00 00}", "malformed function type", 11);
  decode_bad_at(HDR "01{01 e0 00 00 00}", "integer representation too long",
                12);
  decode_bad_at(HDR "01{01 60 01 40 00}", "malformed value type", 13);
  decode_bad_at(HDR "01{01 60 00 01 50}", "malformed value type", 14);
  decode_bad_at(HDR "01{01 60 80 80 80 80 80 00 00}",
                "integer representation too long", 12);
  decode_bad_at(HDR "04{01 7f 00 00}", "malformed reference type", 11);
  decode_bad_at(HDR "06{01 7f 02 41 00 0b}", "malformed mutability", 12);
  decode_bad_at(HDR "05{01 02 00}", "integer too large", 11);
  decode_bad_at(HDR "05{01 81 00}", "integer representation too long", 12);
  decode_bad_at(HDR "05{01 00 ff ff ff ff 1f}", "integer too large", 12);
  decode_bad_at(HDR "05{01 01 00 80 80 80 80 80 00}",
                "integer representation too long", 13);
}

static void import_export_errors(void **state) {
  (void)state;
  decode_bad_at(HDR "02{01 {'a'}{'b'} 04 00}", "malformed import kind", 15);
  decode_bad_at(HDR "02{01 {'a'}{'b'} 80}", "malformed import kind", 15);
  decode_bad_at(HDR "07{01 {'a'} 04 00}", "malformed export kind", 13);
  decode_bad_at(HDR "02{01 {'a'}{'b'} 03 7f 02}", "malformed mutability", 17);
}

static void segment_errors(void **state) {
  (void)state;
  decode_bad_at(HDR "09{01 08}", "malformed elements segment kind", 11);
  decode_bad_at(HDR "09{01 01 01 00}", "malformed element kind", 12);
  decode_bad_at(HDR "09{01 05 7f 00}", "malformed reference type", 12);
  decode_bad_at(HDR "0b{01 03}", "malformed data segment kind", 11);
  decode_bad(HDR "0b{01 01 03 'ab'}", "unexpected end of section or function");
  decode_bad_at(HDR "0b{01 01 05 'ab'}", "length out of bounds", 12);
  decode_bad(HDR "09{01 04 41 00 0b 01 f3 0b}", "illegal opcode");
  decode_bad(HDR "09{01 00 41 00 01 00}", "unexpected end");
  decode_bad_at(HDR "0c{02} 0b{01 01 00}",
                "data count and data section have inconsistent lengths", 0x10);
  decode_bad_at(HDR "0c{01}",
                "data count and data section have inconsistent lengths", 11);
}

static void code_errors(void **state) {
  (void)state;
#define FN HDR ONE_TYPE "03{01 00} 05{01 00 01} "
  /* Offsets: the code section's count is at 0x19 and the body's size at
   * 0x1a, so the locals start at 0x1b and the first instruction at 0x1c. */
  decode_bad_at(FN "0a{01 {02 ff ff ff ff 0f 7f 01 7e 0b}}", "too many locals",
                0x1b);
  decode_bad_at(FN "0a{01 {01 d1 86 03 7f 0b}}", "too many locals", 0x1b);
  decode_bad_at(FN "0a{01 {00 06 0b}}", "illegal opcode", 0x1c);
  decode_bad_at(FN "0a{01 {00 fc 99 01 0b}}", "illegal opcode", 0x1c);
  decode_bad_at(FN "0a{01 {00 fd 9a 01 0b}}", "illegal opcode", 0x1c);
  decode_bad_at(FN "0a{01 {00 3f 01 1a 0b}}", "zero byte expected", 0x1d);
  decode_bad_at(FN "0a{01 {00 02 40 05 0b 0b}}", "END opcode expected", 0x1e);
  decode_bad_at(FN "0a{01 {00 04 40 05 05 0b 0b}}", "END opcode expected",
                0x1f);
  decode_bad_at(FN "0a{01 {00 05 0b}}", "END opcode expected", 0x1c);
  decode_bad_at(FN "0a{01 {00 02 50 0b 0b}}", "malformed block type", 0x1d);
  decode_bad_at(FN "0a{01 {00 1c 01 40 0b}}", "malformed value type", 0x1e);
  decode_bad_at(FN "0a{01 {00 d0 7f 0b}}", "malformed reference type", 0x1d);
  decode_bad_at(FN "0a{01 {00 41 80 80 80 80 80 00 0b}}",
                "integer representation too long", 0x1d);
  decode_bad_at(FN "0a{01 {00 41 ff ff ff ff 0f 0b}}", "integer too large",
                0x1d);
  /* The body's `end` comes before its declared end. */
  decode_bad_at(FN "0a{01 {00 0b 01}}", "section size mismatch", 0x1d);
  /* No `end` at all: the scan runs into the end of the module. */
  decode_bad_at(FN "0a 05 01 03 00 41 01",
                "unexpected end of section or function", 0x1e);
  decode_bad(FN "0a{01 {00 02 40 0b}}", "unexpected end");
  decode_bad_at(FN "0a{02 {00 0b}}", "unexpected end of section or function",
                0x1d);
  /* A body needs the data count section for memory.init and data.drop
   * once there is a data section. */
  decode_bad_at(FN "0a{01 {00 fc 09 00 0b}} 0b{01 01 00}",
                "data count section required", 0x1c);
  decode_bad_at(FN "0a{01 {00 41 00 41 00 41 00 fc 08 00 00 0b}} 0b{01 01 00}",
                "data count section required", 0x22);
#undef FN
  decode_bad_at(HDR ONE_TYPE "03{01 00}",
                "function and code section have inconsistent lengths", 0x12);
  decode_bad_at(HDR "0a{01 {00 0b}}",
                "function and code section have inconsistent lengths", 0x0e);
}

/*
 * Encodings at the edges of the scanner's shortcuts (decode_scan.c), which
 * must accept and reject exactly what the instruction reader does.
 */
static void code_scan_edges(void **state) {
  (void)state;
  static const char *const ok[] = {
      "41 ff ff ff 7f 1a",                      /* 4-byte LEB */
      "41 ff ff ff ff 07 1a",                   /* 5-byte LEB */
      "42 80 80 80 80 80 80 80 80 00 1a",       /* 9-byte i64 */
      "42 ff ff ff ff ff ff ff ff ff 00 1a",    /* 10-byte i64 */
      "41 00 28 80 80 80 80 00 ff ff ff ff 0f 1a", /* 5-byte memarg */
      "02 ff 00 0b",                            /* type index 127 */
      "02 3f 0b 02 40 0b 03 7b 0b",             /* one-byte block types */
      "fd 81 01 fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
      "fd 54 00 00 03 fd 15 0f fd 5c 03 80 01 00",
      "fc 0b 00 fc 0f 00 fc 0e 00 00 fc 10 80 01",
      "fc 80 00",                               /* 2-byte sub-opcode 0 */
      "43 00 00 00 00 44 00 00 00 00 00 00 00 00 1a 1a",
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    char hex[512];
    snprintf(hex, sizeof hex, HDR ONE_TYPE "03{01 00} 0a{01 {00 %s 0b}}",
             ok[i]);
    lulld_module_free(decode_ok(hex));
  }
  static const struct {
    const char *code, *msg;
  } bad[] = {
      {"fc 0b 01", "zero byte expected"},
      {"3f 01", "zero byte expected"},
      {"fd 80 02", "illegal opcode"},
      {"fc 12", "illegal opcode"},
      {"fd 80 80 80 80 10", "integer too large"},
      {"02 80 80 80 80 20 0b", "integer too large"},
      {"41 ff ff ff ff 4f", "integer too large"},
      {"28 02 80 80 80 80 80 00", "integer representation too long"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char hex[512];
    snprintf(hex, sizeof hex, HDR ONE_TYPE "03{01 00} 0a{01 {00 %s 0b}}",
             bad[i].code);
    decode_bad(hex, bad[i].msg);
  }
  /* Immediates cut off by the end of the module. */
  static const char *const cut[] = {
      "41 80 80", "42 80", "43 00 00", "44 00 00 00 00 00 00 00",
      "fd 0c 00 01", "fd", "fd 81", "28 02", "fd 54 00 00", "02",
  };
  for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
    /* The sizes claim one byte more than there is: the missing `end`. */
    size_t n;
    free(hex_bytes(cut[i], &n));
    char hex[512];
    snprintf(hex, sizeof hex, HDR ONE_TYPE "03{01 00} 0a %02zx 01 %02zx 00 %s",
             n + 3, n + 2, cut[i]);
    decode_bad(hex, "unexpected end");
  }
}

static void locals_at_the_limit(void **state) {
  (void)state;
  /* 50000 locals is the implementation limit, and allowed. */
  lulld_module *m =
      decode_ok(HDR ONE_TYPE "03{01 00} 0a{01 {02 cf 86 03 7f 01 7e 0b}}");
  assert_int_equal(m->codes[0].nlocals, 50000);
  assert_int_equal(m->codes[0].groups[1].type, LULL_I64);
  lulld_module_free(m);
}

/*
 * Implementation limits: reported only once the module is known to be
 * well-formed, with LULL_LIMIT where the spec has no wording.
 */

/* A module with one function type of `np` i32 params and `nr` results. */
static void type_hex(char *hex, size_t cap, int np, int nr) {
  int n = snprintf(hex, cap, HDR "01{01 60 %02x %02x", 0x80 | (np & 0x7F),
                   np >> 7);
  for (int i = 0; i < np; i++)
    n += snprintf(hex + n, cap - (size_t)n, "7f");
  n += snprintf(hex + n, cap - (size_t)n, " %02x %02x", 0x80 | (nr & 0x7F),
                nr >> 7);
  for (int i = 0; i < nr; i++)
    n += snprintf(hex + n, cap - (size_t)n, "7f");
  snprintf(hex + n, cap - (size_t)n, "}");
}

static void implementation_limits(void **state) {
  (void)state;
  static char hex[8192];
  lulld_module *m = NULL;
  lull_error err;
  type_hex(hex, sizeof hex, 1000, 1000);
  lulld_module_free(decode_ok(hex));
  type_hex(hex, sizeof hex, 1001, 0);
  assert_int_equal(decode_hex(hex, &m, &err), LULL_LIMIT);
  assert_int_equal(strncmp(err.message, "too many parameters at offset 0xc",
                           33), 0);
  assert_int_equal(err.offset, 0x0C);
  type_hex(hex, sizeof hex, 0, 1001);
  assert_int_equal(decode_hex(hex, &m, &err), LULL_LIMIT);
  assert_int_equal(strncmp(err.message, "too many results", 16), 0);
  /* Too many locals for this implementation, then a malformed section:
   * malformed comes first. */
  decode_bad(HDR ONE_TYPE "03{01 00} 0a{01 {01 d1 86 03 7f 0b}} 0b{01 07}",
             "malformed data segment kind");
}

static void bad_arguments(void **state) {
  (void)state;
  lulld_alloc a = {lulld_default_alloc, NULL};
  lulld_module *m = (lulld_module *)&a;
  lull_error err;
  assert_int_equal(lulld_decode(NULL, 0, (const uint8_t *)"", 0, &m, &err),
                   LULL_BADARG);
  assert_null(m);
  assert_int_equal(lulld_decode(&a, 0, NULL, 8, &m, &err), LULL_BADARG);
  assert_int_equal(lulld_decode(&a, 0, NULL, 0, NULL, NULL), LULL_BADARG);
  /* NULL error records are allowed. */
  assert_int_equal(lulld_decode(&a, 0, NULL, 0, &m, NULL), LULL_MALFORMED);
  lulld_module_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Allocation guards and out of memory */

/*
 * Counts that the section cannot hold are never trusted for an
 * allocation: decoding goes on item by item until the error that must
 * come, and the peak stays near the module's size.
 */
static void counts_beyond_the_section_are_not_trusted(void **state) {
  (void)state;
  static const char *const cases[] = {
      /* 200 types in a type section of 4 bytes, the rest in a custom
       * section after it */
      HDR "01 04 c8 01 60 00 00 0b {'x' "
      "0000000000000000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000000}",
      HDR "03 02 7f 00 00{{'x'} 00000000000000000000000000000000}",
      HDR "0a 03 7f 02 00 00{{'x'} 0000000000000000000000000000000000000000}",
      HDR "0a{01 {7f 00}} 00{{'x'} 0000000000000000000000000000000000000000}",
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t n;
    uint8_t *b = hex_bytes(cases[i], &n);
    counting cnt = {0, -1, 0, 0, 0};
    lulld_alloc a = {counting_alloc, &cnt};
    lulld_module *m = NULL;
    lull_error err;
    assert_int_equal(lulld_decode(&a, 0, b, n, &m, &err), LULL_MALFORMED);
    assert_int_equal(cnt.live, 0);
    if (cnt.peak > n + sizeof(lulld_module) + 256)
      fail_msg("case %zu: peak %zu bytes for a %zu-byte module (%s)", i,
               cnt.peak, n, err.message);
    free(b);
  }
}

/* A module with every section and a name section. */
#define RICH_MODULE                                                           \
  HDR "01{02 60 01 7f 01 7f 60 00 00}"                                        \
  "02{02 {'env'}{'f'} 00 01 {'env'}{'g'} 03 7f 00}"                          \
  "03{03 00 01 01} 04{01 70 00 04} 05{01 01 01 02}"                           \
  "06{02 7f 01 41 05 0b 70 00 d2 01 0b}"                                     \
  "07{03 {'a'} 00 01 {'mem'} 02 00 {'tab'} 01 00}"                           \
  "08{02}"                                                                    \
  "09{03 00 41 00 0b 02 00 01  05 70 01 d2 02 0b  03 00 01 03}"              \
  "0c{02}"                                                                    \
  "0a{03 {01 02 7f 20 00 0b} {00 41 00 41 00 41 00 fc 08 00 00 0b}"          \
  "      {00 fc 09 01 0b}}"                                                   \
  "0b{02 00 41 00 0b {'hello'} 01 {'x'}}"                                     \
  "00{{'name'} 00{{'rich'}} 01{03 00{'f'} 01{'one'} 02{'two'}}}"

static void rich_module(void **state) {
  (void)state;
  lulld_module *m = decode_ok(RICH_MODULE);
  assert_int_equal(m->nfuncs, 4);
  assert_int_equal(m->nelems, 3);
  assert_int_equal(m->ndatas, 2);
  assert_string_equal(m->module_name.str, "rich");
  assert_string_equal(lulld_func_name(m, 1), "one");
  assert_int_equal(m->declared_refs[0], 0x0F);
  lulld_module_free(m);
}

/*
 * Fails the n-th allocation for n = 0, 1, 2, ... until the decode
 * succeeds: every failure must be LULL_NOMEM and free everything.
 */
static void out_of_memory_at_every_allocation(void **state) {
  (void)state;
  size_t n;
  uint8_t *b = hex_bytes(RICH_MODULE, &n);
  long fail_at = 0;
  for (;; fail_at++) {
    counting cnt = {0, fail_at, 0, 0, 0};
    lulld_alloc a = {counting_alloc, &cnt};
    lulld_module *m = NULL;
    lull_error err;
    lull_status s = lulld_decode(&a, 0, b, n, &m, &err);
    if (s == LULL_OK) {
      lulld_module_free(m);
      assert_int_equal(cnt.live, 0);
      assert_int_equal(cnt.nblocks, 0);
      break;
    }
    if (s != LULL_NOMEM)
      fail_msg("allocation %ld failed: status %d, %s", fail_at, s,
               err.message);
    assert_int_equal(err.status, LULL_NOMEM);
    assert_null(m);
    assert_int_equal(cnt.live, 0);
    assert_int_equal(cnt.nblocks, 0);
  }
  /* The rich module allocates a few dozen times. */
  assert_true(fail_at > 20);
  free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(empty_module),
      cmocka_unit_test(type_section),
      cmocka_unit_test(import_section),
      cmocka_unit_test(declarations),
      cmocka_unit_test(element_segments_all_encodings),
      cmocka_unit_test(data_segments_all_encodings),
      cmocka_unit_test(code_section_and_locals),
      cmocka_unit_test(code_structure_accepted),
      cmocka_unit_test(constant_expressions),
      cmocka_unit_test(declared_refs_from_globals_and_exports),
      cmocka_unit_test(name_section),
      cmocka_unit_test(bad_name_sections_are_ignored),
      cmocka_unit_test(custom_sections_anywhere),
      cmocka_unit_test(valid_utf8_names),
      cmocka_unit_test(header_errors),
      cmocka_unit_test(section_framing_errors),
      cmocka_unit_test(utf8_errors),
      cmocka_unit_test(type_errors),
      cmocka_unit_test(import_export_errors),
      cmocka_unit_test(segment_errors),
      cmocka_unit_test(code_errors),
      cmocka_unit_test(code_scan_edges),
      cmocka_unit_test(locals_at_the_limit),
      cmocka_unit_test(implementation_limits),
      cmocka_unit_test(bad_arguments),
      cmocka_unit_test(counts_beyond_the_section_are_not_trusted),
      cmocka_unit_test(rich_module),
      cmocka_unit_test(out_of_memory_at_every_allocation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

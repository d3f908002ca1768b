/*
 * instr.h -- reading one instruction with its immediates, and the static
 * facts about each opcode (name, immediate kind, simple type signature).
 * The decoder (constant expressions), the validator and the compiler all
 * read code through lulld_read_instr, so immediates are parsed one way.
 */
#ifndef LULL_DECODER_INSTR_H
#define LULL_DECODER_INSTR_H

#include <stdint.h>

#include "opcodes.h"
#include "reader.h"
#include "valtype.h"

/* Block types as lulld_instr holds them: LULLD_BLOCK_EMPTY, a type index
 * (>= 0), or the negated lull_valtype of a single result (every
 * lull_valtype is above 64, so the encodings do not meet). */
#define LULLD_BLOCK_EMPTY (-64)
#define LULLD_BLOCK_IS_VT(bt) ((bt) < 0 && (bt) != LULLD_BLOCK_EMPTY)
#define LULLD_BLOCK_VT(bt) ((lull_valtype)(-(bt)))

typedef struct lulld_instr {
  uint16_t op;      /* full opcode, see opcodes.h */
  uint8_t imm;      /* lulld_imm */
  uint32_t offset;  /* byte offset of the first opcode byte */
  union {
    int64_t block;  /* BLOCKTYPE: see LULLD_BLOCK_EMPTY */
    struct {
      int64_t block;   /* as `block`, which it overlays */
      uint32_t count;  /* catch clauses */
      uint32_t pos;    /* byte offset of the first one */
    } try_table;
    uint32_t index; /* INDEX; MEMIDX: the memory index */
    struct {
      uint32_t type;
      uint32_t table;
    } call_indirect;
    struct {
      uint32_t align;  /* log2, as encoded (without the memory-index bit) */
      uint32_t memory; /* memory index (multi-memory), else 0 */
      uint64_t offset; /* u64 with memory64, else u32 */
      uint8_t lane;    /* MEMARG_LANE only */
    } mem;
    struct {
      uint32_t count;  /* number of targets before the default */
      uint32_t pos;    /* byte offset of the first target */
    } br_table;
    struct {
      uint32_t count;  /* number of types (2.0 requires 1) */
      lull_valtype type; /* the first type, if count > 0 */
    } select_t;
    lull_valtype reftype; /* HEAPTYPE: (ref null ht) */
    struct {
      uint32_t label;
      lull_valtype from, to; /* BR_ON_CAST: nullable as the flags say */
    } cast_br;
    uint8_t lane;      /* LANE */
    int32_t i32;
    int64_t i64;
    uint32_t f32;      /* bits */
    uint64_t f64;      /* bits */
    uint8_t v128[16];  /* V128 bytes, SHUFFLE lanes */
    struct {
      uint32_t a;      /* DATA_MEM: data index; PAIR and MEM_MEM: first
                          index (table.copy, memory.copy: destination) */
      uint32_t b;      /* DATA_MEM: memory index; PAIR, MEM_MEM: second */
    } pair;
  } u;
} lulld_instr;

/* Reads the instruction at r->pos into `in` and moves past it; opcodes
 * and encodings of proposals not in `features` (lull_features) are
 * illegal, as in Wasm 2.0. Returns 0,
 * or -1 with r->err set to the spec's message ("illegal opcode",
 * "unexpected end", "zero byte expected", "integer too large", ...). A
 * br_table's targets are checked for encoding and skipped; read them again
 * with lulld_read_br_targets. */
LULL_HIDDEN int lulld_read_instr(lulld_reader *r, uint32_t features,
                                 lulld_instr *in);

/* The kinds of a try_table's catch clauses, as encoded. */
enum {
  LULLD_CATCH = 0,
  LULLD_CATCH_REF = 1,
  LULLD_CATCH_ALL = 2,
  LULLD_CATCH_ALL_REF = 3
};

/* One catch clause of a try_table. */
typedef struct lulld_catch {
  uint8_t kind;    /* LULLD_CATCH_* */
  uint32_t tag;    /* LULLD_CATCH and LULLD_CATCH_REF only */
  uint32_t label;
} lulld_catch;

/* Reads the next catch clause of a try_table from `r` (positioned at
 * in->u.try_table.pos, then after the previous clause; the decoder
 * checked the encoding). Returns 0, or -1 with r->err set. */
LULL_HIDDEN int lulld_read_catch(lulld_reader *r, lulld_catch *out);

/* Iterates over br_table targets: `pos` is in->u.br_table.pos; call
 * lulld_read_u32 count + 1 times (the last one is the default). */
static inline void lulld_br_targets(lulld_reader *r, const lulld_reader *code,
                                    const lulld_instr *in) {
  lulld_reader_init(r, code->base, in->u.br_table.pos, code->end);
}

/* Is `op` an arithmetic instruction that extended constant expressions
 * allow (i32/i64 add, sub, mul)? */
static inline int lulld_const_arith(uint16_t op) {
  return (op >= LULLD_OP_I32_ADD && op <= LULLD_OP_I32_MUL) ||
         (op >= LULLD_OP_I64_ADD && op <= LULLD_OP_I64_MUL);
}

/* Static facts about an opcode. */
typedef struct lulld_opinfo {
  const char *name;  /* "i32.add"; NULL for an unknown opcode */
  uint8_t imm;       /* lulld_imm */
  uint8_t p[3];      /* operand types popped, deepest first; 0 = none */
  uint8_t r;         /* result type; 0 = none; TX = typed by hand */
  uint8_t align;     /* natural alignment (log2) of a memory access */
} lulld_opinfo;

/* The facts about `op` (a full opcode), or NULL if it does not exist. */
LULL_HIDDEN const lulld_opinfo *lulld_opinfo_of(uint16_t op);

/* The name of `op`, or "<unknown>". */
LULL_HIDDEN const char *lulld_op_name(uint16_t op);


#endif

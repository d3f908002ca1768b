/*
 * ops.h -- lull's register code: the instruction set of the dispatch loop.
 *
 * Code is an array of 64-bit cells (lulli_cell). An instruction is a
 * handler cell followed by operand cells:
 *
 *   cell 0   the handler's address (computed goto) or the opcode number
 *            (switch dispatch): the compiler stores handlers[op] either way
 *   cell 1   four 16-bit fields u16[0..3], or two 16-bit fields and a
 *            32-bit field u32[1]
 *   cell 2.. 64-bit immediates, jump tables
 *
 * Operands named d, a, b, c are frame slot numbers: the value lives at
 * fp[n], where fp is the frame base. Locals come first (parameters, then
 * declared locals), then the operand-stack positions, each a fixed slot
 * given by the validated stack height. The compiler names locals and
 * constants directly, so most Wasm instructions become one of these.
 *
 * Formats (the comment of each group in LULLI_OPS says which it uses):
 *   [h][d a b c]          d = a op b (c: third operand where there is one)
 *   [h][d a imm32]        d = a op imm (I32 _I forms; CONST32 with a unused)
 *   [h][d a _ _][imm64]   d = a op imm (I64 _I forms; CONST64)
 *   [h][a b rel32]        fused compare-and-branch: if (a cmp b) pc += rel
 *   [h][a _ rel32][imm]   the same against an immediate
 *   [h][d addr off32]     d = load(mem[fp[addr] + off])
 *   [h][addr v off32]     store(mem[fp[addr] + off], fp[v])
 *
 * Jumps are relative, in cells, from the first cell of the jumping
 * instruction. Everything else is listed below with its semantics.
 *
 *   UNREACHABLE [h]                    trap "unreachable"
 *   COMPILE [h]                        the code of a function not compiled
 *                                      yet (lazy_compile): compile it, run
 *                                      it from its start
 *   JMP [h][_ _ rel32]                 pc += rel
 *   JZ, JNZ [h][a _ rel32]             if i32 a == 0 (!= 0): pc += rel
 *   JZ64, JNZ64                        the same on an i64
 *   BR_TABLE [h][a _ n32][rel32 x n+1] i = min(a, n); pc += rel[i]; the
 *                                      table packs two rel32 per cell
 *   SAFEPOINT [h][_ _ cost32]          fuel -= cost; park when fuel < 0 or
 *                                      the interrupt flag is set; at
 *                                      function entry and loop headers
 *   RET0 [h]                           return, no results
 *   RET1 [h][a]  RET2 [h][a]           fp[0] = fp[a] (two slots for RET2)
 *   RETN [h][a n]                      fp[0..n) = fp[a..a+n), ascending
 *   CALL [h][base _ func32]            call inst->funcs[func]; its frame
 *                                      starts at fp + base, where the
 *                                      arguments already are; results come
 *                                      back to the same place
 *   CALL_INDIRECT [h][base i type32][table32]
 *                                      callee = table[fp[i]], type-checked
 *   CALL_PTR [h][base][lull_func *]    call a function by pointer (root)
 *   EXIT [h]                           the root frame returns: stop, OK
 *   HOSTCONT [h]                       a Wasm callee of lull_host_call
 *                                      returned: run the continuation
 *   MOV [h][d a]  MOV2                 fp[d] = fp[a] (two slots for MOV2)
 *   CONST32 [h][d _ imm32]  CONST64 [h][d][imm64]  CONST128 [h][d][lo][hi]
 *   SELECT [h][d a b c]  SELECT2       d = i32 c ? a : b
 *   GLOBAL_GET [h][d _ g32]  GLOBAL_SET [h][a _ g32]  (…2: v128)
 *   MEMORY_SIZE [h][d]  MEMORY_GROW [h][d a]
 *   MEMORY_FILL [h][d v n]  MEMORY_COPY [h][d s n]
 *   MEMORY_INIT [h][d s n][seg32]  DATA_DROP [h][_ _ seg32]
 *   TABLE_GET [h][d i _ _][t32]  TABLE_SET [h][i v _ _][t32]
 *   TABLE_SIZE [h][d][t32]  TABLE_GROW [h][d init n][t32]
 *   TABLE_FILL [h][i v n][t32]  TABLE_COPY [h][d s n][dst32 src32]
 *   TABLE_INIT [h][d s n][t32 seg32]  ELEM_DROP [h][_ _ seg32]
 *   REF_FUNC [h][d _ func32]  REF_IS_NULL [h][d a]
 *
 * Notes
 * - i32.reinterpret_f32, i64.reinterpret_f64 and the reverse, and
 *   i64.extend_i32_u, produce no instruction: slots already hold the bits
 *   (i32 and f32 zero-extended).
 * - f32.load and i32.load are LOAD32, f64.load is LOAD64; narrow stores
 *   of i32 and i64 are the same STORE8/16/32.
 * - Float comparisons branch with BR_ (taken when true) or BRN_ (taken
 *   when false), because !(a < b) is not (a >= b) when a NaN is involved.
 * - Fused pairs (compile_fuse.c puts two adjacent instructions into one
 *   when the first one's result is a temporary only the second reads):
 *   MOV_MOV [h][d1 s1 d2 s2]            fp[d1] = fp[s1]; fp[d2] = fp[s2]
 *   I32_ADD_I2 [h][d1 a1 d2 a2][k1 k2]  two i32 additions of immediates
 *   LOADx_AK [h][d a k32][off32]        d = load(mem[(u32)(a + k) + off])
 *   STOREx_AK [h][a v k32][off32]       store(mem[(u32)(a + k) + off], v)
 *   T_OP_M [h][d x addr _][off32]       d = x OP load(mem[addr + off])
 *   I32_XOR_SHL_I [h][d a b k]          d = a ^ (b << k) (SHR_U, ROTL too)
 *   I32_ADD3 [h][d a b c]               d = a + b + c
 * - A jump back to a loop header uses the _BACK form of its op. Loop
 *   headers start with a SAFEPOINT; a _BACK jump charges its fuel and
 *   checks the interrupt flag itself and goes on after it, so a loop
 *   iteration costs no dispatch of its own for the check.
 */
#ifndef LULL_INTERP_OPS_H
#define LULL_INTERP_OPS_H

/* Jumps: JMP [h][_ _ rel32]; JZ/JNZ (i32) and JZ64/JNZ64 [h][a _ rel32];
 * fused compare-and-branch BR_<type>_<cmp> [h][a b rel32] and the _I forms
 * [h][a _ rel32][imm]; for floats also BRN_ (jump when false). Listed
 * once and used twice: as they are, and with the suffix _BACK for jumps
 * to a loop header (see ops notes), in the same order so a back edge's op
 * is its forward op plus a constant. */
#define LULLI_OPS_BRANCH(X, S) \
  X(JMP##S) X(JZ##S) X(JNZ##S) X(JZ64##S) X(JNZ64##S) X(BR_I32_EQ##S) \
  X(BR_I32_EQ_I##S) X(BR_I32_NE##S) X(BR_I32_NE_I##S) X(BR_I32_LT_S##S) \
  X(BR_I32_LT_S_I##S) X(BR_I32_LT_U##S) X(BR_I32_LT_U_I##S) X(BR_I32_GT_S##S) \
  X(BR_I32_GT_S_I##S) X(BR_I32_GT_U##S) X(BR_I32_GT_U_I##S) X(BR_I32_LE_S##S) \
  X(BR_I32_LE_S_I##S) X(BR_I32_LE_U##S) X(BR_I32_LE_U_I##S) X(BR_I32_GE_S##S) \
  X(BR_I32_GE_S_I##S) X(BR_I32_GE_U##S) X(BR_I32_GE_U_I##S) X(BR_I64_EQ##S) \
  X(BR_I64_EQ_I##S) X(BR_I64_NE##S) X(BR_I64_NE_I##S) X(BR_I64_LT_S##S) \
  X(BR_I64_LT_S_I##S) X(BR_I64_LT_U##S) X(BR_I64_LT_U_I##S) X(BR_I64_GT_S##S) \
  X(BR_I64_GT_S_I##S) X(BR_I64_GT_U##S) X(BR_I64_GT_U_I##S) X(BR_I64_LE_S##S) \
  X(BR_I64_LE_S_I##S) X(BR_I64_LE_U##S) X(BR_I64_LE_U_I##S) X(BR_I64_GE_S##S) \
  X(BR_I64_GE_S_I##S) X(BR_I64_GE_U##S) X(BR_I64_GE_U_I##S) X(BR_F32_EQ##S) \
  X(BR_F32_NE##S) X(BR_F32_LT##S) X(BR_F32_GT##S) X(BR_F32_LE##S) \
  X(BR_F32_GE##S) X(BRN_F32_EQ##S) X(BRN_F32_NE##S) X(BRN_F32_LT##S) \
  X(BRN_F32_GT##S) X(BRN_F32_LE##S) X(BRN_F32_GE##S) X(BR_F64_EQ##S) \
  X(BR_F64_NE##S) X(BR_F64_LT##S) X(BR_F64_GT##S) X(BR_F64_LE##S) \
  X(BR_F64_GE##S) X(BRN_F64_EQ##S) X(BRN_F64_NE##S) X(BRN_F64_LT##S) \
  X(BRN_F64_GT##S) X(BRN_F64_LE##S) X(BRN_F64_GE##S)

#define LULLI_OPS_SCALAR(X) \
  /* control */ \
  X(UNREACHABLE) X(BR_TABLE) X(COMPILE) \
  X(SAFEPOINT) X(RET0) X(RET1) X(RET2) X(RETN) X(CALL) X(CALL_INDIRECT) \
  X(CALL_PTR) X(EXIT) X(HOSTCONT) \
  /* moves and constants */ \
  X(MOV) X(MOV2) X(CONST32) X(CONST64) X(CONST128) X(SELECT) X(SELECT2) \
  X(GLOBAL_GET) X(GLOBAL_GET2) X(GLOBAL_SET) X(GLOBAL_SET2) \
  /* I32 binary operators and comparisons: [h][d a b _] and _I: [h][d a imm32] (I32) or [h][d a _ _][imm64] (I64) */ \
  X(I32_ADD) X(I32_ADD_I) X(I32_SUB) X(I32_SUB_I) X(I32_MUL) X(I32_MUL_I) \
  X(I32_DIV_S) X(I32_DIV_S_I) X(I32_DIV_U) X(I32_DIV_U_I) X(I32_REM_S) \
  X(I32_REM_S_I) X(I32_REM_U) X(I32_REM_U_I) X(I32_AND) X(I32_AND_I) \
  X(I32_OR) X(I32_OR_I) X(I32_XOR) X(I32_XOR_I) X(I32_SHL) X(I32_SHL_I) \
  X(I32_SHR_S) X(I32_SHR_S_I) X(I32_SHR_U) X(I32_SHR_U_I) X(I32_ROTL) \
  X(I32_ROTL_I) X(I32_ROTR) X(I32_ROTR_I) X(I32_EQ) X(I32_EQ_I) X(I32_NE) \
  X(I32_NE_I) X(I32_LT_S) X(I32_LT_S_I) X(I32_LT_U) X(I32_LT_U_I) X(I32_GT_S) \
  X(I32_GT_S_I) X(I32_GT_U) X(I32_GT_U_I) X(I32_LE_S) X(I32_LE_S_I) \
  X(I32_LE_U) X(I32_LE_U_I) X(I32_GE_S) X(I32_GE_S_I) X(I32_GE_U) \
  X(I32_GE_U_I) \
  /* I64 binary operators and comparisons: [h][d a b _] and _I: [h][d a imm32] (I32) or [h][d a _ _][imm64] (I64) */ \
  X(I64_ADD) X(I64_ADD_I) X(I64_SUB) X(I64_SUB_I) X(I64_MUL) X(I64_MUL_I) \
  X(I64_DIV_S) X(I64_DIV_S_I) X(I64_DIV_U) X(I64_DIV_U_I) X(I64_REM_S) \
  X(I64_REM_S_I) X(I64_REM_U) X(I64_REM_U_I) X(I64_AND) X(I64_AND_I) \
  X(I64_OR) X(I64_OR_I) X(I64_XOR) X(I64_XOR_I) X(I64_SHL) X(I64_SHL_I) \
  X(I64_SHR_S) X(I64_SHR_S_I) X(I64_SHR_U) X(I64_SHR_U_I) X(I64_ROTL) \
  X(I64_ROTL_I) X(I64_ROTR) X(I64_ROTR_I) X(I64_EQ) X(I64_EQ_I) X(I64_NE) \
  X(I64_NE_I) X(I64_LT_S) X(I64_LT_S_I) X(I64_LT_U) X(I64_LT_U_I) X(I64_GT_S) \
  X(I64_GT_S_I) X(I64_GT_U) X(I64_GT_U_I) X(I64_LE_S) X(I64_LE_S_I) \
  X(I64_LE_U) X(I64_LE_U_I) X(I64_GE_S) X(I64_GE_S_I) X(I64_GE_U) \
  X(I64_GE_U_I) \
  /* integer unary operators: [h][d a _ _] */ \
  X(I32_EQZ) X(I32_CLZ) X(I32_CTZ) X(I32_POPCNT) X(I32_EXTEND8_S) \
  X(I32_EXTEND16_S) X(I64_EQZ) X(I64_CLZ) X(I64_CTZ) X(I64_POPCNT) \
  X(I64_EXTEND8_S) X(I64_EXTEND16_S) X(I64_EXTEND32_S) \
  /* F32 operators: [h][d a b _] */ \
  X(F32_ADD) X(F32_SUB) X(F32_MUL) X(F32_DIV) X(F32_MIN) X(F32_MAX) \
  X(F32_COPYSIGN) X(F32_EQ) X(F32_NE) X(F32_LT) X(F32_GT) X(F32_LE) X(F32_GE) \
  X(F32_ABS) X(F32_NEG) X(F32_CEIL) X(F32_FLOOR) X(F32_TRUNC) X(F32_NEAREST) \
  X(F32_SQRT) \
  /* F64 operators: [h][d a b _] */ \
  X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV) X(F64_MIN) X(F64_MAX) \
  X(F64_COPYSIGN) X(F64_EQ) X(F64_NE) X(F64_LT) X(F64_GT) X(F64_LE) X(F64_GE) \
  X(F64_ABS) X(F64_NEG) X(F64_CEIL) X(F64_FLOOR) X(F64_TRUNC) X(F64_NEAREST) \
  X(F64_SQRT) \
  /* conversions: [h][d a _ _] */ \
  X(I32_WRAP_I64) X(I32_TRUNC_F32_S) X(I32_TRUNC_F32_U) X(I32_TRUNC_F64_S) \
  X(I32_TRUNC_F64_U) X(I64_EXTEND_I32_S) X(I64_TRUNC_F32_S) \
  X(I64_TRUNC_F32_U) X(I64_TRUNC_F64_S) X(I64_TRUNC_F64_U) \
  X(F32_CONVERT_I32_S) X(F32_CONVERT_I32_U) X(F32_CONVERT_I64_S) \
  X(F32_CONVERT_I64_U) X(F32_DEMOTE_F64) X(F64_CONVERT_I32_S) \
  X(F64_CONVERT_I32_U) X(F64_CONVERT_I64_S) X(F64_CONVERT_I64_U) \
  X(F64_PROMOTE_F32) X(I32_TRUNC_SAT_F32_S) X(I32_TRUNC_SAT_F32_U) \
  X(I32_TRUNC_SAT_F64_S) X(I32_TRUNC_SAT_F64_U) X(I64_TRUNC_SAT_F32_S) \
  X(I64_TRUNC_SAT_F32_U) X(I64_TRUNC_SAT_F64_S) X(I64_TRUNC_SAT_F64_U) \
  /* memory: loads [h][d addr off32], stores [h][addr v off32] */ \
  X(LOAD32) X(LOAD64) X(LOAD8_S32) X(LOAD8_U) X(LOAD16_S32) X(LOAD16_U) \
  X(LOAD8_S64) X(LOAD16_S64) X(LOAD32_S64) X(STORE8) X(STORE16) X(STORE32) \
  X(STORE64) X(MEMORY_SIZE) X(MEMORY_GROW) X(MEMORY_FILL) X(MEMORY_COPY) \
  X(MEMORY_INIT) X(DATA_DROP) \
  /* tables and references */ \
  X(TABLE_GET) X(TABLE_SET) X(TABLE_SIZE) X(TABLE_GROW) X(TABLE_FILL) \
  X(TABLE_COPY) X(TABLE_INIT) X(ELEM_DROP) X(REF_FUNC) X(REF_IS_NULL) \
  /* fused pairs, made by compile_fuse.c; formats in the notes */ \
  X(MOV_MOV) X(I32_ADD_I2) \
  X(LOAD32_AK) X(LOAD64_AK) X(LOAD8_S32_AK) X(LOAD8_U_AK) X(LOAD16_S32_AK) \
  X(LOAD16_U_AK) X(LOAD8_S64_AK) X(LOAD16_S64_AK) X(LOAD32_S64_AK) \
  X(STORE8_AK) X(STORE16_AK) X(STORE32_AK) X(STORE64_AK) \
  X(I32_ADD_M) X(I64_ADD_M) X(F32_ADD_M) X(F32_MUL_M) X(F32_SUB_M) \
  X(F64_ADD_M) X(F64_MUL_M) X(F64_SUB_M) \
  X(I32_XOR_SHL_I) X(I32_XOR_SHR_U_I) X(I32_XOR_ROTL_I) X(I32_ADD3)

/* Every op: the scalar ones above, then the v128 ones (ops_simd.h). */
#include "ops_simd.h"
#define LULLI_OPS(X)                                                          \
  LULLI_OPS_SCALAR(X) LULLI_OPS_BRANCH(X, ) LULLI_OPS_BRANCH(X, _BACK)        \
  LULLI_OPS_SIMD(X)

typedef enum lulli_op {
#define X(name) LULLI_OP_##name,
  LULLI_OPS(X)
#undef X
  LULLI_OP_COUNT_
} lulli_op;

#endif

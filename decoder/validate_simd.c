/*
 * validate_simd.c -- the 0xFD instructions whose immediates need checking:
 * memory accesses (memory 0 and alignment), lane indices of
 * extract/replace_lane, load/store_lane and i8x16.shuffle. Their operand
 * types all come from the opcode table; the others of the family never
 * get here (validate_code.c types them from the table directly).
 */
#include "validate_internal.h"

/* Lanes of the shape an extract_lane or replace_lane works on. */
static uint32_t lane_count(uint16_t op) {
  switch (op) {
  case LULLD_OP_I8X16_EXTRACT_LANE_S:
  case LULLD_OP_I8X16_EXTRACT_LANE_U:
  case LULLD_OP_I8X16_REPLACE_LANE:
    return 16;
  case LULLD_OP_I16X8_EXTRACT_LANE_S:
  case LULLD_OP_I16X8_EXTRACT_LANE_U:
  case LULLD_OP_I16X8_REPLACE_LANE:
    return 8;
  case LULLD_OP_I32X4_EXTRACT_LANE:
  case LULLD_OP_I32X4_REPLACE_LANE:
  case LULLD_OP_F32X4_EXTRACT_LANE:
  case LULLD_OP_F32X4_REPLACE_LANE:
    return 4;
  default: /* i64x2 and f64x2 */
    return 2;
  }
}

static int bad_lane(lulld_vstate *s, const lulld_instr *in, uint32_t lane,
                    uint32_t lanes) {
  return lulld_vfail(s, "invalid lane index", "%s lane %u of %u",
                     lulld_op_name(in->op), lane, lanes);
}

int lulld_vsimd(lulld_vstate *s, const lulld_instr *in,
                const lulld_opinfo *oi) {
  switch ((lulld_imm)oi->imm) {
  case LULLD_IMM_MEMARG:
    if (lulld_vmemarg(s, in, oi->align))
      return -1;
    return lulld_vsig_mem(s, oi, in->u.mem.memory, 1);
  case LULLD_IMM_MEMARG_LANE: {
    /* The access size is the natural alignment; it sets the lane count. */
    uint32_t lanes = 16u >> oi->align;
    if (lulld_vmemarg(s, in, oi->align))
      return -1;
    if (in->u.mem.lane >= lanes)
      return bad_lane(s, in, in->u.mem.lane, lanes);
    return lulld_vsig_mem(s, oi, in->u.mem.memory, 1);
  }
  case LULLD_IMM_LANE: {
    uint32_t lanes = lane_count(in->op);
    if (in->u.lane >= lanes)
      return bad_lane(s, in, in->u.lane, lanes);
    break;
  }
  case LULLD_IMM_SHUFFLE:
    /* Each lane picks one of the 32 bytes of the two operands. */
    for (int i = 0; i < 16; i++)
      if (in->u.v128[i] >= 32)
        return bad_lane(s, in, in->u.v128[i], 32);
    break;
  default:
    break;
  }
  return lulld_vsig(s, oi);
}

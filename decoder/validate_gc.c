/*
 * validate_gc.c -- typing the struct and array instructions and the
 * conversions between the any and extern hierarchies (the 0xFB family
 * beyond casts and i31). A field is typed by its storage type unpacked:
 * an i8 or i16 field is read and written as an i32.
 */
#include <stdio.h>

#include "instr.h"
#include "validate_internal.h"

/* The definition of type x if it is of kind `kind`, else NULL after
 * reporting why. */
static const lulld_functype *def_of(lulld_vstate *s, uint32_t x,
                                    uint8_t kind) {
  const lulld_module *m = s->m;
  if (x >= m->ntypes) {
    char what[48];
    snprintf(what, sizeof what, "unknown type %u", x);
    lulld_vfail(s, what, NULL);
    return NULL;
  }
  if (m->types[x].kind != kind) {
    lulld_vfail(s, "type mismatch", "type %u is not %s type", x,
                kind == LULLD_COMP_STRUCT ? "a struct" : "an array");
    return NULL;
  }
  return &m->types[x];
}

static int is_packed(lull_valtype t) {
  return t == LULLD_PACKED_I8 || t == LULLD_PACKED_I16;
}

/* The operand type of a field of storage type `t`. */
static lull_valtype unpacked(const lulld_module *m, lull_valtype t) {
  return is_packed(t) ? LULL_I32 : lulld_vt_resolve(m, t);
}

/* (ref null x) or (ref x) of a defined type. */
static lull_valtype ref_to(const lulld_module *m, uint32_t x, int nullable) {
  return lulld_vt_resolve(m, LULL_REF_INDEX(x, nullable));
}

static int pop(lulld_vstate *s, lull_valtype t) {
  return lulld_vpop(s, t, NULL);
}

static int push(lulld_vstate *s, lull_valtype t) {
  if (lulld_vreserve(s, 1))
    return -1;
  lulld_vpush(s, t);
  return 0;
}

static int mutable_or_fail(lulld_vstate *s, const lulld_functype *ft,
                           uint32_t field, const char *what) {
  if (ft->muts[field])
    return 0;
  return lulld_vfail(s, what, NULL);
}

/* A data segment the code may name (the data count section fixes how
 * many there are). */
static int check_data(lulld_vstate *s, uint32_t d) {
  uint32_t n = s->m->has_datacount ? s->m->datacount : s->m->ndatas;
  if (d < n)
    return 0;
  char what[48];
  snprintf(what, sizeof what, "unknown data segment %u", d);
  return lulld_vfail(s, what, NULL);
}

static int check_elem(lulld_vstate *s, uint32_t e, lull_valtype want) {
  if (e >= s->m->nelems) {
    char what[48];
    snprintf(what, sizeof what, "unknown elem segment %u", e);
    return lulld_vfail(s, what, NULL);
  }
  if (!lulld_vt_match(s->m, s->m->elems[e].type, want))
    return lulld_vfail(s, "type mismatch",
                       "element segment %u of %s for an array of %s", e,
                       lulld_vtype_name(s->m->elems[e].type),
                       lulld_vtype_name(want));
  return 0;
}

static int numeric_elem(lulld_vstate *s, lull_valtype t) {
  if (is_packed(t) || !lulld_vt_is_ref(t))
    return 0;
  return lulld_vfail(s, "array type is not numeric or vector", NULL);
}

static int struct_op(lulld_vstate *s, const lulld_instr *in) {
  const lulld_module *m = s->m;
  uint32_t x = in->op == LULLD_OP_STRUCT_NEW ||
                       in->op == LULLD_OP_STRUCT_NEW_DEFAULT
                   ? in->u.index
                   : in->u.pair.a;
  const lulld_functype *ft = def_of(s, x, LULLD_COMP_STRUCT);
  if (!ft)
    return -1;
  if (in->op == LULLD_OP_STRUCT_NEW) {
    for (uint32_t i = ft->nfields; i-- > 0;)
      if (pop(s, unpacked(m, ft->types[i])))
        return -1;
    return push(s, ref_to(m, x, 0));
  }
  if (in->op == LULLD_OP_STRUCT_NEW_DEFAULT) {
    for (uint32_t i = 0; i < ft->nfields; i++)
      if (!lulld_vt_defaultable(ft->types[i]))
        return lulld_vfail(s, "type mismatch",
                           "field %u of type %u has no default value", i, x);
    return push(s, ref_to(m, x, 0));
  }
  uint32_t y = in->u.pair.b;
  if (y >= ft->nfields) {
    char what[48];
    snprintf(what, sizeof what, "unknown field %u", y);
    return lulld_vfail(s, what, NULL);
  }
  lull_valtype ft_y = ft->types[y];
  if (in->op == LULLD_OP_STRUCT_SET) {
    if (mutable_or_fail(s, ft, y, "immutable field"))
      return -1;
    return pop(s, unpacked(m, ft_y)) || pop(s, ref_to(m, x, 1)) ? -1 : 0;
  }
  if ((in->op == LULLD_OP_STRUCT_GET) == is_packed(ft_y))
    return lulld_vfail(s, "type mismatch", "%s of field %u of type %u",
                       lulld_op_name(in->op), y, x);
  if (pop(s, ref_to(m, x, 1)))
    return -1;
  return push(s, unpacked(m, ft_y));
}

static int array_new(lulld_vstate *s, const lulld_instr *in, uint32_t x,
                     const lulld_functype *ft) {
  const lulld_module *m = s->m;
  lull_valtype et = ft->types[0];
  switch (in->op) {
  case LULLD_OP_ARRAY_NEW:
    if (pop(s, LULL_I32) || pop(s, unpacked(m, et)))
      return -1;
    break;
  case LULLD_OP_ARRAY_NEW_DEFAULT:
    if (!lulld_vt_defaultable(et))
      return lulld_vfail(s, "type mismatch",
                         "the elements of type %u have no default value", x);
    if (pop(s, LULL_I32))
      return -1;
    break;
  case LULLD_OP_ARRAY_NEW_FIXED:
    for (uint32_t i = 0; i < in->u.pair.b; i++)
      if (pop(s, unpacked(m, et)))
        return -1;
    break;
  case LULLD_OP_ARRAY_NEW_DATA:
    if (numeric_elem(s, et) || check_data(s, in->u.pair.b) ||
        pop(s, LULL_I32) || pop(s, LULL_I32))
      return -1;
    break;
  default: /* array.new_elem */
    if (check_elem(s, in->u.pair.b, et) || pop(s, LULL_I32) ||
        pop(s, LULL_I32))
      return -1;
    break;
  }
  return push(s, ref_to(m, x, 0));
}

static int array_op(lulld_vstate *s, const lulld_instr *in) {
  const lulld_module *m = s->m;
  if (in->op == LULLD_OP_ARRAY_LEN) {
    if (pop(s, LULL_REF(LULL_HT_ARRAY, 1)))
      return -1;
    return push(s, LULL_I32);
  }
  int pair = in->op == LULLD_OP_ARRAY_NEW_FIXED ||
             in->op == LULLD_OP_ARRAY_NEW_DATA ||
             in->op == LULLD_OP_ARRAY_NEW_ELEM ||
             in->op == LULLD_OP_ARRAY_COPY ||
             in->op == LULLD_OP_ARRAY_INIT_DATA ||
             in->op == LULLD_OP_ARRAY_INIT_ELEM;
  uint32_t x = pair ? in->u.pair.a : in->u.index;
  const lulld_functype *ft = def_of(s, x, LULLD_COMP_ARRAY);
  if (!ft)
    return -1;
  lull_valtype et = ft->types[0];
  switch (in->op) {
  case LULLD_OP_ARRAY_NEW:
  case LULLD_OP_ARRAY_NEW_DEFAULT:
  case LULLD_OP_ARRAY_NEW_FIXED:
  case LULLD_OP_ARRAY_NEW_DATA:
  case LULLD_OP_ARRAY_NEW_ELEM:
    return array_new(s, in, x, ft);
  case LULLD_OP_ARRAY_GET:
  case LULLD_OP_ARRAY_GET_S:
  case LULLD_OP_ARRAY_GET_U:
    if ((in->op == LULLD_OP_ARRAY_GET) == is_packed(et))
      return lulld_vfail(s, "type mismatch", "%s of an array of type %u",
                         lulld_op_name(in->op), x);
    if (pop(s, LULL_I32) || pop(s, ref_to(m, x, 1)))
      return -1;
    return push(s, unpacked(m, et));
  case LULLD_OP_ARRAY_SET:
    if (mutable_or_fail(s, ft, 0, "immutable array"))
      return -1;
    return pop(s, unpacked(m, et)) || pop(s, LULL_I32) ||
                   pop(s, ref_to(m, x, 1))
               ? -1
               : 0;
  case LULLD_OP_ARRAY_FILL:
    if (mutable_or_fail(s, ft, 0, "immutable array"))
      return -1;
    return pop(s, LULL_I32) || pop(s, unpacked(m, et)) || pop(s, LULL_I32) ||
                   pop(s, ref_to(m, x, 1))
               ? -1
               : 0;
  case LULLD_OP_ARRAY_COPY: {
    uint32_t y = in->u.pair.b;
    const lulld_functype *src = def_of(s, y, LULLD_COMP_ARRAY);
    if (!src || mutable_or_fail(s, ft, 0, "immutable array"))
      return -1;
    lull_valtype st = src->types[0];
    int same = is_packed(et) || is_packed(st)
                   ? et == st
                   : lulld_vt_match(m, lulld_vt_resolve(m, st),
                                    lulld_vt_resolve(m, et));
    if (!same)
      return lulld_vfail(s, "array types do not match",
                         "array.copy from type %u to type %u", y, x);
    return pop(s, LULL_I32) || pop(s, LULL_I32) || pop(s, ref_to(m, y, 1)) ||
                   pop(s, LULL_I32) || pop(s, ref_to(m, x, 1))
               ? -1
               : 0;
  }
  default: /* array.init_data, array.init_elem */
    if (mutable_or_fail(s, ft, 0, "immutable array"))
      return -1;
    if (in->op == LULLD_OP_ARRAY_INIT_DATA
            ? numeric_elem(s, et) || check_data(s, in->u.pair.b)
            : check_elem(s, in->u.pair.b, lulld_vt_resolve(m, et)))
      return -1;
    return pop(s, LULL_I32) || pop(s, LULL_I32) || pop(s, LULL_I32) ||
                   pop(s, ref_to(m, x, 1))
               ? -1
               : 0;
  }
}

/* any.convert_extern and extern.convert_any keep the nullability. */
static int convert(lulld_vstate *s, const lulld_instr *in) {
  int to_any = in->op == LULLD_OP_ANY_CONVERT_EXTERN;
  lull_valtype from = LULL_REF(to_any ? LULL_HT_EXTERN : LULL_HT_ANY, 1), t;
  if (lulld_vpop(s, from, &t))
    return -1;
  int nullable = t == LULLD_VT_UNKNOWN || LULL_VT_IS_NULLABLE(t);
  return push(s, LULL_REF(to_any ? LULL_HT_ANY : LULL_HT_EXTERN, nullable));
}

int lulld_vgc(lulld_vstate *s, const lulld_instr *in) {
  if (in->op == LULLD_OP_ANY_CONVERT_EXTERN ||
      in->op == LULLD_OP_EXTERN_CONVERT_ANY)
    return convert(s, in);
  if (in->op <= LULLD_OP_STRUCT_SET)
    return struct_op(s, in);
  return array_op(s, in);
}

int lulld_vgc_const(const lulld_module *m, const lulld_instr *in,
                    uint32_t *npop, lull_valtype *result) {
  uint32_t x = in->op == LULLD_OP_ARRAY_NEW_FIXED ? in->u.pair.a : in->u.index;
  switch (in->op) {
  case LULLD_OP_ANY_CONVERT_EXTERN:
  case LULLD_OP_EXTERN_CONVERT_ANY:
    *npop = 1;
    *result = LULL_REF(in->op == LULLD_OP_ANY_CONVERT_EXTERN ? LULL_HT_ANY
                                                             : LULL_HT_EXTERN,
                       1);
    return 0;
  case LULLD_OP_STRUCT_NEW:
  case LULLD_OP_STRUCT_NEW_DEFAULT:
    if (x >= m->ntypes || m->types[x].kind != LULLD_COMP_STRUCT)
      return -1;
    *npop = in->op == LULLD_OP_STRUCT_NEW ? m->types[x].nfields : 0;
    break;
  case LULLD_OP_ARRAY_NEW:
  case LULLD_OP_ARRAY_NEW_DEFAULT:
  case LULLD_OP_ARRAY_NEW_FIXED:
    if (x >= m->ntypes || m->types[x].kind != LULLD_COMP_ARRAY)
      return -1;
    *npop = in->op == LULLD_OP_ARRAY_NEW           ? 2
            : in->op == LULLD_OP_ARRAY_NEW_DEFAULT ? 1
                                                   : in->u.pair.b;
    break;
  default:
    return -1;
  }
  *result = ref_to(m, x, 0);
  return 0;
}

lull_valtype lulld_vgc_operand(const lulld_module *m, const lulld_instr *in,
                               uint32_t k) {
  switch (in->op) {
  case LULLD_OP_ANY_CONVERT_EXTERN:
    return LULL_REF(LULL_HT_EXTERN, 1);
  case LULLD_OP_EXTERN_CONVERT_ANY:
    return LULL_REF(LULL_HT_ANY, 1);
  case LULLD_OP_STRUCT_NEW:
    return unpacked(m, m->types[in->u.index].types[k]);
  case LULLD_OP_ARRAY_NEW:
    return k == 0 ? unpacked(m, m->types[in->u.index].types[0]) : LULL_I32;
  case LULLD_OP_ARRAY_NEW_FIXED:
    return unpacked(m, m->types[in->u.pair.a].types[0]);
  default: /* the count of array.new_default */
    return LULL_I32;
  }
}

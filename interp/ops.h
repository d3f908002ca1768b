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
 * Each op is one row of the table below (LULLI_OPS): its length in cells,
 * the format of its operands and its relatives. The formats are listed
 * with the table; the semantics of each op follow.
 *
 *   I32_ADD .. I64_ROTR, comparisons  d = a op b; _I: b an immediate
 *   LOAD*   [h][d addr off32]     d = load(mem[fp[addr] + off])
 *   STORE*  [h][addr v off32]     store(mem[fp[addr] + off], fp[v])
 *   STORE*_I [h][addr _ off32][k] store(mem[fp[addr] + off], k): the
 *                                 value a constant
 *   STORE*_K [h][_ v ea32]        store(mem[ea], fp[v]): the address a
 *                                 constant (ea, with the offset, below
 *                                 2^32), as a static variable's is
 *   STORE*_K_I [h][imm32 ea32]    store(mem[ea], imm): both constants
 *                                 (STORE64_K_I zero-extends imm), as in
 *                                 code that initializes static data
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
 *   SAFEPOINT [h][cost64]              fuel -= cost; park when fuel < 0 or
 *                                      the interrupt flag is set; at loop
 *                                      headers (a function entry's is
 *                                      part of the call: exec.c, `enter`)
 *   RET0 [h]                           return, no results
 *   RET1 [h][a]  RET2 [h][a]           fp[0] = fp[a] (two slots for RET2)
 *   RETN [h][a n]                      fp[0..n) = fp[a..a+n), ascending
 *   I32_ADD_RET [h][_ a b]             fp[0] = i32 a + b, then RET0 (a
 *                                      result computed where it is
 *                                      returned, compile_fuse.c)
 *   CALL [h][base _ func32]            call inst->funcs[func]; its frame
 *                                      starts at fp + base, where the
 *                                      arguments already are; results come
 *                                      back to the same place
 *   CALL_INDIRECT [h][base i type32][table32]
 *                                      callee = table[fp[i]], type-checked
 *   CALL_PTR [h][base][lull_func *]    call a function by pointer (root)
 *   CALL_REF [h][base a type32]        callee = fp[a], a function reference
 *                                      of type `type` (an engine id, which
 *                                      snapshots check); null traps "null
 *                                      function reference"
 *   RETURN_CALL [h][base _ func32]     tail call: the arguments at fp +
 *                                      base move to fp + 0 and the callee
 *                                      takes this frame's record in place,
 *                                      returning to this frame's caller (a
 *                                      host callee: the record goes, and it
 *                                      is called from the caller's call)
 *   RETURN_CALL_INDIRECT [h][base i type32][table32]
 *                                      the same through a table, checked
 *                                      as CALL_INDIRECT
 *   RETURN_CALL_REF [h][base a type32] the same by a function reference,
 *                                      checked as CALL_REF
 *   THROW [h][a _ tag32]               throw a new exception of tag `tag`
 *                                      (an index of the instance's tags)
 *                                      whose payload is at fp[a..]: the
 *                                      unwinder (exn_unwind.c) finds the
 *                                      innermost handler of the frames'
 *                                      try_tables (lulli_code.handlers)
 *   THROW_REF [h][a]                   throw the exception fp[a] again;
 *                                      null traps "null exception
 *                                      reference"
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
 *     (these, the loads and the stores act on memory 0 with 32-bit
 *     addresses, whose base and size the dispatch loop keeps in locals)
 *   MEMORY_AT [h][z addr mem32][off64]
 *                                      an access to memory `mem` (any
 *                                      index, 32- or 64-bit addresses:
 *                                      fp[addr] read as the memory's
 *                                      address type) is three ops:
 *                                      MEMORY_AT checks addr + off <= size
 *                                      without wrapping (offsets up to
 *                                      2^64), points the loop's memory
 *                                      locals at that byte (base + ea,
 *                                      size - ea) and sets fp[z] = 0; the
 *                                      plain load or store follows with
 *                                      address z and offset 0 (checking
 *                                      its width against what is left);
 *                                      MEMORY_RESTORE [h] reloads memory
 *                                      0's locals
 *   MEMORY_SIZE_X [h][d _ mem32]  MEMORY_GROW_X [h][d a mem32]
 *   MEMORY_FILL_X [h][d v n][mem32]  MEMORY_COPY_X [h][d s n][dst32 src32]
 *   MEMORY_INIT_X [h][d s n][seg32 mem32]
 *                                      the bulk ops on any memory, sizes
 *                                      and addresses of its address type
 *                                      (memory.copy between a 32- and a
 *                                      64-bit memory: n is i32)
 *   TABLE_GET [h][d i _ _][t32]  TABLE_SET [h][i v _ _][t32]
 *   TABLE_SIZE [h][d][t32]  TABLE_GROW [h][d init n][t32]
 *   TABLE_FILL [h][i v n][t32]  TABLE_COPY [h][d s n][dst32 src32]
 *   TABLE_INIT [h][d s n][t32 seg32]  ELEM_DROP [h][_ _ seg32]
 *   REF_FUNC [h][d _ func32]  REF_IS_NULL [h][d a]
 *   I64_CLAMP32 [h][d a]               d = min(u64 a, 2^32-1): an index
 *                                      of a 64-bit table (table64) for
 *                                      the table ops, whose u32 index
 *                                      2^32-1 is out of bounds of every
 *                                      table lull makes
 *   REF_AS_NON_NULL [h][d a]           d = a; null traps "null reference"
 *   REF_I31 [h][d a]                   d = the i31 reference of i32 a:
 *                                      (a mod 2^31) << 1 | 1 (an odd
 *                                      pointer is never an object's)
 *   I31_GET_S, I31_GET_U [h][d a]      d = its 31 bits, sign- or
 *                                      zero-extended; null traps "null
 *                                      i31 reference"
 *   REF_TEST [h][d a type32]           d = is a a value of `type` (a
 *                                      lull_valtype with engine ids)
 *   REF_CAST [h][d a type32]           d = a if it is; else trap "cast
 *                                      failure"
 *   STRUCT_NEW [h][d a _ _][type32 bytes32]
 *                                      d = a new struct of engine type
 *                                      `type` whose fields are the `bytes`
 *                                      / 8 slots from a (gc_heap.c: 8
 *                                      bytes a field, 16 a v128); bytes 0
 *                                      with a = 0 for struct.new_default
 *   STRUCT_GET [h][d a off32]          d = the 8 bytes at `off` in struct a
 *                                      (GET2: 16 bytes, a v128); null traps
 *                                      "null structure reference"
 *   STRUCT_GET_S8, _U8, _S16, _U16     the same of a packed field, sign- or
 *                                      zero-extended from its width
 *   STRUCT_SET [h][a v off32]  STRUCT_SET2
 *                                      the reverse; a reference field of
 *                                      the any or extern hierarchy is set
 *                                      by STRUCT_SET_ANY or _EXTERN, which
 *                                      gray the old value while the
 *                                      collector marks (gc_collect.c)
 *   ARRAY_NEW [h][d v n _][type32 dflt32]
 *                                      d = a new array of n elements, each
 *                                      v (dflt: zero, v unused)
 *   ARRAY_NEW_FIXED [h][d a _ _][type32 n32]
 *                                      of the n values from slot a (two
 *                                      slots each for v128)
 *   ARRAY_NEW_DATA, ARRAY_NEW_ELEM [h][d s n _][type32 seg32]
 *                                      of n elements of a segment from s;
 *                                      out of its bounds traps "out of
 *                                      bounds memory (table) access"
 *   ARRAY_GET [h][d a i]  ARRAY_GET_S  d = element i of array a, a packed
 *                                      one zero- (sign-) extended; null
 *                                      traps "null array reference", i out
 *                                      of bounds "out of bounds array
 *                                      access"
 *   ARRAY_SET [h][a i v]  ARRAY_LEN [h][d a]  ARRAY_FILL [h][a i v n]
 *   ARRAY_COPY [h][a d b s][n32]       a[d..d+n) = b[s..s+n) (n a slot)
 *   ARRAY_INIT_DATA, ARRAY_INIT_ELEM [h][a d s n][seg32]
 *   ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY [h][d a]
 *                                      gc_heap.c's boxes; allocation that
 *                                      the heap refuses traps "out of
 *                                      memory"
 *
 * Notes
 * - ref.eq is I64_EQ: equal references have equal slot bits.
 * - i32.reinterpret_f32, i64.reinterpret_f64 and the reverse, and
 *   i64.extend_i32_u, produce no instruction: slots already hold the bits
 *   (i32 and f32 zero-extended).
 * - f32.load and i32.load are LOAD32, f64.load is LOAD64; narrow stores
 *   of i32 and i64 are the same STORE8/16/32.
 * - Float comparisons branch with BR_ (taken when true) or BRN_ (taken
 *   when false), because !(a < b) is not (a >= b) when a NaN is involved.
 * - Fused pairs (compile_fuse.c puts two or more adjacent instructions
 *   into one when each result it drops is a temporary only the next one
 *   reads; results in locals are still written, as named below):
 *   MOV_MOV [h][d1 s1 d2 s2]            fp[d1] = fp[s1]; fp[d2] = fp[s2]
 *   I32_ADD_I2 [h][d1 a1 d2 a2][k1 k2]  two i32 additions of immediates
 *   LOADx_AK [h][d a k32][off32]        d = load(mem[(u32)(a + k) + off])
 *   STOREx_AK [h][a v k32][off32]       store(mem[(u32)(a + k) + off], v)
 *   T_OP_M [h][d x addr _][off32 k32]   d = x OP load(mem[(u32)(addr + k)
 *                                       + off]): k from an i32.add or
 *                                       i32.sub of a constant before the
 *                                       load (_AK), else 0
 *   T_OP_TO [h][_ x addr _][off32 k32]  the same, its result stored back
 *                                       where it was loaded from (x OP= m)
 *   I32_ADD_SHL_M8 [h][d x addr s][off32 k32]
 *                                       d = x + (m << s), m a byte loaded
 *                                       as for T_OP_M (s = 0: a byte
 *                                       added; a row's weighted pixel)
 *   I32_ADD_SHL_M8_RR [h][d x a b][off32 w16 s16]
 *                                       the same of the byte at w + off,
 *                                       w = a + b written first, as
 *                                       LOADx_RR writes it
 *   MOV4 [h][d1 s1 d2 s2][d3 s3 d4 s4]  four moves in sequence
 *   MOV8 [h][d1 s1 d2 s2] .. [d7 s7 d8 s8]
 *                                       eight (a hash's eight variables)
 *   I32_ROTL2_XOR [h][d x a b]          d = rotl(x, a) ^ rotl(x, b)
 *   I32_ROTL3_XOR [h][d x ab c]         d = rotl(x, a) ^ rotl(x, b)
 *                                       ^ rotl(x, c), ab = a | b << 8
 *   I32_ROTL2_XOR_SHR [h][d x ab c]     d = rotl(x, a) ^ rotl(x, b)
 *                                       ^ (x >> c): SHA-2's sigmas
 *   I32_ROTL3_XOR_ADD, I32_ROTL2_XOR_SHR_ADD [h][d x ab c][e _]
 *                                       d = the sum of rotations as above
 *                                       + e; _ADD2 [h][d x ab c][e f]:
 *                                       + e + f (a round's sums)
 *   I32_BSWAP [h][d a]                  d = a with its four bytes
 *                                       reversed (a big-endian load)
 *   F64_MUL3 [h][d a b c]               d = (a * b) * c
 *   I32_MUL_M_ADD [h][d x addr y][off32 k32]
 *                                       d = y + x * m, m loaded as for
 *                                       T_OP_M: a product accumulated
 *   STOREx_ADD_I [h][addr v d a][off32 k32]
 *                                       store(mem[addr + off], v); then
 *                                       d = a + k (a pointer's step)
 *   STORE8_ADD_SHR [h][addr a b s][k32 off32]
 *                                       store8(mem[addr + off], (a + b +
 *                                       k) >> s): a byte stored from the
 *                                       arithmetic that made it (an
 *                                       average, a sum, a shifted value)
 *   STORE8_ADDK_SHR [h][addr a _ s][k32 off32]
 *                                       the same of (a + k) >> s
 *   STORE8_ADD_SHR_ADD_I, STORE8_ADDK_SHR_ADD_I
 *                 [h][addr a b s][k32 off32][d x kd32]
 *                                       the same, then d = x + kd (the
 *                                       pointer's step, as STOREx_ADD_I)
 *   LOADx_RR [h][d a b w][off32]        w = a + b; d = load(mem[w + off])
 *                                       (an address of two values; also
 *                                       V128_LOAD_RR)
 *   STOREx_I_AK [h][a _ k32][off32 _][imm64]
 *                                       store(mem[(u32)(a + k) + off],
 *                                       imm): a constant to a + k
 *   LOAD32_SK [h][d x s _][k32 off32]   d = load(mem[(u32)((x << s) + k)
 *                                       + off]): a table's element
 *   I32_ANDN [h][d a b _]               d = a & ~b
 *   I32_XOR_AND [h][d a b c]            d = (a ^ b) & c
 *   I32_AND_XOR [h][d a b c]            d = (a & b) ^ c
 *   F64_op_K [h][d a _ _][k64]          d = a op k, k an f64 constant
 *                                       (ADD, SUB, MUL, DIV); RSUB, RDIV:
 *                                       d = k op a
 *   F64_MUL3_SUB [h][d x a b][c]        d = x - (a * b) * c
 *   F64_MUL3_SUB_TO [h][_ addr a b][c _ off32]
 *                                       m -= (a * b) * c, m the f64 at
 *                                       mem[addr + off] (v -= dx * m * k)
 *   F64_MUL3_ADD_TO [h][_ addr a b][c _ off32]
 *                                       m = (a * b) * c + m
 *   F64_MUL3_ADD_TO_AKW [h][w addr a b][c k16 off32]
 *                                       the same at (w = addr + k) + off,
 *                                       k a signed 16-bit constant
 *   LOADx_AKW [h][d a k32][off32 w]     w = a + k; d = load(mem[w + off]):
 *                                       a pointer stepped, then read
 *   I32_ADD4 [h][d a b c][e]            d = a + b + c + e
 *   LOAD32_ASH [h][d a b s][k32 off32]  d = load(mem[(u32)(a + (b << s) + k)
 *                                       + off]): an array's element
 *   I32_MADD_M2 [h][d x b c][offb kb][offc kc]
 *                                       d = mc + x * mb, mc loaded from
 *                                       mem[(u32)(c + kc) + offc] first,
 *                                       then mb from
 *                                       mem[(u32)(b + kb) + offb]
 *   I32_MADD_TO [h][_ x b c][offb kb][offc kc]
 *                                       the same stored back to mc's place
 *                                       (c[j] += x * b[j])
 *   F64_MADD_TO [h][_ x b c][offb kb][offc kc]
 *                                       mc = (x * mb) + mc, mb loaded
 *                                       first; each access checked in the
 *                                       order the pair made them, the
 *                                       second trapping at pc + 1
 *   I32_MADD_TO_AKW, F64_MADD_TO_AKW [h][w x b c][offb kb][offc kc]
 *                                       the same after w = c + kc (the
 *                                       address stepped into a local)
 *   I32_XOR_SHL_I [h][d a b k]          d = a ^ (b << k) (SHR_U, ROTL too)
 *   I32_ADD_I_SHR_U_I [h][d a s k]      d = (a + k) >> s, k below 2^16: a
 *                                       rounding division by 2^s
 *   LOAD8_U_AK2 [h][d1 a1 d2 a2][k1 k2][off1 off2]
 *                                       two byte loads in sequence, each
 *                                       as LOAD8_U_AK; the second traps at
 *                                       pc + 1 (bytes of two rows, two
 *                                       strings)
 *   LOAD8_U_RR2 [h][d1 a1 b1 w1][d2 a2 b2 w2][off1 off2]
 *                                       the same of two LOAD8_U_RR
 *   I32_ADD3_I_SHR_U [h][d a b s][k32 _]
 *                                       d = (a + b + k) >> s: the same of
 *                                       a sum (an average of two)
 *   I32_ADD_SHL_I [h][d a b k]          d = a + (b << k): an array element's
 *                                       address
 *   I32_ADD3 [h][d a b c]               d = a + b + c
 *   LOAD32_ASHW [h][d a b s][k32 off32][w]
 *                                       w = a + (b << s) + k, then d =
 *                                       load(mem[w + off]): a slot's
 *                                       address kept in a local, then read
 *   LOAD32_ASHW2 [h][d a b s][k32 off32][w x]
 *                                       the same, w's value also moved to
 *                                       x (the address kept on the operand
 *                                       stack while w, a local, changes)
 *   LOAD32_ASHW2_ASHB [h][d a b s][k32 off32][w x _ _][d2 a2 b2 s2]
 *                     [k2 off2][c _ kb32]
 *                                       LOAD32_ASHW2, then LOAD32_ASHB
 *                                       (cells 4-6 as its cells 1-3),
 *                                       the second load trapping at
 *                                       pc + 1: a stack machine's two
 *                                       operands, the lower one's slot
 *                                       kept for the result
 *   LOAD32_ASHB [h][d a b s][k32 off32][c _ kb32]
 *                                       b = c + kb, then d = LOAD32_ASH's
 *                                       element at that b: a stack's pop
 *                                       (its pointer's step, then the slot
 *                                       it points at); b kept
 *   LOAD32_ASHB_ST [h][d a b s][k32 off32][p _ offp32][c _ kb32]
 *                                       the same, then stored as
 *                                       LOAD32_ASH_ST stores
 *   LOAD32_AK_SH_ASHB_ST [h][d a b s][k32 off32][_ pa offp32][c _ kb32]
 *                        [_ ax kx32][offx32 ps32]
 *                                       x = load32(mem[(u32)(ax + kx) +
 *                                       offx]); p = pa + (x << ps); then
 *                                       LOAD32_ASHB_ST storing to p +
 *                                       offp: a stack's pop stored to an
 *                                       element at a loaded index (a VM's
 *                                       register set), its accesses
 *                                       trapping at pc, pc + 1 and pc + 2;
 *                                       x and p are temporaries only this
 *                                       reads, never written
 *   LOAD32_ASH_ST [h][d a b s][k32 off32][p _ offp32]
 *                                       d = LOAD32_ASH's element, then
 *                                       stored to mem[p + offp] (a stack
 *                                       slot copied to another), the
 *                                       store trapping at pc + 1
 *   LOAD8_U_L8 [h][d a x _][offa ka][offb kb]
 *                                       x = load8_u(mem[(u32)(a + ka) +
 *                                       offa]), then d = load8_u(mem[(u32)
 *                                       (x + kb) + offb]): a byte's class
 *                                       from a table, each access trapping
 *                                       at its own site (the second at
 *                                       pc + 1)
 *   LOAD32_AK_ST [h][d a k32][off32 _][p _ offp32]
 *                                       d = LOAD32_AK's word, then stored
 *                                       to mem[p + offp] (a word copied in
 *                                       memory), the store trapping at
 *                                       pc + 1
 *   LOAD32_AK_ASH_ST [h][d a b s][k32 off32][p _ offp32][x ax kx32][offx32 _]
 *                                       x = load32(mem[(u32)(ax + kx) +
 *                                       offx]), then LOAD32_ASH_ST with x
 *                                       as b: an element at a loaded index
 *                                       copied to a slot (a VM's register
 *                                       pushed), its accesses trapping at
 *                                       pc, pc + 1 and pc + 2; x, a
 *                                       temporary only the element's
 *                                       address reads, is not written
 *   LOAD32_AK_ST_W, LOAD32_AK_ASH_ST_W  the same with the store's address
 *                                       made first by the I32_ADD_SHL_IK
 *                                       before them: t = pa + (pb << ps)
 *                                       + pk, then the loads, then the
 *                                       store at t + offp (stack[sp++] =
 *                                       x; formats AK_ST_W, AK_ASH_ST_W);
 *                                       t, a temporary only the store
 *                                       reads, is not written either
 *   I32_ADD_SHL_IK [h][d a b s][k32 _]  d = a + (b << s) + k: a stack
 *                                       slot's address, base + (sp << 2)
 *                                       + k
 *   I32_SHL_I_ADD_I [h][d1 a1 d2 a2][s32 k32]
 *                                       d1 = a1 << s; then d2 = a2 + k: a
 *                                       bytecode's address and its
 *                                       counter's step
 * - A loop's step and its closing branch back (compile_fuse.c: an
 *   i32.add or i32.sub of a constant, then a _BACK jump on i32 values):
 *   LOOP_<cmp> [h][d a x y][k32 rel32]  d = a + k; if x cmp y: back to
 *                                       rel, as a _BACK jump does
 *   LOOP_<cmp>_I [h][d a x _][k32 rel32][imm]   against an immediate
 *   LOOP_JZ, LOOP_JNZ [h][d a x _][k32 rel32]   if x == 0 (!= 0)
 *   LOOP_R_<cmp>, LOOP_R_JZ, LOOP_R_JNZ [h][d a x y][b32 rel32]
 *                                       the step an i32.add of slot b
 *                                       (a stride): d = a + b
 * - A br_table whose index was just loaded from memory (a switch on a
 *   byte of bytecode, on a field of a struct) loads it itself:
 *   BR_TABLE_L8, BR_TABLE_L32 [h][a _ n32][k32 off32][rel32 x n+1]
 *                                       i = load8_u (load32) of
 *                                       mem[(u32)(a + k) + off], then as
 *                                       BR_TABLE with its table in cell 3;
 *                                       BR_TABLE_L8's table has an entry
 *                                       for every byte (n >= 255), so its
 *                                       index needs no clamp
 *   BR_TABLE_FETCH [h][d1 a1 kl32][s32 k32][off64][rel32 x 256]
 *                                       a bytecode loop's fetch and
 *                                       switch: I32_SHL_I_ADD_I (d1 = a1
 *                                       << s; a1 = a1 + k) of a counter
 *                                       stepped in place (not d1), then
 *                                       BR_TABLE_L8 on the byte at
 *                                       mem[(u32)(d1 + kl) + off], its
 *                                       table of 256 entries in cell 4
 *   BR_TABLE_K [h][a _ n32][k32 _][rel32 x n+1]
 *                                       i = (u32)(a + k): cases from k on
 *   BR_TABLE_K_CONST [h][a d n32][k32 imm32][rel32 x n+1]
 *                                       fp[d] = imm (CONST32), then
 *                                       BR_TABLE_K: a state machine's
 *                                       next state set before a switch
 *   BR_TABLE_MOV [h][a d n32][rel32 x n+1]
 *                                       fp[d] = fp[a], then BR_TABLE on a
 * - A jump and the move or constant before it (a loop variable's update,
 *   a block's result), and a loop's unconditional closing step:
 *   MOV_JMP [h][d a rel32]              fp[d] = fp[a]; pc += rel
 *   CONST_JMP [h][d _ rel32][imm64]     fp[d] = imm; pc += rel
 *   LOOP_JMP [h][d a _ _][k32 rel32]    d = a + k; back to rel
 *   STORE32_MOV_JMP_BACK [h][addr v off32][d a rel32]
 *                                       STORE32, then MOV_JMP_BACK: a
 *                                       case that stores its result and
 *                                       moves a counter on before it
 *                                       jumps back
 *   LOOP_A2_I32_NE [h][d a x y][k32 rel32][d1 a1 d2 a2][k1 k2]
 *                                       d1 = a1 + k1; d2 = a2 + k2 (an
 *                                       unrolled loop's pointer steps,
 *                                       I32_ADD_I2), then LOOP_I32_NE
 *   LOOP_RSUB_I32_LT_U [h][d a x y][k32 rel32][d2 a2 imm32]
 *                                       d2 = imm - a2 (a value the body
 *                                       joins on, I32_RSUB_I), then
 *                                       LOOP_I32_LT_U
 * - A JZ or JNZ on the value just loaded (a list's next pointer, a
 *   string's byte):
 *   JZ_L32, JNZ_L32, JZ_L8, JNZ_L8 [h][d addr off32][rel32 _]
 *                                       d = load32 (load8_u) as LOAD32
 *                                       (LOAD8_U); if d == 0 (!= 0):
 *                                       pc += rel
 * - CALL_DEF [h][base _ func32]        CALL of a function the module
 *                                       defines: a Wasm function of this
 *                                       instance, entered without checks
 *                                       of its kind and instance
 *   CALL_MOV2 [h][base _ func32][d1 s1 d2 s2]
 *                                       fp[d1] = fp[s1]; fp[d2] = fp[s2];
 *                                       then CALL_DEF: the moves that put
 *                                       a call's arguments in place (one
 *                                       move is written twice)
 *   CALL_MOV1 [h][base s func32]       fp[base] = fp[s], then CALL_DEF:
 *                                       one move, to the first argument
 * - CALL_INDIRECT0 [h][base i type32]  CALL_INDIRECT through table 0
 *   CALL_INDIRECT0_MOV2 [h][base i type32][d1 s1 d2 s2]
 *                                       the moves as CALL_MOV2's, then
 *                                       CALL_INDIRECT0
 * - I32_RSUB_I [h][d a imm32], I64_RSUB_I [h][d a _ _][imm64]
 *                                       d = imm - a: a subtraction from a
 *                                       constant (negation, n - 1 - i)
 * - A jump back to a loop header uses the _BACK form of its op. Loop
 *   headers start with a SAFEPOINT; a _BACK jump charges its fuel and
 *   checks the interrupt flag itself and goes on after it, so a loop
 *   iteration costs no dispatch of its own for the check.
 * - A state machine over bytes (a lexer, a decoder): each iteration
 *   reads a byte's class from a table and switches on the state:
 *   L8_BR_TABLE_MOV [h][s m n32][offa ka][offb kb][d a x _][rel32 x n+1]
 *                                       LOAD8_U_L8 (cells 2-4 as its
 *                                       cells 2, 3 and 1: x = the byte,
 *                                       d = its class, each access
 *                                       trapping at its own site), then
 *                                       BR_TABLE_MOV on s with m = s (the
 *                                       move is to s itself when the
 *                                       switch had none)
 *   The loop's closing branch back to a header whose SAFEPOINT is
 *   followed by L8_BR_TABLE_MOV takes its _SW form once the function is
 *   compiled (LOOP_I32_LT_U_SW, LOOP_I32_NE_SW, LOOP_RSUB_I32_LT_U_SW):
 *   the same step, branch and check, then the header's loads and switch
 *   in its own handler.
 *   A case's CONST_JMP to such a closing branch that sets the switch's
 *   state takes the branch's form of it once the function is compiled:
 *   CONST_JMP_LT_U_SW, CONST_JMP_NE_SW, CONST_JMP_RSUB_LT_U_SW
 *   [h][d _ rel32][k32 to32]            fp[d] = k; pc += rel; then the
 *                                       branch's _SW handler, the switch
 *                                       going to its L8_BR_TABLE_MOV's
 *                                       pc + to (the table's entry for k)
 *                                       with no look-up
 *   Its cases set the next state, often one of two:
 *   CONST32_2 [h][d1 d2 _ _][k1 k2]     fp[d1] = k1; fp[d2] = k2 (i32
 *                                       constants, in that order)
 *   SELECT_K2 [h][d c _ _][k1 k2]       d = i32 c ? k1 : k2: SELECT of
 *                                       two constants just set in
 *                                       temporaries
 *   LOOP_MOV_I32_LT_U_I [h][t a d s][k32 rel32]
 *                                       t = a < k (u32, into a local),
 *                                       then fp[d] = fp[s], then if t:
 *                                       back to rel as a _BACK jump: a
 *                                       loop's test made before a
 *                                       variable it reads takes its next
 *                                       value (a copy loop's bound)
 * - A bytecode loop's cases end in a jump back to a header whose
 *   SAFEPOINT is followed by BR_TABLE_FETCH. Those jumps (JMP_BACK,
 *   MOV_JMP_BACK, LOOP_JMP, STORE32_MOV_JMP_BACK) become their _F form once the function is
 *   compiled: the same jump and check, then the header's fetch and switch
 *   run in the jump's own handler, reading the fetch's cells. Each case
 *   then dispatches the next one from a branch of its own, as a threaded
 *   interpreter does, and the fetch costs no dispatch.
 *   Then the case's last instruction takes that jump into its own handler
 *   when it has a form for it: the jump keeps its cells, the handler runs
 *   both, and a branch to the jump still runs it alone. A stack machine's
 *   cases, each one handler:
 *   LOAD32_AK_ST_W_LOOP_F, LOAD32_AK_ASH_ST_W_LOOP_F (a push), then
 *                                       the LOOP_JMP_F after it
 *   LOAD32_AK_SH_ASHB_ST_JMP_F (a pop to a register), then the
 *                                       JMP_BACK_F after it
 *   STACK_<op>_F (I32_ADD, SUB, MUL, AND, OR, XOR, SHL, SHR_U, ROTL)
 *                                       LOAD32_ASHW2_ASHB, the op on the
 *                                       two values it loaded (in that
 *                                       order, the second not in the
 *                                       first's slot or the index's), then
 *                                       the STORE32_MOV_JMP_BACK_F of the
 *                                       op's result
 * - A fixed run of ops that one handler runs whole, each op from its own
 *   cells, the handler on the run's first op (compile.c: runs;
 *   exec_chain.inc); a branch into the run runs the rest op by op:
 *   SUM3_STORE8_RR                      I32_ADD, LOAD8_U_RR2,
 *                                       I32_ADD_SHL_M8_RR and
 *                                       STORE8_ADD_SHR_ADD_I: a byte
 *                                       stored from three loaded at
 *                                       pointer sums (a blur's point)
 *   SUM3_STORE8_LOOP                    LOAD8_U_AK2, I32_ADD_SHL_M8,
 *                                       STORE8_ADD_SHR and LOOP_I32_NE_I:
 *                                       the next point, then the loop's
 *                                       closing branch
 */
#ifndef LULL_INTERP_OPS_H
#define LULL_INTERP_OPS_H

#include <stdint.h>

#include "../decoder/util.h"

/* The table. One row per op:
 *
 *   X(NAME, CELLS, FORMAT, IMM, BACK, FUSED)
 *
 *   NAME    the op is LULLI_OP_<NAME>; its handler is CASE(NAME)
 *   CELLS   its length in cells, handler cell included: NEXT(NAME) steps
 *           over it, the compiler reserves it, the disassembler and the
 *           snapshot checks walk by it (BR_TABLE: its fixed part; the jump
 *           table after it holds two rel32 per cell)
 *   FORMAT  the layout of its operand cells, LULLI_FMT_<FORMAT> (below)
 *   IMM     the same op with its right operand an immediate (the _I form),
 *           or NONE
 *   BACK    the same jump to a loop header (the _BACK form), or NONE
 *   FUSED   the same access with its address computed by a preceding
 *           i32.add of a constant folded in (the _AK form), or NONE
 *
 * Tables of cells, formats and relatives are generated from the rows
 * (LULLI_OP_CELLS, lulli_op_info in opinfo.c); nothing else may assume an
 * op's length or derive one op from another by its number. A family
 * whose members share a shape is written through a macro that expands to
 * full rows (B() below: a jump and its _BACK form).
 *
 * Formats (fields of cell 1 are u16[0..3] or u16[0..1] and u32[1]):
 *   H           [h]
 *   REG         [h][d a b c]           slot operands, unused ones zero
 *   REG2        [h][d a b c][e f g h]  eight slot operands
 *   REG4        [h][...] x 4           sixteen slot operands
 *   I32         [h][d a imm32]         a 32-bit immediate (index, count,
 *                                      constant); d or a unused by some
 *   C64         [h][d a _ _][imm64]
 *   K64         [h][k64]               a 64-bit operand in cell 1 (a
 *                                      safepoint's cost, which a back
 *                                      edge subtracts from the fuel as it
 *                                      is read)
 *   I32_C64     [h][d a imm32][imm64]
 *   C128        [h][d a b _][lo][hi]   a 16-byte immediate in cells 2-3
 *   C256        [h][d a _ _][idx][k]   two 16-byte immediates
 *   I32X2       [h][d a b c][x32 y32]  two 32-bit immediates in cell 2
 *   PTR         [h][base][pointer]
 *   JUMP        [h][a b rel32]
 *   JUMP_C64    [h][a _ rel32][imm64]
 *   TABLE       [h][a _ n32][rel32 x n+1]
 *   LOAD        [h][d addr off32]
 *   STORE       [h][addr v off32]
 *   LOAD_AK     [h][d a k32][off32]
 *   STORE_AK    [h][a v k32][off32]
 *   STORE_I     [h][addr _ off32][imm64]
 *   STORE_K     [h][_ v ea32]
 *   STORE_K_I   [h][imm32 ea32]
 *   LOOP        [h][d a x y][k32 rel32]
 *   LOOP_C64    [h][d a x _][k32 rel32][imm64]
 *   TABLE_M     [h][a _ n32][k32 off32][rel32 x n+1]
 *   TABLE_F     [h][d1 a1 kl32][s32 k32][off64][rel32 x 256]
 *   LOAD_JUMP   [h][d addr off32][rel32 _]
 *   MEM_OP      [h][d x addr y][off32 k32]
 *   MEM_OP_RR   [h][d x a b][off32 w16 s16]
 *   STORE_ADD_I [h][addr v d a][off32 k32]
 *   STORE_V     [h][addr a b s][k32 off32]
 *   STORE_V_ADD_I [h][addr a b s][k32 off32][d x kd32]
 *   LOAD_RR     [h][d a b w][off32]
 *   MEM2        [h][d x b c][offb kb][offc kc]
 *   STORE_I_AK  [h][a _ k32][off32 _][imm64]
 *   LOAD_SK     [h][d x s _][k32 off32]
 *   PROD3       [h][d x a b][c _ off32]
 *   LOAD_AKW    [h][d a k32][off32 w _]
 *   LOAD_ASH    [h][d a b s][k32 off32]
 *   LOAD_ASHB   [h][d a b s][k32 off32][c _ kb32]
 *   LOAD_ASHW   [h][d a b s][k32 off32][w x]
 *   ASHW2_ASHB  [h][d a b s][k32 off32][w x _ _][d2 a2 b2 s2][k2 off2]
 *               [c _ kb32]
 *   TABLE_L8    [h][s m n32][offa ka][offb kb][d a x _][rel32 x n+1]
 *   ASHB_ST     [h][d a b s][k32 off32][p _ offp32][c _ kb32]
 *   AK_SH_ASHB_ST [h][d a b s][k32 off32][_ pa offp32][c _ kb32]
 *               [_ ax kx32][offx32 ps32]
 *   AK_ST       [h][d a k32][off32 _][p _ offp32]
 *   AK_ASH_ST   [h][d a b s][k32 off32][p _ offp32][x ax kx32][offx32 _]
 *   STORE_MOV_JUMP [h][addr v off32][d a rel32]
 *   AK_ST_W     [h][d a k32][off32 _][t pa pb ps][pk32 offp32]
 *   AK_ASH_ST_W [h][d a b s][k32 off32][t pa pb ps][x ax kx32][offx32 _]
 *               [pk32 offp32]
 *   LANE_LOAD   [h][d addr off32][v lane]
 *   LANE_STORE  [h][addr v off32][lane]
 */
#define LULLI_FORMATS(F) \
  F(H) F(REG) F(REG2) F(REG4) F(I32) F(K64) F(C64) F(I32_C64) F(C128) F(C256) F(I32X2) \
  F(PTR) F(JUMP) F(JUMP_C64) F(TABLE) F(LOAD) F(STORE) F(LOAD_AK) \
  F(STORE_AK) F(STORE_I) F(MEM_OP) F(MEM_OP_RR) F(LANE_LOAD) F(LANE_STORE) \
  F(LOOP) \
  F(LOOP_C64) F(TABLE_M) F(LOAD_JUMP) F(STORE_ADD_I) F(STORE_V) \
  F(STORE_V_ADD_I) F(LOAD_RR) F(MEM2) \
  F(STORE_I_AK) F(LOAD_SK) F(PROD3) F(LOAD_AKW) F(LOAD_ASH) F(TABLE_F) \
  F(LOAD_ASHB) F(ASHB_ST) F(LOAD_ASHW) F(AK_ST) F(AK_ASH_ST) F(STORE_MOV_JUMP) \
  F(STORE_K) F(STORE_K_I) F(TABLE_L8) F(AK_ST_W) F(AK_ASH_ST_W) \
  F(ASHW2_ASHB) F(AK_SH_ASHB_ST)

/* A jump and its _BACK form (taken to a loop header; see the notes). */
#define LULLI_OP_B(X, NAME, CELLS, FORMAT, IMM) \
  X(NAME, CELLS, FORMAT, IMM, NAME##_BACK, NONE) \
  X(NAME##_BACK, CELLS, FORMAT, NONE, NONE, NONE)

/* Jumps: JMP; JZ/JNZ (i32) and JZ64/JNZ64; fused compare-and-branch
 * BR_<type>_<cmp> [h][a b rel32] (if a cmp b: pc += rel) and the _I forms
 * [h][a _ rel32][imm] against an immediate; for floats also BRN_ (jump
 * when false). Each with its _BACK form, through B. BR_I32_AND_EQ_I and
 * _NE_I [h][a _ rel32][m32 k32] test a masked value against a constant
 * (if (a & m) == k, or !=: pc += rel), an i32.and of a constant and the
 * compare after it (JZ, JNZ: k = 0): a byte's class tested for a set of
 * classes, a bit test. */
#define LULLI_OPS_BRANCH(X, B) \
  B(X, JMP, 2, JUMP, NONE) \
  B(X, JZ, 2, JUMP, NONE) \
  B(X, JNZ, 2, JUMP, NONE) \
  B(X, JZ64, 2, JUMP, NONE) \
  B(X, JNZ64, 2, JUMP, NONE) \
  B(X, BR_I32_EQ, 2, JUMP, BR_I32_EQ_I) \
  B(X, BR_I32_EQ_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_NE, 2, JUMP, BR_I32_NE_I) \
  B(X, BR_I32_NE_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_LT_S, 2, JUMP, BR_I32_LT_S_I) \
  B(X, BR_I32_LT_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_LT_U, 2, JUMP, BR_I32_LT_U_I) \
  B(X, BR_I32_LT_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_GT_S, 2, JUMP, BR_I32_GT_S_I) \
  B(X, BR_I32_GT_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_GT_U, 2, JUMP, BR_I32_GT_U_I) \
  B(X, BR_I32_GT_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_LE_S, 2, JUMP, BR_I32_LE_S_I) \
  B(X, BR_I32_LE_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_LE_U, 2, JUMP, BR_I32_LE_U_I) \
  B(X, BR_I32_LE_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_GE_S, 2, JUMP, BR_I32_GE_S_I) \
  B(X, BR_I32_GE_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_GE_U, 2, JUMP, BR_I32_GE_U_I) \
  B(X, BR_I32_GE_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_AND_EQ_I, 3, JUMP_C64, NONE) \
  B(X, BR_I32_AND_NE_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_EQ, 2, JUMP, BR_I64_EQ_I) \
  B(X, BR_I64_EQ_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_NE, 2, JUMP, BR_I64_NE_I) \
  B(X, BR_I64_NE_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_LT_S, 2, JUMP, BR_I64_LT_S_I) \
  B(X, BR_I64_LT_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_LT_U, 2, JUMP, BR_I64_LT_U_I) \
  B(X, BR_I64_LT_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_GT_S, 2, JUMP, BR_I64_GT_S_I) \
  B(X, BR_I64_GT_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_GT_U, 2, JUMP, BR_I64_GT_U_I) \
  B(X, BR_I64_GT_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_LE_S, 2, JUMP, BR_I64_LE_S_I) \
  B(X, BR_I64_LE_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_LE_U, 2, JUMP, BR_I64_LE_U_I) \
  B(X, BR_I64_LE_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_GE_S, 2, JUMP, BR_I64_GE_S_I) \
  B(X, BR_I64_GE_S_I, 3, JUMP_C64, NONE) \
  B(X, BR_I64_GE_U, 2, JUMP, BR_I64_GE_U_I) \
  B(X, BR_I64_GE_U_I, 3, JUMP_C64, NONE) \
  B(X, BR_F32_EQ, 2, JUMP, NONE) \
  B(X, BR_F32_NE, 2, JUMP, NONE) \
  B(X, BR_F32_LT, 2, JUMP, NONE) \
  B(X, BR_F32_GT, 2, JUMP, NONE) \
  B(X, BR_F32_LE, 2, JUMP, NONE) \
  B(X, BR_F32_GE, 2, JUMP, NONE) \
  B(X, BRN_F32_EQ, 2, JUMP, NONE) \
  B(X, BRN_F32_NE, 2, JUMP, NONE) \
  B(X, BRN_F32_LT, 2, JUMP, NONE) \
  B(X, BRN_F32_GT, 2, JUMP, NONE) \
  B(X, BRN_F32_LE, 2, JUMP, NONE) \
  B(X, BRN_F32_GE, 2, JUMP, NONE) \
  B(X, BR_F64_EQ, 2, JUMP, NONE) \
  B(X, BR_F64_NE, 2, JUMP, NONE) \
  B(X, BR_F64_LT, 2, JUMP, NONE) \
  B(X, BR_F64_GT, 2, JUMP, NONE) \
  B(X, BR_F64_LE, 2, JUMP, NONE) \
  B(X, BR_F64_GE, 2, JUMP, NONE) \
  B(X, BRN_F64_EQ, 2, JUMP, NONE) \
  B(X, BRN_F64_NE, 2, JUMP, NONE) \
  B(X, BRN_F64_LT, 2, JUMP, NONE) \
  B(X, BRN_F64_GT, 2, JUMP, NONE) \
  B(X, BRN_F64_LE, 2, JUMP, NONE) \
  B(X, BRN_F64_GE, 2, JUMP, NONE)

#define LULLI_OPS_SCALAR(X) \
  /* control */ \
  X(UNREACHABLE, 1, H, NONE, NONE, NONE) \
  X(BR_TABLE, 2, TABLE, NONE, NONE, NONE) \
  X(COMPILE, 1, H, NONE, NONE, NONE) \
  X(SAFEPOINT, 2, K64, NONE, NONE, NONE) \
  X(RET0, 1, H, NONE, NONE, NONE) \
  X(RET1, 2, REG, NONE, NONE, NONE) \
  X(RET2, 2, REG, NONE, NONE, NONE) \
  X(RETN, 2, REG, NONE, NONE, NONE) \
  X(I32_ADD_RET, 2, REG, NONE, NONE, NONE) \
  X(CALL, 2, I32, NONE, NONE, NONE) \
  X(CALL_INDIRECT, 3, I32X2, NONE, NONE, NONE) \
  X(CALL_PTR, 3, PTR, NONE, NONE, NONE) \
  X(CALL_REF, 2, I32, NONE, NONE, NONE) \
  X(EXIT, 1, H, NONE, NONE, NONE) \
  X(HOSTCONT, 1, H, NONE, NONE, NONE) \
  X(RETURN_CALL, 2, I32, NONE, NONE, NONE) \
  X(RETURN_CALL_INDIRECT, 3, I32X2, NONE, NONE, NONE) \
  X(RETURN_CALL_REF, 2, I32, NONE, NONE, NONE) \
  X(THROW, 2, I32, NONE, NONE, NONE) \
  X(THROW_REF, 2, REG, NONE, NONE, NONE) \
  /* moves and constants */ \
  X(MOV, 2, REG, NONE, NONE, NONE) \
  X(MOV2, 2, REG, NONE, NONE, NONE) \
  X(CONST32, 2, I32, NONE, NONE, NONE) \
  X(CONST64, 3, C64, NONE, NONE, NONE) \
  X(CONST128, 4, C128, NONE, NONE, NONE) \
  X(SELECT, 2, REG, NONE, NONE, NONE) \
  X(SELECT2, 2, REG, NONE, NONE, NONE) \
  X(GLOBAL_GET, 2, I32, NONE, NONE, NONE) \
  X(GLOBAL_GET2, 2, I32, NONE, NONE, NONE) \
  X(GLOBAL_SET, 2, I32, NONE, NONE, NONE) \
  X(GLOBAL_SET2, 2, I32, NONE, NONE, NONE) \
  /* I32 binary operators and comparisons: [h][d a b _] and _I: [h][d a imm32] (I32) or [h][d a _ _][imm64] (I64) */ \
  X(I32_ADD, 2, REG, I32_ADD_I, NONE, NONE) \
  X(I32_ADD_I, 2, I32, NONE, NONE, NONE) \
  X(I32_SUB, 2, REG, I32_SUB_I, NONE, NONE) \
  X(I32_SUB_I, 2, I32, NONE, NONE, NONE) \
  X(I32_MUL, 2, REG, I32_MUL_I, NONE, NONE) \
  X(I32_MUL_I, 2, I32, NONE, NONE, NONE) \
  X(I32_DIV_S, 2, REG, I32_DIV_S_I, NONE, NONE) \
  X(I32_DIV_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_DIV_U, 2, REG, I32_DIV_U_I, NONE, NONE) \
  X(I32_DIV_U_I, 2, I32, NONE, NONE, NONE) \
  X(I32_REM_S, 2, REG, I32_REM_S_I, NONE, NONE) \
  X(I32_REM_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_REM_U, 2, REG, I32_REM_U_I, NONE, NONE) \
  X(I32_REM_U_I, 2, I32, NONE, NONE, NONE) \
  X(I32_AND, 2, REG, I32_AND_I, NONE, NONE) \
  X(I32_AND_I, 2, I32, NONE, NONE, NONE) \
  X(I32_OR, 2, REG, I32_OR_I, NONE, NONE) \
  X(I32_OR_I, 2, I32, NONE, NONE, NONE) \
  X(I32_XOR, 2, REG, I32_XOR_I, NONE, NONE) \
  X(I32_XOR_I, 2, I32, NONE, NONE, NONE) \
  X(I32_SHL, 2, REG, I32_SHL_I, NONE, NONE) \
  X(I32_SHL_I, 2, I32, NONE, NONE, NONE) \
  X(I32_SHR_S, 2, REG, I32_SHR_S_I, NONE, NONE) \
  X(I32_SHR_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_SHR_U, 2, REG, I32_SHR_U_I, NONE, NONE) \
  X(I32_SHR_U_I, 2, I32, NONE, NONE, NONE) \
  X(I32_ROTL, 2, REG, I32_ROTL_I, NONE, NONE) \
  X(I32_ROTL_I, 2, I32, NONE, NONE, NONE) \
  X(I32_ROTR, 2, REG, I32_ROTR_I, NONE, NONE) \
  X(I32_ROTR_I, 2, I32, NONE, NONE, NONE) \
  X(I32_EQ, 2, REG, I32_EQ_I, NONE, NONE) \
  X(I32_EQ_I, 2, I32, NONE, NONE, NONE) \
  X(I32_NE, 2, REG, I32_NE_I, NONE, NONE) \
  X(I32_NE_I, 2, I32, NONE, NONE, NONE) \
  X(I32_LT_S, 2, REG, I32_LT_S_I, NONE, NONE) \
  X(I32_LT_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_LT_U, 2, REG, I32_LT_U_I, NONE, NONE) \
  X(I32_LT_U_I, 2, I32, NONE, NONE, NONE) \
  X(I32_GT_S, 2, REG, I32_GT_S_I, NONE, NONE) \
  X(I32_GT_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_GT_U, 2, REG, I32_GT_U_I, NONE, NONE) \
  X(I32_GT_U_I, 2, I32, NONE, NONE, NONE) \
  X(I32_LE_S, 2, REG, I32_LE_S_I, NONE, NONE) \
  X(I32_LE_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_LE_U, 2, REG, I32_LE_U_I, NONE, NONE) \
  X(I32_LE_U_I, 2, I32, NONE, NONE, NONE) \
  X(I32_GE_S, 2, REG, I32_GE_S_I, NONE, NONE) \
  X(I32_GE_S_I, 2, I32, NONE, NONE, NONE) \
  X(I32_GE_U, 2, REG, I32_GE_U_I, NONE, NONE) \
  X(I32_GE_U_I, 2, I32, NONE, NONE, NONE) \
  /* I64 binary operators and comparisons: [h][d a b _] and _I: [h][d a imm32] (I32) or [h][d a _ _][imm64] (I64) */ \
  X(I64_ADD, 2, REG, I64_ADD_I, NONE, NONE) \
  X(I64_ADD_I, 3, C64, NONE, NONE, NONE) \
  X(I64_SUB, 2, REG, I64_SUB_I, NONE, NONE) \
  X(I64_SUB_I, 3, C64, NONE, NONE, NONE) \
  X(I64_MUL, 2, REG, I64_MUL_I, NONE, NONE) \
  X(I64_MUL_I, 3, C64, NONE, NONE, NONE) \
  X(I64_DIV_S, 2, REG, I64_DIV_S_I, NONE, NONE) \
  X(I64_DIV_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_DIV_U, 2, REG, I64_DIV_U_I, NONE, NONE) \
  X(I64_DIV_U_I, 3, C64, NONE, NONE, NONE) \
  X(I64_REM_S, 2, REG, I64_REM_S_I, NONE, NONE) \
  X(I64_REM_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_REM_U, 2, REG, I64_REM_U_I, NONE, NONE) \
  X(I64_REM_U_I, 3, C64, NONE, NONE, NONE) \
  X(I64_AND, 2, REG, I64_AND_I, NONE, NONE) \
  X(I64_AND_I, 3, C64, NONE, NONE, NONE) \
  X(I64_OR, 2, REG, I64_OR_I, NONE, NONE) \
  X(I64_OR_I, 3, C64, NONE, NONE, NONE) \
  X(I64_XOR, 2, REG, I64_XOR_I, NONE, NONE) \
  X(I64_XOR_I, 3, C64, NONE, NONE, NONE) \
  X(I64_SHL, 2, REG, I64_SHL_I, NONE, NONE) \
  X(I64_SHL_I, 3, C64, NONE, NONE, NONE) \
  X(I64_SHR_S, 2, REG, I64_SHR_S_I, NONE, NONE) \
  X(I64_SHR_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_SHR_U, 2, REG, I64_SHR_U_I, NONE, NONE) \
  X(I64_SHR_U_I, 3, C64, NONE, NONE, NONE) \
  X(I64_ROTL, 2, REG, I64_ROTL_I, NONE, NONE) \
  X(I64_ROTL_I, 3, C64, NONE, NONE, NONE) \
  X(I64_ROTR, 2, REG, I64_ROTR_I, NONE, NONE) \
  X(I64_ROTR_I, 3, C64, NONE, NONE, NONE) \
  X(I64_EQ, 2, REG, I64_EQ_I, NONE, NONE) \
  X(I64_EQ_I, 3, C64, NONE, NONE, NONE) \
  X(I64_NE, 2, REG, I64_NE_I, NONE, NONE) \
  X(I64_NE_I, 3, C64, NONE, NONE, NONE) \
  X(I64_LT_S, 2, REG, I64_LT_S_I, NONE, NONE) \
  X(I64_LT_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_LT_U, 2, REG, I64_LT_U_I, NONE, NONE) \
  X(I64_LT_U_I, 3, C64, NONE, NONE, NONE) \
  X(I64_GT_S, 2, REG, I64_GT_S_I, NONE, NONE) \
  X(I64_GT_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_GT_U, 2, REG, I64_GT_U_I, NONE, NONE) \
  X(I64_GT_U_I, 3, C64, NONE, NONE, NONE) \
  X(I64_LE_S, 2, REG, I64_LE_S_I, NONE, NONE) \
  X(I64_LE_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_LE_U, 2, REG, I64_LE_U_I, NONE, NONE) \
  X(I64_LE_U_I, 3, C64, NONE, NONE, NONE) \
  X(I64_GE_S, 2, REG, I64_GE_S_I, NONE, NONE) \
  X(I64_GE_S_I, 3, C64, NONE, NONE, NONE) \
  X(I64_GE_U, 2, REG, I64_GE_U_I, NONE, NONE) \
  X(I64_GE_U_I, 3, C64, NONE, NONE, NONE) \
  /* integer unary operators: [h][d a _ _] */ \
  X(I32_EQZ, 2, REG, NONE, NONE, NONE) \
  X(I32_CLZ, 2, REG, NONE, NONE, NONE) \
  X(I32_CTZ, 2, REG, NONE, NONE, NONE) \
  X(I32_POPCNT, 2, REG, NONE, NONE, NONE) \
  X(I32_EXTEND8_S, 2, REG, NONE, NONE, NONE) \
  X(I32_EXTEND16_S, 2, REG, NONE, NONE, NONE) \
  X(I64_EQZ, 2, REG, NONE, NONE, NONE) \
  X(I64_CLZ, 2, REG, NONE, NONE, NONE) \
  X(I64_CTZ, 2, REG, NONE, NONE, NONE) \
  X(I64_POPCNT, 2, REG, NONE, NONE, NONE) \
  X(I64_EXTEND8_S, 2, REG, NONE, NONE, NONE) \
  X(I64_EXTEND16_S, 2, REG, NONE, NONE, NONE) \
  X(I64_EXTEND32_S, 2, REG, NONE, NONE, NONE) \
  /* F32 operators: [h][d a b _] */ \
  X(F32_ADD, 2, REG, NONE, NONE, NONE) \
  X(F32_SUB, 2, REG, NONE, NONE, NONE) \
  X(F32_MUL, 2, REG, NONE, NONE, NONE) \
  X(F32_DIV, 2, REG, NONE, NONE, NONE) \
  X(F32_MIN, 2, REG, NONE, NONE, NONE) \
  X(F32_MAX, 2, REG, NONE, NONE, NONE) \
  X(F32_COPYSIGN, 2, REG, NONE, NONE, NONE) \
  X(F32_EQ, 2, REG, NONE, NONE, NONE) \
  X(F32_NE, 2, REG, NONE, NONE, NONE) \
  X(F32_LT, 2, REG, NONE, NONE, NONE) \
  X(F32_GT, 2, REG, NONE, NONE, NONE) \
  X(F32_LE, 2, REG, NONE, NONE, NONE) \
  X(F32_GE, 2, REG, NONE, NONE, NONE) \
  X(F32_ABS, 2, REG, NONE, NONE, NONE) \
  X(F32_NEG, 2, REG, NONE, NONE, NONE) \
  X(F32_CEIL, 2, REG, NONE, NONE, NONE) \
  X(F32_FLOOR, 2, REG, NONE, NONE, NONE) \
  X(F32_TRUNC, 2, REG, NONE, NONE, NONE) \
  X(F32_NEAREST, 2, REG, NONE, NONE, NONE) \
  X(F32_SQRT, 2, REG, NONE, NONE, NONE) \
  /* F64 operators: [h][d a b _] */ \
  X(F64_ADD, 2, REG, NONE, NONE, NONE) \
  X(F64_SUB, 2, REG, NONE, NONE, NONE) \
  X(F64_MUL, 2, REG, NONE, NONE, NONE) \
  X(F64_DIV, 2, REG, NONE, NONE, NONE) \
  X(F64_MIN, 2, REG, NONE, NONE, NONE) \
  X(F64_MAX, 2, REG, NONE, NONE, NONE) \
  X(F64_COPYSIGN, 2, REG, NONE, NONE, NONE) \
  X(F64_EQ, 2, REG, NONE, NONE, NONE) \
  X(F64_NE, 2, REG, NONE, NONE, NONE) \
  X(F64_LT, 2, REG, NONE, NONE, NONE) \
  X(F64_GT, 2, REG, NONE, NONE, NONE) \
  X(F64_LE, 2, REG, NONE, NONE, NONE) \
  X(F64_GE, 2, REG, NONE, NONE, NONE) \
  X(F64_ABS, 2, REG, NONE, NONE, NONE) \
  X(F64_NEG, 2, REG, NONE, NONE, NONE) \
  X(F64_CEIL, 2, REG, NONE, NONE, NONE) \
  X(F64_FLOOR, 2, REG, NONE, NONE, NONE) \
  X(F64_TRUNC, 2, REG, NONE, NONE, NONE) \
  X(F64_NEAREST, 2, REG, NONE, NONE, NONE) \
  X(F64_SQRT, 2, REG, NONE, NONE, NONE) \
  /* conversions: [h][d a _ _] */ \
  X(I32_WRAP_I64, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_F32_S, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_F32_U, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_F64_S, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_F64_U, 2, REG, NONE, NONE, NONE) \
  X(I64_EXTEND_I32_S, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_F32_S, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_F32_U, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_F64_S, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_F64_U, 2, REG, NONE, NONE, NONE) \
  X(F32_CONVERT_I32_S, 2, REG, NONE, NONE, NONE) \
  X(F32_CONVERT_I32_U, 2, REG, NONE, NONE, NONE) \
  X(F32_CONVERT_I64_S, 2, REG, NONE, NONE, NONE) \
  X(F32_CONVERT_I64_U, 2, REG, NONE, NONE, NONE) \
  X(F32_DEMOTE_F64, 2, REG, NONE, NONE, NONE) \
  X(F64_CONVERT_I32_S, 2, REG, NONE, NONE, NONE) \
  X(F64_CONVERT_I32_U, 2, REG, NONE, NONE, NONE) \
  X(F64_CONVERT_I64_S, 2, REG, NONE, NONE, NONE) \
  X(F64_CONVERT_I64_U, 2, REG, NONE, NONE, NONE) \
  X(F64_PROMOTE_F32, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_SAT_F32_S, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_SAT_F32_U, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_SAT_F64_S, 2, REG, NONE, NONE, NONE) \
  X(I32_TRUNC_SAT_F64_U, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_SAT_F32_S, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_SAT_F32_U, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_SAT_F64_S, 2, REG, NONE, NONE, NONE) \
  X(I64_TRUNC_SAT_F64_U, 2, REG, NONE, NONE, NONE) \
  /* memory: loads [h][d addr off32], stores [h][addr v off32] */ \
  X(LOAD32, 2, LOAD, NONE, NONE, LOAD32_AK) \
  X(LOAD64, 2, LOAD, NONE, NONE, LOAD64_AK) \
  X(LOAD8_S32, 2, LOAD, NONE, NONE, LOAD8_S32_AK) \
  X(LOAD8_U, 2, LOAD, NONE, NONE, LOAD8_U_AK) \
  X(LOAD16_S32, 2, LOAD, NONE, NONE, LOAD16_S32_AK) \
  X(LOAD16_U, 2, LOAD, NONE, NONE, LOAD16_U_AK) \
  X(LOAD8_S64, 2, LOAD, NONE, NONE, LOAD8_S64_AK) \
  X(LOAD16_S64, 2, LOAD, NONE, NONE, LOAD16_S64_AK) \
  X(LOAD32_S64, 2, LOAD, NONE, NONE, LOAD32_S64_AK) \
  X(STORE8, 2, STORE, STORE8_I, NONE, STORE8_AK) \
  X(STORE16, 2, STORE, STORE16_I, NONE, STORE16_AK) \
  X(STORE32, 2, STORE, STORE32_I, NONE, STORE32_AK) \
  X(STORE64, 2, STORE, STORE64_I, NONE, STORE64_AK) \
  X(MEMORY_SIZE, 2, REG, NONE, NONE, NONE) \
  X(MEMORY_GROW, 2, REG, NONE, NONE, NONE) \
  X(MEMORY_FILL, 2, REG, NONE, NONE, NONE) \
  X(MEMORY_COPY, 2, REG, NONE, NONE, NONE) \
  X(MEMORY_INIT, 3, I32X2, NONE, NONE, NONE) \
  X(DATA_DROP, 2, I32, NONE, NONE, NONE) \
  X(STORE8_I, 3, STORE_I, NONE, NONE, STORE8_I_AK) \
  X(STORE16_I, 3, STORE_I, NONE, NONE, STORE16_I_AK) \
  X(STORE32_I, 3, STORE_I, NONE, NONE, STORE32_I_AK) \
  X(STORE64_I, 3, STORE_I, NONE, NONE, STORE64_I_AK) \
  /* stores to a constant address: [h][_ v ea32], [h][imm32 ea32] */ \
  X(STORE8_K, 2, STORE_K, STORE8_K_I, NONE, NONE) \
  X(STORE16_K, 2, STORE_K, STORE16_K_I, NONE, NONE) \
  X(STORE32_K, 2, STORE_K, STORE32_K_I, NONE, NONE) \
  X(STORE64_K, 2, STORE_K, STORE64_K_I, NONE, NONE) \
  X(STORE8_K_I, 2, STORE_K_I, NONE, NONE, NONE) \
  X(STORE16_K_I, 2, STORE_K_I, NONE, NONE, NONE) \
  X(STORE32_K_I, 2, STORE_K_I, NONE, NONE, NONE) \
  X(STORE64_K_I, 2, STORE_K_I, NONE, NONE, NONE) \
  /* any memory, 32- or 64-bit addresses (notes) */ \
  X(MEMORY_AT, 3, I32_C64, NONE, NONE, NONE) \
  X(MEMORY_RESTORE, 1, H, NONE, NONE, NONE) \
  X(MEMORY_SIZE_X, 2, I32, NONE, NONE, NONE) \
  X(MEMORY_GROW_X, 2, I32, NONE, NONE, NONE) \
  X(MEMORY_FILL_X, 3, I32X2, NONE, NONE, NONE) \
  X(MEMORY_COPY_X, 3, I32X2, NONE, NONE, NONE) \
  X(MEMORY_INIT_X, 3, I32X2, NONE, NONE, NONE) \
  /* tables and references */ \
  X(TABLE_GET, 2, I32, NONE, NONE, NONE) \
  X(TABLE_SET, 2, I32, NONE, NONE, NONE) \
  X(TABLE_SIZE, 2, I32, NONE, NONE, NONE) \
  X(TABLE_GROW, 3, I32X2, NONE, NONE, NONE) \
  X(TABLE_FILL, 3, I32X2, NONE, NONE, NONE) \
  X(TABLE_COPY, 3, I32X2, NONE, NONE, NONE) \
  X(TABLE_INIT, 3, I32X2, NONE, NONE, NONE) \
  X(ELEM_DROP, 2, I32, NONE, NONE, NONE) \
  X(I64_CLAMP32, 2, REG, NONE, NONE, NONE) \
  X(REF_FUNC, 2, I32, NONE, NONE, NONE) \
  X(REF_IS_NULL, 2, REG, NONE, NONE, NONE) \
  X(REF_AS_NON_NULL, 2, REG, NONE, NONE, NONE) \
  X(REF_I31, 2, REG, NONE, NONE, NONE) \
  X(I31_GET_S, 2, REG, NONE, NONE, NONE) \
  X(I31_GET_U, 2, REG, NONE, NONE, NONE) \
  X(REF_TEST, 2, I32, NONE, NONE, NONE) \
  X(REF_CAST, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_NEW, 3, I32X2, NONE, NONE, NONE) \
  X(STRUCT_GET, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_GET2, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_GET_S8, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_GET_U8, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_GET_S16, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_GET_U16, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_SET, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_SET2, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_SET_ANY, 2, I32, NONE, NONE, NONE) \
  X(STRUCT_SET_EXTERN, 2, I32, NONE, NONE, NONE) \
  X(ARRAY_NEW, 3, I32X2, NONE, NONE, NONE) \
  X(ARRAY_NEW_FIXED, 3, I32X2, NONE, NONE, NONE) \
  X(ARRAY_NEW_DATA, 3, I32X2, NONE, NONE, NONE) \
  X(ARRAY_NEW_ELEM, 3, I32X2, NONE, NONE, NONE) \
  X(ARRAY_GET, 2, REG, NONE, NONE, NONE) \
  X(ARRAY_GET_S, 2, REG, NONE, NONE, NONE) \
  X(ARRAY_SET, 2, REG, NONE, NONE, NONE) \
  X(ARRAY_LEN, 2, REG, NONE, NONE, NONE) \
  X(ARRAY_FILL, 2, REG, NONE, NONE, NONE) \
  X(ARRAY_COPY, 3, I32X2, NONE, NONE, NONE) \
  X(ARRAY_INIT_DATA, 3, I32X2, NONE, NONE, NONE) \
  X(ARRAY_INIT_ELEM, 3, I32X2, NONE, NONE, NONE) \
  X(ANY_CONVERT_EXTERN, 2, REG, NONE, NONE, NONE) \
  X(EXTERN_CONVERT_ANY, 2, REG, NONE, NONE, NONE) \
  /* fused pairs, made by compile_fuse.c; formats in the notes */ \
  X(MOV_MOV, 2, REG, NONE, NONE, NONE) \
  X(I32_ADD_I2, 3, I32X2, NONE, NONE, NONE) \
  X(LOAD32_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD64_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD8_S32_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD8_U_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD16_S32_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD16_U_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD8_S64_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD16_S64_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(LOAD32_S64_AK, 3, LOAD_AK, NONE, NONE, NONE) \
  X(STORE8_AK, 3, STORE_AK, NONE, NONE, NONE) \
  X(STORE16_AK, 3, STORE_AK, NONE, NONE, NONE) \
  X(STORE32_AK, 3, STORE_AK, NONE, NONE, NONE) \
  X(STORE64_AK, 3, STORE_AK, NONE, NONE, NONE) \
  X(I32_ADD_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(I32_ADD_SHL_M8, 3, MEM_OP, NONE, NONE, NONE) \
  X(I32_ADD_SHL_M8_RR, 3, MEM_OP_RR, NONE, NONE, NONE) \
  X(I64_ADD_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(F32_ADD_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(F32_MUL_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(F32_SUB_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(F64_ADD_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(F64_MUL_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(F64_SUB_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(I32_XOR_SHL_I, 2, REG, NONE, NONE, NONE) \
  X(I32_XOR_SHR_U_I, 2, REG, NONE, NONE, NONE) \
  X(I32_XOR_ROTL_I, 2, REG, NONE, NONE, NONE) \
  X(I32_ADD_SHL_I, 2, REG, NONE, NONE, NONE) \
  X(I32_ADD_I_SHR_U_I, 2, REG, NONE, NONE, NONE) \
  X(I32_ADD3_I_SHR_U, 3, I32X2, NONE, NONE, NONE) \
  X(LOAD8_U_AK2, 4, MEM2, NONE, NONE, NONE) \
  X(LOAD8_U_RR2, 4, MEM2, NONE, NONE, NONE) \
  X(I32_ADD3, 2, REG, NONE, NONE, NONE)

/* Fused forms for memory- and arithmetic-heavy loops (compile_fuse.c;
 * formats in the notes). */
#define LULLI_OPS_FUSED_MEM(X) \
  X(I32_MUL_M, 3, MEM_OP, NONE, NONE, NONE) \
  X(I32_ADD_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(I32_MUL_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(I64_ADD_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(F32_ADD_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(F32_MUL_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(F64_ADD_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(F64_MUL_TO, 3, MEM_OP, NONE, NONE, NONE) \
  X(MOV4, 3, REG2, NONE, NONE, NONE) \
  X(I32_ROTL2_XOR, 2, REG, NONE, NONE, NONE) \
  X(I32_ROTL3_XOR, 2, REG, NONE, NONE, NONE) \
  X(I32_ROTL2_XOR_SHR, 2, REG, NONE, NONE, NONE) \
  X(I32_ROTL3_XOR_ADD, 3, I32X2, NONE, NONE, NONE) \
  X(I32_ROTL3_XOR_ADD2, 3, I32X2, NONE, NONE, NONE) \
  X(I32_ROTL2_XOR_SHR_ADD, 3, I32X2, NONE, NONE, NONE) \
  X(I32_ROTL2_XOR_SHR_ADD2, 3, I32X2, NONE, NONE, NONE) \
  X(I32_BSWAP, 2, REG, NONE, NONE, NONE) \
  X(F64_MUL3, 2, REG, NONE, NONE, NONE) \
  X(I32_MUL_M_ADD, 3, MEM_OP, NONE, NONE, NONE) \
  X(STORE8_ADD_I, 3, STORE_ADD_I, NONE, NONE, NONE) \
  X(STORE16_ADD_I, 3, STORE_ADD_I, NONE, NONE, NONE) \
  X(STORE32_ADD_I, 3, STORE_ADD_I, NONE, NONE, NONE) \
  X(STORE64_ADD_I, 3, STORE_ADD_I, NONE, NONE, NONE) \
  X(STORE8_ADD_SHR, 3, STORE_V, NONE, NONE, NONE) \
  X(STORE8_ADDK_SHR, 3, STORE_V, NONE, NONE, NONE) \
  X(STORE8_ADD_SHR_ADD_I, 4, STORE_V_ADD_I, NONE, NONE, NONE) \
  X(STORE8_ADDK_SHR_ADD_I, 4, STORE_V_ADD_I, NONE, NONE, NONE) \
  X(LOAD32_RR, 3, LOAD_RR, NONE, NONE, NONE) \
  X(LOAD64_RR, 3, LOAD_RR, NONE, NONE, NONE) \
  X(LOAD8_U_RR, 3, LOAD_RR, NONE, NONE, NONE) \
  X(LOAD16_U_RR, 3, LOAD_RR, NONE, NONE, NONE) \
  X(I32_MADD_M2, 4, MEM2, NONE, NONE, NONE) \
  X(I32_MADD_TO, 4, MEM2, NONE, NONE, NONE) \
  X(F64_MADD_TO, 4, MEM2, NONE, NONE, NONE) \
  X(STORE8_I_AK, 4, STORE_I_AK, NONE, NONE, NONE) \
  X(STORE16_I_AK, 4, STORE_I_AK, NONE, NONE, NONE) \
  X(STORE32_I_AK, 4, STORE_I_AK, NONE, NONE, NONE) \
  X(STORE64_I_AK, 4, STORE_I_AK, NONE, NONE, NONE) \
  X(LOAD32_SK, 3, LOAD_SK, NONE, NONE, NONE) \
  X(I32_ANDN, 2, REG, NONE, NONE, NONE) \
  X(I32_XOR_AND, 2, REG, NONE, NONE, NONE) \
  X(I32_AND_XOR, 2, REG, NONE, NONE, NONE) \
  X(F64_ADD_K, 3, C64, NONE, NONE, NONE) \
  X(F64_SUB_K, 3, C64, NONE, NONE, NONE) \
  X(F64_RSUB_K, 3, C64, NONE, NONE, NONE) \
  X(F64_MUL_K, 3, C64, NONE, NONE, NONE) \
  X(F64_DIV_K, 3, C64, NONE, NONE, NONE) \
  X(F64_RDIV_K, 3, C64, NONE, NONE, NONE) \
  X(F64_MUL3_SUB, 3, PROD3, NONE, NONE, NONE) \
  X(F64_MUL3_SUB_TO, 3, PROD3, NONE, NONE, NONE) \
  X(F64_MUL3_ADD_TO, 3, PROD3, NONE, NONE, NONE) \
  X(LOAD32_AKW, 3, LOAD_AKW, NONE, NONE, NONE) \
  X(LOAD64_AKW, 3, LOAD_AKW, NONE, NONE, NONE) \
  X(LOAD8_U_AKW, 3, LOAD_AKW, NONE, NONE, NONE) \
  X(I32_ADD4, 3, I32X2, NONE, NONE, NONE) \
  X(V128_LOAD_RR, 3, LOAD_RR, NONE, NONE, NONE) \
  X(I32_MADD_TO_AKW, 4, MEM2, NONE, NONE, NONE) \
  X(F64_MADD_TO_AKW, 4, MEM2, NONE, NONE, NONE) \
  X(F64_MUL3_ADD_TO_AKW, 3, PROD3, NONE, NONE, NONE) \
  X(LOAD32_ASH, 3, LOAD_ASH, NONE, NONE, NONE) \
  X(I32_ADD_SHL_IK, 3, I32X2, NONE, NONE, NONE) \
  X(I32_SHL_I_ADD_I, 3, I32X2, NONE, NONE, NONE) \
  X(LOAD8_U_L8, 4, MEM2, NONE, NONE, NONE) \
  X(LOAD32_ASH_ST, 4, MEM2, NONE, NONE, NONE) \
  X(LOAD32_ASHB, 4, LOAD_ASHB, NONE, NONE, NONE) \
  X(LOAD32_ASHW, 4, LOAD_ASHW, NONE, NONE, NONE) \
  X(LOAD32_ASHW2, 4, LOAD_ASHW, NONE, NONE, NONE) \
  X(LOAD32_ASHW2_ASHB, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(LOAD32_ASHB_ST, 5, ASHB_ST, NONE, NONE, NONE) \
  X(LOAD32_AK_SH_ASHB_ST, 7, AK_SH_ASHB_ST, NONE, NONE, NONE) \
  X(LOAD32_AK_ST, 4, AK_ST, NONE, NONE, NONE) \
  X(LOAD32_AK_ASH_ST, 6, AK_ASH_ST, NONE, NONE, NONE) \
  X(LOAD32_AK_ST_W, 5, AK_ST_W, NONE, NONE, NONE) \
  X(LOAD32_AK_ASH_ST_W, 7, AK_ASH_ST_W, NONE, NONE, NONE) \
  X(LOAD32_AK_ST_W_LOOP_F, 5, AK_ST_W, NONE, NONE, NONE) \
  X(LOAD32_AK_ASH_ST_W_LOOP_F, 7, AK_ASH_ST_W, NONE, NONE, NONE) \
  X(LOAD32_AK_SH_ASHB_ST_JMP_F, 7, AK_SH_ASHB_ST, NONE, NONE, NONE) \
  X(STACK_I32_ADD_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_SUB_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_MUL_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_AND_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_OR_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_XOR_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_SHL_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_SHR_U_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(STACK_I32_ROTL_F, 7, ASHW2_ASHB, NONE, NONE, NONE) \
  X(MOV8, 5, REG4, NONE, NONE, NONE) \
  X(SUM3_STORE8_RR, 2, REG, NONE, NONE, NONE) \
  X(SUM3_STORE8_LOOP, 4, MEM2, NONE, NONE, NONE)

/* A loop's step fused with its closing branch on an i32 comparison, and
 * the form against an immediate (notes). */
#define LULLI_OP_L(X, CMP) \
  X(LOOP_##CMP, 3, LOOP, LOOP_##CMP##_I, NONE, NONE) \
  X(LOOP_##CMP##_I, 4, LOOP_C64, NONE, NONE, NONE) \
  X(LOOP_R_##CMP, 3, LOOP, NONE, NONE, NONE)
#define LULLI_OPS_LOOP(X, L) \
  X(LOOP_JZ, 3, LOOP, NONE, NONE, NONE) \
  X(LOOP_JNZ, 3, LOOP, NONE, NONE, NONE) \
  X(LOOP_R_JZ, 3, LOOP, NONE, NONE, NONE) \
  X(LOOP_R_JNZ, 3, LOOP, NONE, NONE, NONE) \
  L(X, I32_EQ) L(X, I32_NE) L(X, I32_LT_S) L(X, I32_LT_U) L(X, I32_GT_S) \
  L(X, I32_GT_U) L(X, I32_LE_S) L(X, I32_LE_U) L(X, I32_GE_S) L(X, I32_GE_U)

/* Fused forms of control flow (compile_branch.c, compile_fuse.c; formats
 * in the notes). */
#define LULLI_OPS_FUSED_CTL(X, B) \
  X(BR_TABLE_L8, 3, TABLE_M, NONE, NONE, NONE) \
  X(BR_TABLE_L32, 3, TABLE_M, NONE, NONE, NONE) \
  X(BR_TABLE_K, 3, TABLE_M, NONE, NONE, NONE) \
  X(BR_TABLE_K_CONST, 3, TABLE_M, NONE, NONE, NONE) \
  X(BR_TABLE_MOV, 2, TABLE, NONE, NONE, NONE) \
  X(BR_TABLE_FETCH, 4, TABLE_F, NONE, NONE, NONE) \
  X(LOOP_JMP, 3, LOOP, NONE, NONE, NONE) \
  X(LOOP_JMP_F, 3, LOOP, NONE, NONE, NONE) \
  X(JMP_BACK_F, 2, JUMP, NONE, NONE, NONE) \
  X(MOV_JMP_BACK_F, 2, JUMP, NONE, NONE, NONE) \
  X(STORE32_MOV_JMP_BACK, 3, STORE_MOV_JUMP, NONE, NONE, NONE) \
  X(STORE32_MOV_JMP_BACK_F, 3, STORE_MOV_JUMP, NONE, NONE, NONE) \
  X(LOOP_A2_I32_NE, 5, LOOP, NONE, NONE, NONE) \
  X(LOOP_RSUB_I32_LT_U, 4, LOOP, NONE, NONE, NONE) \
  B(X, MOV_JMP, 2, JUMP, NONE) \
  B(X, CONST_JMP, 3, JUMP_C64, NONE) \
  B(X, JZ_L32, 3, LOAD_JUMP, NONE) \
  B(X, JNZ_L32, 3, LOAD_JUMP, NONE) \
  B(X, JZ_L8, 3, LOAD_JUMP, NONE) \
  B(X, JNZ_L8, 3, LOAD_JUMP, NONE) \
  X(I32_RSUB_I, 2, I32, NONE, NONE, NONE) \
  X(I64_RSUB_I, 3, C64, NONE, NONE, NONE) \
  X(CALL_MOV2, 3, I32X2, NONE, NONE, NONE) \
  X(CALL_DEF, 2, I32, NONE, NONE, NONE) \
  X(CALL_MOV1, 2, I32, NONE, NONE, NONE) \
  X(CALL_INDIRECT0, 2, I32, NONE, NONE, NONE) \
  X(CALL_INDIRECT0_MOV2, 3, I32X2, NONE, NONE, NONE)

/* A state machine's loop over bytes (compile_branch.c, compile.c;
 * formats in the notes): the class of the next byte and the switch on the
 * state in one, and the loop's closing branches that run them. */
#define LULLI_OPS_FUSED_FSM(X) \
  X(L8_BR_TABLE_MOV, 5, TABLE_L8, NONE, NONE, NONE) \
  X(LOOP_I32_LT_U_SW, 3, LOOP, NONE, NONE, NONE) \
  X(LOOP_I32_NE_SW, 3, LOOP, NONE, NONE, NONE) \
  X(LOOP_RSUB_I32_LT_U_SW, 4, LOOP, NONE, NONE, NONE) \
  X(CONST_JMP_LT_U_SW, 3, JUMP_C64, NONE, NONE, NONE) \
  X(CONST_JMP_NE_SW, 3, JUMP_C64, NONE, NONE, NONE) \
  X(CONST_JMP_RSUB_LT_U_SW, 3, JUMP_C64, NONE, NONE, NONE) \
  X(CONST32_2, 3, I32X2, NONE, NONE, NONE) \
  X(SELECT_K2, 3, I32X2, NONE, NONE, NONE) \
  X(LOOP_MOV_I32_LT_U_I, 3, LOOP, NONE, NONE, NONE)

/* Every op: the scalar ones above, then the v128 ones (ops_simd.h). */
#include "ops_simd.h"
#define LULLI_OPS(X)                                                          \
  LULLI_OPS_SCALAR(X) LULLI_OPS_BRANCH(X, LULLI_OP_B)                         \
  LULLI_OPS_LOOP(X, LULLI_OP_L) LULLI_OPS_FUSED_CTL(X, LULLI_OP_B)             \
  LULLI_OPS_FUSED_MEM(X) LULLI_OPS_FUSED_FSM(X) LULLI_OPS_SIMD(X)

typedef enum lulli_op {
#define X(name, cells, format, imm, back, fused) LULLI_OP_##name,
  LULLI_OPS(X)
#undef X
  LULLI_OP_COUNT_,
  LULLI_OP_NONE = LULLI_OP_COUNT_ /* "no such relative" in the tables */
} lulli_op;

/* The longest op, in cells: compile_fuse.c builds fused forms in a buffer
 * of this size, and test_simd checks every row against it. */
#define LULLI_CELLS_MAX 8

/* Each op's length, as constants NEXT() and the compiler can fold. */
enum {
#define X(name, cells, format, imm, back, fused) LULLI_CELLS_##name = (cells),
  LULLI_OPS(X)
#undef X
};

typedef enum lulli_format {
#define F(name) LULLI_FMT_##name,
  LULLI_FORMATS(F)
#undef F
} lulli_format;

/* What the rows say about an op, by number (opinfo.c). */
typedef struct lulli_opinfo {
  const char *name;
  uint8_t cells;
  uint8_t format;  /* lulli_format */
  uint16_t imm;    /* lulli_op or LULLI_OP_NONE */
  uint16_t back;
  uint16_t fused;
} lulli_opinfo;
LULL_HIDDEN extern const lulli_opinfo lulli_opinfo_table[LULLI_OP_COUNT_];

static inline const lulli_opinfo *lulli_op_info(unsigned op) {
  return &lulli_opinfo_table[op];
}

#endif

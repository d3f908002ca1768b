;; Memory and arithmetic patterns the compiler folds into one instruction
;; (compile_fuse.c): x OP= m in memory, a load's address a + k or a - k
;; kept inside the arithmetic that uses it, SHA-2's rotation sums, four
;; moves, a product of three. Each beside shapes that look alike but must
;; not fold.
(module
  (memory (export "mem") 1)

  ;; m[p + 4] OP= x, each type
  (func (export "i32_add_to") (param $p i32) (param $x i32)
    (i32.store offset=4 (local.get $p)
      (i32.add (i32.load offset=4 (local.get $p)) (local.get $x))))
  (func (export "i32_mul_to") (param $p i32) (param $x i32)
    (i32.store offset=4 (local.get $p)
      (i32.mul (local.get $x) (i32.load offset=4 (local.get $p)))))
  (func (export "i64_add_to") (param $p i32) (param $x i64)
    (i64.store offset=4 (local.get $p)
      (i64.add (i64.load offset=4 (local.get $p)) (local.get $x))))
  (func (export "f32_add_to") (param $p i32) (param $x f32)
    (f32.store offset=4 (local.get $p)
      (f32.add (f32.load offset=4 (local.get $p)) (local.get $x))))
  (func (export "f32_mul_to") (param $p i32) (param $x f32)
    (f32.store offset=4 (local.get $p)
      (f32.mul (f32.load offset=4 (local.get $p)) (local.get $x))))
  (func (export "f64_add_to") (param $p i32) (param $x f64)
    (f64.store offset=1000 (local.get $p)
      (f64.add (f64.load offset=1000 (local.get $p)) (local.get $x))))
  (func (export "f64_mul_to") (param $p i32) (param $x f64)
    (f64.store offset=4 (local.get $p)
      (f64.mul (local.get $x) (f64.load offset=4 (local.get $p)))))
  ;; not x OP= m: another offset, a narrower store, another address
  (func (export "add_elsewhere") (param $p i32) (param $x i32)
    (i32.store offset=8 (local.get $p)
      (i32.add (i32.load offset=4 (local.get $p)) (local.get $x))))
  (func (export "add_narrow") (param $p i32) (param $x i32)
    (i32.store8 offset=4 (local.get $p)
      (i32.add (i32.load offset=4 (local.get $p)) (local.get $x))))
  (func (export "add_other") (param $p i32) (param $q i32) (param $x i32)
    (i32.store offset=4 (local.get $q)
      (i32.add (i32.load offset=4 (local.get $p)) (local.get $x))))
  ;; the load's address with k, its own wrap at 32 bits before the offset
  (func (export "f64_mul_sub_k") (param $p i32) (param $x f64) (result f64)
    (f64.mul (local.get $x)
      (f64.load offset=1001 (i32.sub (local.get $p) (i32.const 8)))))
  (func (export "i32_mul_add_k") (param $p i32) (param $x i32) (result i32)
    (i32.mul (i32.load offset=2 (i32.add (local.get $p) (i32.const 8)))
             (local.get $x)))
  ;; c[j] += a * b[j], the inner loop of matrix code, n elements; the
  ;; second of each pair loads c[j] first, which does not fold
  (func (export "axpy") (param $c i32) (param $b i32) (param $a f64)
                        (param $n i32)
    (loop $l
      (f64.store (local.get $c)
        (f64.add (f64.mul (local.get $a) (f64.load (local.get $b)))
                 (f64.load (local.get $c))))
      (f64.store offset=8 (local.get $c)
        (f64.add (f64.load offset=8 (local.get $c))
                 (f64.mul (local.get $a)
                   (f64.load (i32.add (local.get $b) (i32.const 8))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

;; s += a[i] * b[i], and c[j] += x * b[j] on i32 values, n elements
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32)
                       (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.mul (i32.load (local.get $a)) (i32.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "axpy32") (param $c i32) (param $b i32) (param $x i32)
                          (param $n i32)
    (loop $l
      (i32.store (local.get $c)
        (i32.add (i32.load (local.get $c))
                 (i32.mul (local.get $x) (i32.load (local.get $b)))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

;; c[0] += x * b[0] once, and the value without the store, with offsets
  ;; of their own to find each load by
  (func (export "madd32") (param $c i32) (param $b i32) (param $x i32)
    (i32.store offset=1004 (local.get $c)
      (i32.add (i32.load offset=1004 (local.get $c))
               (i32.mul (local.get $x) (i32.load offset=1005 (local.get $b))))))
  (func (export "madd64") (param $c i32) (param $b i32) (param $x f64)
    (f64.store offset=1006 (local.get $c)
      (f64.add (f64.mul (local.get $x) (f64.load offset=1007 (local.get $b)))
               (f64.load offset=1006 (local.get $c)))))
  (func (export "madd32_value") (param $c i32) (param $b i32) (param $x i32)
                                (result i32)
    (i32.add (i32.load offset=1008 (local.get $c))
             (i32.mul (i32.load offset=1009 (local.get $b)) (local.get $x))))

;; two elements an iteration, the second one's address c + 4 (c + 8)
  ;; kept in a local, as unrolled matrix loops have it; returns that
  ;; local's last value
  (func (export "axpy32x2") (param $c i32) (param $b i32) (param $x i32)
                            (param $n i32) (result i32)
    (local $c1 i32)
    (loop $l
      (i32.store (local.get $c)
        (i32.add (i32.load (local.get $c))
                 (i32.mul (i32.load (local.get $b)) (local.get $x))))
      (local.set $c1 (i32.add (local.get $c) (i32.const 4)))
      (i32.store offset=1016 (local.get $c1)
        (i32.add (i32.load offset=1016 (local.get $c1))
                 (i32.mul (i32.load offset=4 (local.get $b)) (local.get $x))))
      (local.set $c (i32.add (local.get $c) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $c1))
  (func (export "axpy64x2") (param $c i32) (param $b i32) (param $x f64)
                            (param $n i32) (result i32)
    (local $c1 i32)
    (loop $l
      (f64.store (local.get $c)
        (f64.add (f64.mul (local.get $x) (f64.load (local.get $b)))
                 (f64.load (local.get $c))))
      (local.set $c1 (i32.add (local.get $c) (i32.const 8)))
      (f64.store offset=1017 (local.get $c1)
        (f64.add (f64.mul (local.get $x) (f64.load offset=1018 (local.get $b)))
                 (f64.load offset=1017 (local.get $c1))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $c1))

  ;; stores each followed by a step of their pointer, every width; the
  ;; pointer wraps at 32 bits
  (func (export "steps") (param $p i32) (param $x i64) (result i32)
    (i64.store offset=1002 (local.get $p) (local.get $x))
    (local.set $p (i32.add (local.get $p) (i32.const 8)))
    (i32.store offset=1002 (local.get $p) (i32.wrap_i64 (local.get $x)))
    (local.set $p (i32.add (local.get $p) (i32.const 4)))
    (i64.store16 offset=1002 (local.get $p) (local.get $x))
    (local.set $p (i32.add (local.get $p) (i32.const 2)))
    (i64.store8 offset=1002 (local.get $p) (local.get $x))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (local.get $p))

  ;; loads from a + b, the sum kept in a local and used again; a + b
  ;; wraps at 32 bits
  (func (export "load_sums") (param $a i32) (param $b i32) (result i64)
    (local $w i32)
    (local.set $w (i32.add (local.get $a) (local.get $b)))
    (i64.add
      (i64.add (i64.load offset=1003 (local.get $w))
               (i64.extend_i32_u (i32.load offset=8 (local.get $w))))
      (i64.add (i64.load16_u offset=12 (local.get $w))
               (i64.load8_u offset=14 (local.get $w)))))
  (func (export "load_narrow_sums") (param $a i32) (param $b i32)
                                    (result i32)
    (local $w i32)
    (i32.add
      (i32.add
        (i32.load8_u (local.tee $w (i32.add (local.get $a) (local.get $b))))
        (i32.load16_u offset=1 (i32.add (local.get $w) (local.get $b))))
      (i32.load offset=2 (i32.add (local.get $b) (local.get $w)))))

;; constants stored at p + k (p - k), each width, as memset's loops do
  (func (export "store_consts_k") (param $p i32)
    (i64.store offset=1010 (i32.add (local.get $p) (i32.const 8))
               (i64.const 0x0807060504030201))
    (i32.store offset=1010 (i32.add (local.get $p) (i32.const 16))
               (i32.const 0x0c0b0a09))
    (i32.store16 offset=1010 (i32.sub (local.get $p) (i32.const -20))
                 (i32.const 0x0e0d))
    (i64.store8 offset=1010 (i32.add (local.get $p) (i32.const 22))
                (i64.const 0x10f)))

  ;; table[(i << 2) + base], with and without the base
  (func (export "table") (param $i i32) (result i32)
    (i32.add
      (i32.load offset=1011 (i32.add (i32.shl (local.get $i) (i32.const 2))
                                     (i32.const 64)))
      (i32.load offset=3 (i32.shl (local.get $i) (i32.const 34)))))

  ;; SHA-256's choose and majority, and the same bits in other orders
  (func (export "choose") (param $e i32) (param $f i32) (param $g i32)
                          (result i32)
    (i32.xor (i32.and (local.get $e) (local.get $f))
             (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))
  (func (export "majority") (param $a i32) (param $b i32) (param $c i32)
                            (result i32)
    (i32.xor (i32.and (i32.xor (local.get $b) (local.get $c)) (local.get $a))
             (i32.and (local.get $b) (local.get $c))))
  (func (export "bits_swapped") (param $a i32) (param $b i32) (param $c i32)
                                (result i32)
    (i32.add
      (i32.and (local.get $c) (i32.xor (local.get $a) (local.get $b)))
      (i32.xor (local.get $c) (i32.and (local.get $a) (local.get $b)))))
  (func (export "not_all_ones") (param $a i32) (param $b i32) (result i32)
    (i32.and (local.get $a) (i32.xor (local.get $b) (i32.const -2))))

  ;; f64 operations with a constant on either side
  (func (export "f64_consts") (param $x f64) (result f64)
    (f64.add
      (f64.add (f64.add (local.get $x) (f64.const 0.1))
               (f64.mul (f64.const 3.0) (local.get $x)))
      (f64.add (f64.sub (local.get $x) (f64.const 0.7))
               (f64.sub (f64.const 0.7) (local.get $x)))))
  (func (export "f64_divs") (param $x f64) (result f64)
    (f64.sub (f64.div (local.get $x) (f64.const 3.0))
             (f64.div (f64.const 3.0) (local.get $x))))

;; a body's velocity updated by a force, v -= dx * m * k and
  ;; w += dx * m * k, and the value of x - dx * m * k
  (func (export "kick") (param $v i32) (param $w i32) (param $dx f64)
                        (param $m f64) (param $k f64)
    (f64.store offset=1012 (local.get $v)
      (f64.sub (f64.load offset=1012 (local.get $v))
               (f64.mul (f64.mul (local.get $dx) (local.get $m))
                        (local.get $k))))
    (f64.store offset=1013 (local.get $w)
      (f64.add (f64.mul (f64.mul (local.get $dx) (local.get $m))
                        (local.get $k))
               (f64.load offset=1013 (local.get $w)))))
  (func (export "kick_value") (param $x f64) (param $dx f64) (param $m f64)
                              (param $k f64) (result f64)
    (f64.sub (local.get $x)
             (f64.mul (f64.mul (local.get $dx) (local.get $m))
                      (local.get $k))))

;; a pointer stepped, then read through before a branch or a store: the
  ;; first word at or after p + 4 that is not below $lim, and a copy
  ;; backwards of bytes and of 8-byte words
  (func (export "find") (param $p i32) (param $lim i32) (result i32)
    (loop $l
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (i32.lt_u (i32.load offset=1014 (local.get $p))
                          (local.get $lim))))
    (local.get $p))
  (func (export "copy_back") (param $p i32) (param $q i32)
    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
    (i32.store8 (local.get $q) (i32.load8_u offset=2 (local.get $p)))
    (local.set $p (i32.sub (local.get $p) (i32.const 8)))
    (i64.store offset=1 (local.get $q) (i64.load (local.get $p))))
  (func (export "v128_sum") (param $a i32) (param $b i32) (result i32)
    (local $w i32)
    (i32.add
      (i32x4.extract_lane 1
        (v128.load offset=1015 (local.tee $w (i32.add (local.get $a)
                                                     (local.get $b)))))
      (local.get $w)))
  (func (export "add4") (param i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2))
             (local.get 3)))

;; fields of a body at q - 24 and q - 40000 updated through a local;
  ;; returns the local's last value
  (func (export "kick_fields") (param $q i32) (param $dx f64) (param $m f64)
                               (param $k f64) (result i32)
    (local $p i32)
    (local.set $p (i32.sub (local.get $q) (i32.const 24)))
    (f64.store offset=1019 (local.get $p)
      (f64.add (f64.mul (f64.mul (local.get $dx) (local.get $m))
                        (local.get $k))
               (f64.load offset=1019 (local.get $p))))
    (local.set $p (i32.sub (local.get $q) (i32.const 40000)))
    (f64.store offset=1019 (local.get $p)
      (f64.add (f64.mul (f64.mul (local.get $dx) (local.get $m))
                        (local.get $k))
               (f64.load offset=1019 (local.get $p))))
    (local.get $p))

;; a[i] and a[i + 24] of 32-bit elements, as a stack machine reads its
  ;; stack; all of a + (i << 2) + 96 wraps at 32 bits
  (func (export "elements") (param $a i32) (param $i i32) (result i32)
    (i32.sub
      (i32.load offset=1020 (i32.add (local.get $a)
                                     (i32.shl (local.get $i) (i32.const 2))))
      (i32.load (i32.add (i32.add (local.get $a)
                                  (i32.shl (local.get $i) (i32.const 2)))
                         (i32.const 96)))))

;; a stack machine's push to b + 96 + (sp << 2) + 1021, its top's
  ;; address (sp << 2) + b - 8 kept in a local and read at + 1022, a slot
  ;; read at (b + 96) + (sp << 2) + 1023, and a lookalike whose shifted
  ;; value is the sum: b + ((i + 3) << 2)
  (func (export "push") (param $b i32) (param $sp i32) (param $v i32)
    (i32.store offset=1021
      (i32.add (i32.add (local.get $b) (i32.const 96))
               (i32.shl (local.get $sp) (i32.const 2)))
      (local.get $v)))
  (func (export "top") (param $b i32) (param $sp i32) (result i32)
    (local $p i32)
    (i32.add
      (i32.load offset=1022
        (local.tee $p (i32.sub (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                        (local.get $b))
                               (i32.const 8))))
      (local.get $p)))
  (func (export "peek") (param $b i32) (param $sp i32) (result i32)
    (i32.load offset=1023
      (i32.add (i32.add (local.get $b) (i32.const 96))
               (i32.shl (local.get $sp) (i32.const 2)))))
  (func (export "index_sum") (param $b i32) (param $i i32) (result i32)
    (i32.add (local.get $b)
             (i32.shl (i32.add (local.get $i) (i32.const 3)) (i32.const 2))))

  ;; a bytecode loop's fetch: in = pc << 3 (a shift of 35 is one of 3),
  ;; pc += 1, then the byte at in + 1041; and a lookalike whose step adds
  ;; to the shifted value
  (func (export "fetch") (param $pc i32) (param $n i32) (result i32)
    (local $in i32) (local $s i32)
    (loop $l
      (local.set $in (i32.shl (local.get $pc) (i32.const 35)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31))
                             (i32.load8_u offset=1041 (local.get $in))))
      (br_if $l (i32.lt_u (local.get $pc) (local.get $n))))
    (i32.add (local.get $s) (local.get $in)))
  (func (export "shift_step") (param $x i32) (result i32)
    (local $y i32)
    (local.set $y (i32.shl (local.get $x) (i32.const 3)))
    (local.set $y (i32.add (local.get $y) (i32.const 5)))
    (local.get $y))

  ;; a stack slot copied to q: mem[q + 1037] = the element at
  ;; (b + 96) + (sp << 2) + 1038; an element stored at itself, its value
  ;; the address too
  (func (export "copy_slot") (param $b i32) (param $sp i32) (param $q i32)
    (i32.store offset=1037 (local.get $q)
      (i32.load offset=1038
        (i32.add (i32.add (local.get $b) (i32.const 96))
                 (i32.shl (local.get $sp) (i32.const 2))))))
  (func (export "self_slot") (param $b i32) (param $sp i32)
    (local $x i32)
    (i32.store offset=1039
      (local.tee $x (i32.load offset=1040
                      (i32.add (local.get $b)
                               (i32.shl (local.get $sp) (i32.const 2)))))
      (local.get $x)))

  ;; a stack slot's address (sp << 2) + b + 88 kept in a local, then the
  ;; slot at it + 1054 read: the value plus three times the address
  (func (export "slot_kept") (param $b i32) (param $sp i32) (result i32)
    (local $p i32)
    (i32.add
      (i32.load offset=1054
        (local.tee $p (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                        (local.get $b))
                               (i32.const 88))))
      (i32.mul (local.get $p) (i32.const 3))))

  ;; a stack's pop: sp - 1 kept in a local, then the slot (b + 96) +
  ;; (sp << 2) + 1051 it points at, stored at q + 1050; the same read
  ;; and added to n * 1000; a lookalike whose base is sp before its step
  (func (export "pop_to") (param $b i32) (param $sp i32) (param $q i32)
    (result i32)
    (i32.store offset=1050 (local.get $q)
      (i32.load offset=1051
        (i32.add (i32.add (local.get $b) (i32.const 96))
                 (i32.shl (local.tee $sp (i32.sub (local.get $sp) (i32.const 1)))
                          (i32.const 2)))))
    (local.get $sp))
  (func (export "pop_plus") (param $b i32) (param $sp i32) (result i32)
    (local $n i32)
    (i32.add
      (i32.load offset=1052
        (i32.add (i32.add (local.get $b) (i32.const 96))
                 (i32.shl (local.tee $n (i32.sub (local.get $sp) (i32.const 1)))
                          (i32.const 2))))
      (i32.mul (local.get $n) (i32.const 1000))))
  (func (export "pop_base") (param $sp i32) (result i32)
    (i32.load offset=1053
      (i32.add (i32.add (local.get $sp) (i32.const 96))
               (i32.shl (local.tee $sp (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 2)))))

  ;; a stack machine's binary operation, as clang writes it: the slot
  ;; address (sp << 2) + b + 88 kept in $p (and on the stack for the
  ;; store) while $p becomes sp - 1, then slot sp - 2 of the stack at
  ;; b + 96, less slot sp - 1, stored back; returns sp - 1
  (func (export "stack_binop") (param $b i32) (param $sp i32) (result i32)
    (local $p i32)
    (i32.store offset=1060
      (local.tee $p (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                      (local.get $b))
                             (i32.const 88)))
      (i32.sub
        (i32.load offset=1060 (local.get $p))
        (i32.load offset=1061
          (i32.add (i32.add (local.get $b) (i32.const 96))
                   (i32.shl (local.tee $p (i32.sub (local.get $sp)
                                                   (i32.const 1)))
                            (i32.const 2))))))
    (local.get $p))

  ;; a word copied from p + 12 + 1070 to q + 1071 (LOAD32_AK_ST), and
  ;; from p + 1072 to q + 1073 (LOAD32 then STORE32); return q
  (func (export "word_copy") (param $p i32) (param $q i32) (result i32)
    (i32.store offset=1071 (local.get $q)
      (i32.load offset=1070 (i32.add (local.get $p) (i32.const 12))))
    (local.get $q))
  (func (export "word_copy0") (param $p i32) (param $q i32) (result i32)
    (i32.store offset=1073 (local.get $q) (i32.load offset=1072 (local.get $p)))
    (local.get $q))

  ;; a VM pushing one of its registers: the index loaded from
  ;; at + 1044 + 1074, the register at r + 1075 + (index << 2), stored
  ;; at q + 1076 (LOAD32_AK_ASH_ST); return q
  (func (export "push_reg") (param $at i32) (param $r i32) (param $q i32)
    (result i32)
    (i32.store offset=1076 (local.get $q)
      (i32.load offset=1075
        (i32.add (local.get $r)
                 (i32.shl (i32.load offset=1074
                            (i32.add (local.get $at) (i32.const 1044)))
                          (i32.const 2)))))
    (local.get $q))

  ;; the same two pushed on a stack at b + 96, the slot's address
  ;; (sp << 2) + b + 96 made before the loads (LOAD32_AK_ST_W,
  ;; LOAD32_AK_ASH_ST_W): a word from at + 1044 + 1078 stored at the slot
  ;; + 1077; register r + 1080 + (index << 2), its index at
  ;; at + 1044 + 1081, stored at the slot + 1079
  (func (export "push_word") (param $b i32) (param $sp i32) (param $at i32)
    (result i32)
    (i32.store offset=1077
      (i32.add (i32.add (local.get $b) (i32.const 96))
               (i32.shl (local.get $sp) (i32.const 2)))
      (i32.load offset=1078 (i32.add (local.get $at) (i32.const 1044))))
    (local.get $sp))
  (func (export "push_reg_top") (param $b i32) (param $sp i32) (param $at i32)
    (param $r i32) (result i32)
    (i32.store offset=1079
      (i32.add (i32.add (local.get $b) (i32.const 96))
               (i32.shl (local.get $sp) (i32.const 2)))
      (i32.load offset=1080
        (i32.add (local.get $r)
                 (i32.shl (i32.load offset=1081
                            (i32.add (local.get $at) (i32.const 1044)))
                          (i32.const 2)))))
    (local.get $sp))

  ;; a VM setting one of its registers from a pop (LOAD32_AK_SH_ASHB_ST):
  ;; the index loaded from at + 1044 + 1082, the register r + (index << 2)
  ;; + 1083, the popped slot b + 96 + ((sp - 1) << 2) + 1084; return the
  ;; new sp
  (func (export "pop_to_reg") (param $b i32) (param $sp i32) (param $at i32)
    (param $r i32) (result i32)
    (i32.store offset=1083
      (i32.add (local.get $r)
               (i32.shl (i32.load offset=1082
                          (i32.add (local.get $at) (i32.const 1044)))
                        (i32.const 2)))
      (i32.load offset=1084
        (i32.add (i32.add (local.get $b) (i32.const 96))
                 (i32.shl (local.tee $sp (i32.sub (local.get $sp)
                                                  (i32.const 1)))
                          (i32.const 2)))))
    (local.get $sp))

  ;; an unrolled loop's two pointer steps before its counter's step and
  ;; closing branch on i != n; a lookalike closing on i < n
  (func (export "two_steps") (param $p i32) (param $q i32) (param $n i32)
    (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3))
                             (i32.xor (local.get $p) (local.get $q))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const -3)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                        (local.get $n))))
    (i32.xor (local.get $s) (i32.mul (local.get $p) (local.get $q))))
  (func (export "two_steps_lt") (param $p i32) (param $q i32) (param $n i32)
    (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3))
                             (i32.xor (local.get $p) (local.get $q))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const -3)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n))))
    (i32.xor (local.get $s) (i32.mul (local.get $p) (local.get $q))))

  ;; a byte's class from a table, cls[text[p + 5] - 3], the byte kept in
  ;; a local; the same without constants; a lookalike whose second load
  ;; reads at p
  (func (export "class_of") (param $p i32) (result i32)
    (local $x i32)
    (i32.add
      (i32.load8_u offset=1030
        (i32.add (local.tee $x (i32.load8_u offset=1031
                                 (i32.add (local.get $p) (i32.const 5))))
                 (i32.const -3)))
      (i32.mul (local.get $x) (i32.const 256))))
  (func (export "class_plain") (param $p i32) (result i32)
    (i32.load8_u offset=1033 (i32.load8_u offset=1034 (local.get $p))))
  (func (export "two_bytes") (param $p i32) (result i32)
    (i32.sub (i32.load8_u offset=1035 (local.get $p))
             (i32.load8_u offset=1036 (local.get $p))))
  ;; bytes of two rows side by side, a[i] and b[i] (addresses kept in
  ;; locals), then a[i + 1] and b[i + 1]: two pairs of loads in a row
  (func (export "byte_pairs") (param $a i32) (param $b i32) (param $i i32)
    (result i32) (local $x i32) (local $y i32)
    (i32.add
      (i32.add
        (i32.load8_u offset=1051
          (local.tee $x (i32.add (local.get $a) (local.get $i))))
        (i32.shl (i32.load8_u offset=1052
                   (local.tee $y (i32.add (local.get $b) (local.get $i))))
                 (i32.const 8)))
      (i32.shl
        (i32.add
          (i32.load8_u offset=1053 (i32.add (local.get $x) (i32.const 1)))
          (i32.shl (i32.load8_u offset=1054
                     (i32.add (local.get $y) (i32.const 1)))
                   (i32.const 8)))
        (i32.const 16))))

  ;; bytes added to a sum, shifted (a row's weights) or not: one added on
  ;; the left, one from a + b kept in a local (which wraps at 32 bits),
  ;; one from a + 7, one from the local itself
  (func (export "byte_sums") (param $a i32) (param $b i32) (param $x i32)
                             (result i32) (local $w i32)
    (i32.xor
      (i32.add
        (i32.add
          (i32.add
            (i32.add (i32.load8_u offset=1183 (local.get $b)) (local.get $x))
            (i32.shl
              (i32.load8_u offset=1180
                (local.tee $w (i32.add (local.get $a) (local.get $b))))
              (i32.const 1)))
          (i32.load8_u offset=1181 (i32.add (local.get $a) (i32.const 7))))
        (i32.shl (i32.load8_u offset=1182 (local.get $w)) (i32.const 3)))
      (i32.shl (local.get $w) (i32.const 16))))

  ;; bytes stored straight from the arithmetic that made them: two at q
  ;; (no step after them), then six at p, each followed by p's step; the
  ;; sums wrap at 32 bits before their shifts
  ;; A 3-point blur of a row of 64 bytes, two points per iteration, as C
  ;; compilers write it: d[x] = (c[x] + a[x] + 2 * b[x] + 2) >> 2 (each
  ;; point one run of ops in one handler: SUM3_STORE8_RR, then
  ;; SUM3_STORE8_LOOP with the loop's closing branch).
  (func (export "blend") (param $d i32) (param $a i32) (param $b i32)
                         (param $c i32)
    (local $x i32) (local $pd i32) (local $pc i32) (local $pa i32)
    (local $pb i32)
    (loop $l
      (i32.store8 offset=1430
        (local.tee $pd (i32.add (local.get $d) (local.get $x)))
        (i32.shr_u
          (i32.add
            (i32.add
              (i32.load8_u offset=1400
                (local.tee $pc (i32.add (local.get $c) (local.get $x))))
              (i32.add
                (i32.load8_u offset=1410
                  (local.tee $pa (i32.add (local.get $a) (local.get $x))))
                (i32.shl
                  (i32.load8_u offset=1420
                    (local.tee $pb (i32.add (local.get $b) (local.get $x))))
                  (i32.const 1))))
            (i32.const 2))
          (i32.const 2)))
      (i32.store8 offset=1470
        (i32.add (local.get $pd) (i32.const 1))
        (i32.shr_u
          (i32.add
            (i32.add
              (i32.load8_u offset=1440
                (i32.add (local.get $pc) (i32.const 1)))
              (i32.add
                (i32.load8_u offset=1450
                  (i32.add (local.get $pa) (i32.const 1)))
                (i32.shl
                  (i32.load8_u offset=1460
                    (i32.add (local.get $pb) (i32.const 1)))
                  (i32.const 1))))
            (i32.const 2))
          (i32.const 2)))
      (br_if $l
        (i32.ne (local.tee $x (i32.add (local.get $x) (i32.const 2)))
                (i32.const 64)))))

  (func (export "byte_values") (param $p i32) (param $q i32) (param $a i32)
                               (param $b i32) (result i32)
    (i32.store8 offset=1170 (local.get $q)
      (i32.shr_u (i32.add (i32.add (local.get $a) (local.get $b))
                          (i32.const 9))
                 (i32.const 28)))
    (i32.store8 offset=1171 (local.get $q)
      (i32.shr_u (local.get $a) (i32.const 3)))
    (i32.store8 offset=1160 (local.get $p)
      (i32.shr_u (i32.add (i32.add (local.get $a) (local.get $b))
                          (i32.const 2))
                 (i32.const 2)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (i32.store8 offset=1161 (local.get $p)
      (i32.add (local.get $a) (local.get $b)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (i32.store8 offset=1162 (local.get $p)
      (i32.shr_u (i32.add (local.get $a) (i32.const 5)) (i32.const 28)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (i32.store8 offset=1163 (local.get $p)
      (i32.sub (local.get $a) (i32.const 3)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    ;; a shift by 36 is a shift by 4
    (i32.store8 offset=1164 (local.get $p)
      (i32.shr_u (local.get $b) (i32.const 36)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (i32.store8 offset=1165 (local.get $p)
      (i32.add (local.get $b) (i32.const 7)))
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (local.get $p))

  ;; SHA-256's big sigma 1 and small sigma 0, and lookalikes
  (func (export "sigma1") (param $x i32) (result i32)
    (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 26))
                      (i32.rotl (local.get $x) (i32.const 21)))
             (i32.rotl (local.get $x) (i32.const 7))))
  (func (export "small_sigma0") (param $x i32) (result i32)
    (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 25))
                      (i32.rotl (local.get $x) (i32.const 14)))
             (i32.shr_u (local.get $x) (i32.const 3))))
  (func (export "rot2") (param $x i32) (result i32)
    (i32.xor (i32.rotl (local.get $x) (i32.const 35))
             (i32.rotl (local.get $x) (i32.const 1))))
  (func (export "rot_two_values") (param $x i32) (param $y i32) (result i32)
    (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 3))
                      (i32.rotl (local.get $y) (i32.const 5)))
             (i32.rotl (local.get $x) (i32.const 9))))
  ;; the value rotated is the temporary itself: x' = rotl(x, 3), then
  ;; rotl(x', 5) ^ rotl(x', 7) reads x' after it was written
  (func (export "rot_chain") (param $x i32) (result i32)
    (local.set $x (i32.rotl (local.get $x) (i32.const 3)))
    (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 5))
                      (i32.rotl (local.get $x) (i32.const 7)))
             (i32.shr_u (local.get $x) (i32.const 11))))
  ;; a value subtracted from a constant where the body's paths join,
  ;; then the loop's step and closing branch; the subtraction's result
  ;; is the next iteration's operand (and the bound, in "rsub_bound")
  (func (export "rsub_loop") (param $n i32) (result i32)
    (local $i i32) (local $s i32) (local $neg i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $s (i32.add (local.get $s) (local.get $neg))))
        (else (local.set $s (i32.xor (local.get $s) (local.get $i)))))
      (local.set $neg (i32.sub (i32.const 7) (local.get $s)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n))))
    (i32.add (local.get $s) (local.get $neg)))
  (func (export "rsub_bound") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $i (i32.add (local.get $i) (i32.const 2)))))
      (local.set $n (i32.sub (i32.const 40) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (local.get $n))))
    (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $n)))
  ;; the sums added at once: to one value, to two (the second addition
  ;; folding in after the first, or the two additions summed first), and
  ;; a sum added to a sum of the value it rotates
  (func (export "sigma1_add") (param $x i32) (param $y i32) (param $z i32)
    (result i32)
    (i32.add (i32.add (local.get $y)
                      (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 26))
                                        (i32.rotl (local.get $x) (i32.const 21)))
                               (i32.rotl (local.get $x) (i32.const 7))))
             (local.get $z)))
  (func (export "sigma0_add") (param $x i32) (param $y i32) (param $z i32)
    (result i32)
    (i32.add (local.get $y)
             (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 25))
                               (i32.rotl (local.get $x) (i32.const 14)))
                      (i32.shr_u (local.get $x) (i32.const 3)))))
  (func (export "sigma0_add_sum") (param $x i32) (param $y i32) (param $z i32)
    (result i32)
    (i32.add (i32.xor (i32.xor (i32.rotl (local.get $x) (i32.const 25))
                               (i32.rotl (local.get $x) (i32.const 14)))
                      (i32.shr_u (local.get $x) (i32.const 3)))
             (i32.add (local.get $y) (local.get $z))))
  (func (export "sigma1_add_twice") (param $x i32) (param $y i32) (param $z i32)
    (result i32)
    (i32.add (i32.add (local.get $y) (local.get $z))
             (i32.add (i32.xor (i32.xor (i32.rotl (local.get $y) (i32.const 26))
                                        (i32.rotl (local.get $y) (i32.const 21)))
                               (i32.rotl (local.get $y) (i32.const 7)))
                      (local.get $x))))
  ;; a big-endian load as clang writes it for Wasm, and a lookalike whose
  ;; masks differ (no byte swap)
  (func (export "load_be32") (param $p i32) (result i32)
    (local $x i32)
    (local.set $x (i32.load (local.get $p)))
    (i32.or (i32.or (i32.shl (local.get $x) (i32.const 24))
                    (i32.and (i32.shl (local.get $x) (i32.const 8))
                             (i32.const 0xff0000)))
            (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8))
                             (i32.const 0xff00))
                    (i32.shr_u (local.get $x) (i32.const 24)))))
  (func (export "be32_lookalike") (param $x i32) (result i32)
    (i32.or (i32.or (i32.shl (local.get $x) (i32.const 24))
                    (i32.and (i32.shl (local.get $x) (i32.const 8))
                             (i32.const 0xff00ff)))
            (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8))
                             (i32.const 0xff00))
                    (i32.shr_u (local.get $x) (i32.const 24)))))

  ;; eight variables rotating, as in a hash's rounds
  (func (export "rotate8") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32) (local $t i32)
    (local.set $a (i32.const 1)) (local.set $b (i32.const 2))
    (local.set $c (i32.const 3)) (local.set $d (i32.const 4))
    (local.set $e (i32.const 5)) (local.set $f (i32.const 6))
    (local.set $g (i32.const 7)) (local.set $h (i32.const 8))
    (loop $l
      (local.set $t (i32.add (i32.mul (local.get $h) (i32.const 3))
                             (local.get $a)))
      (local.set $h (local.get $g))
      (local.set $g (local.get $f))
      (local.set $f (local.get $e))
      (local.set $e (local.get $d))
      (local.set $d (local.get $c))
      (local.set $c (local.get $b))
      (local.set $b (local.get $a))
      (local.set $a (local.get $t))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.xor (i32.xor (i32.xor (local.get $a) (i32.shl (local.get $b) (i32.const 4)))
                      (i32.xor (i32.shl (local.get $c) (i32.const 8))
                               (i32.shl (local.get $d) (i32.const 12))))
             (i32.xor (i32.xor (i32.shl (local.get $e) (i32.const 16))
                               (i32.shl (local.get $f) (i32.const 20)))
                      (i32.xor (i32.shl (local.get $g) (i32.const 24))
                               (i32.shl (local.get $h) (i32.const 28))))))

  ;; (a * b) * c, and a * b * c grouped the other ways
  (func (export "mul3") (param f64 f64 f64) (result f64)
    (f64.mul (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "mul3_right") (param f64 f64 f64) (result f64)
    (f64.mul (local.get 2) (f64.mul (local.get 0) (local.get 1))))
  (func (export "mul3_inner") (param f64 f64 f64) (result f64)
    (f64.mul (local.get 0) (f64.mul (local.get 1) (local.get 2))))
)

;; Patterns the compiler fuses into one instruction (compile_fuse.c), at
;; their edges: an address a + k that wraps at 32 bits, operand order of
;; subtraction, moves that depend on each other, traps inside a pair.
(module
  (memory (export "mem") 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  (data (i32.const 65528) "\11\12\13\14\15\16\17\18")

  ;; a + 8 wraps to 0 when a = 0xfffffff8: the load reads address 0.
  (func (export "load_ak") (param i32) (result i64)
    (i64.load (i32.add (local.get 0) (i32.const 8))))
  (func (export "load8_ak") (param i32) (result i32)
    (i32.load8_s offset=1 (i32.add (local.get 0) (i32.const 0x7f))))
  (func (export "store_ak") (param i32 i32) (result i32)
    (i32.store16 (i32.add (local.get 0) (i32.const 16)) (local.get 1))
    (i32.load (i32.const 0)))

  (func (export "f64_mem") (param f64 i32) (result f64)
    (f64.sub (f64.mul (local.get 0) (f64.load (local.get 1)))
             (f64.load offset=8 (local.get 1))))
  (func (export "f64_add_mem") (param f64 i32) (result f64)
    (f64.add (f64.load (local.get 1)) (local.get 0)))
  ;; the loaded value on the left of a subtraction does not fuse
  (func (export "f64_sub_left") (param f64 i32) (result f64)
    (f64.sub (f64.load (local.get 1)) (local.get 0)))
  (func (export "f32_mem") (param f32 i32) (result f32)
    (f32.add (f32.mul (local.get 0) (f32.load (local.get 1)))
             (f32.sub (local.get 0) (f32.load offset=4 (local.get 1)))))
  (func (export "int_mem") (param i32 i64 i32) (result i64)
    (i64.add (i64.extend_i32_u (i32.add (local.get 0) (i32.load (local.get 2))))
             (i64.add (local.get 1) (i64.load (local.get 2)))))
  (func (export "store_f64") (param f64 i32)
    (f64.store (local.get 1) (local.get 0)))

  (func (export "xorshift") (param i32) (result i32)
    (local.set 0 (i32.xor (local.get 0) (i32.shl (local.get 0) (i32.const 13))))
    (local.set 0 (i32.xor (i32.shr_u (local.get 0) (i32.const 17)) (local.get 0)))
    (local.set 0 (i32.xor (local.get 0) (i32.rotl (local.get 0) (i32.const 5))))
    (local.get 0))
  (func (export "add3") (param i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2))
             (i32.add (local.get 3) (i32.add (local.get 0) (local.get 0)))))

  ;; an element's address, the shifted index on either side of the add;
  ;; the shift count is taken modulo 32
  (func (export "index") (param i32 i32) (result i32)
    (i32.xor (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))
             (i32.add (i32.shl (local.get 1) (i32.const 35)) (local.get 0))))

  ;; stores of constants, each narrowed to its width, at addr + 100
  (func (export "store_consts") (param i32) (result i64)
    (i32.store8 offset=100 (local.get 0) (i32.const 0x1ff))
    (i32.store16 offset=101 (local.get 0) (i32.const 0x12345))
    (i64.store32 offset=103 (local.get 0) (i64.const 0x7766554433))
    (i64.load offset=100 (local.get 0)))
  (func (export "store_const64") (param i32) (result i64)
    (f64.store offset=100 (local.get 0) (f64.const -2.5))
    (i64.load offset=100 (local.get 0)))

  ;; loops closed by their step and a branch back: comparisons of either
  ;; operand order, signed and unsigned, against a local or a constant
  (func (export "loops") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (local.set $i (i32.sub (i32.const 0) (local.get $n)))
    (loop $a
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $a (i32.lt_s (local.get $i) (local.get $n))))
    (local.set $i (local.get $n))
    (loop $b
      (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $b (local.get $i)))
    (loop $c
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $c (i32.ne (local.get $i) (i32.const 40))))
    (local.set $i (i32.const 0))
    (loop $d
      (local.set $s (i32.sub (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $d (i32.gt_u (local.get $n) (local.get $i))))
    (local.set $i (local.get $n))
    (loop $e
      (local.set $s (i32.rotl (local.get $s) (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 2)))
      (br_if $e (i32.ge_s (local.get $i) (i32.const -5))))
    (i32.xor (local.get $s) (local.get $i)))

  ;; rotate four locals: each move reads what the previous one wrote
  (func (export "rotate") (param i32 i32 i32 i32) (result i32)
    (local $t i32)
    (local.set $t (local.get 0))
    (local.set 0 (local.get 1))
    (local.set 1 (local.get 2))
    (local.set 2 (local.get 3))
    (local.set 3 (local.get $t))
    (i32.add (i32.mul (local.get 0) (i32.const 1000))
             (i32.add (i32.mul (local.get 1) (i32.const 100))
                      (i32.add (i32.mul (local.get 2) (i32.const 10))
                               (local.get 3)))))
  ;; two counters stepped together, then a loop over them
  (func (export "counters") (param i32) (result i32)
    (local $i i32) (local $j i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $j (i32.add (local.get $j) (i32.const 3)))
        (br $next)))
    (i32.add (local.get $i) (local.get $j)))
  ;; (x + 2) >> 2 and (x + 0x12345) >> 4 (a constant too wide to fuse)
  (func (export "round_shift") (param i32) (result i32)
    (i32.add
      (i32.shr_u (i32.add (local.get 0) (i32.const 2)) (i32.const 2))
      (i32.shr_u (i32.add (local.get 0) (i32.const 0x12345)) (i32.const 4))))
  ;; (a + b + 1) >> 1: an average, its sum wrapping first
  (func (export "average") (param i32 i32) (result i32)
    (i32.shr_u (i32.add (i32.add (local.get 0) (local.get 1)) (i32.const 1))
      (i32.const 1)))
  ;; masked tests: an if, a br_if over its moves, a plain br_if, a
  ;; loop's closing br_if, bit tests, and a mask that is kept (not fused)
  (func (export "masked") (param $x i32) (result i32)
    (local $r i32) (local $t i32) (local $i i32)
    (if (i32.eq (i32.and (local.get $x) (i32.const 0xf7)) (i32.const 1))
      (then (local.set $r (i32.const 1))))
    (local.set $r (i32.add (local.get $r)
      (block (result i32)
        (drop (br_if 0 (i32.const 10)
          (i32.ne (i32.and (local.get $x) (i32.const 0x30))
                  (i32.const 0x10))))
        (i32.const 20))))
    (block $skip
      (br_if $skip (i32.eq (i32.and (local.get $x) (i32.const 0xff00))
                           (i32.const 0x1200)))
      (local.set $r (i32.mul (local.get $r) (i32.const 3))))
    (local.set $i (local.get $x))
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.ne (i32.and (local.get $i) (i32.const 7))
                           (i32.const 5))))
    (if (i32.and (local.get $x) (i32.const 4))
      (then (local.set $r (i32.add (local.get $r) (i32.const 7)))))
    (block $bit
      (br_if $bit (i32.and (local.get $x) (i32.const 0x100)))
      (local.set $r (i32.xor (local.get $r) (i32.const 0x55))))
    (if (i32.eq (local.tee $t (i32.and (local.get $x) (i32.const 3)))
                (i32.const 2))
      (then (local.set $r (i32.add (local.get $r) (i32.const 100)))))
    (i32.add (i32.add (local.get $r) (local.get $t))
             (i32.mul (local.get $i) (i32.const 1000))))
)

;; A guest that grows its memory one page at a time, as an allocator does
;; (test_memory.c): `grow n` adds n pages one by one and returns the size,
;; writing a byte into each new page.
(module
  (memory (export "memory") 1)
  (func (export "grow") (param $n i32) (result i32)
    (local $old i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $old (memory.grow (i32.const 1)))
        (br_if $done (i32.lt_s (local.get $old) (i32.const 0)))
        (i32.store8 (i32.mul (local.get $old) (i32.const 65536))
                    (local.get $old))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (memory.size)))

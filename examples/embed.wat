;; The guest of examples/embed.c: sums the squares 1..n, asking the host
;; to square each number.
(module
  (import "host" "square" (func $square (param i32) (result i32)))
  (func (export "sum_squares") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
                                 (call $square (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))

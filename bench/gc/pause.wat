;; The worst pause on a big live heap: build(n) keeps n arrays of 1 KiB in
;; a list (n = 100,000: about 100 MiB live); churn(steps) then makes
;; garbage while that stays, so whole cycles run over it.
(module
  (type $blob (array (mut i8)))
  (type $cell (struct (field $next (ref null $cell)) (field $blob (ref $blob))))
  (global $live (mut (ref null $cell)) (ref.null $cell))
  (func (export "build") (param $n i32)
    (loop $b
      (global.set $live (struct.new $cell (global.get $live)
                          (array.new_default $blob (i32.const 1024))))
      (br_if $b (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "churn") (param $steps i32)
    (loop $c
      (drop (struct.new $cell (ref.null $cell)
              (array.new_default $blob (i32.const 256))))
      (br_if $c (local.tee $steps (i32.sub (local.get $steps) (i32.const 1))))))
)

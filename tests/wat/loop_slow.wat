;; A guest that never stops calling an embedder's slow host function
;; (test.slow): each call costs a few fuel units but a long time, so
;; slices must be sized by time, not by fuel alone.
(module
  (import "test" "slow" (func $slow))
  (func (export "_start")
    (loop $l (call $slow) (br $l)))
)

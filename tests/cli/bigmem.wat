;; A command whose memory starts at 20 pages (1.25 MiB): more than
;; `--max-memory 1` allows.
(module
  (memory (export "memory") 20)
  (func (export "_start"))
)

;; State machines over bytes (lexers) whose loop compile_branch.c and
;; compile.c fuse: the class of the next byte read from a table and the
;; switch on the state in one instruction (L8_BR_TABLE_MOV), the loop's
;; closing branch running it (the _SW forms). test_fsmfuse.c checks each
;; against the same lexer in C: bytes p to n of the text at 1024, classes
;; at 0 (or 65400: bytes from 136 on are past the end of memory).
(module
  (memory (export "memory") 1)

  ;; lex_lt: latch i < n;
  ;; switch on a copy of the state (local.tee); classes at 0.
  (func $lex_lt (export "lex_lt") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $state i32) (local $start i32) (local $h i32)
    (local $k i32) (local $s2 i32) (local $t i32)
    i32.const 7
    local.set $h
    local.get $p
    local.set $i
    local.get $p
    local.get $n
    i32.lt_u
    if
      loop $top
        local.get $i
        i32.load8_u offset=1024
        i32.load8_u offset=0
        local.set $k
        block $join
          block $num
            block $word
              block $start
                local.get $state
                local.tee $s2
                br_table $start $word $num $join
              end
              ;; start: a word or a number begins, else the class is hashed
              local.get $k
              i32.const 1
              i32.eq
              if
                i32.const 1
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $k
              i32.const 2
              i32.eq
              if
                i32.const 2
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $h
              i32.const 31
              i32.mul
              local.get $k
              i32.add
              local.set $h
              br $join
            end
            ;; word: letters and digits; anything else ends it
            local.get $k
            i32.const 1
            i32.sub
            i32.const 2
            i32.lt_u
            br_if $join
            local.get $h
            i32.const 31
            i32.mul
            local.get $i
            i32.add
            local.get $start
            i32.sub
            i32.const 0x100
            i32.add
            local.set $h
            i32.const 0
            local.set $state
            br $join
          end
          ;; number: digits
          local.get $k
          i32.const 2
          i32.eq
          br_if $join
          local.get $h
          i32.const 31
          i32.mul
          local.get $i
          local.get $start
          i32.sub
          i32.const 0x200
          i32.add
          i32.add
          local.set $h
          i32.const 0
          local.set $state
        end
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.lt_u
        br_if $top
      end
    end
    local.get $h
    i32.const 31
    i32.mul
    local.get $state
    i32.add)

  ;; lex_ne: latch i != n;
  ;; switch on the state itself; classes at 0.
  (func $lex_ne (export "lex_ne") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $state i32) (local $start i32) (local $h i32)
    (local $k i32) (local $s2 i32) (local $t i32)
    i32.const 7
    local.set $h
    local.get $p
    local.set $i
    local.get $p
    local.get $n
    i32.lt_u
    if
      loop $top
        local.get $i
        i32.load8_u offset=1024
        i32.load8_u offset=0
        local.set $k
        block $join
          block $num
            block $word
              block $start
                local.get $state
                br_table $start $word $num $join
              end
              ;; start: a word or a number begins, else the class is hashed
              local.get $k
              i32.const 1
              i32.eq
              if
                i32.const 1
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $k
              i32.const 2
              i32.eq
              if
                i32.const 2
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $h
              i32.const 31
              i32.mul
              local.get $k
              i32.add
              local.set $h
              br $join
            end
            ;; word: letters and digits; anything else ends it
            local.get $k
            i32.const 1
            i32.sub
            i32.const 2
            i32.lt_u
            br_if $join
            local.get $h
            i32.const 31
            i32.mul
            local.get $i
            i32.add
            local.get $start
            i32.sub
            i32.const 0x100
            i32.add
            local.set $h
            i32.const 0
            local.set $state
            br $join
          end
          ;; number: digits
          local.get $k
          i32.const 2
          i32.eq
          br_if $join
          local.get $h
          i32.const 31
          i32.mul
          local.get $i
          local.get $start
          i32.sub
          i32.const 0x200
          i32.add
          i32.add
          local.set $h
          i32.const 0
          local.set $state
        end
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.ne
        br_if $top
      end
    end
    local.get $h
    i32.const 31
    i32.mul
    local.get $state
    i32.add)

  ;; lex_rsub: latch i32.sub from a constant, then i < n;
  ;; switch on a copy of the state (local.tee); classes at 0.
  (func $lex_rsub (export "lex_rsub") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $state i32) (local $start i32) (local $h i32)
    (local $k i32) (local $s2 i32) (local $t i32)
    i32.const 7
    local.set $h
    local.get $p
    local.set $i
    local.get $p
    local.get $n
    i32.lt_u
    if
      loop $top
        local.get $i
        i32.load8_u offset=1024
        i32.load8_u offset=0
        local.set $k
        block $join
          block $num
            block $word
              block $start
                local.get $state
                local.tee $s2
                br_table $start $word $num $join
              end
              ;; start: a word or a number begins, else the class is hashed
              local.get $k
              i32.const 1
              i32.eq
              if
                i32.const 1
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $k
              i32.const 2
              i32.eq
              if
                i32.const 2
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $h
              i32.const 31
              i32.mul
              local.get $k
              i32.add
              local.set $h
              br $join
            end
            ;; word: letters and digits; anything else ends it
            local.get $k
            i32.const 1
            i32.sub
            i32.const 2
            i32.lt_u
            br_if $join
            local.get $h
            i32.const 31
            i32.mul
            local.get $i
            i32.add
            local.get $start
            i32.sub
            i32.const 0x100
            i32.add
            local.set $h
            i32.const 0
            local.set $state
            br $join
          end
          ;; number: digits
          local.get $k
          i32.const 2
          i32.eq
          br_if $join
          local.get $h
          i32.const 31
          i32.mul
          local.get $i
          local.get $t
          i32.add
          i32.add
          local.set $h
          i32.const 0
          local.set $state
        end
      i32.const 1000
      local.get $start
      i32.sub
      local.set $t
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.lt_u
        br_if $top
      end
    end
    local.get $h
    i32.const 31
    i32.mul
    local.get $state
    i32.add)

  ;; lex_far: latch i < n;
  ;; switch on a copy of the state (local.tee); classes at 65400.
  (func (export "lex_far") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $state i32) (local $start i32) (local $h i32)
    (local $k i32) (local $s2 i32) (local $t i32)
    i32.const 7
    local.set $h
    local.get $p
    local.set $i
    local.get $p
    local.get $n
    i32.lt_u
    if
      loop $top
        local.get $i
        i32.load8_u offset=1024
        i32.load8_u offset=65400
        local.set $k
        block $join
          block $num
            block $word
              block $start
                local.get $state
                local.tee $s2
                br_table $start $word $num $join
              end
              ;; start: a word or a number begins, else the class is hashed
              local.get $k
              i32.const 1
              i32.eq
              if
                i32.const 1
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $k
              i32.const 2
              i32.eq
              if
                i32.const 2
                local.set $state
                local.get $i
                local.set $start
                br $join
              end
              local.get $h
              i32.const 31
              i32.mul
              local.get $k
              i32.add
              local.set $h
              br $join
            end
            ;; word: letters and digits; anything else ends it
            local.get $k
            i32.const 1
            i32.sub
            i32.const 2
            i32.lt_u
            br_if $join
            local.get $h
            i32.const 31
            i32.mul
            local.get $i
            i32.add
            local.get $start
            i32.sub
            i32.const 0x100
            i32.add
            local.set $h
            i32.const 0
            local.set $state
            br $join
          end
          ;; number: digits
          local.get $k
          i32.const 2
          i32.eq
          br_if $join
          local.get $h
          i32.const 31
          i32.mul
          local.get $i
          local.get $start
          i32.sub
          i32.const 0x200
          i32.add
          i32.add
          local.set $h
          i32.const 0
          local.set $state
        end
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.lt_u
        br_if $top
      end
    end
    local.get $h
    i32.const 31
    i32.mul
    local.get $state
    i32.add)

  ;; A block comment's next state: 11 after a star (class 6), else 10
  ;; (SELECT_K2); then states set twice in a row (CONST32_2), the second
  ;; write to the same local winning.
;; Three lexers in one call: each takes the guesses of the jumps to its
  ;; latch and back to its header over from the one before (exec.c).
  (func (export "lex_mix") (param $p i32) (param $n i32) (result i32)
    (i32.add
      (i32.mul
        (i32.add (i32.mul (call $lex_lt (local.get $p) (local.get $n))
                          (i32.const 31))
                 (call $lex_rsub (local.get $p) (local.get $n)))
        (i32.const 31))
      (call $lex_ne (local.get $p) (local.get $n))))

  (func (export "star") (param $k i32) (result i32)
    (select (i32.const 11) (i32.const 10)
            (i32.eq (local.get $k) (i32.const 6))))
  (func (export "two") (param $x i32) (result i32)
    (local $a i32) (local $b i32)
    i32.const 5
    local.set $a
    i32.const 7
    local.set $b
    local.get $x
    if
      i32.const 2
      local.set $a
      i32.const 3
      local.set $a
    end
    local.get $a
    i32.const 10
    i32.mul
    local.get $b
    i32.add)

  ;; Copies bytes from src to 40000 + len until a zero byte (len as it was
  ;; before that byte) or until len has reached 300 (len + 1), the bound
  ;; tested into a local before len takes its next value, as clang puts
  ;; a copy loop (LOOP_MOV_I32_LT_U_I).
  (func (export "copy") (param $src i32) (param $len i32) (result i32)
    (local $c i32) (local $next i32) (local $ok i32)
    block $done
      local.get $src
      i32.load8_u
      local.tee $c
      i32.eqz
      br_if $done
      loop $top
        local.get $len
        i32.const 40000
        i32.add
        local.get $c
        i32.store8
        local.get $len
        i32.const 1
        i32.add
        local.set $next
        local.get $src
        i32.const 1
        i32.add
        local.tee $src
        i32.load8_u
        local.tee $c
        i32.eqz
        br_if $done
        local.get $len
        i32.const 300
        i32.lt_u
        local.set $ok
        local.get $next
        local.set $len
        local.get $ok
        br_if $top
      end
    end
    local.get $len)

  ;; past: a case sets a state past the switch's table, whose default
  ;; takes it; classes at 0.
  (func (export "past") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $state i32) (local $h i32) (local $k i32)
    local.get $p
    local.set $i
    loop $top
      local.get $i
      i32.load8_u offset=1024
      i32.load8_u offset=0
      local.set $k
      block $join
        block $other
          block $zero
            local.get $state
            br_table $zero $other
          end
          local.get $k
          i32.const 1
          i32.eq
          if
            i32.const 9
            local.set $state
            br $join
          end
          local.get $h
          i32.const 1
          i32.add
          local.set $h
          br $join
        end
        local.get $h
        i32.const 31
        i32.mul
        local.get $i
        i32.add
        local.set $h
        i32.const 0
        local.set $state
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $top
    end
    local.get $h
    local.get $state
    i32.add)
)

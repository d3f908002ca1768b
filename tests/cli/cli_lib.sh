# cli_lib.sh -- helpers the CLI test scripts share (sourced, POSIX sh).
#
#   t NAME STATUS OUT_RE ERR_RE -- COMMAND...
#       runs COMMAND with stdin from /dev/null and checks its exit status
#       and that stdout and stderr each have a line matching the extended
#       regular expressions (an empty one checks nothing)
#   same NAME EXPECTED
#       checks that the last command's stdout is exactly EXPECTED (lines
#       joined with \n, no final newline needed)
#   finish
#       prints the counts and exits 1 if anything failed
#
# Each script sets T (a scratch folder) before using them.

count=0
fails=0

report() {
  if [ "$1" = 1 ]; then
    echo "ok   $2"
  else
    echo "FAIL $2: $3"
    echo "  stdout:"
    sed 's/^/    /' "$T/out"
    echo "  stderr:"
    sed 's/^/    /' "$T/err"
    fails=$((fails + 1))
  fi
}

t() {
  name=$1
  want=$2
  outre=$3
  errre=$4
  shift 5
  "$@" >"$T/out" 2>"$T/err" </dev/null
  rc=$?
  count=$((count + 1))
  why=""
  [ "$rc" = "$want" ] || why="status $rc, want $want"
  if [ -n "$outre" ] && ! grep -qE -- "$outre" "$T/out"; then
    why="$why; stdout has no line matching /$outre/"
  fi
  if [ -n "$errre" ] && ! grep -qE -- "$errre" "$T/err"; then
    why="$why; stderr has no line matching /$errre/"
  fi
  if [ -z "$why" ]; then report 1 "$name"; else report 0 "$name" "$why"; fi
}

same() {
  count=$((count + 1))
  if [ -n "$2" ]; then printf '%s\n' "$2" >"$T/want"; else : >"$T/want"; fi
  if cmp -s "$T/want" "$T/out"; then
    report 1 "$1"
  else
    report 0 "$1" "stdout differs from: $(tr '\n' '|' <"$T/want")"
  fi
}

finish() {
  echo "$((count - fails)) of $count checks passed"
  [ "$fails" = 0 ]
  exit $?
}

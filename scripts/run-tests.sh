#!/bin/sh
# Runs CTest in a build folder and ends with the line "N passed, N failed".
#   scripts/run-tests.sh BUILD_DIR [ctest arguments...]
set -u
dir=$1; shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ctest --test-dir "$dir" --output-on-failure -j2 "$@" 2>&1 | tee "$log"
status=0
line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
if [ -z "$line" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
total=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
[ "$failed" = 0 ] || status=1
# A test that reports itself skipped (its SKIP_RETURN_CODE) is no pass:
# it is named here and left out of the count.
skipped=$(grep -E '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$log" | sed -E 's/^[[:space:]]*[0-9]+ - ([^ ]+) .*/\1/')
nskipped=0
for t in $skipped; do
  echo "skipped (not counted as passed): $t"
  nskipped=$((nskipped + 1))
done
echo "$((total - failed - nskipped)) passed, $failed failed"
exit $status

#!/bin/sh
# Snapshots between CPU architectures: this machine's lull and lull built
# for aarch64 (make test-cross), run under qemu-user, each write snapshots
# that the other resumes to the same result (scripts/snapshot-matrix.sh
# with both). CTest's test_snapshot_cross.
#
#   scripts/cross-snapshot.sh HOST_HELPER AARCH64_HELPER
#
# Exits 77, which CTest reports as skipped, saying so plainly, when the
# aarch64 build or qemu-aarch64 is not there.
set -u
host=$1
cross=$2
if ! command -v qemu-aarch64 >/dev/null 2>&1; then
  echo "SKIPPED: qemu-aarch64 is not installed (make test-cross installs it," \
       "builds lull for aarch64 and runs this test)"
  exit 77
fi
if [ ! -x "$cross" ]; then
  echo "SKIPPED: no aarch64 build of lull at $cross (make test-cross makes" \
       "it and runs this test)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The aarch64 side, as the matrix runs a helper: under qemu, with the
# cross toolchain's libraries.
printf '#!/bin/sh\nexec qemu-aarch64 -L /usr/aarch64-linux-gnu "%s" "$@"\n' \
  "$cross" >"$tmp/aarch64-helper"
chmod +x "$tmp/aarch64-helper"
"$(dirname "$0")/snapshot-matrix.sh" "$host" "$tmp/aarch64-helper"

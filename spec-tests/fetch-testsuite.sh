#!/bin/sh
# Fetches the official WebAssembly testsuite at the commit lull is tested
# against (the one wabt 1.0.32 pins, matching Debian's wast2json) into DEST.
# Usage: spec-tests/fetch-testsuite.sh DEST
set -eu
dest=${1:?usage: fetch-testsuite.sh DEST}
url=https://github.com/WebAssembly/testsuite
commit=3a04b2cf93bd8fce277458d419eea8d9c326345c

if [ -e "$dest" ]; then
  echo "fetch-testsuite: $dest already exists" >&2
  exit 1
fi
command -v git >/dev/null 2>&1 || {
  echo "fetch-testsuite: git is not installed" >&2
  exit 1
}
# Fetch into a side folder and move it in place at the end, so an
# interrupted fetch never leaves a half testsuite where DEST is expected.
tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
git init -q "$tmp"
# A shallow fetch of the one commit; fall back to the whole history where
# the server refuses fetching by commit id.
if ! git -C "$tmp" fetch -q --depth 1 "$url" "$commit" 2>/dev/null; then
  git -C "$tmp" fetch -q "$url"
fi
git -C "$tmp" -c advice.detachedHead=false checkout -q "$commit"
mv "$tmp" "$dest"
trap - EXIT
echo "fetch-testsuite: $url at $commit is in $dest" >&2

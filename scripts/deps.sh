#!/bin/sh
# Installs the Debian packages a make target needs, when they are missing.
# As root it runs apt-get itself (apt-get update first when the package
# lists are empty or an install fails); otherwise it prints the exact
# command and fails.
#
#   scripts/deps.sh GROUP...
#     build   compiler, CMake, libuv, cmocka, wabt (its wast2json gives a
#             second opinion on the text format; the build needs no wabt),
#             binaryen (its interpreter is the other side of fuzz-exec)
#     guests  clang and wasi-libc to build the C guests, binaryen
#     bench   valgrind and hyperfine, plus what `guests` needs
#     fuzz    clang with its libFuzzer runtime
#     cross   the aarch64 cross compiler, libuv for arm64 (multiarch) and
#             qemu-user, for make test-cross
set -eu

pkgs_for() {
  case "$1" in
    build)  echo "cmake make gcc pkg-config libuv1-dev libcmocka-dev wabt binaryen" ;;
    guests) echo "clang lld wasi-libc libclang-rt-14-dev-wasm32 binaryen" ;;
    bench)  echo "clang lld wasi-libc libclang-rt-14-dev-wasm32 binaryen valgrind hyperfine" ;;
    fuzz)   echo "clang libclang-rt-14-dev" ;;
    cross)  echo "gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user libuv1-dev:arm64" ;;
    *) echo "deps.sh: unknown group '$1' (build, guests, bench, fuzz, cross)" >&2; exit 2 ;;
  esac
}

[ $# -gt 0 ] || set -- build
want=""
for g in "$@"; do want="$want $(pkgs_for "$g")"; done

missing=""
for p in $want; do
  case " $missing " in *" $p "*) continue ;; esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
  echo "lull needs these Debian packages:$missing" >&2
  echo "install them with:  sudo apt-get install -y$missing" >&2
  exit 1
fi

echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
  apt-get update -qq
fi
# Packages of another architecture (libuv1-dev:arm64) need it added to
# dpkg first, and its package lists fetched.
case "$missing" in *:arm64*)
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -qq
  fi ;;
esac
# shellcheck disable=SC2086
if ! apt-get install -y -qq $missing >/dev/null; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
fi

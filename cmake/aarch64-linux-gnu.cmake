# Cross-compiling lull for 64-bit ARM Linux with Debian's cross compiler
# (gcc-aarch64-linux-gnu; scripts/deps.sh cross installs it). Programs
# built so run on x86-64 under qemu-user: make test-cross.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Linked statically: Debian 12's qemu-user hangs in pthread_create of a
# dynamically linked aarch64 program (libuv's thread pool), never in a
# static one.
set(CMAKE_EXE_LINKER_FLAGS_INIT -static)
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)  # with -DLULL_UV_PKG=libuv-static
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)

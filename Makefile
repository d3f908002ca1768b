# lull -- a thin wrapper around CMake. Every target installs what it needs
# (scripts/deps.sh), configures and builds before it runs.

BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= 2
CMAKE_FLAGS ?=
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60
TESTSUITE ?=
TESTSUITE3 ?=

.PHONY: all build deps test test-asan test-variants test-cross demo spec-report \
        fuzz-decode fuzz-text fuzz-run fuzz-snapshot fuzz-wasi fuzz-exec \
        bench bench-guests bench-suspend bench-wasi install clean

all: build

deps:
	@scripts/deps.sh build

$(BUILD)/CMakeCache.txt:
	@scripts/deps.sh build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# Headers, liblull.a, liblull_core.a, the lull command, pkg-config files
# and the CMake package under PREFIX (README.md, "Using lull in a program").
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Unit, integration and spec tests through CTest; the last line is
# "N passed, N failed".
test: build
	@scripts/run-tests.sh $(BUILD)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# built with clang, whose UBSan also catches arithmetic on NULL pointers.
test-asan: deps
	@scripts/deps.sh build fuzz
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DLULL_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	@scripts/run-tests.sh $(ASAN_BUILD)

# The build variants CI also checks: switch dispatch instead of computed
# goto, and portable SIMD without intrinsics (spec and unit tests). Then
# snapshots move between every build there is: this one, the Release
# build with computed goto and native SIMD, and the Debug build of
# test-asan (scripts/snapshot-matrix.sh).
test-variants: deps
	cmake -S . -B build-switch -DCMAKE_BUILD_TYPE=Release -DLULL_DISPATCH_SWITCH=ON -DLULL_SIMD_PORTABLE=ON
	cmake --build build-switch -j$(JOBS)
	@scripts/run-tests.sh build-switch
	@scripts/snapshot-matrix.sh $$(ls build-switch/tests/helper_snapshot_values $(BUILD)/tests/helper_snapshot_values $(ASAN_BUILD)/tests/helper_snapshot_values 2>/dev/null)

# A snapshot taken on this machine resumes on aarch64 and back: lull
# cross-built with Debian's gcc-aarch64-linux-gnu (scripts/deps.sh cross
# installs it and qemu-user), run under qemu-aarch64; CTest's
# test_snapshot_cross, which reports itself skipped until this has run.
CROSS_BUILD ?= build-aarch64
test-cross: build
	@scripts/deps.sh cross
	PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
	  cmake -S . -B $(CROSS_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release -DLULL_BUILD_TESTS=OFF -DLULL_BUILD_EXAMPLES=OFF -DLULL_BUILD_BENCH=OFF -DLULL_BUILD_CLI=ON -DLULL_INSTALL=OFF -DLULL_SNAPSHOT_HELPER=ON -DLULL_UV_PKG=libuv-static
	cmake --build $(CROSS_BUILD) -j$(JOBS) --target helper_snapshot_values lull_cmd
	cmake -S . -B $(BUILD) -DLULL_CROSS_BUILD=$(abspath $(CROSS_BUILD))
	@scripts/run-tests.sh $(BUILD) -R '^test_snapshot_cross$$'

# Every command of both testsuites, failures included, the files CTest does
# not run yet (spec-tests/pending.txt) too. TESTSUITE and TESTSUITE3 name
# the 2.0 and 3.0 suites' folders when they are elsewhere.
spec-report: build
	@spec-tests/report.sh $(BUILD) "$(TESTSUITE)" "$(TESTSUITE3)"

demo: build
	@scripts/demo.sh $(BUILD)

# libFuzzer targets under ASan and UBSan: decode, text, run (execution with
# fuel, parks and failing allocations), snapshot (hostile snapshots read
# and resumed) and wasi (random arguments to every WASI function);
# scripts/fuzz.sh seeds each corpus.
fuzz-decode fuzz-text fuzz-run fuzz-snapshot fuzz-wasi:
	@scripts/deps.sh build fuzz
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DLULL_FUZZ=ON
	cmake --build build-fuzz -j$(JOBS) --target $@
	scripts/fuzz.sh $(@:fuzz-%=%) build-fuzz $(FUZZ_SECONDS)

# Differential execution against binaryen's interpreter: random modules
# from wasm-opt -ttf, each run six ways (fuel slices, suspending host
# calls, snapshots at every park); scripts/fuzz-exec.sh.
fuzz-exec: build
	scripts/fuzz-exec.sh $(BUILD) $(FUZZ_SECONDS)

# Rebuilds the committed benchmark guests (bench/kernels/*.wasm) and the
# native drivers they are compared with, and checks their checksums.
bench-guests:
	@scripts/deps.sh build guests
	$(MAKE) -C bench guests BUILD=$(abspath $(BUILD))

# The kernels on lull against native (table, then callgrind counts), then
# bench-suspend, then bench-wasi.
bench: build
	@scripts/deps.sh bench
	$(MAKE) -C bench run suspend wasi BUILD=$(abspath $(BUILD))

# Park and resume against fibers and Asyncify, the memory of parked
# guests, and what fuel checks and Asyncify cost the kernels.
bench-suspend: build
	@scripts/deps.sh bench
	$(MAKE) -C bench suspend BUILD=$(abspath $(BUILD))

# Many sleeping guests on one loop (memory and time), and a 1 GiB copy
# through a guest against native (bench/README.md).
bench-wasi: build
	@scripts/deps.sh bench
	$(MAKE) -C bench wasi BUILD=$(abspath $(BUILD))

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-switch build-fuzz $(CROSS_BUILD)

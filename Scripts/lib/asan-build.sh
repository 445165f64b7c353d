# Sourced by Scripts/sanitize and Scripts/fuzz: one AddressSanitizer build in .build-asan,
# with libFuzzer's coverage instrumentation, that serves both the sanitized tests and the
# fuzz targets (same flags, so the second caller rebuilds nothing).
fuzzer_lib=$(ls "$(dirname "$(readlink -f "$(command -v swiftc)")")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1 || true)
asan_flags=(--scratch-path .build-asan --sanitize=address)
if [ -n "$fuzzer_lib" ]; then
  asan_flags+=(-Xswiftc -DTIDEPOOL_FUZZ -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
               -Xlinker "$fuzzer_lib" -Xlinker -lstdc++)
fi
# SwiftPM's noise about a dependency's CMake files and the linker's about ASan symbols.
quiet_build() { grep -Ev "^warning: 'swift-distributed-tracing'|CMakeLists.txt$|Cannot export local symbol" || true; }

// tidepool-fuzz: coverage-guided fuzzing (libFuzzer) of every decoder a stranger can
// reach. Built only by Scripts/fuzz, with AddressSanitizer and libFuzzer's coverage
// instrumentation; see Docs/SECURITY.md, "Fuzzing".
//
//   tidepool-fuzz TARGET [libFuzzer options] [CORPUS_DIR …]
//   tidepool-fuzz --list
#if canImport(Glibc)
import Glibc
#endif

#if TIDEPOOL_FUZZ
/// libFuzzer's driver (from `libclang_rt.fuzzer_no_main`), so that this program keeps its
/// own `main` and picks the target before handing over.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
#endif

let arguments = CommandLine.arguments
if arguments.count < 2 || arguments[1] == "--list" {
    for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
    exit(arguments.count < 2 ? 2 : 0)
}
if arguments[1] == "--write-seeds", arguments.count == 3 {
    for file in PeerSeeds.files() {
        let directory = "\(arguments[2])/\(file.target)"
        mkdir(directory, 0o755)
        guard let handle = fopen("\(directory)/\(file.name)", "wb") else { print("cannot write \(directory)"); exit(2) }
        _ = file.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
    }
    exit(0)
}
guard let target = FuzzTarget.all.first(where: { $0.name == arguments[1] }) else {
    print("tidepool-fuzz: unknown target '\(arguments[1])' (see --list)")
    exit(2)
}
nonisolated(unsafe) var selected: FuzzTarget = target

#if !TIDEPOOL_FUZZ
// A plain build (swift build) has no libFuzzer: each input file named on the command line
// is run once through the target, which replays a corpus or a crash artifact.
for path in arguments.dropFirst(2) {
    guard let file = fopen(path, "rb") else { print("cannot read \(path)"); exit(2) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    fclose(file)
    selected.run(bytes)
}
print("tidepool-fuzz: \(arguments.count - 2) input(s) through \(selected.name), no finding (a plain build: use Scripts/fuzz to fuzz)")
exit(0)
#else
// libFuzzer sees the program name followed by everything after the target name.
var argv: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
var argc = Int32(argv.count - 1)
let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var base = buffer.baseAddress!
    return LLVMFuzzerRunDriver(&argc, &base) { data, size in
        selected.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
exit(status)
#endif

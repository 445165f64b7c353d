// stratum-load: opens N concurrent Stratum connections on loopback against a real
// StratumServer and measures submit throughput, submit latency (p50/p99) and the time
// from publish() to the last mining.notify received.
//
//   stratum-load [--connections 1000] [--duration 20] [--rate 15] [--addresses 10]
//                [--rounds 5] [--client-threads 2]
//   stratum-load compare --target ckpool=HOST:PORT --target tidepool=HOST:PORT
//                --bitcoind http://HOST:PORT --rpc-user U --rpc-password P [--connections N] …
//     (the same load against running servers, alternating, with ratios: Compare.swift,
//      Scripts/stratum-compare)
//
// The server runs in this process; the miners run in a child process (`stratum-load
// client …`) so that each process stays under the file-descriptor limit at 10,000
// connections. Both processes use CLOCK_MONOTONIC.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "compare" {
    // Side by side against running servers (e.g. ckpool and tidepool): Compare.swift.
    do { try await CompareDriver(arguments: arguments.dropFirst()).run() } catch {
        print("\(error)")
        exit(2)
    }
} else if arguments.first == "client" {
    try await LoadClient(options: Options(arguments.dropFirst())).run()
} else {
    try await LoadDriver(options: Options(arguments)).run()
}

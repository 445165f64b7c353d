// stratum-load: opens N concurrent Stratum connections on loopback against a real
// StratumServer and measures submit throughput, submit latency (p50/p99) and the time
// from publish() to the last mining.notify received.
//
//   stratum-load [--connections 1000] [--duration 20] [--rate 15] [--addresses 10]
//                [--rounds 5] [--client-threads 2]
//
// The server runs in this process; the miners run in a child process (`stratum-load
// client …`) so that each process stays under the file-descriptor limit at 10,000
// connections. Both processes use CLOCK_MONOTONIC.
let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "client" {
    try await LoadClient(options: Options(arguments.dropFirst())).run()
} else {
    try await LoadDriver(options: Options(arguments)).run()
}

import JSON
import BitcoinPrimitives
import BitcoinRPC
import PeerProtocol
import Sharechain
import StratumProtocol
import TidepoolCommands
import TidepoolNode

/// One decoder a stranger can reach, fed arbitrary bytes. A target returns normally for
/// every input (rejecting bad input is the expected outcome); a crash, a sanitizer report,
/// a failed round trip (`check`) or a timeout is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([UInt8]) -> Void

    /// Every target, by name (Docs/SECURITY.md, "Fuzzing").
    static let all: [FuzzTarget] = [peerFrames, peerMessage, json, stratumLines, rpcResponse, configFile, tidesInput]

    /// Stops the run: libFuzzer saves the input as a crash artifact.
    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz check failed: \(message())") }
    }

    /// The P2P byte stream: framing (magic, command, length caps, checksum), then each
    /// frame's payload; every decoded message must re-encode to the same frame.
    static let peerFrames = FuzzTarget(name: "peer-frames", summary: "peer byte stream: frames and their messages") { bytes in
        let magic = NetworkMagic(network: .devnet)
        var decoder = FrameDecoder(magic: magic)
        // Split the input at a position derived from it, to exercise partial frames.
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        decoder.feed(bytes[..<cut])
        for chunk in [bytes[cut...], []] {
            decoder.feed(chunk)
            while true {
                guard let frame = try? decoder.next() else { break }
                guard let message = try? PeerMessage(frame: frame) else { continue }
                let again = message.frame(magic: magic)
                var redecoder = FrameDecoder(magic: magic)
                redecoder.feed(again)
                let back = (try? redecoder.next()).flatMap { $0 }.flatMap { try? PeerMessage(frame: $0) }
                check(back == message, "round trip of \(message.command)")
            }
        }
    }

    /// One payload of a known command (the first byte picks the command): gets past the
    /// checksum, which random bytes almost never satisfy. Decoding may be lenient (an
    /// unknown `reject` code reads as `other`, PROTOCOL-P2P.md), so the check is that the
    /// decoded message survives its own encoding unchanged.
    static let peerMessage = FuzzTarget(name: "peer-message", summary: "one peer message payload per command") { bytes in
        guard let first = bytes.first else { return }
        let commands = Command.allCases
        let command = commands[Int(first) % commands.count]
        let payload = Array(bytes.dropFirst())
        guard let message = try? PeerMessage(command: command, payload: payload) else { return }
        let again = try? PeerMessage(command: command, payload: message.payload)
        check(again == message, "\(command) does not survive its own encoding")
    }

    /// Any text through the one JSON codec: what parses must encode to text that parses
    /// back to the same value, and encoding that again must give the same bytes.
    static let json = FuzzTarget(name: "json", summary: "JSON text through the parser and the encoder") { bytes in
        guard let value = try? JSONParser.parse(bytes) else { return }
        let text = value.jsonText
        let again = try? JSONParser.parse(text)
        check(again == value, "JSON round trip")
        check(again?.jsonText == text, "JSON re-encoding")
    }

    /// Stratum lines from a miner, through the parser and a ready session.
    static let stratumLines = FuzzTarget(name: "stratum-line", summary: "Stratum lines into a session") { bytes in
        let now = ContinuousClock.now
        var session = StratumSession(extranonce1: [1, 2, 3, 4], network: .regtest, networkName: "devnet", now: now)
        for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: true).prefix(64) {
            switch Result(catching: { () throws(StratumRequestError) in try StratumInbound.parse(line: line) }) {
            case .success(.request(let request)): _ = session.handle(request, now: now)
            case .success(.response): break
            case .failure(let error): _ = session.handle(invalid: error, now: now)
            }
        }
    }

    /// A bitcoind JSON-RPC answer body, through every model the node reads.
    static let rpcResponse = FuzzTarget(name: "rpc-response", summary: "bitcoind JSON-RPC responses into the RPC models") { bytes in
        guard let json = try? JSONParser.parse(bytes) else { return }
        for value in [json, json["result"] ?? .null] {
            _ = try? BlockTemplate(json: value)
            _ = try? BlockchainInfo(json: value)
            _ = try? BlockHeaderInfo(json: value)
            _ = try? SubmitBlockResult(json: value)
        }
    }

    /// The node's config file, then the configuration it resolves to.
    static let configFile = FuzzTarget(name: "config-file", summary: "tidepool.conf text into a node configuration") { bytes in
        guard let file = try? ConfigFile(text: String(decoding: bytes, as: UTF8.self)) else { return }
        _ = try? NodeConfiguration.resolve(flags: ConfigFile(), file: file, home: "/nonexistent-fuzz-home")
    }

    /// `tidepool tides` standard input.
    static let tidesInput = FuzzTarget(name: "tides-input", summary: "tidepool tides JSON input") { bytes in
        _ = try? TidesCommand.run(input: bytes)
    }
}

import Foundation
import Logging
import NodeAPI
import Prometheus
import ServiceLifecycle
import Testing

/// Loads the dashboard in a real headless browser (Debian's `chromium`, installed by
/// Scripts/install-deps) from the API served on a loopback port by `FakeNode`, and checks
/// the rendered numbers against the API's answers and that no script error happened.
/// Skips (passes with a message) when `chromium` is not on PATH.
///
/// With `TIDEPOOL_DASHBOARD_SCREENSHOTS=DIR` it also writes the four screenshots of
/// Docs/DASHBOARD.md (network and address view, desktop and phone) of this server into DIR.
@Suite("Dashboard in a headless browser")
struct DashboardBrowserTests {
    static let browserNames = ["chromium", "chromium-browser"]

    @Test("both views render the API's numbers without script errors", .timeLimit(.minutes(5)))
    func rendersInChromium() async throws {
        guard let browser = Self.browserNames.lazy.compactMap(DashboardScriptTests.onPath).first else {
            print("skipped: chromium is not on PATH (Scripts/install-deps installs it)")
            return
        }
        try await Self.withServer { port in
            let base = "http://127.0.0.1:\(port)/"
            let status = try NodeAPITests.object(try await NodeAPITests.get("/api/v1/status").body)
            let stats = try NodeAPITests.object(try await NodeAPITests.get("/api/v1/stats").body)
            let blocks = try NodeAPITests.array(try await NodeAPITests.get("/api/v1/blocks").body)
            let miner = try NodeAPITests.object(try await NodeAPITests.get("/api/v1/miners/\(FakeNode.address)").body)

            // Network view.
            let network = try await Chromium(path: browser).dumpDOM(url: base)
            Self.expectNoErrors(network)
            let peers = try #require(status["peers"] as? Int)
            let tip = try #require((status["tip"] as? [String: Any])?["height"] as? Int)
            #expect(network.element("net")?.contains("\(peers) peer\(peers == 1 ? "" : "s")") == true)
            #expect(network.element("tip") == "share height \(tip)")
            let poolCards = try #require(network.between("poolCards", "ranges"))
            let nodeRate = try Self.fiveMinuteRate(stats["node_miners"])
            let chainRate = try Self.fiveMinuteRate(stats["sharechain"])
            #expect(poolCards.contains(Self.rate(nodeRate)), "this node's miners at \(nodeRate) H/s")
            #expect(poolCards.contains(Self.rate(chainRate)), "sharechain at \(chainRate) H/s")
            let blocksTable = try #require(network.element("blocks"))
            for block in blocks {
                let reward = try #require(block["reward"] as? Int)
                let height = try #require(block["height"] as? Int)
                #expect(blocksTable.contains("<td>\(height)</td>"))
                #expect(blocksTable.contains(Self.btc(reward)))
            }
            #expect(network.dom.contains("<polyline"), "the hash-rate chart is drawn")

            // Address view, chosen by the URL hash.
            let address = try await Chromium(path: browser).dumpDOM(url: base + "#address=\(FakeNode.address)")
            Self.expectNoErrors(address)
            #expect(address.element("addrTitle") == FakeNode.address)
            let cards = try #require(address.between("addrCards", "addrChart"))
            let payout = try #require(miner["payout"] as? [String: Any])
            let ifFound = try #require(payout["if_found_now"] as? Int)
            let expected = try #require(payout["expected_value"] as? Int)
            #expect(cards.contains(Self.btc(ifFound)), "if found now: \(ifFound) sat")
            #expect(cards.contains(Self.btc(expected)), "expected value: \(expected) sat")
            let addressRate = try Self.fiveMinuteRate(miner["statistics"])
            #expect(cards.contains(Self.rate(addressRate)))
            let workers = try #require(address.element("workers"))
            for worker in try #require(miner["workers"] as? [[String: Any]]) {
                #expect(workers.contains((worker["worker"] as? String) ?? "(default)"))
            }

            if let dir = ProcessInfo.processInfo.environment["TIDEPOOL_DASHBOARD_SCREENSHOTS"], !dir.isEmpty {
                try await Self.screenshots(browser: browser, base: base, address: FakeNode.address, into: dir)
            }
        }
    }

    /// The four documented screenshots of the dashboard at `base` into `dir`.
    static func screenshots(browser: String, base: String, address: String, into dir: String) async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let views = [("network", base), ("address", base + "#address=\(address)")]
        let sizes = [("desktop", "1280,900"), ("phone", "390,844")]
        for (view, url) in views {
            for (device, size) in sizes {
                try await Chromium(path: browser).screenshot(url: url, size: size, to: "\(dir)/\(view)-\(device).png")
            }
        }
    }

    static func expectNoErrors(_ page: RenderedPage, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.element("error") == "", "API error shown: \(page.element("error") ?? "?")", sourceLocation: sourceLocation)
        #expect(page.element("scriptErrors") == "", "script errors: \(page.element("scriptErrors") ?? "?")",
                sourceLocation: sourceLocation)
        #expect(page.consoleErrors.isEmpty, "console: \(page.consoleErrors)", sourceLocation: sourceLocation)
        #expect(page.element("updated")?.hasPrefix("updated ") == true, "the page finished a refresh",
                sourceLocation: sourceLocation)
    }

    /// The 5-minute estimate of a statistics object's `hashrate` windows (what the cards show big).
    static func fiveMinuteRate(_ statistics: Any?) throws -> Double {
        let windows = try #require((statistics as? [String: Any])?["hashrate"] as? [[String: Any]])
        let five = try #require(windows.first { $0["window_seconds"] as? Int == 300 })
        return try #require((five["hashes_per_second"] as? NSNumber)?.doubleValue)
    }

    /// The page's `rate()`: SI units, 2/1/0 decimals below 10/100/1000.
    static func rate(_ hashesPerSecond: Double) -> String {
        guard hashesPerSecond > 0 else { return "0 H/s" }
        let units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s", "ZH/s"]
        var h = hashesPerSecond, i = 0
        while h >= 1000 && i < units.count - 1 { h /= 1000; i += 1 }
        return String(format: "%.\(h < 10 ? 2 : h < 100 ? 1 : 0)f", h) + " " + units[i]
    }

    /// The page's `btc()`: satoshis as BTC with 8 decimals.
    static func btc(_ sats: Int) -> String {
        let sign = sats < 0 ? "-" : ""
        let a = abs(sats)
        let fraction = String(a % 100_000_000)
        return sign + "\(a / 100_000_000)." + String(repeating: "0", count: 8 - fraction.count) + fraction + " BTC"
    }

    /// Serves the API of a `FakeNode` on 127.0.0.1 (a free port) while `body` runs.
    static func withServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = NodeAPIService(host: "127.0.0.1", port: 0, provider: FakeNode(),
                                     metrics: NodeMetrics(registry: PrometheusCollectorRegistry()),
                                     logger: Logger(label: "test.api"), onServerRunning: { continuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test.group")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// What `chromium --dump-dom` printed, with the console lines of its log.
struct RenderedPage: Sendable {
    /// The serialized DOM after the page's scripts ran.
    var dom: String
    /// Console messages and uncaught exceptions from chromium's log.
    var consoleErrors: [String]

    /// The DOM from the element with id `first` to the element with id `next` (e.g. a
    /// grid of nested cards up to the heading after it); nil when either is absent.
    func between(_ first: String, _ next: String) -> String? {
        guard let start = dom.range(of: "id=\"\(first)\""),
              let end = dom[start.upperBound...].range(of: "id=\"\(next)\"") else { return nil }
        return String(dom[start.upperBound..<end.lowerBound])
    }

    /// The inner HTML of the element with `id` (nil when absent), up to the first closing
    /// tag of its kind: for elements that do not nest their own tag (use `between` else).
    func element(_ id: String) -> String? {
        guard let open = dom.range(of: "id=\"\(id)\"") else { return nil }
        guard let tagStart = dom[..<open.lowerBound].lastIndex(of: "<"),
              let contentStart = dom[open.upperBound...].firstIndex(of: ">") else { return nil }
        let tag = dom[dom.index(after: tagStart)...].prefix { $0.isLetter || $0.isNumber }
        let rest = dom[dom.index(after: contentStart)...]
        guard let close = rest.range(of: "</\(tag)>") else { return nil }
        return String(rest[..<close.lowerBound])
    }
}

/// Runs headless chromium as a child process (root-safe `--no-sandbox`, its own profile
/// directory) and awaits its exit without blocking a thread of the concurrency pool.
struct Chromium: Sendable {
    let path: String
    /// Virtual time the page gets to load, fetch and render (network waits do not count).
    var virtualTimeBudgetMilliseconds = 10_000
    /// Wall-clock limit for one run on a loaded machine, after which chromium is killed.
    var timeout: Duration = .seconds(180)

    func dumpDOM(url: String) async throws -> RenderedPage {
        let (out, err) = try await run(["--dump-dom", url])
        // Chromium logs every console message (any level) and uncaught exception as a
        // `…:CONSOLE:…` line; the page logs nothing when all is well, so any is an error.
        let console = err.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        return RenderedPage(dom: out, consoleErrors: console)
    }

    func screenshot(url: String, size: String, to file: String) async throws {
        _ = try await run(["--screenshot=\(file)", "--window-size=\(size)", "--hide-scrollbars", url])
        #expect(FileManager.default.fileExists(atPath: file), "chromium wrote \(file)")
    }

    /// Runs chromium with `arguments` after the common flags; returns stdout and stderr.
    private func run(_ arguments: [String]) async throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--mute-audio",
            "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
            "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=\(virtualTimeBudgetMilliseconds)",
        ] + arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let (exits, exited) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { p in
            exited.yield(p.terminationStatus)
            exited.finish()
        }
        try process.run()
        let timeout = self.timeout, pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)  // hung: the exit status fails the run
        }
        var iterator = exits.makeAsyncIterator()
        let status = await iterator.next()
        watchdog.cancel()
        try? outHandle.close()
        try? errHandle.close()
        let out = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        try #require(status == 0, "chromium \(arguments) exited with \(status.map(String.init) ?? "?"): \(err.suffix(2000))")
        return (out, err)
    }
}

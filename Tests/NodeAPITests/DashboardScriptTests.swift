import Foundation
import NodeAPI
import Testing

/// Runs the dashboard's script under Node.js with a stub DOM and FakeNode's answers:
/// the page renders both views without errors. Skips (passes) when `node` is not on PATH.
@Suite("Dashboard script")
struct DashboardScriptTests {
    static func onPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The stub: element store, location hash, fetch answered from `answers`.
    static let harness = #"""
    const fs = require("fs");
    const [, , scriptPath, answersPath, hash] = process.argv;
    const answers = JSON.parse(fs.readFileSync(answersPath, "utf8"));
    const els = {};
    const el = id => els[id] || (els[id] = { innerHTML: "", textContent: "", hidden: false, value: "", dataset: {}, querySelectorAll: () => [] });
    global.document = { getElementById: el };
    global.location = { hash };
    global.window = {};
    global.setInterval = () => {};
    global.fetch = async p => {
      const key = p.startsWith("/api/v1/miners/") ? "/api/v1/miners/" : p;
      if (!(key in answers)) throw new Error("unexpected fetch " + p);
      return { ok: true, status: 200, json: async () => JSON.parse(answers[key]) };
    };
    eval(fs.readFileSync(scriptPath, "utf8"));
    setTimeout(() => {
      const out = {};
      for (const k in els) out[k] = els[k].innerHTML || els[k].textContent;
      console.log(JSON.stringify(out));
    }, 300);
    """#

    @Test("both views render from the documented endpoints")
    func renders() async throws {
        guard let node = Self.onPath("node") else {
            print("skipped: node is not on PATH")
            return
        }
        let page = try await NodeAPITests.get("/").body
        let script = try #require(page.components(separatedBy: "<script>").last?.components(separatedBy: "</script>").first)
        var answers: [String: String] = [:]
        for endpoint in DashboardPage.endpoints {
            let uri = endpoint.hasSuffix("/") ? endpoint + FakeNode.address : endpoint
            answers[endpoint] = try await NodeAPITests.get(uri).body
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try script.write(to: dir.appendingPathComponent("page.js"), atomically: true, encoding: .utf8)
        try Self.harness.write(to: dir.appendingPathComponent("harness.js"), atomically: true, encoding: .utf8)
        let answersData = try JSONSerialization.data(withJSONObject: answers)
        try answersData.write(to: dir.appendingPathComponent("answers.json"))

        func run(hash: String) throws -> [String: String] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: node)
            process.arguments = [dir.appendingPathComponent("harness.js").path, dir.appendingPathComponent("page.js").path,
                                 dir.appendingPathComponent("answers.json").path, hash]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return (try? JSONSerialization.jsonObject(with: data) as? [String: String]) ?? [:]
        }
        let network = try run(hash: "")
        #expect(network["error"] == "")
        #expect(network["poolCards"]?.contains("6.44 GH/s") == true)  // 270 × 2^32 / 180 s
        #expect(network["poolChart"]?.contains("<polyline") == true)
        #expect(network["blocks"]?.contains("50.00000000 BTC") == true)
        let address = try run(hash: "#address=\(FakeNode.address)")
        #expect(address["error"] == "")
        #expect(address["addrCards"]?.contains("2.34375000 BTC") == true)  // 3/4 of 312,500,000 sat
        #expect(address["workers"]?.contains("rig1") == true)
    }
}

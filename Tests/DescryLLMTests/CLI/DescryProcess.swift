import Foundation
import XCTest

/// Runs the built `descry` tool (it sits beside the test bundle in .build/<config>/) with the
/// environment pointing at a loopback server; output goes through files so nothing blocks.
struct DescryProcess {
    let store: String
    let baseURL: String
    var key = "sk-test-SECRET-0123456789"

    static var binary: String? {
        var candidates: [String] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("descry").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(TestSupport.root + "/.build/debug/descry")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Starts descry; the caller waits or kills.
    func start(_ args: [String]) throws -> (Process, String, String) {
        guard let bin = Self.binary else { throw XCTSkip("the descry binary is not built next to the tests") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["--store", store, "--data", TestSupport.dataDirectory] + args
        var env = ProcessInfo.processInfo.environment
        for k in ["OPENAI_API_KEY", "DESCRY_STORE", "DESCRY_DATA"] { env[k] = nil }
        env["DESCRY_LLM_BASE_URL"] = baseURL
        env["DESCRY_LLM_MODEL"] = "test-model"
        env["DESCRY_LLM_API_KEY"] = key
        p.environment = env
        let out = NSTemporaryDirectory() + "descry-out-" + UUID().uuidString, err = out + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        return (p, out, err)
    }

    /// Runs descry to the end (killed after 60 s, which fails the test).
    @discardableResult
    func run(_ args: [String]) throws -> Result {
        let (p, out, err) = try start(args)
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning && Date() < deadline { usleep(5_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); XCTFail("descry \(args) did not finish") }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}

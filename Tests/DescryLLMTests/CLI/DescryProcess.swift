import DescryTestSupport
import Foundation
import XCTest

/// Runs the built `descry` tool with the environment pointing at a loopback server; output
/// goes through files so nothing blocks. A missing binary fails the test (see `DescryBinary`).
struct DescryProcess {
    let store: String
    let baseURL: String
    var key = "sk-test-SECRET-0123456789"

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The configured run: `--store`, `--data`, and the LLM settings from the environment.
    func subprocess(_ args: [String]) throws -> Subprocess {
        var p = Subprocess(try DescryBinary.path(), ["--store", store, "--data", TestSupport.dataDirectory] + args)
        var env = ProcessInfo.processInfo.environment
        for k in ["OPENAI_API_KEY", "DESCRY_STORE", "DESCRY_DATA"] { env[k] = nil }
        env["DESCRY_LLM_BASE_URL"] = baseURL
        env["DESCRY_LLM_MODEL"] = "test-model"
        env["DESCRY_LLM_API_KEY"] = key
        p.environment = env
        return p
    }

    /// Starts descry; the caller waits or kills. Returns the process and its stdout and stderr files.
    func start(_ args: [String]) throws -> (Process, String, String) {
        let r = try subprocess(args).start()
        return (r.process, r.stdoutPath, r.stderrPath)
    }

    /// Runs descry to the end (killed after 60 s, which fails the test).
    @discardableResult
    func run(_ args: [String]) throws -> Result {
        let r = try subprocess(args).run(timeout: 60)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

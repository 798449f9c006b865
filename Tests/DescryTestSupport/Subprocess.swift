import Foundation

/// Runs a program to the end, the way the black-box tests need it: output captured through
/// files (so neither pipe can fill up and block the child), optional text on stdin, and a time
/// limit past which the child is killed and the test fails.
public struct Subprocess: Sendable {
    /// What a finished run printed and how it ended.
    public struct Outcome: Sendable, Equatable {
        /// The exit status (or the signal number when the child was killed by one).
        public var status: Int32
        /// Whether the child ended by a signal rather than by exiting.
        public var killedBySignal: Bool
        /// Everything written to stdout.
        public var stdout: String
        /// Everything written to stderr.
        public var stderr: String
    }

    /// A started child, for tests that act while it runs (kill it mid-write, probe its store).
    public struct Running {
        /// The child process.
        public let process: Process
        /// The command line, for messages.
        public let command: String
        /// The file collecting its stdout (removed once the outcome is read).
        public let stdoutPath: String
        /// The file collecting its stderr (removed once the outcome is read).
        public let stderrPath: String
        let finished: DispatchSemaphore

        /// Waits for the child to end (killing it after `timeout` seconds, which throws) and
        /// returns its outcome.
        public func wait(timeout: Double) throws -> Outcome {
            if finished.wait(timeout: .now() + timeout) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TestSupportError.timedOut(command: command, seconds: timeout)
            }
            process.waitUntilExit()
            return outcome()
        }

        /// The outcome of a child that has already ended (after a kill, say).
        public func outcome() -> Outcome {
            defer { for p in [stdoutPath, stderrPath] { try? FileManager.default.removeItem(atPath: p) } }
            return Outcome(status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                           stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        }
    }

    /// The program: an absolute path, or a name looked up on PATH (run through `/usr/bin/env`).
    public var executable: String
    /// Its arguments.
    public var arguments: [String]
    /// Its working directory (default: the package root).
    public var currentDirectory: String = TestPackage.root
    /// Its environment (default: this process's).
    public var environment: [String: String]? = nil
    /// Text written to its stdin, which is then closed; nil gives it an empty stdin.
    public var input: String? = nil

    /// A program and its arguments.
    public init(_ executable: String, _ arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// A readable form of the command line, for messages.
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }

    /// Starts the child and returns at once.
    public func start() throws -> Running {
        let p = Process()
        if executable.hasPrefix("/") {
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = arguments
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [executable] + arguments
        }
        p.currentDirectoryURL = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        if let environment { p.environment = environment }
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("descry-subprocess-\(UUID().uuidString)")
        let out = base + ".out", err = base + ".err"
        for path in [out, err] {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            TemporaryDirectory.removeAtExit(path)
        }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        let stdin = input.map { _ in Pipe() }
        p.standardInput = stdin ?? FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in finished.signal() }
        do { try p.run() } catch {
            throw TestSupportError.cannotStart(command: commandLine, reason: "\(error)")
        }
        if let stdin, let input {
            // A child that exits without reading all of its input must not kill us with SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        return Running(process: p, command: commandLine, stdoutPath: out, stderrPath: err, finished: finished)
    }

    /// Runs the child to the end; past `timeout` seconds it is killed and this throws.
    public func run(timeout: Double = 120) throws -> Outcome {
        try start().wait(timeout: timeout)
    }
}

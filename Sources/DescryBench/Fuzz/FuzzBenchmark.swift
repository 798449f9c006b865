import DescryQuery
import DescryStore
import Foundation

/// `descry bench fuzz`: replays hostile importer inputs through the `descry` binary (each in
/// its own process, with a deadline, on a copy of a demo store) and hostile DQL through the
/// query engine, and counts what must never happen: crashes, hangs, and stores changed by a
/// command that failed. Inputs that show one are saved for a regression test.
public struct FuzzBenchmark {
    /// Counts for one kind of input.
    public struct Tally: Sendable, Encodable, Equatable {
        public var cases = 0
        /// Exit status 0.
        public var accepted = 0
        /// Exit status 1 or 2 with the store unchanged: the expected answer to bad input.
        public var rejected = 0
        /// Killed by a signal (a trap, a crash).
        public var crashes = 0
        /// Still running at the deadline.
        public var hangs = 0
        /// Failed, yet the store's content changed (or it no longer opens).
        public var changedStores = 0
        /// Any other exit status.
        public var otherExits = 0

        public var defects: Int { crashes + hangs + changedStores + otherExits }
    }

    /// Everything one run found.
    public struct Report: Sendable, Encodable {
        public var importers: [String: Tally] = [:]
        public var queries = Tally()
        /// Saved inputs, one folder each, for the defects.
        public var savedCases: [String] = []
        public var seconds = 0.0

        public var defects: Int { importers.values.reduce(queries.defects) { $0 + $1.defects } }
    }

    public let executable: String
    public let dataDirectory: String
    public let outDirectory: String
    public let taxonomy: AttributeTaxonomy
    /// Seconds one command may run before it counts as a hang.
    public var deadline: Double = 20

    public init(executable: String, dataDirectory: String, outDirectory: String, taxonomy: AttributeTaxonomy) {
        self.executable = executable
        self.dataDirectory = dataDirectory
        self.outDirectory = outDirectory
        self.taxonomy = taxonomy
    }

    public func run(importCases: Int, queryCases: Int, seed: UInt64, progress: (String) -> Void = { _ in }) throws -> Report {
        let start = Date()
        let fm = FileManager.default
        try? fm.removeItem(atPath: outDirectory)
        try fm.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        let base = (outDirectory as NSString).appendingPathComponent("base.db")
        let baseFingerprint: String
        do {
            let store = try Store(path: base, taxonomy: taxonomy, create: true)
            let demo = (dataDirectory as NSString).appendingPathComponent("demo")
            _ = try Importer(store: store).importFudd(classNamesPath: demo + "/demo_class_names.json",
                                                      promptPairsPath: demo + "/demo_prompt_pairs.json", dataset: "demo")
            try store.checkpoint()
            baseFingerprint = try store.fingerprint()
        }
        var report = Report()
        var fuzzer = try ImportFuzzer(seed: seed, dataDirectory: dataDirectory)
        let cases = ImportFuzzer.knownCases() + (0..<max(0, importCases)).map { _ in fuzzer.nextCase() }
        for (n, c) in cases.enumerated() {
            progress("importer case \(n + 1)/\(cases.count) (\(c.format))")
            let dir = (outDirectory as NSString).appendingPathComponent("case-\(n)")
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (name, bytes) in c.files { fm.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
            let storePath = dir + "/s.db"
            try fm.copyItem(atPath: base, toPath: storePath)
            let args = ["--store", storePath, "--data", dataDirectory] + c.arguments.map { $0.hasPrefix("@/") ? dir + "/" + $0.dropFirst(2) : $0 }
            let outcome = try runProcess(args, log: dir + "/stderr.txt")
            var t = report.importers[c.format] ?? Tally()
            t.cases += 1
            var defect = false
            switch outcome {
            case .exited(0): t.accepted += 1
            case .exited(1), .exited(2):
                let after = try? Store(path: storePath, taxonomy: taxonomy, readOnly: true).fingerprint()
                if after == baseFingerprint { t.rejected += 1 } else { t.changedStores += 1; defect = true }
            case .exited: t.otherExits += 1; defect = true
            case .signalled: t.crashes += 1; defect = true
            case .timedOut: t.hangs += 1; defect = true
            }
            report.importers[c.format] = t
            if defect {
                try (args.joined(separator: "\n") + "\n").write(toFile: dir + "/arguments.txt", atomically: true, encoding: .utf8)
                report.savedCases.append(dir)
            } else {
                try? fm.removeItem(atPath: dir)
            }
        }
        report.queries = try runQueries(queryCases, seed: seed, base: base, progress: progress)
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// Hostile DQL through the engine (parse, check, compile, run with row and time limits) on
    /// a copy of the base store; the store must not change.
    func runQueries(_ n: Int, seed: UInt64, base: String, progress: (String) -> Void) throws -> Tally {
        var t = Tally()
        guard n > 0 else { return t }
        let path = (outDirectory as NSString).appendingPathComponent("queries.db")
        try FileManager.default.copyItem(atPath: base, toPath: path)
        let store = try Store(path: path, taxonomy: taxonomy)
        let before = try store.fingerprint()
        let engine = try QueryEngine(store: store)
        engine.timeLimit = .seconds(deadline)
        engine.maxRows = 10_000
        var fuzzer = QueryFuzzer(seed: seed)
        for i in 0..<n {
            if i % 100 == 0 { progress("query case \(i + 1)/\(n)") }
            t.cases += 1
            let text = fuzzer.nextCase()
            let started = Date()
            do { _ = try engine.run(text); t.accepted += 1 } catch { t.rejected += 1 }
            if Date().timeIntervalSince(started) > deadline * 1.5 { t.hangs += 1 }
        }
        if try store.fingerprint() != before { t.changedStores += 1 }
        return t
    }

    enum ProcessOutcome: Equatable { case exited(Int32), signalled(Int32), timedOut }

    func runProcess(_ args: [String], log: String) throws -> ProcessOutcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: log, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: log)
        try p.run()
        let end = Date().addingTimeInterval(deadline)
        while p.isRunning && Date() < end { usleep(5_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            return .timedOut
        }
        return p.terminationReason == .uncaughtSignal ? .signalled(p.terminationStatus) : .exited(p.terminationStatus)
    }
}

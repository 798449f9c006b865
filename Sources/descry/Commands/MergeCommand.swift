import DescryStore
import Foundation

/// `descry merge TARGET SOURCE…`: joins stores (the shards of an array job) into one.
enum MergeCommand: Command {
    static let name = "merge"
    static let summary = "merge stores into one (shards of an array job), idempotently"

    static let signature = Signature(about: """
    Copies into TARGET (created when missing) every row of each SOURCE it does not hold yet,
    matched by content, never by row id: datasets and classes by name, VLMs by name and
    manifest hash, descriptions by content hash, images by dataset and path, embeddings by
    VLM and content key, scores by VLM and description, runs by everything but their
    metrics; pairs, confusions, audits and cached LLM answers too. Merging a source twice
    adds nothing. A row TARGET holds with different values (two VLMs of one name with
    different manifest hashes, a score or an embedding that differs) is a conflict: it is
    listed, TARGET's row is kept, and the exit status is 1 (everything else is merged).
    The whole merge is one transaction on TARGET; sources are opened read-only and must
    have TARGET's schema version. TARGET is named here; --store is not used.
    See Docs/scaling.md.
    """, positionals: [.required("target"), .variadic("source")], options: [])

    static func validate(_ a: ParsedArguments) throws {
        let target = a.positionals[0]
        let sources = Array(a.positionals.dropFirst())
        if sources.contains(target) { throw a.usageError("'\(target)' is both the target and a source") }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let target = a.positionals[0]
        let sources = Array(a.positionals.dropFirst())
        for s in sources where !FileManager.default.fileExists(atPath: s) {
            throw CommandFailure("\(s): no such source store")
        }
        let taxonomy = try context.taxonomy()
        // A source that is no store is refused before a missing target is created.
        for s in sources {
            do { _ = try Store(path: s, taxonomy: taxonomy, readOnly: true) } catch StoreError.needsMigration {
                // The merger refuses it, naming both schema versions.
            }
        }
        let created = !FileManager.default.fileExists(atPath: target)
        let store = try Store(path: target, taxonomy: taxonomy, create: true)
        let start = Date()
        let report = try store.merger.merge(sources: sources)
        let seconds = Date().timeIntervalSince(start)
        if context.json {
            try Console.json(MergeJSON(report: report, created: created, seconds: seconds))
        } else {
            Console.out("merged \(sources.count) store(s) into \(target)\(created ? " (created)" : ""): \(report.added) row(s) added, \(report.conflicts) conflict(s) (\(String(format: "%.1f", seconds))s)")
            let rows = report.totals.map { [$0.table, "\($0.added)", "\($0.present)", "\($0.conflicts)"] }
            Console.out(Console.table(["table", "added", "already present", "conflicts"], rows))
            for s in report.sources {
                for t in s.tables where t.conflicts > 0 {
                    for e in t.examples { Console.err("conflict: \(s.path): \(t.table): \(e)") }
                }
            }
        }
        if report.conflicts > 0 {
            throw CommandFailure("\(report.conflicts) conflicting row(s) were not merged (listed above; the target's rows were kept); everything else is merged")
        }
    }

    /// The `--json` shape: snake_case keys, counts as numbers.
    struct MergeJSON: Encodable {
        let report: MergeReport
        let created: Bool
        let seconds: Double

        enum CodingKeys: String, CodingKey { case target, created, seconds, sources, totals, added, conflicts }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(report.target, forKey: .target)
            try c.encode(created, forKey: .created)
            try c.encode((seconds * 1000).rounded() / 1000, forKey: .seconds)
            try c.encode(report.sources, forKey: .sources)
            try c.encode(report.totals, forKey: .totals)
            try c.encode(report.added, forKey: .added)
            try c.encode(report.conflicts, forKey: .conflicts)
        }
    }
}

import DescryStore
import DescryQuery
import DescryTestSupport
import Foundation
import XCTest

/// Builds stores for the tests: a small fixture store that always exists, and one with the
/// three FuDD corpora from ../shared when they are present.
enum TestStore {
    /// The package root.
    static var root: String { TestPackage.root }

    static var fixtures: String { TestPackage.path("Tests/DescryQueryTests/Fixtures") }

    static func taxonomy() throws -> AttributeTaxonomy { try AttributeTaxonomy.shipped(dataDirectory: TestPackage.dataDirectory) }

    /// A fresh, empty store file in a temporary directory.
    static func empty() throws -> Store {
        try Store(path: try TemporaryDirectory.make(prefix: "descry-query-tests") + "/test.db", taxonomy: try taxonomy(), create: true)
    }

    /// The fixture corpus ("mini": 4 classes, 3 pairs, 16 prompt slots) plus two VLMs with
    /// scores for every description, confusions, runs and audits, all with known values.
    static func fixture() throws -> Store {
        let store = try empty()
        _ = try Importer(store: store).importFudd(classNamesPath: fixtures + "/mini_class_names.json",
                                                  promptPairsPath: fixtures + "/mini_prompt_pairs.json", dataset: "mini")
        let db = store.database
        try store.write {
            let clip = try store.vlms.ensure(named: "clip-b32")
            let siglip = try store.vlms.ensure(named: "siglip")
            let ids = try db.rows("SELECT id FROM descriptions ORDER BY id").map { try $0.int64("id") }
            for (n, id) in ids.enumerated() {
                // Deterministic, distinct values: alignment rises with id, differs per VLM.
                try db.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, margin, n_images) VALUES (?, ?, ?, ?, ?, ?)",
                               [clip, id, 0.20 + Double(n) * 0.01, Double(n % 5) * 0.01 - 0.02, Double(n % 3) * 0.005, 10])
                if n % 2 == 0 {
                    try db.execute("INSERT INTO scores(vlm_id, description_id, alignment, lift, margin, n_images) VALUES (?, ?, ?, ?, ?, ?)",
                                   [siglip, id, 0.30 - Double(n) * 0.005, Double(n % 4) * 0.02 - 0.03, nil as Double?, 8])
                }
            }
            let ds = try db.scalar(Int.self, "SELECT id FROM datasets WHERE name = 'mini'")
            func cls(_ idx: Int) throws -> Int { try db.scalar(Int.self, "SELECT id FROM classes WHERE dataset_id = ? AND idx = ?", [ds, idx]) }
            try db.execute("INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count) VALUES (?, ?, ?, ?, ?)", [clip, ds, try cls(0), try cls(1), 7])
            try db.execute("INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count) VALUES (?, ?, ?, ?, ?)", [siglip, ds, try cls(0), try cls(1), 2])
            try db.execute("INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count) VALUES (?, ?, ?, ?, ?)", [clip, ds, try cls(3), try cls(2), 4])
            try db.execute("INSERT INTO runs(vlm_id, dataset_id, method, k, accuracy) VALUES (?, ?, 'template', NULL, 0.81)", [clip, ds])
            try db.execute("INSERT INTO runs(vlm_id, dataset_id, method, k, accuracy) VALUES (?, ?, 'fudd', 3, 0.86)", [clip, ds])
            try db.execute("INSERT INTO audits(description_id, method, verdict, score) VALUES (?, 'rules', 'non-visual', 0.9)", [ids[4]])
        }
        return store
    }

    /// A store with the pets, dtd and eurosat FuDD corpora, or a skip when they are absent.
    static func fudd() throws -> Store {
        let corpora = try SharedCorpora.fudd(datasets: ["pets", "dtd", "eurosat"])
        if let cached = fuddCache { return cached }
        let store = try empty()
        for ds in ["pets", "dtd", "eurosat"] {
            _ = try Importer(store: store).importFudd(classNamesPath: "\(corpora)/\(ds)_class_names.json",
                                                      promptPairsPath: "\(corpora)/\(ds)_prompt_pairs.json", dataset: ds)
        }
        fuddCache = store
        return store
    }

    nonisolated(unsafe) static var fuddCache: Store?

    /// Rows of a hand-written SQL query, as value arrays.
    static func sql(_ store: Store, _ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> [[DatabaseValue]] {
        try store.database.rows(sql, values).map(\.values)
    }

    /// A digest of everything in the store, to prove a query changed nothing.
    static func snapshot(_ store: Store) throws -> [String] {
        var out: [String] = []
        let tables = try store.database.rows("SELECT name, sql FROM sqlite_master ORDER BY name").map { "\(try $0.string("name")):\(try $0.optionalString("sql") ?? "")" }
        out += tables
        for t in ["datasets", "classes", "descriptions", "pairs", "pair_members", "scores", "confusions", "runs", "audits", "vlms", "sources"] {
            let rows = try store.database.rows("SELECT * FROM \(t)")
            out.append("\(t): \(rows.count) rows, \(rows.map { $0.values.map { "\($0)" }.joined(separator: "|") }.joined(separator: ";").hashValue)")
        }
        return out
    }
}

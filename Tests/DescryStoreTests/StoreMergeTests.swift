@testable import DescryStore
import Foundation
import XCTest

/// `StoreMerger`: idempotent merges keyed by content, conflicts reported and never written,
/// sources refused when their schema differs or they are the target; and `Shard`.
final class StoreMergeTests: XCTestCase {
    /// A store with the tiny FuDD dataset, a registered VLM, two images with embeddings, a
    /// score and a run. `vlmHash` and `alignment` make conflicting variants.
    func makeStore(_ dir: String, _ name: String, vlmHash: String = "hash-1", alignment: Double = 0.25,
                   images: [(path: String, hash: String)] = [("a.png", "aa11"), ("b.png", "bb22")]) throws -> Store {
        let store = try Store(path: dir + "/" + name, taxonomy: TestSupport.taxonomy, create: true)
        let f = TestSupport.writeTinyFudd(in: dir + "/corpus-" + name)
        _ = try Importer(store: store).importFudd(classNamesPath: f.names, promptPairsPath: f.pairs, dataset: "tiny")
        let vlm = try store.vlms.register(VLMRegistration(name: "clip-test", family: "clip", dim: 2, manifestHash: vlmHash, manifest: "{}"))
        let ds = try store.datasetID(named: "tiny")
        let classes = try store.classes(ofDataset: ds)
        try store.images.upsert(images.enumerated().map { i, im in
            NewImage(path: im.path, classID: classes[i % classes.count].id, split: "test", contentHash: im.hash)
        }, datasetID: ds)
        try store.write {
            try store.embeddings(vlmID: vlm).put(.image, images.enumerated().map { i, im in (im.hash, [Float(i), 1]) })
            try store.embeddings(vlmID: vlm).put(.text, [(EmbeddingCache.key(text: "red kite"), [1, 0])])
        }
        let description = try store.descriptions.list(datasetID: ds)[0]
        try store.scores.save([ScoreRecord(vlmID: vlm, descriptionID: description.id, alignment: alignment, lift: 0.1, images: 2, inputHash: "in")])
        _ = try store.runs.insert(RunRecord(vlmID: vlm, datasetID: ds, method: "fudd", k: 2, aggregation: "similarity-of-mean",
                                            accuracy: 0.5, top5: 1, meanPerClassRecall: 0.5, images: 2, promptHash: "p", options: "{}",
                                            created: "2026-01-01T00:00:00Z"))
        return store
    }

    /// The store's content with ids replaced by what they stand for, table by table.
    func dump(_ store: Store) throws -> [String: [[DatabaseValue]]] {
        let queries = [
            "datasets": "SELECT name FROM datasets ORDER BY name",
            "classes": "SELECT d.name AS ds, c.idx, c.name FROM classes c JOIN datasets d ON d.id = c.dataset_id ORDER BY ds, c.idx",
            "vlms": "SELECT name, family, dim, manifest_hash, manifest FROM vlms ORDER BY name",
            "descriptions": """
                SELECT hex(x.content_hash) AS h, x.text, x.kind, d.name AS ds, c.name AS cls, s.label FROM descriptions x
                LEFT JOIN datasets d ON d.id = x.dataset_id LEFT JOIN classes c ON c.id = x.class_id JOIN sources s ON s.id = x.source_id ORDER BY h
                """,
            "pair_members": """
                SELECT ca.name AS a, cb.name AS b, m.position, cs.name AS side, hex(dd.content_hash) AS d, hex(tw.content_hash) AS t, m.attribute_raw
                FROM pair_members m JOIN pairs p ON p.id = m.pair_id JOIN classes ca ON ca.id = p.class_a JOIN classes cb ON cb.id = p.class_b
                JOIN classes cs ON cs.id = m.side JOIN descriptions dd ON dd.id = m.description_id LEFT JOIN descriptions tw ON tw.id = m.twin_id
                ORDER BY a, b, m.position, side
                """,
            "images": "SELECT d.name AS ds, i.path, c.name AS cls, i.split, i.content_hash FROM images i JOIN datasets d ON d.id = i.dataset_id LEFT JOIN classes c ON c.id = i.class_id ORDER BY ds, i.path",
            "embeddings": "SELECT v.name AS vlm, e.kind, e.key_hash, e.dim, hex(e.vector) AS v FROM embeddings e JOIN vlms v ON v.id = e.vlm_id ORDER BY vlm, e.kind, e.key_hash",
            "scores": "SELECT v.name AS vlm, hex(d.content_hash) AS h, s.alignment, s.lift, s.n_images, s.input_hash FROM scores s JOIN vlms v ON v.id = s.vlm_id JOIN descriptions d ON d.id = s.description_id ORDER BY vlm, h",
            "runs": "SELECT v.name AS vlm, d.name AS ds, r.method, r.k, r.accuracy, r.created FROM runs r JOIN vlms v ON v.id = r.vlm_id JOIN datasets d ON d.id = r.dataset_id ORDER BY r.created, r.method",
            "fts": "SELECT count(*) AS n FROM descriptions_fts WHERE descriptions_fts MATCH 'kite'",
        ]
        var out: [String: [[DatabaseValue]]] = [:]
        for (table, sql) in queries { out[table] = try store.database.rows(sql).map(\.values) }
        return out
    }

    func counts(_ r: MergeReport, _ table: String) -> MergeTableCount? { r.totals.first { $0.table == table } }

    func testMergeCopiesEverythingByContentAndTwiceAddsNothing() throws {
        let dir = TestSupport.tempDirectory()
        let source = try makeStore(dir, "source.db")
        let target = try Store(path: dir + "/target.db", taxonomy: TestSupport.taxonomy, create: true)
        let first = try target.merger.merge(sources: [source.path])
        XCTAssertEqual(first.conflicts, 0, "\(first.totals)")
        XCTAssertEqual(counts(first, "images")?.added, 2)
        XCTAssertEqual(counts(first, "embeddings")?.added, 3)
        XCTAssertEqual(counts(first, "scores")?.added, 1)
        XCTAssertEqual(counts(first, "runs")?.added, 1)
        XCTAssertEqual(counts(first, "pair_members")?.added, try TestSupport.count(source, "pair_members"))
        let expected = try dump(source)
        XCTAssertEqual(try dump(target), expected, "the merged store holds the source's content row for row")
        XCTAssertGreaterThan(expected["fts"]?.first?.first?.int ?? 0, 0,
                             "merged descriptions are in the full-text index")

        let second = try target.merger.merge(sources: [source.path, source.path])
        XCTAssertEqual(second.added, 0, "merging the same source again adds nothing: \(second.totals)")
        XCTAssertEqual(second.conflicts, 0)
        XCTAssertEqual(counts(second, "embeddings")?.present, 6, "both copies counted as present")
        XCTAssertEqual(try dump(target), expected)
    }

    func testConflictsAreReportedAndTheTargetKept() throws {
        let dir = TestSupport.tempDirectory()
        let target = try makeStore(dir, "target.db", alignment: 0.25)
        // Same VLM, a different score for the same description, one new image.
        let scoreSource = try makeStore(dir, "score.db", alignment: 0.75, images: [("a.png", "aa11"), ("c.png", "cc33")])
        let r = try target.merger.merge(sources: [scoreSource.path])
        XCTAssertEqual(counts(r, "scores")?.conflicts, 1)
        XCTAssertEqual(counts(r, "scores")?.examples.count, 1)
        XCTAssertTrue(counts(r, "scores")?.examples.first?.contains("clip-test") ?? false, "\(r.totals)")
        XCTAssertEqual(counts(r, "images")?.added, 1, "the new image is merged despite the score conflict")
        // c.png's class differs from b.png's slot? Both use class index 1: present rows stay.
        let ds = try target.datasetID(named: "tiny")
        let d = try target.descriptions.list(datasetID: ds)[0]
        XCTAssertEqual(try target.scores.score(vlmID: try target.vlms.id(named: "clip-test"), descriptionID: d.id)?.alignment, 0.25)

        // Same VLM name, another manifest: the VLM and everything of it conflicts.
        let otherModel = try makeStore(dir, "model.db", vlmHash: "hash-2", images: [("d.png", "dd44")])
        let m = try target.merger.merge(sources: [otherModel.path])
        XCTAssertEqual(counts(m, "vlms")?.conflicts, 1)
        XCTAssertTrue(counts(m, "vlms")?.examples.first?.contains("hash-2") ?? false, "\(m.totals)")
        XCTAssertEqual(counts(m, "embeddings")?.conflicts, 2, "the other model's vectors are not mixed in")
        XCTAssertEqual(counts(m, "embeddings")?.added, 0)
        XCTAssertEqual(counts(m, "images")?.added, 1, "images do not depend on the VLM")
        XCTAssertEqual(try target.vlms.record(named: "clip-test")?.manifestHash, "hash-1")
    }

    func testADifferentEmbeddingIsAConflict() throws {
        let dir = TestSupport.tempDirectory()
        let target = try makeStore(dir, "target.db")
        let source = try makeStore(dir, "source.db")
        try source.write { try source.embeddings(vlmID: try source.vlms.id(named: "clip-test")).put(.image, [("aa11", [9, 9])]) }
        let r = try target.merger.merge(sources: [source.path])
        XCTAssertEqual(counts(r, "embeddings")?.conflicts, 1)
        XCTAssertTrue(counts(r, "embeddings")?.examples.first?.contains("aa11") ?? false, "\(r.totals)")
        XCTAssertEqual(try target.embeddings(vlmID: try target.vlms.id(named: "clip-test")).vectors(.image, keys: ["aa11"])["aa11"], [0, 1])
    }

    func testSourcesWithAnotherSchemaOrTheTargetItselfAreRefused() throws {
        let dir = TestSupport.tempDirectory()
        let target = try makeStore(dir, "target.db")
        let old = try makeStore(dir, "old.db")
        try old.database.execute("PRAGMA user_version = \(Schema.latestVersion - 1)")
        XCTAssertThrowsError(try target.merger.merge(sources: [old.path])) { e in
            XCTAssertTrue("\(e)".contains("old.db") && "\(e)".contains("schema version is \(Schema.latestVersion - 1)"), "\(e)")
        }
        XCTAssertThrowsError(try target.merger.merge(sources: [target.path])) { e in
            XCTAssertTrue("\(e)".contains("target store itself"), "\(e)")
        }
        XCTAssertThrowsError(try target.merger.merge(sources: [dir + "/missing.db"]))
        XCTAssertEqual(try TestSupport.count(target, "images"), 2, "nothing was written")
    }

    func testShardsAreDisjointAndCoverEveryHash() throws {
        let hashes = (0..<600).map { Hashing.sha256Hex("image \($0)") }
        var seen = Set<String>()
        for i in 0..<7 {
            let s = try Shard.parse("\(i)/7")
            let mine = hashes.filter { s.contains(contentHash: $0) }
            XCTAssertGreaterThan(mine.count, 40, "shard \(i) got \(mine.count) of 600")
            XCTAssertTrue(seen.isDisjoint(with: mine))
            seen.formUnion(mine)
        }
        XCTAssertEqual(seen.count, hashes.count)
        // The rule, spelled out: first 8 bytes big-endian, mod N.
        XCTAssertEqual(Shard.bucket(contentHash: "0000000000000005" + String(repeating: "f", count: 48), count: 3), 2)
        XCTAssertEqual(Shard.bucket(contentHash: "ffffffffffffffff" + String(repeating: "0", count: 48), count: 10), Int(UInt64.max % 10))
        for bad in ["3/3", "-1/2", "1", "a/b", "0/0", "1/2/3"] {
            XCTAssertThrowsError(try Shard.parse(bad), bad)
        }
    }

    /// Every table of the current schema is merged or declared derived: a table a new
    /// migration adds cannot be skipped by `descry merge` without this test failing.
    func testEveryTableOfTheSchemaHasAMergeRule() throws {
        let dir = TestSupport.tempDirectory()
        let store = try Store(path: dir + "/s.db", taxonomy: TestSupport.taxonomy, create: true)
        let names = try store.database.rows("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
            AND name NOT LIKE 'descriptions_fts_%'
            """).map { try $0.string("name") }
        XCTAssertTrue(names.contains("class_aliases"), "\(names)")
        let merged = Set(StoreMerger.tables(schema: "src").map(\.name))
        let missing = Set(names).subtracting(merged).subtracting(StoreMerger.derivedTables)
        XCTAssertEqual(missing, [], "tables without a merge rule")
        XCTAssertEqual(merged.intersection(StoreMerger.derivedTables), [], "a derived table is also copied")
    }
}

import DescryAnalysis
import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// `embed images --shard I/N` and `merge`: three shards merged equal one unsharded run, row
/// for row; merging again changes nothing; a conflict is reported. And `export classifier` /
/// `export custom-templates` from the same store (the weights read back with numpy).
final class ShardMergeCLITests: XCTestCase {
    let root = CLIHarness.packageRoot

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: root + "/.deps/onnxruntime/libonnxruntime.so"),
              FileManager.default.fileExists(atPath: root + "/.deps/clip/bpe_simple_vocab_16e6.txt.gz") else {
            throw XCTSkip("ONNX Runtime or the CLIP vocabulary is missing; run `make deps`")
        }
    }

    /// A store with the demo dataset (FuDD pairs, descriptions, templates), the demo model and
    /// the demo images registered.
    func prepared(_ name: String) throws -> CLIHarness {
        let cli = try CLIHarness(name: name)
        for args in [["init"], ["import", "fudd", root + "/Data/demo", "--dataset", "demo"],
                     ["import", "descriptions", root + "/Data/demo/demo_descriptions.json", "--dataset", "demo", "--source", "demo"],
                     ["import", "templates", root + "/Data/demo/demo_templates.json", "--dataset", "demo", "--source", "demo-templates"],
                     ["models", "add", "demo-clip", root + "/Data/models/demo-clip"],
                     ["images", "add", "demo", root + "/Data/demo/images"]] {
            let r = try cli.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.err)")
        }
        return cli
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func openStore(_ path: String) throws -> Store {
        try Store(path: path, taxonomy: try AttributeTaxonomy.shipped(dataDirectory: TestPackage.dataDirectory), readOnly: true)
    }

    /// Content of the tables a shard run writes, with ids replaced by what they stand for.
    func dump(_ path: String, tables: [String]) throws -> [String: [[DatabaseValue]]] {
        let store = try openStore(path)
        let queries = [
            "images": "SELECT d.name AS ds, i.path, c.name AS cls, i.split, i.content_hash FROM images i JOIN datasets d ON d.id = i.dataset_id LEFT JOIN classes c ON c.id = i.class_id ORDER BY ds, i.path",
            "embeddings": "SELECT v.name AS vlm, v.manifest_hash, e.kind, e.key_hash, e.dim, hex(e.vector) AS v FROM embeddings e JOIN vlms v ON v.id = e.vlm_id ORDER BY vlm, e.kind, e.key_hash",
            "descriptions": "SELECT hex(x.content_hash) AS h, x.text, x.kind, x.attribute, x.category FROM descriptions x ORDER BY h",
            "scores": "SELECT v.name AS vlm, hex(d.content_hash) AS h, s.alignment, s.lift, s.margin, s.content, s.n_images, s.input_hash FROM scores s JOIN vlms v ON v.id = s.vlm_id JOIN descriptions d ON d.id = s.description_id ORDER BY vlm, h",
            "runs": "SELECT v.name AS vlm, d.name AS ds, r.method, r.k, r.aggregation, r.accuracy, r.top5, r.mean_per_class_recall, r.n_images, r.prompt_hash, r.options, r.created FROM runs r JOIN vlms v ON v.id = r.vlm_id JOIN datasets d ON d.id = r.dataset_id ORDER BY r.created, r.method, r.k",
        ]
        var out: [String: [[DatabaseValue]]] = [:]
        for t in tables { out[t] = try store.database.rows(try XCTUnwrap(queries[t])).map(\.values) }
        return out
    }

    func testShardedEmbeddingMergedEqualsOneRunAndMergingAgainAddsNothing() throws {
        // One run, batch 1 and one thread everywhere so the vectors do not depend on batching.
        let embed = ["--vlm", "demo-clip", "--dataset", "demo", "--batch", "1", "--threads", "1"]
        let full = try prepared("full")
        XCTAssertEqual(try full.run(["embed", "images"] + embed).status, 0)
        XCTAssertEqual(try full.run(["embed", "texts"] + embed).status, 0)
        let score = try full.run(["score", "--vlm", "demo-clip", "--dataset", "demo", "--no-content"])
        XCTAssertEqual(score.status, 0, score.err)
        let eval = try full.run(["evaluate", "--vlm", "demo-clip", "--dataset", "demo", "--methods", "template,fudd", "--k", "3,all"])
        XCTAssertEqual(eval.status, 0, eval.err)

        var shardStores: [String] = []
        var shardTotal = 0
        for i in 0..<3 {
            let cli = try prepared("shard\(i)")
            let r = try cli.run(["embed", "images", "--shard", "\(i)/3", "--json"] + embed)
            XCTAssertEqual(r.status, 0, r.err)
            let report = try json(r.out)
            XCTAssertEqual(report["shard"] as? String, "\(i)/3")
            XCTAssertEqual(report["dataset_total"] as? Int, 168)
            let n = try XCTUnwrap(report["total"] as? Int)
            XCTAssertGreaterThan(n, 20, "shard \(i) holds \(n) of 168 images")
            XCTAssertEqual(report["embedded"] as? Int, n)
            shardTotal += n
            XCTAssertEqual(try cli.run(["embed", "texts"] + embed).status, 0)
            shardStores.append(cli.directory + "/s.db")
        }
        XCTAssertEqual(shardTotal, 168, "the shards cover every image exactly once")

        let out = try CLIHarness(name: "merged")
        let merged = out.directory + "/merged.db"
        let m = try out.run(["merge", merged] + shardStores + ["--json"])
        XCTAssertEqual(m.status, 0, m.err)
        let report = try json(m.out)
        XCTAssertEqual(report["created"] as? Bool, true)
        XCTAssertEqual(report["conflicts"] as? Int, 0)
        let totals = try XCTUnwrap(report["totals"] as? [[String: Any]])
        let embeddings = try XCTUnwrap(totals.first { $0["table"] as? String == "embeddings" })
        XCTAssertEqual(embeddings["conflicts"] as? Int, 0)
        XCTAssertGreaterThan(embeddings["present"] as? Int ?? 0, 0, "the text vectors every shard embedded are equal and counted once")

        let tables = ["images", "embeddings", "descriptions"]
        let expected = try dump(full.directory + "/s.db", tables: tables)
        XCTAssertEqual(try dump(merged, tables: tables), expected, "three shards merged equal one unsharded run")
        XCTAssertEqual(expected["embeddings"]?.filter { $0[2] == .text("image") }.count, 168)

        // Scores and runs made on the unsharded store merge in row for row, and what the shards
        // brought is all already present.
        let withRuns = try out.run(["merge", merged, full.directory + "/s.db", "--json"])
        XCTAssertEqual(withRuns.status, 0, withRuns.err)
        let both = ["images", "embeddings", "descriptions", "scores", "runs"]
        let all = try dump(full.directory + "/s.db", tables: both)
        XCTAssertGreaterThan(all["scores"]?.count ?? 0, 0)
        XCTAssertGreaterThan(all["runs"]?.count ?? 0, 0)
        XCTAssertEqual(try dump(merged, tables: both), all)

        // Merging everything again adds nothing.
        let again = try out.run(["merge", merged] + shardStores + [full.directory + "/s.db", "--json"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try json(again.out)["added"] as? Int, 0)
        XCTAssertEqual(try dump(merged, tables: both), all)

        // A shard whose vector for one image differs: reported, the target's vector kept, exit 1.
        let bad = try prepared("bad")
        let badStore = try Store(path: bad.directory + "/s.db", taxonomy: try AttributeTaxonomy.shipped(dataDirectory: TestPackage.dataDirectory))
        let key = try XCTUnwrap(expected["embeddings"]?.first { $0[2] == .text("image") }?[3].string)
        let vlmID = try badStore.vlms.id(named: "demo-clip")
        try badStore.write { try badStore.embeddings(vlmID: vlmID).put(.image, [(key, [Float](repeating: 0.125, count: 64))]) }
        let conflict = try out.run(["merge", merged, bad.directory + "/s.db"])
        XCTAssertEqual(conflict.status, 1, conflict.out + conflict.err)
        XCTAssertTrue(conflict.err.contains("conflict") && conflict.err.contains(String(key.prefix(12))), conflict.err)
        XCTAssertEqual(try dump(merged, tables: both), all, "a conflict overwrites nothing")

        // Usage errors: a shard outside its range, --shard on texts, a source that is the target.
        for args in [["embed", "images", "--shard", "3/3"] + embed, ["embed", "images", "--shard", "x"] + embed,
                     ["embed", "texts", "--shard", "0/2"] + embed, ["merge", merged, merged]] {
            XCTAssertEqual(try out.run(args).status, 2, "\(args)")
        }

        try checkClassifierExport(full)
        try checkCustomTemplates(full)
    }

    /// `export classifier`: the .npy parses with numpy, has shape (dim, classes), unit columns,
    /// and column c is the class embedding DescryAnalysis computes.
    func checkClassifierExport(_ cli: CLIHarness) throws {
        let numpy = try Subprocess("/usr/bin/env", ["python3", "-c", "import numpy"]).run(timeout: 60)
        guard numpy.status == 0 else { throw XCTSkip("python3 with numpy is not available: \(numpy.stderr)") }
        let store = try openStore(cli.directory + "/s.db")
        let vlmID = try store.vlms.id(named: "demo-clip")
        let library = try PromptLibrary.load(store: store, dataset: "demo", vlmID: vlmID)
        for method in [ZeroShotMethod.fudd, .descriptions, .ensemble] {
            let path = cli.directory + "/clf-\(method.rawValue).npy"
            let r = try cli.run(["export", "classifier", path, "--dataset", "demo", "--vlm", "demo-clip", "--method", method.rawValue, "--embed-missing"])
            XCTAssertEqual(r.status, 0, r.err)
            let py = try Subprocess("/usr/bin/env", ["python3", "-c", """
                import json, sys, numpy as np
                w = np.load(sys.argv[1])
                print(json.dumps({"dtype": str(w.dtype), "shape": list(w.shape), "norms": np.linalg.norm(w, axis=0).tolist(), "w": w.T.tolist()}))
                """, path]).run(timeout: 60)
            XCTAssertEqual(py.status, 0, py.stderr)
            let parsed = try json(py.stdout)
            XCTAssertEqual(parsed["dtype"] as? String, "float32")
            XCTAssertEqual(parsed["shape"] as? [Int], [64, library.classes.count])
            for n in try XCTUnwrap(parsed["norms"] as? [Double]) { XCTAssertEqual(n, 1, accuracy: 1e-5) }
            let columns = try XCTUnwrap(parsed["w"] as? [[Double]])
            let source = try CachedTextVectors(store: store, vlm: "demo-clip", dataset: "demo")
            let reference: Matrix
            if method == .fudd {
                reference = try FuDDClassifier(library: library, source: source).allPairsHead().matrix
            } else {
                let prompts = library.prompts(for: method)
                reference = try PromptHead(classVectors: try prompts.map { try source.vectors(for: $0) }, dim: 64, aggregation: .similarityOfMean).matrix
            }
            XCTAssertEqual(reference.rows, columns.count)
            for c in 0..<columns.count {
                for (a, b) in zip(columns[c], reference.row(c)) { XCTAssertEqual(a, Double(b), accuracy: 1e-6, "\(method) column \(c)") }
            }
            let classes = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".classes.json"))) as? [String])
            XCTAssertEqual(classes, library.classes.map(\.displayName))
            let provenance = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".provenance.json"))) as? [String: Any])
            XCTAssertEqual(provenance["method"] as? String, method.rawValue)
            XCTAssertEqual((provenance["vlm"] as? [String: Any])?["manifest_hash"] as? String, try store.vlms.record(named: "demo-clip")?.manifestHash)
            let perClass = try XCTUnwrap(provenance["classes"] as? [[String: Any]])
            XCTAssertEqual(perClass.count, classes.count)
            XCTAssertTrue(perClass.allSatisfy { ($0["prompts"] as? Int ?? 0) == ($0["prompt_sha256"] as? [String])?.count && ($0["prompts"] as? Int ?? 0) > 0 })
        }
        let refused = try cli.run(["export", "classifier", cli.directory + "/x.npy", "--dataset", "demo", "--vlm", "demo-clip", "--aggregation", "mean-of-similarities"])
        XCTAssertEqual(refused.status, 2, refused.err)
    }

    /// `export custom-templates`: CuPL's flat layout and CLIP_benchmark's nested one.
    func checkCustomTemplates(_ cli: CLIHarness) throws {
        let store = try openStore(cli.directory + "/s.db")
        let ds = try store.datasetID(named: "demo")
        let classes = try store.classes(ofDataset: ds)
        let described = try store.descriptions.list(datasetID: ds, kind: .class)
        let flat = cli.directory + "/cupl.json"
        XCTAssertEqual(try cli.run(["export", "custom-templates", flat, "--dataset", "demo", "--method", "descriptions", "--source", "demo"]).status, 0)
        let value = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: flat))) as? [String: [String]])
        XCTAssertEqual(Set(value.keys), Set(classes.map(\.displayName)))
        let first = try XCTUnwrap(described.first)
        let owner = try XCTUnwrap(classes.first { $0.id == first.classID })
        XCTAssertEqual(value[owner.displayName], described.filter { $0.classID == owner.id }.map(\.text))

        let nested = cli.directory + "/bench.json"
        XCTAssertEqual(try cli.run(["export", "custom-templates", nested, "--dataset", "demo", "--method", "templates", "--benchmark-key", "demo"]).status, 0)
        let bench = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: nested))) as? [String: [String: [String]]])
        let templates = try store.descriptions.templates(datasetID: ds)
        XCTAssertEqual(bench["demo"]?[owner.displayName], templates.map { PromptLibrary.fill($0, owner.displayName) })
        let unknown = try cli.run(["export", "custom-templates", flat, "--dataset", "demo", "--source", "nobody"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("nobody"), unknown.err)
    }
}

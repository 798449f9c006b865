import DescryTestSupport
import Foundation
import XCTest

/// Every command's `--json` by the conventions of Docs/json.md, on the demo store: it parses,
/// every key in the whole tree is snake_case (`^[a-z][a-z0-9_]*$`), and numeric fields are
/// JSON numbers, never formatted strings.
///
/// To cover a new command, add a line to ``cases`` (run in order, on one store): its
/// arguments and the numeric keys it must print.
final class JSONOutputTests: XCTestCase {
    /// One `--json` run: the arguments after `descry --json`, and keys that must occur in its
    /// output with number values (so a case cannot pass by printing nothing).
    struct Case {
        let args: [String]
        let numbers: [String]
        init(_ args: [String], numbers: [String] = []) {
            self.args = args
            self.numbers = numbers
        }
    }

    /// Keys that are numbers (or null) wherever they occur, in any command's output.
    static let numericKeys: Set<String> = [
        "cosine", "probability", "rank", "top1", "top5", "k", "count", "accuracy", "alignment", "lift", "dim", "image_size",
        "schema_version", "classes", "images", "pairs", "pair_slots", "embedded", "cached", "total", "added", "updated",
        "descriptions_added", "descriptions_existing", "classes_added", "pairs_added", "text_embeddings", "image_embeddings",
        "computed", "unchanged", "to_send", "prompt_tokens", "max_answer_tokens", "embeddings", "sources", "vlms", "precision", "recall",
        "items", "correct", "attribute_agreement", "index",
    ]

    static func cases(data: String, dir: String) -> [Case] {
        let image = data + "/demo/images/crimson_sailfin/000.png"
        let llm = ["--model", "test-model", "--base-url", "http://127.0.0.1:9/v1", "--dry-run"]
        return [
            Case(["init"], numbers: ["schema_version"]),
            Case(["import", "fudd", data + "/demo", "--dataset", "demo"], numbers: ["descriptions_added", "classes_added", "pairs_added"]),
            Case(["import", "descriptions", data + "/demo/demo_descriptions.json", "--dataset", "demo"], numbers: ["descriptions_added"]),
            Case(["import", "templates", data + "/demo/demo_templates.json", "--dataset", "demo"], numbers: ["descriptions_added"]),
            Case(["models", "add", "demo-clip", data + "/models/demo-clip"], numbers: ["dim"]),
            Case(["images", "add", "demo", data + "/demo/images"], numbers: ["added"]),
            Case(["embed", "images", "--vlm", "demo-clip", "--dataset", "demo"], numbers: ["embedded", "total"]),
            Case(["embed", "texts", "--vlm", "demo-clip", "--dataset", "demo"], numbers: ["embedded", "total"]),
            Case(["models", "list"], numbers: ["dim", "image_size", "text_embeddings", "image_embeddings"]),
            Case(["stats"], numbers: ["schema_version", "classes", "pair_slots", "count"]),
            Case(["search", "sailfin", "--dataset", "demo"], numbers: ["rank"]),
            Case(["attributes"], numbers: ["descriptions"]),
            Case(["attributes", "--taxonomy"]),
            Case(["attributes", "--map", "muzzle shape"]),
            Case(["attributes", "--explain", "a crimson sailfin, which is red.", "--class", "crimson sailfin"]),
            Case(["similarity", "--vlm", "demo-clip", image, "a crimson sailfin", "a slate hexling"], numbers: ["cosine", "probability"]),
            Case(["classify", "--vlm", "demo-clip", "--dataset", "demo", "--k", "3", image], numbers: ["rank", "cosine"]),
            Case(["evaluate", "--vlm", "demo-clip", "--dataset", "demo", "--methods", "template,fudd", "--k", "3"], numbers: ["top1", "top5", "k", "count"]),
            Case(["score", "--vlm", "demo-clip", "--dataset", "demo"], numbers: ["alignment", "lift", "computed"]),
            Case(["audit", "--dataset", "demo", "--vlm", "demo-clip"], numbers: ["count"]),
            Case(["report", "--vlm", "demo-clip", "--dataset", "demo", "--out", dir + "/report.html"]),
            Case(["export", "jsonl", dir + "/out.jsonl", "--dataset", "demo"]),
            Case(["query", "descriptions | where dataset = \"demo\" | group by kind | aggregate n = count()"], numbers: ["n"]),
            Case(["generate", "descriptions", "--dataset", "demo", "--per-class", "2", "--class", "crimson sailfin"] + llm,
                 numbers: ["to_send", "prompt_tokens"]),
            Case(["judge", "--dataset", "demo", "--limit", "3"] + llm, numbers: ["to_send"]),
            Case(["paths"]),
            Case(["classes", "alias", "demo", "Crimson-Sailfin fish", "crimson sailfin"]),
            Case(["classes", "list", "demo"], numbers: ["index"]),
            Case(["import", "descriptions", dir + "/aliased.json", "--dataset", "demo"], numbers: ["descriptions_added"]),
            Case(["export", "custom-templates", dir + "/templates.json", "--dataset", "demo"]),
            Case(["export", "classifier", dir + "/classifier.npy", "--dataset", "demo", "--vlm", "demo-clip"]),
            Case(["merge", dir + "/merged.db", dir + "/s.db"], numbers: ["added"]),
        ] + (SharedCorpora.isPresent("fudd") ? [
            // The auditor on its labelled set, which points into ../shared/corpora.
            Case(["audit", "--sample", "--corpora", SharedCorpora.root], numbers: ["accuracy", "precision", "recall", "attribute_agreement"]),
        ] : [])
    }

    static let keyPattern = try! NSRegularExpression(pattern: "^[a-z][a-z0-9_]*$")

    static func isSnakeCase(_ key: String) -> Bool {
        keyPattern.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil
    }

    /// Walks the tree: every key snake_case, every numeric key a number or null; returns the
    /// keys seen with a number value.
    static func check(_ value: Any, at path: String, numbers seen: inout Set<String>, failures: inout [String]) {
        if let object = value as? [String: Any] {
            for (key, child) in object {
                if !isSnakeCase(key) { failures.append("\(path): key '\(key)' is not snake_case") }
                if numericKeys.contains(key) && !(child is NSNull) && !isNumber(child) && !(child is [Any]) && !(child is [String: Any]) {
                    failures.append("\(path).\(key): expected a number, got \(child) (\(type(of: child)))")
                }
                if isNumber(child) { seen.insert(key) }
                check(child, at: path + "." + key, numbers: &seen, failures: &failures)
            }
        } else if let array = value as? [Any] {
            for (i, child) in array.enumerated() { check(child, at: "\(path)[\(i)]", numbers: &seen, failures: &failures) }
        }
    }

    static func isNumber(_ value: Any) -> Bool {
        !(value is String) && value is NSNumber
    }

    func testEveryCommandPrintsSnakeCaseKeysAndNumbersAsNumbers() throws {
        guard FileManager.default.fileExists(atPath: TestPackage.root + "/.deps/onnxruntime/libonnxruntime.so"),
              FileManager.default.fileExists(atPath: TestPackage.root + "/.deps/clip/bpe_simple_vocab_16e6.txt.gz") else {
            throw XCTSkip("ONNX Runtime or the CLIP vocabulary is not in .deps; run `make deps`")
        }
        let cli = try CLIHarness(name: "json")
        // A file keyed by an alias, for the `import descriptions` case after `classes alias`.
        try #"{"Crimson-Sailfin fish": ["a crimson sailfin, with a tall red dorsal fin."]}"#
            .write(toFile: cli.directory + "/aliased.json", atomically: true, encoding: .utf8)
        for c in Self.cases(data: TestPackage.dataDirectory, dir: cli.directory) {
            let r = try cli.run(["--json"] + c.args)
            let label = c.args.prefix(2).joined(separator: " ")
            XCTAssertEqual(r.status, 0, "\(label): \(r.err)")
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(r.out.utf8), options: [.fragmentsAllowed]) else {
                XCTFail("\(label): stdout is not JSON: \(r.out.prefix(300))")
                continue
            }
            XCTAssertTrue(parsed is [String: Any] || parsed is [Any], "\(label): one object or array")
            var seen: Set<String> = [], failures: [String] = []
            Self.check(parsed, at: label, numbers: &seen, failures: &failures)
            for f in failures.prefix(10) { XCTFail(f) }
            for key in c.numbers where !seen.contains(key) {
                XCTFail("\(label): no number under '\(key)' in \(r.out.prefix(600))")
            }
        }
    }

    /// The checker itself catches what it must (a test that cannot fail is no test).
    func testTheCheckerRejectsCamelCaseDataKeysAndNumericStrings() {
        var seen: Set<String> = [], failures: [String] = []
        Self.check(["byCategory": ["non-visual": 3], "rank": "1", "cosine": 0.5], at: "x", numbers: &seen, failures: &failures)
        XCTAssertEqual(failures.count, 3, "\(failures)")
        XCTAssertEqual(seen, ["cosine", "non-visual"])
    }
}

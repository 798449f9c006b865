import DescryFakes
import Foundation

/// One hostile input for an importer: the files to write and the `descry` arguments that read
/// them (paths relative to the case's folder, marked `@/`).
public struct FuzzCase: Sendable {
    public var format: String
    public var files: [String: [UInt8]]
    public var arguments: [String]
}

/// Generates hostile inputs for every importer from the demo corpus in `Data/demo`: byte
/// flips, truncations, spliced hostile tokens (huge and non-finite numbers, deep nesting, NUL,
/// BOM, CRLF, invalid UTF-8, empty and very long strings) and the reliability issue's own
/// inputs. Deterministic for a seed.
public struct ImportFuzzer {
    private var rng: SplitMix64
    private let seeds: [String: [UInt8]]

    /// Tokens spliced into otherwise valid files.
    static let hostileTokens: [String] = [
        "1e400", "-1e400", "9.3e18", "9223372036854775808", "-0", "0.5", "NaN", "Infinity", "null", "true", "\"\"", "\" \"",
        "[]", "{}", "[", "{", "]", "}", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "\u{FEFF}", "\r\n", "\r", "\0",
        String(repeating: "[", count: 5000), String(repeating: "{\"a\":", count: 3000), "\"" + String(repeating: "x", count: 100_000) + "\"",
        "\"\(String(repeating: "é", count: 2000))\"", "#", "\"{}\"", "\"{d}\"", "../../etc/passwd", "/etc/shadow",
    ]

    /// The reliability issue's inputs, verbatim in spirit.
    static func knownCases() -> [FuzzCase] {
        func c(_ format: String, _ name: String, _ text: String, _ args: [String]) -> FuzzCase {
            FuzzCase(format: format, files: [name: Array(text.utf8)], arguments: args)
        }
        return [
            c("jsonl", "x.jsonl", #"{"dataset":"demo","kind":"class","class":1e400,"text":"x"}"#, ["import", "jsonl", "@/x.jsonl"]),
            c("jsonl", "x.jsonl", #"{"dataset":"demo","kind":"class","class":1e400,"text":"x"}"#, ["import", "jsonl", "@/x.jsonl", "--skip-invalid"]),
            c("jsonl", "x.jsonl", #"{"dataset":"demo","pair":[0,9.3e18],"side":0,"text":"x","twin":"y"}"#, ["import", "jsonl", "@/x.jsonl"]),
            c("classes", "c.txt", "alpha\r\nbeta\r\n", ["import", "classes", "@/c.txt", "--dataset", "crlf"]),
            c("classes", "c.json", "\u{FEFF}[\"alpha\", \"beta\"]", ["import", "classes", "@/c.json", "--dataset", "bom"]),
            c("classes", "c.json", "[\"al\\u0000pha\"]", ["import", "classes", "@/c.json", "--dataset", "nul"]),
            c("descriptions", "d.json", "{\"crimson sailfin\": [\"\"]}", ["import", "descriptions", "@/d.json", "--dataset", "demo"]),
            c("templates", "t.json", "[\"" + String(repeating: "no placeholder ", count: 20_000) + "\"]", ["import", "templates", "@/t.json"]),
            c("images", "m.csv", "path,label\n/etc/shadow,crimson sailfin\n../../x.jpg,crimson sailfin\n", ["images", "add", "demo", "--manifest", "@/m.csv"]),
        ]
    }

    /// Reads the seed files from the data folder's demo corpus.
    public init(seed: UInt64, dataDirectory: String) throws {
        rng = SplitMix64(state: seed)
        let demo = (dataDirectory as NSString).appendingPathComponent("demo")
        func read(_ name: String) throws -> [UInt8] {
            guard let d = FileManager.default.contents(atPath: (demo as NSString).appendingPathComponent(name)) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: name])
            }
            return [UInt8](d)
        }
        var seeds: [String: [UInt8]] = [:]
        seeds["classes-json"] = try read("demo_class_names.json")
        seeds["classes-text"] = try read("classes.txt")
        seeds["descriptions"] = try read("demo_descriptions.json")
        seeds["templates"] = try read("demo_templates.json")
        seeds["fudd"] = try read("demo_prompt_pairs.json")
        seeds["jsonl"] = Array("""
            {"dataset": "demo", "class": "crimson sailfin", "text": "a crimson sailfin has stripes.", "attribute": "pattern"}
            {"dataset": "demo", "class": 1, "text": "a crimson sawfin has dots.", "kind": "class"}
            {"dataset": "demo", "pair": ["crimson sailfin", "crimson sawfin"], "side": 0, "text": "striped.", "twin": "dotted.", "position": 3}
            """.utf8)
        seeds["manifest"] = Array("path,label\nimages/a.jpg,crimson sailfin\n\"images/b, c.png\",coral sawfin\nimages/c.png\n".utf8)
        self.seeds = seeds
    }

    /// The next hostile case, cycling through the formats.
    public mutating func nextCase() -> FuzzCase {
        let kinds = ["classes-json", "classes-text", "descriptions", "templates", "fudd", "jsonl", "manifest"]
        let kind = kinds[rng.below(kinds.count)]
        var bytes = seeds[kind] ?? []
        for _ in 0..<(1 + rng.below(3)) { bytes = mutate(bytes) }
        switch kind {
        case "classes-json": return FuzzCase(format: "classes", files: ["c.json": bytes], arguments: ["import", "classes", "@/c.json", "--dataset", "fz"])
        case "classes-text": return FuzzCase(format: "classes", files: ["c.txt": bytes], arguments: ["import", "classes", "@/c.txt", "--dataset", "fz"])
        case "descriptions":
            let extra = rng.below(3) == 0 ? ["--skip-invalid"] : []
            return FuzzCase(format: "descriptions", files: ["d.json": bytes], arguments: ["import", "descriptions", "@/d.json", "--dataset", "demo"] + extra)
        case "templates": return FuzzCase(format: "templates", files: ["t.json": bytes], arguments: ["import", "templates", "@/t.json"])
        case "fudd":
            return FuzzCase(format: "fudd", files: ["fz_prompt_pairs.json": bytes, "fz_class_names.json": seeds["classes-json"] ?? []],
                            arguments: ["import", "fudd", "@/fz_prompt_pairs.json"])
        case "jsonl":
            let extra = rng.below(2) == 0 ? ["--skip-invalid"] : []
            return FuzzCase(format: "jsonl", files: ["x.jsonl": bytes], arguments: ["import", "jsonl", "@/x.jsonl"] + extra)
        default:
            return FuzzCase(format: "images", files: ["m.csv": bytes], arguments: ["images", "add", "demo", "--manifest", "@/m.csv"])
        }
    }

    private mutating func mutate(_ b: [UInt8]) -> [UInt8] {
        var b = b
        if b.isEmpty { return Array(Self.hostileTokens[rng.below(Self.hostileTokens.count)].utf8) }
        let at = rng.below(b.count)
        switch rng.below(6) {
        case 0: b[at] = UInt8(truncatingIfNeeded: rng.next())
        case 1: b.removeSubrange(at...)
        case 2, 3: b.insert(contentsOf: Array(Self.hostileTokens[rng.below(Self.hostileTokens.count)].utf8), at: at)
        case 4:
            let end = min(b.count, at + 1 + rng.below(64))
            b.replaceSubrange(at..<end, with: Array(Self.hostileTokens[rng.below(Self.hostileTokens.count)].utf8))
        default:
            let end = min(b.count, at + 1 + rng.below(256))
            b.insert(contentsOf: b[at..<end], at: at)
        }
        return b
    }
}

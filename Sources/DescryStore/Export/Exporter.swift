import Foundation

/// Exports a dataset's descriptions in the formats the importers read, so `import` then
/// `export` reproduces the source files' content.
public struct Exporter {
    /// The store read from.
    public let store: Store

    /// Creates an exporter.
    public init(store: Store) { self.store = store }

    /// The FuDD corpus of a dataset (pairs for one VLM, or the VLM-independent ones).
    public func fuddCorpus(dataset: String, vlm: String? = nil) throws -> FuddCorpus {
        let dsID = try store.datasetID(named: dataset)
        let classes = try store.classes(ofDataset: dsID)
        let vlmID = try vlm.map { try store.vlms.id(named: $0) } ?? 0
        let rows = try store.wrap {
            try store.database.rows("""
                SELECT ca.idx AS class_a, cb.idx AS class_b, m.position, m.side = p.class_a AS is_a, d.text, m.attribute_raw
                FROM pairs p
                JOIN classes ca ON ca.id = p.class_a
                JOIN classes cb ON cb.id = p.class_b
                JOIN pair_members m ON m.pair_id = p.id
                JOIN descriptions d ON d.id = m.description_id
                WHERE p.dataset_id = ? AND coalesce(p.vlm_id, 0) = ?
                ORDER BY ca.idx, cb.idx, m.position, is_a DESC
                """, [dsID, vlmID])
        }
        var pairs: [FuddCorpus.Pair] = []
        for r in rows {
            let a = try r.int("class_a"), b = try r.int("class_b"), pos = try r.int("position"), isA = try r.bool("is_a")
            let text = try r.string("text"), attr = try r.optionalString("attribute_raw") ?? ""
            if pairs.last?.classA != a || pairs.last?.classB != b { pairs.append(.init(classA: a, classB: b, promptPairs: [])) }
            var pp = pairs[pairs.count - 1].promptPairs
            // Positions are dense per pair; a missing side stays empty rather than shifting.
            while pp.count <= pos { pp.append(.init(attrType: attr, textA: "", textB: "")) }
            if isA { pp[pos].textA = text; pp[pos].attrType = attr } else { pp[pos].textB = text }
            pairs[pairs.count - 1].promptPairs = pp
        }
        return FuddCorpus(classNames: classes.map(\.name), pairs: pairs)
    }

    /// Writes `<dataset>_class_names.json` and `<dataset>_prompt_pairs.json` into `folder`.
    public func writeFudd(dataset: String, folder: String, vlm: String? = nil) throws -> [String] {
        let corpus = try fuddCorpus(dataset: dataset, vlm: vlm)
        let files = FuddReader.files(folder: folder, dataset: dataset)
        let names = JSONValue.list(corpus.classNames.map { .str($0) })
        let pairs = JSONValue.obj(corpus.pairs.map { p in
            (p.key, .obj([
                ("classes", .list([.int(p.classA), .int(p.classB)])),
                ("prompt_pairs", .list(p.promptPairs.map { pp in
                    .obj([("attr_type", .str(pp.attrType)), ("prompt_pair", .list([.str(pp.textA), .str(pp.textB)]))])
                })),
            ]))
        })
        try Self.write(JSONWriter.string(names, indent: 2) + "\n", to: files.classNames)
        try Self.write(JSONWriter.string(pairs, indent: 2) + "\n", to: files.promptPairs)
        return [files.classNames, files.promptPairs]
    }

    /// Per-class descriptions (kind `class`) as a name → sentences object, classes by index.
    public func classDescriptions(dataset: String) throws -> [(String, [String])] {
        let dsID = try store.datasetID(named: dataset)
        let rows = try store.wrap {
            try store.database.rows("""
                SELECT c.name AS class, d.text FROM descriptions d JOIN classes c ON c.id = d.class_id
                WHERE d.dataset_id = ? AND d.kind = 'class' ORDER BY c.idx, d.id
                """, [dsID])
        }
        var out: [(String, [String])] = []
        for r in rows {
            let name = try r.string("class")
            if out.last?.0 != name { out.append((name, [])) }
            out[out.count - 1].1.append(try r.string("text"))
        }
        return out
    }

    /// Writes per-class descriptions as JSON to `path`.
    public func writeClassDescriptions(dataset: String, path: String) throws {
        let value = JSONValue.obj(try classDescriptions(dataset: dataset).map { ($0.0, .list($0.1.map { .str($0) })) })
        try Self.write(JSONWriter.string(value, indent: 2) + "\n", to: path)
    }

    /// Every description of a dataset as JSON Lines that `import jsonl` reads back: one line
    /// per non-differential description and one per differential pair slot.
    public func jsonLines(dataset: String) throws -> [String] {
        let dsID = try store.datasetID(named: dataset)
        var lines: [String] = []
        let plain = try store.wrap {
            try store.database.rows("""
                SELECT d.kind, c.name AS class, d.text, d.attribute_raw FROM descriptions d
                LEFT JOIN classes c ON c.id = d.class_id JOIN sources s ON s.id = d.source_id
                WHERE d.dataset_id = ? AND d.kind <> 'differential' ORDER BY d.id
                """, [dsID])
        }
        for r in plain {
            var m: [(String, JSONValue)] = [("dataset", .str(dataset)), ("kind", .str(try r.string("kind")))]
            if let c = try r.optionalString("class") { m.append(("class", .str(c))) }
            m.append(("text", .str(try r.string("text"))))
            if let a = try r.optionalString("attribute_raw") { m.append(("attribute", .str(a))) }
            lines.append(JSONWriter.string(.obj(m)))
        }
        let slots = try store.wrap {
            try store.database.rows("""
                SELECT ca.name AS class_a, cb.name AS class_b, cs.name AS side, m.position, d.text, t.text AS twin, m.attribute_raw, v.name AS vlm
                FROM pair_members m JOIN pairs p ON p.id = m.pair_id
                JOIN classes ca ON ca.id = p.class_a JOIN classes cb ON cb.id = p.class_b
                JOIN classes cs ON cs.id = m.side
                JOIN descriptions d ON d.id = m.description_id
                LEFT JOIN descriptions t ON t.id = m.twin_id
                LEFT JOIN vlms v ON v.id = p.vlm_id
                WHERE p.dataset_id = ? ORDER BY ca.idx, cb.idx, p.vlm_id, m.position, m.side = p.class_b
                """, [dsID])
        }
        for r in slots {
            var m: [(String, JSONValue)] = [("dataset", .str(dataset)), ("kind", .str("differential")),
                                            ("pair", .list([.str(try r.string("class_a")), .str(try r.string("class_b"))])),
                                            ("side", .str(try r.string("side"))), ("position", .int(try r.int("position"))),
                                            ("text", .str(try r.string("text")))]
            if let t = try r.optionalString("twin") { m.append(("twin", .str(t))) }
            if let a = try r.optionalString("attribute_raw") { m.append(("attribute", .str(a))) }
            if let v = try r.optionalString("vlm") { m.append(("vlm", .str(v))) }
            lines.append(JSONWriter.string(.obj(m)))
        }
        return lines
    }

    /// Writes JSON Lines to `path`.
    public func writeJSONLines(dataset: String, path: String) throws {
        try Self.write(try jsonLines(dataset: dataset).joined(separator: "\n") + "\n", to: path)
    }

    static func write(_ text: String, to path: String) throws {
        try OutputFile.write(text, to: path)
    }
}

import DescryStore
import Foundation

/// Writes (prompt, response, reward) JSON Lines for RL/DPO-style fine-tuning: every scored
/// description of a dataset for one VLM, the reward being its alignment (EX2's reward). The
/// prompt is the user message of the cached request that produced the description when there
/// is one, else a plain request to describe the class.
public struct RewardExporter {
    /// The store.
    public let store: Store

    /// Creates an exporter.
    public init(store: Store) { self.store = store }

    /// Writes the rows to `path`; returns how many. Fails with a clear message when the VLM has
    /// no alignment scores on the dataset.
    @discardableResult
    public func write(vlm: String, dataset: String, path: String) throws -> Int {
        let vlmID = try store.vlmID(named: vlm)
        let datasetID = try store.datasetID(named: dataset)
        let rows = try store.wrap {
            try store.database.rows("""
                SELECT d.id, d.text, d.kind, c.name, s.alignment, s.lift, s.margin, s.n_images, src.label, src.format
                FROM scores s JOIN descriptions d ON d.id = s.description_id
                JOIN classes c ON c.id = d.class_id JOIN sources src ON src.id = d.source_id
                WHERE s.vlm_id = ? AND d.dataset_id = ? AND s.alignment IS NOT NULL
                ORDER BY c.idx, s.alignment DESC, d.id
                """, [vlmID, datasetID])
        }
        if rows.isEmpty {
            throw LLMError.notFoundInStore("no alignment scores for VLM '\(vlm)' on dataset '\(dataset)'; compute them with the analysis module first (the scores table is empty for this pair)")
        }
        let prompts = try promptsByText()
        var out = ""
        for r in rows {
            let text = r[1].string!, className = ClassName.display(r[3].string!)
            let cached = prompts[text]
            var fields: [(String, JSONValue)] = [
                ("prompt", .string(cached ?? "Describe what a \(className) looks like in one sentence.")),
                ("response", .string(text)),
                ("reward", .number(r[4].double!)),
                ("prompt_source", .string(cached == nil ? "default" : "llm_cache")),
                ("description_id", .number(Double(r[0].int!))),
                ("kind", .string(r[2].string!)),
                ("class", .string(className)),
                ("dataset", .string(dataset)),
                ("vlm", .string(vlm)),
                ("source", .string(r[8].string!)),
                ("n_images", .number(Double(r[7].int ?? 0))),
            ]
            if let lift = r[5].double { fields.append(("lift", .number(lift))) }
            if let margin = r[6].double { fields.append(("margin", .number(margin))) }
            out += JSONWriter.string(JSONValue.obj(fields)) + "\n"
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(out.utf8)) else {
            throw LLMError.store("\(path): cannot write the file")
        }
        return rows.count
    }

    /// Sentence → the user message of the cached request whose answer contains it.
    func promptsByText() throws -> [String: String] {
        let rows = try store.wrap { try store.database.rows("SELECT request, response FROM llm_cache WHERE status = 'ok' AND response IS NOT NULL") }
        var map: [String: String] = [:]
        for r in rows {
            guard let req = try? JSONSerialization.jsonObject(with: Data(r[0].string!.utf8)) as? [String: Any],
                  let messages = req["messages"] as? [[String: Any]],
                  let user = messages.last(where: { $0["role"] as? String == "user" })?["content"] as? String,
                  let answer = try? JSONExtraction.extract(r[1].string!) else { continue }
            for s in Self.strings(in: answer) where map[s] == nil { map[s] = user }
        }
        return map
    }

    static func strings(in value: Any) -> [String] {
        switch value {
        case let s as String: return [s.trimmingCharacters(in: .whitespacesAndNewlines)]
        case let a as [Any]: return a.flatMap { strings(in: $0) }
        case let o as [String: Any]: return o.values.flatMap { strings(in: $0) }
        default: return []
        }
    }
}

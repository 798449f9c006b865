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
        let vlmID = try store.vlms.id(named: vlm)
        let datasetID = try store.datasetID(named: dataset)
        let rewards = try store.scores.rewards(vlmID: vlmID, datasetID: datasetID)
        if rewards.isEmpty {
            throw LLMError.notFoundInStore("no alignment scores for VLM '\(vlm)' on dataset '\(dataset)'; compute them with the analysis module first (the scores table is empty for this pair)")
        }
        let prompts = try promptsByText()
        var out = ""
        for r in rewards {
            let className = ClassName.display(r.className)
            let cached = prompts[r.text]
            var fields: [(String, JSONValue)] = [
                ("prompt", .string(cached ?? "Describe what a \(className) looks like in one sentence.")),
                ("response", .string(r.text)),
                ("reward", .number(r.alignment)),
                ("prompt_source", .string(cached == nil ? "default" : "llm_cache")),
                ("description_id", .number(Double(r.descriptionID))),
                ("kind", .string(r.kind)),
                ("class", .string(className)),
                ("dataset", .string(dataset)),
                ("vlm", .string(vlm)),
                ("source", .string(r.sourceLabel)),
                ("n_images", .number(Double(r.imageCount))),
            ]
            if let lift = r.lift { fields.append(("lift", .number(lift))) }
            if let margin = r.margin { fields.append(("margin", .number(margin))) }
            out += JSONWriter.string(JSONValue.obj(fields)) + "\n"
        }
        try OutputFile.write(out, to: path)
        return rewards.count
    }

    /// Sentence → the user message of the cached request whose answer contains it.
    func promptsByText() throws -> [String: String] {
        var map: [String: String] = [:]
        for entry in try store.llmCache.answered(status: RequestCache.ok) {
            guard let response = entry.response,
                  let req = try? JSONSerialization.jsonObject(with: Data(entry.request.utf8)) as? [String: Any],
                  let messages = req["messages"] as? [[String: Any]],
                  let user = messages.last(where: { $0["role"] as? String == "user" })?["content"] as? String,
                  let answer = try? JSONExtraction.extract(response) else { continue }
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

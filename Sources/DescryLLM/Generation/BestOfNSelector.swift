import DescryStore

/// Best-of-N, a training-free stand-in for EX2's reinforcement learning: of the candidate
/// sentences an LLM wrote for each class, keep the K the VLM aligns with best. Candidates are
/// the class descriptions of one generation source (model + prompt). Scores come from the
/// `scores` table (alignment, filled by the analysis module) or from a scorer the caller
/// passes. Every candidate gets an audit row, method `best-of-n:<vlm>`: verdict `kept` or
/// `rejected`, score = alignment, rationale = its rank — so the rest stay on record.
public struct BestOfNSelector {
    /// Scores candidate texts of one class (higher is better), one score per candidate.
    public typealias Scorer = (ClassRecord, [String]) throws -> [Double]

    /// The store.
    public let store: Store
    /// The VLM whose alignment ranks the candidates.
    public let vlm: String
    /// Its id.
    public let vlmID: Int64
    /// The dataset's id.
    public let datasetID: Int64
    /// The generation source whose descriptions are the candidates.
    public let sourceID: Int64

    /// The audit method for a VLM.
    public static func method(vlm: String) -> String { "best-of-n:\(vlm)" }

    /// Creates a selector over the candidates `model` wrote with `prompt` for a dataset.
    public init(store: Store, vlm: String, dataset: String, model: String, prompt: PromptTemplate) throws {
        self.store = store
        self.vlm = vlm
        self.vlmID = try store.vlms.id(named: vlm)
        self.datasetID = try store.datasetID(named: dataset)
        let info = LLMSource.info(model: model, prompt: prompt)
        guard let id = try store.descriptions.sourceID(matching: info) else {
            throw LLMError.notFoundInStore("no candidates from \(info.label) with prompt \(prompt.id) in the store; generate them first")
        }
        self.sourceID = id
    }

    /// Ranks every class's candidates and records the verdicts in one transaction. Without a
    /// scorer, a class is ranked only when all its candidates have an alignment score for the VLM.
    public func select(keep: Int, scorer: Scorer? = nil) throws -> BestOfNOutcome {
        guard keep >= 1 else { throw LLMError.configuration("keep must be at least 1") }
        var outcome = BestOfNOutcome()
        let method = Self.method(vlm: vlm)
        try store.write {
            var verdicts: [AuditRecord] = []
            for c in try store.classes(ofDataset: datasetID) {
                let candidates = try store.descriptions.candidates(datasetID: datasetID, classID: c.id, sourceID: sourceID, vlmID: vlmID)
                if candidates.isEmpty { outcome.classesWithoutCandidates.append(c.displayName); continue }
                let scores: [Double]
                if let scorer {
                    scores = try scorer(c, candidates.map(\.text))
                    guard scores.count == candidates.count else {
                        throw LLMError.configuration("the scorer returned \(scores.count) scores for \(candidates.count) candidates of '\(c.displayName)'")
                    }
                } else {
                    let stored = candidates.compactMap(\.alignment)
                    if stored.count < candidates.count {
                        outcome.unscoredClasses.append(c.displayName)
                        outcome.unscoredCandidates += candidates.count - stored.count
                        continue
                    }
                    scores = stored
                }
                // Best first; ties by id so the selection is deterministic.
                let order = candidates.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
                for (rank, i) in order.enumerated() {
                    let kept = rank < keep
                    verdicts.append(AuditRecord(descriptionID: candidates[i].id, method: method, verdict: kept ? "kept" : "rejected",
                                                rationale: "rank \(rank + 1) of \(candidates.count) by alignment with \(vlm); best \(keep) kept",
                                                score: scores[i]))
                    if kept { outcome.kept += 1 } else { outcome.rejected += 1 }
                }
                outcome.classesSelected += 1
            }
            // Same transaction as the reads: the verdicts match the scores they were ranked by.
            try store.audits.upsert(verdicts)
        }
        return outcome
    }
}

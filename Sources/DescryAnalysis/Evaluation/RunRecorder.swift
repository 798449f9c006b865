import DescryStore
import Foundation

/// Writes an evaluation into the store: one `runs` row per method and k, and the VLM's
/// confusions on the dataset (replacing the previous ones), in one transaction.
public struct RunRecorder {
    /// The store.
    public let store: Store

    /// A recorder.
    public init(store: Store) { self.store = store }

    /// Records `report` for `vlm`; returns the ids of the new runs.
    @discardableResult
    public func record(_ report: EvaluationReport, vlm: String) throws -> [Int64] {
        do {
            let vlmID = try store.vlmID(named: vlm)
            let dsID = try store.datasetID(named: report.dataset)
            let classes = try store.classes(ofDataset: dsID)
            guard classes.count == report.classNames.count else {
                throw AnalysisError.invalidArgument("the classes of '\(report.dataset)' changed during the evaluation; run it again")
            }
            return try store.write {
                var ids: [Int64] = []
                for r in report.results {
                    var per: [String: Double] = [:]
                    for (i, a) in r.perClassAccuracy.enumerated() { if let a { per[report.classNames[i]] = a } }
                    // The options column keeps the prompt switches and the per-class accuracy.
                    let opts: [String: Any] = ["capitalize": report.options.capitalize, "class_name_period": report.options.classNamePeriod, "deduplicate": report.options.deduplicate,
                                               "per_class_accuracy": per]
                    let json = String(decoding: try JSONSerialization.data(withJSONObject: opts, options: [.sortedKeys]), as: UTF8.self)
                    try store.database.execute("""
                        INSERT INTO runs(vlm_id, dataset_id, method, k, aggregation, accuracy, top5, mean_per_class_recall, n_images, prompt_hash, options)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [vlmID, dsID, r.method.rawValue, r.k, r.aggregation.rawValue, r.top1, r.top5, r.meanPerClassRecall,
                              r.images, r.promptHash, json])
                    ids.append(store.database.lastInsertRowID)
                }
                try store.database.execute("DELETE FROM confusions WHERE vlm_id = ? AND dataset_id = ?", [vlmID, dsID])
                for c in report.confusions {
                    try store.database.execute("""
                        INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count, missing_descriptions) VALUES (?, ?, ?, ?, ?, ?)
                        """, [vlmID, dsID, classes[c.trueClass].id, classes[c.predictedClass].id, c.count, c.missingDescriptions])
                }
                return ids
            }
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}

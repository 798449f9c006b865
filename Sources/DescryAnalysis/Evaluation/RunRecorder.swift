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
            let vlmID = try store.vlms.id(named: vlm)
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
                    ids.append(try store.runs.insert(RunRecord(
                        vlmID: vlmID, datasetID: dsID, method: r.method.rawValue, k: r.k, aggregation: r.aggregation.rawValue,
                        accuracy: r.top1, top5: r.top5, meanPerClassRecall: r.meanPerClassRecall, images: r.images,
                        promptHash: r.promptHash, options: json)))
                }
                try store.confusions.replace(vlmID: vlmID, datasetID: dsID, with: report.confusions.map {
                    ConfusionRecord(classA: classes[$0.trueClass].id, classB: classes[$0.predictedClass].id, count: $0.count,
                                    missingDescriptions: $0.missingDescriptions)
                })
                return ids
            }
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}

import DescryStore
import Foundation

/// Builds the self-contained HTML report of one dataset under one VLM from what the store
/// holds: the latest run of every method and k, attribute preference, confused pairs with
/// their differential descriptions, and the audit summary.
public struct ReportBuilder {
    /// The store.
    public let store: Store

    /// A builder.
    public init(store: Store) { self.store = store }

    /// The report page.
    public func html(dataset: String, vlm: String, confusedPairs: Int = 8) throws -> String {
        do {
            let vlmID = try store.vlmID(named: vlm), dsID = try store.datasetID(named: dataset)
            let classes = try store.classes(ofDataset: dsID)
            let name = Dictionary(uniqueKeysWithValues: classes.map { ($0.id, $0.displayName) })
            var body = "<h1>Descry report: \(e(dataset)) under \(e(vlm))</h1>"
            body += "<p class=\"meta\">\(classes.count) classes · generated \(e(ISO8601DateFormatter().string(from: Date()))) · cosine similarities, no logit scale</p>"

            // Accuracy vs k.
            let runs = try store.wrap {
                try store.database.rows("""
                    SELECT method, k, aggregation, accuracy, top5, mean_per_class_recall, n_images FROM runs
                    WHERE id IN (SELECT max(id) FROM runs WHERE vlm_id = ? AND dataset_id = ? GROUP BY method, coalesce(k, -1), aggregation)
                    ORDER BY method <> 'fudd', aggregation, k
                    """, [vlmID, dsID])
            }
            body += "<h2>Accuracy of the zero-shot methods</h2>"
            if runs.isEmpty {
                body += "<p class=\"empty\">No evaluation yet: run <code>descry evaluate --vlm \(e(vlm)) --dataset \(e(dataset))</code>.</p>"
            } else {
                let fudd = runs.filter { $0[0].string == "fudd" }
                let ks = Array(Set(fudd.compactMap { $0[1].int })).sorted().map(String.init)
                var series: [SVGChart.Series] = []
                for (i, agg) in Array(Set(fudd.compactMap { $0[2].string })).sorted().enumerated() {
                    series.append(SVGChart.Series(name: "FuDD (\(agg == "similarity-of-mean" ? "mean emb" : "mean sim"))",
                                                  points: fudd.filter { $0[2].string == agg }.map { (String($0[1].int!), $0[3].double ?? 0) },
                                                  color: SVGChart.palette[(1 + i * 5) % SVGChart.palette.count]))
                }
                for (i, r) in runs.filter({ $0[0].string != "fudd" }).enumerated() {
                    let suffix = r[2].string == Aggregation.meanOfSimilarities.rawValue ? " (mean sim)" : ""
                    series.append(SVGChart.Series(name: r[0].string! + suffix, points: [("", r[3].double ?? 0)],
                                                  color: SVGChart.palette[[0, 2, 3, 4, 5, 7][i % 6]], flat: true))
                }
                if !ks.isEmpty { body += SVGChart.lines(series, xLabels: ks, title: "Top-1 accuracy vs k (dashed: baselines)") }
                body += "<table><tr><th>method</th><th>k</th><th>aggregation</th><th>top-1</th><th>top-5</th><th>mean per-class recall</th><th>images</th></tr>"
                for r in runs {
                    body += "<tr><td>\(e(r[0].string ?? ""))</td><td>\(r[1].int.map(String.init) ?? "")</td><td>\(e(r[2].string ?? ""))</td><td>\(pct(r[3].double))</td><td>\(pct(r[4].double))</td><td>\(pct(r[5].double))</td><td>\(r[6].int ?? 0)</td></tr>"
                }
                body += "</table>"
            }

            // Attribute preference.
            body += "<h2>Attribute preference of \(e(vlm))</h2>"
            let prefs = try AttributePreference.load(store: store, vlm: vlm, dataset: dataset)
            if prefs.isEmpty {
                body += "<p class=\"empty\">No scores yet: run <code>descry score --vlm \(e(vlm)) --dataset \(e(dataset))</code>.</p>"
            } else {
                let color = ["visual": "#2ca02c", "non-visual": "#ff7f0e", "spurious": "#d62728"]
                body += SVGChart.bars(prefs.map { ("\($0.attribute) (\($0.category), n=\($0.count))", $0.lift, color[$0.category] ?? "#7f7f7f") },
                                      title: "Mean lift over \"a photo of a {c}.\" by attribute and audit category")
                body += "<table><tr><th>attribute</th><th>category</th><th>n</th><th>mean alignment</th><th>mean lift</th></tr>"
                for p in prefs { body += "<tr><td>\(e(p.attribute))</td><td>\(e(p.category))</td><td>\(p.count)</td><td>\(String(format: "%.4f", p.alignment))</td><td>\(String(format: "%+.4f", p.lift))</td></tr>" }
                body += "</table>"
            }

            // Confused pairs with their differential descriptions.
            body += "<h2>Most confused pairs (single template) and their differential descriptions</h2>"
            let conf = try store.wrap {
                try store.database.rows("SELECT class_a, class_b, count, missing_descriptions FROM confusions WHERE vlm_id = ? AND dataset_id = ? AND count > 0 ORDER BY count DESC, class_a LIMIT ?",
                                        [vlmID, dsID, confusedPairs])
            }
            if conf.isEmpty { body += "<p class=\"empty\">No confusions recorded (evaluate first, or the template makes no mistakes).</p>" }
            for c in conf {
                let a = Int64(c[0].int!), b = Int64(c[1].int!)
                body += "<h3>\(e(name[a] ?? "?")) → predicted as \(e(name[b] ?? "?")) <span class=\"meta\">(\(c[2].int ?? 0) images)</span></h3>"
                let sentences = try store.wrap {
                    try store.database.rows("""
                        SELECT m.attribute_raw, m.side, d.text, sc.margin FROM pairs p JOIN pair_members m ON m.pair_id = p.id
                        JOIN descriptions d ON d.id = m.description_id LEFT JOIN scores sc ON sc.description_id = d.id AND sc.vlm_id = ?
                        WHERE p.dataset_id = ? AND ((p.class_a = ? AND p.class_b = ?) OR (p.class_a = ? AND p.class_b = ?)) AND (p.vlm_id IS NULL OR p.vlm_id = ?)
                        ORDER BY m.position, m.side = ? DESC
                        """, [vlmID, dsID, a, b, b, a, vlmID, a])
                }
                if sentences.isEmpty { body += "<p class=\"empty\">No differential descriptions for this pair: <code>descry generate --vlm \(e(vlm)) --missing</code> can write them.</p>"; continue }
                body += "<table><tr><th>attribute</th><th>describes</th><th>sentence</th><th>margin</th></tr>"
                for s in sentences {
                    body += "<tr><td>\(e(s[0].string ?? ""))</td><td>\(e(name[Int64(s[1].int ?? 0)] ?? "?"))</td><td>\(e(s[2].string ?? ""))</td><td>\(s[3].double.map { String(format: "%+.4f", $0) } ?? "")</td></tr>"
                }
                body += "</table>"
            }

            // Audit summary.
            body += "<h2>Audit</h2>"
            let verdicts = try store.wrap {
                try store.database.rows("""
                    SELECT a.verdict, count(*) FROM audits a JOIN descriptions d ON d.id = a.description_id
                    WHERE a.method = 'rules' AND d.dataset_id = ? GROUP BY 1 ORDER BY 2 DESC
                    """, [dsID])
            }
            if verdicts.isEmpty {
                body += "<p class=\"empty\">Not audited yet: run <code>descry audit --dataset \(e(dataset))</code>.</p>"
            } else {
                let color = ["visual": "#2ca02c", "non-visual": "#ff7f0e", "spurious": "#d62728"]
                body += SVGChart.bars(verdicts.map { ($0[0].string ?? "", Double($0[1].int ?? 0), color[$0[0].string ?? ""] ?? "#7f7f7f") },
                                      title: "Descriptions per audit verdict (rule-based)", format: "%.0f")
                let named = try store.wrap {
                    try store.database.rows("""
                        SELECT a.verdict, count(*) FROM audits a JOIN descriptions d ON d.id = a.description_id
                        WHERE a.method = ? AND d.dataset_id = ? GROUP BY 1
                        """, ["content:\(vlm)", dsID])
                }
                if !named.isEmpty {
                    body += "<p>Content check under \(e(vlm)): " + named.map { "\($0[1].int ?? 0) \(e($0[0].string ?? ""))" }.joined(separator: ", ") + " (alignment without the class name).</p>"
                }
                // Up to six examples of each non-visual verdict.
                var examples: [Row] = []
                for verdict in ["spurious", "non-visual"] {
                    examples += try store.wrap {
                        try store.database.rows("""
                            SELECT a.verdict, d.text, a.rationale, s.lift FROM audits a JOIN descriptions d ON d.id = a.description_id
                            LEFT JOIN scores s ON s.description_id = d.id AND s.vlm_id = ?
                            WHERE a.method = 'rules' AND a.verdict = ? AND d.dataset_id = ? AND d.kind <> 'template' ORDER BY d.id LIMIT 6
                            """, [vlmID, verdict, dsID])
                    }
                }
                body += "<table><tr><th>verdict</th><th>description</th><th>reason</th><th>lift</th></tr>"
                for x in examples {
                    body += "<tr><td>\(e(x[0].string ?? ""))</td><td>\(e(x[1].string ?? ""))</td><td>\(e(x[2].string ?? ""))</td><td>\(x[3].double.map { String(format: "%+.4f", $0) } ?? "")</td></tr>"
                }
                body += "</table>"
            }
            return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Descry report: \(e(dataset)) / \(e(vlm))</title>
            <style>
            body { font-family: -apple-system, "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 980px; color: #222; }
            h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; } h3 { font-size: 14px; margin: 18px 0 6px; }
            table { border-collapse: collapse; font-size: 12px; margin: 8px 0; } td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
            th { background: #f3f3f3; } .meta { color: #666; font-size: 12px; font-weight: normal; } .empty { color: #a00; }
            </style></head><body>
            \(body)
            </body></html>
            """
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    func e(_ s: String) -> String { SVGChart.escape(s) }
    func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
}

import DescryStore
import Foundation

/// Builds the self-contained HTML report of one dataset under one VLM from what the store
/// holds: the latest run of every method and k, attribute preference, confused pairs with
/// their differential descriptions, and the audit summary. Three steps: `load` reads the
/// records, `ReportModel` derives what to show, `render` writes the page.
public struct ReportBuilder {
    /// The store.
    public let store: Store

    /// A builder.
    public init(store: Store) { self.store = store }

    /// The report page.
    public func html(dataset: String, vlm: String, confusedPairs: Int = 8) throws -> String {
        Self.render(ReportModel(try load(dataset: dataset, vlm: vlm, confusedPairs: confusedPairs)))
    }

    /// The page comparing several VLMs on one dataset (`render(_: ComparisonModel)`); one VLM
    /// gives the single-VLM page.
    public func html(dataset: String, vlms: [String], confusedPairs: Int = 8) throws -> String {
        guard vlms.count > 1 else { return try html(dataset: dataset, vlm: vlms.first ?? "", confusedPairs: confusedPairs) }
        let generated = Date()
        return Self.render(ComparisonModel(try vlms.map { ReportModel(try load(dataset: dataset, vlm: $0, confusedPairs: confusedPairs), generated: generated) }))
    }

    /// Reads the records the report shows: at most `confusedPairs` confused pairs, and up to
    /// six examples of each non-visual verdict.
    public func load(dataset: String, vlm: String, confusedPairs: Int = 8) throws -> ReportRecords {
        do {
            let vlmID = try store.vlms.id(named: vlm), dsID = try store.datasetID(named: dataset)
            var records = ReportRecords(dataset: dataset, vlm: vlm, classes: try store.classes(ofDataset: dsID))
            records.runs = try store.runs.latest(vlmID: vlmID, datasetID: dsID)
            records.preferences = try AttributePreference.load(store: store, vlmID: vlmID, datasetID: dsID)
            records.preferredTypes = try store.scores.preferredTypes(vlmID: vlmID, datasetID: dsID, topPerClass: ReportModel.topPerClass)
            records.confusions = try store.reportData.confusedPairs(vlmID: vlmID, datasetID: dsID, limit: confusedPairs).map {
                ReportRecords.PairConfusion(confusion: $0, sentences: try store.reportData.pairSentences(vlmID: vlmID, datasetID: dsID, a: $0.classA, b: $0.classB))
            }
            // The default auditor's verdicts: the learned model's where stored, else the rules'.
            records.verdicts = try store.audits.categoryVerdictCounts(datasetID: dsID)
            if !records.verdicts.isEmpty {
                records.contentVerdicts = try store.audits.verdictCounts(method: "content:\(vlm)", datasetID: dsID, byVerdict: true)
                for verdict in ["spurious", "non-visual"] {
                    records.examples += try store.audits.examples(verdict: verdict, datasetID: dsID, vlmID: vlmID, limit: 6)
                }
            }
            return records
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// The page of a model: HTML with inline SVG charts, no scripts and no external assets.
    public static func render(_ m: ReportModel) -> String {
        var body = "<h1>Descry report: \(e(m.dataset)) under \(e(m.vlm))</h1>"
        body += "<p class=\"meta\">\(m.classCount) classes · generated \(e(ISO8601DateFormatter().string(from: m.generated))) · cosine similarities, no logit scale</p>"
        body += renderAccuracy(m)
        body += renderPreferences(m)
        body += renderPreferredTypes(m)
        body += renderConfusions(m)
        body += renderAudit(m)
        return page(title: "Descry report: \(e(m.dataset)) / \(e(m.vlm))", body: body)
    }

    /// The page around a body: one style sheet, no scripts, no external assets.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>
        body { font-family: -apple-system, "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 980px; color: #222; }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; } h3 { font-size: 14px; margin: 18px 0 6px; }
        table { border-collapse: collapse; font-size: 12px; margin: 8px 0; } td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
        th { background: #f3f3f3; } .meta { color: #666; font-size: 12px; font-weight: normal; } .empty { color: #a00; } td.num { text-align: right; }
        </style></head><body>
        \(body)
        </body></html>
        """
    }

    /// Accuracy vs k: the chart (FuDD lines, dashed baselines) and the table of latest runs.
    static func renderAccuracy(_ m: ReportModel) -> String {
        var body = "<h2>Accuracy of the zero-shot methods</h2>"
        guard !m.runs.isEmpty else {
            return body + "<p class=\"empty\">No evaluation yet: run <code>descry evaluate --vlm \(e(m.vlm)) --dataset \(e(m.dataset))</code>.</p>"
        }
        var series: [SVGChart.Series] = []
        var fuddIndex = 0, baselineIndex = 0
        for line in m.lines {
            let points = line.points.map { ($0.label, $0.accuracy) }
            if line.isBaseline {
                series.append(SVGChart.Series(name: line.name, points: points, color: SVGChart.palette[[0, 2, 3, 4, 5, 7][baselineIndex % 6]], flat: true))
                baselineIndex += 1
            } else {
                series.append(SVGChart.Series(name: line.name, points: points, color: SVGChart.palette[(1 + fuddIndex * 5) % SVGChart.palette.count]))
                fuddIndex += 1
            }
        }
        if !m.ks.isEmpty { body += SVGChart.lines(series, xLabels: m.ks, title: "Top-1 accuracy vs k (dashed: baselines)") }
        body += "<table><tr><th>method</th><th>k</th><th>aggregation</th><th>top-1</th><th>top-5</th><th>mean per-class recall</th><th>images</th></tr>"
        for r in m.runs {
            body += "<tr><td>\(e(r.method))</td><td>\(r.k.map(String.init) ?? "")</td><td>\(e(r.aggregation ?? ""))</td><td>\(pct(r.accuracy))</td><td>\(pct(r.top5))</td><td>\(pct(r.meanPerClassRecall))</td><td>\(r.images ?? 0)</td></tr>"
        }
        return body + "</table>"
    }

    /// Colours of the audit categories in the bar charts.
    static let categoryColor = ["visual": "#2ca02c", "non-visual": "#ff7f0e", "spurious": "#d62728"]

    /// Attribute preference: mean lift by attribute and category.
    static func renderPreferences(_ m: ReportModel) -> String {
        var body = "<h2>Attribute preference of \(e(m.vlm))</h2>"
        guard !m.preferences.isEmpty else {
            return body + "<p class=\"empty\">No scores yet: run <code>descry score --vlm \(e(m.vlm)) --dataset \(e(m.dataset))</code>.</p>"
        }
        body += SVGChart.bars(m.preferences.map { ("\($0.attribute) (\($0.category), n=\($0.count))", $0.lift, categoryColor[$0.category] ?? "#7f7f7f") },
                              title: "Mean lift over \"a photo of a {c}.\" by attribute and audit category")
        body += "<table><tr><th>attribute</th><th>category</th><th>n</th><th>mean alignment</th><th>mean lift</th></tr>"
        for p in m.preferences { body += "<tr><td>\(e(p.attribute))</td><td>\(e(p.category))</td><td>\(p.count)</td><td>\(String(format: "%.4f", p.alignment))</td><td>\(String(format: "%+.4f", p.lift))</td></tr>" }
        return body + "</table>"
    }

    /// Confused pairs with their differential descriptions.
    /// EX2's breakdown: the kinds of description among each class's best-aligned ones against
    /// their share of all the class's descriptions.
    static func renderPreferredTypes(_ m: ReportModel) -> String {
        var body = "<h2>The types of descriptions \(e(m.vlm)) prefers</h2>"
        let top = m.preferredTypes.reduce(0) { $0 + $1.top }, all = m.preferredTypes.reduce(0) { $0 + $1.all }
        guard top > 0, all > 0 else {
            return body + "<p class=\"empty\">No scored class descriptions yet: run <code>descry score --vlm \(e(m.vlm)) --dataset \(e(m.dataset))</code>.</p>"
        }
        func share(_ n: Int, _ of: Int) -> Double { Double(n) / Double(of) * 100 }
        body += "<p>Each class's \(ReportModel.topPerClass) best-aligned descriptions under \(e(m.vlm)), by category and attribute (typed at import), against the share of all its scored descriptions: a kind above zero is one the VLM aligns with more than its share.</p>"
        body += SVGChart.bars(m.preferredTypes.map { ("\($0.category) · \($0.attribute)", share($0.top, top) - share($0.all, all), categoryColor[$0.category] ?? "#7f7f7f") },
                              title: "Share among the top \(ReportModel.topPerClass) per class minus share among all (percentage points)", format: "%+.1f")
        body += "<table><tr><th>category</th><th>attribute</th><th>top \(ReportModel.topPerClass) per class</th><th>all</th><th>share top %</th><th>share all %</th></tr>"
        for p in m.preferredTypes {
            body += "<tr><td>\(e(p.category))</td><td>\(e(p.attribute))</td><td>\(p.top)</td><td>\(p.all)</td><td>\(String(format: "%.1f", share(p.top, top)))</td><td>\(String(format: "%.1f", share(p.all, all)))</td></tr>"
        }
        return body + "</table>"
    }

    static func renderConfusions(_ m: ReportModel) -> String {
        var body = "<h2>Most confused pairs under \(e(m.vlm)) (single template) and their differential descriptions</h2>"
        if m.confusedPairs.isEmpty { body += "<p class=\"empty\">No confusions recorded (evaluate first, or the template makes no mistakes).</p>" }
        for c in m.confusedPairs {
            body += "<h3>\(e(c.trueClass)) → predicted as \(e(c.predictedClass)) <span class=\"meta\">(\(c.images) images)</span></h3>"
            if c.sentences.isEmpty { body += "<p class=\"empty\">No differential descriptions for this pair: <code>descry generate differential --dataset \(e(m.dataset)) --vlm \(e(m.vlm)) --missing</code> can write them.</p>"; continue }
            body += "<table><tr><th>attribute</th><th>describes</th><th>sentence</th><th>margin</th></tr>"
            for s in c.sentences {
                body += "<tr><td>\(e(s.attribute))</td><td>\(e(s.describes))</td><td>\(e(s.text))</td><td>\(s.margin.map { String(format: "%+.4f", $0) } ?? "")</td></tr>"
            }
            body += "</table>"
        }
        return body
    }

    /// The audit summary: verdicts, the content check, and examples.
    static func renderAudit(_ m: ReportModel) -> String {
        var body = "<h2>Audit</h2>"
        guard let audit = m.audit else {
            return body + "<p class=\"empty\">Not audited yet: run <code>descry audit --dataset \(e(m.dataset))</code>.</p>"
        }
        body += SVGChart.bars(audit.verdicts.map { ($0.verdict, Double($0.count), categoryColor[$0.verdict] ?? "#7f7f7f") },
                              title: "Descriptions per audit verdict (learned auditor, else rules)", format: "%.0f")
        if !audit.contentVerdicts.isEmpty {
            body += "<p>Content check under \(e(m.vlm)): " + audit.contentVerdicts.map { "\($0.count) \(e($0.verdict))" }.joined(separator: ", ") + " (alignment without the class name).</p>"
        }
        body += "<table><tr><th>verdict</th><th>description</th><th>reason</th><th>lift</th></tr>"
        for x in audit.examples {
            body += "<tr><td>\(e(x.verdict))</td><td>\(e(x.text))</td><td>\(e(x.rationale ?? ""))</td><td>\(x.lift.map { String(format: "%+.4f", $0) } ?? "")</td></tr>"
        }
        return body + "</table>"
    }

    static func e(_ s: String) -> String { SVGChart.escape(s) }
    static func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
}

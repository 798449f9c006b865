import Foundation

/// The page comparing several VLMs: accuracy vs k for each, attribute preference side by side,
/// the kinds of description each prefers, then each VLM's confused pairs and the audit.
extension ReportBuilder {
    /// One colour per VLM, in `vlms` order.
    static func vlmColor(_ i: Int) -> String { SVGChart.palette[[0, 4, 2, 1, 3, 5, 6, 7][i % 8]] }

    /// The comparison page: HTML with inline SVG charts, no scripts and no external assets.
    public static func render(_ c: ComparisonModel) -> String {
        let names = c.vlms.map(e).joined(separator: ", ")
        var body = "<h1>Descry report: \(e(c.dataset)), \(c.vlms.count) VLMs side by side</h1>"
        let generated = c.models.first.map { ISO8601DateFormatter().string(from: $0.generated) } ?? ""
        body += "<p class=\"meta\">\(names) · \(c.models.first?.classCount ?? 0) classes · generated \(e(generated)) · cosine similarities, no logit scale</p>"
        body += renderComparedAccuracy(c)
        body += renderComparedPreferences(c)
        body += renderComparedTypes(c)
        for m in c.models { body += renderConfusions(m) }
        body += renderComparedAudit(c)
        return page(title: "Descry report: \(e(c.dataset)) / \(names)", body: body)
    }

    /// Accuracy vs k: FuDD (similarity of mean) per VLM, each VLM's template dashed in its
    /// colour; the table of every run, one column per VLM; FuDD's gain per VLM.
    static func renderComparedAccuracy(_ c: ComparisonModel) -> String {
        var body = "<h2>Accuracy of the zero-shot methods, side by side</h2>"
        guard !c.accuracy.isEmpty else {
            return body + "<p class=\"empty\">No evaluation yet: run <code>descry evaluate --vlm V --dataset \(e(c.dataset))</code> for each VLM.</p>"
        }
        let ks = Array(Set(c.models.flatMap(\.ks).compactMap(Int.init))).sorted().map(String.init)
        var series: [SVGChart.Series] = []
        for (i, m) in c.models.enumerated() {
            let fudd = m.runs.filter { $0.method == ZeroShotMethod.fudd.rawValue && $0.aggregation == Aggregation.similarityOfMean.rawValue }
            let points = fudd.compactMap { r in r.k.map { (String($0), r.accuracy ?? 0) } }
            if !points.isEmpty { series.append(SVGChart.Series(name: "\(m.vlm): FuDD", points: points, color: vlmColor(i))) }
            if let t = m.runs.first(where: { $0.method == ZeroShotMethod.template.rawValue }) {
                series.append(SVGChart.Series(name: "\(m.vlm): template", points: [("", t.accuracy ?? 0)], color: vlmColor(i), flat: true))
            }
        }
        if !ks.isEmpty && !series.isEmpty {
            body += SVGChart.lines(series, xLabels: ks, title: "Top-1 accuracy vs k, one colour per VLM (dashed: its single template)")
        }
        body += "<table><tr><th>method</th><th>k</th><th>aggregation</th>" + c.vlms.map { "<th>\(e($0)) top-1</th>" }.joined() + "</tr>"
        for r in c.accuracy {
            body += "<tr><td>\(e(r.method))</td><td>\(r.k.map(String.init) ?? "")</td><td>\(e(r.aggregation ?? ""))</td>"
                + r.accuracy.map { "<td class=\"num\">\(pct($0))</td>" }.joined() + "</tr>"
        }
        body += "</table>"
        body += "<table><tr><th>FuDD over the template (similarity of mean)</th>" + c.vlms.map { "<th>\(e($0))</th>" }.joined() + "</tr><tr><td>best k: accuracy, gain</td>"
        body += c.fuddGain.map { g in
            g.map { "<td>k=\($0.bestK): \(pct($0.best)), \(String(format: "%+.1f", $0.gain * 100)) points over \(pct($0.template))</td>" } ?? "<td>not evaluated</td>"
        }.joined()
        return body + "</tr></table>"
    }

    /// Attribute preference: mean lift by attribute, one bar per VLM.
    static func renderComparedPreferences(_ c: ComparisonModel) -> String {
        var body = "<h2>Attribute preference side by side</h2>"
        guard !c.attributes.isEmpty else {
            return body + "<p class=\"empty\">No scores yet: run <code>descry score --vlm V --dataset \(e(c.dataset))</code> for each VLM.</p>"
        }
        let series = c.vlms.enumerated().map { (name: $0.element, color: vlmColor($0.offset)) }
        body += SVGChart.groupedBars(c.attributes.map { SVGChart.Group(label: $0.attribute, values: $0.lift) }, series: series,
                                     title: "Mean lift over \"a photo of a {c}.\" by attribute, one bar per VLM")
        body += "<p>Top attribute: " + zip(c.vlms, c.topAttribute).map { "\(e($0)) <b>\(e($1 ?? "none"))</b>" }.joined(separator: ", ") + ".</p>"
        body += "<table><tr><th>attribute</th>" + c.vlms.map { "<th>\(e($0)) mean lift</th><th>n</th>" }.joined() + "</tr>"
        for r in c.attributes {
            body += "<tr><td>\(e(r.attribute))</td>" + zip(r.lift, r.count).map { "<td class=\"num\">\($0.map { String(format: "%+.4f", $0) } ?? "–")</td><td class=\"num\">\($1)</td>" }.joined() + "</tr>"
        }
        return body + "</table>"
    }

    /// EX2's view per VLM: share among each class's best-aligned descriptions minus share among all.
    static func renderComparedTypes(_ c: ComparisonModel) -> String {
        var body = "<h2>The types of descriptions each VLM prefers</h2>"
        guard !c.preferredTypes.isEmpty else {
            return body + "<p class=\"empty\">No scored class descriptions yet: run <code>descry score --vlm V --dataset \(e(c.dataset))</code> for each VLM.</p>"
        }
        body += "<p>Each class's \(ReportModel.topPerClass) best-aligned descriptions under each VLM, by category and attribute (typed at import), against the share of all its scored descriptions: a kind above zero is one the VLM aligns with more than its share.</p>"
        let series = c.vlms.enumerated().map { (name: $0.element, color: vlmColor($0.offset)) }
        body += SVGChart.groupedBars(c.preferredTypes.map { SVGChart.Group(label: "\($0.category) · \($0.attribute)", values: $0.shift) }, series: series,
                                     title: "Share among the top \(ReportModel.topPerClass) per class minus share among all (percentage points)", format: "%+.1f")
        body += "<table><tr><th>category</th><th>attribute</th>" + c.vlms.map { "<th>\(e($0)) points</th>" }.joined() + "</tr>"
        for r in c.preferredTypes {
            body += "<tr><td>\(e(r.category))</td><td>\(e(r.attribute))</td>" + r.shift.map { "<td class=\"num\">\($0.map { String(format: "%+.1f", $0) } ?? "–")</td>" }.joined() + "</tr>"
        }
        return body + "</table>"
    }

    /// The rule audit (one for the dataset) and the content check under each VLM.
    static func renderComparedAudit(_ c: ComparisonModel) -> String {
        guard let first = c.models.first, first.audit != nil else {
            return "<h2>Audit</h2><p class=\"empty\">Not audited yet: run <code>descry audit --dataset \(e(c.dataset))</code>.</p>"
        }
        var body = renderAudit(first)
        for m in c.models.dropFirst() {
            if let a = m.audit, !a.contentVerdicts.isEmpty {
                body += "<p>Content check under \(e(m.vlm)): " + a.contentVerdicts.map { "\($0.count) \(e($0.verdict))" }.joined(separator: ", ") + " (alignment without the class name).</p>"
            }
        }
        return body
    }
}

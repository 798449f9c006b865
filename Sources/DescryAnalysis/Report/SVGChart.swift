import Foundation

/// Small inline SVG charts for the HTML report (no scripts, no external assets).
public enum SVGChart {
    /// One line of a line chart.
    public struct Series: Sendable {
        /// Legend label.
        public var name: String
        /// (x label, y) points, in order.
        public var points: [(String, Double)]
        /// CSS colour.
        public var color: String
        /// Draw as a horizontal reference line at the first point's y.
        public var flat: Bool

        /// A series.
        public init(name: String, points: [(String, Double)], color: String, flat: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.flat = flat
        }
    }

    /// The palette.
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// Escapes text for HTML and SVG.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A line chart over categorical x labels, y in [0, 1] shown as percent.
    public static func lines(_ series: [Series], xLabels: [String], title: String, width: Int = 820, height: Int = 340) -> String {
        let left = 50.0, right = 250.0, top = 30.0, bottom = 40.0
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        let ys = series.flatMap { $0.points.map(\.1) }
        let lo = max(0, ((ys.min() ?? 0) * 10).rounded(.down) / 10), hi = min(1, ((ys.max() ?? 1) * 10).rounded(.up) / 10)
        let span = max(hi - lo, 0.1)
        func x(_ i: Int) -> Double { left + (xLabels.count > 1 ? Double(i) / Double(xLabels.count - 1) * w : w / 2) }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / span) * h }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<text x=\"\(left)\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        for t in stride(from: lo, through: lo + span + 1e-9, by: span / 5) {
            s += "<line x1=\"\(left)\" x2=\"\(left + w)\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(f(y(t) + 4))\" font-size=\"11\" text-anchor=\"end\">\(Int((t * 100).rounded()))%</text>"
        }
        for (i, l) in xLabels.enumerated() {
            s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + h + 16))\" font-size=\"11\" text-anchor=\"middle\">\(escape(l))</text>"
        }
        s += "<text x=\"\(f(left + w / 2))\" y=\"\(f(top + h + 32))\" font-size=\"11\" text-anchor=\"middle\">k (classes re-ranked by FuDD)</text>"
        for (n, sr) in series.enumerated() {
            if sr.flat, let v = sr.points.first?.1 {
                s += "<line x1=\"\(left)\" x2=\"\(left + w)\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"\(sr.color)\" stroke-dasharray=\"5,4\" stroke-width=\"1.5\"/>"
            } else {
                let pts = sr.points.compactMap { p in xLabels.firstIndex(of: p.0).map { "\(f(x($0))),\(f(y(p.1)))" } }
                s += "<polyline fill=\"none\" stroke=\"\(sr.color)\" stroke-width=\"2.5\" points=\"\(pts.joined(separator: " "))\"/>"
                for p in sr.points { if let i = xLabels.firstIndex(of: p.0) {
                    s += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(p.1)))\" r=\"3.5\" fill=\"\(sr.color)\"><title>\(escape(sr.name)) k=\(escape(p.0)): \(String(format: "%.1f", p.1 * 100))%</title></circle>"
                } }
            }
            let ly = top + 14 + Double(n) * 18
            s += "<line x1=\"\(f(left + w + 12))\" x2=\"\(f(left + w + 36))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(sr.color)\" stroke-width=\"2.5\"\(sr.flat ? " stroke-dasharray=\"5,4\"" : "")/>"
            s += "<text x=\"\(f(left + w + 42))\" y=\"\(f(ly))\" font-size=\"11\">\(escape(sr.name)) \(String(format: "%.1f", (sr.points.last?.1 ?? 0) * 100))%</text>"
        }
        return s + "</svg>"
    }

    /// A horizontal bar chart of signed values (bars left of zero for negatives).
    public static func bars(_ items: [(label: String, value: Double, color: String)], title: String, format: String = "%+.4f", width: Int = 820) -> String {
        let rowH = 22.0, top = 30.0, labelW = 210.0, valueW = 70.0
        let height = Int(top + Double(items.count) * rowH + 10)
        let maxAbs = max(items.map { abs($0.value) }.max() ?? 1, 1e-9)
        let hasNeg = items.contains { $0.value < 0 }
        let plotW = Double(width) - labelW - valueW
        let zero = labelW + (hasNeg ? plotW / 2 : 0)
        let scale = (hasNeg ? plotW / 2 : plotW) / maxAbs
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<text x=\"0\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        for (i, it) in items.enumerated() {
            let y = top + Double(i) * rowH
            let len = abs(it.value) * scale
            let x0 = it.value >= 0 ? zero : zero - len
            s += "<text x=\"\(f(labelW - 6))\" y=\"\(f(y + 15))\" font-size=\"11\" text-anchor=\"end\">\(escape(it.label))</text>"
            s += "<rect class=\"bar\" x=\"\(f(x0))\" y=\"\(f(y + 3))\" width=\"\(f(max(len, 1)))\" height=\"\(f(rowH - 6))\" fill=\"\(it.color)\"/>"
            s += "<text x=\"\(f(Double(width) - valueW + 4))\" y=\"\(f(y + 15))\" font-size=\"11\">\(String(format: format, it.value))</text>"
        }
        s += "<line x1=\"\(f(zero))\" x2=\"\(f(zero))\" y1=\"\(top)\" y2=\"\(f(top + Double(items.count) * rowH))\" stroke=\"#333\"/>"
        return s + "</svg>"
    }

    /// One group of a grouped bar chart: a label and one value per series (nil: no value,
    /// drawn as "n/a" and no bar).
    public struct Group: Sendable, Equatable {
        /// The row label.
        public var label: String
        /// One value per series, in the series' order.
        public var values: [Double?]

        /// A group.
        public init(label: String, values: [Double?]) {
            self.label = label
            self.values = values
        }
    }

    /// A horizontal grouped bar chart of signed values: one row of bars per group, one bar
    /// per series in the series' colour, with a legend. Data bars carry `class="bar"`, legend
    /// swatches `class="legend"` (so a renderer can count the bars).
    public static func groupedBars(_ groups: [Group], series: [(name: String, color: String)], title: String,
                                   format: String = "%+.4f", width: Int = 820) -> String {
        let barH = 14.0, gap = 10.0, top = 30.0 + 18.0 * Double(series.count), labelW = 210.0, valueW = 70.0
        let groupH = barH * Double(max(series.count, 1)) + gap
        let height = Int(top + Double(groups.count) * groupH + 10)
        let values = groups.flatMap { $0.values.compactMap { $0 } }
        let maxAbs = max(values.map(abs).max() ?? 1, 1e-9)
        let hasNeg = values.contains { $0 < 0 }
        let plotW = Double(width) - labelW - valueW
        let zero = labelW + (hasNeg ? plotW / 2 : 0)
        let scale = (hasNeg ? plotW / 2 : plotW) / maxAbs
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<text x=\"0\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        for (n, sr) in series.enumerated() {
            let ly = 30.0 + 18.0 * Double(n)
            s += "<rect class=\"legend\" x=\"\(f(labelW))\" y=\"\(f(ly))\" width=\"12\" height=\"12\" fill=\"\(sr.color)\"/>"
            s += "<text x=\"\(f(labelW + 18))\" y=\"\(f(ly + 10))\" font-size=\"11\">\(escape(sr.name))</text>"
        }
        for (i, g) in groups.enumerated() {
            let y0 = top + Double(i) * groupH
            s += "<text x=\"\(f(labelW - 6))\" y=\"\(f(y0 + groupH / 2))\" font-size=\"11\" text-anchor=\"end\">\(escape(g.label))</text>"
            for (j, sr) in series.enumerated() {
                let y = y0 + Double(j) * barH
                guard j < g.values.count, let v = g.values[j] else {
                    s += "<text x=\"\(f(Double(width) - valueW + 4))\" y=\"\(f(y + 11))\" font-size=\"10\">n/a</text>"
                    continue
                }
                let len = abs(v) * scale
                s += "<rect class=\"bar\" x=\"\(f(v >= 0 ? zero : zero - len))\" y=\"\(f(y + 1))\" width=\"\(f(max(len, 1)))\" height=\"\(f(barH - 2))\" fill=\"\(sr.color)\">"
                    + "<title>\(escape(sr.name)) · \(escape(g.label)): \(String(format: format, v))</title></rect>"
                s += "<text x=\"\(f(Double(width) - valueW + 4))\" y=\"\(f(y + 11))\" font-size=\"10\">\(String(format: format, v))</text>"
            }
        }
        s += "<line x1=\"\(f(zero))\" x2=\"\(f(zero))\" y1=\"\(f(top))\" y2=\"\(f(top + Double(groups.count) * groupH))\" stroke=\"#333\"/>"
        return s + "</svg>"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// Accuracy measures from rankings and labels.
public enum Metrics {
    /// Top-1, top-5 (nil with fewer than 5 classes), mean per-class recall and per-class
    /// accuracy of `rankings` against `labels`.
    public static func measure(_ rankings: [Ranking], labels: [Int], classCount: Int)
        -> (top1: Double, top5: Double?, meanPerClassRecall: Double, perClass: [Double?]) {
        var hit1 = 0, hit5 = 0
        var perTotal = [Int](repeating: 0, count: classCount), perHit = [Int](repeating: 0, count: classCount)
        for (r, y) in zip(rankings, labels) {
            perTotal[y] += 1
            if r.classes.first == y { hit1 += 1; perHit[y] += 1 }
            if r.classes.prefix(5).contains(y) { hit5 += 1 }
        }
        let n = Double(max(labels.count, 1))
        let perClass: [Double?] = (0..<classCount).map { perTotal[$0] > 0 ? Double(perHit[$0]) / Double(perTotal[$0]) : nil }
        let present = perClass.compactMap { $0 }
        let mpcr = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
        return (Double(hit1) / n, classCount >= 5 ? Double(hit5) / n : nil, mpcr, perClass)
    }
}

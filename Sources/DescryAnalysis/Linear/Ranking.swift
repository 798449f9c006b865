/// The best classes for one image, best first, with their raw cosine scores.
public struct Ranking: Sendable, Equatable {
    /// Class positions (index into the dataset's class list), best first.
    public var classes: [Int]
    /// The score of each, aligned with `classes` (raw cosine or mean cosine; no logit scale).
    public var scores: [Float]

    /// Creates a ranking.
    public init(classes: [Int], scores: [Float]) {
        self.classes = classes
        self.scores = scores
    }

    /// The `count` best of `scores` (ties go to the lower class position), best first.
    public static func top(_ scores: UnsafeBufferPointer<Float>, count: Int) -> Ranking {
        let t = min(count, scores.count)
        var cls = [Int](), sc = [Float]()
        cls.reserveCapacity(t + 1)
        sc.reserveCapacity(t + 1)
        for (j, s) in scores.enumerated() {
            if cls.count == t, let last = sc.last, !(s > last) { continue }
            // Insertion keeps equal scores in position order: a later class goes after equals.
            var p = sc.count
            while p > 0 && sc[p - 1] < s { p -= 1 }
            sc.insert(s, at: p)
            cls.insert(j, at: p)
            if cls.count > t { cls.removeLast(); sc.removeLast() }
        }
        return Ranking(classes: cls, scores: sc)
    }

    /// Convenience over an array.
    public static func top(_ scores: [Float], count: Int) -> Ranking {
        scores.withUnsafeBufferPointer { top($0, count: count) }
    }
}

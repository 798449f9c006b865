/// An unordered class pair by class position, stored as (min, max) like FuDD's "i_j" keys.
public struct PairKey: Hashable, Sendable, Comparable {
    /// The lower class position.
    public let lo: Int
    /// The higher class position.
    public let hi: Int

    /// The key of classes `a` and `b` in either order.
    public init(_ a: Int, _ b: Int) {
        lo = min(a, b)
        hi = max(a, b)
    }

    /// Orders pairs by their lower, then higher class position.
    public static func < (x: PairKey, y: PairKey) -> Bool { (x.lo, x.hi) < (y.lo, y.hi) }
}

/// The differential descriptions of one class pair: for each prompt pair, the sentence
/// describing the lower class and the one describing the higher class, in file order.
public struct PairPrompts: Sendable, Equatable {
    /// Sentences describing the class at `PairKey.lo`.
    public var lo: [String]
    /// Sentences describing the class at `PairKey.hi`.
    public var hi: [String]

    /// Creates the sentences of a pair.
    public init(lo: [String] = [], hi: [String] = []) {
        self.lo = lo
        self.hi = hi
    }

    /// The sentences describing `side` (which must be `key.lo` or `key.hi`).
    public func texts(for side: Int, key: PairKey) -> [String] { side == key.lo ? lo : hi }
}

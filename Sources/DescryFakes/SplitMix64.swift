/// SplitMix64: a tiny deterministic generator for benchmarks, fuzzing and test data, so every
/// run (and the Python side of a benchmark) sees the same inputs. Not for anything a user's
/// results depend on: the libraries never use it.
public struct SplitMix64: Sendable {
    /// The current state.
    public var state: UInt64

    /// A generator starting at `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n (0 when n ≤ 1).
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// A float in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}

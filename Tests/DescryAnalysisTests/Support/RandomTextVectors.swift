@testable import DescryAnalysis

/// Deterministic pseudo-random unit vectors per text (seeded by an FNV-1a hash of the text).
struct RandomTextVectors: TextVectorSource {
    let dim: Int
    var salt: UInt64 = 0

    func vectors(for texts: [String]) throws -> [[Float]] { texts.map(vector) }

    func vector(_ text: String) -> [Float] {
        var h: UInt64 = 0xcbf29ce484222325 ^ salt
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        var rng = SplitMix(state: h)
        return Matrix.normalized((0..<dim).map { _ in rng.nextFloat() - 0.5 })
    }
}

/// SplitMix64, for reproducible test data.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
    mutating func unitVector(_ dim: Int) -> [Float] { Matrix.normalized((0..<dim).map { _ in nextFloat() - 0.5 }) }
}

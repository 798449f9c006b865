import DescryFakes
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

/// The project's SplitMix64 (DescryFakes), for reproducible test data.
typealias SplitMix = SplitMix64

extension SplitMix64 {
    /// A random unit vector.
    mutating func unitVector(_ dim: Int) -> [Float] { Matrix.normalized((0..<dim).map { _ in nextFloat() - 0.5 }) }
}

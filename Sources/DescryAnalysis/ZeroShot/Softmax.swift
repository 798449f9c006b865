import Foundation

/// Softmax over cosine scores, as CLIP turns similarities into probabilities.
public enum Softmax {
    /// Probabilities of `scores` (cosines) scaled by the model's logit scale: `exp(scale · s)`
    /// normalized to sum to 1. The maximum is subtracted first so large scales do not
    /// overflow. Empty in, empty out.
    public static func probabilities(_ scores: [Float], logitScale: Float) -> [Float] {
        guard !scores.isEmpty else { return [] }
        let m = scores.max() ?? 0
        let e = scores.map { Float(exp(Double(logitScale * ($0 - m)))) }
        let t = e.reduce(0, +)
        return e.map { $0 / t }
    }
}

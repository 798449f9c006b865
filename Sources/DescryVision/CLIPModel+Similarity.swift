import Foundation

extension CLIPModel {
    /// Cosine similarities between one image file and each text (what `descry similarity` shows).
    public func similarity(imageAt url: URL, texts: [String], decoder: ImageDecoder = ImageDecoder()) throws -> [Float] {
        let image = try encode(images: [decoder.decode(contentsOf: url)])[0]
        return try encode(texts: texts).map { text in zip(image, text).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
    }

    /// Zero-shot probabilities from cosine similarities: softmax of `logitScale × similarity`,
    /// with the manifest's logit scale, or CLIP's trained value 100 when the manifest has none.
    public func probabilities(fromSimilarities similarities: [Float]) -> [Float] {
        let scale = manifest.logitScale ?? 100
        guard let top = similarities.max() else { return [] }
        let exps = similarities.map { Float(exp(Double(scale * ($0 - top)))) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

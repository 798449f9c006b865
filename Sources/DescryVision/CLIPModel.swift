import Dispatch
import Foundation

/// A CLIP-style model run through ONNX Runtime: tokenizer, image preprocessing and the two
/// encoders of a ``ModelManifest``. Every embedding it returns is an L2-normalized float32
/// vector of ``dimension`` values. Thread-safe.
///
/// ```swift
/// let model = try CLIPModel(directory: URL(fileURLWithPath: "models/clip-b32"))
/// let texts = try model.encode(texts: ["a photo of a beagle.", "a photo of a pug."])
/// try model.encodeImages(at: urls, batchSize: 32) { batch in
///     for (index, url, result) in batch { … }   // result: .success(vector) or .failure(error) per file
/// }
/// ```
// @unchecked Sendable: immutable after init; its sessions are thread-safe (see ONNXSession).
public final class CLIPModel: @unchecked Sendable {
    /// The manifest the model was loaded from.
    public let manifest: ModelManifest
    /// The model directory.
    public let directory: URL
    /// The text tokenizer.
    public let tokenizer: CLIPTokenizer
    /// The image preprocessing.
    public let preprocessor: CLIPPreprocessor
    /// The text encoder session.
    public let textSession: ONNXSession
    /// The image encoder session (the same object as ``textSession`` for a combined graph).
    public let imageSession: ONNXSession

    /// Embedding size.
    public var dimension: Int { manifest.embeddingDim }

    /// Loads the model in `directory` from its `descry-model.json` (see ``ModelManifest/load(directory:)``).
    public convenience init(directory: URL, options: ONNXSessionOptions = ONNXSessionOptions(),
                            runtime: ONNXRuntime? = nil) throws {
        try self.init(manifest: ModelManifest.load(directory: directory), directory: directory,
                      options: options, runtime: runtime)
    }

    /// Loads the model described by `manifest`, whose files are relative to `directory`, and
    /// checks the manifest against the graphs.
    public init(manifest: ModelManifest, directory: URL, options: ONNXSessionOptions = ONNXSessionOptions(),
                runtime: ONNXRuntime? = nil) throws {
        try manifest.validate(directory: directory)
        self.manifest = manifest
        self.directory = directory
        self.tokenizer = try Self.makeTokenizer(manifest, directory)
        self.preprocessor = manifest.preprocessor
        self.textSession = try ONNXSession(model: directory.appendingPathComponent(manifest.textModel),
                                           options: options, runtime: runtime)
        self.imageSession = manifest.isCombined ? textSession
            : try ONNXSession(model: directory.appendingPathComponent(manifest.imageModel), options: options, runtime: runtime)
        try manifest.validate(text: textSession, image: imageSession, directory: directory)
    }

    static func makeTokenizer(_ manifest: ModelManifest, _ directory: URL) throws -> CLIPTokenizer {
        let t = manifest.tokenizer
        if t.kind == "huggingface", let v = t.vocabulary, let m = t.merges {
            return try CLIPTokenizer(huggingFaceVocabulary: directory.appendingPathComponent(v),
                                     merges: directory.appendingPathComponent(m), contextLength: manifest.contextLength)
        }
        let url = try t.vocabulary.map { directory.appendingPathComponent($0) } ?? CLIPTokenizer.locateDefaultVocabulary()
        return try CLIPTokenizer.shared(openCLIPVocabulary: url, contextLength: manifest.contextLength)
    }

    // MARK: text

    /// Embeds `texts` in batches of `batchSize`, in order.
    public func encode(texts: [String], batchSize: Int = 64) throws -> [[Float]] {
        var result: [[Float]] = []
        result.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(start + max(batchSize, 1), texts.count)
            result += try encode(tokens: tokenizer.tokenize(Array(texts[start..<end])))
            start = end
        }
        return result
    }

    /// Embeds already tokenized texts (one batch, one inference).
    public func encode(tokens: TokenBatch) throws -> [[Float]] {
        try Self.runText(textSession, manifest, tokens)
    }

    static func runText(_ session: ONNXSession, _ manifest: ModelManifest, _ tokens: TokenBatch) throws -> [[Float]] {
        guard tokens.count > 0 else { return [] }
        // A graph exported with a fixed batch size gets exactly that many rows per run; the
        // last chunk is padded with copies of its first row, whose outputs are dropped.
        let fixed = fixedBatch(session, manifest.textInputIDs)
        if let fixed, fixed != tokens.count {
            var result: [[Float]] = []
            var start = 0
            while start < tokens.count {
                let end = min(start + fixed, tokens.count)
                var ids: [Int32] = [], lengths: [Int] = []
                for i in start..<end { ids += tokens.row(i); lengths.append(tokens.lengths[i]) }
                for _ in 0..<(fixed - (end - start)) { ids += tokens.row(start); lengths.append(tokens.lengths[start]) }
                let chunk = TokenBatch(count: fixed, contextLength: tokens.contextLength, ids: ids, lengths: lengths)
                result += try runText(session, manifest, chunk).prefix(end - start)
                start = end
            }
            return result
        }
        let out = try rawText(session, manifest, tokens)
        return try rows(out, count: tokens.count, name: manifest.textOutput, path: session.modelPath)
    }

    /// One text inference, outputs as the graph returns them.
    static func rawText(_ session: ONNXSession, _ manifest: ModelManifest, _ tokens: TokenBatch) throws -> ONNXTensor {
        let shape = [tokens.count, tokens.contextLength]
        var feeds: [String: ONNXTensor] = [:]
        feeds[manifest.textInputIDs] = tokenType(session, manifest.textInputIDs, manifest) == .int32
            ? try ONNXTensor(int32: tokens.ids, shape: shape) : try ONNXTensor(int64: tokens.int64IDs(), shape: shape)
        if let mask = manifest.textAttentionMask {
            feeds[mask] = tokenType(session, mask, manifest) == .int32
                ? try ONNXTensor(int32: tokens.int32AttentionMask(), shape: shape)
                : try ONNXTensor(int64: tokens.attentionMask(), shape: shape)
        }
        if manifest.isCombined { feeds[manifest.imageInput] = try dummyPixels(session, manifest) }
        return try output(session.run(feeds, outputNames: [manifest.textOutput]), manifest.textOutput, session)
    }

    /// The integer type to feed a token input: the manifest's for the ids when it says, else the graph's.
    static func tokenType(_ session: ONNXSession, _ input: String, _ manifest: ModelManifest) -> ONNXElementType {
        if input == manifest.textInputIDs, let declared = manifest.textInputType { return declared.elementType }
        return session.inputs.first { $0.name == input }?.elementType == .int32 ? .int32 : .int64
    }

    /// The smallest image input a combined graph accepts (batch 1 unless fixed, zeros), fed
    /// while the text tower runs. ORT runs every node whatever outputs are requested (measured:
    /// Docs/vision.md), so the dummy costs one image through the image tower per text batch.
    static func dummyPixels(_ session: ONNXSession, _ manifest: ModelManifest) throws -> ONNXTensor {
        let batch = fixedBatch(session, manifest.imageInput) ?? 1
        let s = manifest.imageSize
        let zeros = [Float](repeating: 0, count: batch * 3 * s * s)
        return isHalf(session, manifest.imageInput) ? try ONNXTensor(float16From: zeros, shape: [batch, 3, s, s])
                                                    : try ONNXTensor(float: zeros, shape: [batch, 3, s, s])
    }

    /// The smallest text input a combined graph accepts (batch 1 of one token unless fixed),
    /// fed while the image tower runs: one token through the text tower per image batch.
    static func dummyTokens(_ session: ONNXSession, _ manifest: ModelManifest) throws -> [String: ONNXTensor] {
        let shape = session.inputs.first { $0.name == manifest.textInputIDs }?.shape ?? []
        let batch = shape.count == 2 && shape[0] > 0 ? shape[0] : 1
        let length = shape.count == 2 && shape[1] > 0 ? shape[1] : 1
        var feeds: [String: ONNXTensor] = [:]
        for (name, value) in [(manifest.textInputIDs, 0), (manifest.textAttentionMask, 1)] {
            guard let name else { continue }
            let values = [Int](repeating: value, count: batch * length)
            feeds[name] = tokenType(session, name, manifest) == .int32
                ? try ONNXTensor(int32: values.map { Int32($0) }, shape: [batch, length])
                : try ONNXTensor(int64: values.map { Int64($0) }, shape: [batch, length])
        }
        return feeds
    }

    static func isHalf(_ session: ONNXSession, _ input: String) -> Bool {
        session.inputs.first { $0.name == input }?.elementType == .float16
    }

    static func output(_ outputs: [String: ONNXTensor], _ name: String, _ session: ONNXSession) throws -> ONNXTensor {
        guard let tensor = outputs[name] else {
            throw VisionError.badModel(path: session.modelPath, reason: "ONNX Runtime returned no output '\(name)'")
        }
        return tensor
    }

    /// The batch size a graph input fixes, or nil when the batch dimension is free.
    static func fixedBatch(_ session: ONNXSession, _ input: String) -> Int? {
        guard let shape = session.inputs.first(where: { $0.name == input })?.shape, let first = shape.first, first > 0 else {
            return nil
        }
        return first
    }

    // MARK: images

    /// Embeds decoded images (one inference per `batchSize` images), in order.
    public func encode(images: [RGBImage], batchSize: Int = 32) throws -> [[Float]] {
        var result: [[Float]] = []
        var start = 0
        let n = preprocessor.tensorCount
        while start < images.count {
            let end = min(start + max(batchSize, 1), images.count)
            var pixels = [Float](repeating: 0, count: (end - start) * n)
            try pixels.withUnsafeMutableBufferPointer { buffer in
                for i in start..<end {
                    try preprocessor.write(images[i], into: UnsafeMutableBufferPointer(rebasing: buffer[((i - start) * n)...]))
                }
            }
            result += try encode(pixels: pixels, count: end - start)
            start = end
        }
        return result
    }

    /// Embeds preprocessed pixels: `count` images of `3 × size × size` floats each.
    public func encode(pixels: [Float], count: Int) throws -> [[Float]] {
        try Self.runImage(imageSession, manifest, pixels, count: count)
    }

    static func runImage(_ session: ONNXSession, _ manifest: ModelManifest, _ pixels: [Float], count: Int) throws -> [[Float]] {
        guard count > 0 else { return [] }
        let n = 3 * manifest.imageSize * manifest.imageSize
        guard pixels.count == count * n else {
            throw VisionError.invalidArgument("expected \(count) images of \(n) floats, got \(pixels.count) floats")
        }
        if let fixed = fixedBatch(session, manifest.imageInput), fixed != count {
            var result: [[Float]] = []
            var start = 0
            while start < count {
                let end = min(start + fixed, count)
                var chunk = Array(pixels[(start * n)..<(end * n)])
                chunk += [Float](repeating: 0, count: (fixed - (end - start)) * n)
                result += try runImage(session, manifest, chunk, count: fixed).prefix(end - start)
                start = end
            }
            return result
        }
        let out = try rawImage(session, manifest, pixels, count: count)
        return try rows(out, count: count, name: manifest.imageOutput, path: session.modelPath)
    }

    /// One image inference, outputs as the graph returns them.
    static func rawImage(_ session: ONNXSession, _ manifest: ModelManifest, _ pixels: [Float], count: Int) throws -> ONNXTensor {
        let shape = [count, 3, manifest.imageSize, manifest.imageSize]
        var feeds = [manifest.imageInput: isHalf(session, manifest.imageInput)
            ? try ONNXTensor(float16From: pixels, shape: shape) : try ONNXTensor(float: pixels, shape: shape)]
        if manifest.isCombined { feeds.merge(try dummyTokens(session, manifest)) { a, _ in a } }
        return try output(session.run(feeds, outputNames: [manifest.imageOutput]), manifest.imageOutput, session)
    }

    /// Splits a [count, dim] output into L2-normalized rows.
    static func rows(_ tensor: ONNXTensor, count: Int, name: String, path: String) throws -> [[Float]] {
        guard tensor.shape.count == 2, tensor.shape[0] == count else {
            throw VisionError.badModel(path: path, reason: "output '\(name)' has shape \(tensor.shape); expected [\(count), dim]")
        }
        let dim = tensor.shape[1]
        let values = tensor.floats
        return (0..<count).map { i in
            let row = values[(i * dim)..<((i + 1) * dim)]
            let norm = row.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? row.map { $0 / norm } : Array(row)
        }
    }

    /// Embedding size and whether raw outputs are unit vectors, from one tiny inference.
    static func probe(manifest: ModelManifest, directory: URL, text: ONNXSession, image: ONNXSession)
        throws -> (dimension: Int, normalized: Bool) {
        let tokenizer = try makeTokenizer(manifest, directory)
        let textBatch = fixedBatch(text, manifest.textInputIDs) ?? 2
        let tokens = tokenizer.tokenize((0..<textBatch).map { $0 % 2 == 0 ? "a photo of a dog." : "a diagram of a circuit" })
        let t = try rawText(text, manifest, tokens)
        let s = manifest.imageSize
        let imageBatch = fixedBatch(image, manifest.imageInput) ?? 2
        let pixels = (0..<(imageBatch * 3 * s * s)).map { Float(($0 * 7919) % 251) / 125 - 1 }
        let i = try rawImage(image, manifest, pixels, count: imageBatch)
        guard t.shape.count == 2, i.shape.count == 2, t.shape[1] == i.shape[1] else {
            throw VisionError.badModel(path: directory.path,
                reason: "text output '\(manifest.textOutput)' \(t.shape) and image output '\(manifest.imageOutput)' \(i.shape) are not [batch, dim] of one size")
        }
        let unit = [t, i].allSatisfy { tensor in
            let v = tensor.floats, d = tensor.shape[1]
            return (0..<tensor.shape[0]).allSatisfy { r in abs(v[(r * d)..<((r + 1) * d)].reduce(Float(0)) { $0 + $1 * $1 } - 1) < 1e-3 }
        }
        return (t.shape[1], unit)
    }
}

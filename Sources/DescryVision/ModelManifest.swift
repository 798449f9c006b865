import Foundation

/// `descry-model.json`: everything Descry needs to run a CLIP-style model exported to ONNX, kept
/// next to the files. ``detect(directory:runtime:logitScale:variant:checkpoint:)`` writes one
/// for the common export layouts (Docs/vision.md lists them) by reading the graphs;
/// ``load(directory:)`` reads and validates it. Paths are relative to the directory (`onnx/…`,
/// `../vocab.json`). When `text_model` and `image_model` name the same file, it is a combined
/// graph (optimum's `model.onnx`): each tower runs with a one-item dummy for the other's inputs.
///
/// ```json
/// { "format_version": 1, "text_model": "text_model.onnx", "image_model": "vision_model.onnx",
///   "tokenizer": { "kind": "huggingface", "vocabulary": "vocab.json", "merges": "merges.txt" },
///   "context_length": 77, "image_size": 224, "resize_mode": "shortest", "crop_rounding": "floor",
///   "mean": [0.481, 0.458, 0.408], "std": [0.269, 0.261, 0.276],
///   "text_input_ids": "input_ids", "text_attention_mask": "attention_mask", "text_output": "text_embeds",
///   "image_input": "pixel_values", "image_output": "image_embeds",
///   "embedding_dim": 512, "outputs_normalized": false, "logit_scale": 100,
///   "text_input_type": "int64", "notes": [] }
/// ```
/// `text_input_type` (`int32` or `int64`) and `notes` are optional: without the first, token ids
/// are fed as the graph declares them.
public struct ModelManifest: Codable, Equatable, Sendable {
    /// The manifest's file name.
    public static let fileName = "descry-model.json"
    /// The format version this code reads and writes.
    public static let currentFormatVersion = 1

    /// Tokenizer files, relative to the model directory.
    public struct Tokenizer: Codable, Equatable, Sendable {
        /// `open_clip` (a gzipped merges file) or `huggingface` (`vocab.json` + `merges.txt`).
        public var kind: String
        /// The vocabulary file; nil for open_clip's default vocabulary, found by `CLIPTokenizer.locateDefaultVocabulary`.
        public var vocabulary: String?
        /// The merges file (Hugging Face only).
        public var merges: String?

        /// Tokenizer files from their parts.
        public init(kind: String, vocabulary: String? = nil, merges: String? = nil) {
            self.kind = kind
            self.vocabulary = vocabulary
            self.merges = merges
        }
    }

    /// The integer type of token-id and attention-mask inputs.
    public enum TokenType: String, Codable, Sendable, CaseIterable {
        /// int32, as open_clip / clip-as-service exports take them.
        case int32
        /// int64, as Hugging Face exports take them.
        case int64

        /// The ONNX element type.
        public var elementType: ONNXElementType { self == .int32 ? .int32 : .int64 }
    }

    /// Format version (1).
    public var formatVersion: Int
    /// Text encoder ONNX file, relative to the directory.
    public var textModel: String
    /// Image encoder ONNX file, relative to the directory.
    public var imageModel: String
    /// Tokenizer files.
    public var tokenizer: Tokenizer
    /// Tokens per text (77 for CLIP).
    public var contextLength: Int
    /// Side of the square image input.
    public var imageSize: Int
    /// Resize mode before cropping.
    public var resizeMode: CLIPPreprocessor.ResizeMode
    /// Center-crop rounding (open_clip: `round`; Hugging Face: `floor`).
    public var cropRounding: CLIPPreprocessor.CropRounding
    /// Per-channel normalization mean.
    public var mean: [Float]
    /// Per-channel normalization standard deviation.
    public var std: [Float]
    /// Name of the token-id input of the text model.
    public var textInputIDs: String
    /// Name of the attention-mask input, when the text model has one.
    public var textAttentionMask: String?
    /// Name of the text embedding output.
    public var textOutput: String
    /// Name of the pixel input of the image model.
    public var imageInput: String
    /// Name of the image embedding output.
    public var imageOutput: String
    /// Embedding dimension of both outputs.
    public var embeddingDim: Int
    /// Whether the models already L2-normalize their outputs (Descry normalizes either way).
    public var outputsNormalized: Bool
    /// CLIP's logit scale (exp of the learned temperature), when known.
    public var logitScale: Float?
    /// The token-id type the text graph takes; nil: whatever the graph declares.
    public var textInputType: TokenType?
    /// What detection assumed or chose (an image size it could not read, the variant picked),
    /// for people reading the manifest; nil or empty when nothing needs saying.
    public var notes: [String]?
    /// Set when the graphs were made by `descry models quantize` from another model: what was
    /// done and from what. Nil for models as exported.
    public var quantization: Quantization?

    /// How a quantized model was made (``ONNXQuantizer``).
    public struct Quantization: Codable, Equatable, Sendable {
        /// The method: `int8-dynamic-matmul` (ONNX Runtime's `quantize_dynamic` form, per-tensor
        /// symmetric int8 weights of MatMul nodes).
        public var method: String
        /// The registered name of the float model it was made from.
        public var sourceModel: String
        /// That model's directory.
        public var sourceDirectory: String
        /// That model's manifest hash at the time.
        public var sourceHash: String
        /// MatMul nodes rewritten, over both graphs.
        public var matMulsQuantized: Int

        /// A record from its parts.
        public init(method: String, sourceModel: String, sourceDirectory: String, sourceHash: String, matMulsQuantized: Int) {
            self.method = method
            self.sourceModel = sourceModel
            self.sourceDirectory = sourceDirectory
            self.sourceHash = sourceHash
            self.matMulsQuantized = matMulsQuantized
        }

        enum CodingKeys: String, CodingKey {
            case method, sourceModel = "source_model", sourceDirectory = "source_directory", sourceHash = "source_hash"
            case matMulsQuantized = "matmuls_quantized"
        }
    }

    /// Whether text and image towers are one graph (optimum's combined `model.onnx`).
    public var isCombined: Bool { textModel == imageModel }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", textModel = "text_model", imageModel = "image_model", tokenizer
        case contextLength = "context_length", imageSize = "image_size", resizeMode = "resize_mode"
        case cropRounding = "crop_rounding", mean, std, textInputIDs = "text_input_ids"
        case textAttentionMask = "text_attention_mask", textOutput = "text_output", imageInput = "image_input"
        case imageOutput = "image_output", embeddingDim = "embedding_dim", outputsNormalized = "outputs_normalized"
        case logitScale = "logit_scale", textInputType = "text_input_type", notes, quantization
    }

    /// A manifest from its parts (see the properties); defaults are OpenAI CLIP's.
    public init(textModel: String, imageModel: String, tokenizer: Tokenizer = Tokenizer(kind: "open_clip"),
                contextLength: Int = 77, imageSize: Int = 224, resizeMode: CLIPPreprocessor.ResizeMode = .shortestSide,
                cropRounding: CLIPPreprocessor.CropRounding = .halfToEven,
                mean: [Float] = CLIPPreprocessor.clipMean, std: [Float] = CLIPPreprocessor.clipStd,
                textInputIDs: String = "input_ids", textAttentionMask: String? = "attention_mask",
                textOutput: String = "text_embeds", imageInput: String = "pixel_values",
                imageOutput: String = "image_embeds", embeddingDim: Int, outputsNormalized: Bool = false,
                logitScale: Float? = nil, textInputType: TokenType? = nil, notes: [String]? = nil) {
        self.formatVersion = Self.currentFormatVersion
        self.textModel = textModel
        self.imageModel = imageModel
        self.tokenizer = tokenizer
        self.contextLength = contextLength
        self.imageSize = imageSize
        self.resizeMode = resizeMode
        self.cropRounding = cropRounding
        self.mean = mean
        self.std = std
        self.textInputIDs = textInputIDs
        self.textAttentionMask = textAttentionMask
        self.textOutput = textOutput
        self.imageInput = imageInput
        self.imageOutput = imageOutput
        self.embeddingDim = embeddingDim
        self.outputsNormalized = outputsNormalized
        self.logitScale = logitScale
        self.textInputType = textInputType
        self.notes = notes
    }

    /// The preprocessing this manifest describes.
    public var preprocessor: CLIPPreprocessor {
        CLIPPreprocessor(size: imageSize, resizeMode: resizeMode, cropRounding: cropRounding, mean: mean, std: std)
    }

    // MARK: reading and writing

    /// Reads `descry-model.json` from `directory` and checks it (fields, referenced files).
    public static func load(directory: URL) throws -> ModelManifest {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw VisionError.badManifest(path: url.path, field: "-", reason: "no manifest; run `descry models add` to create one")
        }
        let data = try Data(contentsOf: url)
        let manifest: ModelManifest
        do {
            manifest = try JSONDecoder().decode(ModelManifest.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let field = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw VisionError.badManifest(path: url.path, field: field, reason: "required field is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw VisionError.badManifest(path: url.path, field: context.codingPath.map(\.stringValue).joined(separator: "."),
                                          reason: "wrong type: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw VisionError.badManifest(path: url.path, field: field.isEmpty ? "-" : field,
                                          reason: "\(context.debugDescription) \(context.underlyingError.map { "\($0)" } ?? "")")
        }
        try manifest.validate(directory: directory)
        return manifest
    }

    /// Writes the manifest as `descry-model.json` in `directory` (pretty, sorted keys).
    public func write(directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = directory.appendingPathComponent(Self.fileName)
        do { try encoder.encode(self).write(to: url, options: .atomic) } catch {
            throw VisionError.unreadableFile(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Checks values and that referenced files exist; errors name the field.
    public func validate(directory: URL) throws {
        let path = directory.appendingPathComponent(Self.fileName).path
        func fail(_ field: String, _ reason: String) -> VisionError { .badManifest(path: path, field: field, reason: reason) }
        guard formatVersion == Self.currentFormatVersion else {
            throw fail("format_version", "is \(formatVersion); this Descry reads version \(Self.currentFormatVersion)")
        }
        for (field, file) in [("text_model", textModel), ("image_model", imageModel)] {
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) else {
                throw fail(field, "file '\(file)' not found in \(directory.path)")
            }
        }
        switch tokenizer.kind {
        case "open_clip":
            if let v = tokenizer.vocabulary, !FileManager.default.fileExists(atPath: directory.appendingPathComponent(v).path) {
                throw fail("tokenizer.vocabulary", "file '\(v)' not found in \(directory.path)")
            }
        case "huggingface":
            for (field, file) in [("tokenizer.vocabulary", tokenizer.vocabulary), ("tokenizer.merges", tokenizer.merges)] {
                guard let file else { throw fail(field, "required for a huggingface tokenizer") }
                guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) else {
                    throw fail(field, "file '\(file)' not found in \(directory.path)")
                }
            }
        default:
            throw fail("tokenizer.kind", "is '\(tokenizer.kind)'; expected 'open_clip' or 'huggingface'")
        }
        guard contextLength >= 2 else { throw fail("context_length", "must be at least 2, is \(contextLength)") }
        guard imageSize > 0 else { throw fail("image_size", "must be positive, is \(imageSize)") }
        guard mean.count == 3 else { throw fail("mean", "needs 3 values (R, G, B), has \(mean.count)") }
        guard std.count == 3, std.allSatisfy({ $0 > 0 }) else { throw fail("std", "needs 3 positive values") }
        guard embeddingDim > 0 else { throw fail("embedding_dim", "must be positive, is \(embeddingDim)") }
        for (field, name) in [("text_input_ids", textInputIDs), ("text_output", textOutput),
                              ("image_input", imageInput), ("image_output", imageOutput)] where name.isEmpty {
            throw fail(field, "must not be empty")
        }
    }

    /// Checks the manifest against the loaded graphs: names present, types and fixed dimensions
    /// as the manifest says. Errors explain the mismatch. For a combined graph pass the same
    /// session twice.
    public func validate(text: ONNXSession, image: ONNXSession, directory: URL) throws {
        let path = directory.appendingPathComponent(Self.fileName).path
        func fail(_ field: String, _ reason: String) -> VisionError { .badManifest(path: path, field: field, reason: reason) }
        func find(_ list: [ONNXTensorInfo], _ name: String, _ field: String, _ what: String, _ model: String) throws -> ONNXTensorInfo {
            guard let info = list.first(where: { $0.name == name }) else {
                throw fail(field, "\(model) has no \(what) '\(name)'; it has \(list.map { "\($0)" }.joined(separator: ", "))")
            }
            return info
        }
        let ids = try find(text.inputs, textInputIDs, "text_input_ids", "input", textModel)
        guard ids.elementType == .int64 || ids.elementType == .int32, ids.shape.count == 2 else {
            throw fail("text_input_ids", "'\(ids)' must be int32 or int64 [batch, sequence]")
        }
        if let declared = textInputType, declared.elementType != ids.elementType {
            throw fail("text_input_type", "is \(declared.rawValue) but \(textModel)'s '\(ids)' takes \(ids.elementType)")
        }
        if ids.shape[1] > 0 && ids.shape[1] != contextLength {
            throw fail("context_length", "is \(contextLength) but \(textModel) takes sequences of \(ids.shape[1])")
        }
        if let mask = textAttentionMask {
            let info = try find(text.inputs, mask, "text_attention_mask", "input", textModel)
            guard info.elementType == .int64 || info.elementType == .int32 else {
                throw fail("text_attention_mask", "'\(info)' must be int32 or int64")
            }
        }
        let pixels = try find(image.inputs, imageInput, "image_input", "input", imageModel)
        guard pixels.elementType == .float || pixels.elementType == .float16, pixels.shape.count == 4 else {
            throw fail("image_input", "'\(pixels)' must be float32 or float16 [batch, 3, height, width]")
        }
        if pixels.shape[1] > 0 && pixels.shape[1] != 3 { throw fail("image_input", "'\(pixels)' must have 3 channels") }
        for d in pixels.shape[2...] where d > 0 && d != imageSize {
            throw fail("image_size", "is \(imageSize) but \(imageModel) takes \(pixels.shape[2])x\(pixels.shape[3]) images")
        }
        // A combined graph takes both towers' inputs; split graphs only their own.
        let textKnown = Set([textInputIDs, textAttentionMask].compactMap { $0 } + (isCombined ? [imageInput] : []))
        if let extra = text.inputs.first(where: { !textKnown.contains($0.name) }) {
            throw fail("text_input_ids", "\(textModel) also needs input '\(extra)', which Descry cannot provide")
        }
        if !isCombined && image.inputs.count != 1 {
            throw fail("image_input", "\(imageModel) has \(image.inputs.count) inputs; Descry provides one")
        }
        for (field, session, name, model) in [("text_output", text, textOutput, textModel), ("image_output", image, imageOutput, imageModel)] {
            let out = try find(session.outputs, name, field, "output", model)
            guard out.shape.count == 2 else { throw fail(field, "'\(out)' must be [batch, dim] (pooled embeddings)") }
            if out.shape[1] > 0 && out.shape[1] != embeddingDim {
                throw fail("embedding_dim", "is \(embeddingDim) but \(model)'s '\(name)' has \(out.shape[1])")
            }
        }
    }
}

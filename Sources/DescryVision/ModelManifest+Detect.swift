import Foundation

extension ModelManifest {
    /// Builds a manifest for the model in `directory` by reading its files and graphs:
    ///
    /// - ONNX files: the one whose name mentions `text` and the one that mentions `vision`,
    ///   `visual` or `image` (Hugging Face's `text_model.onnx`/`vision_model.onnx`, open_clip's
    ///   `textual.onnx`/`visual.onnx`);
    /// - tokenizer: `vocab.json` + `merges.txt` if present, else a `*.txt.gz` BPE file, else
    ///   open_clip's default vocabulary;
    /// - inputs/outputs: `input_ids`, `attention_mask`, `pixel_values`, `text_embeds`,
    ///   `image_embeds`, or else the first input/output of the right kind;
    /// - context length and image size from fixed graph dimensions (else 77 and
    ///   `preprocessor_config.json`'s crop size, else 224); mean/std from
    ///   `preprocessor_config.json` when present (then Hugging Face's floor crop rounding);
    /// - embedding size and whether outputs are normalized from one small test inference.
    ///
    /// The result is validated against the graphs but not written; call ``write(directory:)``.
    public static func detect(directory: URL, runtime: ONNXRuntime? = nil, logitScale: Float? = nil) throws -> ModelManifest {
        let fm = FileManager.default
        guard let files = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw VisionError.unreadableFile(path: directory.path, reason: "not a readable directory")
        }
        let onnx = files.filter { $0.lowercased().hasSuffix(".onnx") }.sorted()
        func pick(_ words: [String], _ what: String) throws -> String {
            guard let file = onnx.first(where: { f in words.contains { f.lowercased().contains($0) } }) else {
                throw VisionError.badModel(path: directory.path,
                    reason: "no \(what) ONNX file (a .onnx whose name contains \(words.joined(separator: " or "))); found: \(onnx.isEmpty ? "none" : onnx.joined(separator: ", "))")
            }
            return file
        }
        let textFile = try pick(["text"], "text encoder")
        let imageFile = try pick(["vision", "visual", "image"], "image encoder")

        var tokenizer = Tokenizer(kind: "open_clip")
        if files.contains("vocab.json") && files.contains("merges.txt") {
            tokenizer = Tokenizer(kind: "huggingface", vocabulary: "vocab.json", merges: "merges.txt")
        } else if let bpe = files.sorted().first(where: { $0.hasSuffix(".txt.gz") }) {
            tokenizer = Tokenizer(kind: "open_clip", vocabulary: bpe)
        }

        let options = ONNXSessionOptions(intraOpThreads: 1)
        let text = try ONNXSession(model: directory.appendingPathComponent(textFile), options: options, runtime: runtime)
        let image = try ONNXSession(model: directory.appendingPathComponent(imageFile), options: options, runtime: runtime)
        func name(_ list: [ONNXTensorInfo], _ preferred: String, _ fits: (ONNXTensorInfo) -> Bool, _ what: String, _ file: String) throws -> String {
            if list.contains(where: { $0.name == preferred }) { return preferred }
            guard let first = list.first(where: fits) else {
                throw VisionError.badModel(path: directory.appendingPathComponent(file).path,
                    reason: "no \(what); it has \(list.map { "\($0)" }.joined(separator: ", "))")
            }
            return first.name
        }
        let ids = try name(text.inputs, "input_ids", { $0.elementType == .int64 }, "int64 token-id input", textFile)
        let mask = text.inputs.first { $0.name == "attention_mask" }?.name
            ?? text.inputs.first { $0.name != ids && $0.elementType == .int64 }?.name
        let textOut = try name(text.outputs, "text_embeds", { $0.shape.count == 2 }, "[batch, dim] output", textFile)
        let pixels = try name(image.inputs, "pixel_values", { $0.elementType == .float || $0.elementType == .float16 },
                              "float pixel input", imageFile)
        let imageOut = try name(image.outputs, "image_embeds", { $0.shape.count == 2 }, "[batch, dim] output", imageFile)

        var manifest = ModelManifest(textModel: textFile, imageModel: imageFile, tokenizer: tokenizer,
                                     textInputIDs: ids, textAttentionMask: mask, textOutput: textOut,
                                     imageInput: pixels, imageOutput: imageOut, embeddingDim: 1, logitScale: logitScale)
        if let info = text.inputs.first(where: { $0.name == ids }), info.shape.count == 2, info.shape[1] > 0 {
            manifest.contextLength = info.shape[1]
        }
        let config = directory.appendingPathComponent("preprocessor_config.json")
        if let data = try? Data(contentsOf: config),
           let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            if let mean = json["image_mean"] as? [Double], mean.count == 3 { manifest.mean = mean.map { Float($0) } }
            if let std = json["image_std"] as? [Double], std.count == 3 { manifest.std = std.map { Float($0) } }
            if let crop = json["crop_size"] as? Int { manifest.imageSize = crop }
            if let crop = json["crop_size"] as? [String: Any], let h = crop["height"] as? Int { manifest.imageSize = h }
            manifest.cropRounding = .floor
        }
        if let info = image.inputs.first(where: { $0.name == pixels }), info.shape.count == 4, info.shape[2] > 0 {
            manifest.imageSize = info.shape[2]
        }

        // One small inference tells the embedding size and whether outputs come normalized.
        let probe = try CLIPModel.probe(manifest: manifest, directory: directory, text: text, image: image)
        manifest.embeddingDim = probe.dimension
        manifest.outputsNormalized = probe.normalized
        try manifest.validate(directory: directory)
        try manifest.validate(text: text, image: image, directory: directory)
        return manifest
    }
}

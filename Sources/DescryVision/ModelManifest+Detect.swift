import Foundation

extension ModelManifest {
    /// Builds a manifest for the model in `directory` by reading its files and graphs:
    ///
    /// - ONNX files: in `directory`, else in its `onnx/` folder (transformers.js / Xenova
    ///   repositories); recognised, paired by checkpoint stem and filtered by `variant` as
    ///   Docs/vision.md's layout table says (split text/image graphs, or a combined `model.onnx`);
    ///   a folder with several checkpoints needs `checkpoint`;
    /// - tokenizer, `preprocessor_config.json`, `config.json`, `open_clip_config.json`: in
    ///   `directory`, else in its parent when `directory` is a repository's `onnx/` folder;
    ///   `vocab.json` + `merges.txt` if present, else a `*.txt.gz` BPE file, else open_clip's
    ///   default vocabulary;
    /// - inputs/outputs: `input_ids`, `attention_mask`, `pixel_values`, `text_embeds`,
    ///   `image_embeds`, or else the first input/output of the right kind; token ids int32 or
    ///   int64 as the graph declares (recorded as `text_input_type`);
    /// - context length from the graph (else 77); image size from the graph's fixed height,
    ///   else `preprocessor_config.json`'s crop size, `config.json`'s `vision_config.image_size`,
    ///   `open_clip_config.json`'s `model_cfg.vision_cfg.image_size`, else 224 with a note;
    ///   mean/std from `preprocessor_config.json` (then Hugging Face's floor crop rounding) or
    ///   `open_clip_config.json`'s `preprocess_cfg`;
    /// - embedding size and whether outputs are normalized from one small test inference.
    ///
    /// The result is validated against the graphs but not written; call ``write(directory:)``.
    public static func detect(directory: URL, runtime: ONNXRuntime? = nil, logitScale: Float? = nil,
                              variant: ModelVariant? = nil, checkpoint: String? = nil) throws -> ModelManifest {
        let fm = FileManager.default
        guard let files = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw VisionError.unreadableFile(path: directory.path, reason: "not a readable directory")
        }
        func isONNX(_ f: String) -> Bool { f.lowercased().hasSuffix(".onnx") }
        // Graphs at the top, else in onnx/ (a transformers.js repository's root).
        var graphFiles = files.filter(isONNX)
        let onnxFolder = directory.appendingPathComponent("onnx")
        if !graphFiles.contains(where: { GraphFile(path: $0) != nil }),
           let nested = try? fm.contentsOfDirectory(atPath: onnxFolder.path), nested.contains(where: isONNX) {
            graphFiles = nested.filter(isONNX).map { "onnx/" + $0 }
        }
        let chosen = try GraphFile.choose(graphFiles, directory: directory.path, variant: variant, checkpoint: checkpoint)
        var notes = chosen.notes

        // Tokenizer and preprocessing files: here, else the repository root above onnx/.
        let parent = directory.deletingLastPathComponent()
        let parentFiles = directory.lastPathComponent == "onnx" ? ((try? fm.contentsOfDirectory(atPath: parent.path)) ?? []) : []
        func resource(_ name: String) -> String? {
            if files.contains(name) { return name }
            if parentFiles.contains(name) { return "../" + name }
            return nil
        }
        var tokenizer = Tokenizer(kind: "open_clip")
        if files.contains("vocab.json") && files.contains("merges.txt") {
            tokenizer = Tokenizer(kind: "huggingface", vocabulary: "vocab.json", merges: "merges.txt")
        } else if parentFiles.contains("vocab.json") && parentFiles.contains("merges.txt") {
            tokenizer = Tokenizer(kind: "huggingface", vocabulary: "../vocab.json", merges: "../merges.txt")
        } else if let bpe = files.sorted().first(where: { $0.hasSuffix(".txt.gz") }) {
            tokenizer = Tokenizer(kind: "open_clip", vocabulary: bpe)
        } else if files.contains("tokenizer.json") || parentFiles.contains("tokenizer.json") {
            notes.append("tokenizer.json without vocab.json + merges.txt: open_clip's vocabulary is used (OpenAI CLIP's BPE)")
        }

        let options = ONNXSessionOptions(intraOpThreads: 1)
        let text = try ONNXSession(model: directory.appendingPathComponent(chosen.text), options: options, runtime: runtime)
        let image = chosen.image == chosen.text ? text
            : try ONNXSession(model: directory.appendingPathComponent(chosen.image), options: options, runtime: runtime)
        func name(_ list: [ONNXTensorInfo], _ preferred: String, _ fits: (ONNXTensorInfo) -> Bool, _ what: String, _ file: String) throws -> String {
            if list.contains(where: { $0.name == preferred }) { return preferred }
            guard let first = list.first(where: fits) else {
                throw VisionError.badModel(path: directory.appendingPathComponent(file).path,
                    reason: "no \(what); it has \(list.map { "\($0)" }.joined(separator: ", "))")
            }
            return first.name
        }
        func isToken(_ info: ONNXTensorInfo) -> Bool { info.elementType == .int64 || info.elementType == .int32 }
        let ids = try name(text.inputs, "input_ids", isToken, "int32 or int64 token-id input", chosen.text)
        let mask = text.inputs.first { $0.name == "attention_mask" }?.name
            ?? text.inputs.first { $0.name != ids && isToken($0) }?.name
        // A combined graph's other [batch, x] outputs are logits or the other tower's.
        let combined = chosen.text == chosen.image
        func embedding(_ info: ONNXTensorInfo, _ tower: String) -> Bool {
            info.shape.count == 2 && (!combined || (info.name.lowercased().contains(tower) && !info.name.hasPrefix("logits")))
        }
        let textOut = try name(text.outputs, "text_embeds", { embedding($0, "text") }, "[batch, dim] text output", chosen.text)
        let pixels = try name(image.inputs, "pixel_values", { $0.elementType == .float || $0.elementType == .float16 },
                              "float pixel input", chosen.image)
        let imageOut = try name(image.outputs, "image_embeds", { embedding($0, "image") }, "[batch, dim] image output", chosen.image)
        let idsType: TokenType = text.inputs.first { $0.name == ids }?.elementType == .int32 ? .int32 : .int64

        var manifest = ModelManifest(textModel: chosen.text, imageModel: chosen.image, tokenizer: tokenizer,
                                     textInputIDs: ids, textAttentionMask: mask, textOutput: textOut,
                                     imageInput: pixels, imageOutput: imageOut, embeddingDim: 1, logitScale: logitScale,
                                     textInputType: idsType)
        if let info = text.inputs.first(where: { $0.name == ids }), info.shape.count == 2, info.shape[1] > 0 {
            manifest.contextLength = info.shape[1]
        }
        // A size the graph fixes wins over every config file.
        let graphSize = image.inputs.first(where: { $0.name == pixels }).flatMap { $0.shape.count == 4 && $0.shape[2] > 0 ? $0.shape[2] : nil }
        let assumedSize = try readPreprocessing(into: &manifest, graphImageSize: graphSize, directory: directory, resource: resource)
        if let assumedSize { notes.append(assumedSize) }
        manifest.notes = notes.isEmpty ? nil : notes

        // One small inference tells the embedding size and whether outputs come normalized.
        let probe: (dimension: Int, normalized: Bool)
        do {
            probe = try CLIPModel.probe(manifest: manifest, directory: directory, text: text, image: image)
        } catch let error as VisionError {
            guard let assumed = assumedSize else { throw error }
            throw VisionError.badModel(path: directory.path, reason: "\(assumed); the graph refused it: \(error)")
        }
        manifest.embeddingDim = probe.dimension
        manifest.outputsNormalized = probe.normalized
        try manifest.validate(directory: directory)
        try manifest.validate(text: text, image: image, directory: directory)
        return manifest
    }

    /// Mean, std, crop rounding and image size from the preprocessing and model configs, in
    /// the order `detect` documents. The image size is the graph's when it fixes one, else the
    /// configs'; when none gives it, 224 is assumed and the note saying so is returned.
    static func readPreprocessing(into manifest: inout ModelManifest, graphImageSize: Int?, directory: URL,
                                  resource: (String) -> String?) throws -> String? {
        func json(_ name: String) -> (path: String, object: [String: Any])? {
            guard let file = resource(name) else { return nil }
            let url = directory.appendingPathComponent(file)
            guard let data = try? Data(contentsOf: url),
                  let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
            return (file, object)
        }
        func int(_ value: Any?) -> Int? {
            if let n = value as? Int { return n }
            if let pair = value as? [Int], let first = pair.first { return first }   // [height, width]
            return nil
        }
        var size = graphImageSize
        let openCLIP = json("open_clip_config.json")?.object
        if let (_, config) = json("preprocessor_config.json") {
            if let mean = config["image_mean"] as? [Double], mean.count == 3 { manifest.mean = mean.map { Float($0) } }
            if let std = config["image_std"] as? [Double], std.count == 3 { manifest.std = std.map { Float($0) } }
            if let crop = config["crop_size"] as? [String: Any], let h = crop["height"] as? Int { size = size ?? h }
            if let crop = int(config["crop_size"]) { size = size ?? crop }
            manifest.cropRounding = .floor
        } else if let pre = openCLIP?["preprocess_cfg"] as? [String: Any] {
            if let mean = pre["mean"] as? [Double], mean.count == 3 { manifest.mean = mean.map { Float($0) } }
            if let std = pre["std"] as? [Double], std.count == 3 { manifest.std = std.map { Float($0) } }
        }
        if size == nil, let vision = json("config.json")?.object["vision_config"] as? [String: Any] {
            size = int(vision["image_size"])
        }
        if size == nil, let vision = (openCLIP?["model_cfg"] as? [String: Any])?["vision_cfg"] as? [String: Any] {
            size = int(vision["image_size"])
        }
        if let size {
            manifest.imageSize = size
            return nil
        }
        manifest.imageSize = 224
        return "image_size 224 assumed: the image graph leaves height and width free and no preprocessor_config.json, "
            + "config.json (vision_config.image_size) or open_clip_config.json gives a size; edit image_size if the model wants another"
    }
}

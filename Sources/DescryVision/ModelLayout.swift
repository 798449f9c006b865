import Foundation

/// A weight variant of an exported model, as exporters suffix the file names
/// (transformers.js / Xenova: `text_model_fp16.onnx`, `vision_model_quantized.onnx`).
public enum ModelVariant: String, Sendable, CaseIterable, Codable {
    /// Plain float32 graphs (no suffix, or `_fp32`).
    case fp32
    /// `_fp16` (also `_float16`).
    case fp16
    /// `_quantized` (dynamic int8 quantization in transformers.js repositories).
    case quantized
    /// `_int8`.
    case int8
    /// `_uint8`.
    case uint8
    /// `_q4`.
    case q4
    /// `_q4f16`.
    case q4f16
    /// `_bnb4`.
    case bnb4

    /// The variant a file-name suffix names, if any (`fp16`, `float16`, `quantized`, …).
    init?(suffix: String) {
        switch suffix {
        case "fp32", "float32": self = .fp32
        case "fp16", "float16": self = .fp16
        default: self.init(rawValue: suffix)
        }
    }
}

/// How the ONNX files of a model folder are recognised and paired. Descry reads:
///
/// - split graphs named for their tower: `text_model.onnx` / `vision_model.onnx` (Hugging Face),
///   `textual.onnx` / `visual.onnx` (open_clip, clip-as-service), `clip_text_model_vitb32.onnx`,
///   … — the words `text`/`textual`/`txt` and `vision`/`visual`/`image`/`img`;
/// - a combined graph, `model.onnx` (Hugging Face optimum), used when no split pair exists;
/// - a variant suffix (`_fp16`, `_quantized`, …, see ``ModelVariant``);
/// - a checkpoint stem: what is left of the name without tower word and variant
///   (`ViT-B-32-laion` in `ViT-B-32-laion-textual.onnx`). Text and image graphs pair only when
///   their stems match.
struct GraphFile: Equatable {
    enum Role: Equatable { case text, image, combined }

    /// The path relative to the registered directory (`onnx/text_model_fp16.onnx`).
    let path: String
    let role: Role
    let variant: ModelVariant
    /// The checkpoint stem as written in the file name ("" when the name is only the tower).
    let stem: String

    /// The stem compared case-insensitively, `_`, `.` and `-` alike.
    var key: String { Self.key(stem) }

    static func key(_ stem: String) -> String {
        String(stem.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
    }

    static let textWords: Set<String> = ["text", "textual", "txt"]
    static let imageWords: Set<String> = ["vision", "visual", "image", "img"]
    /// Words that follow a tower word without being part of the stem (`text_model`, `image_encoder`).
    static let towerTails: Set<String> = ["model", "encoder", "tower"]

    /// The file's role, variant and stem, or nil when the name says neither tower nor combined.
    init?(path: String) {
        let file = (path as NSString).lastPathComponent
        guard file.lowercased().hasSuffix(".onnx") else { return nil }
        // Tokens with the separator that precedes each.
        var parts: [(separator: String, token: String)] = []
        var separator = "", token = ""
        for c in file.dropLast(5) {
            if c == "-" || c == "_" || c == "." {
                if !token.isEmpty { parts.append((separator, token)); separator = "" ; token = "" }
                separator.append(c)
            } else {
                token.append(c)
            }
        }
        if !token.isEmpty { parts.append((separator, token)) }
        // A trailing input-type marker is no part of the stem (`clip-text-vit-32-float32-int32.onnx`
        // pairs with `clip-image-vit-32-float32.onnx`).
        if parts.count > 1, let last = parts.last, ["int32", "int64"].contains(last.token.lowercased()) { parts.removeLast() }
        var variant = ModelVariant.fp32
        if parts.count > 1, let last = parts.last, let v = ModelVariant(suffix: last.token.lowercased()) {
            variant = v
            parts.removeLast()
        }
        let lower = parts.map { $0.token.lowercased() }
        let textAt = lower.firstIndex { Self.textWords.contains($0) }
        let imageAt = lower.firstIndex { Self.imageWords.contains($0) }
        var role: Role
        var drop: Set<Int> = []
        switch (textAt, imageAt) {
        case (let t?, nil): role = .text; drop = [t]
        case (nil, let i?): role = .image; drop = [i]
        case (nil, nil):
            if lower.last == "model" {
                role = .combined; drop = [lower.count - 1]
            } else {
                // Tower words glued to other letters (`cliptext.onnx`): the old substring rule.
                let whole = lower.joined(separator: "-")
                if whole.contains("text") { role = .text } else if ["vision", "visual", "image"].contains(where: whole.contains) {
                    role = .image
                } else { return nil }
            }
        default: return nil   // names both towers
        }
        if role != .combined, let at = drop.first, at + 1 < lower.count, Self.towerTails.contains(lower[at + 1]) {
            drop.insert(at + 1)
        }
        let kept = parts.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        var stem = kept.enumerated().map { $0.offset == 0 ? $0.element.token : $0.element.separator + $0.element.token }.joined()
        if textAt == nil && imageAt == nil && role != .combined { stem = "" }   // glued names: no stem to compare
        self.path = path
        self.role = role
        self.variant = variant
        self.stem = stem
    }
}

/// The graphs chosen for one model in a folder, and what was noted on the way.
struct ChosenGraphs {
    var text: String
    var image: String
    var notes: [String]
}

extension GraphFile {
    /// Chooses the text and image graphs among `files` (paths relative to `directory`, which
    /// is named in errors): the requested variant (default fp32, else the only one present),
    /// then the one checkpoint (or `checkpoint`), split graphs before a combined one.
    static func choose(_ files: [String], directory: String, variant: ModelVariant?, checkpoint: String?) throws -> ChosenGraphs {
        let onnx = files.filter { $0.lowercased().hasSuffix(".onnx") }.sorted()
        let graphs = onnx.compactMap(GraphFile.init(path:))
        func bad(_ reason: String) -> VisionError { .badModel(path: directory, reason: reason) }
        func list(_ files: [GraphFile]) -> String { files.map(\.path).joined(separator: ", ") }
        var notes: [String] = []

        let present = ModelVariant.allCases.filter { v in graphs.contains { $0.variant == v } }
        let chosenVariant: ModelVariant
        if let variant {
            guard present.contains(variant) else {
                throw bad("no \(variant.rawValue) graphs (--variant \(variant.rawValue)); present: "
                    + (present.isEmpty ? "none" : present.map { v in "\(v.rawValue) (\(list(graphs.filter { $0.variant == v })))" }.joined(separator: "; ")))
            }
            chosenVariant = variant
        } else if present.contains(.fp32) || present.isEmpty {
            chosenVariant = .fp32
        } else if present.count == 1 {
            chosenVariant = present[0]
            notes.append("variant \(present[0].rawValue): the only one in the folder")
        } else {
            throw bad("no fp32 graphs, and several variants: "
                + present.map { v in "\(v.rawValue) (\(list(graphs.filter { $0.variant == v })))" }.joined(separator: "; ")
                + "; choose one with --variant")
        }
        if present.count > 1 { notes.append("variant \(chosenVariant.rawValue) of \(present.map(\.rawValue).joined(separator: ", "))") }
        let candidates = graphs.filter { $0.variant == chosenVariant }

        // Checkpoints by stem, in file order.
        var keys: [String] = []
        for g in candidates where !keys.contains(g.key) { keys.append(g.key) }
        func members(_ key: String) -> [GraphFile] { candidates.filter { $0.key == key } }
        func pair(_ key: String) -> (text: String, image: String)? {
            let m = members(key)
            if let t = m.first(where: { $0.role == .text }), let i = m.first(where: { $0.role == .image }) { return (t.path, i.path) }
            if let c = m.first(where: { $0.role == .combined }) { return (c.path, c.path) }
            return nil
        }
        func name(_ key: String) -> String {
            let stem = members(key).first?.stem ?? key
            return stem.isEmpty ? "(no stem)" : "'\(stem)'"
        }
        if let checkpoint {
            let want = GraphFile.key(checkpoint)
            guard keys.contains(want) else {
                throw bad("no checkpoint '\(checkpoint)' among the \(chosenVariant.rawValue) graphs; checkpoints: "
                    + (keys.isEmpty ? "none" : keys.map { "\(name($0)) (\(list(members($0))))" }.joined(separator: "; ")))
            }
            guard let p = pair(want) else {
                throw bad("checkpoint '\(checkpoint)' has only \(list(members(want))); it needs a text and an image graph, or a combined model.onnx")
            }
            return ChosenGraphs(text: p.text, image: p.image, notes: notes)
        }
        let complete = keys.filter { pair($0) != nil }
        if complete.count == 1, let p = pair(complete[0]) {
            return ChosenGraphs(text: p.text, image: p.image, notes: notes)
        }
        if complete.count > 1 {
            throw bad("the folder holds \(complete.count) checkpoints: "
                + complete.map { "\(name($0)) (\(list(members($0))))" }.joined(separator: "; ")
                + "; choose one with --checkpoint STEM (e.g. --checkpoint \(members(complete[0]).first?.stem ?? ""))")
        }
        let texts = candidates.filter { $0.role == .text }, images = candidates.filter { $0.role == .image }
        if let t = texts.first, let i = images.first {
            throw bad("text graph \(t.path) (checkpoint \(name(t.key))) and image graph \(i.path) (checkpoint \(name(i.key))) "
                + "are from different checkpoints; Descry pairs graphs only when the name around the tower word matches "
                + "(rename one, or write descry-model.json by hand: Docs/vision.md)")
        }
        let found = onnx.isEmpty ? "none" : onnx.joined(separator: ", ")
        if texts.isEmpty {
            throw bad("no text encoder ONNX file (a .onnx whose name contains text or textual, or a combined model.onnx); found: \(found)")
        }
        throw bad("no image encoder ONNX file (a .onnx whose name contains vision, visual or image, or a combined model.onnx); found: \(found)")
    }
}

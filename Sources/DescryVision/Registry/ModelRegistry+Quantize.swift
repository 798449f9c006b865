import Foundation

extension ModelRegistry {
    /// What ``quantize(_:as:into:runtime:)`` made.
    public struct Quantized: Sendable {
        /// The new model as registered.
        public var model: RegisteredModel
        /// One report per graph rewritten, by the graph's path in the new folder.
        public var graphs: [(graph: String, report: ONNXQuantizer.Report)]
    }

    /// Int8-quantizes the registered model `name` (``ONNXQuantizer``: every MatMul with a
    /// float32 weight, in both towers) into the folder `directory`, copies its tokenizer files
    /// there, writes the manifest (recording the source and its hash) and registers the result
    /// as `newName`, loading both sessions to validate it. The source model is not touched.
    public func quantize(_ name: String, as newName: String, into directory: URL, runtime: ONNXRuntime? = nil) throws -> Quantized {
        let source = try get(name)
        guard newName != name else {
            throw VisionError.invalidArgument("the quantized model needs a name of its own, not '\(name)'")
        }
        let (_, graphs) = try Self.writeQuantized(manifest: source.manifest, from: URL(fileURLWithPath: source.directory),
                                                         to: directory, sourceName: name, sourceHash: source.manifestHash)
        let model = try add(name: newName, directory: directory.standardizedFileURL.path, runtime: runtime)
        return Quantized(model: model, graphs: graphs)
    }

    /// Writes the int8 form of the model described by `manifest` (files relative to `from`)
    /// into the folder `to`: both graphs quantized, tokenizer files copied in, and a
    /// `descry-model.json` recording `sourceName` and `sourceHash`. Registers nothing (the
    /// benchmark uses it on unregistered folders). Returns the new manifest and one report per graph.
    public static func writeQuantized(manifest source: ModelManifest, from: URL, to directory: URL, sourceName: String,
                                      sourceHash: String) throws -> (ModelManifest, [(graph: String, report: ONNXQuantizer.Report)]) {
        let out = directory.standardizedFileURL
        guard out.path != from.standardizedFileURL.path else {
            throw VisionError.invalidArgument("the quantized model must go to another folder than \(from.path)")
        }
        do { try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true) } catch {
            throw VisionError.unreadableFile(path: out.path, reason: "cannot create the folder for the quantized model: \(error.localizedDescription)")
        }
        var manifest = source
        var graphs: [(String, ONNXQuantizer.Report)] = []
        var total = 0
        for graph in [manifest.textModel, manifest.imageModel] where !graphs.contains(where: { $0.0 == graph }) {
            let target = out.appendingPathComponent(graph)
            try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let report = try ONNXQuantizer.quantize(input: from.appendingPathComponent(graph), output: target)
            graphs.append((graph, report))
            total += report.matMulsQuantized
        }
        // Tokenizer files may sit above the model folder (`../vocab.json`): copied in by name.
        func copy(_ file: String?) throws -> String? {
            guard let file else { return nil }
            let name = (file as NSString).lastPathComponent
            let target = out.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            do { try FileManager.default.copyItem(at: from.appendingPathComponent(file), to: target) } catch {
                throw VisionError.unreadableFile(path: from.appendingPathComponent(file).path, reason: "cannot copy the tokenizer file: \(error.localizedDescription)")
            }
            return name
        }
        manifest.tokenizer.vocabulary = try copy(manifest.tokenizer.vocabulary)
        manifest.tokenizer.merges = try copy(manifest.tokenizer.merges)
        manifest.quantization = ModelManifest.Quantization(method: "int8-dynamic-matmul", sourceModel: sourceName,
                                                           sourceDirectory: from.standardizedFileURL.path, sourceHash: sourceHash,
                                                           matMulsQuantized: total)
        try manifest.write(directory: out)
        return (manifest, graphs)
    }
}

import DescryStore
import Foundation

/// Registers CLIP-style models in the store (`descry models add`) and loads them by name.
/// The `vlms.manifest` column holds `{"directory": …, "manifest": {…}}`.
public struct ModelRegistry {
    let store: Store

    /// A registry over a store.
    public init(store: Store) { self.store = store }

    /// Registers (or re-registers) the model in `directory`: reads its `descry-model.json`,
    /// or detects one from the graphs and writes it when absent; validates it against the
    /// graphs by loading both sessions; records it under `name`.
    ///
    /// `variant` and `checkpoint` choose among the graphs of a folder (see
    /// ``ModelManifest/detect(directory:runtime:logitScale:variant:checkpoint:)``); either one
    /// makes detection run even when a manifest exists, and no manifest file is written (the
    /// store keeps the detected manifest), so one folder can be registered once per variant and
    /// a plain `add` of it still means the default.
    @discardableResult
    public func add(name: String, directory: String, logitScale: Float? = nil, variant: ModelVariant? = nil,
                    checkpoint: String? = nil, runtime: ONNXRuntime? = nil) throws -> RegisteredModel {
        let dirURL = URL(fileURLWithPath: directory).standardizedFileURL
        let manifestURL = dirURL.appendingPathComponent(ModelManifest.fileName)
        var manifest: ModelManifest
        let exists = FileManager.default.fileExists(atPath: manifestURL.path)
        if exists && variant == nil && checkpoint == nil {
            manifest = try ModelManifest.load(directory: dirURL)
        } else {
            manifest = try ModelManifest.detect(directory: dirURL, runtime: runtime, logitScale: logitScale,
                                                variant: variant, checkpoint: checkpoint)
            if !exists && variant == nil && checkpoint == nil { try manifest.write(directory: dirURL) }
        }
        if let logitScale { manifest.logitScale = logitScale }
        // Loading both sessions checks the manifest against the graphs.
        _ = try CLIPModel(manifest: manifest, directory: dirURL, runtime: runtime)
        let hash = try Self.hash(manifest: manifest, directory: dirURL)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let manifestJSON = String(decoding: try enc.encode(manifest), as: UTF8.self)
        let stored = "{\"directory\": \(JSONWriter.quote(dirURL.path)), \"manifest\": \(manifestJSON)}"
        let id = try store.vlms.register(VLMRegistration(name: name, family: "clip", dim: manifest.embeddingDim, manifestHash: hash, manifest: stored))
        return RegisteredModel(name: name, id: id, directory: dirURL.path, manifest: manifest, manifestHash: hash)
    }

    /// Every registered model, by name.
    public func list() throws -> [RegisteredModel] {
        try store.vlms.names(registeredOnly: true).map { try get($0) }
    }

    /// One registered model, or an error saying how to register it.
    public func get(_ name: String) throws -> RegisteredModel {
        guard let record = try store.vlms.record(named: name), let text = record.manifest else {
            let known = try store.vlms.names(registeredOnly: true)
            throw StoreError.notFound("no model named '\(name)' is registered (\(known.isEmpty ? "none yet" : "known: " + known.joined(separator: ", "))); register one with `descry models add \(name) DIR`")
        }
        struct Stored: Decodable { let directory: String; let manifest: ModelManifest }
        let stored = try JSONDecoder().decode(Stored.self, from: Data(text.utf8))
        return RegisteredModel(name: name, id: record.id, directory: stored.directory, manifest: stored.manifest,
                               manifestHash: record.manifestHash ?? "")
    }

    /// Loads a registered model's sessions.
    public func load(_ name: String, options: ONNXSessionOptions = ONNXSessionOptions(), runtime: ONNXRuntime? = nil) throws -> (RegisteredModel, CLIPModel) {
        let m = try get(name)
        let model = try CLIPModel(manifest: m.manifest, directory: URL(fileURLWithPath: m.directory), options: options, runtime: runtime)
        return (m, model)
    }

    /// SHA-256 of the manifest and, for each graph and each external data file its tensors
    /// name, the file's name, size and a content sample (all of it up to 1 MiB, else 16 blocks
    /// of 64 KiB spread over the file): new weights change the hash without reading gigabytes.
    static func hash(manifest: ModelManifest, directory: URL) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        var bytes = [UInt8](try enc.encode(manifest))
        for file in try weightFiles(manifest: manifest, directory: directory) {
            bytes += Array("\(file):".utf8)
            bytes += try sample(directory.appendingPathComponent(file))
        }
        return Hashing.sha256Hex(bytes)
    }

    /// The graphs of a manifest and the external data files they name (or, when a graph's
    /// protobuf cannot be read, the `<graph>.data` / `<graph>_data` files beside it), relative
    /// to `directory`, each once.
    static func weightFiles(manifest: ModelManifest, directory: URL) throws -> [String] {
        var files: [String] = []
        for graph in [manifest.textModel, manifest.imageModel] where !files.contains(graph) {
            files.append(graph)
            let folder = (graph as NSString).deletingLastPathComponent
            func relative(_ name: String) -> String { folder.isEmpty ? name : folder + "/" + name }
            let url = directory.appendingPathComponent(graph)
            let located: [String]
            if let names = try? ONNXExternalData.locations(of: url) {
                located = names.map(relative)
            } else {
                let file = url.lastPathComponent
                located = [file + ".data", file + "_data"].map(relative)
                    .filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
            }
            for extra in located where !files.contains(extra) { files.append(extra) }
        }
        return files
    }

    static func sample(_ url: URL) throws -> [UInt8] {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw VisionError.unreadableFile(path: url.path, reason: "cannot open it to hash the model's weights")
        }
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        var out = Array("\(size):".utf8)
        let block = 64 << 10, blocks = 16
        let offsets = size <= 1 << 20 ? [0] : (0..<blocks).map { $0 * ((size - block) / (blocks - 1)) }
        for offset in offsets {
            try handle.seek(toOffset: UInt64(offset))
            out += [UInt8](try handle.read(upToCount: size <= 1 << 20 ? size : block) ?? Data())
        }
        return out
    }
}

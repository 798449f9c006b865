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
    @discardableResult
    public func add(name: String, directory: String, logitScale: Float? = nil, runtime: ONNXRuntime? = nil) throws -> RegisteredModel {
        let dirURL = URL(fileURLWithPath: directory).standardizedFileURL
        let manifestURL = dirURL.appendingPathComponent(ModelManifest.fileName)
        var manifest: ModelManifest
        if FileManager.default.fileExists(atPath: manifestURL.path) {
            manifest = try ModelManifest.load(directory: dirURL)
        } else {
            manifest = try ModelManifest.detect(directory: dirURL, runtime: runtime, logitScale: logitScale)
            try manifest.write(directory: dirURL)
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

    static func hash(manifest: ModelManifest, directory: URL) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        var bytes = [UInt8](try enc.encode(manifest))
        for f in [manifest.textModel, manifest.imageModel] {
            let attrs = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(f).path)
            bytes += Array("\(f):\((attrs[.size] as? NSNumber)?.intValue ?? 0)".utf8)
        }
        return Hashing.sha256Hex(bytes)
    }
}

import DescryStore
import Foundation

/// What a session did with the optimised-graph cache.
public enum ONNXGraphCacheUse: Sendable, Equatable {
    /// No cache (none configured, a GPU session, or optimisation disabled).
    case off
    /// The session was loaded from the cached optimised graph at `path`, without optimising again.
    case loaded(path: String)
    /// The graph was optimised and saved to `path` for the next session.
    case written(path: String)
    /// The cache could not be used (`reason` says why); the session optimised the graph itself.
    /// A corrupt entry is removed and rewritten: `written` then follows in `reason`.
    case ignored(reason: String)
}

/// ONNX Runtime's optimised graphs, saved with `SetOptimizedModelFilePath` and loaded with
/// optimisation disabled. An entry is named by the model file's name and a SHA-256 over what
/// makes it valid: the file's size, modification time and a content sample (as the registry
/// hashes weights), ONNX Runtime's version, the optimisation level, and the CPU (model name and
/// flags: ORT's layout optimisations are specific to the hardware). A change to any of these
/// gives another entry; older entries of the same model file are removed when a new one is written.
enum ONNXGraphCache {
    static func entry(model: URL, runtime: ONNXRuntime, level: ONNXSessionOptions.GraphOptimization, directory: URL) throws -> URL {
        let attributes = try FileManager.default.attributesOfItem(atPath: model.path)
        let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var bytes = Array("descry-graph-cache-1|ort \(runtime.version)|level \(level.rawValue)|\(cpuIdentity)|mtime \(mtime)|".utf8)
        bytes += try ModelRegistry.sample(model)
        let key = Hashing.sha256Hex(bytes).prefix(24)
        return directory.appendingPathComponent("\(stem(model))-\(key).onnx")
    }

    static func stem(_ model: URL) -> String {
        // The parent folder keeps text_model.onnx of two models apart in a listing.
        "\(model.deletingLastPathComponent().lastPathComponent)-\(model.deletingPathExtension().lastPathComponent)"
    }

    /// Removes the other entries of the same model file.
    static func removeStale(keeping entry: URL, model: URL) {
        let folder = entry.deletingLastPathComponent()
        let prefix = stem(model) + "-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name != entry.lastPathComponent && name.hasSuffix(".onnx")
            && name.dropFirst(prefix.count).count == 24 + 5 {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The CPU's model name and flags from /proc/cpuinfo (empty elsewhere).
    static let cpuIdentity: String = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "cpu ?" }
        var model = "", flags = ""
        for line in text.split(separator: "\n") {
            if model.isEmpty, line.hasPrefix("model name") { model = String(line) }
            if flags.isEmpty, line.hasPrefix("flags") { flags = String(line) }
            if !model.isEmpty && !flags.isEmpty { break }
        }
        return "cpu \(model) \(Hashing.sha256Hex(flags).prefix(16))"
    }()
}

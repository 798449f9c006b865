import Foundation

/// A VLM registered in the store: its name, where its files live, and its manifest.
public struct RegisteredModel: Sendable, Equatable {
    /// The name users give it (`clip-b32`).
    public var name: String
    /// The store's row id.
    public var id: Int64
    /// The model directory (absolute).
    public var directory: String
    /// The manifest as registered.
    public var manifest: ModelManifest
    /// SHA-256 of the manifest and of the ONNX graphs and their external data files (names,
    /// sizes and a content sample): a changed export gets a new hash, so stale cached
    /// embeddings can be detected.
    public var manifestHash: String
}

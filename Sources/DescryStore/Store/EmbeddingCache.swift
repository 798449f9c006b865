/// The embedding cache: one float32 vector per (VLM, kind, key hash), where the key hash is
/// the SHA-256 of the text or of the image file's bytes. Vectors are stored little-endian.
public struct EmbeddingCache {
    /// What was embedded.
    public enum Kind: String, Sendable {
        case text, image
    }

    let store: Store
    /// The VLM the vectors belong to.
    public let vlmID: Int64

    /// A cache for one VLM.
    public init(store: Store, vlmID: Int64) {
        self.store = store
        self.vlmID = vlmID
    }

    /// The key hash of a text (its exact UTF-8 bytes).
    public static func key(text: String) -> String { Hashing.sha256Hex(text) }

    /// Which of `keys` have no vector yet, in the given order.
    public func missing(_ kind: Kind, keys: [String]) throws -> [String] {
        let stmt = try store.wrap { try store.database.cachedStatement("SELECT 1 FROM embeddings WHERE vlm_id = ? AND kind = ? AND key_hash = ?") }
        return try store.wrap {
            try keys.filter { k in
                defer { stmt.reset() }
                try stmt.bind([vlmID, kind.rawValue, k])
                return try !stmt.step()
            }
        }
    }

    /// Vectors for the keys that have one.
    public func vectors(_ kind: Kind, keys: [String]) throws -> [String: [Float]] {
        let stmt = try store.wrap { try store.database.cachedStatement("SELECT dim, vector FROM embeddings WHERE vlm_id = ? AND kind = ? AND key_hash = ?") }
        var out: [String: [Float]] = [:]
        try store.wrap {
            for k in keys where out[k] == nil {
                defer { stmt.reset() }
                try stmt.bind([vlmID, kind.rawValue, k])
                guard try stmt.step() else { continue }
                let dim = Int(stmt.int(at: 0))
                out[k] = stmt.withBlob(at: 1) { raw in
                    (0..<dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                }
            }
        }
        return out
    }

    /// Stores vectors (replacing any for the same key). Call inside `Store.write` to batch
    /// them into one transaction.
    public func put(_ kind: Kind, _ entries: [(key: String, vector: [Float])]) throws {
        let stmt = try store.wrap {
            try store.database.cachedStatement("INSERT OR REPLACE INTO embeddings(vlm_id, kind, key_hash, dim, vector) VALUES (?, ?, ?, ?, ?)")
        }
        try store.wrap {
            for e in entries {
                var bytes = [UInt8]()
                bytes.reserveCapacity(e.vector.count * 4)
                for v in e.vector { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
                try stmt.execute([vlmID, kind.rawValue, e.key, e.vector.count, bytes])
            }
        }
    }

    /// Number of cached vectors of a kind for this VLM.
    public func count(_ kind: Kind) throws -> Int {
        try store.wrap { try store.database.scalar("SELECT count(*) FROM embeddings WHERE vlm_id = ? AND kind = ?", [vlmID, kind.rawValue]).int ?? 0 }
    }
}

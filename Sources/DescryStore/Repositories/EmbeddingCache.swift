/// The embedding cache (`embeddings`), the repository of that table: one float32 vector per
/// (VLM, kind, key hash), where the key hash is the SHA-256 of the text or of the image
/// file's bytes. Vectors are stored little-endian. Reach it as `store.embeddings(vlmID:)`.
public struct EmbeddingCache {
    /// What was embedded.
    public enum Kind: String, Sendable {
        case text, image
    }

    let store: Store
    /// The VLM the vectors belong to.
    public let vlmID: Int64

    /// A cache for one VLM.
    init(store: Store, vlmID: Int64) {
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

    static let vectorSQL = "SELECT dim, vector FROM embeddings WHERE vlm_id = ? AND kind = ? AND key_hash = ?"

    /// Vectors for the keys that have one. A stored vector whose size disagrees with its
    /// `dim` is a `RowDecodingError`, not a short or garbled vector.
    public func vectors(_ kind: Kind, keys: [String]) throws -> [String: [Float]] {
        let stmt = try store.wrap { try store.database.cachedStatement(Self.vectorSQL) }
        // Columns found by name once per call; the blob is then read in place, without a copy
        // per vector (this is the hot path of every evaluation).
        let names = stmt.columnNames
        func column(_ name: String) throws -> Int32 {
            guard let i = names.firstIndex(of: name) else {
                throw RowDecodingError(column: name, problem: .missingColumn(available: names), sql: Self.vectorSQL)
            }
            return Int32(i)
        }
        let dimColumn = try column("dim"), vectorColumn = try column("vector")
        var out: [String: [Float]] = [:]
        try store.wrap {
            for k in keys where out[k] == nil {
                defer { stmt.reset() }
                try stmt.bind([vlmID, kind.rawValue, k])
                guard try stmt.step() else { continue }
                let dim = Int(stmt.int(at: dimColumn))
                out[k] = try stmt.withBlob(at: vectorColumn) { raw -> [Float] in
                    guard raw.count == dim * 4 else {
                        throw RowDecodingError(column: "vector", problem: .typeMismatch(expected: "a blob of \(dim * 4) bytes (dim \(dim))", found: .blob(Array(raw))),
                                               sql: Self.vectorSQL)
                    }
                    return (0..<dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
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
        try store.wrap { try store.database.scalar(Int.self, "SELECT count(*) AS n FROM embeddings WHERE vlm_id = ? AND kind = ?", [vlmID, kind.rawValue]) }
    }
}

extension Store {
    /// The embedding cache of one VLM (`embeddings`).
    public func embeddings(vlmID: Int64) -> EmbeddingCache { EmbeddingCache(store: self, vlmID: vlmID) }
}

/// Summary counts for `descry stats`.
public struct StoreStats: Sendable, Codable, Equatable {
    /// Per-dataset counts.
    public struct DatasetStats: Sendable, Codable, Equatable {
        /// Dataset name.
        public var name: String
        /// Number of classes.
        public var classes: Int
        /// Descriptions by kind.
        public var byKind: [String: Int]
        /// Descriptions by category.
        public var byCategory: [String: Int]
        /// Descriptions by canonical attribute (differential and attributed ones).
        public var byAttribute: [String: Int]
        /// Class pairs.
        public var pairs: Int
        /// Pair slots.
        public var pairSlots: Int
        /// Images registered.
        public var images: Int
    }
    /// Schema version of the store.
    public var schemaVersion: Int
    /// Datasets, by name.
    public var datasets: [DatasetStats]
    /// Templates not tied to a dataset.
    public var globalTemplates: Int
    /// Sources (imported files, generation runs).
    public var sources: Int
    /// VLMs registered.
    public var vlms: Int
    /// Cached embeddings.
    public var embeddings: Int
}

extension Store {
    /// Counts for every dataset, or for one.
    public func stats(dataset: String? = nil) throws -> StoreStats {
        let names = try dataset.map { _ = try datasetID(named: $0); return [$0] } ?? datasetNames()
        var out: [StoreStats.DatasetStats] = []
        try wrap {
            let db = database
            for name in names {
                let id = try db.scalar(Int64.self, "SELECT id FROM datasets WHERE name = ?", [name])
                func grouped(_ column: String) throws -> [String: Int] {
                    var m: [String: Int] = [:]
                    for r in try db.rows("SELECT coalesce(\(column), '(none)') AS value, count(*) AS n FROM descriptions WHERE dataset_id = ? GROUP BY 1", [id]) {
                        m[try r.string("value")] = try r.int("n")
                    }
                    return m
                }
                out.append(.init(
                    name: name,
                    classes: try db.scalar(Int.self, "SELECT count(*) FROM classes WHERE dataset_id = ?", [id]),
                    byKind: try grouped("kind"), byCategory: try grouped("category"), byAttribute: try grouped("attribute"),
                    pairs: try db.scalar(Int.self, "SELECT count(*) FROM pairs WHERE dataset_id = ?", [id]),
                    pairSlots: try db.scalar(Int.self, "SELECT count(*) FROM pair_members m JOIN pairs p ON p.id = m.pair_id WHERE p.dataset_id = ?", [id]),
                    images: try db.scalar(Int.self, "SELECT count(*) FROM images WHERE dataset_id = ?", [id])))
            }
        }
        return try wrap {
            StoreStats(schemaVersion: try schemaVersion(), datasets: out,
                       globalTemplates: try database.scalar(Int.self, "SELECT count(*) FROM descriptions WHERE dataset_id IS NULL"),
                       sources: try database.scalar(Int.self, "SELECT count(*) FROM sources"),
                       vlms: try database.scalar(Int.self, "SELECT count(*) FROM vlms"),
                       embeddings: try database.scalar(Int.self, "SELECT count(*) FROM embeddings"))
        }
    }
}

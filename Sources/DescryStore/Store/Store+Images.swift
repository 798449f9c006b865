import Foundation

/// An image registered in the store.
public struct ImageRecord: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// File path as registered.
    public var path: String
    /// The labelled class, if any.
    public var classID: Int64?
    /// SHA-256 of the file's bytes (the embedding cache key).
    public var contentHash: String
}

/// What `addImages` did.
public struct ImageImportReport: Sendable, Equatable, Codable {
    /// The dataset.
    public var dataset: String
    /// Images newly registered.
    public var added = 0
    /// Images already registered (label and hash refreshed).
    public var updated = 0
    /// Skipped files and unknown labels, each naming the file.
    public var warnings: [String] = []
}

extension Store {
    /// Registers labelled images for a dataset in one transaction. Labels are matched to the
    /// dataset's classes by name; an unknown label is an error naming it (with `skipUnknown`,
    /// the image is registered without a class and reported). Missing or unreadable files are
    /// reported and skipped. Re-adding the same path updates its hash and label.
    public func addImages(_ list: ImageList, dataset: String, split: String? = nil, skipUnknown: Bool = false) throws -> ImageImportReport {
        let dsID = try datasetID(named: dataset)
        let classes = try self.classes(ofDataset: dsID)
        let byKey = Dictionary(classes.map { (ClassName.matchKey($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        var report = ImageImportReport(dataset: dataset)
        var rows: [(String, Int64?, String)] = []
        for e in list.entries {
            var classID: Int64?
            if let label = e.label {
                if let c = byKey[ClassName.matchKey(label)] { classID = c.id } else if skipUnknown {
                    report.warnings.append("\(e.path): label '\(label)' is not a class of '\(dataset)'; registered without a class")
                } else {
                    throw StoreError.invalidInput(InputLocation(file: e.path), "label '\(label)' is not a class of '\(dataset)'")
                }
            }
            guard let data = FileManager.default.contents(atPath: e.path) else {
                report.warnings.append("\(e.path): cannot be read; skipped")
                continue
            }
            rows.append((e.path, classID, Hashing.sha256Hex([UInt8](data))))
        }
        try write {
            let stmt = try database.cachedStatement("""
                INSERT INTO images(dataset_id, path, class_id, split, content_hash) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(dataset_id, path) DO UPDATE SET class_id = excluded.class_id, split = excluded.split, content_hash = excluded.content_hash
                """)
            let registered = Set(try database.rows("SELECT path FROM images WHERE dataset_id = ?", [dsID]).compactMap { $0[0].string })
            for (path, cls, hash) in rows {
                let existed = registered.contains(path)
                try stmt.execute([dsID, path, cls, split, hash])
                if existed { report.updated += 1 } else { report.added += 1 }
            }
        }
        return report
    }

    /// The images of a dataset, by path.
    public func images(ofDataset datasetID: Int64) throws -> [ImageRecord] {
        try wrap {
            try database.rows("SELECT id, path, class_id, content_hash FROM images WHERE dataset_id = ? ORDER BY path", [datasetID]).map {
                ImageRecord(id: Int64($0[0].int!), path: $0[1].string!, classID: $0[2].int.map(Int64.init), contentHash: $0[3].string!)
            }
        }
    }
}

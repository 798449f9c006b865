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

    /// A record.
    public init(id: Int64, path: String, classID: Int64?, contentHash: String) {
        self.id = id
        self.path = path
        self.classID = classID
        self.contentHash = contentHash
    }
}

/// An image about to be registered: the store assigns its id.
public struct NewImage: Sendable, Equatable {
    /// File path.
    public var path: String
    /// The labelled class, if any.
    public var classID: Int64?
    /// The split (`train`, `test`, …), if any.
    public var split: String?
    /// SHA-256 of the file's bytes.
    public var contentHash: String

    /// An image.
    public init(path: String, classID: Int64?, split: String? = nil, contentHash: String) {
        self.path = path
        self.classID = classID
        self.split = split
        self.contentHash = contentHash
    }
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

/// Registered images (`images`).
///
/// The one owner of SQL against this table: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct ImageRepository {
    let store: Store

    init(store: Store) { self.store = store }

    /// Registers labelled images for a dataset in one transaction. Labels are matched to the
    /// dataset's classes by name (exact, normalised, or a stored alias); an unknown label is an error naming it (with `skipUnknown`,
    /// the image is registered without a class and reported). Missing or unreadable files are
    /// reported and skipped. Re-adding the same path updates its hash and label.
    public func add(_ list: ImageList, dataset: String, split: String? = nil, skipUnknown: Bool = false) throws -> ImageImportReport {
        let dsID = try store.datasetID(named: dataset)
        // Labels (folder names such as "SeaLake") meet class names as import keys do: exact,
        // normalised, then the dataset's aliases.
        let matcher = try store.classMatching.matcher(datasetID: dsID)
        var report = ImageImportReport(dataset: dataset)
        var images: [NewImage] = []
        for e in list.entries {
            var classID: Int64?
            if let label = e.label {
                if case .matched(let m) = matcher.match(label) { classID = m.classRecord.id } else if skipUnknown {
                    report.warnings.append("\(e.path): label '\(label)' is not a class of '\(dataset)'; registered without a class")
                } else {
                    throw StoreError.invalidInput(InputLocation(file: e.path), "label '\(label)' is not a class of '\(dataset)'"
                        + ClassMatcher.advice(key: label, dataset: dataset, nearest: matcher.nearest(label), note: nil))
                }
            }
            guard let data = FileManager.default.contents(atPath: e.path) else {
                report.warnings.append("\(e.path): cannot be read; skipped")
                continue
            }
            images.append(NewImage(path: e.path, classID: classID, split: split, contentHash: Hashing.sha256Hex([UInt8](data))))
        }
        let counts = try upsert(images, datasetID: dsID)
        report.added = counts.added
        report.updated = counts.updated
        return report
    }

    /// Registers images in one transaction; a path already registered for the dataset gets
    /// the new class, split and hash. Returns how many were new and how many updated.
    @discardableResult
    public func upsert(_ images: [NewImage], datasetID: Int64) throws -> (added: Int, updated: Int) {
        try store.write {
            let stmt = try store.database.cachedStatement("""
                INSERT INTO images(dataset_id, path, class_id, split, content_hash) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(dataset_id, path) DO UPDATE SET class_id = excluded.class_id, split = excluded.split, content_hash = excluded.content_hash
                """)
            // One query for the paths already registered, not one per image.
            let registered = Set(try store.database.rows("SELECT path FROM images WHERE dataset_id = ?", [datasetID]).map { try $0.string("path") })
            var added = 0, updated = 0
            for i in images {
                try stmt.execute([datasetID, i.path, i.classID, i.split, i.contentHash])
                if registered.contains(i.path) { updated += 1 } else { added += 1 }
            }
            return (added, updated)
        }
    }

    /// The images of a dataset, by path.
    public func all(datasetID: Int64) throws -> [ImageRecord] {
        try store.wrap {
            try store.database.rows("SELECT id, path, class_id, content_hash FROM images WHERE dataset_id = ? ORDER BY path", [datasetID]).map {
                ImageRecord(id: try $0.int64("id"), path: try $0.string("path"), classID: try $0.optionalInt64("class_id"),
                            contentHash: try $0.string("content_hash"))
            }
        }
    }
}

extension Store {
    /// Registered images (`images`).
    public var images: ImageRepository { ImageRepository(store: self) }
}

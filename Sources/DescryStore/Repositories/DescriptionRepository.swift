/// One stored description (a row of `descriptions`).
public struct DescriptionRecord: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// The dataset; nil for a dataset-independent template.
    public var datasetID: Int64?
    /// The class it describes; nil for templates.
    public var classID: Int64?
    /// The sentence (or template).
    public var text: String
    /// What it is for.
    public var kind: DescriptionKind
    /// The attribute type as the source wrote it.
    public var attributeRaw: String?
    /// The canonical attribute, when the taxonomy maps it.
    public var attribute: String?
    /// The taxonomy's category (`visual`, `non-visual`, `spurious`, `unknown`).
    public var category: String

    /// A record.
    public init(id: Int64, datasetID: Int64?, classID: Int64?, text: String, kind: DescriptionKind,
                attributeRaw: String? = nil, attribute: String? = nil, category: String = AttributeCategory.unknown.rawValue) {
        self.id = id
        self.datasetID = datasetID
        self.classID = classID
        self.text = text
        self.kind = kind
        self.attributeRaw = attributeRaw
        self.attribute = attribute
        self.category = category
    }
}

/// A description with the name of the class it describes (nil for templates).
public struct NamedDescription: Sendable, Equatable {
    /// The description.
    public var description: DescriptionRecord
    /// Its class's name as imported.
    public var className: String?

    /// A record.
    public init(description: DescriptionRecord, className: String?) {
        self.description = description
        self.className = className
    }
}

/// Descriptions and their full-text index (`descriptions`, `descriptions_fts`), read side; writes go through `DescriptionWriter`.
///
/// The one owner of SQL against these tables: other modules call its methods and get records
/// back, never rows. See `Docs/architecture.md` for which repository owns which table.
public struct DescriptionRepository {
    let store: Store

    init(store: Store) { self.store = store }

    // Named with AS: SQLite leaves the name of an unaliased `d.id` unspecified.
    static let columns = """
        d.id AS id, d.dataset_id AS dataset_id, d.class_id AS class_id, d.text AS text, d.kind AS kind,
        d.attribute_raw AS attribute_raw, d.attribute AS attribute, d.category AS category
        """

    /// The descriptions of a dataset (not the global templates), by id; with `kind`, only those
    /// of that kind.
    public func list(datasetID: Int64, kind: DescriptionKind? = nil) throws -> [DescriptionRecord] {
        try store.wrap {
            if let kind {
                return try store.database.rows("SELECT \(Self.columns) FROM descriptions d WHERE d.dataset_id = ? AND d.kind = ? ORDER BY d.id",
                                               [datasetID, kind.rawValue]).map(Self.record)
            }
            return try store.database.rows("SELECT \(Self.columns) FROM descriptions d WHERE d.dataset_id = ? ORDER BY d.id", [datasetID]).map(Self.record)
        }
    }

    /// One description, nil when there is none with that id.
    public func record(id: Int64) throws -> DescriptionRecord? {
        try store.wrap { try store.database.row("SELECT \(Self.columns) FROM descriptions d WHERE d.id = ?", [id]).map(Self.record) }
    }

    /// A dataset's descriptions and the global templates, by id, each with its class's name:
    /// everything an audit of the dataset looks at.
    public func withClassNames(datasetID: Int64) throws -> [NamedDescription] {
        try store.wrap {
            try store.database.rows("""
                SELECT \(Self.columns), c.name AS class_name FROM descriptions d LEFT JOIN classes c ON c.id = d.class_id
                WHERE d.dataset_id = ? OR (d.dataset_id IS NULL AND d.kind = 'template') ORDER BY d.id
                """, [datasetID]).map { NamedDescription(description: try Self.record($0), className: try $0.optionalString("class_name")) }
        }
    }

    /// The templates a dataset's prompts use: the dataset's own, then the global ones, each by id.
    public func templates(datasetID: Int64) throws -> [String] {
        try store.wrap {
            try store.database.rows("""
                SELECT text FROM descriptions WHERE kind = 'template' AND (dataset_id = ? OR dataset_id IS NULL)
                ORDER BY dataset_id IS NULL, id
                """, [datasetID]).map { try $0.string("text") }
        }
    }

    static func record(_ row: Row) throws -> DescriptionRecord {
        let kind = try row.string("kind")
        guard let k = DescriptionKind(rawValue: kind) else {
            throw RowDecodingError(column: "kind", problem: .typeMismatch(expected: "a description kind", found: .text(kind)), sql: row.sql)
        }
        return DescriptionRecord(id: try row.int64("id"), datasetID: try row.optionalInt64("dataset_id"), classID: try row.optionalInt64("class_id"),
                                 text: try row.string("text"), kind: k, attributeRaw: try row.optionalString("attribute_raw"),
                                 attribute: try row.optionalString("attribute"), category: try row.string("category"))
    }
}

extension Store {
    /// Descriptions and their full-text index (`descriptions`, `descriptions_fts`), read side; writes go through `DescriptionWriter`.
    public var descriptions: DescriptionRepository { DescriptionRepository(store: self) }
}

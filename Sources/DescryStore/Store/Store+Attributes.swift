/// One raw attribute type as stored, with its mapping and how often it occurs.
public struct AttributeUsage: Sendable, Codable, Equatable {
    /// The mapping (raw → canonical, category, rule).
    public var mapping: AttributeMapping
    /// Pair slots using this raw type (differential descriptions).
    public var slots: Int
    /// Distinct descriptions using it.
    public var descriptions: Int
}

extension Store {
    /// Every raw attribute type stored for a dataset (or all), with its mapping and counts,
    /// most used first.
    public func attributeUsage(dataset: String? = nil) throws -> [AttributeUsage] {
        let dsID = try dataset.map { try datasetID(named: $0) }
        let filter = dsID == nil ? "" : " AND d.dataset_id = ?"
        let binds: [DatabaseValueConvertible] = dsID.map { [$0] } ?? []
        var counts: [String: (slots: Int, descriptions: Int)] = [:]
        try wrap {
            for r in try database.rows("SELECT d.attribute_raw AS raw, count(DISTINCT d.id) AS n FROM descriptions d WHERE d.attribute_raw IS NOT NULL\(filter) GROUP BY 1", binds) {
                counts[try r.string("raw"), default: (0, 0)].descriptions = try r.int("n")
            }
            for r in try database.rows("""
                SELECT m.attribute_raw AS raw, count(*) AS n FROM pair_members m JOIN descriptions d ON d.id = m.description_id
                WHERE m.attribute_raw IS NOT NULL\(filter) GROUP BY 1
                """, binds) {
                counts[try r.string("raw"), default: (0, 0)].slots = try r.int("n")
            }
        }
        return counts.map { AttributeUsage(mapping: taxonomy.map($0.key), slots: $0.value.slots, descriptions: $0.value.descriptions) }
            .sorted { ($0.slots, $0.descriptions, $1.mapping.raw) > ($1.slots, $1.descriptions, $0.mapping.raw) }
    }

    /// Re-maps every stored raw attribute type with the current taxonomy (after the taxonomy
    /// file changed). Returns how many descriptions changed.
    @discardableResult
    public func remapAttributes() throws -> Int {
        try write {
            var changed = 0
            for r in try database.rows("SELECT DISTINCT attribute_raw FROM descriptions WHERE attribute_raw IS NOT NULL") {
                let raw = try r.string("attribute_raw")
                let m = taxonomy.map(raw)
                try database.execute("""
                    UPDATE descriptions SET attribute = ?, category = ?
                    WHERE attribute_raw = ? AND kind NOT IN ('template', 'classname') AND (attribute IS NOT ? OR category <> ?)
                    """, [m.attribute, m.category.rawValue, raw, m.attribute, m.category.rawValue])
                changed += database.changes
            }
            return changed
        }
    }

    /// Types again, with `typer`, every class or differential description that has no source
    /// attribute (imported before typing existed, or under an older lexicon). Returns how many
    /// changed. One transaction.
    @discardableResult
    public func retypeDescriptions(with typer: any DescriptionTyper) throws -> Int {
        try write {
            let rows = try database.rows("""
                SELECT d.id AS id, d.text AS text, d.kind AS kind, c.name AS class, d.attribute AS attribute, d.category AS category
                FROM descriptions d LEFT JOIN classes c ON c.id = d.class_id
                WHERE d.attribute_raw IS NULL AND d.kind IN ('class', 'differential')
                """)
            var changed = 0
            for r in rows {
                let kind = DescriptionKind(rawValue: try r.string("kind")) ?? .class
                let t = typer.type(text: try r.string("text"), kind: kind, attributeRaw: nil, className: try r.optionalString("class"))
                try database.execute("""
                    UPDATE descriptions SET attribute = ?, category = ?, attribute_confidence = ?, attribute_reason = ?
                    WHERE id = ? AND (attribute IS NOT ? OR category <> ? OR attribute_reason IS NOT ?)
                    """, [t.attribute, t.category.rawValue, t.confidence, t.reason, try r.int64("id"), t.attribute, t.category.rawValue, t.reason])
                changed += database.changes
            }
            return changed
        }
    }
}

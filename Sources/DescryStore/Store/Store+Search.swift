import CSQLite

extension Store {
    /// Full-text search over description text with FTS5, best bm25 rank first. `query` uses
    /// FTS5 syntax (words, "phrases", OR, NOT, prefix*); a syntax error is reported as
    /// `StoreError.invalidInput` naming the query.
    public func search(_ query: String, dataset: String? = nil, kind: DescriptionKind? = nil, limit: Int = 20,
                       highlight: (open: String, close: String) = ("[", "]")) throws -> [SearchHit] {
        let dsID = try dataset.map { try datasetID(named: $0) }
        var sql = """
            SELECT d.id, ds.name AS dataset, c.name AS class, d.kind, d.attribute, highlight(descriptions_fts, 0, ?, ?) AS highlighted, d.text, f.rank
            FROM descriptions_fts f
            JOIN descriptions d ON d.id = f.rowid
            LEFT JOIN datasets ds ON ds.id = d.dataset_id
            LEFT JOIN classes c ON c.id = d.class_id
            WHERE descriptions_fts MATCH ?
            """
        var binds: [DatabaseValueConvertible] = [highlight.open, highlight.close, query]
        if let dsID { sql += " AND d.dataset_id = ?"; binds.append(dsID) }
        if let kind { sql += " AND d.kind = ?"; binds.append(kind.rawValue) }
        sql += " ORDER BY f.rank LIMIT ?"
        binds.append(limit)
        do {
            return try database.rows(sql, binds).map {
                SearchHit(id: try $0.int64("id"), dataset: try $0.optionalString("dataset"), className: try $0.optionalString("class"),
                          kind: try $0.string("kind"), attribute: try $0.optionalString("attribute"),
                          highlighted: try $0.optionalString("highlighted") ?? "", text: try $0.string("text"), rank: try $0.optionalDouble("rank") ?? 0)
            }
        } catch let e as DatabaseError where e.code == SQLITE_ERROR {
            // The statement itself is fixed, so a plain SQL error here comes from the MATCH text.
            throw StoreError.invalidInput(InputLocation(file: "search query"), "invalid full-text query '\(query)': \(e.message)")
        } catch let e as DatabaseError {
            throw StoreError.database(e)
        }
    }
}

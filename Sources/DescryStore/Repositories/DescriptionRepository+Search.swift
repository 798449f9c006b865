/// The full-text index of descriptions as the DQL engine reads it: the syntax check of a
/// `search "…"` string, and the FTS5 internals its bounded one-word top-k search
/// (`BoundedSearch` in DescryQuery) ranks from: per-row term frequencies from `fts5vocab`,
/// the index's row and token totals, and each row's token count. The SQL against FTS5's
/// shadow tables lives here, beside the schema that creates them.
extension DescriptionRepository {
    /// Creates the temporary term-frequency table over `descriptions_fts` once per connection.
    /// A write to the temp schema, so it runs before `Store.readOnlyQuery`; false when SQLite
    /// cannot make it (then the bounded search steps aside).
    package func prepareTermIndex() -> Bool {
        (try? store.database.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.descry_fts_vocab USING fts5vocab(main, descriptions_fts, instance)")) != nil
    }
}

extension ReadOnlyQuery {
    /// Checks `query` as an FTS5 query against the description index, throwing SQLite's
    /// `DatabaseError` when it rejects it (SQLite is the authority on FTS5 syntax).
    package func checkFullTextQuery(_ query: String) throws {
        _ = try database.prepare("SELECT 1 AS found FROM descriptions_fts WHERE descriptions_fts MATCH ? LIMIT 1").rows([query])
    }

    /// How often `term` occurs in each indexed description, by row id. Read from the index's
    /// vocabulary (`prepareTermIndex` first), with no per-row lookups.
    package func termFrequencies(of term: String) throws -> [Int64: Double] {
        var tf: [Int64: Double] = [:]
        let scan = try database.cachedStatement("SELECT doc FROM temp.descry_fts_vocab WHERE term = ?")
        defer { scan.reset() }
        try scan.bind([term])
        // Hot loop (tens of thousands of rows): read the one column in place.
        while try scan.step() { tf[scan.int(at: 0), default: 0] += 1 }
        return tf
    }

    /// Rows and tokens in the whole index, from FTS5's averages record (two varints); nil
    /// when the record is missing.
    package func indexTotals() throws -> (rows: Int, tokens: Int)? {
        let averages = try database.cachedStatement("SELECT block FROM descriptions_fts_data WHERE id = 1")
        defer { averages.reset() }
        guard try averages.step() else { return nil }
        return averages.withBlob(at: 0) { bytes in
            var offset = 0
            let rows = Store.varint(bytes, at: &offset)
            return (rows, Store.varint(bytes, at: &offset))
        }
    }

    /// The token count of each row in `ids`, in order, from the index's docsize table; nil
    /// when a row is missing there (the index and its sizes disagree).
    package func tokenCounts(ofRows ids: [Int64]) throws -> [Int]? {
        let size = try database.cachedStatement("SELECT sz FROM descriptions_fts_docsize WHERE id = ?")
        defer { size.reset() }
        var counts: [Int] = []
        counts.reserveCapacity(ids.count)
        for id in ids {
            size.reset()
            try size.bind(.integer(id), at: 1)
            guard try size.step() else { return nil }
            counts.append(size.withBlob(at: 0) { Store.varint($0) })
        }
        return counts
    }
}

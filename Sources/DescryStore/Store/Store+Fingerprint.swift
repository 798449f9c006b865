import Foundation

extension Store {
    /// A SHA-256 over every row of every table (in a fixed order), so two stores — or one
    /// store before and after a failed command — can be compared for equal content. FTS5's
    /// shadow tables are covered through the rows they index, not byte for byte.
    public func fingerprint() throws -> String {
        try wrap {
            let tables = try database.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'descriptions_fts%' ORDER BY name"
            ).map { try $0.string("name") }
            var text = ""
            for t in tables {
                let quoted = "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                let columns = try database.rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", [t]).map { try $0.string("name") }
                let order = (1...max(1, columns.count)).map(String.init).joined(separator: ", ")
                text += "# \(t)\n"
                for row in try database.rows("SELECT * FROM \(quoted) ORDER BY \(order)") {
                    text += row.values.map { "\($0)" }.joined(separator: "\u{1F}") + "\n"
                }
            }
            text += "# fts \(try database.scalar(Int.self, "SELECT count(*) FROM descriptions_fts"))\n"
            return Hashing.sha256Hex(text)
        }
    }
}

extension Store {
    /// Moves the write-ahead log into the database file, so the file alone holds the store
    /// (before copying it, say).
    public func checkpoint() throws {
        try wrap { try database.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}

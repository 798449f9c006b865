/// Vision-language models known to the store.
extension Store {
    /// The id of a VLM, creating a bare record when missing (models add fills in the rest).
    public func ensureVLM(named name: String) throws -> Int64 {
        try wrap {
            if let id = try database.scalar("SELECT id FROM vlms WHERE name = ?", [name]).int { return Int64(id) }
            try database.execute("INSERT INTO vlms(name) VALUES (?)", [name])
            return database.lastInsertRowID
        }
    }

    /// The id of a VLM, or an error naming the known ones.
    public func vlmID(named name: String) throws -> Int64 {
        if let id = try wrap({ try database.scalar("SELECT id FROM vlms WHERE name = ?", [name]).int }) { return Int64(id) }
        let known = try wrap { try database.rows("SELECT name FROM vlms ORDER BY name").compactMap { $0[0].string } }
        throw StoreError.notFound("unknown VLM '\(name)' (\(known.isEmpty ? "none registered; use `descry models add`" : "known: " + known.joined(separator: ", ")))")
    }
}

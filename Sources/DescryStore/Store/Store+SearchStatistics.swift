extension Store {
    /// The statistics, when schema 2 is present and no text changed since the last refresh.
    public func searchStatistics() throws -> SearchStatistics? {
        try wrap {
            guard try database.scalar(Int.self, "SELECT count(*) FROM sqlite_master WHERE name = 'search_statistics'") == 1 else { return nil }
            guard let row = try database.row("SELECT stale, n_rows, n_tokens, min_tokens FROM search_statistics WHERE id = 1"),
                  try !row.bool("stale") else { return nil }
            return SearchStatistics(rows: try row.optionalInt("n_rows") ?? 0, tokens: try row.optionalInt("n_tokens") ?? 0,
                                    minTokens: try row.optionalInt("min_tokens") ?? 0)
        }
    }

    /// Recomputes the statistics from the index's own per-row sizes (one pass over
    /// `descriptions_fts_docsize`) when they are stale. Returns true when it recomputed.
    @discardableResult
    public func refreshSearchStatistics() throws -> Bool {
        guard try searchStatistics() == nil else { return false }
        try write {
            let s = try database.prepare("SELECT sz FROM descriptions_fts_docsize")
            var rows = 0, tokens = 0, minTokens = Int.max
            while try s.step() {
                // Each size is an SQLite varint (one column: one varint).
                let n = s.withBlob(at: 0) { Self.varint($0) }
                rows += 1
                tokens += n
                minTokens = min(minTokens, n)
            }
            s.reset()
            try database.execute("UPDATE search_statistics SET stale = 0, n_rows = ?, n_tokens = ?, min_tokens = ? WHERE id = 1",
                                 [rows, tokens, rows == 0 ? 0 : minTokens])
        }
        return true
    }

    /// Decodes the first SQLite-format varint of `bytes` (big-endian groups of 7 bits, a
    /// ninth byte of 8 bits).
    static func varint(_ bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        return varint(bytes, at: &offset)
    }

    /// Decodes the varint at `offset` and moves `offset` past it (FTS5 records hold several).
    static func varint(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> Int {
        var v: UInt64 = 0
        var i = 0
        while offset < bytes.count {
            let b = bytes[offset]
            offset += 1
            if i == 8 { return Int(truncatingIfNeeded: (v << 8) | UInt64(b)) }
            v = (v << 7) | UInt64(b & 0x7F)
            i += 1
            if b & 0x80 == 0 { break }
        }
        return Int(truncatingIfNeeded: v)
    }
}

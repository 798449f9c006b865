extension Store {
    /// The statistics, when schema 2 is present and no text changed since the last refresh.
    public func searchStatistics() throws -> SearchStatistics? {
        try wrap {
            guard try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'search_statistics'").int == 1 else { return nil }
            let r = try database.rows("SELECT stale, n_rows, n_tokens, min_tokens FROM search_statistics WHERE id = 1")
            guard let row = r.first, row[0].int == 0 else { return nil }
            return SearchStatistics(rows: row[1].int ?? 0, tokens: row[2].int ?? 0, minTokens: row[3].int ?? 0)
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
        var v: UInt64 = 0
        for i in 0..<min(bytes.count, 9) {
            let b = bytes[i]
            if i == 8 { return Int(truncatingIfNeeded: (v << 8) | UInt64(b)) }
            v = (v << 7) | UInt64(b & 0x7F)
            if b & 0x80 == 0 { break }
        }
        return Int(truncatingIfNeeded: v)
    }
}

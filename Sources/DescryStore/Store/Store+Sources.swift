/// Provenance records.
extension Store {
    /// Records a source (or finds the identical one) and returns its id and whether it was new.
    public func addSource(_ s: SourceInfo) throws -> (id: Int64, created: Bool) {
        try wrap {
            if let id = try database.scalarIfPresent(
                Int64.self, "SELECT id FROM sources WHERE format = ? AND label = ? AND content_hash = ?", [s.format, s.label, s.contentHash]) {
                return (id, false)
            }
            var llmID: Int64?
            if let llm = s.llm {
                try database.execute("INSERT INTO llms(name) VALUES (?) ON CONFLICT(name) DO NOTHING", [llm])
                llmID = try database.scalar(Int64.self, "SELECT id FROM llms WHERE name = ?", [llm])
            }
            try database.execute(
                "INSERT INTO sources(format, label, path, content_hash, llm_id, prompt_id) VALUES (?, ?, ?, ?, ?, ?)",
                [s.format, s.label, s.path, s.contentHash, llmID, s.promptID])
            return (database.lastInsertRowID, true)
        }
    }
}

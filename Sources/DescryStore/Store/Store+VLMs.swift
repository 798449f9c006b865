/// Vision-language models known to the store: shorthands for `vlms` (`VLMRepository`), which
/// owns the table.
extension Store {
    /// The id of a VLM, creating a bare record when missing (models add fills in the rest).
    public func ensureVLM(named name: String) throws -> Int64 { try vlms.ensure(named: name) }

    /// The id of a VLM, or an error naming the known ones.
    public func vlmID(named name: String) throws -> Int64 { try vlms.id(named: name) }
}

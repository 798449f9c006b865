/// Reads the differential generator needs to link new sentences to a pair without
/// duplicating slots (pairs and slots themselves are written by `DescriptionWriter`).
extension PairRepository {
    /// The position the next slot of a pair takes: one past the highest, 0 for an empty pair.
    public func nextPosition(pairID: Int64) throws -> Int {
        try store.wrap {
            try store.database.scalar(Int.self, "SELECT coalesce(max(position) + 1, 0) AS next FROM pair_members WHERE pair_id = ?", [pairID])
        }
    }

    /// Whether the pair already links `descriptionID` on `side` with `twinID` as its twin
    /// (a re-run from the cache writes the same sentences again).
    public func isLinked(pairID: Int64, side: Int64, descriptionID: Int64, twinID: Int64) throws -> Bool {
        try store.wrap {
            try store.database.scalar(Int.self, """
                SELECT EXISTS (SELECT 1 FROM pair_members WHERE pair_id = ? AND side = ? AND description_id = ? AND twin_id = ?) AS linked
                """, [pairID, side, descriptionID, twinID]) != 0
        }
    }
}

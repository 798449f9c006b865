/// What merging did to one table: rows of the sources that were new, rows the target already
/// held with the same values, and conflicts (same key, different values, or rows that refer to
/// a conflicting dataset, class, VLM or description), which are never written.
public struct MergeTableCount: Sendable, Equatable, Codable {
    /// The table.
    public var table: String
    /// Rows written into the target.
    public var added = 0
    /// Rows the target already held, key and values equal.
    public var present = 0
    /// Rows left out because they conflict with the target.
    public var conflicts = 0
    /// A few of the conflicts, each naming its key (at most `StoreMerger.exampleLimit`).
    public var examples: [String] = []

    /// Counts for `table`.
    public init(table: String) { self.table = table }

    mutating func add(_ other: MergeTableCount) {
        added += other.added
        present += other.present
        conflicts += other.conflicts
        for e in other.examples where examples.count < StoreMerger.exampleLimit { examples.append(e) }
    }
}

/// What merging one source store did, table by table.
public struct MergeSourceReport: Sendable, Equatable, Codable {
    /// The source's path, as given.
    public var path: String
    /// One entry per merged table, in merge order.
    public var tables: [MergeTableCount]
}

/// What `StoreMerger.merge` did: per source and summed over the sources.
public struct MergeReport: Sendable, Equatable, Codable {
    /// The target's path.
    public var target: String
    /// Each source, in the order given.
    public var sources: [MergeSourceReport]

    /// The counts of every table summed over the sources, in merge order.
    public var totals: [MergeTableCount] {
        var out: [MergeTableCount] = []
        for s in sources {
            for t in s.tables {
                if let i = out.firstIndex(where: { $0.table == t.table }) { out[i].add(t) } else { out.append(t) }
            }
        }
        return out
    }

    /// Rows added over every table and source.
    public var added: Int { totals.reduce(0) { $0 + $1.added } }
    /// Conflicts over every table and source.
    public var conflicts: Int { totals.reduce(0) { $0 + $1.conflicts } }
}

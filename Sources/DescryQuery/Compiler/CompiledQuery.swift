import Foundation
import DescryStore

/// SQL text with its ordered bindings and the columns it returns. Every value the user typed
/// is in `bindings`; `sql` holds only catalog identifiers and generated names.
public struct CompiledQuery: Sendable {
    /// The SQL statement.
    public let sql: String
    /// Values for the `?` parameters, in order.
    public let bindings: [DatabaseValue]
    /// The result columns (user-visible names and types), aligned with the statement's columns.
    public let columns: [PlanColumn]
    /// True when this is the first phase of a pivot: it lists the distinct column values,
    /// and the executor compiles the second phase from them.
    public let isPivotDiscovery: Bool

    /// True when the query reads the score rollup (pre-aggregated scores).
    public let usesRollup: Bool

    /// Creates a compiled query.
    public init(sql: String, bindings: [DatabaseValue], columns: [PlanColumn], isPivotDiscovery: Bool = false, usesRollup: Bool = false) {
        self.sql = sql
        self.bindings = bindings
        self.columns = columns
        self.isPivotDiscovery = isPivotDiscovery
        self.usesRollup = usesRollup
    }

    /// The SQL and its numbered bindings, as `--explain` and `:sql` print them.
    public func explained() -> String {
        var out = sql
        if isPivotDiscovery { out = "-- pivot, phase 1: the distinct column values\n" + out }
        if usesRollup { out = "-- reads score_rollup (pre-aggregated scores; same rows as the plain query up to rounding)\n" + out }
        if bindings.isEmpty { return out + "\n-- no bindings" }
        out += "\n-- bindings:"
        for (i, b) in bindings.enumerated() { out += "\n--   ?\(i + 1) = \(Self.describe(b))" }
        return out
    }

    /// A value as SQL would spell it, for display only (never executed).
    static func describe(_ v: DatabaseValue) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let r): return String(r)
        case .text(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let b): return "x'" + b.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }
}

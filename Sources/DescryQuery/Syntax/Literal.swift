/// A constant written in a query. Always compiled to a bound parameter, never spliced.
public enum Literal: Sendable, Equatable {
    /// `"text"`.
    case string(String)
    /// `42`.
    case integer(Int64)
    /// `0.25`.
    case real(Double)
    /// `true` / `false`.
    case boolean(Bool)
    /// `null`.
    case null
}

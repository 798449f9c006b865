/// The type of a field, column or expression.
public enum ValueType: String, Sendable, Equatable {
    /// Whole numbers.
    case integer
    /// Floating-point numbers.
    case real
    /// Strings.
    case text
    /// Conditions (stored as 0/1).
    case boolean
    /// The type of the `null` literal: compatible with every other type.
    case null

    /// Integer or real (or null).
    public var isNumeric: Bool { self == .integer || self == .real || self == .null }

    /// Whether values of the two types may be compared or combined.
    public func isCompatible(with other: ValueType) -> Bool {
        if self == .null || other == .null || self == other { return true }
        return isNumeric && other.isNumeric
    }

    /// The wider numeric type of two (`integer` + `real` is `real`).
    public func widened(with other: ValueType) -> ValueType {
        if self == .null { return other }
        if other == .null { return self }
        return self == .integer && other == .integer ? .integer : (isNumeric && other.isNumeric ? .real : self)
    }
}

/// A parsed JSON value that remembers where it stood in its file, so importers can name
/// the line and column of a value whose content is wrong, not just of a syntax error.
public struct JSONNode: Sendable {
    /// The value.
    public let value: JSONValue
    /// Byte offset of the value's first character in the document.
    public let offset: Int
}

/// The JSON data model. Objects keep their keys in file order.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(key: String, value: JSONNode)])

    /// The name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

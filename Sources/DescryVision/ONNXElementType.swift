/// Tensor element types, with ONNX's numeric codes.
public enum ONNXElementType: Int32, Sendable, Codable, CustomStringConvertible {
    case undefined = 0, float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7
    case string = 8, bool = 9, float16 = 10, double = 11
    /// Any other code (bfloat16, complex, float8, …), which Descry does not exchange.
    case other = -1

    /// The type for an ONNX code; unknown codes become ``other``.
    public init(code: Int32) { self = ONNXElementType(rawValue: code) ?? .other }

    /// The name ONNX Runtime's messages use inside `tensor(…)`: `float`, `int64`, `float16`.
    public var ortName: String {
        switch self {
        case .float: return "float"
        case .double: return "double"
        default: return description
        }
    }

    /// The ONNX name of the type.
    public var description: String {
        switch self {
        case .undefined: return "undefined"
        case .float: return "float32"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .uint16: return "uint16"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .string: return "string"
        case .bool: return "bool"
        case .float16: return "float16"
        case .double: return "float64"
        case .other: return "other"
        }
    }
}

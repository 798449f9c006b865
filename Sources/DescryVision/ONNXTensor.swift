/// A dense tensor exchanged with ONNX Runtime: float32, float16, int32 or int64 data with a shape.
public struct ONNXTensor: Sendable, Equatable {
    /// The element data.
    public enum Storage: Sendable, Equatable {
        /// float32 elements.
        case float([Float])
        /// float16 elements, kept as their bit patterns so every platform can hold them.
        case float16([UInt16])
        /// int64 elements.
        case int64([Int64])
        /// int32 elements (open_clip / clip-as-service text graphs take int32 token ids).
        case int32([Int32])
    }

    /// Dimensions, outermost first.
    public let shape: [Int]
    /// The elements, row-major.
    public let storage: Storage

    /// A float32 tensor; `values.count` must equal the product of `shape`.
    public init(float values: [Float], shape: [Int]) throws {
        try Self.checkCount(values.count, shape)
        self.shape = shape
        self.storage = .float(values)
    }

    /// An int64 tensor; `values.count` must equal the product of `shape`.
    public init(int64 values: [Int64], shape: [Int]) throws {
        try Self.checkCount(values.count, shape)
        self.shape = shape
        self.storage = .int64(values)
    }

    /// An int32 tensor; `values.count` must equal the product of `shape`.
    public init(int32 values: [Int32], shape: [Int]) throws {
        try Self.checkCount(values.count, shape)
        self.shape = shape
        self.storage = .int32(values)
    }

    /// A float16 tensor from float32 values (rounded to nearest).
    public init(float16From values: [Float], shape: [Int]) throws {
        try Self.checkCount(values.count, shape)
        self.shape = shape
        self.storage = .float16(values.map(Self.halfBits))
    }

    /// A tensor from raw parts (no checks; used when reading ORT outputs).
    init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    private static func checkCount(_ count: Int, _ shape: [Int]) throws {
        let expected = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), expected == count else {
            throw VisionError.invalidArgument("tensor of shape \(shape) needs \(expected) values, got \(count)")
        }
    }

    /// The element type.
    public var elementType: ONNXElementType {
        switch storage {
        case .float: return .float
        case .float16: return .float16
        case .int64: return .int64
        case .int32: return .int32
        }
    }

    /// For error messages, as ONNX Runtime names it: `tensor(int64) [4, 77]`.
    public var signature: String {
        "tensor(\(elementType.ortName)) [\(shape.map(String.init).joined(separator: ", "))]"
    }

    /// The elements as float32 (float16 widened, integers converted).
    public var floats: [Float] {
        switch storage {
        case .float(let v): return v
        case .float16(let v): return v.map(Self.floatFromHalf)
        case .int64(let v): return v.map { Float($0) }
        case .int32(let v): return v.map { Float($0) }
        }
    }

    /// IEEE half-precision bits of `value`, rounded to nearest even.
    static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }  // inf / nan
        let e = exponent - 127 + 15
        if e >= 0x1F { return sign | 0x7C00 }                                         // overflow
        if e <= 0 {                                                                   // subnormal
            if e < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - e)
            var half = mantissa >> shift
            let rest = mantissa & ((1 << shift) - 1), halfway = UInt32(1) << (shift - 1)
            if rest > halfway || (rest == halfway && (half & 1) == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(e) << 10 | (mantissa >> 13)
        let rest = mantissa & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1) { half += 1 }        // may carry into exponent: correct
        return sign | UInt16(half)
    }

    /// float32 value of IEEE half-precision bits.
    static func floatFromHalf(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            return Float(sign: sign != 0 ? .minus : .plus, exponent: -24, significand: Float(mantissa))
        }
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}

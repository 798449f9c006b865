/// The declared type and shape of a model input or output.
public struct ONNXTensorInfo: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The input or output name.
    public let name: String
    /// Element type.
    public let elementType: ONNXElementType
    /// Dimensions; -1 where the graph leaves a dimension free.
    public let shape: [Int]
    /// Names of free dimensions ("batch_size", "sequence"), "" where a dimension is fixed or unnamed.
    public let dimensionNames: [String]

    /// A description from its parts.
    public init(name: String, elementType: ONNXElementType, shape: [Int], dimensionNames: [String]) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.dimensionNames = dimensionNames
    }

    /// As ONNX Runtime's messages write a type, with the dimensions: `tensor(int32) [batch, 77]`.
    public var signature: String {
        let dims = zip(shape, dimensionNames).map { $0 >= 0 ? String($0) : ($1.isEmpty ? "?" : $1) }
        return "tensor(\(elementType.ortName)) [\(dims.joined(separator: ", "))]"
    }

    /// For example `pixel_values: float32[batch, 3, 224, 224]`.
    public var description: String {
        let dims = zip(shape, dimensionNames).map { $0 >= 0 ? String($0) : ($1.isEmpty ? "?" : $1) }
        return "\(name): \(elementType)[\(dims.joined(separator: ", "))]"
    }
}

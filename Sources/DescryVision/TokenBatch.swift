/// Token ids of a batch of texts, row-major `count × contextLength`, zero-padded as open_clip
/// pads them. Each row starts with the start token and ends with the end token (kept when a long
/// text is truncated).
public struct TokenBatch: Sendable, Equatable {
    /// Number of texts (rows).
    public let count: Int
    /// Tokens per row.
    public let contextLength: Int
    /// All ids, row after row.
    public var ids: [Int32]
    /// Number of real tokens in each row (start and end included), the rest being padding.
    public var lengths: [Int]

    /// A batch from its parts; `ids.count` must be `count * contextLength`.
    public init(count: Int, contextLength: Int, ids: [Int32], lengths: [Int]) {
        precondition(ids.count == count * contextLength && lengths.count == count)
        self.count = count
        self.contextLength = contextLength
        self.ids = ids
        self.lengths = lengths
    }

    /// The ids of row `index`.
    public func row(_ index: Int) -> ArraySlice<Int32> {
        ids[(index * contextLength)..<((index + 1) * contextLength)]
    }

    /// The ids widened to int64, the type ONNX text encoders take.
    public func int64IDs() -> [Int64] { ids.map { Int64($0) } }

    /// 1 for real tokens, 0 for padding, row-major like ``ids`` (Hugging Face's `attention_mask`).
    public func attentionMask() -> [Int64] { attentionMask(as: Int64.self) }

    /// The attention mask as int32, for graphs that take int32 inputs (open_clip-style exports).
    public func int32AttentionMask() -> [Int32] { attentionMask(as: Int32.self) }

    private func attentionMask<T: FixedWidthInteger>(as: T.Type) -> [T] {
        var mask = [T](repeating: 0, count: ids.count)
        for (row, length) in lengths.enumerated() {
            for i in 0..<length { mask[row * contextLength + i] = 1 }
        }
        return mask
    }
}

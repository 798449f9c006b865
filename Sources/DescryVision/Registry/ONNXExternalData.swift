import Foundation

/// The external data files an ONNX graph names (`location` entries of tensors stored outside
/// the `.onnx`, as exporters write models over 2 GB: `model.onnx_data`, `text_model.onnx.data`,
/// one file per tensor…), read from the protobuf's wire format without a protobuf library.
///
/// Only the fields on the way are decoded: `ModelProto.graph` (7) → `GraphProto.initializer`
/// (5), `sparse_initializer` (15), `node` (1) → `NodeProto.attribute` (5) → tensors (5, 10),
/// sparse tensors (22, 23) and subgraphs (6, 11) → `TensorProto.external_data` (13) →
/// `StringStringEntryProto` key (1) / value (2). Everything else, weights included, is skipped
/// by its length, so a large inline graph costs one pass over its field headers.
enum ONNXExternalData {
    /// The distinct `location` values in the graph at `url`, in first-seen order.
    static func locations(of url: URL) throws -> [String] {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        var found: [String] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let reader = Reader(bytes: raw, path: url.path)
            try reader.message(0..<raw.count) { field, range, r in
                if field == 7 { try r.graph(range, &found) }
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let path: String

        func fail(_ at: Int) -> VisionError {
            .badModel(path: path, reason: "malformed ONNX protobuf at byte \(at) while reading external data locations")
        }

        func varint(_ i: inout Int, _ end: Int) throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < end, shift < 64 else { throw fail(i) }
                let b = bytes[i]; i += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        /// Calls `body` for each length-delimited field in `range` (other wire types skipped).
        func message(_ range: Range<Int>, _ body: (Int, Range<Int>, Reader) throws -> Void) throws {
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                let key = try varint(&i, end)
                let field = Int(key >> 3)
                switch key & 7 {
                case 0: _ = try varint(&i, end)
                case 1: i += 8
                case 5: i += 4
                case 2:
                    let length = try varint(&i, end)
                    guard length <= UInt64(end - i) else { throw fail(i) }
                    let sub = i..<(i + Int(length))
                    i = sub.upperBound
                    try body(field, sub, self)
                default: throw fail(i)
                }
                guard i <= end else { throw fail(i) }
            }
        }

        func graph(_ range: Range<Int>, _ found: inout [String]) throws {
            try message(range) { field, sub, r in
                switch field {
                case 5: try r.tensor(sub, &found)
                case 15: try r.sparse(sub, &found)
                case 1: try r.node(sub, &found)
                default: break
                }
            }
        }

        func node(_ range: Range<Int>, _ found: inout [String]) throws {
            try message(range) { field, sub, r in
                guard field == 5 else { return }
                try r.message(sub) { f, s, r in
                    switch f {
                    case 5, 10: try r.tensor(s, &found)
                    case 22, 23: try r.sparse(s, &found)
                    case 6, 11: try r.graph(s, &found)
                    default: break
                    }
                }
            }
        }

        func sparse(_ range: Range<Int>, _ found: inout [String]) throws {
            try message(range) { field, sub, r in if field == 1 || field == 2 { try r.tensor(sub, &found) } }
        }

        func tensor(_ range: Range<Int>, _ found: inout [String]) throws {
            try message(range) { field, sub, r in
                guard field == 13 else { return }
                var key = "", value = ""
                try r.message(sub) { f, s, r in
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: r.bytes[s]), as: UTF8.self)
                    if f == 1 { key = text } else if f == 2 { value = text }
                }
                if key == "location" && !value.isEmpty { found.append(value) }
            }
        }
    }
}

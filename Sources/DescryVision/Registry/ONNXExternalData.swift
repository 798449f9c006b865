import Foundation

/// The external data files an ONNX graph names (`location` entries of tensors stored outside
/// the `.onnx`, as exporters write models over 2 GB: `model.onnx_data`, `text_model.onnx.data`,
/// one file per tensor…), read from the protobuf's wire format without a protobuf library.
///
/// Only the fields on the way are decoded: `ModelProto.graph` (7) → `GraphProto.initializer`
/// (5), `sparse_initializer` (15), `node` (1) → `NodeProto.attribute` (5) → tensors (5, 10),
/// sparse tensors (22, 23) and subgraphs (6, 11) → `TensorProto.external_data` (13) →
/// `StringStringEntryProto` key (1) / value (2). Everything else, weights included, is skipped
/// by its length (`Protobuf.Reader`, shared with the quantizer), so a large inline graph costs
/// one pass over its field headers.
enum ONNXExternalData {
    /// The distinct `location` values in the graph at `url`, in first-seen order.
    static func locations(of url: URL) throws -> [String] {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        var found: [String] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let r = Protobuf.Reader(bytes: raw, path: url.path)
            for f in try messages(r, 0..<raw.count) where f.number == 7 { try graph(r, f.payload, &found) }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// The length-delimited fields of a message (the only ones on the way to a location).
    private static func messages(_ r: Protobuf.Reader, _ range: Range<Int>) throws -> [Protobuf.Field] {
        try r.fields(range).filter { $0.wireType == 2 }
    }

    private static func graph(_ r: Protobuf.Reader, _ range: Range<Int>, _ found: inout [String]) throws {
        for f in try messages(r, range) {
            switch f.number {
            case 5: try tensor(r, f.payload, &found)
            case 15: try sparse(r, f.payload, &found)
            case 1: try node(r, f.payload, &found)
            default: break
            }
        }
    }

    private static func node(_ r: Protobuf.Reader, _ range: Range<Int>, _ found: inout [String]) throws {
        for attribute in try messages(r, range) where attribute.number == 5 {
            for f in try messages(r, attribute.payload) {
                switch f.number {
                case 5, 10: try tensor(r, f.payload, &found)
                case 22, 23: try sparse(r, f.payload, &found)
                case 6, 11: try graph(r, f.payload, &found)
                default: break
                }
            }
        }
    }

    private static func sparse(_ r: Protobuf.Reader, _ range: Range<Int>, _ found: inout [String]) throws {
        for f in try messages(r, range) where f.number == 1 || f.number == 2 { try tensor(r, f.payload, &found) }
    }

    private static func tensor(_ r: Protobuf.Reader, _ range: Range<Int>, _ found: inout [String]) throws {
        for entry in try messages(r, range) where entry.number == 13 {
            var key = "", value = ""
            for f in try messages(r, entry.payload) {
                if f.number == 1 { key = r.string(f.payload) } else if f.number == 2 { value = r.string(f.payload) }
            }
            if key == "location" && !value.isEmpty { found.append(value) }
        }
    }
}

import Foundation

/// A protobuf wire-format reader and writer, just enough to rewrite ONNX graphs without a
/// protobuf library: fields are visited with their exact byte ranges, so anything not rewritten
/// is copied byte for byte.
enum Protobuf {
    /// One field of a message: its number, wire type, the bytes of the whole field (key
    /// included) and of its payload (for length-delimited fields, without the length).
    struct Field {
        let number: Int
        let wireType: UInt64
        let whole: Range<Int>
        let payload: Range<Int>
        /// The varint value (wire type 0).
        let value: UInt64
    }

    /// Reads fields from a byte buffer; errors name the file and the byte offset.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        let path: String

        func fail(_ at: Int, _ what: String) -> VisionError {
            .badModel(path: path, reason: "malformed ONNX protobuf at byte \(at) (\(what))")
        }

        func varint(_ i: inout Int, _ end: Int) throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < end, shift < 64 else { throw fail(i, "truncated varint") }
                let b = bytes[i]; i += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        /// The fields of the message in `range`, in order.
        func fields(_ range: Range<Int>) throws -> [Field] {
            var out: [Field] = []
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                let start = i
                let key = try varint(&i, end)
                let number = Int(key >> 3), wire = key & 7
                var value: UInt64 = 0
                let payload: Range<Int>
                switch wire {
                case 0:
                    let from = i
                    value = try varint(&i, end)
                    payload = from..<i
                case 1, 5:
                    let width = wire == 1 ? 8 : 4
                    guard end - i >= width else { throw fail(i, "truncated fixed-width field") }
                    payload = i..<(i + width)
                    i += width
                case 2:
                    let length = try varint(&i, end)
                    guard length <= UInt64(end - i) else { throw fail(i, "length past the end of its message") }
                    payload = i..<(i + Int(length))
                    i = payload.upperBound
                default:
                    throw fail(start, "unsupported wire type \(wire)")
                }
                out.append(Field(number: number, wireType: wire, whole: start..<i, payload: payload, value: value))
            }
            return out
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        func data(_ range: Range<Int>) -> [UInt8] { Array(bytes[range]) }

        /// A repeated int64 field's values, packed or not (`fields` of the same number).
        func int64s(_ fields: [Field]) throws -> [Int64] {
            var out: [Int64] = []
            for f in fields {
                if f.wireType == 0 { out.append(Int64(bitPattern: f.value)); continue }
                guard f.wireType == 2 else { throw fail(f.whole.lowerBound, "int64 field of wire type \(f.wireType)") }
                var i = f.payload.lowerBound
                while i < f.payload.upperBound { out.append(Int64(bitPattern: try varint(&i, f.payload.upperBound))) }
            }
            return out
        }
    }

    /// Builds a message field by field.
    struct Writer {
        var bytes: [UInt8] = []

        mutating func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }

        mutating func key(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }

        mutating func int(_ field: Int, _ v: Int64) { key(field, 0); varint(UInt64(bitPattern: v)) }

        mutating func bytes(_ field: Int, _ data: [UInt8]) {
            key(field, 2); varint(UInt64(data.count)); bytes += data
        }

        mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }

        mutating func message(_ field: Int, _ build: (inout Writer) -> Void) {
            var sub = Writer()
            build(&sub)
            bytes(field, sub.bytes)
        }

        /// Raw bytes appended as they are (a field copied verbatim).
        mutating func raw<C: Collection>(_ data: C) where C.Element == UInt8 { bytes += data }
    }
}

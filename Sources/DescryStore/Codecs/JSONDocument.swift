/// A JSON text parsed with positions. Parsing is strict (RFC 8259): no comments, no trailing
/// commas; errors carry the line and column of the offending character.
public struct JSONDocument: Sendable {
    /// The file name used in error locations.
    public let file: String
    /// The root value.
    public let root: JSONNode
    private let lineStarts: [Int]

    /// Parses UTF-8 bytes (validated first, so a non-UTF-8 file is reported as such).
    public init(bytes: [UInt8], file: String) throws {
        self.file = file
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            let (l, c) = Self.lineColumn(offset: bad, lineStarts: starts)
            throw StoreError.notUTF8(InputLocation(file: file, line: l, column: c))
        }
        var parser = JSONParser(bytes: bytes)
        do {
            self.root = try parser.parseDocument()
        } catch let e as JSONParser.Failure {
            let (l, c) = Self.lineColumn(offset: e.offset, lineStarts: starts)
            throw StoreError.malformedJSON(InputLocation(file: file, line: l, column: c), e.message)
        }
    }

    /// The 1-based line and column of a byte offset.
    public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        Self.lineColumn(offset: offset, lineStarts: lineStarts)
    }

    /// An error location for a node, with an optional path inside the document.
    public func location(of node: JSONNode, path: String? = nil) -> InputLocation {
        let (l, c) = lineColumn(of: node.offset)
        return InputLocation(file: file, line: l, column: c, path: path)
    }

    static func lineColumn(offset: Int, lineStarts: [Int]) -> (Int, Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }
}

/// Recursive-descent JSON parser over bytes. Depth is bounded so hostile input cannot
/// overflow the stack.
struct JSONParser {
    struct Failure: Error { let offset: Int; let message: String }
    let bytes: [UInt8]
    var i = 0
    var depth = 0
    static let maxDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws -> JSONNode {
        // A UTF-8 byte-order mark is tolerated at the very start.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipSpace()
        guard i < bytes.count else { throw Failure(offset: i, message: "the document is empty") }
        let v = try parseValue()
        skipSpace()
        if i < bytes.count { throw Failure(offset: i, message: "unexpected \(describe(i)) after the end of the document") }
        return v
    }

    func describe(_ at: Int) -> String {
        guard at < bytes.count else { return "end of file" }
        let b = bytes[at]
        if b >= 0x20 && b < 0x7f { return "'\(Character(UnicodeScalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws -> JSONNode {
        let start = i
        guard i < bytes.count else { throw Failure(offset: i, message: "unexpected end of file, expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return JSONNode(value: try parseObject(), offset: start)
        case UInt8(ascii: "["): return JSONNode(value: try parseArray(), offset: start)
        case UInt8(ascii: "\""): return JSONNode(value: .string(try parseString()), offset: start)
        case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), offset: start)
        case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), offset: start)
        case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), offset: start)
        default:
            throw Failure(offset: i, message: "unexpected \(describe(i)), expected a value")
        }
    }

    mutating func literal(_ word: String) throws {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw Failure(offset: i, message: "invalid literal, expected '\(word)'") }
            i += 1
        }
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw Failure(offset: i, message: "nesting deeper than \(Self.maxDepth) levels") }
    }

    mutating func parseObject() throws -> JSONValue {
        try enter(); defer { depth -= 1 }
        i += 1
        var members: [(key: String, value: JSONNode)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw Failure(offset: i, message: "unexpected \(describe(i)), expected a string key")
            }
            let key = try parseString()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw Failure(offset: i, message: "unexpected \(describe(i)), expected ':' after key \"\(key)\"")
            }
            i += 1
            skipSpace()
            members.append((key, try parseValue()))
            skipSpace()
            guard i < bytes.count else { throw Failure(offset: i, message: "unexpected end of file inside an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw Failure(offset: i, message: "unexpected \(describe(i)), expected ',' or '}'")
        }
    }

    mutating func parseArray() throws -> JSONValue {
        try enter(); defer { depth -= 1 }
        i += 1
        var items: [JSONNode] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard i < bytes.count else { throw Failure(offset: i, message: "unexpected end of file inside an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw Failure(offset: i, message: "unexpected \(describe(i)), expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws -> Double {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int { let s = i; while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }; return i - s }
        guard digits() > 0 else { throw Failure(offset: i, message: "invalid number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw Failure(offset: i, message: "invalid number: digits expected after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw Failure(offset: i, message: "invalid number: digits expected in exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let v = Double(text) else { throw Failure(offset: start, message: "invalid number '\(text)'") }
        return v
    }

    mutating func parseString() throws -> String {
        let open = i
        i += 1
        // Fast path: no escapes.
        let s = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: bytes[s..<(i - 1)], as: UTF8.self) }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            i += 1
        }
        var out = Array(bytes[s..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { throw Failure(offset: i, message: "control character in string (escape it as \\u00\(String(format2: b)))") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw Failure(offset: i, message: "unpaired UTF-16 surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure(offset: i - 6, message: "invalid UTF-16 low surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Failure(offset: i - 6, message: "unpaired UTF-16 surrogate in \\u escape")
                    }
                    out.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
                default:
                    throw Failure(offset: i - 2, message: "invalid escape '\\\(Character(UnicodeScalar(e)))'")
                }
                continue
            }
            out.append(b)
            i += 1
        }
        throw Failure(offset: open, message: "unterminated string")
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw Failure(offset: i, message: "incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw Failure(offset: i, message: "invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}

extension String {
    init(format2 b: UInt8) {
        let h = String(b, radix: 16)
        self = h.count == 1 ? "0" + h : h
    }
}

import Foundation

/// Reads an input file whole, with the errors users need: missing file, not UTF-8.
public struct InputFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The content: the file's bytes less a leading UTF-8 byte-order mark.
    public let bytes: [UInt8]
    /// Whether the file began with a UTF-8 byte-order mark (dropped from `bytes`).
    public let hadByteOrderMark: Bool
    /// SHA-256 of the file's bytes as they are on disk, for provenance.
    public var contentHash: String {
        hadByteOrderMark ? Hashing.sha256Hex(Self.byteOrderMark + bytes) : Hashing.sha256Hex(bytes)
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Splits off a leading byte-order mark: editors on Windows write one before JSON and text,
    /// and left in place it made a JSON array read as one class name.
    static func content(_ raw: [UInt8]) -> (bytes: [UInt8], bom: Bool) {
        raw.starts(with: byteOrderMark) ? (Array(raw.dropFirst(3)), true) : (raw, false)
    }

    /// Reads `path`.
    public init(path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.fileNotFound(path)
        }
        self.path = path
        (self.bytes, self.hadByteOrderMark) = Self.content([UInt8](data))
    }

    /// Creates a file from bytes already in memory (tests, generated input).
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        (self.bytes, self.hadByteOrderMark) = Self.content(bytes)
    }

    /// The file as JSON.
    public func json() throws -> JSONDocument { try JSONDocument(bytes: bytes, file: path) }

    /// The file as UTF-8 text, or an error at the first invalid byte.
    public func text() throws -> String {
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            let line = bytes[..<bad].filter { $0 == 0x0A }.count + 1
            let lastNL = bytes[..<bad].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            throw StoreError.notUTF8(InputLocation(file: path, line: line, column: bad - lastNL + 1))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text's lines, split at LF or CRLF (a CRLF file must not read as one line: Swift
    /// treats "\r\n" as one character, so splitting at "\n" alone never splits it).
    public func lines() throws -> [Substring] {
        try text().split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}

import Foundation

/// Reads an input file whole, with the errors users need: missing file, not UTF-8.
public struct InputFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The raw bytes.
    public let bytes: [UInt8]
    /// SHA-256 of the bytes, for provenance.
    public var contentHash: String { Hashing.sha256Hex(bytes) }

    /// Reads `path`.
    public init(path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.fileNotFound(path)
        }
        self.path = path
        self.bytes = [UInt8](data)
    }

    /// Creates a file from bytes already in memory (tests, generated input).
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
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
}

import Foundation

/// Where the CLI writes: results to stdout, messages and progress to stderr.
enum Console {
    static func out(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }
    static func err(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// A progress line on stderr, redrawn in place on a terminal.
    static func progress(_ s: String) {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + s).utf8))
    }
    static func endProgress() { if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }

    /// Encodes a value as pretty JSON for `--json`, by the conventions of Docs/json.md: keys in
    /// snake_case (Swift's camelCase property names converted: `vlmID` → `vlm_id`), numbers as
    /// JSON numbers, absent values as null or left out.
    static func json<T: Encodable>(_ value: T) throws {
        out(String(decoding: try jsonData(value), as: UTF8.self))
    }

    /// The bytes ``json(_:)`` prints.
    static func jsonData<T: Encodable>(_ value: T) throws -> Data {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try enc.encode(value)
    }

    /// Formats rows as an aligned table (numbers right-aligned).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map { $0.count }
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func isNumber(_ s: String) -> Bool { Double(s) != nil }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return isNumber(c) ? pad + c : c + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

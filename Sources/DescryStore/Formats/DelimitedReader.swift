import Foundation

/// Reads CSV and TSV files with a header row of named columns: `class` and `text` are
/// required, `attribute` and `kind` optional (any order, names case-insensitive). Quoting
/// follows RFC 4180 for both: a field that starts with `"` runs to the next lone `"`, `""`
/// inside it is one quote, and it may hold delimiters and line breaks. A `"` inside an
/// unquoted field is kept as written. Lines end with LF or CRLF.
public enum DelimitedReader {
    /// The two dialects.
    public enum Dialect: String, Sendable {
        case csv, tsv
        var delimiter: UInt8 { self == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t") }
    }

    /// One record: its fields and the line it starts on.
    struct Record {
        var fields: [String]
        var line: Int
    }

    static let known = ["class", "text", "attribute", "kind"]

    /// Reads the file into per-class entries, classes in order of first appearance. A row with
    /// the wrong number of fields, an empty class or text, or an unknown kind is an error naming
    /// the file, line and column; with `skipInvalid` the row is left out and listed in `skipped`.
    /// Unknown columns are listed in `notes` and ignored.
    public static func read(_ file: InputFile, dialect: Dialect, skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        _ = try file.text()  // the UTF-8 check, with the position of the first bad byte
        var records = try parse(file.bytes, delimiter: dialect.delimiter, file: file.path)
        records.removeAll { $0.fields.allSatisfy(InvalidItems.isBlank) }
        guard let header = records.first else {
            throw StoreError.invalidInput(InputLocation(file: file.path), "the file is empty; it needs a header row naming the columns class and text")
        }
        var column: [String: Int] = [:]
        var notes: [String] = []
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if let j = column[name] {
                throw StoreError.invalidInput(InputLocation(file: file.path, line: header.line, path: "column \(i + 1)"),
                                              "column \(Excerpt.quote(name)) appears twice in the header (columns \(j + 1) and \(i + 1))")
            }
            column[name] = i
            if !known.contains(name) {
                notes.append("\(InputLocation(file: file.path, line: header.line, path: "column \(i + 1)")): unknown column \(Excerpt.quote(raw)) ignored (known: \(known.joined(separator: ", ")))")
            }
        }
        for required in ["class", "text"] where column[required] == nil {
            throw StoreError.invalidInput(InputLocation(file: file.path, line: header.line),
                "the header has no \(Excerpt.quote(required)) column (it names \(header.fields.map { Excerpt.quote($0) }.joined(separator: ", ")); required: class, text; optional: attribute, kind)")
        }
        var problems = InvalidItems(skipInvalid: skipInvalid)
        var entries: [ClassDescriptionSet.Entry] = []
        var entryIndex: [String: Int] = [:]
        rows: for record in records.dropFirst() {
            func at(_ name: String) -> InputLocation { InputLocation(file: file.path, line: record.line, path: "column '\(name)'") }
            guard record.fields.count == header.fields.count else {
                try problems.report(InputLocation(file: file.path, line: record.line),
                                    "the row has \(record.fields.count) fields, the header \(header.fields.count)")
                continue rows
            }
            func value(_ name: String) -> String? { column[name].map { record.fields[$0] } }
            let className = (value("class") ?? "").trimmingCharacters(in: .whitespaces)
            if let problem = ClassName.problem(className) {
                try problems.report(at("class"), "class with \(problem)")
                continue rows
            }
            let text = value("text") ?? ""
            if InvalidItems.isBlank(text) {
                try problems.report(at("text"), "empty description text")
                continue rows
            }
            var kind = DescriptionKind.class
            if let k = value("kind")?.trimmingCharacters(in: .whitespaces).lowercased(), !k.isEmpty {
                guard let parsed = DescriptionKind(rawValue: k), parsed == .class || parsed == .classname else {
                    try problems.report(at("kind"), "kind \(Excerpt.quote(k)) cannot be imported per class (use class or classname)")
                    continue rows
                }
                kind = parsed
            }
            let attribute = value("attribute")?.trimmingCharacters(in: .whitespaces)
            let item = ClassDescriptionSet.Item(text: text, attributeRaw: attribute?.isEmpty == false ? attribute : nil,
                                                kind: kind, location: at("text"))
            if let e = entryIndex[className] {
                entries[e].items.append(item)
            } else {
                entryIndex[className] = entries.count
                entries.append(.init(className: className, items: [item], location: InputLocation(file: file.path, line: record.line)))
            }
        }
        var set = ClassDescriptionSet(format: dialect.rawValue, entries: entries)
        set.skipped = problems.skipped
        set.notes = notes
        set.contentHash = file.contentHash
        return set
    }

    /// Splits the bytes into records. The bytes are valid UTF-8 and every byte the grammar
    /// looks at is ASCII, so a multi-byte character is never split.
    static func parse(_ bytes: [UInt8], delimiter: UInt8, file: String) throws -> [Record] {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var lineStart = 0
        var i = 0
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        func endRecord() { endField(); records.append(Record(fields: fields, line: recordLine)); fields = [] }
        while i < bytes.count {
            let b = bytes[i]
            if b == quote && field.isEmpty {
                // A quoted field: runs to the closing quote, which must end the field.
                let openLine = line, openColumn = i - lineStart + 1
                i += 1
                var closed = false
                while i < bytes.count {
                    let c = bytes[i]
                    if c == quote {
                        if i + 1 < bytes.count, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    if c == lf { line += 1; lineStart = i + 1 }
                    field.append(c)
                    i += 1
                }
                guard closed else {
                    throw StoreError.invalidInput(InputLocation(file: file, line: openLine, column: openColumn),
                                                  "the quoted field opened here is never closed")
                }
                if i < bytes.count, bytes[i] != delimiter, bytes[i] != lf, bytes[i] != cr {
                    throw StoreError.invalidInput(InputLocation(file: file, line: line, column: i - lineStart + 1),
                        "text after the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")")
                }
                continue
            }
            if b == delimiter { endField(); i += 1; continue }
            if b == lf || b == cr {
                endRecord()
                i += (b == cr && i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                lineStart = i
                recordLine = line
                continue
            }
            field.append(b)
            i += 1
        }
        if !fields.isEmpty || !field.isEmpty { endRecord() }
        return records
    }
}

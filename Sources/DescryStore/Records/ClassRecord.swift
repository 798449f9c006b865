import Foundation
/// A class of a dataset, with the index its source files use.
public struct ClassRecord: Sendable, Equatable {
    /// Row id in the store.
    public let id: Int64
    /// Index used by the dataset's files (FuDD pair keys, label columns).
    public let index: Int
    /// The name as imported (underscores kept; see `displayName`).
    public let name: String

    /// Creates a record.
    public init(id: Int64, index: Int, name: String) {
        self.id = id
        self.index = index
        self.name = name
    }

    /// The name as a prompt would use it: underscores stand for spaces in FuDD's files.
    public var displayName: String { ClassName.display(name) }
}

/// Class-name normalisation shared by importers and matchers.
public enum ClassName {
    /// Underscores to spaces, whitespace collapsed.
    public static func display(_ name: String) -> String {
        name.replacingOccurrences(of: "_", with: " ").split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Why `name` cannot be a class name, or nil when it can: empty, or holding a control
    /// character (a NUL cut names short in SQLite; CR, LF and tab point at a misread file).
    public static func problem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "an empty name" }
        if let c = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "a control character (U+\(String(format: "%04X", c.value))) in the name"
        }
        return nil
    }

    /// The key two spellings of one class share: display form, lowercased.
    public static func matchKey(_ name: String) -> String { display(name).lowercased() }
}

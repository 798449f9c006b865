import DescryStore
import Foundation

/// The VLMs the demo runs, read from `Data/demo/vlms.txt`: one model folder name per line
/// (a folder of `Data/models/`), `#` starts a comment. The demo discovers its models from this
/// file, so adding a model is a data change; a listed model whose folder is absent is skipped
/// with a note rather than failing the demo.
public struct DemoModelList: Sendable, Equatable {
    /// A listed model and where its folder is.
    public struct Entry: Sendable, Equatable {
        /// The name, as listed (also the VLM's name in the store).
        public var name: String
        /// Its line in the file.
        public var line: Int

        /// An entry.
        public init(name: String, line: Int) {
            self.name = name
            self.line = line
        }
    }

    /// The file's path inside the Data folder.
    public static let relativePath = "demo/vlms.txt"
    /// The most models the list may name (each one is embedded, scored and evaluated).
    public static let maximumCount = 8

    /// The models, in file order.
    public var entries: [Entry]

    /// A list.
    public init(entries: [Entry]) { self.entries = entries }

    /// Parses the text of `file` (named in errors): names of letters, digits, `.`, `_`, `-`,
    /// not starting with `.`, each once, at most `maximumCount`, at least one.
    public static func parse(_ text: String, file: String) throws -> DemoModelList {
        var entries: [Entry] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let name = line.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            let at = InputLocation(file: file, line: i + 1)
            guard name.count <= 100, !name.hasPrefix("."), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                throw AnalysisError.store(.invalidInput(at, "\(Excerpt.quote(name)) is not a model folder name (letters, digits, '.', '_', '-'; one name a line)"))
            }
            if let first = entries.first(where: { $0.name == name }) {
                throw AnalysisError.store(.invalidInput(at, "'\(name)' is listed twice (first on line \(first.line))"))
            }
            entries.append(Entry(name: name, line: i + 1))
            if entries.count > maximumCount {
                throw AnalysisError.store(.invalidInput(at, "more than \(maximumCount) models listed; the demo runs each of them in full"))
            }
        }
        if entries.isEmpty { throw AnalysisError.store(.invalidInput(InputLocation(file: file), "no model listed (one folder name of Data/models a line)")) }
        return DemoModelList(entries: entries)
    }

    /// Reads `Data/demo/vlms.txt` under `dataDirectory`.
    public static func load(dataDirectory: String) throws -> DemoModelList {
        let path = (dataDirectory as NSString).appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnalysisError.badDataFile(path: path, reason: "cannot read the demo's list of models")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AnalysisError.store(.invalidInput(InputLocation(file: path), "not UTF-8 text"))
        }
        return try parse(text, file: path)
    }

    /// The listed models whose folder exists under `modelsDirectory` (with its path), and the
    /// names of those whose folder does not, both in file order.
    public func resolve(modelsDirectory: String) -> (present: [(name: String, directory: String)], absent: [String]) {
        var present: [(name: String, directory: String)] = [], absent: [String] = []
        for e in entries {
            let dir = (modelsDirectory as NSString).appendingPathComponent(e.name)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue { present.append((e.name, dir)) } else { absent.append(e.name) }
        }
        return (present, absent)
    }
}

import Foundation

/// A labelled image list, read from an image folder (`root/<class name>/<file>`) or a manifest
/// CSV (`path,label` per line, paths relative to the manifest's folder, optional header).
public struct ImageList: Sendable, Equatable {
    /// One image: its path and the class name it is labelled with (nil when unlabelled).
    public struct Entry: Sendable, Equatable {
        /// The image file's path.
        public var path: String
        /// The label as written (folder name or CSV column).
        public var label: String?
        /// Creates an entry.
        public init(path: String, label: String?) {
            self.path = path
            self.label = label
        }
    }

    /// Images, sorted by path for a stable order.
    public var entries: [Entry]

    /// File extensions taken as images.
    public static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Every image under `root/<class>/`, labelled by its folder name; paths are made absolute.
    public static func imageFolder(_ root: String) throws -> ImageList {
        // Absolute paths, so the store's rows work from any working directory.
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else { throw StoreError.fileNotFound(root) }
        var entries: [Entry] = []
        for label in try fm.contentsOfDirectory(atPath: root).sorted() where !label.hasPrefix(".") {
            let dir = (root as NSString).appendingPathComponent(label)
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { continue }
            for file in try fm.contentsOfDirectory(atPath: dir).sorted() where extensions.contains((file as NSString).pathExtension.lowercased()) {
                entries.append(Entry(path: (dir as NSString).appendingPathComponent(file), label: label))
            }
        }
        if entries.isEmpty { throw StoreError.invalidInput(InputLocation(file: root), "no .jpg/.jpeg/.png images in class folders under this folder") }
        return ImageList(entries: entries)
    }

    /// A manifest CSV: `path,label` per line; a first line starting `path` is a header. Fields
    /// may be quoted (`"a, b.jpg"`, with `""` for a quote inside). A row with only a path is an
    /// unlabelled image; a row whose label is empty is an error (it is usually a mistake).
    ///
    /// Paths are confined: a relative path resolves against the manifest's folder and must stay
    /// inside it (after `..` and symbolic links are resolved), and an absolute path is refused,
    /// unless `allowOutside` — a manifest from elsewhere must not get `/etc/shadow` hashed.
    public static func manifest(_ file: InputFile, allowOutside: Bool = false) throws -> ImageList {
        let baseURL = URL(fileURLWithPath: file.path).standardizedFileURL.deletingLastPathComponent()
        let base = baseURL.path
        let realBase = baseURL.resolvingSymlinksInPath().path
        var entries: [Entry] = []
        for (n, raw) in try file.lines().enumerated() {
            let at = InputLocation(file: file.path, line: n + 1)
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || (n == 0 && line.lowercased().hasPrefix("path")) { continue }
            let cols = try csvFields(line, at: at)
            guard cols.count <= 2 else { throw StoreError.invalidInput(at, "expected path,label; found \(cols.count) columns (quote a path that holds a comma)") }
            guard !cols[0].isEmpty else { throw StoreError.invalidInput(at, "empty image path") }
            if cols.count == 2 && cols[1].isEmpty {
                throw StoreError.invalidInput(at, "empty label for \(cols[0]) (write the path alone for an unlabelled image)")
            }
            let given = cols[0]
            if given.hasPrefix("/") && !allowOutside {
                throw StoreError.invalidInput(at, "absolute path \(given) (paths are relative to the manifest's folder; --allow-outside accepts others)")
            }
            let url = URL(fileURLWithPath: given.hasPrefix("/") ? given : (base as NSString).appendingPathComponent(given)).standardizedFileURL
            if !allowOutside {
                let real = url.resolvingSymlinksInPath().path
                guard real == realBase || real.hasPrefix(realBase.hasSuffix("/") ? realBase : realBase + "/") else {
                    throw StoreError.invalidInput(at, "\(given) is outside the manifest's folder \(base) (--allow-outside accepts it)")
                }
            }
            entries.append(Entry(path: url.path, label: cols.count == 2 ? cols[1] : nil))
        }
        if entries.isEmpty { throw StoreError.invalidInput(InputLocation(file: file.path), "the manifest lists no images") }
        return ImageList(entries: entries)
    }

    /// The fields of one CSV line: comma-separated, each optionally in double quotes with `""`
    /// for a quote; unquoted fields are trimmed.
    static func csvFields(_ line: String, at: InputLocation) throws -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "," {
                fields.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
                field = ""; wasQuoted = false
            } else if c == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty && !wasQuoted {
                field = ""; quoted = true; wasQuoted = true
            } else if wasQuoted {
                guard c == " " || c == "\t" else { throw StoreError.invalidInput(at, "text after a closing quote") }
            } else {
                field.append(c)
            }
        }
        if quoted { throw StoreError.invalidInput(at, "unterminated quote") }
        fields.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
        return fields
    }
}

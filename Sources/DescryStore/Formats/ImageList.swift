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

    /// A manifest CSV: `path,label` per line (label may be empty); a first line `path,label` is a header.
    public static func manifest(_ file: InputFile) throws -> ImageList {
        let base = URL(fileURLWithPath: file.path).standardizedFileURL.deletingLastPathComponent().path
        var entries: [Entry] = []
        for (n, raw) in try file.lines().enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || (n == 0 && line.lowercased().hasPrefix("path")) { continue }
            let cols = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !cols[0].isEmpty else { throw StoreError.invalidInput(InputLocation(file: file.path, line: n + 1), "empty image path") }
            let path = URL(fileURLWithPath: cols[0].hasPrefix("/") ? cols[0] : (base as NSString).appendingPathComponent(cols[0])).standardizedFileURL.path
            let label = cols.count > 1 && !cols[1].isEmpty ? cols[1] : nil
            entries.append(Entry(path: path, label: label))
        }
        if entries.isEmpty { throw StoreError.invalidInput(InputLocation(file: file.path), "the manifest lists no images") }
        return ImageList(entries: entries)
    }
}

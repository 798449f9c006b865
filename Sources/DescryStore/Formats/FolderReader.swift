import Foundation

/// Reads a folder of per-class text files, one description per line, as AdaptCLIPZS publishes
/// them: `Annual Crop.txt`, `Forest.txt`, …; the class is the file's stem.
public enum FolderReader {
    /// Reads every `.txt` file of `folder`, sorted by name (byte order, so the result does not
    /// depend on the file system's listing order). Blank lines are ignored and spaces around a
    /// line trimmed; other files and subfolders are listed in `notes`. A file that is not UTF-8 is an error naming the file,
    /// line and column; with `skipInvalid` the file is left out and listed in `skipped`.
    public static func read(folder: String, skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else { throw StoreError.fileNotFound(folder) }
        guard isDir.boolValue else {
            throw StoreError.invalidInput(InputLocation(file: folder), "import folder takes a folder of per-class .txt files, and this is a file")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw StoreError.fileNotFound(folder)
        }
        var problems = InvalidItems(skipInvalid: skipInvalid)
        var entries: [ClassDescriptionSet.Entry] = []
        var notes: [String] = []
        var hashed: [UInt8] = []
        let base = folder as NSString
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let path = base.appendingPathComponent(name)
            var sub: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &sub)
            if sub.boolValue {
                notes.append("\(path): a folder, not a per-class .txt file; left out")
                continue
            }
            guard name.lowercased().hasSuffix(".txt"), name.count > 4 else {
                notes.append("\(path): not a .txt file; left out")
                continue
            }
            let stem = String(name.dropLast(4))
            let file = try InputFile(path: path)
            // The hash covers each file's name and bytes, so renaming a class changes it too.
            hashed += Array(name.utf8) + [0] + file.bytes + [0]
            let lines: [Substring]
            do { lines = try file.lines() } catch StoreError.notUTF8(let at) {
                try problems.report(at, "the file is not valid UTF-8 text, so class \(Excerpt.quote(stem)) was left out")
                continue
            }
            var items: [ClassDescriptionSet.Item] = []
            for (n, line) in lines.enumerated() where !InvalidItems.isBlank(line) {
                // Surrounding spaces are invisible in a text file and not part of the sentence.
                items.append(.init(text: line.trimmingCharacters(in: .whitespaces), location: InputLocation(file: path, line: n + 1)))
            }
            if items.isEmpty { notes.append("\(path): no descriptions (the file is empty or blank)") }
            entries.append(.init(className: stem, items: items, location: InputLocation(file: path)))
        }
        if entries.isEmpty && problems.skipped.isEmpty {
            throw StoreError.invalidInput(InputLocation(file: folder), "no .txt files in the folder (one file per class, named after the class)")
        }
        var set = ClassDescriptionSet(format: "folder", entries: entries)
        set.skipped = problems.skipped
        set.notes = notes
        set.contentHash = Hashing.sha256Hex(hashed)
        return set
    }
}

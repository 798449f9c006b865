import Foundation

/// Finds the project's `Data/` folder (taxonomy, demo data, prompts): `$DESCRY_DATA`, then
/// `Data/` beside or above the running executable (a checkout's `.build/…/descry`), then
/// `Data/` in or above the current directory.
public enum DataDirectory {
    /// The file whose presence marks a Descry data folder.
    public static let marker = "attribute-taxonomy.json"

    /// The data folder, or an error naming every place tried.
    public static func locate(override: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        var tried: [String] = []
        func check(_ dir: String) -> Bool {
            tried.append(dir)
            return FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(marker))
        }
        if let o = override ?? environment["DESCRY_DATA"], !o.isEmpty {
            if check(o) { return o }
            throw StoreError.fileNotFound("\((o as NSString).appendingPathComponent(marker)) (from --data or DESCRY_DATA)")
        }
        var starts: [String] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path
        starts.append(exe)
        starts.append(FileManager.default.currentDirectoryPath)
        for start in starts {
            var dir = start
            for _ in 0..<6 {
                let candidate = (dir as NSString).appendingPathComponent("Data")
                if check(candidate) { return candidate }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        throw StoreError.notFound("cannot find Descry's Data folder (looked for \(marker) in: \(tried.joined(separator: ", "))); set DESCRY_DATA or pass --data")
    }
}

extension AttributeTaxonomy {
    /// The taxonomy shipped in `Data/attribute-taxonomy.json`.
    public static func shipped(dataDirectory: String) throws -> AttributeTaxonomy {
        try AttributeTaxonomy(contentsOf: (dataDirectory as NSString).appendingPathComponent(DataDirectory.marker))
    }
}

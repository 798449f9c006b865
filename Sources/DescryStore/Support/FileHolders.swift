import Foundation

/// Another process that has a file open, as `/proc` shows it.
public struct FileHolder: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    /// The command line, shortened.
    public var command: String
    public var description: String { "pid \(pid) (\(command))" }
}

/// Which other processes hold a file open: the best answer Linux gives to "who holds the
/// store's write lock" (SQLite's locks do not name their owner). Empty where `/proc` is not
/// readable; bounded to a few thousand processes and a few holders.
public enum FileHolders {
    public static func of(_ paths: [String], limit: Int = 4) -> [FileHolder] {
        let wanted = Set(paths.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path })
        let me = ProcessInfo.processInfo.processIdentifier
        let fm = FileManager.default
        guard let pids = try? fm.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [FileHolder] = []
        for name in pids.prefix(32_768) {
            guard let pid = Int32(name), pid != me else { continue }
            guard let fds = try? fm.contentsOfDirectory(atPath: "/proc/\(name)/fd") else { continue }
            let holds = fds.prefix(4096).contains { fd in
                (try? fm.destinationOfSymbolicLink(atPath: "/proc/\(name)/fd/\(fd)")).map(wanted.contains) ?? false
            }
            guard holds else { continue }
            let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(name)/cmdline"))) ?? Data()
            let command = String(decoding: raw.prefix(400), as: UTF8.self)
                .split(separator: "\0").joined(separator: " ")
            found.append(FileHolder(pid: pid, command: command.count > 120 ? String(command.prefix(120)) + "…" : command))
            if found.count == limit { break }
        }
        return found
    }
}

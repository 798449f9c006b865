import Foundation
#if canImport(Glibc)
import Glibc
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#elseif canImport(Darwin)
import Darwin
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif

/// Why an output file could not be written.
public struct OutputFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Writes output files (exports, reports) whole or not at all, without replacing what the
/// path names: the bytes go to a temporary file beside the target, are flushed to disk and
/// then renamed over it. A symbolic link is written through (its target is replaced, the link
/// stays); a FIFO, device, socket or folder is refused, since renaming over it would turn it
/// into a regular file (`export jsonl /dev/full` once did exactly that, as root, and exited 0).
/// Every write error (ENOSPC, EIO, …) is reported.
public enum OutputFile {
    /// Writes `text` as UTF-8 to `path`, creating missing parent folders.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path`, creating missing parent folders.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        guard !path.isEmpty else { throw OutputFileError(path: path, reason: "empty output path") }
        let target = try resolve(path)
        let dir = (target as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw OutputFileError(path: path, reason: "cannot create the folder \(dir) (\(error.localizedDescription))")
            }
        }
        var st = stat()
        let mode: mode_t = stat(target, &st) == 0 ? (st.st_mode & 0o7777) : 0o644
        let temp = (dir.isEmpty ? "." : dir) + "/.\((target as NSString).lastPathComponent).descry-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw OutputFileError(path: path, reason: "cannot write in \(dir.isEmpty ? "." : dir) (\(errnoText()))") }
        var ok = false
        defer { if !ok { unlink(temp) } }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in buf.baseAddress.map { systemWrite(fd, $0 + written, buf.count - written) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = errnoText()
                close(fd)
                throw OutputFileError(path: path, reason: "write failed (\(reason)); nothing was replaced")
            }
            written += n
        }
        if fsync(fd) != 0 {
            let reason = errnoText()
            close(fd)
            throw OutputFileError(path: path, reason: "flush failed (\(reason)); nothing was replaced")
        }
        if close(fd) != 0 { throw OutputFileError(path: path, reason: "close failed (\(errnoText())); nothing was replaced") }
        guard rename(temp, target) == 0 else {
            throw OutputFileError(path: path, reason: "cannot replace the file (\(errnoText()))")
        }
        ok = true
    }

    /// The regular file `path` stands for: itself, or the end of its chain of symbolic links.
    /// Refuses anything that exists and is not a regular file.
    static func resolve(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {  // the kernel's own limit on link chains
            var st = stat()
            guard lstat(current, &st) == 0 else {
                if errno == ENOENT { return current }
                throw OutputFileError(path: path, reason: "cannot inspect the path (\(errnoText()))")
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG: return current
            case S_IFLNK:
                let dest = try FileManager.default.destinationOfSymbolicLink(atPath: current)
                current = dest.hasPrefix("/") ? dest : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
            case S_IFDIR: throw OutputFileError(path: path, reason: "is a folder; give a file path")
            default: throw OutputFileError(path: path, reason: "is not a regular file (a FIFO, device or socket); refusing to replace it")
            }
        }
        throw OutputFileError(path: path, reason: "too many levels of symbolic links")
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

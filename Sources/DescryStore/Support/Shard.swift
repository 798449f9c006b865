/// One of `count` disjoint parts of a dataset's images, chosen by content: an image belongs
/// to shard `index` when the first 8 bytes of its SHA-256, read as a big-endian unsigned
/// integer, are `index` modulo `count`. Every content lands in exactly one shard, whatever
/// machine computes it and in whatever order the images were registered, so N array-job
/// tasks with `--shard 0/N` … `--shard N-1/N` embed every image once.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// The shard, 0 ≤ index < count.
    public let index: Int
    /// The number of shards, at least 1.
    public let count: Int

    /// A shard; throws when `index` is outside 0..<count or `count` < 1.
    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw ShardError("shard count must be at least 1, got \(count)") }
        guard index >= 0 && index < count else {
            throw ShardError("shard index must be between 0 and \(count - 1) for \(count) shard(s), got \(index)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (`3/8`).
    public static func parse(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError("'\(text)' is not a shard; write I/N with 0 ≤ I < N, e.g. 0/8")
        }
        return try Shard(index: i, count: n)
    }

    /// Which shard of `count` a content hash (hex SHA-256, as `images.content_hash` holds it)
    /// belongs to. A hash shorter than 16 hex digits or not hex (never written by Descry) is
    /// hashed again so it still lands in one shard.
    public static func bucket(contentHash: String, count: Int) -> Int {
        let prefix = contentHash.prefix(16)
        let value = prefix.count == 16 ? UInt64(prefix, radix: 16) : nil
        let v = value ?? UInt64(Hashing.sha256Hex(contentHash).prefix(16), radix: 16) ?? 0
        return Int(v % UInt64(count))
    }

    /// Whether the content with this hash belongs to this shard.
    public func contains(contentHash: String) -> Bool {
        Self.bucket(contentHash: contentHash, count: count) == index
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}

/// A shard specification that is not `I/N` with 0 ≤ I < N.
public struct ShardError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, in words.
    public let description: String
    init(_ description: String) { self.description = description }
}

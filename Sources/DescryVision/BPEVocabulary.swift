/// The immutable tables of a byte-level CLIP BPE: byte → symbol ids, merge ranks, special tokens.
/// Merges are kept in an open-addressing table keyed by the symbol-id pair, because merge lookup
/// is the tokenizer's inner loop.
final class BPEVocabulary: @unchecked Sendable {
    /// Symbol id of each byte inside a word, and at the end of a word (`…</w>`).
    let byteIDs: [Int32]
    /// Symbol id of each byte when it is the last symbol of a word.
    let byteEndIDs: [Int32]
    /// Special token strings (lower-case, as matched in cleaned text) and their ids.
    let specials: [(bytes: [UInt8], id: Int32)]
    /// Id of the start-of-text token.
    let startID: Int32
    /// Id of the end-of-text token.
    let endID: Int32
    /// Number of ids (the embedding table size the model needs).
    let size: Int

    private let keys: [UInt64]
    private let values: [UInt64]
    private let mask: Int

    /// The bytes-to-characters table of GPT-2/CLIP byte-level BPE: printable Latin-1 bytes stand
    /// for themselves, the others are moved to U+0100 onwards in byte order.
    static let byteCharacters: [Unicode.Scalar] = {
        var printable: [Int] = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        for b in printable { table[b] = Unicode.Scalar(UInt32(b))! }
        var n: UInt32 = 0
        for b in 0..<256 where !printable.contains(b) {
            table[b] = Unicode.Scalar(256 + n)!
            n += 1
            printable.append(b)
        }
        return table
    }()

    /// The byte order in which open_clip lists the 256 base symbols.
    static let byteOrder: [Int] = {
        let printable: [Int] = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        return printable + (0..<256).filter { !printable.contains($0) }
    }()

    /// Builds the tables from a string vocabulary and ranked merges.
    /// - Parameters:
    ///   - vocabulary: token string → id.
    ///   - merges: merge pairs in rank order.
    ///   - specials: special token strings, start first and end second.
    ///   - path: the file the data came from, for error messages.
    init(vocabulary: [String: Int32], merges: [(Substring, Substring)], specials: [String], path: String) throws {
        var byteIDs = [Int32](repeating: 0, count: 256)
        var byteEndIDs = [Int32](repeating: 0, count: 256)
        for b in 0..<256 {
            let ch = String(Character(Self.byteCharacters[b]))
            guard let id = vocabulary[ch], let end = vocabulary[ch + "</w>"] else {
                throw VisionError.badVocabulary(path: path, reason: "no symbol for byte \(b) ('\(ch)')")
            }
            byteIDs[b] = id
            byteEndIDs[b] = end
        }
        var capacity = 1
        while capacity < merges.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: .max, count: capacity)
        var values = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (rank, merge) in merges.enumerated() {
            guard let a = vocabulary[String(merge.0)], let b = vocabulary[String(merge.1)],
                  let merged = vocabulary[String(merge.0) + String(merge.1)] else {
                throw VisionError.badVocabulary(
                    path: path, reason: "merge \(rank + 1) ('\(merge.0) \(merge.1)') uses a symbol not in the vocabulary")
            }
            let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
            var slot = Self.hash(key) & mask
            while keys[slot] != .max && keys[slot] != key { slot = (slot + 1) & mask }
            // A repeated merge takes its last rank, as a Python dict built from the list would.
            keys[slot] = key
            values[slot] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged))
        }
        var specialList: [(bytes: [UInt8], id: Int32)] = []
        for name in specials {
            guard let id = vocabulary[name] else {
                throw VisionError.badVocabulary(path: path, reason: "special token '\(name)' is missing")
            }
            specialList.append((Array(name.lowercased().utf8), id))
        }
        guard specialList.count >= 2 else {
            throw VisionError.badVocabulary(path: path, reason: "start and end tokens are required")
        }
        self.byteIDs = byteIDs
        self.byteEndIDs = byteEndIDs
        self.specials = specialList
        self.startID = specialList[0].id
        self.endID = specialList[1].id
        self.size = Int(vocabulary.values.max() ?? 0) + 1
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    @inline(__always)
    private static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29)
    }

    /// The rank and resulting symbol of merging `a` then `b`, or nil when they do not merge.
    @inline(__always)
    func merge(_ a: Int32, _ b: Int32) -> (rank: UInt32, merged: Int32)? {
        let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        var slot = Self.hash(key) & mask
        while true {
            let k = keys[slot]
            if k == key {
                let v = values[slot]
                return (UInt32(truncatingIfNeeded: v >> 32), Int32(bitPattern: UInt32(truncatingIfNeeded: v)))
            }
            if k == .max { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Applies BPE to one pre-token (its UTF-8 bytes) and appends the resulting ids.
    /// `word` is scratch space reused across calls.
    func encodeWord(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [Int32], word: inout [Int32]) {
        word.removeAll(keepingCapacity: true)
        for b in bytes { word.append(byteIDs[Int(b)]) }
        guard let lastByte = bytes.last else { return }
        word[word.count - 1] = byteEndIDs[Int(lastByte)]
        var n = word.count
        word.withUnsafeMutableBufferPointer { w in
            while n > 1 {
                var bestRank = UInt32.max
                var bestIndex = -1
                var bestMerged: Int32 = 0
                for i in 0..<(n - 1) {
                    if let m = merge(w[i], w[i + 1]), m.rank < bestRank {
                        bestRank = m.rank; bestIndex = i; bestMerged = m.merged
                    }
                }
                if bestIndex < 0 { break }
                // Merge every non-overlapping occurrence of the best pair, left to right.
                let first = w[bestIndex], second = w[bestIndex + 1]
                var read = bestIndex, write = bestIndex
                while read < n {
                    if read < n - 1 && w[read] == first && w[read + 1] == second {
                        w[write] = bestMerged; read += 2
                    } else {
                        w[write] = w[read]; read += 1
                    }
                    write += 1
                }
                n = write
            }
        }
        out.append(contentsOf: word[0..<n])
    }
}

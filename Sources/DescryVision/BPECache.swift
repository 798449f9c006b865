/// A merge cache: pre-token bytes → BPE ids. Words repeat a lot in descriptions, so most
/// pre-tokens skip BPE entirely. Open addressing over flat arenas, no per-entry allocation.
/// Not thread-safe: each worker owns one.
struct BPECache {
    private var slots: [Int32]          // entry index + 1, 0 = empty
    private var hashes: [UInt64] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var valueStart: [Int32] = []
    private var valueLength: [Int32] = []
    private var keyBytes: [UInt8] = []
    private var valueIDs: [Int32] = []
    private var mask: Int
    /// Entries kept before the cache starts over, bounding its memory.
    let limit: Int

    /// An empty cache holding at most `limit` words.
    init(limit: Int = 1 << 18) {
        self.limit = limit
        slots = [Int32](repeating: 0, count: 1 << 12)
        mask = (1 << 12) - 1
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// Appends the cached ids of `bytes` to `out` and returns true, or returns false on a miss.
    @inline(__always)
    mutating func lookup(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) -> Bool {
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot]) - 1
            if e < 0 { return false }
            if hashes[e] == h && Int(keyLength[e]) == bytes.count {
                let start = Int(keyStart[e])
                var equal = true
                for i in 0..<bytes.count where keyBytes[start + i] != bytes[i] { equal = false; break }
                if equal {
                    let vs = Int(valueStart[e])
                    out.append(contentsOf: valueIDs[vs..<(vs + Int(valueLength[e]))])
                    return true
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers the ids of `bytes`.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, ids: ArraySlice<Int32>) {
        if hashes.count >= limit { self = BPECache(limit: limit) }
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        hashes.append(h)
        keyStart.append(Int32(keyBytes.count))
        keyLength.append(Int32(bytes.count))
        keyBytes.append(contentsOf: bytes)
        valueStart.append(Int32(valueIDs.count))
        valueLength.append(Int32(ids.count))
        valueIDs.append(contentsOf: ids)
        slots[slot] = Int32(hashes.count)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e + 1)
        }
    }
}

/// FuDD's pair sentences in flat arrays: an open-addressing hash table from a class pair to a
/// range of one shared row list. A dictionary of arrays costs a few cache misses per lookup
/// (its table, then each array's own allocation); with ~10⁵ pairs and 90 lookups per image that
/// was most of the re-ranking's time.
struct PairTable: Sendable {
    /// One pair: its key (lo << 32 | hi; `empty` when free) and where its rows are in `rows`
    /// (the lo side's `loCount` rows, then the hi side's `hiCount`).
    struct Entry: Sendable {
        var key: UInt64
        var start: Int32
        var loCount: Int32
        var hiCount: Int32
    }

    static let empty = UInt64.max
    private var entries: [Entry]
    private var rows: [Int32]
    private let shift: UInt64

    /// A table of `pairs` (each side's rows in order).
    init(_ pairs: [PairKey: (lo: [Int], hi: [Int])]) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * max(pairs.count, 1) { bits += 1 }
        shift = 64 - bits
        entries = [Entry](repeating: Entry(key: Self.empty, start: 0, loCount: 0, hiCount: 0), count: 1 << Int(bits))
        rows = []
        rows.reserveCapacity(pairs.values.reduce(0) { $0 + $1.lo.count + $1.hi.count })
        // Sorted so the layout (and the memory it touches) does not depend on hash order.
        for (key, p) in pairs.sorted(by: { $0.key < $1.key }) {
            let k = Self.key(key.lo, key.hi)
            var slot = slotFor(k)
            while entries[slot].key != Self.empty { slot = (slot + 1) & (entries.count - 1) }
            entries[slot] = Entry(key: k, start: Int32(rows.count), loCount: Int32(p.lo.count), hiCount: Int32(p.hi.count))
            rows.append(contentsOf: p.lo.map { Int32($0) })
            rows.append(contentsOf: p.hi.map { Int32($0) })
        }
    }

    @inline(__always)
    static func key(_ lo: Int, _ hi: Int) -> UInt64 { UInt64(UInt32(truncatingIfNeeded: lo)) << 32 | UInt64(UInt32(truncatingIfNeeded: hi)) }

    @inline(__always)
    private func slotFor(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The entry of the pair (a, b) in either order, if it has one.
    @inline(__always)
    func find(_ a: Int, _ b: Int) -> Entry? {
        let k = Self.key(min(a, b), max(a, b))
        var slot = slotFor(k)
        while true {
            let e = entries[slot]
            if e.key == k { return e }
            if e.key == Self.empty { return nil }
            slot = (slot + 1) & (entries.count - 1)
        }
    }

    /// Where class `c`'s side of the pair with `other` lies in `rows`: (start, count); count 0
    /// when the pair has no sentences for that side.
    @inline(__always)
    func side(of c: Int, with other: Int) -> (start: Int, count: Int) {
        guard let e = find(c, other) else { return (0, 0) }
        return c < other ? (Int(e.start), Int(e.loCount)) : (Int(e.start + e.loCount), Int(e.hiCount))
    }

    /// Row `i` of the shared list.
    @inline(__always)
    func row(_ i: Int) -> Int { Int(rows[i]) }
}

/// The same sentences by class, for the batched re-ranking: class `c`'s partners (the classes
/// it forms a pair with where its own side has sentences) in one run, each with its side's
/// rows, laid out class after class. While the re-ranking works through one class's slots,
/// all of that class's pair data is a few hot kilobytes instead of lookups scattered over the
/// whole pair table.
struct ClassSides: Sendable {
    /// Class `c`'s partners are `partner[partnerStart[c]..<partnerStart[c + 1]]`.
    let partnerStart: [Int]
    /// A partner class, and where its side's rows are in `rows` (start, then count).
    let partner: [Int32]
    let sideStart: [Int32]
    let sideCount: [Int32]
    /// The sides' sentence rows, class after class, each side in order.
    let rows: [Int32]

    /// The sides of `pairs` (each side's rows in order) for `classCount` classes.
    init(_ pairs: [PairKey: (lo: [Int], hi: [Int])], classCount: Int) {
        var perClass = [[(other: Int, rows: [Int])]](repeating: [], count: classCount)
        for (key, p) in pairs {
            if !p.lo.isEmpty { perClass[key.lo].append((key.hi, p.lo)) }
            if !p.hi.isEmpty { perClass[key.hi].append((key.lo, p.hi)) }
        }
        var start = [0], partner: [Int32] = [], sideStart: [Int32] = [], sideCount: [Int32] = [], rows: [Int32] = []
        for list in perClass {
            // Sorted so the layout does not depend on hash order.
            for (other, r) in list.sorted(by: { $0.other < $1.other }) {
                partner.append(Int32(other))
                sideStart.append(Int32(rows.count))
                sideCount.append(Int32(r.count))
                rows.append(contentsOf: r.map { Int32($0) })
            }
            start.append(partner.count)
        }
        self.partnerStart = start
        self.partner = partner
        self.sideStart = sideStart
        self.sideCount = sideCount
        self.rows = rows
    }
}

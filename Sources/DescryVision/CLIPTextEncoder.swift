/// One worker's text-to-ids machinery: open_clip's pre-tokenizer written out by hand over bytes
/// (ASCII fast path) or scalars, plus a merge cache and scratch buffers. Not thread-safe; the
/// tokenizer gives each thread its own.
struct CLIPTextEncoder {
    let vocabulary: BPEVocabulary
    private var cache = BPECache()
    private var word: [Int32] = []
    private var bytes: [UInt8] = []
    private var tokenBytes: [UInt8] = []

    init(vocabulary: BPEVocabulary) {
        self.vocabulary = vocabulary
        word.reserveCapacity(64)
        bytes.reserveCapacity(512)
        tokenBytes.reserveCapacity(64)
    }

    /// Appends the BPE ids of `text` (no start/end tokens) to `out`.
    mutating func encode(_ text: String, into out: inout [Int32]) {
        var text = text
        let fast: Bool = text.withUTF8 { utf8 in
            for b in utf8 {
                if b >= 0x20 && b < 0x7F { if b == 0x26 { return false } else { continue } }  // '&'
                if b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D { continue }
                return false
            }
            return true
        }
        if fast {
            // Plain ASCII without entities or control characters: ftfy and html.unescape change
            // nothing, so cleaning reduces to lower-casing.
            bytes.removeAll(keepingCapacity: true)
            text.withUTF8 { utf8 in
                for b in utf8 { bytes.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            }
            scanASCII(into: &out)
        } else {
            scanScalars(CLIPTextCleaner.cleanedScalars(text), into: &out)
        }
    }

    // MARK: pre-tokenizer, ASCII

    @inline(__always)
    private static func asciiClass(_ b: UInt8) -> UInt8 {
        // 0 space, 1 letter, 2 digit, 3 other
        if b >= 0x61 && b <= 0x7A { return 1 }
        if b >= 0x30 && b <= 0x39 { return 2 }
        if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D || b == 0x0B { return 0 }
        if b >= 0x1C && b <= 0x1F { return 0 }
        return 3
    }

    private mutating func scanASCII(into out: inout [Int32]) {
        let n = bytes.count
        var i = 0
        while i < n {
            let c = bytes[i]
            let cls = Self.asciiClass(c)
            if cls == 0 { i += 1; continue }
            if let (id, length) = matchSpecial(at: i, count: n, { self.bytes[$0] }) {
                out.append(id); i += length; continue
            }
            if c == 0x27, let length = contractionLength(at: i, count: n, { UInt32(self.bytes[$0]) }) {
                emitBytes(i, i + length, into: &out); i += length; continue
            }
            var j = i + 1
            switch cls {
            case 1: while j < n && Self.asciiClass(bytes[j]) == 1 { j += 1 }
            case 2: break
            default: while j < n && Self.asciiClass(bytes[j]) == 3 { j += 1 }
            }
            emitBytes(i, j, into: &out)
            i = j
        }
    }

    private mutating func emitBytes(_ start: Int, _ end: Int, into out: inout [Int32]) {
        tokenBytes.removeAll(keepingCapacity: true)
        tokenBytes.append(contentsOf: bytes[start..<end])
        emitToken(into: &out)
    }

    /// BPE for the pre-token in `tokenBytes`, through the cache.
    private mutating func emitToken(into out: inout [Int32]) {
        tokenBytes.withUnsafeBufferPointer { token in
            if cache.lookup(token, into: &out) { return }
            let start = out.count
            vocabulary.encodeWord(token, into: &out, word: &word)
            cache.insert(token, ids: out[start...])
        }
    }

    /// open_clip's pattern lists the special tokens first, so they win at any match start.
    @inline(__always)
    private func matchSpecial(at i: Int, count n: Int, _ at: (Int) -> UInt8) -> (Int32, Int)? {
        for special in vocabulary.specials where special.bytes.first == at(i) {
            let length = special.bytes.count
            guard i + length <= n else { continue }
            var k = 1
            while k < length && at(i + k) == special.bytes[k] { k += 1 }
            if k == length { return (special.id, length) }
        }
        return nil
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d`, matched case-insensitively as the reference does (so the long
    /// s, which case-folds to s, also counts).
    @inline(__always)
    private func contractionLength(at i: Int, count n: Int, _ at: (Int) -> UInt32) -> Int? {
        guard i + 1 < n else { return nil }
        let d = at(i + 1)
        if d == 0x73 || d == 0x17F || d == 0x74 || d == 0x6D || d == 0x64 { return 2 }
        guard i + 2 < n else { return nil }
        let e = at(i + 2)
        if (d == 0x72 && e == 0x65) || (d == 0x76 && e == 0x65) || (d == 0x6C && e == 0x6C) { return 3 }
        return nil
    }

    // MARK: pre-tokenizer, Unicode

    @inline(__always)
    private static func scalarClass(_ s: Unicode.Scalar) -> UInt8 {
        if s.value < 0x80 { return asciiClass(UInt8(s.value)) }
        if CLIPTextCleaner.isPythonSpace(s) { return 0 }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return 1
        case .decimalNumber, .letterNumber, .otherNumber: return 2
        default: return 3
        }
    }

    private mutating func scanScalars(_ text: [Unicode.Scalar], into out: inout [Int32]) {
        let n = text.count
        let classes = text.map(Self.scalarClass)
        var i = 0
        while i < n {
            let cls = classes[i]
            if cls == 0 { i += 1; continue }
            if text[i].value < 0x80,
               let (id, length) = matchSpecial(at: i, count: n, { text[$0].value < 0x80 ? UInt8(text[$0].value) : 0 }) {
                out.append(id); i += length; continue
            }
            if text[i] == "'", let length = contractionLength(at: i, count: n, { text[$0].value }) {
                emitScalars(text[i..<(i + length)], into: &out); i += length; continue
            }
            var j = i + 1
            switch cls {
            case 1: while j < n && classes[j] == 1 { j += 1 }
            case 2: break
            default: while j < n && classes[j] == 3 { j += 1 }
            }
            emitScalars(text[i..<j], into: &out)
            i = j
        }
    }

    private mutating func emitScalars(_ scalars: ArraySlice<Unicode.Scalar>, into out: inout [Int32]) {
        tokenBytes.removeAll(keepingCapacity: true)
        for s in scalars { tokenBytes.append(contentsOf: UTF8.encode(s)!) }
        emitToken(into: &out)
    }
}

/// Finds the first byte that breaks UTF-8, so a non-UTF-8 file is reported with a position.
enum UTF8Validation {
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let len: Int
            var minScalar: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: len = 2; scalar = UInt32(b & 0x1F); minScalar = 0x80
            case 0xE0...0xEF: len = 3; scalar = UInt32(b & 0x0F); minScalar = 0x800
            case 0xF0...0xF4: len = 4; scalar = UInt32(b & 0x07); minScalar = 0x10000
            default: return i
            }
            guard i + len <= n else { return i }
            for j in 1..<len {
                let c = bytes[i + j]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            minScalar = 0
            i += len
        }
        return nil
    }
}

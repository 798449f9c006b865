/// NumPy's `.npy` format, version 1.0, for float32 arrays: the magic string, a little-endian
/// header length, a Python dict literal padded with spaces and a newline to a multiple of 64
/// bytes, then the values in C order, little-endian.
public enum NPYFile {
    /// The bytes of a C-ordered float32 array of `shape` holding `values`.
    public static func float32(shape: [Int], values: [Float]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "NPY values do not fill the shape")
        let dims = shape.map(String.init).joined(separator: ", ")
        let shapeText = shape.count == 1 ? "(\(dims),)" : "(\(dims))"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // magic (6) + version (2) + header length (2) + header + "\n" ≡ 0 mod 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let n = UInt16(header.utf8.count)
        out += [UInt8(n & 0xff), UInt8(n >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}

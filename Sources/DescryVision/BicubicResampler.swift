/// Bicubic resampling computed the way PIL's `Image.resize(size, Image.BICUBIC)` computes it for
/// 8-bit images, so CLIP sees the same pixels as with the Python preprocessing:
///
/// - a separable filter (horizontal pass first, rounded to 8 bits, then vertical), cubic
///   convolution with a = −0.5 and support 2;
/// - when downscaling, the filter is stretched by the scale factor (antialiasing);
/// - each output pixel's weights are normalized to sum to 1, then quantized to fixed point
///   with 22 fractional bits (rounded half away from zero); sums start at one half and are
///   shifted back and clamped to 0…255.
///
/// Only the output pixels inside `region` are computed, which is how a center crop skips most
/// of the work; their values are those of the full resize.
enum BicubicResampler {
    static let precisionBits = 22

    /// Fixed-point weights for one axis.
    struct Coefficients {
        /// First input index per output index.
        var start: [Int]
        /// Number of weights per output index.
        var count: [Int]
        /// `kernelSize` weights per output index.
        var weights: [Int32]
        /// Stride of `weights`.
        var kernelSize: Int
    }

    @inline(__always)
    static func cubic(_ value: Double) -> Double {
        let a = -0.5
        let x = abs(value)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    static func coefficients(inSize: Int, outSize: Int) -> Coefficients {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = 2 * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        var start = [Int](repeating: 0, count: outSize)
        var count = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * kernelSize)
        var w = [Double](repeating: 0, count: kernelSize)
        let inverse = 1 / filterScale
        let one = Double(1 << precisionBits)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            // C's (int) cast truncates toward zero; clamping follows.
            var xmin = Int(center - support + 0.5)
            if xmin < 0 { xmin = 0 }
            var xmax = Int(center + support + 0.5)
            if xmax > inSize { xmax = inSize }
            xmax -= xmin
            var total = 0.0
            for x in 0..<xmax {
                w[x] = cubic((Double(x + xmin) - center + 0.5) * inverse)
                total += w[x]
            }
            for x in 0..<xmax {
                let k = total != 0 ? w[x] / total : w[x]
                weights[xx * kernelSize + x] = Int32(k < 0 ? -0.5 + k * one : 0.5 + k * one)
            }
            start[xx] = xmin
            count[xx] = xmax
        }
        return Coefficients(start: start, count: count, weights: weights, kernelSize: kernelSize)
    }

    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 {
        let v = sum >> precisionBits
        return v < 0 ? 0 : (v > 255 ? 255 : UInt8(v))
    }

    /// Resizes `image` to `width × height` and returns only the pixels in columns
    /// `x0..<x0+cropWidth` and rows `y0..<y0+cropHeight` of the result.
    static func resize(_ image: RGBImage, width: Int, height: Int,
                       cropX x0: Int, cropY y0: Int, cropWidth: Int, cropHeight: Int) -> RGBImage {
        let needH = width != image.width
        let needV = height != image.height
        let h = needH ? coefficients(inSize: image.width, outSize: width) : nil
        let v = needV ? coefficients(inSize: image.height, outSize: height) : nil

        // Rows of the source the vertical pass will read for the cropped output rows.
        let firstRow = v.map { $0.start[y0] } ?? y0
        let lastRow = v.map { c in (y0..<(y0 + cropHeight)).map { c.start[$0] + c.count[$0] }.max() ?? firstRow } ?? (y0 + cropHeight)
        let rows = lastRow - firstRow

        // Horizontal pass over those rows, cropped columns only. Sums fit in Int32: weights
        // are below 2^23 in magnitude and their absolute sum stays under 2 × 2^22.
        var temp = [UInt8](repeating: 0, count: rows * cropWidth * 3)
        image.pixels.withUnsafeBufferPointer { src in
            temp.withUnsafeMutableBufferPointer { dst in
                guard let h else {
                    for r in 0..<rows {
                        let inRow = (firstRow + r) * image.width * 3 + x0 * 3
                        for i in 0..<(cropWidth * 3) { dst[r * cropWidth * 3 + i] = src[inRow + i] }
                    }
                    return
                }
                // The source block is transposed first (each needed column becomes a run of
                // `rows * 3` contiguous bytes), so the multiply-add loop runs over contiguous
                // memory for every output column and the compiler can vectorize it.
                let colFirst = h.start[x0]
                let colLast = (x0..<(x0 + cropWidth)).map { h.start[$0] + h.count[$0] }.max() ?? colFirst
                let colStride = rows * 3
                let width3 = image.width * 3
                var transposed = [UInt8](repeating: 0, count: max(colLast - colFirst, 0) * colStride)
                var accumulator = [Int32](repeating: 0, count: colStride)
                transposed.withUnsafeMutableBufferPointer { tb in
                    let t = tb.baseAddress!
                    for r in 0..<rows {
                        let row = src.baseAddress! + (firstRow + r) * width3 + colFirst * 3
                        var q = t + r * 3
                        for x in 0..<(colLast - colFirst) {
                            q[0] = row[x * 3]; q[1] = row[x * 3 + 1]; q[2] = row[x * 3 + 2]
                            q += colStride
                        }
                    }
                }
                transposed.withUnsafeBufferPointer { tb in
                    accumulator.withUnsafeMutableBufferPointer { ab in
                        h.weights.withUnsafeBufferPointer { weights in
                            let t = tb.baseAddress!, acc = ab.baseAddress!, out = dst.baseAddress!
                            let outStride = cropWidth * 3
                            for ox in 0..<cropWidth {
                                let xx = x0 + ox
                                let n = h.count[xx], k = xx * h.kernelSize
                                let first = h.start[xx] - colFirst
                                for j in 0..<colStride { acc[j] = 1 << (precisionBits - 1) }
                                for i in 0..<n {
                                    let w = weights[k + i]
                                    let column = t + (first + i) * colStride
                                    for j in 0..<colStride { acc[j] &+= Int32(column[j]) &* w }
                                }
                                var o = out + ox * 3
                                for r in 0..<rows {
                                    o[0] = clip8(Int(acc[r * 3]))
                                    o[1] = clip8(Int(acc[r * 3 + 1]))
                                    o[2] = clip8(Int(acc[r * 3 + 2]))
                                    o += outStride
                                }
                            }
                        }
                    }
                }
            }
        }
        guard let v else {
            // temp already holds rows y0..<y0+cropHeight.
            return RGBImage(width: cropWidth, height: cropHeight, pixels: temp)
        }
        // Vertical pass, a whole output row at a time so the inner loop runs over contiguous
        // bytes (and vectorizes).
        let stride = cropWidth * 3
        var out = [UInt8](repeating: 0, count: cropWidth * cropHeight * 3)
        var accumulator = [Int32](repeating: 0, count: stride)
        temp.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                accumulator.withUnsafeMutableBufferPointer { ab in
                    // Plain pointers with 0-based indices: no overflow-checked index arithmetic
                    // in the inner loop, so it vectorizes.
                    let acc = ab.baseAddress!
                    for oy in 0..<cropHeight {
                        let yy = y0 + oy
                        let s = v.start[yy] - firstRow, n = v.count[yy], k = yy * v.kernelSize
                        for i in 0..<stride { acc[i] = 1 << (precisionBits - 1) }
                        for j in 0..<n {
                            let w = v.weights[k + j]
                            let row = src.baseAddress! + (s + j) * stride
                            for i in 0..<stride { acc[i] &+= Int32(row[i]) &* w }
                        }
                        let out = dst.baseAddress! + oy * stride
                        for i in 0..<stride { out[i] = clip8(Int(acc[i])) }
                    }
                }
            }
        }
        return RGBImage(width: cropWidth, height: cropHeight, pixels: out)
    }
}

/// CLIP image preprocessing: resize (bicubic, exactly as PIL), center crop, scale to [0, 1],
/// normalize with per-channel mean and standard deviation, channels first.
///
/// With the defaults this is open_clip's and Hugging Face's CLIP preprocessing for RGB and
/// grayscale images. Images are converted to RGB before resizing (Hugging Face's order); open_clip
/// resizes first, which only differs for images with alpha (PIL resizes those premultiplied) and
/// palette images (PIL resizes those with nearest neighbour).
public struct CLIPPreprocessor: Sendable, Equatable {
    /// How the image is brought to ``size``.
    public enum ResizeMode: String, Sendable, Codable {
        /// Shortest side to `size` (the long side truncated as torchvision does), then center crop.
        case shortestSide = "shortest"
        /// Both sides to `size`, ignoring the aspect ratio (open_clip's `squash`).
        case squash
    }

    /// How a half-pixel center-crop offset is rounded.
    public enum CropRounding: String, Sendable, Codable {
        /// torchvision's `CenterCrop` (open_clip): `round((h - size) / 2)`, halves to even.
        case halfToEven = "round"
        /// Hugging Face's `CLIPImageProcessor`: `(h - size) // 2`.
        case floor
    }

    /// Output side length (224 for ViT-B/32).
    public var size: Int
    /// Resize mode.
    public var resizeMode: ResizeMode
    /// Center-crop rounding.
    public var cropRounding: CropRounding
    /// Per-channel mean (after scaling to [0, 1]).
    public var mean: [Float]
    /// Per-channel standard deviation.
    public var std: [Float]

    /// OpenAI CLIP's normalization constants.
    public static let clipMean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    /// OpenAI CLIP's normalization constants.
    public static let clipStd: [Float] = [0.26862954, 0.26130258, 0.27577711]

    /// A preprocessor; the defaults are OpenAI CLIP's.
    public init(size: Int = 224, resizeMode: ResizeMode = .shortestSide, cropRounding: CropRounding = .halfToEven,
                mean: [Float] = CLIPPreprocessor.clipMean, std: [Float] = CLIPPreprocessor.clipStd) {
        self.size = size
        self.resizeMode = resizeMode
        self.cropRounding = cropRounding
        self.mean = mean
        self.std = std
    }

    /// Floats per preprocessed image (`3 * size * size`).
    public var tensorCount: Int { 3 * size * size }

    /// The resized and cropped 8-bit image (what PIL would hand to `ToTensor`).
    public func resizedAndCropped(_ image: RGBImage) throws -> RGBImage {
        guard size > 0, image.width > 0, image.height > 0 else {
            throw VisionError.invalidArgument("cannot preprocess a \(image.width)x\(image.height) image to size \(size)")
        }
        var width = size, height = size
        if resizeMode == .shortestSide {
            if image.width <= image.height {
                height = Int(Double(size) * Double(image.height) / Double(image.width))
            } else {
                width = Int(Double(size) * Double(image.width) / Double(image.height))
            }
        }
        let x0 = cropOffset(width), y0 = cropOffset(height)
        return BicubicResampler.resize(image, width: width, height: height,
                                       cropX: x0, cropY: y0, cropWidth: size, cropHeight: size)
    }

    private func cropOffset(_ length: Int) -> Int {
        let diff = length - size
        switch cropRounding {
        case .floor: return diff / 2
        case .halfToEven: return Int((Double(diff) / 2).rounded(.toNearestOrEven))
        }
    }

    /// The model input for one image: `3 × size × size` floats, channels first.
    public func tensor(_ image: RGBImage) throws -> [Float] {
        var out = [Float](repeating: 0, count: tensorCount)
        try out.withUnsafeMutableBufferPointer { try write(image, into: $0) }
        return out
    }

    /// Writes the model input for one image into `buffer` (at least ``tensorCount`` floats).
    public func write(_ image: RGBImage, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        guard buffer.count >= tensorCount, mean.count == 3, std.count == 3 else {
            throw VisionError.invalidArgument("preprocess buffer too small or mean/std not 3 values")
        }
        let cropped = try resizedAndCropped(image)
        let plane = size * size
        // One table per channel: byte → normalized float, so the loop is a lookup.
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 { for v in 0..<256 { table[c * 256 + v] = (Float(v) / 255 - mean[c]) / std[c] } }
        cropped.pixels.withUnsafeBufferPointer { px in
            table.withUnsafeBufferPointer { t in
                let out = buffer.baseAddress!, src = px.baseAddress!, lookup = t.baseAddress!
                for i in 0..<plane {
                    let p = src + i * 3
                    out[i] = lookup[Int(p[0])]
                    out[plane + i] = lookup[256 + Int(p[1])]
                    out[2 * plane + i] = lookup[512 + Int(p[2])]
                }
            }
        }
    }
}

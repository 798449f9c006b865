import CVisionSupport
import Foundation

/// Decodes JPEG (libjpeg-turbo) and PNG (libpng) files to 8-bit RGB. Any failure — a corrupt,
/// truncated or unsupported file — is a ``VisionError/badImage(path:reason:)`` for that file.
public struct ImageDecoder: Sendable {
    /// When set, JPEGs are decoded with libjpeg's DCT scaling (1/2, 1/4 or 1/8) as long as the
    /// shorter side stays at least this many pixels. Much faster for very large photos, but the
    /// pixels differ from a full decode followed by resizing, so it is off by default.
    public var jpegScalingMinimumSide: Int?

    /// Images with more pixels than this are refused before decoding (a decompression-bomb
    /// guard); the default is PIL's error threshold, 2 × 89,478,485. 0 disables the check.
    public var maximumPixels: Int

    /// PIL's `DecompressionBombError` threshold.
    public static let defaultMaximumPixels = 2 * 89_478_485

    /// A decoder; pass `jpegScalingMinimumSide` to opt in to DCT scaling.
    public init(jpegScalingMinimumSide: Int? = nil, maximumPixels: Int = ImageDecoder.defaultMaximumPixels) {
        self.jpegScalingMinimumSide = jpegScalingMinimumSide
        self.maximumPixels = maximumPixels
    }

    /// Reads and decodes the image file at `url`.
    public func decode(contentsOf url: URL) throws -> RGBImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw VisionError.unreadableFile(path: url.path, reason: exists ? error.localizedDescription : "no such file")
        }
        return try decode(data, path: url.path)
    }

    /// Decodes an image held in memory; `path` only names it in errors.
    public func decode(_ data: Data, path: String = "<memory>") throws -> RGBImage {
        guard data.count >= 8 else {
            throw VisionError.badImage(path: path, reason: data.isEmpty ? "file is empty" : "file is too short to be an image")
        }
        var image = descry_rgb_image(pixels: nil, width: 0, height: 0)
        var message = [CChar](repeating: 0, count: 256)
        let isJPEG = data[data.startIndex] == 0xFF && data[data.startIndex + 1] == 0xD8
        let isPNG = data.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        guard isJPEG || isPNG else {
            throw VisionError.badImage(path: path, reason: "unsupported format (only JPEG and PNG are read)")
        }
        let rc: Int32 = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self).baseAddress
            let limit = UInt64(max(maximumPixels, 0))
            if isPNG { return descry_png_decode(bytes, raw.count, limit, &image, &message, message.count) }
            var denominator: Int32 = 1
            if let minimum = jpegScalingMinimumSide, minimum > 0 {
                var w: Int32 = 0, h: Int32 = 0
                if descry_jpeg_size(bytes, raw.count, &w, &h, &message, message.count) == 0 {
                    let short = Int(min(w, h))
                    for d in [8, 4, 2] where (short + d - 1) / d >= minimum { denominator = Int32(d); break }
                }
            }
            return descry_jpeg_decode(bytes, raw.count, denominator, limit, &image, &message, message.count)
        }
        guard rc == 0, let pixels = image.pixels else {
            let reason = String(cString: message)
            throw VisionError.badImage(path: path, reason: reason.isEmpty ? "decoder failed" : reason)
        }
        defer { descry_rgb_image_free(&image) }
        let count = Int(image.width) * Int(image.height) * 3
        return RGBImage(width: Int(image.width), height: Int(image.height),
                        pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}

import DescryVision
import Foundation
import XCTest

final class CLIPPreprocessorTests: XCTestCase {
    struct Tensor: Decodable { let file: String; let size: Int; let sum: Double; let samples: [[Double]] }
    struct Fixture: Decodable { let tensor: Tensor }

    func testPixelsMatchPILWithinOneLevel() throws {
        let decoder = ImageDecoder()
        for c in try ImageDecoderTests.cases() {
            let image = try decoder.decode(contentsOf: TestSupport.fixture("images/" + c.file))
            let pre = CLIPPreprocessor(size: c.size, cropRounding: c.rounding == "floor" ? .floor : .halfToEven)
            let ours = try pre.resizedAndCropped(image)
            let reference = [UInt8](try Data(contentsOf: TestSupport.fixture("images/" + c.reference)))
            XCTAssertEqual(ours.pixels.count, reference.count, c.file)
            var maxDiff = 0, differing = 0
            for (a, b) in zip(ours.pixels, reference) {
                let d = abs(Int(a) - Int(b))
                maxDiff = max(maxDiff, d)
                if d > 0 { differing += 1 }
            }
            XCTAssertLessThanOrEqual(maxDiff, 1, "\(c.file): max difference \(maxDiff) levels")
            // The algorithm is PIL's, so in practice the bytes are identical.
            XCTAssertEqual(differing, 0, "\(c.file): \(differing) bytes differ from PIL")
        }
    }

    func testCropRoundingDiffers() throws {
        let image = try ImageDecoder().decode(contentsOf: TestSupport.fixture("images/odd-crop.png"))
        let even = try CLIPPreprocessor(size: 40, cropRounding: .halfToEven).resizedAndCropped(image)
        let floor = try CLIPPreprocessor(size: 40, cropRounding: .floor).resizedAndCropped(image)
        XCTAssertNotEqual(even, floor)
        // 67 wide, 40 out: offset 13.5 rounds to 14 (even) or 13 (floor); no resize needed.
        XCTAssertEqual(Array(even.pixels[0..<3]), Array(image.pixels[(14 * 3)..<(14 * 3 + 3)]))
        XCTAssertEqual(Array(floor.pixels[0..<3]), Array(image.pixels[(13 * 3)..<(13 * 3 + 3)]))
    }

    func testNormalizedTensorMatchesOpenCLIP() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestSupport.fixture("images/cases.json")))
        let image = try ImageDecoder().decode(contentsOf: TestSupport.fixture("images/" + fixture.tensor.file))
        let tensor = try CLIPPreprocessor(size: fixture.tensor.size).tensor(image)
        XCTAssertEqual(tensor.count, 3 * 48 * 48)
        for sample in fixture.tensor.samples {
            XCTAssertEqual(Double(tensor[Int(sample[0])]), sample[1], accuracy: 1e-6)
        }
        XCTAssertEqual(tensor.reduce(0.0) { $0 + Double($1) }, fixture.tensor.sum, accuracy: 1e-2)
    }

    func testSquashAndInvalidSizes() throws {
        let image = RGBImage(width: 4, height: 2, pixels: [UInt8](repeating: 200, count: 24))
        let squashed = try CLIPPreprocessor(size: 3, resizeMode: .squash).resizedAndCropped(image)
        XCTAssertEqual(squashed.pixels, [UInt8](repeating: 200, count: 27))   // a flat image stays flat
        XCTAssertThrowsError(try CLIPPreprocessor(size: 0).tensor(image))
        XCTAssertThrowsError(try CLIPPreprocessor().tensor(RGBImage(width: 0, height: 0, pixels: [])))
    }
}

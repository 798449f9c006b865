import DescryVision
import Foundation
import XCTest

final class ImageDecoderTests: XCTestCase {
    struct Case: Decodable {
        let file: String, size: Int, rounding: String, reference: String
        let width: Int, height: Int, mode: String
        let decoded_sum: Int
    }
    struct Cases: Decodable { let cases: [Case] }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode(Cases.self, from: Data(contentsOf: TestSupport.fixture("images/cases.json"))).cases
    }

    func testDecodesEveryKindToRGBAsPIL() throws {
        let decoder = ImageDecoder()
        for c in try Self.cases() {
            let image = try decoder.decode(contentsOf: TestSupport.fixture("images/" + c.file))
            XCTAssertEqual(image.width, c.width, c.file)
            XCTAssertEqual(image.height, c.height, c.file)
            // PIL's convert("RGB") of the same file: identical pixels give the identical sum.
            XCTAssertEqual(image.pixels.reduce(0) { $0 + Int($1) }, c.decoded_sum, "\(c.file) (\(c.mode))")
        }
    }

    func testBrokenFilesAreErrorsForThatFile() {
        let decoder = ImageDecoder()
        for name in ["truncated.jpg", "truncated.png", "not-an-image.jpg"] {
            let url = TestSupport.fixture("images/" + name)
            XCTAssertThrowsError(try decoder.decode(contentsOf: url), name) { error in
                guard case VisionError.badImage(let path, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, url.path)
                XCTAssertFalse(reason.isEmpty)
            }
        }
        XCTAssertThrowsError(try decoder.decode(contentsOf: URL(fileURLWithPath: "/nonexistent.png"))) {
            guard case VisionError.unreadableFile = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try decoder.decode(Data(), path: "empty.png"))
        // The decoder still works after failures (no state left behind by the longjmp paths).
        XCTAssertNoThrow(try decoder.decode(contentsOf: TestSupport.fixture("images/photo.jpg")))
    }

    func testDCTScalingIsOptIn() throws {
        let url = TestSupport.fixture("images/photo.jpg")
        let full = try ImageDecoder().decode(contentsOf: url)
        XCTAssertEqual([full.width, full.height], [160, 120])
        let half = try ImageDecoder(jpegScalingMinimumSide: 60).decode(contentsOf: url)
        XCTAssertEqual([half.width, half.height], [80, 60])
        let quarter = try ImageDecoder(jpegScalingMinimumSide: 30).decode(contentsOf: url)
        XCTAssertEqual([quarter.width, quarter.height], [40, 30])
        let none = try ImageDecoder(jpegScalingMinimumSide: 100).decode(contentsOf: url)
        XCTAssertEqual(none, full)
    }
}

extension ImageDecoderTests {
    func testSixteenBitGrayKeepsTheHighByte() throws {
        let image = try ImageDecoder().decode(contentsOf: TestSupport.fixture("images/gray16.png"))
        XCTAssertEqual([image.width, image.height], [16, 16])
        for i in [0, 1, 2, 100, 255] {
            let expected = UInt8((i * 250) >> 8)
            XCTAssertEqual(Array(image.pixels[(i * 3)..<(i * 3 + 3)]), [expected, expected, expected], "pixel \(i)")
        }
    }
}

extension ImageDecoderTests {
    func testPixelLimitRefusesHugeImagesBeforeDecoding() throws {
        for name in ["photo.jpg", "rgb.png"] {
            let url = TestSupport.fixture("images/" + name)
            XCTAssertThrowsError(try ImageDecoder(maximumPixels: 1000).decode(contentsOf: url)) {
                XCTAssertTrue("\($0)".contains("pixel limit"), "\($0)")
            }
            XCTAssertNoThrow(try ImageDecoder(maximumPixels: 0).decode(contentsOf: url))
        }
    }
}

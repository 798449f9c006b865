import DescryStore
import XCTest

final class HashingTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(Hashing.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Hashing.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two blocks: the message length forces a second padding block.
        XCTAssertEqual(Hashing.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMurmur128KnownVectorsAndTails() {
        func h(_ s: String) -> (UInt64, UInt64) { Array(s.utf8).withUnsafeBytes { Hashing.murmur128($0) } }
        XCTAssertTrue(h("") == (0, 0))
        // Reference value of MurmurHash3_x64_128("hello", seed 0).
        XCTAssertTrue(h("hello") == (0xcbd8_a7b3_41bd_9b02, 0x5b1e_906a_48ae_1d19), "\(h("hello"))")
        // Every tail length gives a distinct hash.
        let hashes = (0..<40).map { n in h(String(repeating: "x", count: n)) }
        XCTAssertEqual(Set(hashes.map { "\($0.0)-\($0.1)" }).count, 40)
    }
}

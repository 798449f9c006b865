@testable import DescryStore
import Foundation
import XCTest

final class EmbeddingCacheTests: XCTestCase {
    func testVectorsRoundTripAndMissingKeys() throws {
        let store = try TestSupport.newStore()
        let cache = store.embeddings(vlmID: try store.vlms.ensure(named: "clip-test"))
        let a = EmbeddingCache.key(text: "a photo of a cat.")
        let b = EmbeddingCache.key(text: "a photo of a dog.")
        XCTAssertEqual(try cache.missing(.text, keys: [a, b]), [a, b])
        try store.write { try cache.put(.text, [(a, [0.5, -1.25, .pi]), (b, [1, 0, 0])]) }
        XCTAssertEqual(try cache.missing(.text, keys: [a, b, "other"]), ["other"])
        XCTAssertEqual(try cache.missing(.image, keys: [a]), [a], "kinds are separate")
        let v = try cache.vectors(.text, keys: [a, b])
        XCTAssertEqual(v[a], [0.5, -1.25, .pi])
        XCTAssertEqual(v[b], [1, 0, 0])
        XCTAssertEqual(try cache.count(.text), 2)
        // Another VLM sees none of them.
        let other = store.embeddings(vlmID: try store.vlms.ensure(named: "siglip"))
        XCTAssertEqual(try other.count(.text), 0)
    }

    func testImagesAreRegisteredWithLabelsAndHashes() throws {
        let store = try TestSupport.newStore()
        let dir = TestSupport.tempDirectory()
        let t = TestSupport.writeTinyFudd(in: dir)
        _ = try Importer(store: store).importFudd(classNamesPath: t.names, promptPairsPath: t.pairs, dataset: "tiny")
        TestSupport.write("fake-jpeg-1", to: "imgs/red kite/1.jpg", in: dir)
        TestSupport.write("fake-png-2", to: "imgs/blue_box/2.png", in: dir)
        TestSupport.write("not an image", to: "imgs/blue_box/notes.txt", in: dir)
        let list = try ImageList.imageFolder(dir + "/imgs")
        XCTAssertEqual(list.entries.map(\.label), ["blue_box", "red kite"])
        let r = try store.images.add(list, dataset: "tiny")
        XCTAssertEqual(r.added, 2)
        let again = try store.images.add(list, dataset: "tiny")
        XCTAssertEqual(again.updated, 2)
        let images = try store.images.all(datasetID: try store.datasetID(named: "tiny"))
        XCTAssertEqual(images.count, 2)
        XCTAssertEqual(images.first { $0.path.hasSuffix("1.jpg") }?.contentHash, Hashing.sha256Hex("fake-jpeg-1"))

        let manifest = TestSupport.write("path,label\nimgs/red kite/1.jpg,green kite\n", to: "m.csv", in: dir)
        XCTAssertThrowsError(try store.images.add(try ImageList.manifest(try InputFile(path: manifest)), dataset: "tiny")) {
            XCTAssertTrue("\($0)".contains("label 'green kite' is not a class of 'tiny'"), "\($0)")
        }
    }

    func testImagePathsAreMadeAbsolute() throws {
        let dir = TestSupport.tempDirectory()
        TestSupport.write("x", to: "imgs/a/1.png", in: dir)
        let cwd = FileManager.default.currentDirectoryPath
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        FileManager.default.changeCurrentDirectoryPath(dir)
        let list = try ImageList.imageFolder("imgs")
        XCTAssertEqual(list.entries.map(\.path), [URL(fileURLWithPath: dir + "/imgs/a/1.png").standardizedFileURL.path])
        let m = try ImageList.manifest(try InputFile(path: TestSupport.write("imgs/a/1.png,a\n", to: "m.csv", in: dir)))
        XCTAssertEqual(m.entries.map(\.path), list.entries.map(\.path))
    }
}

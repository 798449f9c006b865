import DescryStore
import DescryTestSupport
import Foundation
import XCTest
@testable import DescryAnalysis

/// The demo's list of VLMs (`Data/demo/vlms.txt`).
final class DemoModelListTests: XCTestCase {
    func testParsesNamesSkippingCommentsAndBlankLines() throws {
        let list = try DemoModelList.parse("# models\n\nclip-a   # the first\n  clip_b.v2\n", file: "vlms.txt")
        XCTAssertEqual(list.entries, [.init(name: "clip-a", line: 3), .init(name: "clip_b.v2", line: 4)])
    }

    func testBadListsNameTheFileAndLine() {
        for (text, line, words) in [("clip-a\n../etc\n", 2, "not a model folder name"), ("a\nb\na\n", 3, "listed twice (first on line 1)"),
                                    ("clip a\n", 1, "not a model folder name"), ("# nothing\n", nil, "no model listed"),
                                    ((1...9).map { "m\($0)" }.joined(separator: "\n"), 9, "more than 8")] as [(String, Int?, String)] {
            XCTAssertThrowsError(try DemoModelList.parse(text, file: "Data/demo/vlms.txt"), text) { error in
                guard case AnalysisError.store(.invalidInput(let at, let message)) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(at.file, "Data/demo/vlms.txt")
                XCTAssertEqual(at.line, line, text)
                XCTAssertTrue(message.contains(words), message)
            }
        }
    }

    func testResolveSkipsAbsentFolders() throws {
        let dir = try TemporaryDirectory.make(prefix: "descry-demo-models")
        try FileManager.default.createDirectory(atPath: dir + "/present", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/a-file", contents: Data())
        let (present, absent) = try DemoModelList.parse("present\nmissing\na-file\n", file: "x").resolve(modelsDirectory: dir)
        XCTAssertEqual(present.map(\.name), ["present"])
        XCTAssertEqual(present.map(\.directory), [dir + "/present"])
        XCTAssertEqual(absent, ["missing", "a-file"], "a file is not a model folder")
    }

    func testShippedListNamesTheDemoModels() throws {
        let list = try DemoModelList.load(dataDirectory: TestPackage.dataDirectory)
        XCTAssertEqual(list.entries.map(\.name), ["demo-clip", "demo-clip-randbg"])
        let (present, _) = list.resolve(modelsDirectory: TestPackage.dataDirectory + "/models")
        XCTAssertTrue(present.contains { $0.name == "demo-clip" }, "demo-clip ships with the repository")
    }
}

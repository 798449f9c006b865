import Foundation
import XCTest

/// `descry models add`, `images add`, `embed` and `similarity` with the shipped demo model,
/// including a run killed in the middle of `embed images` that the next run resumes.
final class EmbedCLITests: XCTestCase {
    var cli: CLIHarness!
    var dir: String { cli.directory }
    let root = CLIHarness.packageRoot

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: root + "/.deps/onnxruntime/libonnxruntime.so"),
              FileManager.default.fileExists(atPath: root + "/.deps/clip/bpe_simple_vocab_16e6.txt.gz") else {
            throw XCTSkip("ONNX Runtime or the CLIP vocabulary is missing; run `make deps`")
        }
        cli = try CLIHarness(name: "embed")
    }

    func process(_ args: [String]) -> Process { cli.process(args) }

    @discardableResult
    func descry(_ args: String...) throws -> CLIHarness.Outcome { try cli.run(args) }

    func embeddingCount() throws -> Int {
        let r = try descry("models", "list", "--json")
        let list = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [[String: Any]]
        return try XCTUnwrap(list[0]["image_embeddings"] as? Int, r.out)
    }

    func testEmbedResumesAfterKillAndCachesEverything() throws {
        XCTAssertEqual(try descry("init").status, 0)
        XCTAssertEqual(try descry("import", "fudd", root + "/Data/demo", "--dataset", "demo").status, 0)
        let add = try descry("models", "add", "demo-clip", root + "/Data/models/demo-clip")
        XCTAssertEqual(add.status, 0, add.err)
        XCTAssertTrue(add.out.contains("dim 64"), add.out)
        XCTAssertEqual(try descry("images", "add", "demo", root + "/Data/demo/images").status, 0)

        // Kill the first run once some batches are committed.
        let child = process(["embed", "images", "--vlm", "demo-clip", "--dataset", "demo", "--batch", "4", "--threads", "1"])
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let probe = try descryProbe()
        var seen = 0
        let deadline = Date().addingTimeInterval(60)
        while child.isRunning && Date() < deadline {
            seen = probe()
            if seen > 0 { break }
            usleep(2_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal, "the embed run finished before it could be killed")
        let kept = try embeddingCount()
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, 168)

        let resumed = try descry("embed", "images", "--vlm", "demo-clip", "--dataset", "demo", "--json")
        XCTAssertEqual(resumed.status, 0, resumed.err)
        let report = try JSONSerialization.jsonObject(with: Data(resumed.out.utf8)) as! [String: Any]
        XCTAssertEqual(report["total"] as? Int, 168)
        XCTAssertEqual(report["cached"] as? Int, kept, "what the killed run committed is not embedded again")
        XCTAssertEqual(report["embedded"] as? Int, 168 - kept)
        let again = try descry("embed", "images", "--vlm", "demo-clip", "--dataset", "demo", "--json")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as! [String: Any])["embedded"] as? Int, 0)

        let sim = try descry("similarity", "--vlm", "demo-clip", root + "/Data/demo/images/crimson_sailfin/" + firstImage("crimson_sailfin"),
                             "a photo of a crimson sailfin.", "a photo of a slate hexling.")
        XCTAssertEqual(sim.status, 0, sim.err)
        XCTAssertTrue(sim.out.contains("a photo of a crimson sailfin."), sim.out)
    }

    func testEmbedNeedsARegisteredModel() throws {
        XCTAssertEqual(try descry("init").status, 0)
        XCTAssertEqual(try descry("import", "fudd", root + "/Data/demo", "--dataset", "demo").status, 0)
        let r = try descry("embed", "texts", "--vlm", "clip-b32", "--dataset", "demo")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("descry models add clip-b32"), r.err)
        XCTAssertEqual(try descry("embed", "pictures", "--vlm", "x", "--dataset", "demo").status, 2)
    }

    func firstImage(_ cls: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: root + "/Data/demo/images/" + cls).sorted()[0]
    }

    /// Signals (1) once the store's write-ahead log has grown past its size at the start, i.e.
    /// a batch of embeddings was committed; polling `descry models list` would be too slow.
    func descryProbe() throws -> () -> Int {
        let wal = dir + "/s.db-wal"
        let start = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        return {
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            return size > start + 4096 ? 1 : 0
        }
    }
}

import DescryTestSupport
import Foundation
import XCTest

/// A `descry` outside its build tree: copied alone (it must say where it looked), linked to
/// (the link is resolved to the build tree), and laid out as `make install` lays it out (it
/// must find everything from any working directory).
final class InstallCLITests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try TemporaryDirectory.make(prefix: "descry-install") }

    /// This process's environment without the variables that would short-cut the search.
    var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { !["DESCRY_DATA", "DESCRY_CLIP_VOCAB", "DESCRY_ONNXRUNTIME", "DESCRY_STORE"].contains($0.key) }
    }

    func run(_ executable: String, _ args: [String], in cwd: String) throws -> Subprocess.Outcome {
        var p = Subprocess(executable, args)
        p.currentDirectory = cwd
        p.environment = cleanEnvironment
        return try p.run(timeout: 120)
    }

    func copy(to relative: String) throws -> String {
        let target = dir + "/" + relative
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try DescryBinary.path(), toPath: target)
        return target
    }

    func paths(_ outcome: Subprocess.Outcome) throws -> [String: [String: Any]] {
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]], outcome.stdout)
        return Dictionary(uniqueKeysWithValues: list.map { ($0["variable"] as? String ?? "", $0) })
    }

    func testACopiedBinarySaysWhereItLooked() throws {
        let exe = try copy(to: "alone/descry")
        let cwd = dir + "/alone"
        let r = try run(exe, ["paths"], in: cwd)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("Descry's Data folder: not found: cannot find Descry's Data folder (a folder holding attribute-taxonomy.json); "
                                        + "looked, in order, in: \(dir!)/share/descry/Data (install), \(cwd)/Data (current directory). Set DESCRY_DATA"), r.stdout)
        XCTAssertTrue(r.stdout.contains("in: \(dir!)/share/descry/clip/bpe_simple_vocab_16e6.txt.gz (install), "
                                        + "\(cwd)/.deps/clip/bpe_simple_vocab_16e6.txt.gz (current directory). Set DESCRY_CLIP_VOCAB"), r.stdout)
        XCTAssertTrue(r.stdout.contains("tried, in order: \(dir!)/lib/descry/libonnxruntime.so ("), r.stdout)
        XCTAssertTrue(r.stdout.contains("DESCRY_ONNXRUNTIME"), r.stdout)
        // A command that needs the Data folder fails with the same list, and works once pointed at it.
        let attrs = try run(exe, ["attributes", "--taxonomy"], in: cwd)
        XCTAssertEqual(attrs.status, 1)
        XCTAssertTrue(attrs.stderr.hasPrefix("descry: error: cannot find Descry's Data folder"), attrs.stderr)
        XCTAssertTrue(attrs.stderr.contains("Set DESCRY_DATA"), attrs.stderr)
        var pointed = Subprocess(exe, ["attributes", "--taxonomy"])
        pointed.currentDirectory = cwd
        pointed.environment = cleanEnvironment.merging(["DESCRY_DATA": TestPackage.dataDirectory]) { _, new in new }
        XCTAssertEqual(try pointed.run(timeout: 120).status, 0)
    }

    func testALinkIsResolvedToTheBuildTree() throws {
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/bin/descry", withDestinationPath: try DescryBinary.path())
        let r = try run(dir + "/bin/descry", ["--json", "paths"], in: dir)
        let data = try XCTUnwrap(try paths(r)["DESCRY_DATA"])
        XCTAssertEqual(data["origin"] as? String, "build tree", r.stdout)
        XCTAssertEqual(data["path"] as? String, TestPackage.root + "/Data")
    }

    func testAnInstallFindsEverythingFromAnyDirectory() throws {
        let vocab = try TestPackage.dependency("clip/bpe_simple_vocab_16e6.txt.gz")
        let ort = try TestPackage.dependency("onnxruntime/libonnxruntime.so")
        let prefix = dir + "/prefix"
        let exe = try copy(to: "prefix/bin/descry")
        let fm = FileManager.default
        for (link, target) in [("share/descry/Data", TestPackage.dataDirectory), ("share/descry/clip/bpe_simple_vocab_16e6.txt.gz", vocab),
                               ("lib/descry/libonnxruntime.so", ort)] {
            try fm.createDirectory(atPath: ((prefix + "/" + link) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: prefix + "/" + link, withDestinationPath: target)
        }
        let work = dir + "/work"
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let r = try run(exe, ["--json", "paths"], in: work)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let found = try paths(r)
        XCTAssertEqual(found["DESCRY_DATA"]?["path"] as? String, prefix + "/share/descry/Data")
        XCTAssertEqual(found["DESCRY_CLIP_VOCAB"]?["path"] as? String, prefix + "/share/descry/clip/bpe_simple_vocab_16e6.txt.gz")
        XCTAssertEqual(found["DESCRY_ONNXRUNTIME"]?["path"] as? String, prefix + "/lib/descry/libonnxruntime.so")
        for (_, f) in found { XCTAssertEqual(f["origin"] as? String, "install", "\(f)") }
        // The demo model has no vocab.json: embedding a text needs the installed vocabulary and runtime.
        let data = TestPackage.dataDirectory
        for args in [["init"], ["models", "add", "demo-clip", data + "/models/demo-clip"]] {
            let step = try run(exe, ["--store", work + "/s.db"] + args, in: work)
            XCTAssertEqual(step.status, 0, "\(args): \(step.stderr)")
        }
        let sim = try run(exe, ["--store", work + "/s.db", "--json", "similarity", "--vlm", "demo-clip",
                                data + "/demo/images/crimson_sailfin/000.png", "a crimson sailfin", "a slate hexling"], in: work)
        XCTAssertEqual(sim.status, 0, sim.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sim.stdout.utf8)) as? [[String: Any]], sim.stdout)
        XCTAssertEqual(rows.count, 2)
        XCTAssertNotNil(rows.first?["cosine"] as? Double, sim.stdout)
    }
}

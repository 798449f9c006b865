import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// The resource rule on fake layouts in a temporary folder, with the executable's path injected.
final class ResourceLocatorTests: XCTestCase {
    var root: String!

    override func setUpWithError() throws { root = try TemporaryDirectory.make(prefix: "descry-locator") }

    /// Creates an empty file (and its folders) at `relative` under the test's folder.
    @discardableResult
    func touch(_ relative: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        return path
    }

    func mkdir(_ relative: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Lays out all three resources below `base` the way `make install` (`share/`, `lib/`) or a
    /// checkout (`Data/`, `.deps/`) does.
    func layOut(install base: String) throws {
        try touch(base + "/share/descry/Data/attribute-taxonomy.json")
        try touch(base + "/share/descry/clip/bpe_simple_vocab_16e6.txt.gz")
        try touch(base + "/lib/descry/libonnxruntime.so")
    }

    func layOut(checkout base: String) throws {
        try touch(base + "/Data/attribute-taxonomy.json")
        try touch(base + "/.deps/clip/bpe_simple_vocab_16e6.txt.gz")
        try touch(base + "/.deps/onnxruntime/libonnxruntime.so")
    }

    let all: [ResourceLocator.Resource] = [.data, .clipVocabulary, .onnxRuntime]

    func testAnInstallIsFoundBesideTheExecutableFromAnyDirectory() throws {
        try layOut(install: "prefix")
        let elsewhere = try mkdir("elsewhere")
        let locator = ResourceLocator(environment: [:], executablePath: root + "/prefix/bin/descry", currentDirectory: elsewhere)
        XCTAssertEqual(try locator.locate(.data), .init(path: root + "/prefix/share/descry/Data", origin: .install))
        XCTAssertEqual(try locator.locate(.clipVocabulary).path, root + "/prefix/share/descry/clip/bpe_simple_vocab_16e6.txt.gz")
        XCTAssertEqual(try locator.locate(.onnxRuntime).path, root + "/prefix/lib/descry/libonnxruntime.so")
        XCTAssertEqual(try DataDirectory.locate(locator: locator), root + "/prefix/share/descry/Data")
    }

    func testABuildTreeFindsItsCheckoutAboveDotBuild() throws {
        try layOut(checkout: "src/descry")
        let exe = root + "/src/descry/.build/x86_64-unknown-linux-gnu/debug/descry"
        XCTAssertEqual(ResourceLocator.checkoutRoot(ofBuildProduct: exe), root + "/src/descry")
        XCTAssertNil(ResourceLocator.checkoutRoot(ofBuildProduct: "/usr/local/bin/descry"))
        let locator = ResourceLocator(environment: [:], executablePath: exe, currentDirectory: try mkdir("elsewhere"))
        for resource in all {
            let hit = try locator.locate(resource)
            XCTAssertEqual(hit.origin, .buildTree, resource.name)
            XCTAssertEqual(hit.path, root + "/src/descry/" + resource.checkout)
        }
        // A build product never looks for an install inside `.build/`.
        XCTAssertFalse(locator.candidates(for: .data).contains { $0.path.contains("/.build/") })
    }

    func testTheCurrentDirectoryComesLast() throws {
        try layOut(checkout: "checkout")
        try layOut(install: "prefix")
        let inCheckout = ResourceLocator(environment: [:], executablePath: root + "/alone/descry", currentDirectory: root + "/checkout")
        XCTAssertEqual(try inCheckout.locate(.data), .init(path: root + "/checkout/Data", origin: .currentDirectory))
        // Beside an install, the install wins over the current directory's checkout.
        let installed = ResourceLocator(environment: [:], executablePath: root + "/prefix/bin/descry", currentDirectory: root + "/checkout")
        XCTAssertEqual(try installed.locate(.clipVocabulary).origin, .install)
        XCTAssertEqual(installed.candidates(for: .clipVocabulary).map(\.origin), [.install, .currentDirectory])
    }

    func testTheVariableIsTheOnlyPlaceWhenSet() throws {
        try layOut(install: "prefix")
        let custom = try touch("custom/vocab.txt.gz")
        let exe = root + "/prefix/bin/descry"
        let set = ResourceLocator(environment: ["DESCRY_CLIP_VOCAB": custom], executablePath: exe, currentDirectory: root)
        XCTAssertEqual(try set.locate(.clipVocabulary), .init(path: custom, origin: .environment))
        // Set but wrong: an error naming the variable and its value, not a silent fallback to the install.
        let wrong = ResourceLocator(environment: ["DESCRY_DATA": root + "/nope"], executablePath: exe, currentDirectory: root)
        XCTAssertThrowsError(try wrong.locate(.data)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("DESCRY_DATA is set to '\(self.root!)/nope'"), message)
        }
        // An empty value counts as unset.
        let empty = ResourceLocator(environment: ["DESCRY_DATA": ""], executablePath: exe, currentDirectory: root)
        XCTAssertEqual(try empty.locate(.data).origin, .install)
    }

    func testNothingFoundNamesEveryPlaceInOrderAndTheVariable() throws {
        // A Data folder without the taxonomy, and a folder where the library file should be, do not count.
        _ = try mkdir("cwd/Data")
        _ = try mkdir("cwd/.deps/onnxruntime/libonnxruntime.so")
        let locator = ResourceLocator(environment: [:], executablePath: root + "/tmp/descry", currentDirectory: root + "/cwd")
        for resource in all {
            XCTAssertThrowsError(try locator.locate(resource)) { error in
                guard let notFound = error as? ResourceNotFound else { return XCTFail("\(error)") }
                let installPath: String = self.root + "/" + resource.installed
                let cwdPath: String = self.root + "/cwd/" + resource.checkout
                let expected: [ResourceLocator.Candidate] = [.init(path: installPath, origin: .install),
                                                             .init(path: cwdPath, origin: .currentDirectory)]
                XCTAssertEqual(notFound.tried, expected)
                let message: String = notFound.description
                let install = message.range(of: installPath + " (install)")
                let cwd = message.range(of: cwdPath + " (current directory)")
                XCTAssertNotNil(install, message)
                XCTAssertNotNil(cwd, message)
                if let install, let cwd { XCTAssertLessThan(install.lowerBound, cwd.lowerBound, "in order: \(message)") }
                XCTAssertTrue(message.contains("Set \(resource.variable)"), message)
            }
        }
    }

    func testDataOverrideMustHoldTheTaxonomy() throws {
        try layOut(checkout: "checkout")
        let locator = ResourceLocator(environment: [:], executablePath: nil, currentDirectory: root)
        XCTAssertEqual(try DataDirectory.locate(override: root + "/checkout/Data", locator: locator), root + "/checkout/Data")
        XCTAssertThrowsError(try DataDirectory.locate(override: root + "/checkout", locator: locator)) {
            XCTAssertTrue("\($0)".contains("checkout/attribute-taxonomy.json (from --data)"), "\($0)")
        }
    }

    func testTheRunningExecutableIsTheRealPath() throws {
        let exe = try XCTUnwrap(ResourceLocator.runningExecutable())
        XCTAssertTrue(exe.hasPrefix("/"), exe)
        XCTAssertTrue(FileManager.default.fileExists(atPath: exe), exe)
        XCTAssertEqual(URL(fileURLWithPath: exe).resolvingSymlinksInPath().path, exe, "links resolved")
    }
}

import DescryTestSupport
import Foundation
import XCTest

/// The vision tests' own helpers (fixtures, the CLIP vocabulary); paths, temporary folders,
/// the shared corpora and subprocesses come from DescryTestSupport.
enum TestSupport {
    /// The package root.
    static var packageRoot: URL { TestPackage.rootURL }

    /// The committed fixtures folder.
    static let fixtures = URL(fileURLWithPath: TestPackage.path("Tests/DescryVisionTests/Fixtures"), isDirectory: true)

    /// A committed fixture file.
    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// The shared corpora folder `sub` (`../shared/corpora/<sub>` from the package root), or a skip.
    static func sharedCorpus(_ sub: String) throws -> URL {
        URL(fileURLWithPath: try SharedCorpora.directory(sub), isDirectory: true)
    }

    /// open_clip's vocabulary as `make deps` installs it, or a skip.
    static func openCLIPVocabulary() throws -> URL {
        URL(fileURLWithPath: try TestPackage.dependency("clip/bpe_simple_vocab_16e6.txt.gz"))
    }

    /// Runs a program (a name looked up on PATH) from the package root, returning its exit
    /// status and its output (stdout, then stderr).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let r = try Subprocess(executable, arguments).run(timeout: 600)
        return (r.status, r.stdout + r.stderr)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        try TemporaryDirectory.makeURL(prefix: "descry-vision")
    }
}

import DescryStore
import Foundation
import XCTest

/// Paths and helpers shared by the store tests.
enum TestSupport {
    /// The package root, found from this file's path.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shipped data folder.
    static var dataDirectory: String { packageRoot + "/Data" }

    /// The FuDD corpora beside the project, when present.
    static var corpora: String { URL(fileURLWithPath: packageRoot + "/../shared/corpora/fudd").standardized.path }

    /// Skips the calling test when the shared corpora are absent.
    static func requireCorpora() throws -> String {
        guard FileManager.default.fileExists(atPath: corpora + "/pets_prompt_pairs.json") else {
            throw XCTSkip("../shared/corpora/fudd is absent; the integration test needs the shared FuDD corpora")
        }
        return corpora
    }

    /// The shipped taxonomy.
    static let taxonomy: AttributeTaxonomy = try! AttributeTaxonomy.shipped(dataDirectory: dataDirectory)

    /// A fresh temporary folder.
    static func tempDirectory() -> String {
        let dir = NSTemporaryDirectory() + "descry-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A new store in a fresh folder.
    static func newStore() throws -> Store {
        try Store(path: tempDirectory() + "/test.db", taxonomy: taxonomy, create: true)
    }

    /// Writes text to a new file in `dir`.
    @discardableResult
    static func write(_ text: String, to name: String, in dir: String) -> String {
        let path = dir + "/" + name
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// A tiny FuDD dataset of our own: four classes, three pairs, a sentence shared by two pairs.
    static func writeTinyFudd(in dir: String, dataset: String = "tiny") -> (names: String, pairs: String) {
        let names = write(#"["red kite", "blue kite", "red_box", "blue box"]"#, to: "\(dataset)_class_names.json", in: dir)
        let pairs = write("""
        {"0_1": {"classes": [0, 1], "prompt_pairs": [
            {"attr_type": "color", "prompt_pair": ["a photo of a red kite, which is red.", "a photo of a blue kite, which is blue."]},
            {"attr_type": "tail shape", "prompt_pair": ["a photo of a red kite, with a forked tail.", "a photo of a blue kite, with a straight tail."]}]},
         "0_2": {"classes": [0, 2], "prompt_pairs": [
            {"attr_type": "shape", "prompt_pair": ["a photo of a red kite, which is diamond-shaped.", "a photo of a red box, which is square."]},
            {"attr_type": "color", "prompt_pair": ["a photo of a red kite, which is red.", "a photo of a red box, which is red too."]}]},
         "1_3": {"classes": [1, 3], "prompt_pairs": [
            {"attr_type": "habitat", "prompt_pair": ["a photo of a blue kite, which flies over beaches.", "a photo of a blue box, which sits in attics."]}]}}
        """, to: "\(dataset)_prompt_pairs.json", in: dir)
        return (names, pairs)
    }

    /// Number of rows in a table.
    static func count(_ store: Store, _ table: String) throws -> Int {
        try store.database.scalar("SELECT count(*) FROM \(table)").int!
    }

    /// Row counts of every table the importers write, to check "nothing changed".
    static func snapshot(_ store: Store) throws -> [String: Int] {
        var m: [String: Int] = [:]
        for t in ["datasets", "classes", "sources", "descriptions", "pairs", "pair_members", "llms", "vlms", "descriptions_fts"] {
            m[t] = try count(store, t)
        }
        return m
    }
}

import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// The store tests' own helpers (a tiny FuDD corpus, row counts); paths, temporary folders and
/// the shared corpora come from DescryTestSupport.
enum TestSupport {
    /// The package root.
    static var packageRoot: String { TestPackage.root }

    /// The shipped data folder.
    static var dataDirectory: String { TestPackage.dataDirectory }

    /// The FuDD corpora in ../shared (with pets, dtd and eurosat), or a skip when absent.
    static func requireCorpora() throws -> String {
        try SharedCorpora.fudd(datasets: ["pets", "dtd", "eurosat"])
    }

    /// The shipped taxonomy.
    static let taxonomy: AttributeTaxonomy = try! AttributeTaxonomy.shipped(dataDirectory: dataDirectory)

    /// A fresh temporary folder (a test cannot go on without one, so failing to make it traps).
    static func tempDirectory() -> String {
        try! TemporaryDirectory.make(prefix: "descry-store-tests")
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
        try store.database.scalar(Int.self, "SELECT count(*) AS n FROM \(table)")
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

import Foundation
import XCTest

/// The published corpora in `../shared/corpora` beside the checkout (FuDD, CuPL, DCLIP, …).
///
/// They are not part of the repository: a test that needs them is skipped, with the path it
/// looked at, when they are absent.
public enum SharedCorpora {
    /// `../shared/corpora`, resolved against the package root.
    public static var root: String { URL(fileURLWithPath: TestPackage.root + "/../shared/corpora").standardized.path }

    /// Whether `relative` (a folder or file under the corpora root) exists.
    public static func isPresent(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/" + relative)
    }

    /// The folder `sub` of the corpora ("fudd"), or a skip when it is absent. With `requiring`,
    /// each of those files inside the folder must exist too (a partial copy is also a skip).
    public static func directory(_ sub: String, requiring files: [String] = []) throws -> String {
        let dir = root + "/" + sub
        for relative in [""] + files {
            let path = relative.isEmpty ? dir : dir + "/" + relative
            guard FileManager.default.fileExists(atPath: path) else {
                throw XCTSkip("\(path) is absent; this test needs the shared corpora in ../shared/corpora")
            }
        }
        return dir
    }

    /// The FuDD corpora folder holding `<dataset>_prompt_pairs.json` and
    /// `<dataset>_class_names.json` for every dataset asked for, or a skip.
    public static func fudd(datasets: [String] = ["pets"]) throws -> String {
        try directory("fudd", requiring: datasets.flatMap { ["\($0)_prompt_pairs.json", "\($0)_class_names.json"] })
    }
}

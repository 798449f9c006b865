import Foundation
import XCTest
@testable import DescryQuery

/// Every example query in Grammar/ and Docs/ (```dql blocks of Markdown files, and *.dql
/// files) must run; every ```dql-error block must fail with a positioned error.
final class DocExamplesTests: XCTestCase {
    struct Example {
        let file: String
        let line: Int
        let text: String
        let mustFail: Bool
    }

    static func examples() throws -> [Example] {
        var out: [Example] = []
        let fm = FileManager.default
        for folder in ["Grammar", "Docs"] {
            let base = TestStore.root + "/" + folder
            guard let files = fm.enumerator(atPath: base) else { continue }
            for case let relative as String in files {
                let path = base + "/" + relative
                if relative.hasSuffix(".dql") {
                    out.append(Example(file: "\(folder)/\(relative)", line: 1, text: try String(contentsOfFile: path, encoding: .utf8), mustFail: false))
                } else if relative.hasSuffix(".md") {
                    let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
                    var i = 0
                    while i < lines.count {
                        let fence = lines[i].trimmingCharacters(in: .whitespaces)
                        if fence == "```dql" || fence == "```dql-error" {
                            let start = i + 1
                            var body: [String] = []
                            i += 1
                            while i < lines.count && lines[i].trimmingCharacters(in: .whitespaces) != "```" {
                                body.append(lines[i])
                                i += 1
                            }
                            out.append(Example(file: "\(folder)/\(relative)", line: start + 1, text: body.joined(separator: "\n"), mustFail: fence == "```dql-error"))
                        }
                        i += 1
                    }
                }
            }
        }
        return out
    }

    func testEveryDocumentedExampleRunsOrFailsAsMarked() throws {
        let examples = try Self.examples()
        XCTAssertGreaterThan(examples.count, 15, "the examples in Grammar/README.md, Docs/query-language.md and Docs/examples")
        XCTAssertTrue(examples.contains { $0.file == "Docs/examples/preferred-attributes.dql" })
        let engine = try QueryEngine(store: try TestStore.fixture())
        for e in examples {
            do {
                _ = try engine.run(e.text)
                if e.mustFail { XCTFail("\(e.file):\(e.line): expected an error, the query ran") }
            } catch let error as QueryError {
                if e.mustFail {
                    XCTAssertNotNil(error.span, "\(e.file):\(e.line)")
                } else {
                    XCTFail("\(e.file):\(e.line): \(error.rendered())")
                }
            }
        }
    }
}

@testable import descry
import Foundation
import XCTest

/// The help of every command, as `descry <command> --help` prints it, against the committed
/// snapshots in `Snapshots/` (one file per command, `descry.txt` for `descry --help`).
///
/// After an intended change of a help text, re-record with
/// `DESCRY_RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` and review the diff
/// (a recording run fails, so it cannot pass by accident).
final class HelpSnapshotTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static var recording: Bool { ProcessInfo.processInfo.environment["DESCRY_RECORD_SNAPSHOTS"] == "1" }

    /// Every help text by snapshot name.
    static var helps: [(name: String, text: String)] {
        [("descry", Entry.mainHelp)] + Entry.commands.map { ($0.name, Entry.help(for: $0)) }
    }

    func testEveryCommandIsCovered() {
        XCTAssertEqual(Entry.commands.count, 24)
        XCTAssertEqual(Set(Entry.commands.map { $0.name }).count, 24, "command names are unique")
        // No stray snapshot of a command that no longer exists.
        let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path)) ?? []
        XCTAssertEqual(Set(files), Set(Self.helps.map { $0.name + ".txt" }))
    }

    func testHelpMatchesTheSnapshots() throws {
        for (name, text) in Self.helps {
            let file = Self.folder.appendingPathComponent(name + ".txt")
            if Self.recording {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try Data((text + "\n").utf8).write(to: file)
                XCTFail("recorded \(file.path); run again without DESCRY_RECORD_SNAPSHOTS")
                continue
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                XCTFail("no snapshot \(file.path); record it with DESCRY_RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests")
                continue
            }
            let expected = String(decoding: data, as: UTF8.self)
            if expected != text + "\n" {
                XCTFail("`descry \(name == "descry" ? "" : name + " ")--help` differs from \(file.path):\n\(firstDifference(expected, text + "\n"))")
            }
        }
    }

    /// The binary prints the same help, with exit status 0, for every command.
    func testBinaryPrintsTheSnapshots() throws {
        let cli = try CLIHarness(name: "help")
        for command in Entry.commands {
            let r = try cli.run([command.name, "--help"])
            XCTAssertEqual(r.status, 0, command.name)
            XCTAssertEqual(r.out, Entry.help(for: command) + "\n", command.name)
            XCTAssertEqual(r.err, "", command.name)
        }
        // --help anywhere, even after the command's own options.
        XCTAssertEqual(try cli.run(["search", "x", "--limit", "3", "--help"]).out, Entry.help(for: SearchCommand.self) + "\n")
    }

    /// Help text rules every command keeps: it starts with its usage, lines fit in 100 columns
    /// (but for example DQL queries, which are copied whole), and every option a usage line
    /// names is one the command declares.
    func testHelpTextsAreWellFormed() {
        let globals = Set(GlobalOptions.all.map(\.spec.name))
        for command in Entry.commands {
            let help = command.help
            XCTAssertTrue(help.hasPrefix("Usage: descry \(command.name)"), command.name)
            for line in help.split(separator: "\n") where line.count > 100 && !line.contains("descriptions | ") {
                XCTFail("\(command.name): line longer than 100 columns: \(line)")
            }
            for c in [command] + command.subcommands {
                let declared = Set(c.signature.allOptions.flatMap { [$0.name] + ($0.short.map { [$0] } ?? []) })
                XCTAssertEqual(declared.count, c.signature.allOptions.reduce(0) { $0 + 1 + ($1.short == nil ? 0 : 1) },
                               "\(c.name): an option declared twice")
                XCTAssertTrue(declared.isDisjoint(with: globals), "\(c.name): an option shadows a global one")
                for usage in c.signature.usage {
                    for word in usage.split(whereSeparator: { " []()|".contains($0) }) where word.hasPrefix("-") && word != "…" {
                        XCTAssertTrue(declared.contains(String(word)) || globals.contains(String(word)),
                                      "\(c.name): usage names \(word), which it does not declare")
                    }
                }
            }
        }
    }

    func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? String(x[i]) : "<end>", r = i < y.count ? String(y[i]) : "<end>"
            if l != r { return "line \(i + 1):\n  snapshot: \(l)\n  now:      \(r)" }
        }
        return "(same lines)"
    }
}

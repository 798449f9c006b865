/// A parsed command line: positionals, `--name value` options and `--flag` switches.
/// Options are declared by the command so unknown ones are usage errors, not silently ignored.
struct Arguments {
    private(set) var positionals: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []
    let command: String

    /// Parses `args` given the option names that take a value and the flag names.
    init(_ args: [String], command: String, options valued: Set<String>, flags known: Set<String>) throws {
        self.command = command
        var i = 0
        var onlyPositionals = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositionals || !a.hasPrefix("-") || a == "-" { positionals.append(a); continue }
            if a == "--" { onlyPositionals = true; continue }
            var name = a
            var inline: String?
            if let eq = a.firstIndex(of: "=") { name = String(a[..<eq]); inline = String(a[a.index(after: eq)...]) }
            if valued.contains(name) {
                guard let v = inline ?? (i < args.count ? args[i] : nil) else { throw UsageError("option \(name) needs a value", command: command) }
                if inline == nil { i += 1 }
                options[name, default: []].append(v)
            } else if known.contains(name) {
                if inline != nil { throw UsageError("flag \(name) takes no value", command: command) }
                flags.insert(name)
            } else {
                let all = Array(valued) + Array(known)
                let hint = Suggest.nearest(name, among: all).map { " (did you mean \($0)?)" } ?? ""
                throw UsageError("unknown option \(name)\(hint)", command: command)
            }
        }
    }

    /// The last value of an option.
    func value(_ name: String) -> String? { options[name]?.last }
    /// Every value of a repeatable option.
    func values(_ name: String) -> [String] { options[name] ?? [] }
    /// Whether a flag was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option, with a usage error for a non-number.
    func int(_ name: String, default d: Int) throws -> Int {
        guard let v = value(name) else { return d }
        guard let i = Int(v) else { throw UsageError("option \(name) expects an integer, got '\(v)'", command: command) }
        return i
    }

    /// Exactly `n` positionals, named for the error message.
    func positionals(_ names: [String]) throws -> [String] {
        guard positionals.count == names.count else {
            let want = names.map { "<\($0)>" }.joined(separator: " ")
            if positionals.count < names.count { throw UsageError("missing \(names[positionals.count]); expected \(want)", command: command) }
            throw UsageError("unexpected argument '\(positionals[names.count])'; expected \(want)", command: command)
        }
        return positionals
    }
}

/// Nearest-name suggestions for typos.
enum Suggest {
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : (b.isEmpty ? a.count : prev[b.count])
    }

    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let best = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }
}

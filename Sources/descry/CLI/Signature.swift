import DescryStore

/// A positional argument, by name.
struct Positional: Sendable {
    let name: String
    /// At least this many values (0 or 1; more only with `variadic`).
    let minimum: Int
    /// Whether it takes every remaining positional.
    let variadic: Bool
    /// Shown as the word itself in the usage line, not as `<name>`.
    var bare = false

    /// Exactly one value.
    static func required(_ name: String) -> Positional { Positional(name: name, minimum: 1, variadic: false) }
    /// One value or none.
    static func optional(_ name: String) -> Positional { Positional(name: name, minimum: 0, variadic: false) }
    /// A word that selects what the command does (`bench import`), shown bare in the usage; the
    /// command's `validate` checks it, with a better message than a count could give.
    static func verb(_ name: String) -> Positional { Positional(name: name, minimum: 0, variadic: false, bare: true) }
    /// Every remaining value, at least `minimum` of them.
    static func variadic(_ name: String, minimum: Int = 1) -> Positional { Positional(name: name, minimum: minimum, variadic: true) }

    var usage: String {
        if bare { return name }
        let one = "<\(name)>"
        if variadic { return (minimum > 0 ? one + " " : "") + "[\(one) …]" }
        return minimum > 0 ? one : "[\(one)]"
    }
}

/// Options several commands share (the analysis options, the LLM options), listed under their
/// own heading in the help and as one bracketed word in a generated usage line.
struct OptionGroup: Sendable {
    /// The heading, e.g. "LLM options".
    let title: String
    /// What a generated usage line says for the group, e.g. "[LLM options]".
    let usage: String
    let options: [any DeclaredOption]
}

/// What a command accepts and says about itself: the one table parsing, validation and the
/// help text are derived from.
struct Signature: Sendable {
    /// Usage lines after `descry <command> ` when the command has several forms; empty: one
    /// line generated from the options and positionals.
    var usage: [String] = []
    /// The prose of the help, between the usage and the option list.
    var about: String
    var positionals: [Positional] = []
    var options: [any DeclaredOption] = []
    var groups: [OptionGroup] = []
    /// Said after "unexpected argument" when there are more positionals than declared.
    var extraArgumentHint: String? = nil

    /// Every option, the command's own first.
    var allOptions: [OptionSpec] { (options + groups.flatMap(\.options)).map(\.spec) }

    // MARK: Parsing

    /// Parses the arguments after the command's name. Every value is checked (type, range,
    /// allowed words) here, before the command does any work; so are the positional count and
    /// the required options. `command` names the command in error messages.
    func parse(_ args: [String], command: String) throws -> ParsedArguments {
        let specs = allOptions
        var byName: [String: OptionSpec] = [:]
        for s in specs {
            byName[s.name] = s
            if let short = s.short { byName[short] = s }
        }
        func isOptionName(_ word: String) -> Bool {
            word == "--" || byName[word] != nil || word.firstIndex(of: "=").map { byName[String(word[..<$0])] != nil } == true
        }
        func fail(_ message: String) -> UsageError { UsageError(message, command: command) }

        var positionals: [String] = []
        var values: [String: [any Sendable]] = [:]
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
            guard let spec = byName[name] else {
                let names = specs.flatMap { [$0.name] + ($0.short.map { [$0] } ?? []) }
                let hint = EditDistance.nearest(name, among: names).map { " (did you mean \($0)?)" } ?? ""
                throw fail("unknown option \(name)\(hint)")
            }
            if spec.isFlag {
                if inline != nil { throw fail("flag \(spec.name) takes no value") }
                values[spec.name, default: []].append(true)
                continue
            }
            var raw: [String] = inline.map { [$0] } ?? []
            while raw.count < spec.placeholders.count {
                guard i < args.count, !isOptionName(args[i]) else {
                    let n = spec.placeholders.count
                    throw fail(n == 1 ? "option \(spec.name) needs a value" : "option \(spec.name) needs \(n) values (\(spec.synopsis))")
                }
                raw.append(args[i])
                i += 1
            }
            do {
                values[spec.name, default: []].append(try spec.convert(raw))
            } catch let e as OptionValueError {
                throw fail("option \(spec.name) \(e.reason)")
            } catch let e as UsageError {
                throw fail("option \(spec.name): \(e.message)")
            } catch {
                throw fail("option \(spec.name): \(error)")
            }
        }

        let minimum = self.positionals.reduce(0) { $0 + $1.minimum }
        let bounded = !self.positionals.contains { $0.variadic }
        if positionals.count < minimum {
            // The first declared positional the given ones do not reach.
            var reached = 0
            var missing = self.positionals.last?.name ?? "an argument"
            for p in self.positionals {
                reached += p.minimum
                if reached > positionals.count { missing = p.name; break }
            }
            throw fail("missing \(missing); expected \(positionalUsage)")
        }
        if bounded && positionals.count > self.positionals.count {
            let expected = self.positionals.isEmpty ? "no arguments" : positionalUsage
            throw fail("unexpected argument '\(positionals[self.positionals.count])'; expected \(expected)" + (extraArgumentHint.map { "; " + $0 } ?? ""))
        }
        let required = specs.filter(\.required)
        if required.contains(where: { values[$0.name] == nil }) {
            let names = required.map(\.synopsis)
            let list = names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
            throw fail("\(command) needs \(list)")
        }
        return ParsedArguments(command: command, positionals: positionals, declared: Set(specs.map(\.name)), values: values)
    }

    private var positionalUsage: String { positionals.map(\.usage).joined(separator: " ") }

    // MARK: Help

    /// The help text of the command invoked as `descry <path>`.
    func help(path: String) -> String {
        let prefix = "descry \(path) "
        let forms = usage.isEmpty ? [generatedUsage] : usage
        var lines: [String] = []
        for (i, form) in forms.enumerated() {
            let lead = (i == 0 ? "Usage: " : "       ") + prefix
            let wrapped = Self.wrap(form, width: 100 - lead.count)
            lines.append(lead + wrapped[0])
            lines += wrapped.dropFirst().map { String(repeating: " ", count: lead.count) + $0 }
        }
        var out = lines.joined(separator: "\n")
        if !about.isEmpty { out += "\n\n" + about }
        if !options.isEmpty { out += "\n\n" + Self.list("Options", options.map(\.spec)) }
        for g in groups { out += "\n\n" + Self.list(g.title, g.options.map(\.spec)) }
        return out
    }

    /// The usage line of a one-form command: required options, positionals, then the optional
    /// ones and the shared groups.
    var generatedUsage: String {
        let own = options.map(\.spec)
        var words = own.filter(\.required).map(\.synopsis)
        words += positionals.map(\.usage)
        words += own.filter { !$0.required }.map { "[" + $0.synopsis + ($0.repeatable ? " …" : "") + "]" }
        words += groups.map(\.usage)
        return words.joined(separator: " ")
    }

    /// Breaks a usage line at spaces outside brackets, so `[--limit N]` stays whole.
    static func wrap(_ text: String, width: Int) -> [String] {
        var pieces: [String] = []
        var current = "", depth = 0
        for c in text {
            if c == "[" || c == "(" { depth += 1 }
            if c == "]" || c == ")" { depth -= 1 }
            if c == " " && depth == 0 { pieces.append(current); current = ""; continue }
            current.append(c)
        }
        pieces.append(current)
        var lines: [String] = []
        var line = ""
        for p in pieces {
            if !line.isEmpty && line.count + 1 + p.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + p
        }
        lines.append(line)
        return lines
    }

    /// A titled option list: labels in a column, help beside them, wrapped to 100 columns.
    static func list(_ title: String, _ specs: [OptionSpec]) -> String {
        let column = min(specs.map(\.label.count).max() ?? 0, 24)
        let pad = String(repeating: " ", count: 2 + column + 2)
        let rows = specs.map { s -> String in
            let label = s.label.padding(toLength: max(column, s.label.count), withPad: " ", startingAt: 0)
            let lines = s.fullHelp.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { wrapWords(String($0), width: 100 - pad.count) }
            return "  " + label + "  " + lines.joined(separator: "\n" + pad)
        }
        return title + ":\n" + rows.joined(separator: "\n")
    }

    /// Breaks prose at spaces so that no line is longer than `width` (a longer word stands alone).
    static func wrapWords(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(line)
        return lines
    }
}

/// The result of parsing: positionals and the checked option values, read with
/// `arguments[option]`.
struct ParsedArguments: Sendable {
    /// The command, for usage errors.
    let command: String
    let positionals: [String]
    let declared: Set<String>
    private let values: [String: [any Sendable]]

    init(command: String, positionals: [String], declared: Set<String>, values: [String: [any Sendable]]) {
        self.command = command
        self.positionals = positionals
        self.declared = declared
        self.values = values
    }

    /// The option's value: what was given, else its default.
    subscript<Value>(option: Option<Value>) -> Value {
        // Reading an option the command did not declare is a programming error, caught the
        // first time the code runs (every command's parsing is tested).
        precondition(declared.contains(option.spec.name), "\(command): option \(option.spec.name) is not declared")
        return option.resolve(values[option.spec.name] ?? [])
    }

    /// Whether the option was given at all.
    func given<Value>(_ option: Option<Value>) -> Bool {
        precondition(declared.contains(option.spec.name), "\(command): option \(option.spec.name) is not declared")
        return values[option.spec.name] != nil
    }

    /// Exactly these positionals, for a command whose forms take different ones.
    func positionals(_ names: [String]) throws -> [String] {
        guard positionals.count == names.count else {
            let want = names.map { "<\($0)>" }.joined(separator: " ")
            if positionals.count < names.count { throw usageError("missing \(names[positionals.count]); expected \(want)") }
            throw usageError("unexpected argument '\(positionals[names.count])'; expected \(want)")
        }
        return positionals
    }

    /// A usage error of this command.
    func usageError(_ message: String) -> UsageError { UsageError(message, command: command) }
}

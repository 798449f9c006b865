import DescryStore
import Foundation

/// Why one option value was refused; the parser turns it into a `UsageError` naming the option.
struct OptionValueError: Error, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Everything the parser, the validation and the help text need to know about one option.
/// Commands never build this directly: they declare an `Option<Value>` with one of the
/// factories below, which fills it.
struct OptionSpec: Sendable {
    /// `--name`.
    let name: String
    /// A one-dash alias such as `-f`, if any.
    let short: String?
    /// The value placeholders shown in the help (`N`, `NAME`, `A B`); empty for a flag.
    let placeholders: [String]
    /// Whether the option may be given more than once (each value kept).
    let repeatable: Bool
    /// Whether the command cannot run without it.
    let required: Bool
    /// The help line (continuation lines after `\n`).
    let help: String
    /// The accepted values in words ("1…256", "cpu or cuda"), shown in the help.
    let constraint: String?
    /// The default in words, shown in the help.
    let defaultText: String?
    /// Checks and converts the values of one occurrence (as many as `placeholders`).
    let convert: @Sendable ([String]) throws -> any Sendable

    /// Whether the option takes no value.
    var isFlag: Bool { placeholders.isEmpty }

    /// `--name VALUE` as the usage line and error messages write it.
    var synopsis: String { ([name] + placeholders).joined(separator: " ") }

    /// The left column of the option list: `-f, --file FILE`.
    var label: String { (short.map { $0 + ", " } ?? "") + synopsis }

    /// The help line with the accepted values and the default appended.
    var fullHelp: String {
        let notes = [constraint, defaultText.map { "default " + $0 }].compactMap { $0 }
        return notes.isEmpty ? help : help + " (" + notes.joined(separator: "; ") + ")"
    }
}

/// Something that declares an option (an `Option<Value>` of any value type).
protocol DeclaredOption: Sendable {
    var spec: OptionSpec { get }
}

/// A typed option: its declaration and how the values given become a `Value`.
///
/// Declared once, as a static constant of the command, and read with `arguments[option]`:
/// ```
/// static let limit = Option<Int>.int("--limit", default: 20, range: 1...10_000, help: "results to show")
/// ```
struct Option<Value: Sendable>: DeclaredOption {
    let spec: OptionSpec
    /// Builds the value from the converted values given, in command-line order (empty when the
    /// option was not given).
    let resolve: @Sendable ([any Sendable]) -> Value
}

// MARK: - Flags

extension Option where Value == Bool {
    /// A switch: true when given.
    static func flag(_ name: String, short: String? = nil, help: String) -> Option {
        Option(spec: OptionSpec(name: name, short: short, placeholders: [], repeatable: false, required: false, help: help,
                                constraint: nil, defaultText: nil, convert: { _ in true }),
               resolve: { !$0.isEmpty })
    }
}

// MARK: - Text

extension Option where Value == String? {
    /// Text, nil when not given.
    static func string(_ name: String, _ placeholder: String, short: String? = nil, help: String) -> Option {
        Option(spec: .single(name, placeholder, short: short, help: help) { $0 }, resolve: { $0.last as? String })
    }

    /// A file or folder path, nil when not given; an empty path is refused.
    static func path(_ name: String, _ placeholder: String = "PATH", short: String? = nil, help: String) -> Option {
        Option(spec: .single(name, placeholder, short: short, help: help, convert: { try Parse.path($0) }), resolve: { $0.last as? String })
    }
}

extension Option where Value == String {
    /// Text with a default.
    static func string(_ name: String, _ placeholder: String, short: String? = nil, default value: String, help: String) -> Option {
        Option(spec: .single(name, placeholder, short: short, help: help, defaultText: value) { $0 }, resolve: { ($0.last as? String) ?? value })
    }

    /// A path with a default; an empty path is refused.
    static func path(_ name: String, _ placeholder: String = "PATH", short: String? = nil, default value: String, help: String) -> Option {
        Option(spec: .single(name, placeholder, short: short, help: help, defaultText: value, convert: { try Parse.path($0) }),
               resolve: { ($0.last as? String) ?? value })
    }

    /// Text the command cannot run without. Reading it is safe once parsing succeeded.
    static func required(_ name: String, _ placeholder: String, help: String) -> Option {
        let single = OptionSpec.single(name, placeholder, help: help) { $0 }
        return Option(spec: single.requiring(), resolve: { ($0.last as? String) ?? "" })
    }

    /// One word of `choices`, with a default.
    static func choice(_ name: String, _ placeholder: String, among choices: [String], default value: String, help: String) -> Option {
        Option(spec: .single(name, placeholder, help: help, constraint: Parse.words(choices), defaultText: value) {
            try Parse.choice($0, among: choices)
        }, resolve: { ($0.last as? String) ?? value })
    }
}

extension Option where Value == [String] {
    /// Text, repeatable: every value given, in order.
    static func strings(_ name: String, _ placeholder: String, help: String) -> Option {
        Option(spec: .single(name, placeholder, help: help) { $0 }.repeating(), resolve: { $0.compactMap { $0 as? String } })
    }
}

extension Option where Value == [[String]] {
    /// Several values per occurrence (`--pair A B`), repeatable: each occurrence's values.
    static func tuples(_ name: String, _ placeholders: [String], help: String) -> Option {
        Option(spec: OptionSpec(name: name, short: nil, placeholders: placeholders, repeatable: true, required: false, help: help,
                                constraint: nil, defaultText: nil, convert: { $0 }),
               resolve: { $0.compactMap { $0 as? [String] } })
    }
}

// MARK: - Numbers

extension Option where Value == Int {
    /// An integer in `range`, with a default.
    static func int(_ name: String, _ placeholder: String = "N", default value: Int, range: ClosedRange<Int>, help: String) -> Option {
        Option(spec: .single(name, placeholder, help: help, constraint: Parse.words(range), defaultText: Parse.grouped(value)) {
            try Parse.int($0, in: range)
        }, resolve: { ($0.last as? Int) ?? value })
    }
}

extension Option where Value == Int? {
    /// An integer in `range`, nil when not given (`defaultText` says what that means).
    static func int(_ name: String, _ placeholder: String = "N", range: ClosedRange<Int>, defaultText: String? = nil, help: String) -> Option {
        Option(spec: .single(name, placeholder, help: help, constraint: Parse.words(range), defaultText: defaultText) {
            try Parse.int($0, in: range)
        }, resolve: { $0.last as? Int })
    }
}

extension Option where Value == Double {
    /// A finite number within `bounds`, with a default.
    static func double(_ name: String, _ placeholder: String, default value: Double, bounds: Bounds, help: String) -> Option {
        Option(spec: .single(name, placeholder, help: help, constraint: bounds.words, defaultText: Parse.number(value)) {
            try Parse.double($0, within: bounds)
        }, resolve: { ($0.last as? Double) ?? value })
    }
}

extension Option where Value == Double? {
    /// A finite number within `bounds`, nil when not given.
    static func double(_ name: String, _ placeholder: String, bounds: Bounds, defaultText: String? = nil, help: String) -> Option {
        Option(spec: .single(name, placeholder, help: help, constraint: bounds.words, defaultText: defaultText) {
            try Parse.double($0, within: bounds)
        }, resolve: { $0.last as? Double })
    }
}

// MARK: - Named values

extension Option {
    /// One of an enumeration's raw values (its cases, in order, are the allowed words), nil when
    /// not given. `lowercased` accepts any letter case.
    static func choice<Word>(_ name: String, _ placeholder: String, among cases: [Word] = Array(Word.allCases), lowercased: Bool = false,
                             defaultText: String? = nil, help: String) -> Option where Value == Word?,
        Word: RawRepresentable & CaseIterable & Sendable, Word.RawValue == String {
        Option(spec: .single(name, placeholder, help: help, constraint: Parse.words(cases.map(\.rawValue)), defaultText: defaultText) {
            try Parse.word(lowercased ? $0.lowercased() : $0, among: cases)
        }, resolve: { $0.last as? Word })
    }
}

// MARK: - Anything else

extension Option {
    /// A value read by `parse` (which throws a message for a bad value), with a default.
    /// `constraint` says in words what `parse` accepts.
    static func custom(_ name: String, _ placeholder: String, default value: Value, defaultText: String?, constraint: String? = nil,
                       help: String, parse: @escaping @Sendable (String) throws -> Value) -> Option {
        Option(spec: .single(name, placeholder, help: help, constraint: constraint, defaultText: defaultText) { try parse($0) },
               resolve: { ($0.last as? Value) ?? value })
    }
}

/// The range of a number option: finite, above a lower bound (inclusive or not), at most an
/// upper bound.
struct Bounds: Sendable {
    let lower: Double
    let lowerInclusive: Bool
    let upper: Double

    /// `lower…upper`, both included.
    static func closed(_ lower: Double, _ upper: Double) -> Bounds { Bounds(lower: lower, lowerInclusive: true, upper: upper) }
    /// More than zero, at most `upper`.
    static func positive(max upper: Double) -> Bounds { Bounds(lower: 0, lowerInclusive: false, upper: upper) }

    func contains(_ v: Double) -> Bool { v.isFinite && (lowerInclusive ? v >= lower : v > lower) && v <= upper }

    var words: String {
        lowerInclusive ? "\(Parse.number(lower))…\(Parse.number(upper))" : "> \(Parse.number(lower)), ≤ \(Parse.number(upper))"
    }
}

extension OptionSpec {
    /// A one-value option.
    static func single(_ name: String, _ placeholder: String, short: String? = nil, help: String, constraint: String? = nil,
                       defaultText: String? = nil, convert: @escaping @Sendable (String) throws -> any Sendable) -> OptionSpec {
        OptionSpec(name: name, short: short, placeholders: [placeholder], repeatable: false, required: false, help: help,
                   constraint: constraint, defaultText: defaultText, convert: { try convert($0[0]) })
    }

    func requiring() -> OptionSpec {
        OptionSpec(name: name, short: short, placeholders: placeholders, repeatable: repeatable, required: true, help: help,
                   constraint: constraint, defaultText: defaultText, convert: convert)
    }

    func repeating() -> OptionSpec {
        OptionSpec(name: name, short: short, placeholders: placeholders, repeatable: true, required: required, help: help,
                   constraint: constraint, defaultText: defaultText, convert: convert)
    }
}

/// The conversions and their wording, shared by the factories.
enum Parse {
    static func int(_ s: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(s) else { throw OptionValueError("expects an integer, got '\(s)'") }
        guard range.contains(v) else { throw OptionValueError("must be \(range.upperBound == Int.max ? "" : "within ")\(words(range)), got \(v)") }
        return v
    }

    static func double(_ s: String, within bounds: Bounds) throws -> Double {
        guard let v = Double(s), v.isFinite else { throw OptionValueError("expects a number, got '\(s)'") }
        guard bounds.contains(v) else { throw OptionValueError("must be \(bounds.lowerInclusive ? "within " : "")\(bounds.words), got \(s)") }
        return v
    }

    static func path(_ s: String) throws -> String {
        guard !s.isEmpty else { throw OptionValueError("expects a path, got an empty string") }
        return s
    }

    static func choice(_ s: String, among choices: [String]) throws -> String {
        guard choices.contains(s) else { throw refusal(s, among: choices) }
        return s
    }

    static func word<Word: RawRepresentable>(_ s: String, among cases: [Word]) throws -> Word where Word.RawValue == String {
        guard let w = cases.first(where: { $0.rawValue == s }) else { throw refusal(s, among: cases.map(\.rawValue)) }
        return w
    }

    /// A word that is not one of `choices`, with the nearest as a hint.
    static func refusal(_ s: String, among choices: [String]) -> OptionValueError {
        let hint = EditDistance.nearest(s, among: choices).map { " (did you mean '\($0)'?)" } ?? ""
        return OptionValueError("expects \(words(choices)), got '\(s)'\(hint)")
    }

    /// "a, b or c".
    static func words(_ choices: [String]) -> String {
        choices.count < 2 ? choices.joined() : choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
    }

    /// "1…256", or "at least 1" when there is no real upper bound.
    static func words(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "at least \(grouped(range.lowerBound))" : "\(grouped(range.lowerBound))…\(grouped(range.upperBound))"
    }

    /// 1000000 as "1,000,000", as the help texts write large numbers (below 10,000 as they are).
    static func grouped(_ v: Int) -> String {
        let digits = String(v.magnitude)
        guard digits.count > 4 else { return String(v) }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + out
    }

    /// A number without a needless ".0".
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? grouped(Int(v)) : "\(v)"
    }
}

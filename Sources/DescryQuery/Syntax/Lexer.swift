/// Turns query text into tokens with spans. Lexical rules are in `Grammar/descry.ebnf`.
public struct Lexer {
    /// The text being lexed.
    public let source: String
    private let scalars: [Unicode.Scalar]

    /// Queries longer than this are refused before lexing, so no input can make the passes slow.
    public static let maxLength = 100_000

    /// Creates a lexer over `source`.
    public init(_ source: String) {
        self.source = source
        self.scalars = Array(source.unicodeScalars)
    }

    private static let twoCharSymbols: Set<String> = ["!=", "<>", "<=", ">="]
    private static let oneCharSymbols: Set<Unicode.Scalar> = ["|", ",", "(", ")", "[", "]", "=", "<", ">", "+", "-", "*", "/", "%", ";"]

    /// All tokens, ending with `.end`.
    public func tokenize() throws -> [Token] {
        if scalars.count > Self.maxLength {
            throw QueryError(.lexical, "query is too long (\(scalars.count) characters; the limit is \(Self.maxLength))",
                             at: SourceSpan(start: Self.maxLength, end: scalars.count), source: source)
        }
        var tokens: [Token] = []
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "#" {  // comment to end of line
                while i < n && scalars[i] != "\n" { i += 1 }
                continue
            }
            let start = i
            if Self.isIdentifierStart(c) {
                while i < n && Self.isIdentifierPart(scalars[i]) { i += 1 }
                tokens.append(Token(kind: .identifier(String(String.UnicodeScalarView(scalars[start..<i]))), span: SourceSpan(start: start, end: i)))
                continue
            }
            if Self.isDigit(c) {
                tokens.append(try number(at: &i))
                continue
            }
            if c == "\"" || c == "'" {
                tokens.append(try string(at: &i))
                continue
            }
            if i + 1 < n {
                let pair = String(String.UnicodeScalarView([c, scalars[i + 1]]))
                if Self.twoCharSymbols.contains(pair) {
                    i += 2
                    tokens.append(Token(kind: .symbol(pair == "<>" ? "!=" : pair), span: SourceSpan(start: start, end: i)))
                    continue
                }
            }
            if Self.oneCharSymbols.contains(c) {
                i += 1
                tokens.append(Token(kind: .symbol(String(c)), span: SourceSpan(start: start, end: i)))
                continue
            }
            var hint: String?
            if c == "`" { hint = "DQL has no quoted identifiers; field names are plain words and strings use double quotes" }
            else if c == "!" { hint = "use 'not' for negation, or '!=' for 'not equal'" }
            else if c == "&" { hint = "use 'and'" }
            throw QueryError(.lexical, "unexpected character '\(Self.printable(c))'", at: SourceSpan(start: start, end: start + 1), hint: hint, source: source)
        }
        tokens.append(Token(kind: .end, span: SourceSpan(start: n, end: n)))
        return tokens
    }

    private func number(at i: inout Int) throws -> Token {
        let start = i
        let n = scalars.count
        var isReal = false
        while i < n && (Self.isDigit(scalars[i]) || scalars[i] == "_") { i += 1 }
        if i + 1 < n && scalars[i] == "." && Self.isDigit(scalars[i + 1]) {
            isReal = true
            i += 1
            while i < n && Self.isDigit(scalars[i]) { i += 1 }
        }
        if i < n && (scalars[i] == "e" || scalars[i] == "E") {
            var j = i + 1
            if j < n && (scalars[j] == "+" || scalars[j] == "-") { j += 1 }
            if j < n && Self.isDigit(scalars[j]) {
                isReal = true
                i = j
                while i < n && Self.isDigit(scalars[i]) { i += 1 }
            }
        }
        let span = SourceSpan(start: start, end: i)
        if i < n && Self.isIdentifierStart(scalars[i]) {
            var j = i
            while j < n && Self.isIdentifierPart(scalars[j]) { j += 1 }
            throw QueryError(.lexical, "a number cannot run into a name", at: SourceSpan(start: start, end: j),
                             hint: "put a space between the number and the word", source: source)
        }
        let text = String(String.UnicodeScalarView(scalars[start..<i])).replacingOccurrences(of: "_", with: "")
        if isReal {
            guard let v = Double(text), v.isFinite else {
                throw QueryError(.lexical, "real number out of range", at: span, source: source)
            }
            return Token(kind: .real(v), span: span)
        }
        guard let v = Int64(text) else {
            throw QueryError(.lexical, "integer out of range (the largest is \(Int64.max))", at: span, source: source)
        }
        return Token(kind: .integer(v), span: span)
    }

    private func string(at i: inout Int) throws -> Token {
        let start = i
        let quote = scalars[i]
        let n = scalars.count
        i += 1
        var value = String.UnicodeScalarView()
        while true {
            guard i < n else {
                throw QueryError(.lexical, "unterminated string", at: SourceSpan(start: start, end: n),
                                 hint: "close it with \(quote)", source: source)
            }
            let c = scalars[i]
            if c == quote { i += 1; break }
            if c == "\n" {
                throw QueryError(.lexical, "unterminated string (strings end on the line they start)", at: SourceSpan(start: start, end: i),
                                 hint: "close it with \(quote), or write a line break as \\n", source: source)
            }
            if c == "\\" {
                guard i + 1 < n else { i += 1; continue }
                let e = scalars[i + 1]
                switch e {
                case "\\", "\"", "'": value.append(e); i += 2
                case "n": value.append("\n"); i += 2
                case "t": value.append("\t"); i += 2
                case "u":
                    // \u{XXXX}: one to six hex digits naming a Unicode scalar.
                    var j = i + 2
                    guard j < n, scalars[j] == "{" else {
                        throw QueryError(.lexical, "bad escape: \\u must be followed by {hex digits}", at: SourceSpan(start: i, end: i + 2), source: source)
                    }
                    j += 1
                    let hexStart = j
                    while j < n && scalars[j].properties.isASCIIHexDigit && j - hexStart < 7 { j += 1 }
                    guard j < n, scalars[j] == "}", j > hexStart, j - hexStart <= 6,
                          let code = UInt32(String(String.UnicodeScalarView(scalars[hexStart..<j])), radix: 16),
                          let scalar = Unicode.Scalar(code) else {
                        throw QueryError(.lexical, "bad escape: \\u{…} needs 1 to 6 hex digits naming a Unicode character", at: SourceSpan(start: i, end: min(n, j + 1)), source: source)
                    }
                    value.append(scalar)
                    i = j + 1
                default:
                    throw QueryError(.lexical, "unknown escape '\\\(Self.printable(e))'", at: SourceSpan(start: i, end: i + 2),
                                     hint: "escapes are \\\\ \\\" \\' \\n \\t \\u{hex}", source: source)
                }
                continue
            }
            value.append(c)
            i += 1
        }
        return Token(kind: .string(String(value)), span: SourceSpan(start: start, end: i))
    }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func printable(_ c: Unicode.Scalar) -> String {
        c.properties.generalCategory == .control ? "U+" + String(c.value, radix: 16, uppercase: true) : String(c)
    }
}

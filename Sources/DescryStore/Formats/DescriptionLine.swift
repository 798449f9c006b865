/// One line of the general JSON Lines format: every field explicit.
///
/// ```
/// {"dataset": "pets", "class": "beagle", "text": "…", "kind": "class", "attribute": "ear shape", "source": "mine"}
/// {"dataset": "pets", "kind": "differential", "pair": ["beagle", "pug"], "side": "beagle",
///  "text": "…long ears.", "twin": "…short ears.", "attribute": "ear shape", "position": 0}
/// ```
/// `class`, `pair` and `side` take class names or indexes. `dataset` may be omitted when the
/// import names one. `kind` defaults to `class`, or `differential` when `pair` is given.
public struct DescriptionLine: Sendable, Equatable {
    /// Class reference: a name or an index.
    public enum ClassRef: Sendable, Equatable, CustomStringConvertible {
        case name(String)
        case index(Int)
        public var description: String {
            switch self { case .name(let n): return "\(Excerpt.quote(n))"; case .index(let i): return "index \(i)" }
        }
    }
    /// 1-based line in the file.
    public var line: Int
    /// Dataset name.
    public var dataset: String?
    /// The class described (defaults to `side` for differential lines).
    public var classRef: ClassRef?
    /// The sentence.
    public var text: String
    /// Kind.
    public var kind: DescriptionKind
    /// Raw attribute type.
    public var attribute: String?
    /// The two classes of a differential pair.
    public var pair: (ClassRef, ClassRef)?
    /// The pair's side this text describes.
    public var side: ClassRef?
    /// The other side's sentence of the same prompt pair.
    public var twin: String?
    /// Position of the prompt pair within its pair.
    public var position: Int?
    /// VLM the pair was written for.
    public var vlm: String?

    public static func == (l: DescriptionLine, r: DescriptionLine) -> Bool {
        l.line == r.line && l.dataset == r.dataset && l.classRef == r.classRef && l.text == r.text && l.kind == r.kind
            && l.attribute == r.attribute && l.pair?.0 == r.pair?.0 && l.pair?.1 == r.pair?.1 && l.side == r.side
            && l.twin == r.twin && l.position == r.position && l.vlm == r.vlm
    }

    /// Parses every non-blank line. With `skipInvalid`, bad lines are returned as errors
    /// instead of stopping the read.
    public static func read(_ file: InputFile, skipInvalid: Bool = false) throws -> (lines: [DescriptionLine], errors: [StoreError]) {
        _ = try file.text()
        var out: [DescriptionLine] = []
        var errors: [StoreError] = []
        var start = 0
        var lineNo = 0
        let bytes = file.bytes
        while start < bytes.count {
            lineNo += 1
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let slice = Array(bytes[start..<end])
            start = end + 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                out.append(try parse(slice, line: lineNo, file: file.path))
            } catch let e as StoreError {
                if !skipInvalid { throw e }
                errors.append(e)
            }
        }
        return (out, errors)
    }

    /// The largest class index or position accepted: far above any class list, and small enough
    /// that the conversion from a JSON number can never trap (numbers like 1e400 or 9.3e18 did).
    public static let maximumIndex = 1 << 31

    /// `d` as an index when it is finite, whole and in 0…`maximumIndex`.
    static func index(_ d: Double) -> Int? {
        guard d.isFinite, d == d.rounded(), d >= 0, d <= Double(maximumIndex) else { return nil }
        return Int(d)
    }

    static func parse(_ bytes: [UInt8], line: Int, file: String) throws -> DescriptionLine {
        let doc: JSONDocument
        do { doc = try JSONDocument(bytes: bytes, file: file) } catch StoreError.malformedJSON(let loc, let m) {
            throw StoreError.malformedJSON(InputLocation(file: file, line: line, column: loc.column), m)
        }
        func at(_ path: String) -> InputLocation { InputLocation(file: file, line: line, path: path) }
        guard case .object(let f) = doc.root.value else {
            throw StoreError.invalidInput(at("$"), "expected a JSON object on each line, found \(doc.root.value.typeName)")
        }
        func string(_ key: String) throws -> String? {
            guard let m = f.first(where: { $0.key == key }) else { return nil }
            switch m.value.value {
            case .null: return nil
            case .string(let s): return s
            default: throw StoreError.invalidInput(at(key), "field \(Excerpt.quote(key)) must be a string, found \(m.value.value.typeName)")
            }
        }
        func classRef(_ node: JSONNode, _ path: String) throws -> ClassRef {
            switch node.value {
            case .string(let s): return .name(s)
            case .number(let d):
                guard let i = index(d) else {
                    throw StoreError.invalidInput(at(path), "class index \(d) is not a whole number from 0 to \(maximumIndex)")
                }
                return .index(i)
            default: throw StoreError.invalidInput(at(path), "expected a class name or index, found \(node.value.typeName)")
            }
        }
        for m in f where !["dataset", "class", "text", "kind", "attribute", "pair", "side", "twin", "position", "vlm", "source", "id"].contains(m.key) {
            throw StoreError.invalidInput(at(m.key), "unknown field \(Excerpt.quote(m.key))")
        }
        guard let text = try string("text") else { throw StoreError.invalidInput(at("text"), "missing field 'text'") }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw StoreError.invalidInput(at("text"), "empty description text") }
        var pair: (ClassRef, ClassRef)?
        if let p = f.first(where: { $0.key == "pair" })?.value {
            guard case .array(let items) = p.value, items.count == 2 else {
                throw StoreError.invalidInput(at("pair"), "field 'pair' must be an array of two classes")
            }
            pair = (try classRef(items[0], "pair[0]"), try classRef(items[1], "pair[1]"))
        }
        var kind: DescriptionKind = pair == nil ? .class : .differential
        if let k = try string("kind") {
            guard let parsed = DescriptionKind(rawValue: k) else {
                throw StoreError.invalidInput(at("kind"), "unknown kind \(Excerpt.quote(k)) (use class, differential, template or classname)")
            }
            kind = parsed
        }
        if kind == .differential && pair == nil { throw StoreError.invalidInput(at("pair"), "a differential description needs 'pair'") }
        let side = try f.first(where: { $0.key == "side" }).map { try classRef($0.value, "side") }
        if kind == .differential && side == nil { throw StoreError.invalidInput(at("side"), "a differential description needs 'side'") }
        var position: Int?
        if let p = f.first(where: { $0.key == "position" })?.value {
            guard case .number(let d) = p.value, let i = index(d) else {
                throw StoreError.invalidInput(at("position"), "field 'position' must be a whole number from 0 to \(maximumIndex)")
            }
            position = i
        }
        let cls = try f.first(where: { $0.key == "class" }).map { try classRef($0.value, "class") }
        if (kind == .class || kind == .classname) && cls == nil { throw StoreError.invalidInput(at("class"), "missing field 'class'") }
        let twin = try string("twin")
        if let twin, twin.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw StoreError.invalidInput(at("twin"), "empty twin text") }
        return DescriptionLine(line: line, dataset: try string("dataset"), classRef: cls ?? side, text: text, kind: kind,
                               attribute: try string("attribute"), pair: pair, side: side, twin: twin, position: position, vlm: try string("vlm"))
    }
}

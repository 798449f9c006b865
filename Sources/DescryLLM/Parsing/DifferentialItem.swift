import DescryStore
import Foundation

/// One attribute of a differential answer: the attribute type and one sentence per class,
/// as in the FuDD prompt-pair files.
public struct DifferentialItem: Sendable, Equatable {
    /// The attribute type as the LLM named it ("ear shape").
    public var attribute: String
    /// The sentence about class A.
    public var textA: String
    /// The sentence about class B.
    public var textB: String

    /// Creates an item.
    public init(attribute: String, textA: String, textB: String) {
        self.attribute = attribute
        self.textA = textA
        self.textB = textB
    }

    /// Parses and validates an answer to the differential prompt for classes `a` and `b`:
    /// a list (top level, or under `pairs`/`attributes`/`differences`) of objects, each with a
    /// non-empty attribute and a non-empty sentence keyed by each class name (matched like
    /// class names are everywhere: case, underscores and spacing ignored).
    public static func parse(_ text: String, classA a: String, classB b: String) throws -> [DifferentialItem] {
        func bad(_ why: String) -> LLMError { .invalidAnswer(reason: why, raw: text) }
        let json = try JSONExtraction.extract(text)
        var list: [Any]?
        if let arr = json as? [Any] { list = arr } else if let obj = json as? [String: Any] {
            list = (obj["pairs"] ?? obj["attributes"] ?? obj["differences"] ?? obj["items"]) as? [Any]
        }
        guard let items = list else { throw bad("expected a list of attributes under \"pairs\"") }
        guard !items.isEmpty else { throw bad("the list of attributes is empty") }
        let keyA = ClassName.matchKey(a), keyB = ClassName.matchKey(b)
        var out: [DifferentialItem] = []
        for (i, any) in items.enumerated() {
            guard let obj = any as? [String: Any] else { throw bad("item \(i + 1) is not an object") }
            var byKey: [String: Any] = [:]
            for (k, v) in obj { byKey[ClassName.matchKey(k)] = v }
            let attr = (byKey["attribute"] ?? byKey["attribute type"] ?? byKey["attr type"] ?? byKey["type"]) as? String
            guard let attribute = attr?.trimmingCharacters(in: .whitespacesAndNewlines), !attribute.isEmpty else {
                throw bad("item \(i + 1) has no attribute")
            }
            func side(_ key: String, _ name: String, _ fallback: String) throws -> String {
                guard let t = (byKey[key] ?? byKey[fallback]) as? String else { throw bad("item \(i + 1) has no sentence for '\(name)'") }
                let s = t.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !s.isEmpty else { throw bad("item \(i + 1) has an empty sentence for '\(name)'") }
                return s
            }
            let ta = try side(keyA, a, "class a"), tb = try side(keyB, b, "class b")
            guard ta != tb else { throw bad("item \(i + 1) gives both classes the same sentence") }
            out.append(DifferentialItem(attribute: attribute, textA: ta, textB: tb))
        }
        return out
    }
}

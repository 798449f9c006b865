import Foundation

/// Reads prompt templates: a JSON array of strings, each with one `{}` (or `{c}`) placeholder
/// for the class name, like the 80 CLIP templates.
public enum TemplateReader {
    /// Reads and validates the templates.
    public static func read(_ file: InputFile) throws -> [String] {
        let doc = try file.json()
        let r = JSONReader(doc)
        let items = try r.array(doc.root, path: "$")
        return try items.enumerated().map { i, node in
            let t = try r.string(node, path: "[\(i)]")
            guard t.contains("{}") || t.contains("{c}") else {
                throw StoreError.invalidInput(doc.location(of: node, path: "[\(i)]"), "template \(Excerpt.quote(t)) has no {} placeholder for the class name")
            }
            return t
        }
    }
}

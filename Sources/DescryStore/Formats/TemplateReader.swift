import Foundation

/// Reads prompt templates: a JSON array of strings, each with one `{}` (or `{c}`) placeholder
/// for the class name, like the 80 CLIP templates.
public enum TemplateReader {
    /// Reads and validates the templates. A template without a placeholder, or a value that
    /// is not a string, is an error naming its position; with `skipInvalid` it is left out and
    /// listed in the second result.
    public static func read(_ file: InputFile, skipInvalid: Bool = false) throws -> [String] {
        try readReporting(file, skipInvalid: skipInvalid).templates
    }

    public static func readReporting(_ file: InputFile, skipInvalid: Bool) throws -> (templates: [String], skipped: [StoreError]) {
        let doc = try file.json()
        let r = JSONReader(doc)
        let items = try r.array(doc.root, path: "$")
        var out: [String] = [], skipped: [StoreError] = []
        let hint = " (--skip-invalid leaves such items out and imports the rest)"
        for (i, node) in items.enumerated() {
            let at = doc.location(of: node, path: "[\(i)]")
            guard case .string(let t) = node.value else {
                if skipInvalid { skipped.append(.invalidInput(at, "expected a string, found \(node.value.typeName)")); continue }
                throw StoreError.invalidInput(at, "expected a string, found \(node.value.typeName)" + hint)
            }
            guard t.contains("{}") || t.contains("{c}") else {
                let message = "template \(Excerpt.quote(t)) has no {} placeholder for the class name"
                if skipInvalid { skipped.append(.invalidInput(at, message)); continue }
                throw StoreError.invalidInput(at, message + hint)
            }
            out.append(t)
        }
        return (out, skipped)
    }
}

/// Collects the items an importer leaves out with `--skip-invalid`: in strict mode the first
/// problem is thrown with a sentence that says how to skip; with `skipInvalid` it is recorded
/// (with its position) and reading goes on.
struct InvalidItems {
    /// The sentence appended to every strict error an item can cause.
    static let skipHint = " (--skip-invalid leaves such items out and imports the rest)"

    let skipInvalid: Bool
    var skipped: [String] = []

    mutating func report(_ at: InputLocation, _ message: String) throws {
        if !skipInvalid { throw StoreError.invalidInput(at, message + Self.skipHint) }
        skipped.append("\(StoreError.invalidInput(at, message))")
    }

    /// Checks a JSON value is a non-blank string; nil (after reporting) when it is not.
    mutating func text(_ node: JSONNode, in doc: JSONDocument, path: String) throws -> String? {
        let at = doc.location(of: node, path: path)
        guard case .string(let t) = node.value else {
            try report(at, "expected a string, found \(node.value.typeName)")
            return nil
        }
        if InvalidItems.isBlank(t) {
            try report(at, "empty description text")
            return nil
        }
        return t
    }

    /// Empty or whitespace only.
    static func isBlank(_ s: some StringProtocol) -> Bool { s.allSatisfy { $0.isWhitespace } }
}

/// Typed access to a `JSONDocument`'s nodes, turning a wrong type into an error that names
/// the file, line, column and JSON path.
struct JSONReader {
    let doc: JSONDocument
    init(_ doc: JSONDocument) { self.doc = doc }

    func fail(_ node: JSONNode, _ path: String, _ message: String) -> StoreError {
        .invalidInput(doc.location(of: node, path: path), message)
    }

    func object(_ node: JSONNode, path: String) throws -> [(key: String, value: JSONNode)] {
        guard case .object(let m) = node.value else { throw fail(node, path, "expected an object, found \(node.value.typeName)") }
        return m
    }

    func array(_ node: JSONNode, path: String) throws -> [JSONNode] {
        guard case .array(let a) = node.value else { throw fail(node, path, "expected an array, found \(node.value.typeName)") }
        return a
    }

    func string(_ node: JSONNode, path: String) throws -> String {
        guard case .string(let s) = node.value else { throw fail(node, path, "expected a string, found \(node.value.typeName)") }
        return s
    }

    func strings(_ node: JSONNode, path: String) throws -> [String] {
        try array(node, path: path).enumerated().map { try string($0.element, path: "\(path)[\($0.offset)]") }
    }

    func integer(_ node: JSONNode, path: String) throws -> Int {
        guard case .number(let d) = node.value, d == d.rounded(), abs(d) < 1e15 else {
            throw fail(node, path, "expected an integer, found \(node.value.typeName)")
        }
        return Int(d)
    }

    /// A member of an object, or an error naming the missing key.
    func required(_ members: [(key: String, value: JSONNode)], _ key: String, path: String, in node: JSONNode? = nil) throws -> JSONNode {
        if let m = members.first(where: { $0.key == key }) { return m.value }
        let loc = node.map { doc.location(of: $0, path: path) } ?? InputLocation(file: doc.file, path: path)
        throw StoreError.invalidInput(loc, "missing field '\(key)'")
    }

    /// A member of an object, or nil.
    func optional(_ members: [(key: String, value: JSONNode)], _ key: String) -> JSONNode? {
        guard let m = members.first(where: { $0.key == key }) else { return nil }
        if case .null = m.value.value { return nil }
        return m.value
    }
}

import DescryFakes
import DescryLLM
import DescryStore
import DescryTestSupport
import Foundation
import XCTest

/// The LLM tests' own helpers: a fresh store with a small dataset, a client whose backoff
/// delays are recorded instead of slept, canned answers. Paths and temporary folders come from
/// DescryTestSupport.
enum TestSupport {
    /// The checkout's root.
    static var root: String { TestPackage.root }

    static var dataDirectory: String { TestPackage.dataDirectory }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        try TemporaryDirectory.make(prefix: "descry-llm-tests")
    }

    static let classNames = ["beagle", "basset_hound", "pug", "Persian", "Siamese", "Bengal"]

    /// A new store holding dataset `pets` with `classNames`.
    static func store(in dir: String? = nil) throws -> Store {
        let d = try dir ?? temporaryDirectory()
        let store = try Store(path: d + "/descry.db", taxonomy: try AttributeTaxonomy.shipped(dataDirectory: dataDirectory), create: true)
        try store.write {
            let (id, _) = try store.ensureDataset(named: "pets")
            try store.setClasses(datasetID: id, names: classNames, file: "test")
        }
        return store
    }

    static func prompt(_ name: String) throws -> PromptTemplate {
        try PromptTemplate.load(name: name, dataDirectory: dataDirectory)
    }

    /// A configuration for the loopback server with fast backoff.
    static func configuration(_ server: LoopbackChatServer, key: String? = "sk-test-SECRET-0123456789", concurrency: Int = 4) -> LLMConfiguration {
        var c = LLMConfiguration(baseURL: server.baseURL, model: "test-model", apiKey: key)
        c.backoffBase = 0.001
        c.backoffMax = 0.01
        c.timeout = 5
        c.maxAttempts = 4
        c.concurrency = concurrency
        return c
    }

    /// A client that records backoff delays and does not wait them.
    static func client(_ configuration: LLMConfiguration, delays: DelayLog = DelayLog()) throws -> ChatClient {
        try ChatClient(configuration: configuration, sleeper: { s in delays.append(s) })
    }

    /// A differential answer for two classes, `n` attributes.
    static func differentialAnswer(_ a: String, _ b: String, n: Int = 2, tag: String = "") -> String {
        let items = (0..<n).map { i in
            "{\"attribute\": \"ear shape\(i == 0 ? "" : " \(i)")\", \"\(a)\": \"A \(a) has ears of kind \(i), unlike a \(b)\(tag).\", \"\(b)\": \"A \(b) has ears of other kind \(i), unlike a \(a)\(tag).\"}"
        }
        return "{\"pairs\": [" + items.joined(separator: ", ") + "]}"
    }

    /// Class names of the two classes a differential request asks about, read from its body.
    static func pairNames(_ body: String) -> (String, String)? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let messages = obj["messages"] as? [[String: Any]], let user = messages.first(where: { $0["role"] as? String == "user" })?["content"] as? String,
              let r = user.range(of: "show either a "), let r2 = user.range(of: ", and the two") else { return nil }
        let middle = user[r.upperBound..<r2.lowerBound]
        let parts = middle.components(separatedBy: " or a ")
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    /// The count of rows of a query's first column.
    static func count(_ store: Store, _ sql: String, _ values: [DatabaseValueConvertible] = []) throws -> Int {
        try store.database.scalar(sql, values).int ?? 0
    }
}

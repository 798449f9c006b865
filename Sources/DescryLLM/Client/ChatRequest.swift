import Foundation
import DescryStore

/// A chat-completions request: model, messages and sampling parameters. Its body is written in
/// one fixed key order so that the same request always has the same bytes and the same hash —
/// the key of the request cache.
public struct ChatRequest: Sendable, Equatable {
    /// The model.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Sampling temperature.
    public var temperature: Double
    /// Upper bound on the answer's tokens.
    public var maxTokens: Int
    /// Ask for a JSON object answer.
    public var jsonMode: Bool

    /// Creates a request.
    public init(model: String, messages: [ChatMessage], temperature: Double, maxTokens: Int, jsonMode: Bool) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
    }

    /// A request with the configuration's model and parameters.
    public init(messages: [ChatMessage], configuration c: LLMConfiguration) {
        self.init(model: c.model, messages: messages, temperature: c.temperature, maxTokens: c.maxTokens, jsonMode: c.jsonMode)
    }

    /// The JSON body sent to the server (and stored in the cache), canonical: fixed key order,
    /// no whitespace, temperature printed with up to 4 decimals.
    public var body: String {
        var s = "{\"model\":" + JSONWriter.quote(model) + ",\"messages\":["
        for (i, m) in messages.enumerated() {
            if i > 0 { s += "," }
            s += "{\"role\":" + JSONWriter.quote(m.role) + ",\"content\":" + JSONWriter.quote(m.content) + "}"
        }
        s += "],\"temperature\":" + Self.number(temperature) + ",\"max_tokens\":\(maxTokens)"
        if jsonMode { s += ",\"response_format\":{\"type\":\"json_object\"}" }
        return s + "}"
    }

    /// SHA-256 of the body: the cache key.
    public var hash: String { Hashing.sha256Hex(body) }

    /// A rough token count of the prompt (4 characters a token, plus a few per message), for
    /// `--dry-run` estimates. Real tokenizers differ by model; this is an estimate only.
    public var estimatedPromptTokens: Int {
        messages.reduce(3) { $0 + 4 + ($1.content.utf8.count + 3) / 4 }
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

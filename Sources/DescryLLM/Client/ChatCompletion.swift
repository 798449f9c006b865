import Foundation

/// The part of a chat-completions answer Descry keeps: the first choice's text and the usage.
public struct ChatCompletion: Sendable, Equatable {
    /// The assistant's text.
    public var content: String
    /// Tokens used.
    public var usage: TokenUsage
    /// `stop`, `length`…, when given.
    public var finishReason: String?
    /// Attempts it took (1 when the first succeeded); 0 for an answer from the cache.
    public var attempts: Int

    /// Creates a completion.
    public init(content: String, usage: TokenUsage = TokenUsage(), finishReason: String? = nil, attempts: Int = 1) {
        self.content = content
        self.usage = usage
        self.finishReason = finishReason
        self.attempts = attempts
    }

    /// Decodes a chat-completions response body; nil when it is not one.
    public static func decode(_ data: Data) -> ChatCompletion? {
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = obj["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else { return nil }
        // Some servers send null content with a refusal or tool call; that is an empty answer.
        let content = message["content"] as? String ?? ""
        var usage = TokenUsage()
        if let u = obj["usage"] as? [String: Any] {
            func int(_ k: String) -> Int { (u[k] as? NSNumber)?.intValue ?? 0 }
            usage = TokenUsage(promptTokens: int("prompt_tokens"), completionTokens: int("completion_tokens"), totalTokens: int("total_tokens"))
        }
        return ChatCompletion(content: content, usage: usage, finishReason: first["finish_reason"] as? String)
    }
}

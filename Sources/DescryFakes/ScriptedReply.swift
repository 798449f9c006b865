/// What the loopback server does with one request.
public enum ScriptedReply: Sendable {
    /// Answers with a status, a body and extra headers, after `delay` seconds.
    case respond(status: Int, body: String, headers: [String: String], delay: Double)
    /// Closes the connection without answering, after `delay` seconds.
    case drop(delay: Double)
    /// Answers with raw body bytes (a gzip body with `Content-Encoding: gzip`, say).
    case respondBytes(status: Int, body: [UInt8], headers: [String: String])
    /// Sends the headers at once, then the body one byte every `interval` seconds: a server
    /// that never trips a per-read timeout.
    case trickle(status: Int, body: String, interval: Double)
    /// A chunked body that never ends: one small chunk every `interval` seconds, until the
    /// client goes away (or `limit` chunks, so the thread ends in any case).
    case endless(interval: Double, limit: Int)

    /// A 200 chat completion whose assistant text is `content`.
    public static func completion(_ content: String, delay: Double = 0, promptTokens: Int = 10, completionTokens: Int = 20) -> ScriptedReply {
        .respond(status: 200, body: LoopbackChatServer.completionBody(content, promptTokens: promptTokens, completionTokens: completionTokens),
                 headers: [:], delay: delay)
    }

    /// An error status with an OpenAI-style error body.
    public static func error(_ status: Int, _ message: String, headers: [String: String] = [:], delay: Double = 0) -> ScriptedReply {
        .respond(status: status, body: "{\"error\":{\"message\":\(LoopbackChatServer.quote(message)),\"type\":\"test\"}}", headers: headers, delay: delay)
    }
}

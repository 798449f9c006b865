/// A request the loopback server received.
public struct ReceivedRequest: Sendable, Equatable {
    /// Arrival order, from 0.
    public let index: Int
    /// `POST`, `GET`…
    public let method: String
    /// The request target ("/v1/chat/completions").
    public let path: String
    /// Headers, names lowercased.
    public let headers: [String: String]
    /// The body as text.
    public let body: String

    /// Creates a record.
    public init(index: Int, method: String, path: String, headers: [String: String], body: String) {
        self.index = index
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

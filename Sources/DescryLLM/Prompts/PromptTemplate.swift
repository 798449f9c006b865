import DescryStore
import Foundation

/// A prompt read from `Data/prompts/<name>.json`: a system message, a user message with
/// `{placeholders}`, the corrective message sent after an unusable answer, and, for prompt
/// sets, the questions asked in turn. Prompts are data so their wording can change without
/// code; the id is recorded with every description they produce.
public struct PromptTemplate: Sendable, Equatable {
    /// The id recorded as `sources.prompt_id` ("differential-v1").
    public let id: String
    /// The file it came from.
    public let path: String
    /// The system message.
    public let system: String
    /// The user message, with placeholders such as `{class_a}`.
    public let user: String
    /// The message sent after an unusable answer; `{problem}` names what was wrong.
    public let corrective: String
    /// Questions of a prompt set (EX2/CuPL-style), each filling `{question}`; empty otherwise.
    public let questions: [String]
    /// SHA-256 of the file's bytes: a changed wording is a different source.
    public let contentHash: String

    /// The shipped prompt names.
    public static let shipped = ["differential", "descriptions-ex2", "descriptions-cupl", "judge"]

    /// Loads `<dataDirectory>/prompts/<name>.json`.
    public static func load(name: String, dataDirectory: String) throws -> PromptTemplate {
        let path = ((dataDirectory as NSString).appendingPathComponent("prompts") as NSString).appendingPathComponent(name + ".json")
        return try load(path: path)
    }

    /// Loads a prompt file, naming the missing or mistyped field on error.
    public static func load(path: String) throws -> PromptTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LLMError.promptFile(path: path, message: "no such prompt file or it cannot be read")
        }
        guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LLMError.promptFile(path: path, message: "not a JSON object")
        }
        func field(_ k: String) throws -> String {
            guard let v = obj[k] as? String, !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw LLMError.promptFile(path: path, message: "field '\(k)' is missing or not a non-empty string")
            }
            return v
        }
        var questions: [String] = []
        if let q = obj["questions"] {
            guard let list = q as? [String], !list.isEmpty, list.allSatisfy({ !$0.isEmpty }) else {
                throw LLMError.promptFile(path: path, message: "field 'questions' must be a non-empty array of non-empty strings")
            }
            questions = list
        }
        let user = try field("user")
        if !questions.isEmpty && !user.contains("{question}") {
            throw LLMError.promptFile(path: path, message: "a prompt with 'questions' needs {question} in 'user'")
        }
        return PromptTemplate(id: try field("id"), path: path, system: try field("system"), user: user,
                              corrective: try field("corrective"), questions: questions,
                              contentHash: Hashing.sha256Hex(Array(data)))
    }

    /// Creates a template from parts (tests, custom prompts).
    public init(id: String, path: String = "", system: String, user: String, corrective: String, questions: [String] = [], contentHash: String = "") {
        self.id = id
        self.path = path
        self.system = system
        self.user = user
        self.corrective = corrective
        self.questions = questions
        self.contentHash = contentHash.isEmpty ? Hashing.sha256Hex(id + "\u{0}" + system + "\u{0}" + user + "\u{0}" + corrective + "\u{0}" + questions.joined(separator: "\u{0}")) : contentHash
    }

    /// The system and user messages with `{name}` placeholders filled.
    public func messages(_ values: [String: String]) -> [ChatMessage] {
        [.system(Self.fill(system, values)), .user(Self.fill(user, values))]
    }

    /// The corrective turn: the unusable answer as the assistant's, then the correction.
    public func correction(of request: [ChatMessage], answer: String, problem: String) -> [ChatMessage] {
        request + [.assistant(answer), .user(Self.fill(corrective, ["problem": problem]))]
    }

    /// Replaces each `{name}` whose name is in `values`; other braces (JSON examples) stay.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest.index(after: open)
            if let close = rest[after...].firstIndex(of: "}"), let v = values[String(rest[after..<close])] {
                out += v
                rest = rest[rest.index(after: close)...]
            } else {
                out += "{"
                rest = rest[after...]
            }
        }
        return out + rest
    }
}

import DescryLLM

/// What `--dry-run --json` prints: the requests and the totals of those that would be sent.
struct DryRunSummary: Encodable {
    let model: String
    let url: String
    let requests: [PlannedRequest]
    let toSend: Int
    let cached: Int
    let promptTokens: Int
    let maxAnswerTokens: Int
}

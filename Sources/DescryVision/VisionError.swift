/// The one error type of `DescryVision`. Every case names the file, field or call at fault and
/// reads as a sentence, so the CLI can print `String(describing:)` as is.
public enum VisionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file the caller named does not exist or cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A tokenizer vocabulary or merges file is malformed.
    case badVocabulary(path: String, reason: String)
    /// An image file could not be decoded (corrupt, truncated or unsupported).
    case badImage(path: String, reason: String)
    /// No ONNX Runtime library could be loaded; `tried` lists every place looked at, in order.
    case runtimeNotFound(tried: [String])
    /// ONNX Runtime returned an error status; `message` is ORT's own text.
    case runtime(call: String, code: Int, message: String)
    /// An ONNX model does not have the inputs or outputs Descry needs.
    case badModel(path: String, reason: String)
    /// A `descry-model.json` manifest is missing, malformed or inconsistent.
    case badManifest(path: String, field: String, reason: String)
    /// What Descry fed a graph input does not fit it: `expected` is the input as the graph
    /// declares it (`tensor(int32) [batch, 77]`), `fed` what Descry gave (`tensor(int64) [4, 77]`).
    case badFeed(path: String, input: String, expected: String, fed: String)
    /// ONNX Runtime refused to run a graph on inputs that passed Descry's checks; `fed` lists
    /// each input as given, `message` is ORT's own text.
    case inferenceFailed(path: String, fed: String, message: String)
    /// A caller passed an argument outside what the API accepts.
    case invalidArgument(String)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .badVocabulary(let path, let reason):
            return "bad tokenizer vocabulary '\(path)': \(reason)"
        case .badImage(let path, let reason):
            return "cannot decode image '\(path)': \(reason)"
        case .runtimeNotFound(let tried):
            return "ONNX Runtime library not found; tried, in order: " + tried.joined(separator: ", ")
                + " (set DESCRY_ONNXRUNTIME to the path of libonnxruntime.so, install Descry with `make install`, or run `make deps` in a checkout)"
        case .runtime(let call, let code, let message):
            return "ONNX Runtime \(call) failed (code \(code)): \(message)"
        case .badModel(let path, let reason):
            return "unusable model '\(path)': \(reason)"
        case .badManifest(let path, let field, let reason):
            return "bad model manifest '\(path)', field '\(field)': \(reason)"
        case .badFeed(let path, let input, let expected, let fed):
            return "\(path): input '\(input)' expects \(expected); Descry fed \(fed)"
        case .inferenceFailed(let path, let fed, let message):
            return "\(path): ONNX Runtime cannot run the graph on what Descry fed (\(fed)): \(message)"
        case .invalidArgument(let message):
            return message
        }
    }
}

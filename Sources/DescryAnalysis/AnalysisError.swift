import DescryStore

/// Every failure of the analysis module, each with a message that says what to do.
public enum AnalysisError: Error, CustomStringConvertible, Sendable {
    /// The dataset has no classes.
    case noClasses(dataset: String)
    /// Texts the analysis needs have no cached embedding for the VLM.
    case missingTextEmbeddings(vlm: String, dataset: String, count: Int, example: String)
    /// The dataset's images have no cached embedding for the VLM.
    case missingImageEmbeddings(vlm: String, dataset: String)
    /// No labelled image has an embedding.
    case noLabelledImages(dataset: String)
    /// An argument is out of range or malformed.
    case invalidArgument(String)
    /// Vectors of different dimensions were mixed.
    case dimensionMismatch(expected: Int, found: Int, what: String)
    /// A data file (lexicon, labelled sample) is malformed.
    case badDataFile(path: String, reason: String)
    /// A store failure.
    case store(StoreError)

    /// The message, saying what to do.
    public var description: String {
        switch self {
        case .noClasses(let d):
            return "dataset '\(d)' has no classes; import them first (`descry import classes FILE --dataset \(d)` or `descry import fudd DIR --dataset \(d)`)"
        case .missingTextEmbeddings(let v, let d, let n, let ex):
            return "\(n) text(s) of dataset '\(d)' have no embedding for VLM '\(v)' (e.g. \"\(ex)\"); run `descry embed texts --vlm \(v) --dataset \(d)`, or pass --embed-missing to let the VLM embed the prompts the analysis adds (such as 'a photo of a {c}.' when no templates were imported)"
        case .missingImageEmbeddings(let v, let d):
            return "the images of dataset '\(d)' have no embeddings for VLM '\(v)' yet; run `descry embed images --vlm \(v) --dataset \(d)`"
        case .noLabelledImages(let d):
            return "dataset '\(d)' has no labelled images to evaluate on; register them with `descry images add \(d) DIR` (one folder per class)"
        case .invalidArgument(let m): return m
        case .dimensionMismatch(let e, let f, let w):
            return "\(w) has dimension \(f) but \(e) was expected; were the vectors made by different VLMs? Re-run `descry embed` for one VLM"
        case .badDataFile(let p, let r): return "\(p): \(r)"
        case .store(let e): return e.description
        }
    }
}

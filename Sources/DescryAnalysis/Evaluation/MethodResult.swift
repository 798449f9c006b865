/// The measured accuracy of one method (and k, for FuDD) on a dataset, as CLIP_benchmark
/// reports it.
public struct MethodResult: Sendable, Codable, Equatable {
    /// The method.
    public var method: ZeroShotMethod
    /// FuDD's k after clamping (nil for the baselines).
    public var k: Int?
    /// The aggregation of several prompts per class.
    public var aggregation: Aggregation
    /// Top-1 accuracy.
    public var top1: Double
    /// Top-5 accuracy; nil with fewer than 5 classes (undefined).
    public var top5: Double?
    /// Mean over classes (with images) of per-class recall (balanced accuracy).
    public var meanPerClassRecall: Double
    /// Top-1 accuracy per class position; nil for a class without images.
    public var perClassAccuracy: [Double?]
    /// Images evaluated.
    public var images: Int
    /// SHA-256 of the exact prompts used (see `PromptLibrary.promptHash`).
    public var promptHash: String

    /// A label such as "fudd k=3" or "template".
    public var label: String { k.map { "\(method.rawValue) k=\($0)" } ?? method.rawValue }
}

/// Classifies single image vectors with one method; used by `descry classify`.
public struct ZeroShotClassifier {
    /// The prompts.
    public let library: PromptLibrary
    /// The method.
    public let method: ZeroShotMethod
    /// FuDD's k after clamping.
    public let k: Int
    /// Notes (k clamped).
    public let notes: [String]
    let head: PromptHead
    let fudd: FuDDClassifier?
    let prompts: [[String]]
    let promptVectors: [[[Float]]]

    /// A classifier; `k` is clamped to the number of classes with a note.
    public init(library: PromptLibrary, source: TextVectorSource, method: ZeroShotMethod, k: Int = 10,
                aggregation: Aggregation = .similarityOfMean, options: PromptOptions = PromptOptions()) throws {
        guard !library.classes.isEmpty else { throw AnalysisError.noClasses(dataset: library.dataset) }
        guard k >= 1 else { throw AnalysisError.invalidArgument("k must be at least 1") }
        let clamped = KSelection.clamp([k], classCount: library.classes.count)
        self.library = library
        self.method = method
        self.k = clamped.ks[0]
        self.notes = library.notes + clamped.notes
        let prompts = library.prompts(for: method, options: options)
        let flat = try source.vectors(for: prompts.flatMap { $0 })
        var i = 0
        let perClass: [[[Float]]] = prompts.map { ps in defer { i += ps.count }; return Array(flat[i..<(i + ps.count)]) }
        self.prompts = prompts
        self.promptVectors = perClass
        let dim = flat.first?.count ?? 0
        self.head = try PromptHead(classVectors: perClass, dim: dim, aggregation: method == .fudd ? .similarityOfMean : aggregation)
        self.fudd = method == .fudd ? try FuDDClassifier(library: library, source: source, options: options, aggregation: aggregation) : nil
    }

    /// The `top` best classes for one unit image vector, with the deciding sentences of the
    /// two leading classes.
    public func classify(_ image: [Float], top: Int = 5) throws -> ImageClassification {
        guard image.count == head.matrix.columns else {
            throw AnalysisError.dimensionMismatch(expected: head.matrix.columns, found: image.count, what: "the image embedding")
        }
        let first = Ranking.top(head.scores(image, count: 1), count: max(top, method == .fudd ? k : top))
        guard let fudd else {
            let r = Ranking(classes: Array(first.classes.prefix(top)), scores: Array(first.scores.prefix(top)))
            let evidence = method == .descriptions ? r.classes.prefix(2).map { c in
                (c, zip(prompts[c], promptVectors[c]).map { ($0, Matrix.dot(image, $1)) }.sorted { $0.1 > $1.1 })
            } : []
            return ImageClassification(ranking: r, evidence: evidence, k: nil, notes: notes)
        }
        let candidates = Array(first.classes.prefix(k))
        var r = fudd.rerank(image, candidates: candidates)
        for j in stride(from: k, to: first.classes.count, by: 1) { r.classes.append(first.classes[j]); r.scores.append(first.scores[j]) }
        r = Ranking(classes: Array(r.classes.prefix(top)), scores: Array(r.scores.prefix(top)))
        let evidence = r.classes.prefix(2).filter { candidates.contains($0) }.map { c in (c, fudd.evidence(image, class: c, among: candidates)) }
        return ImageClassification(ranking: r, evidence: evidence, k: k, notes: notes)
    }
}

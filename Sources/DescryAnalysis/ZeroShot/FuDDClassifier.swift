import Foundation

/// Follow-up Differential Descriptions (FuDD), as in the paper's reference code: the first
/// step ranks every class with the single template; for each image, every class among its top
/// k collects the differential sentences describing it in each pair it forms with the other
/// k − 1 classes (a pair without sentences contributes the class's template prompt instead),
/// deduplicated like the reference's `list(set(...))`; the class embedding is the normalised
/// mean of those sentence embeddings, and the k classes are re-ranked by cosine.
/// k = number of classes is the variant without follow-up (all pairs at once).
public struct FuDDClassifier: Sendable {
    /// The number of classes.
    public let classCount: Int
    /// The first step: the single template per class.
    public let firstStep: PromptHead
    /// The aggregation of each class's sentences.
    public let aggregation: Aggregation
    /// The distinct prompt texts, aligned with the rows of `vectors`.
    public let texts: [String]
    /// Unit embeddings of `texts`.
    public let vectors: Matrix
    /// Whether each class's sentences are deduplicated.
    public let deduplicate: Bool
    let templateRow: [Int]
    let pairs: PairTable

    /// Builds the classifier from a library, embedding (or reading) every prompt it may use.
    public init(library: PromptLibrary, source: TextVectorSource, options: PromptOptions = PromptOptions(),
                aggregation: Aggregation = .similarityOfMean) throws {
        let all = library.texts(for: .fudd, options: options)
        let vs = try source.vectors(for: all)
        let dim = vs.first?.count ?? 0
        let row = Dictionary(all.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var pairs: [PairKey: (lo: [Int], hi: [Int])] = [:]
        for key in library.differential.keys {
            let lo = (library.pairPrompts(side: key.lo, other: key.hi, options: options) ?? []).map { row[$0]! }
            let hi = (library.pairPrompts(side: key.hi, other: key.lo, options: options) ?? []).map { row[$0]! }
            pairs[key] = (lo, hi)
        }
        let templates = library.classes.indices.map { row[library.templatePrompt($0, options: options)]! }
        self.classCount = library.classes.count
        self.aggregation = aggregation
        self.deduplicate = options.deduplicate
        self.texts = all
        self.vectors = try Matrix(rows: vs, columns: dim, what: "a text embedding")
        self.templateRow = templates
        self.pairs = PairTable(pairs)
        self.firstStep = try PromptHead(classVectors: templates.map { [vs[$0]] }, dim: dim, aggregation: .similarityOfMean)
    }

    /// Whether the pair has differential sentences for both sides.
    public func hasDescriptions(_ a: Int, _ b: Int) -> Bool {
        guard let e = pairs.find(a, b) else { return false }
        return e.loCount > 0 && e.hiCount > 0
    }

    /// The rows of the sentences class `c` uses among `candidates` (in first-seen order,
    /// deduplicated unless the options said otherwise).
    public func sentenceRows(of c: Int, among candidates: [Int]) -> [Int] {
        var ids: [Int] = []
        appendSentenceRows(of: c, among: candidates, to: &ids)
        return ids
    }

    /// `sentenceRows` into a reused buffer (emptied first).
    @inline(__always)
    func appendSentenceRows(of c: Int, among candidates: [Int], to ids: inout [Int]) {
        ids.removeAll(keepingCapacity: true)
        for other in candidates where other != c {
            let side = pairs.side(of: c, with: other)
            if side.count == 0 {
                if !deduplicate || !ids.contains(templateRow[c]) { ids.append(templateRow[c]) }
            } else {
                for q in side.start..<(side.start + side.count) {
                    let r = pairs.row(q)
                    if !deduplicate || !ids.contains(r) { ids.append(r) }
                }
            }
        }
        if ids.isEmpty { ids.append(templateRow[c]) }
    }

    /// The variant without follow-up (k = all classes) as a head: with every class a candidate,
    /// each class's sentences no longer depend on the image, so its embedding is computed once
    /// and scoring is one blocked product instead of a re-ranking per image.
    public func allPairsHead() throws -> PromptHead {
        let all = Array(0..<classCount)
        let perClass = all.map { c in sentenceRows(of: c, among: all).map { vectors.row($0) } }
        return try PromptHead(classVectors: perClass, dim: vectors.columns, aggregation: aggregation)
    }

    /// Re-ranks `candidates` (the first step's top k) for one image vector.
    public func rerank(_ image: UnsafePointer<Float>, candidates: [Int]) -> Ranking {
        guard candidates.count > 1 else { return Ranking(classes: candidates, scores: candidates.map { _ in 0 }) }
        let d = vectors.columns
        var scores = [Float](repeating: 0, count: candidates.count)
        var sum = [Float](repeating: 0, count: d)
        var rows: [Int] = []
        rows.reserveCapacity(4 * candidates.count)
        vectors.values.withUnsafeBufferPointer { pv in
            let base = pv.baseAddress!
            for (slot, c) in candidates.enumerated() {
                appendSentenceRows(of: c, among: candidates, to: &rows)
                switch aggregation {
                case .meanOfSimilarities:
                    var s: Float = 0
                    for r in rows { s += SimilarityKernel.dot(image, base + r * d, count: d) }
                    scores[slot] = s / Float(rows.count)
                case .similarityOfMean:
                    sum.withUnsafeMutableBufferPointer { ps in
                        let p = ps.baseAddress!
                        p.update(repeating: 0, count: d)
                        for r in rows { Self.accumulate(base + r * d, into: p, count: d) }
                        let norm = SimilarityKernel.dot(p, p, count: d).squareRoot()
                        scores[slot] = norm > 0 ? SimilarityKernel.dot(image, p, count: d) / norm : 0
                    }
                }
            }
        }
        // Stable sort: equal scores keep the first step's order.
        let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        return Ranking(classes: order.map { candidates[$0] }, scores: order.map { scores[$0] })
    }

    /// Re-ranks the candidates of many images: image `i` (row `i` of the `d`-column matrix at
    /// `images`) with `candidates[i]`, the images shared among `threads` threads. Equal, image
    /// for image, to `rerank(_:candidates:)`.
    public func rerank(_ images: UnsafePointer<Float>, candidates: [[Int]], threads: Int = SimilarityKernel.defaultThreads) -> [Ranking] {
        let n = candidates.count, d = vectors.columns
        guard n > 0 else { return [] }
        let workers = max(1, min(threads, n / 64 + 1))
        var out = [Ranking](repeating: Ranking(classes: [], scores: []), count: n)
        out.withUnsafeMutableBufferPointer { po in
            // Workers read the images and write disjoint slots.
            nonisolated(unsafe) let slots = po.baseAddress!, images = images
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                // Contiguous ranges: each worker writes only its own slots.
                for i in (n * w / workers)..<(n * (w + 1) / workers) {
                    slots[i] = rerank(images + i * d, candidates: candidates[i])
                }
            }
        }
        return out
    }

    /// y += x over `d` floats, 8 lanes at a time.
    @inline(__always)
    static func accumulate(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count d: Int) {
        var k = 0
        while k + 8 <= d {
            let v = UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self) + UnsafeRawPointer(y + k).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + k).storeBytes(of: v, as: SIMD8<Float>.self)
            k += 8
        }
        while k < d { y[k] += x[k]; k += 1 }
    }

    /// Array convenience for `rerank`.
    public func rerank(_ image: [Float], candidates: [Int]) -> Ranking {
        image.withUnsafeBufferPointer { rerank($0.baseAddress!, candidates: candidates) }
    }

    /// The sentences class `c` used among `candidates`, with their cosines to the image, best first.
    public func evidence(_ image: [Float], class c: Int, among candidates: [Int]) -> [(text: String, cosine: Float)] {
        sentenceRows(of: c, among: candidates).map { (texts[$0], Matrix.dot(image, vectors.row($0))) }.sorted { $0.cosine > $1.cosine }
    }
}

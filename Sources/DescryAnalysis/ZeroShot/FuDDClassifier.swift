import CAnalysisKernel
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
    let sides: ClassSides

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
        self.sides = ClassSides(pairs, classCount: library.classes.count)
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

    /// Images per block of the batched re-ranking: the block's (image, class) slots are
    /// grouped by class, so each class's sentence rows are read from memory once per block
    /// and reused, from cache, by every image of the block that has the class among its
    /// candidates (about block × k / classes images).
    static let rerankBlock = 1024

    /// Re-ranks the candidates of many images: image `i` (row `i` of the `d`-column matrix at
    /// `images`) with `candidates[i]`, the images shared among `threads` threads. The same
    /// classes, order and (to float rounding, within 1e-5) scores as `rerank(_:candidates:)`
    /// image by image: the same sentence rows in the same order, summed element by element
    /// in that order; only the dot products' summation order differs. The result does not
    /// depend on `threads`.
    public func rerank(_ images: UnsafePointer<Float>, candidates: [[Int]], threads: Int = SimilarityKernel.defaultThreads) -> [Ranking] {
        let n = candidates.count
        guard n > 0 else { return [] }
        let workers = max(1, min(threads, n / 64 + 1))
        var out = [Ranking](repeating: Ranking(classes: [], scores: []), count: n)
        out.withUnsafeMutableBufferPointer { po in
            // Workers read the images and write disjoint slots.
            nonisolated(unsafe) let slots = po.baseAddress!, images = images
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var scratch = RerankScratch(classCount: classCount, rowCount: vectors.rows)
                // Contiguous ranges, in blocks: each worker writes only its own slots.
                var start = n * w / workers
                let end = n * (w + 1) / workers
                while start < end {
                    let stop = min(end, start + Self.rerankBlock)
                    rerankBlock(images, candidates: candidates, start..<stop, scratch: &scratch, into: slots)
                    start = stop
                }
            }
        }
        return out
    }

    /// One worker's reused buffers for `rerankBlock`.
    struct RerankScratch {
        /// Per block slot (an image's candidate): its class and image.
        var slotClass: [Int32] = [], slotImage: [Int32] = []
        /// Where each image's slots start (block-relative images; one more entry at the end).
        var imageStart: [Int] = []
        /// Slots grouped by class (a counting sort), and the per-class counters it uses.
        var byClass: [Int32] = [], classStart: [Int]
        /// Scores of the slots.
        var scores: [Float] = []
        /// The current slot's sentence rows, and the dedupe marks (a row is taken when its
        /// mark is the slot's stamp).
        var rows: [Int32] = []
        var mark: [Int], stamp = 0
        /// For the class being scored: partner class → its index in `ClassSides` plus one (0:
        /// no sentences on this class's side), filled for one class at a time.
        var partnerOf: [Int32]

        init(classCount: Int, rowCount: Int) {
            classStart = [Int](repeating: 0, count: classCount + 1)
            partnerOf = [Int32](repeating: 0, count: classCount)
            mark = [Int](repeating: -1, count: rowCount)
        }
    }

    /// Re-ranks the images `range` into `out[range]`: slots grouped by class, scored, then
    /// each image's slots sorted as `rerank(_:candidates:)` sorts them.
    func rerankBlock(_ images: UnsafePointer<Float>, candidates: [[Int]], _ range: Range<Int>,
                     scratch s: inout RerankScratch, into out: UnsafeMutablePointer<Ranking>) {
        let d = vectors.columns
        s.slotClass.removeAll(keepingCapacity: true)
        s.slotImage.removeAll(keepingCapacity: true)
        s.imageStart.removeAll(keepingCapacity: true)
        for i in range {
            s.imageStart.append(s.slotClass.count)
            // A single candidate is not re-ranked (score 0), as image by image.
            guard candidates[i].count > 1 else { continue }
            for c in candidates[i] {
                s.slotClass.append(Int32(truncatingIfNeeded: c))
                s.slotImage.append(Int32(truncatingIfNeeded: i - range.lowerBound))
            }
        }
        s.imageStart.append(s.slotClass.count)
        let slotCount = s.slotClass.count
        // Counting sort of the slots by class.
        for q in s.classStart.indices { s.classStart[q] = 0 }
        for c in s.slotClass { s.classStart[Int(c) + 1] += 1 }
        for q in 1..<s.classStart.count { s.classStart[q] += s.classStart[q - 1] }
        if s.byClass.count < slotCount { s.byClass = [Int32](repeating: 0, count: slotCount) }
        if s.scores.count < slotCount { s.scores = [Float](repeating: 0, count: slotCount) }
        for e in 0..<slotCount {
            let c = Int(s.slotClass[e])
            s.byClass[s.classStart[c]] = Int32(truncatingIfNeeded: e)
            s.classStart[c] += 1
        }
        vectors.values.withUnsafeBufferPointer { pv in
            let base = pv.baseAddress!
            var current = -1
            for q in 0..<slotCount {
                let e = Int(s.byClass[q])
                let c = Int(s.slotClass[e])
                if c != current {
                    if current >= 0 { setPartners(of: current, to: false, scratch: &s) }
                    setPartners(of: c, to: true, scratch: &s)
                    current = c
                }
                let local = Int(s.slotImage[e])
                // The image's candidates are its run of slots.
                gatherRows(of: c, among: s.imageStart[local]..<s.imageStart[local + 1], scratch: &s)
                let x = images + (range.lowerBound + local) * d
                s.scores[e] = s.rows.withUnsafeBufferPointer { pr in
                    switch aggregation {
                    case .meanOfSimilarities:
                        return descry_sum_of_dots(x, base, pr.baseAddress!, pr.count, d) / Float(pr.count)
                    case .similarityOfMean:
                        return descry_cosine_to_sum(x, base, pr.baseAddress!, pr.count, d)
                    }
                }
            }
            if current >= 0 { setPartners(of: current, to: false, scratch: &s) }
        }
        for i in range {
            let cands = candidates[i]
            guard cands.count > 1 else { out[i] = Ranking(classes: cands, scores: cands.map { _ in 0 }); continue }
            let first = s.imageStart[i - range.lowerBound]
            let sc = s.scores
            // Stable sort: equal scores keep the first step's order.
            let order = cands.indices.sorted { sc[first + $0] > sc[first + $1] || (sc[first + $0] == sc[first + $1] && $0 < $1) }
            out[i] = Ranking(classes: order.map { cands[$0] }, scores: order.map { sc[first + $0] })
        }
    }

    /// Fills (or clears) `partnerOf` with class `c`'s partners.
    @inline(__always)
    func setPartners(of c: Int, to fill: Bool, scratch s: inout RerankScratch) {
        for p in sides.partnerStart[c]..<sides.partnerStart[c + 1] {
            s.partnerOf[Int(sides.partner[p])] = fill ? Int32(truncatingIfNeeded: p + 1) : 0
        }
    }

    /// `appendSentenceRows` for the batched path: the candidates are the classes of the slots
    /// `slots`, and dedupe marks rows instead of searching the list.
    @inline(__always)
    func gatherRows(of c: Int, among slots: Range<Int>, scratch s: inout RerankScratch) {
        s.rows.removeAll(keepingCapacity: true)
        s.stamp += 1
        let stamp = s.stamp
        @inline(__always) func take(_ r: Int) {
            if deduplicate {
                guard s.mark[r] != stamp else { return }
                s.mark[r] = stamp
            }
            s.rows.append(Int32(truncatingIfNeeded: r))
        }
        for q in slots {
            let other = Int(s.slotClass[q])
            if other == c { continue }
            let p = Int(s.partnerOf[other]) - 1
            if p < 0 {
                take(templateRow[c])
            } else {
                let start = Int(sides.sideStart[p])
                for r in start..<(start + Int(sides.sideCount[p])) { take(Int(sides.rows[r])) }
            }
        }
        if s.rows.isEmpty { take(templateRow[c]) }
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

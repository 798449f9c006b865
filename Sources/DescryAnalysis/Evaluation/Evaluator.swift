import Foundation

/// Evaluates the zero-shot methods on labelled images, in blocks of images so memory stays
/// bounded by the image matrix plus one block of scores.
public struct Evaluator {
    /// The prompts.
    public let library: PromptLibrary
    /// The labelled images.
    public let images: LabelledImages
    /// Where text vectors come from.
    public let source: TextVectorSource
    /// Images per block of the similarity product.
    public var blockSize: Int

    /// An evaluator.
    public init(library: PromptLibrary, images: LabelledImages, source: TextVectorSource, blockSize: Int = 1024) {
        self.library = library
        self.images = images
        self.source = source
        self.blockSize = blockSize
    }

    /// The best `count` classes of every image under `head`: blocks of `blockSize` images
    /// shared among `threads` threads, each with one block of scores (memory stays bounded by
    /// the image matrix plus a block per thread). The result does not depend on `threads`.
    /// Similarity-of-mean heads go through their exact top-k prefilter (`ExactTopK`) when
    /// `count` is at most a quarter of the classes: the same rankings, bit for bit.
    /// `prefilter: false` forces the full fp32 product (the reference the prefilter is checked against).
    public func rank(_ head: PromptHead, count: Int, threads: Int = SimilarityKernel.defaultThreads, prefilter: Bool = true) -> [Ranking] {
        let n = images.matrix.rows, d = images.matrix.columns, m = head.classCount
        guard n > 0 else { return [] }
        let size = max(1, blockSize)
        let blocks = (n + size - 1) / size
        let workers = max(1, min(threads, blocks))
        // Fewer blocks than threads: the threads left over go to each block's product.
        let kernelThreads = max(1, threads / workers)
        let exact = prefilter ? head.prefilter(for: count) : nil
        var perBlock = [[Ranking]](repeating: [], count: blocks)
        images.matrix.values.withUnsafeBufferPointer { pi in
            perBlock.withUnsafeMutableBufferPointer { pb in
                // Workers read the images and write disjoint slots (their own blocks).
                nonisolated(unsafe) let base = pi.baseAddress!, slots = pb.baseAddress!
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    if let t = exact {
                        var block = w
                        while block < blocks {
                            let start = block * size, b = min(size, n - start)
                            slots[block] = t.top(base + start * d, rows: b, count: count, threads: kernelThreads).rankings
                            block += workers
                        }
                        return
                    }
                    var scores = [Float](repeating: 0, count: min(size, n) * m)
                    var scratch: [Float] = []
                    scores.withUnsafeMutableBufferPointer { ps in
                        var block = w
                        while block < blocks {
                            let start = block * size, b = min(size, n - start)
                            head.scores(base + start * d, count: b, into: ps.baseAddress!, scratch: &scratch, threads: kernelThreads)
                            var out: [Ranking] = []
                            out.reserveCapacity(b)
                            for i in 0..<b { out.append(Ranking.top(UnsafeBufferPointer(rebasing: ps[(i * m)..<((i + 1) * m)]), count: count)) }
                            // Each worker writes only its own blocks' slots.
                            slots[block] = out
                            block += workers
                        }
                    }
                }
            }
        }
        return perBlock.flatMap { $0 }
    }

    /// A head for a baseline method.
    public func head(for method: ZeroShotMethod, aggregation: Aggregation, options: PromptOptions) throws -> PromptHead {
        let prompts = library.prompts(for: method, options: options)
        let flat = prompts.flatMap { $0 }
        let vs = try source.vectors(for: flat)
        try check(vs)
        var i = 0
        let perClass: [[[Float]]] = prompts.map { ps in defer { i += ps.count }; return Array(vs[i..<(i + ps.count)]) }
        return try PromptHead(classVectors: perClass, dim: images.matrix.columns, aggregation: aggregation)
    }

    private func check(_ vs: [[Float]]) throws {
        if let v = vs.first, v.count != images.matrix.columns {
            throw AnalysisError.dimensionMismatch(expected: images.matrix.columns, found: v.count, what: "a text embedding")
        }
    }

    /// Evaluates `methods` (FuDD for every k in `ks`; nil = all classes).
    public func evaluate(methods: [ZeroShotMethod], ks: [Int?] = [nil], aggregation: Aggregation = .similarityOfMean,
                         options: PromptOptions = PromptOptions()) throws -> EvaluationReport {
        let m = library.classes.count
        guard m > 0 else { throw AnalysisError.noClasses(dataset: library.dataset) }
        guard images.matrix.rows > 0 else { throw AnalysisError.noLabelledImages(dataset: library.dataset) }
        var notes = library.notes
        if images.unembedded > 0 {
            notes.append("\(images.unembedded) labelled image(s) have no embedding and were left out; run `descry embed images`")
        }
        let (kValues, kNotes) = KSelection.clamp(ks, classCount: m)
        notes += kNotes
        if methods.contains(.descriptions), !library.classesWithoutDescriptions.isEmpty {
            notes.append("\(library.classesWithoutDescriptions.count) class(es) have no descriptions; the descriptions method uses the template for them")
        }
        if methods.contains(.fudd), library.differential.isEmpty {
            notes.append("the dataset has no differential descriptions; FuDD falls back to the template for every pair (import a FuDD file or run `descry generate`)")
        }
        // The first step (single template) is shared by the template baseline and FuDD.
        let templateHead = try head(for: .template, aggregation: .similarityOfMean, options: options)
        // k = all classes needs no first-step ranking (see `FuDDClassifier.allPairsHead`).
        let depth = max(5, methods.contains(.fudd) ? (kValues.filter { $0 < m }.max() ?? 1) : 5)
        let firstStep = rank(templateHead, count: depth)
        var results: [MethodResult] = []
        var hashes: [String: String] = [:]
        func record(_ method: ZeroShotMethod, k: Int?, agg: Aggregation, _ rankings: [Ranking]) {
            let r = Metrics.measure(rankings, labels: images.labels, classCount: m)
            // Hashing every pair's sentences is costly on big corpora: once per method and aggregation.
            let key = method.rawValue + agg.rawValue
            let hash = hashes[key] ?? library.promptHash(for: method, aggregation: agg, options: options)
            hashes[key] = hash
            results.append(MethodResult(method: method, k: k, aggregation: agg, top1: r.top1, top5: r.top5,
                                        meanPerClassRecall: r.meanPerClassRecall, perClassAccuracy: r.perClass,
                                        images: images.labels.count, promptHash: hash))
        }
        var missing: [PairKey: Int] = [:]
        for method in methods {
            switch method {
            case .template:
                record(.template, k: nil, agg: .similarityOfMean, firstStep.map { Ranking(classes: Array($0.classes.prefix(5)), scores: Array($0.scores.prefix(5))) })
            case .classname, .ensemble, .descriptions:
                // A single prompt per class makes both aggregations equal; label it honestly.
                let agg: Aggregation = (method == .classname) ? .similarityOfMean : aggregation
                record(method, k: nil, agg: agg, rank(try head(for: method, aggregation: agg, options: options), count: 5))
            case .fudd:
                let fudd = try FuDDClassifier(library: library, source: source, options: options, aggregation: aggregation)
                for k in kValues {
                    if k == m && m > 1 {
                        record(.fudd, k: k, agg: aggregation, rank(try fudd.allPairsHead(), count: 5))
                        continue
                    }
                    var rankings: [Ranking] = []
                    rankings.reserveCapacity(firstStep.count)
                    var missingHere: [PairKey: Int] = [:]
                    let allCandidates = firstStep.map { Array($0.classes.prefix(k)) }
                    let reranked = images.matrix.values.withUnsafeBufferPointer { pi in
                        fudd.rerank(pi.baseAddress!, candidates: allCandidates)
                    }
                    for (i, first) in firstStep.enumerated() {
                        let candidates = allCandidates[i]
                        var r = reranked[i]
                        // Below the k re-ranked classes, the first step's order continues.
                        for j in stride(from: k, to: min(first.classes.count, 5), by: 1) { r.classes.append(first.classes[j]); r.scores.append(first.scores[j]) }
                        rankings.append(Ranking(classes: Array(r.classes.prefix(5)), scores: Array(r.scores.prefix(5))))
                        if k < m {
                            for x in 0..<candidates.count { for y in (x + 1)..<candidates.count where !fudd.hasDescriptions(candidates[x], candidates[y]) {
                                missingHere[PairKey(candidates[x], candidates[y]), default: 0] += 1
                            } }
                        }
                    }
                    for (key, n) in missingHere { missing[key] = max(missing[key] ?? 0, n) }
                    record(.fudd, k: k, agg: aggregation, rankings)
                }
            }
        }
        // Confusions of the single template, the VLM's own ambiguity FuDD's first step sees.
        var counts: [[Int]: Int] = [:]
        for (r, y) in zip(firstStep, images.labels) where r.classes[0] != y { counts[[y, r.classes[0]], default: 0] += 1 }
        var confusions = counts.map { Confusion(trueClass: $0.key[0], predictedClass: $0.key[1], count: $0.value,
                                                missingDescriptions: missing[PairKey($0.key[0], $0.key[1])] ?? 0) }
        let covered = Set(counts.keys.map { PairKey($0[0], $0[1]) })
        for (key, n) in missing where !covered.contains(key) {
            confusions.append(Confusion(trueClass: key.lo, predictedClass: key.hi, count: 0, missingDescriptions: n))
        }
        confusions.sort { ($0.count, $0.missingDescriptions, -$0.trueClass, -$0.predictedClass) > ($1.count, $1.missingDescriptions, -$1.trueClass, -$1.predictedClass) }
        return EvaluationReport(dataset: library.dataset, classNames: library.classes.map(\.displayName), results: results,
                                confusions: confusions, notes: notes, options: options)
    }
}

import DescryStore
import Foundation

/// Computes alignment, lift, margin and content for every description of a dataset under one
/// VLM and stores them in `scores`. Because a mean of cosines with unit image vectors equals
/// the cosine's numerator with the mean image vector, each score is one dot product with the
/// class's mean image vector. Rows whose inputs are unchanged (same `input_hash`) are skipped.
public struct ScoreCalculator {
    /// The word that replaces the class name for the content score.
    public static let neutralWord = "object"

    /// The store.
    public let store: Store
    /// The VLM's name.
    public let vlm: String
    /// The dataset.
    public let dataset: String
    /// Text vectors (content needs texts no import holds: pass an embedder for it).
    public let source: TextVectorSource
    /// Whether to compute the content score.
    public var content: Bool

    /// A calculator.
    public init(store: Store, vlm: String, dataset: String, source: TextVectorSource, content: Bool = true) {
        self.store = store
        self.vlm = vlm
        self.dataset = dataset
        self.source = source
        self.content = content
    }

    /// `text` with the class name (any case, underscores or spaces) replaced by the neutral
    /// word; unchanged when the name does not occur.
    public static func neutralized(_ text: String, className: String) -> String {
        var out = text
        for form in Set([ClassName.display(className), className]) where !form.isEmpty {
            out = out.replacingOccurrences(of: form, with: neutralWord, options: [.caseInsensitive])
        }
        return out
    }

    /// Scores every description of the dataset with a class, storing new or changed rows.
    public func run() throws -> ScoreReport {
        do {
            let vlmID = try store.vlmID(named: vlm)
            let dsID = try store.datasetID(named: dataset)
            let library = try PromptLibrary.load(store: store, dataset: dataset, vlmID: vlmID)
            let images = try LabelledImages.load(store: store, dataset: dataset, vlm: vlm, classes: library.classes)
            let position = Dictionary(uniqueKeysWithValues: library.classes.enumerated().map { ($1.id, $0) })
            let d = images.matrix.columns
            // Mean image vector and image hashes per class.
            var mean = [[Float]](repeating: [Float](repeating: 0, count: d), count: library.classes.count)
            var count = [Int](repeating: 0, count: library.classes.count)
            var hashes = [[String]](repeating: [], count: library.classes.count)
            for (i, y) in images.labels.enumerated() {
                let row = images.matrix.row(i)
                for j in 0..<d { mean[y][j] += row[j] }
                count[y] += 1
                hashes[y].append(images.records.isEmpty ? "\(i)" : images.records[i].contentHash)
            }
            for c in mean.indices where count[c] > 0 { mean[c] = mean[c].map { $0 / Float(count[c]) } }
            let manifest = try store.wrap { try store.database.scalar("SELECT manifest_hash FROM vlms WHERE id = ?", [vlmID]).string } ?? vlm
            let classHash = hashes.map { Hashing.sha256Hex($0.sorted().joined(separator: ",")) }

            let rows = try store.wrap {
                try store.database.rows("""
                    SELECT id, class_id, text FROM descriptions
                    WHERE dataset_id = ? AND class_id IS NOT NULL AND kind <> 'template' ORDER BY id
                    """, [dsID])
            }
            var twins: [Int64: [(side: Int, twin: String)]] = [:]
            for r in try store.wrap({ try store.database.rows("""
                SELECT m.description_id, m.side, t.text FROM pairs p JOIN pair_members m ON m.pair_id = p.id
                JOIN descriptions t ON t.id = m.twin_id
                WHERE p.dataset_id = ? AND (p.vlm_id IS NULL OR p.vlm_id = ?)
                """, [dsID, vlmID]) }) {
                guard let side = r[1].int.flatMap({ position[Int64($0)] }), let t = r[2].string else { continue }
                twins[Int64(r[0].int!), default: []].append((side, t))
            }
            let stored: [Int64: String] = Dictionary(try store.wrap {
                try store.database.rows("SELECT description_id, input_hash FROM scores WHERE vlm_id = ?", [vlmID])
            }.compactMap { r in r[1].string.map { (Int64(r[0].int!), $0) } }, uniquingKeysWith: { a, _ in a })

            var report = ScoreReport()
            var todo: [(id: Int64, c: Int, text: String, hash: String)] = []
            for r in rows {
                guard let cid = r[1].int, let c = position[Int64(cid)], let text = r[2].string else { continue }
                guard count[c] > 0 else { report.withoutImages += 1; continue }
                let id = Int64(r[0].int!)
                let twinTexts = (twins[id] ?? []).map(\.twin).sorted().joined(separator: "\u{1F}")
                let hash = Hashing.sha256Hex([manifest, text, library.templatePrompt(c), twinTexts, classHash[c], content ? Self.neutralWord : "-"].joined(separator: "\u{1E}"))
                if stored[id] == hash { report.unchanged += 1; continue }
                todo.append((id, c, text, hash))
            }
            guard !todo.isEmpty else { return report }
            var texts: [String] = []
            for t in todo {
                texts.append(t.text)
                texts.append(library.templatePrompt(t.c))
                texts += (twins[t.id] ?? []).map(\.twin)
                if content { texts.append(Self.neutralized(t.text, className: library.classes[t.c].name)) }
            }
            var unique: [String] = [], seen = Set<String>()
            for t in texts where seen.insert(t).inserted { unique.append(t) }
            let vectors = Dictionary(uniqueKeysWithValues: zip(unique, try source.vectors(for: unique)))
            var scores: [DescriptionScore] = []
            for t in todo {
                let m = mean[t.c]
                func align(_ s: String) -> Double { Double(Matrix.dot(m, vectors[s]!)) }
                let a = align(t.text)
                let slots = twins[t.id] ?? []
                // The margin of each slot is measured on the images of the class this sentence describes.
                let margin: Double? = slots.isEmpty ? nil : slots.map { s in
                    Double(Matrix.dot(mean[s.side], vectors[t.text]!) - Matrix.dot(mean[s.side], vectors[s.twin]!))
                }.reduce(0, +) / Double(slots.count)
                scores.append(DescriptionScore(descriptionID: t.id, alignment: a, lift: a - align(library.templatePrompt(t.c)), margin: margin,
                                               content: content ? align(Self.neutralized(t.text, className: library.classes[t.c].name)) : nil,
                                               images: count[t.c], inputHash: t.hash))
            }
            try store.write {
                let stmt = try store.database.cachedStatement("""
                    INSERT OR REPLACE INTO scores(vlm_id, description_id, alignment, lift, margin, content, n_images, input_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for s in scores { try stmt.execute([vlmID, s.descriptionID, s.alignment, s.lift, s.margin, s.content, s.images, s.inputHash]) }
            }
            report.computed = scores.count
            return report
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }
}

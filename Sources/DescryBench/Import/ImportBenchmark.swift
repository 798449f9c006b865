import DescryFakes
import DescryStore
import Foundation

/// Generates descriptions from a real vocabulary and measures import (with the FTS5 index
/// complete), a bm25-ranked search and a group-by, for `descry bench import`.
public struct ImportBenchmark {
    /// The measured numbers and where the rows were written.
    public struct Result {
        /// rows_per_second, import_seconds, search_ms, group_by_ms, peak_rss_mb, vocabulary_words.
        public var metrics: [String: Double]
        /// The generated rows as TSV (dataset, class, kind, attribute_raw, text) for the baseline.
        public var rowsFile: String
        /// The common word searched for.
        public var searchWord: String
        /// Where the vocabulary came from.
        public var vocabularySource: String
    }

    let rows: Int
    let outDirectory: String
    let corporaDirectory: String
    let dataDirectory: String
    let taxonomy: AttributeTaxonomy

    /// Sets up a run.
    public init(rows: Int, outDirectory: String, corporaDirectory: String, dataDirectory: String, taxonomy: AttributeTaxonomy) {
        self.rows = rows
        self.outDirectory = outDirectory
        self.corporaDirectory = corporaDirectory
        self.dataDirectory = dataDirectory
        self.taxonomy = taxonomy
    }

    /// Words, attribute types and class names from the FuDD corpora (or the demo data).
    func vocabulary() throws -> (words: [String], attributes: [String], classes: [String], source: String) {
        var words: [String: Int] = [:]
        var attrs = Set<String>()
        var classes: [String] = []
        var source = corporaDirectory
        var files: [(classNames: String, promptPairs: String)] = []
        for ds in ["pets", "dtd", "eurosat"] {
            let f = FuddReader.files(folder: corporaDirectory, dataset: ds)
            if FileManager.default.fileExists(atPath: f.promptPairs) { files.append(f) }
        }
        if files.isEmpty {
            source = (dataDirectory as NSString).appendingPathComponent("demo")
            files.append(FuddReader.files(folder: source, dataset: "demo"))
        }
        for f in files {
            let corpus = try FuddReader.read(classNames: try InputFile(path: f.classNames), promptPairs: try InputFile(path: f.promptPairs))
            classes += corpus.classNames
            for p in corpus.pairs {
                for pp in p.promptPairs {
                    attrs.insert(pp.attrType)
                    for t in [pp.textA, pp.textB] {
                        for w in t.lowercased().split(whereSeparator: { !$0.isLetter }) where w.count > 1 { words[String(w), default: 0] += 1 }
                    }
                }
            }
        }
        // Keep word frequencies: a word appears in the pool as often as in the corpus (capped),
        // so the generated text has a realistic mix of common and rare terms.
        var pool: [String] = []
        for (w, n) in words.sorted(by: { $0.key < $1.key }) { pool += Array(repeating: w, count: min(n, 200)) }
        return (pool, attrs.sorted(), classes, source)
    }

    /// Generates, writes the TSV, imports and queries.
    public func run(progress: (String) -> Void) throws -> Result {
        let vocab = try vocabulary()
        var rng = SplitMix64(state: 42)
        let classCount = 1000
        let classNames = (0..<classCount).map { "\(vocab.classes[$0 % vocab.classes.count]) \($0 / vocab.classes.count)" }
        let kinds: [DescriptionKind] = [.class, .class, .differential]
        progress("generating \(rows) descriptions…")
        var generated: [(cls: Int, kind: DescriptionKind, attr: String, text: String)] = []
        generated.reserveCapacity(rows)
        // The rows go to the TSV file in chunks, so the benchmark's own memory stays small.
        let rowsFile = (outDirectory as NSString).appendingPathComponent("rows.tsv")
        _ = FileManager.default.createFile(atPath: rowsFile, contents: nil)
        guard let out = FileHandle(forWritingAtPath: rowsFile) else { throw StoreError.cannotOpen(rowsFile, "cannot write the rows file") }
        var tsv = ""
        for i in 0..<rows {
            let n = 8 + rng.below(12)
            var text = "a photo of a \(classNames[i % classCount]),"
            for _ in 0..<n { text += " " + vocab.words[rng.below(vocab.words.count)] }
            text += "."
            let row = (cls: i % classCount, kind: kinds[rng.below(kinds.count)], attr: vocab.attributes[rng.below(vocab.attributes.count)], text: text)
            generated.append(row)
            tsv += "\(row.cls)\t\(row.kind.rawValue)\t\(row.attr)\t\(row.text)\n"
            if tsv.utf8.count > 1 << 20 { out.write(Data(tsv.utf8)); tsv = "" }
        }
        out.write(Data(tsv.utf8))
        try out.close()
        let storePath = (outDirectory as NSString).appendingPathComponent("bench-descry.db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        let store = try Store(path: storePath, taxonomy: taxonomy, create: true)
        let (dsID, _) = try store.ensureDataset(named: "bench")
        try store.write { _ = try store.setClasses(datasetID: dsID, names: classNames, file: "generated") }
        let classIDs = try store.classes(ofDataset: dsID).map(\.id)

        progress("importing \(rows) descriptions…")
        let t0 = Date()
        var tIndex = Date(), indexSeconds = 0.0
        try store.write {
            let source = try store.addSource(SourceInfo(format: "bench", label: "bench", contentHash: Hashing.sha256Hex(Array(rowsFile.utf8))))
            // DESCRY_BENCH_FTS_PLAIN=1 measures the plain path (FTS5 indexed by finish() on this thread).
            let plain = ProcessInfo.processInfo.environment["DESCRY_BENCH_FTS_PLAIN"] == "1"
            let w = try DescriptionWriter(store: store, sourceID: source.id, bulk: true, indexOnSecondThread: !plain)
            for (i, r) in generated.enumerated() {
                try w.add(NewDescription(datasetID: dsID, classID: classIDs[r.cls], text: r.text, kind: r.kind, attributeRaw: r.attr))
                if i % 100_000 == 0 { progress("importing… \(i)/\(rows)") }
            }
            progress("indexing…")
            tIndex = Date()
            try w.finish()
            indexSeconds = Date().timeIntervalSince(tIndex)
        }
        let importSeconds = Date().timeIntervalSince(t0)

        // The most common vocabulary word that is not a stop word, so the search is a hard one.
        let stop: Set<String> = ["a", "of", "the", "and", "with", "photo", "an", "its", "in", "is", "to", "that", "has", "breed", "for"]
        var freq: [String: Int] = [:]
        for w in vocab.words where !stop.contains(w) { freq[w, default: 0] += 1 }
        let searchWord = freq.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
        let t1 = Date()
        let hits = try store.search(searchWord, dataset: "bench", limit: 20)
        let searchMs = Date().timeIntervalSince(t1) * 1000
        let t2 = Date()
        let groups = try store.database.rows(BenchSQL.groupByAttributeAndCategory, [dsID])
        let groupMs = Date().timeIntervalSince(t2) * 1000
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(metrics: [
            "rows": Double(rows), "rows_per_second": Double(rows) / importSeconds, "import_seconds": importSeconds, "fts_index_seconds": indexSeconds,
            "search_ms": searchMs, "search_hits": Double(hits.count), "group_by_ms": groupMs, "groups": Double(groups.count),
            "peak_rss_mb": Double(usage.ru_maxrss) / 1024, "vocabulary_words": Double(Set(vocab.words).count),
        ], rowsFile: rowsFile, searchWord: searchWord, vocabularySource: vocab.source)
    }
}

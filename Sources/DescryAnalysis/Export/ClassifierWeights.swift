import DescryStore

/// Zero-shot classifier weights as open_clip's `build_zero_shot_classifier` makes them: for
/// each class, the L2-normalised mean of its prompts' normalised embeddings, renormalised;
/// written as a (dim, classes) float32 matrix, one column per class, so `image @ weights`
/// gives the cosines. Any method's prompt set works; FuDD's class embeddings are those of
/// k = |C|: every class is a candidate, so each class's sentences are those of all the pairs
/// it is in (the template where a pair has none), exactly as `FuDDClassifier.allPairsHead`.
public struct ClassifierWeights: Sendable {
    /// The method whose prompts were used.
    public let method: ZeroShotMethod
    /// Class names (display form), in column order.
    public let classes: [String]
    /// The prompt texts of each class, in column order (FuDD: deduplicated like its classifier).
    public let prompts: [[String]]
    /// One unit vector per class.
    public let columns: Matrix

    /// The weights of `method` over `library`, with prompt vectors from `source`.
    public init(library: PromptLibrary, source: TextVectorSource, method: ZeroShotMethod,
                options: PromptOptions = PromptOptions()) throws {
        guard !library.classes.isEmpty else { throw AnalysisError.noClasses(dataset: library.dataset) }
        var prompts: [[String]]
        var vectors: [[[Float]]]
        let dim: Int
        if method == .fudd {
            let fudd = try FuDDClassifier(library: library, source: source, options: options, aggregation: .similarityOfMean)
            let all = Array(0..<library.classes.count)
            let rows = all.map { fudd.sentenceRows(of: $0, among: all) }
            prompts = rows.map { $0.map { fudd.texts[$0] } }
            vectors = rows.map { $0.map { fudd.vectors.row($0) } }
            dim = fudd.vectors.columns
        } else {
            prompts = library.prompts(for: method, options: options)
            let flat = try source.vectors(for: prompts.flatMap { $0 })
            var i = 0
            vectors = prompts.map { ps in defer { i += ps.count }; return Array(flat[i..<(i + ps.count)]) }
            dim = flat.first?.count ?? 0
        }
        var m = Matrix(rows: 0, columns: dim)
        for vs in vectors {
            for v in vs where v.count != dim { throw AnalysisError.dimensionMismatch(expected: dim, found: v.count, what: "a text embedding") }
            // Each prompt vector normalised first, as open_clip does (cached vectors already are).
            try m.append(Matrix.normalizedMean(vs.map(Matrix.normalized), dim: dim))
        }
        self.method = method
        self.classes = library.classes.map(\.displayName)
        self.prompts = prompts
        self.columns = m
    }

    /// The embedding dimension.
    public var dim: Int { columns.columns }

    /// The `.npy` bytes: shape (dim, classes), float32, C order.
    public func npy() -> [UInt8] {
        let c = classes.count, d = dim
        var values = [Float](repeating: 0, count: c * d)
        for k in 0..<c { for i in 0..<d { values[i * c + k] = columns.values[k * d + i] } }
        return NPYFile.float32(shape: [d, c], values: values)
    }

    /// Writes `PATH` (the `.npy`), `PATH.classes.json` (class names in column order) and
    /// `PATH.provenance.json` (what the weights were made from), each whole or not at all.
    /// Returns the paths written.
    public func write(to path: String, provenance: ClassifierProvenance) throws -> [String] {
        let classesPath = path + ".classes.json", provenancePath = path + ".provenance.json"
        try OutputFile.write(npy(), to: path)
        try OutputFile.write(JSONWriter.string(.list(classes.map { .str($0) }), indent: 2) + "\n", to: classesPath)
        try OutputFile.write(JSONWriter.string(provenance.json(for: self), indent: 2) + "\n", to: provenancePath)
        return [path, classesPath, provenancePath]
    }
}

/// What `PATH.provenance.json` records beside classifier weights.
public struct ClassifierProvenance: Sendable {
    /// The VLM's name.
    public var vlm: String
    /// The registered manifest's hash (changes when the export changes).
    public var manifestHash: String?
    /// The dataset.
    public var dataset: String
    /// The prompt options used.
    public var options: PromptOptions
    /// The descry version that wrote the file.
    public var toolVersion: String
    /// The store's schema version.
    public var schemaVersion: Int

    /// A record.
    public init(vlm: String, manifestHash: String?, dataset: String, options: PromptOptions, toolVersion: String, schemaVersion: Int) {
        self.vlm = vlm
        self.manifestHash = manifestHash
        self.dataset = dataset
        self.options = options
        self.toolVersion = toolVersion
        self.schemaVersion = schemaVersion
    }

    /// The provenance document: per class the number of prompts and the SHA-256 of each
    /// prompt's text (the embedding cache key, so every vector can be traced to its text).
    func json(for w: ClassifierWeights) -> JSONValue {
        .obj([
            ("format", .str("open_clip zero-shot classifier: float32 (dim, classes), one L2-normalised column per class")),
            ("shape", .list([.int(w.dim), .int(w.classes.count)])),
            ("vlm", .obj([("name", .str(vlm)), ("manifest_hash", manifestHash.map { .str($0) } ?? .null)])),
            ("dataset", .str(dataset)),
            ("method", .str(w.method.rawValue)),
            ("fudd_k", w.method == .fudd ? .int(w.classes.count) : .null),
            ("aggregation", .str(Aggregation.similarityOfMean.rawValue)),
            ("prompt_options", .obj([("capitalize", .bool(options.capitalize)), ("class_name_period", .bool(options.classNamePeriod)),
                                     ("deduplicate", .bool(options.deduplicate))])),
            ("descry_version", .str(toolVersion)),
            ("schema_version", .int(schemaVersion)),
            ("classes", .list(w.classes.indices.map { c in
                .obj([("column", .int(c)), ("name", .str(w.classes[c])), ("prompts", .int(w.prompts[c].count)),
                      ("prompt_sha256", .list(w.prompts[c].map { .str(EmbeddingCache.key(text: $0)) }))])
            })),
        ])
    }
}

/// Every source DQL knows, with its fields, their types and the joins they need. This is the
/// only place SQL identifiers come from: query text never reaches SQL except as bound values.
public struct Catalog: Sendable {
    /// The sources, in the order `:sources` lists them.
    public let sources: [SourceDefinition]

    /// Creates a catalog from sources.
    public init(sources: [SourceDefinition]) { self.sources = sources }

    /// The source called `name`, if any.
    public func source(_ name: String) -> SourceDefinition? { sources.first { $0.name == name.lowercased() } }

    /// The catalog over the store's schema (version 1 and later).
    public static let standard = Catalog(sources: [descriptions, pairs, classes, images, scores, runs, audits, confusions, vlms, datasets])

    // The score fields every description-shaped source offers; `s` is the scores join.
    private static func scoreFields(joins: [String]) -> [FieldDefinition] {
        [
            FieldDefinition("alignment", .real, "s.alignment", joins: joins, "mean cosine similarity of the description with its class's images (EX2 reward)"),
            FieldDefinition("lift", .real, "s.lift", joins: joins, "alignment minus the alignment of \"a photo of a {class}.\""),
            FieldDefinition("margin", .real, "s.margin", joins: joins, "for differential descriptions: mean cos(img, this) − cos(img, twin)"),
            FieldDefinition("content", .real, "s.content", joins: joins, "alignment with the class name replaced by a neutral word"),
            FieldDefinition("n_images", .integer, "s.n_images", joins: joins, "images the score was computed over"),
        ]
    }

    static let descriptions = SourceDefinition(
        name: "descriptions",
        summary: "class descriptions (per-class, differential, templates)",
        grain: "one row per description; once a VLM or score field (vlm, alignment, lift, margin, content, n_images) is used anywhere in the query, one row per description × VLM that has a score for it (descriptions without scores drop out)",
        table: "descriptions d", key: "d.id, s.vlm_id",
        joins: [
            JoinDefinition("ds", "LEFT JOIN datasets ds ON ds.id = d.dataset_id", preservesRows: true),
            JoinDefinition("c", "LEFT JOIN classes c ON c.id = d.class_id", preservesRows: true),
            JoinDefinition("src", "JOIN sources src ON src.id = d.source_id", preservesRows: true),
            JoinDefinition("s", "JOIN scores s ON s.description_id = d.id"),
            JoinDefinition("v", "JOIN vlms v ON v.id = s.vlm_id", requires: ["s"]),
        ],
        fields: [
            FieldDefinition("id", .integer, "d.id", "the description's id"),
            FieldDefinition("text", .text, "d.text", "the sentence"),
            FieldDefinition("kind", .text, "d.kind", "class | differential | template | classname"),
            FieldDefinition("attribute", .text, "d.attribute", "canonical attribute (colour, shape, habitat, …)"),
            FieldDefinition("attribute_raw", .text, "d.attribute_raw", "the attribute type as the source file wrote it"),
            FieldDefinition("category", .text, "d.category", "visual | non-visual | spurious | unknown"),
            FieldDefinition("typing_confidence", .real, "d.attribute_confidence", "0…1: how sure the attribute and category are (null before typing)"),
            FieldDefinition("typing_reason", .text, "d.attribute_reason", "the rule that typed the description, in one line"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("class", .text, "c.name", joins: ["c"], "class name"),
            FieldDefinition("class_index", .integer, "c.idx", joins: ["c"], "class index in the dataset's files"),
            FieldDefinition("source", .text, "src.label", joins: ["src"], "import label of the file it came from"),
            FieldDefinition("source_format", .text, "src.format", joins: ["src"], "format of the file it came from"),
            FieldDefinition("n_pairs", .integer, "(SELECT count(DISTINCT pm.pair_id) FROM pair_members pm WHERE pm.description_id = d.id)", "class pairs this differential description serves"),
            FieldDefinition("audit", .text, "(SELECT au.verdict FROM audits au WHERE au.description_id = d.id ORDER BY au.method = 'model' DESC, au.method = 'rules' DESC, au.created DESC, au.method LIMIT 1)", "audit verdict: the learned auditor's (visual, non-visual, spurious) when it ran, else the rule auditor's, else the latest; null when never audited"),
            FieldDefinition("vlm", .text, "v.name", joins: ["s", "v"], "VLM of the score (turns rows into description × VLM)"),
        ] + scoreFields(joins: ["s"]),
        defaultFields: ["id", "dataset", "class", "kind", "attribute", "category", "text"],
        searchKey: "d.id")

    static let pairs = SourceDefinition(
        name: "pairs",
        summary: "class pairs with differential descriptions (FuDD)",
        grain: "one row per class pair (and VLM, for pairs written for one VLM's confusions)",
        table: "pairs p", key: "p.id",
        joins: [
            JoinDefinition("ds", "JOIN datasets ds ON ds.id = p.dataset_id"),
            JoinDefinition("ca", "JOIN classes ca ON ca.id = p.class_a"),
            JoinDefinition("cb", "JOIN classes cb ON cb.id = p.class_b"),
            JoinDefinition("v", "LEFT JOIN vlms v ON v.id = p.vlm_id"),
        ],
        fields: [
            FieldDefinition("id", .integer, "p.id", "the pair's id"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("class_a", .text, "ca.name", joins: ["ca"], "first class (lower index)"),
            FieldDefinition("class_b", .text, "cb.name", joins: ["cb"], "second class"),
            FieldDefinition("class_a_index", .integer, "ca.idx", joins: ["ca"], "index of class_a"),
            FieldDefinition("class_b_index", .integer, "cb.idx", joins: ["cb"], "index of class_b"),
            FieldDefinition("vlm", .text, "v.name", joins: ["v"], "the VLM the pair was written for; null for every-VLM pairs"),
            FieldDefinition("n_descriptions", .integer, "(SELECT count(DISTINCT pm.description_id) FROM pair_members pm WHERE pm.pair_id = p.id)", "distinct descriptions linked to the pair (both sides)"),
            FieldDefinition("n_prompts", .integer, "(SELECT count(DISTINCT pm.position) FROM pair_members pm WHERE pm.pair_id = p.id)", "prompt pairs (one sentence per side each)"),
            FieldDefinition("confusion", .integer,
                            "(SELECT sum(cf.count) FROM confusions cf WHERE cf.dataset_id = p.dataset_id AND ((cf.class_a = p.class_a AND cf.class_b = p.class_b) OR (cf.class_a = p.class_b AND cf.class_b = p.class_a)) AND (p.vlm_id IS NULL OR cf.vlm_id = p.vlm_id))",
                            "images of one class taken for the other (either way); summed over VLMs for every-VLM pairs; null when no confusion was recorded"),
        ],
        defaultFields: ["id", "dataset", "class_a", "class_b", "vlm", "n_descriptions"],
        searchKey: nil)

    static let classes = SourceDefinition(
        name: "classes", summary: "the classes of each dataset", grain: "one row per class",
        table: "classes c", key: "c.id",
        joins: [JoinDefinition("ds", "JOIN datasets ds ON ds.id = c.dataset_id")],
        fields: [
            FieldDefinition("id", .integer, "c.id", "the class's id"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("class", .text, "c.name", "class name"),
            FieldDefinition("name", .text, "c.name", "class name (same as class)"),
            FieldDefinition("index", .integer, "c.idx", "index used by the dataset's files"),
            FieldDefinition("n_descriptions", .integer, "(SELECT count(*) FROM descriptions d WHERE d.dataset_id = c.dataset_id AND d.class_id = c.id)", "descriptions of the class"),
            FieldDefinition("n_images", .integer, "(SELECT count(*) FROM images i WHERE i.dataset_id = c.dataset_id AND i.class_id = c.id)", "labelled images of the class"),
        ],
        defaultFields: ["dataset", "index", "class", "n_descriptions"], searchKey: nil)

    static let images = SourceDefinition(
        name: "images", summary: "labelled images", grain: "one row per image",
        table: "images i", key: "i.id",
        joins: [
            JoinDefinition("ds", "JOIN datasets ds ON ds.id = i.dataset_id"),
            JoinDefinition("c", "LEFT JOIN classes c ON c.id = i.class_id"),
        ],
        fields: [
            FieldDefinition("id", .integer, "i.id", "the image's id"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("path", .text, "i.path", "path relative to the dataset root"),
            FieldDefinition("class", .text, "c.name", joins: ["c"], "label"),
            FieldDefinition("split", .text, "i.split", "train / test / …"),
            FieldDefinition("content_hash", .text, "i.content_hash", "hash of the file's bytes"),
            FieldDefinition("added", .text, "i.added", "when it was added (ISO 8601)"),
        ],
        defaultFields: ["id", "dataset", "class", "split", "path"], searchKey: nil)

    static let scores = SourceDefinition(
        name: "scores", summary: "per-VLM scores of descriptions", grain: "one row per description × VLM score",
        table: "scores s", key: "s.vlm_id, s.description_id",
        joins: [
            JoinDefinition("d", "JOIN descriptions d ON d.id = s.description_id"),
            JoinDefinition("v", "JOIN vlms v ON v.id = s.vlm_id"),
            JoinDefinition("ds", "LEFT JOIN datasets ds ON ds.id = d.dataset_id", requires: ["d"]),
            JoinDefinition("c", "LEFT JOIN classes c ON c.id = d.class_id", requires: ["d"]),
        ],
        fields: [
            FieldDefinition("vlm", .text, "v.name", joins: ["v"], "the VLM"),
            FieldDefinition("description_id", .integer, "s.description_id", "the description's id"),
            FieldDefinition("text", .text, "d.text", joins: ["d"], "the sentence"),
            FieldDefinition("kind", .text, "d.kind", joins: ["d"], "description kind"),
            FieldDefinition("attribute", .text, "d.attribute", joins: ["d"], "canonical attribute"),
            FieldDefinition("attribute_raw", .text, "d.attribute_raw", joins: ["d"], "raw attribute type"),
            FieldDefinition("category", .text, "d.category", joins: ["d"], "visual | non-visual | spurious | unknown"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["d", "ds"], "dataset name"),
            FieldDefinition("class", .text, "c.name", joins: ["d", "c"], "class name"),
            FieldDefinition("computed", .text, "s.computed", "when the score was computed"),
        ] + scoreFields(joins: []),
        defaultFields: ["vlm", "dataset", "class", "attribute", "alignment", "lift", "text"], searchKey: "s.description_id")

    static let runs = SourceDefinition(
        name: "runs", summary: "zero-shot / FuDD evaluation runs", grain: "one row per run",
        table: "runs r", key: "r.id",
        joins: [
            JoinDefinition("v", "JOIN vlms v ON v.id = r.vlm_id"),
            JoinDefinition("ds", "JOIN datasets ds ON ds.id = r.dataset_id"),
        ],
        fields: [
            FieldDefinition("id", .integer, "r.id", "the run's id"),
            FieldDefinition("vlm", .text, "v.name", joins: ["v"], "the VLM"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("method", .text, "r.method", "classname | template | ensemble | descriptions | fudd | …"),
            FieldDefinition("k", .integer, "r.k", "FuDD's k (ambiguous classes re-ranked)"),
            FieldDefinition("aggregation", .text, "r.aggregation", "how description embeddings were combined"),
            FieldDefinition("accuracy", .real, "r.accuracy", "top-1 accuracy"),
            FieldDefinition("top5", .real, "r.top5", "top-5 accuracy"),
            FieldDefinition("mean_per_class_recall", .real, "r.mean_per_class_recall", "mean per-class recall"),
            FieldDefinition("n_images", .integer, "r.n_images", "images evaluated"),
            FieldDefinition("created", .text, "r.created", "when it ran"),
        ],
        defaultFields: ["id", "vlm", "dataset", "method", "k", "accuracy", "created"], searchKey: nil)

    static let audits = SourceDefinition(
        name: "audits", summary: "verdicts on descriptions (spurious, non-visual, …)", grain: "one row per description × audit method",
        table: "audits a", key: "a.description_id, a.method",
        joins: [
            JoinDefinition("d", "JOIN descriptions d ON d.id = a.description_id"),
            JoinDefinition("ds", "LEFT JOIN datasets ds ON ds.id = d.dataset_id", requires: ["d"]),
            JoinDefinition("c", "LEFT JOIN classes c ON c.id = d.class_id", requires: ["d"]),
        ],
        fields: [
            FieldDefinition("description_id", .integer, "a.description_id", "the description's id"),
            FieldDefinition("method", .text, "a.method", "how the verdict was reached"),
            FieldDefinition("verdict", .text, "a.verdict", "the verdict"),
            FieldDefinition("rationale", .text, "a.rationale", "why"),
            FieldDefinition("score", .real, "a.score", "the method's score, when it has one"),
            FieldDefinition("created", .text, "a.created", "when"),
            FieldDefinition("text", .text, "d.text", joins: ["d"], "the sentence"),
            FieldDefinition("kind", .text, "d.kind", joins: ["d"], "description kind"),
            FieldDefinition("attribute", .text, "d.attribute", joins: ["d"], "canonical attribute"),
            FieldDefinition("category", .text, "d.category", joins: ["d"], "category"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["d", "ds"], "dataset name"),
            FieldDefinition("class", .text, "c.name", joins: ["d", "c"], "class name"),
        ],
        defaultFields: ["description_id", "method", "verdict", "score", "text"], searchKey: "a.description_id")

    static let confusions = SourceDefinition(
        name: "confusions", summary: "class pairs a VLM confuses", grain: "one row per VLM × class pair",
        table: "confusions cf", key: "cf.vlm_id, cf.dataset_id, cf.class_a, cf.class_b",
        joins: [
            JoinDefinition("v", "JOIN vlms v ON v.id = cf.vlm_id"),
            JoinDefinition("ds", "JOIN datasets ds ON ds.id = cf.dataset_id"),
            JoinDefinition("ca", "JOIN classes ca ON ca.id = cf.class_a"),
            JoinDefinition("cb", "JOIN classes cb ON cb.id = cf.class_b"),
        ],
        fields: [
            FieldDefinition("vlm", .text, "v.name", joins: ["v"], "the VLM"),
            FieldDefinition("dataset", .text, "ds.name", joins: ["ds"], "dataset name"),
            FieldDefinition("class_a", .text, "ca.name", joins: ["ca"], "first class"),
            FieldDefinition("class_b", .text, "cb.name", joins: ["cb"], "second class"),
            FieldDefinition("count", .integer, "cf.count", "images of one class taken for the other"),
            FieldDefinition("missing_descriptions", .integer, "cf.missing_descriptions", "follow-ups that fell back to the template"),
        ],
        defaultFields: ["vlm", "dataset", "class_a", "class_b", "count"], searchKey: nil)

    static let vlms = SourceDefinition(
        name: "vlms", summary: "vision-language models known to the store", grain: "one row per VLM",
        table: "vlms v", key: "v.id", joins: [],
        fields: [
            FieldDefinition("id", .integer, "v.id", "the VLM's id"),
            FieldDefinition("vlm", .text, "v.name", "name"),
            FieldDefinition("name", .text, "v.name", "name (same as vlm)"),
            FieldDefinition("family", .text, "v.family", "model family"),
            FieldDefinition("dim", .integer, "v.dim", "embedding dimension"),
            FieldDefinition("n_scores", .integer, "(SELECT count(*) FROM scores s WHERE s.vlm_id = v.id)", "scored descriptions"),
        ],
        defaultFields: ["vlm", "family", "dim", "n_scores"], searchKey: nil)

    static let datasets = SourceDefinition(
        name: "datasets", summary: "datasets", grain: "one row per dataset",
        table: "datasets ds", key: "ds.id", joins: [],
        fields: [
            FieldDefinition("id", .integer, "ds.id", "the dataset's id"),
            FieldDefinition("dataset", .text, "ds.name", "name"),
            FieldDefinition("name", .text, "ds.name", "name (same as dataset)"),
            FieldDefinition("n_classes", .integer, "(SELECT count(*) FROM classes c WHERE c.dataset_id = ds.id)", "classes"),
            FieldDefinition("n_descriptions", .integer, "(SELECT count(*) FROM descriptions d WHERE d.dataset_id = ds.id)", "descriptions"),
            FieldDefinition("created", .text, "ds.created", "when it was created"),
        ],
        defaultFields: ["dataset", "n_classes", "n_descriptions"], searchKey: nil)
}

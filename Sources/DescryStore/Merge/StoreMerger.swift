import CSQLite
import Foundation

/// Merges other stores into this one, idempotently: every row is matched by what it is, never
/// by its row id. Datasets and LLMs by name, classes by dataset and name, VLMs by name (and
/// manifest hash), sources by format, label and content hash, descriptions by content hash,
/// pairs by dataset, classes and VLM, images by dataset and path, embeddings by VLM, kind and
/// content key hash, scores by VLM and description, runs by everything but their metrics,
/// confusions, audits and cached LLM answers by their primary keys. A row the target holds
/// with the same values is counted as present; one with different values (two VLMs of one name
/// with different manifest hashes, a score or an embedding that differs) is a conflict: it is
/// reported and the target's row kept. Merging the same source twice adds nothing.
///
/// The whole merge is one transaction on the target; the sources are attached read-only
/// (`ATTACH … AS src0`, SQLite's `mode=ro`) and must have the target's schema version.
/// Derived tables are not copied: the full-text index gets the new descriptions, and the
/// score rollup and search statistics are marked stale, as every other write does.
///
/// This is the one writer that crosses the repositories' tables: it copies rows whole, in the
/// tables' own terms, and leaves every decision about their content to the repositories that
/// wrote them in the source.
public struct StoreMerger {
    /// Tables the merge does not copy because they are derived from the copied ones (the
    /// full-text index, the score rollup and the search statistics are rebuilt or marked
    /// stale). Every other table of the schema must have a rule in `tables(schema:)`: a test
    /// checks it, so a new migration's table cannot be left out of merges silently.
    public static let derivedTables: Set<String> = ["descriptions_fts", "score_rollup", "score_rollup_state", "search_statistics"]

    /// Conflict examples kept per table.
    public static let exampleLimit = 5

    let store: Store

    init(store: Store) { self.store = store }

    /// How a table is matched: `select` reads the source table with its references already
    /// translated to target ids (through the `temp.merge_*` maps) and yields `columns`, plus
    /// `merge_label` (the row's key in words) and, for tables others refer to, `src_id`.
    /// Rows whose references cannot be translated are not selected (they count as conflicts).
    struct Table {
        let name: String
        let columns: [String]
        let key: [String]
        let values: [String]
        let select: String
        /// The `temp.merge_*` map to fill (source id → target id), when others refer to it.
        var map: String?
        /// The target has unique keys beyond `key` (a class's index): a row that would break
        /// one is left out and counted as a conflict.
        var orIgnore = false
    }

    /// Merges `sources` into the store in one transaction and reports what each added.
    /// Throws before writing anything when a source is missing, is not a Descry store, has a
    /// different schema version, or is the target itself.
    public func merge(sources: [String]) throws -> MergeReport {
        guard !sources.isEmpty else { throw StoreError.notFound("nothing to merge: name at least one source store") }
        let targetVersion = try store.schemaVersion()
        let targetReal = URL(fileURLWithPath: store.path).resolvingSymlinksInPath().standardizedFileURL.path
        for s in sources {
            if URL(fileURLWithPath: s).resolvingSymlinksInPath().standardizedFileURL.path == targetReal {
                throw StoreError.cannotOpen(s, "it is the target store itself; name other stores to merge into it")
            }
            let version: Int
            do {
                let source = try Store(path: s, taxonomy: store.taxonomy, readOnly: true)
                version = try source.schemaVersion()
            } catch StoreError.needsMigration(_, let found, _) {
                version = found
            }
            guard version == targetVersion else {
                throw StoreError.cannotOpen(s, "its schema version is \(version) and the target's is \(targetVersion); open it once with this descry (`descry --store \(s) init` migrates it) or merge with the descry that wrote it")
            }
        }
        let limit = Int(sqlite3_limit(store.database.handle, SQLITE_LIMIT_ATTACHED, -1))
        guard sources.count <= limit else {
            throw StoreError.cannotOpen(sources[limit], "SQLite attaches at most \(limit) stores at once; merge the sources in groups of \(limit) (merging is idempotent, so groups may overlap)")
        }
        var attached: [String] = []
        defer {
            for name in attached { try? store.database.execute("DETACH DATABASE \(name)") }
        }
        try store.wrap {
            for (i, s) in sources.enumerated() {
                let name = "src\(i)"
                try store.database.execute("ATTACH DATABASE ? AS \(name)", [Self.readOnlyURI(s)])
                attached.append(name)
            }
        }
        let report = try store.write {
            try createMaps()
            var reports: [MergeSourceReport] = []
            for (i, s) in sources.enumerated() {
                try clearMaps()
                reports.append(MergeSourceReport(path: s, tables: try mergeOne(schema: "src\(i)")))
            }
            try dropMaps()
            return MergeReport(target: store.path, sources: reports)
        }
        return report
    }

    /// A read-only URI for `path`: SQLite's `mode=ro`, or `immutable=1` in a folder this process
    /// cannot write (a WAL store cannot be read there otherwise).
    static func readOnlyURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        let folder = (absolute as NSString).deletingLastPathComponent
        let writable = FileManager.default.isWritableFile(atPath: folder.isEmpty ? "/" : folder)
        return "file:\(escaped)?\(writable ? "mode=ro" : "immutable=1")"
    }

    static let maps = ["merge_dataset", "merge_class", "merge_llm", "merge_vlm", "merge_source", "merge_description", "merge_pair"]

    func createMaps() throws {
        for m in Self.maps {
            try store.database.execute("CREATE TEMP TABLE IF NOT EXISTS \(m) (src INTEGER PRIMARY KEY, dst INTEGER NOT NULL)")
        }
    }

    func clearMaps() throws {
        for m in Self.maps { try store.database.execute("DELETE FROM temp.\(m)") }
    }

    func dropMaps() throws {
        for m in Self.maps { try store.database.execute("DROP TABLE IF EXISTS temp.\(m)") }
    }

    /// Merges one attached source, table by table, parents before the rows that refer to them.
    func mergeOne(schema s: String) throws -> [MergeTableCount] {
        var out: [MergeTableCount] = []
        let firstNewDescription = try store.database.scalar(Int64.self, "SELECT coalesce(max(id), 0) + 1 AS n FROM main.descriptions")
        for t in Self.tables(schema: s) {
            out.append(try merge(t, schema: s))
        }
        if let d = out.first(where: { $0.table == "descriptions" }), d.added > 0 {
            // The same bookkeeping as DescriptionWriter.finish(): index the new rows, and the
            // search statistics are stale.
            try store.database.execute(
                "INSERT INTO main.descriptions_fts(rowid, text) SELECT id, text FROM main.descriptions WHERE id >= ?", [firstNewDescription])
            try store.database.execute("UPDATE main.search_statistics SET stale = 1 WHERE stale = 0")
        }
        return out
    }

    func merge(_ t: Table, schema s: String) throws -> MergeTableCount {
        var count = MergeTableCount(table: t.name)
        let keyEqual = t.key.map { "t.\($0) IS m.\($0)" }.joined(separator: " AND ")
        let valuesEqual = t.values.isEmpty ? "1" : t.values.map { "t.\($0) IS m.\($0)" }.joined(separator: " AND ")
        let total = try store.database.scalar(Int.self, "SELECT count(*) AS n FROM \(s).\(t.name)")
        count.present = try store.database.scalar(Int.self, """
            SELECT count(*) AS n FROM (\(t.select)) m WHERE EXISTS (SELECT 1 FROM main.\(t.name) t WHERE \(keyEqual) AND \(valuesEqual))
            """)
        if !t.values.isEmpty {
            count.examples = try store.database.rows("""
                SELECT m.merge_label FROM (\(t.select)) m JOIN main.\(t.name) t ON \(keyEqual) WHERE NOT (\(valuesEqual)) LIMIT \(Self.exampleLimit)
                """).map { try $0.string("merge_label") + " differs" }
        }
        let cols = t.columns.joined(separator: ", ")
        let mcols = t.columns.map { "m.\($0)" }.joined(separator: ", ")
        try store.database.execute("""
            INSERT \(t.orIgnore ? "OR IGNORE " : "")INTO main.\(t.name)(\(cols))
            SELECT \(mcols) FROM (\(t.select)) m WHERE NOT EXISTS (SELECT 1 FROM main.\(t.name) t WHERE \(keyEqual))
            """)
        count.added = store.database.changes
        count.conflicts = total - count.present - count.added
        if count.conflicts > count.examples.count && count.examples.count < Self.exampleLimit {
            let unexplained = count.conflicts - count.examples.count
            count.examples.append("\(unexplained) row(s) refer to a conflicting or missing parent (dataset, class, VLM, description) or would break a unique key of the target")
        }
        if let map = t.map {
            try store.database.execute("""
                INSERT OR IGNORE INTO temp.\(map)(src, dst) SELECT m.src_id, t.id FROM (\(t.select)) m JOIN main.\(t.name) t ON \(keyEqual) AND \(valuesEqual)
                """)
        }
        return count
    }

    /// The tables in merge order, reading from the attached schema `s`.
    static func tables(schema s: String) -> [Table] {
        [
            Table(name: "datasets", columns: ["name", "created"], key: ["name"], values: [],
                  select: "SELECT x.id AS src_id, x.name, x.created, 'dataset ' || x.name AS merge_label FROM \(s).datasets x",
                  map: "merge_dataset"),
            Table(name: "classes", columns: ["dataset_id", "idx", "name"], key: ["dataset_id", "name"], values: ["idx"],
                  select: """
                  SELECT x.id AS src_id, d.dst AS dataset_id, x.idx, x.name,
                         'class ' || x.name || ' of ' || sd.name || ' (index ' || x.idx || ')' AS merge_label
                  FROM \(s).classes x JOIN temp.merge_dataset d ON d.src = x.dataset_id JOIN \(s).datasets sd ON sd.id = x.dataset_id
                  """, map: "merge_class", orIgnore: true),
            Table(name: "class_aliases", columns: ["dataset_id", "alias", "alias_key", "class_id", "created"],
                  key: ["dataset_id", "alias_key"], values: ["class_id"],
                  select: """
                  SELECT d.dst AS dataset_id, x.alias, x.alias_key, c.dst AS class_id, x.created,
                         'alias ' || x.alias || ' of ' || sd.name AS merge_label
                  FROM \(s).class_aliases x JOIN temp.merge_dataset d ON d.src = x.dataset_id JOIN \(s).datasets sd ON sd.id = x.dataset_id
                  JOIN temp.merge_class c ON c.src = x.class_id
                  """),
            Table(name: "llms", columns: ["name"], key: ["name"], values: [],
                  select: "SELECT x.id AS src_id, x.name, 'LLM ' || x.name AS merge_label FROM \(s).llms x", map: "merge_llm"),
            Table(name: "vlms", columns: ["name", "family", "dim", "manifest_hash", "manifest", "created"], key: ["name"], values: ["manifest_hash"],
                  select: """
                  SELECT x.id AS src_id, x.name, x.family, x.dim, x.manifest_hash, x.manifest, x.created,
                         'VLM ' || x.name || ' (manifest hash ' || coalesce(substr(x.manifest_hash, 1, 12), 'none: not registered') || ')' AS merge_label
                  FROM \(s).vlms x
                  """, map: "merge_vlm"),
            Table(name: "sources", columns: ["format", "label", "path", "content_hash", "llm_id", "prompt_id", "imported"],
                  key: ["format", "label", "content_hash"], values: [],
                  select: """
                  SELECT x.id AS src_id, x.format, x.label, x.path, x.content_hash, l.dst AS llm_id, x.prompt_id, x.imported,
                         'source ' || x.format || ' ' || x.label AS merge_label
                  FROM \(s).sources x LEFT JOIN temp.merge_llm l ON l.src = x.llm_id
                  WHERE x.llm_id IS NULL OR l.dst IS NOT NULL
                  """, map: "merge_source"),
            Table(name: "class_matches", columns: ["source_id", "key", "class_id", "method", "rule"],
                  key: ["source_id", "key", "class_id"], values: ["method", "rule"],
                  select: """
                  SELECT so.dst AS source_id, x.key, c.dst AS class_id, x.method, x.rule,
                         'class match of key ' || x.key AS merge_label
                  FROM \(s).class_matches x JOIN temp.merge_source so ON so.src = x.source_id JOIN temp.merge_class c ON c.src = x.class_id
                  """),
            Table(name: "descriptions",
                  columns: ["dataset_id", "class_id", "text", "kind", "source_id", "attribute_raw", "attribute", "category", "content_hash",
                            "attribute_confidence", "attribute_reason"],
                  key: ["content_hash"], values: [],
                  select: """
                  SELECT x.id AS src_id, d.dst AS dataset_id, c.dst AS class_id, x.text, x.kind, so.dst AS source_id, x.attribute_raw,
                         x.attribute, x.category, x.content_hash, x.attribute_confidence, x.attribute_reason,
                         'description ' || substr(x.text, 1, 60) AS merge_label
                  FROM \(s).descriptions x JOIN temp.merge_source so ON so.src = x.source_id
                  LEFT JOIN temp.merge_dataset d ON d.src = x.dataset_id LEFT JOIN temp.merge_class c ON c.src = x.class_id
                  WHERE (x.dataset_id IS NULL OR d.dst IS NOT NULL) AND (x.class_id IS NULL OR c.dst IS NOT NULL)
                  """, map: "merge_description"),
            Table(name: "pairs", columns: ["dataset_id", "class_a", "class_b", "vlm_id"], key: ["dataset_id", "class_a", "class_b", "vlm_id"], values: [],
                  select: """
                  SELECT x.id AS src_id, d.dst AS dataset_id, a.dst AS class_a, b.dst AS class_b, v.dst AS vlm_id,
                         'pair ' || x.class_a || '/' || x.class_b AS merge_label
                  FROM \(s).pairs x JOIN temp.merge_dataset d ON d.src = x.dataset_id
                  JOIN temp.merge_class a ON a.src = x.class_a JOIN temp.merge_class b ON b.src = x.class_b
                  LEFT JOIN temp.merge_vlm v ON v.src = x.vlm_id
                  WHERE x.vlm_id IS NULL OR v.dst IS NOT NULL
                  """, map: "merge_pair"),
            Table(name: "pair_members", columns: ["pair_id", "position", "side", "description_id", "twin_id", "attribute_raw"],
                  key: ["pair_id", "position", "side"], values: ["description_id", "twin_id", "attribute_raw"],
                  select: """
                  SELECT p.dst AS pair_id, x.position, c.dst AS side, dd.dst AS description_id, tw.dst AS twin_id, x.attribute_raw,
                         'pair slot ' || x.pair_id || ' position ' || x.position AS merge_label
                  FROM \(s).pair_members x JOIN temp.merge_pair p ON p.src = x.pair_id JOIN temp.merge_class c ON c.src = x.side
                  JOIN temp.merge_description dd ON dd.src = x.description_id LEFT JOIN temp.merge_description tw ON tw.src = x.twin_id
                  WHERE x.twin_id IS NULL OR tw.dst IS NOT NULL
                  """),
            Table(name: "images", columns: ["dataset_id", "path", "class_id", "split", "content_hash", "added"],
                  key: ["dataset_id", "path"], values: ["class_id", "split", "content_hash"],
                  select: """
                  SELECT d.dst AS dataset_id, x.path, c.dst AS class_id, x.split, x.content_hash, x.added,
                         'image ' || x.path || ' of ' || sd.name AS merge_label
                  FROM \(s).images x JOIN temp.merge_dataset d ON d.src = x.dataset_id JOIN \(s).datasets sd ON sd.id = x.dataset_id
                  LEFT JOIN temp.merge_class c ON c.src = x.class_id
                  WHERE x.class_id IS NULL OR c.dst IS NOT NULL
                  """),
            Table(name: "embeddings", columns: ["vlm_id", "kind", "key_hash", "dim", "vector", "created"],
                  key: ["vlm_id", "kind", "key_hash"], values: ["dim", "vector"],
                  select: """
                  SELECT v.dst AS vlm_id, x.kind, x.key_hash, x.dim, x.vector, x.created,
                         x.kind || ' embedding ' || substr(x.key_hash, 1, 12) || ' of VLM ' || sv.name AS merge_label
                  FROM \(s).embeddings x JOIN temp.merge_vlm v ON v.src = x.vlm_id JOIN \(s).vlms sv ON sv.id = x.vlm_id
                  """),
            Table(name: "scores", columns: ["vlm_id", "description_id", "alignment", "lift", "margin", "content", "n_images", "input_hash", "computed"],
                  key: ["vlm_id", "description_id"], values: ["alignment", "lift", "margin", "content", "n_images", "input_hash"],
                  select: """
                  SELECT v.dst AS vlm_id, dd.dst AS description_id, x.alignment, x.lift, x.margin, x.content, x.n_images, x.input_hash, x.computed,
                         'score of VLM ' || sv.name || ' for description ' || substr(sd.text, 1, 60) AS merge_label
                  FROM \(s).scores x JOIN temp.merge_vlm v ON v.src = x.vlm_id JOIN temp.merge_description dd ON dd.src = x.description_id
                  JOIN \(s).vlms sv ON sv.id = x.vlm_id JOIN \(s).descriptions sd ON sd.id = x.description_id
                  """),
            Table(name: "runs",
                  columns: ["vlm_id", "dataset_id", "method", "k", "aggregation", "accuracy", "top5", "mean_per_class_recall", "n_images",
                            "prompt_hash", "options", "created"],
                  key: ["vlm_id", "dataset_id", "method", "k", "aggregation", "prompt_hash", "options", "created"],
                  values: ["accuracy", "top5", "mean_per_class_recall", "n_images"],
                  select: """
                  SELECT v.dst AS vlm_id, d.dst AS dataset_id, x.method, x.k, x.aggregation, x.accuracy, x.top5, x.mean_per_class_recall,
                         x.n_images, x.prompt_hash, x.options, x.created,
                         'run ' || x.method || ' of VLM ' || sv.name || ' at ' || x.created AS merge_label
                  FROM \(s).runs x JOIN temp.merge_vlm v ON v.src = x.vlm_id JOIN temp.merge_dataset d ON d.src = x.dataset_id
                  JOIN \(s).vlms sv ON sv.id = x.vlm_id
                  """),
            Table(name: "confusions", columns: ["vlm_id", "dataset_id", "class_a", "class_b", "count", "missing_descriptions"],
                  key: ["vlm_id", "dataset_id", "class_a", "class_b"], values: ["count", "missing_descriptions"],
                  select: """
                  SELECT v.dst AS vlm_id, d.dst AS dataset_id, a.dst AS class_a, b.dst AS class_b, x.count, x.missing_descriptions,
                         'confusion ' || x.class_a || '/' || x.class_b || ' of VLM ' || sv.name AS merge_label
                  FROM \(s).confusions x JOIN temp.merge_vlm v ON v.src = x.vlm_id JOIN temp.merge_dataset d ON d.src = x.dataset_id
                  JOIN temp.merge_class a ON a.src = x.class_a JOIN temp.merge_class b ON b.src = x.class_b JOIN \(s).vlms sv ON sv.id = x.vlm_id
                  """),
            Table(name: "audits", columns: ["description_id", "method", "verdict", "rationale", "score", "created"],
                  key: ["description_id", "method"], values: ["verdict", "rationale", "score"],
                  select: """
                  SELECT dd.dst AS description_id, x.method, x.verdict, x.rationale, x.score, x.created,
                         'audit ' || x.method || ' of description ' || substr(sd.text, 1, 60) AS merge_label
                  FROM \(s).audits x JOIN temp.merge_description dd ON dd.src = x.description_id JOIN \(s).descriptions sd ON sd.id = x.description_id
                  """),
            Table(name: "llm_cache", columns: ["request_hash", "model", "request", "response", "usage", "status", "created"],
                  key: ["request_hash"], values: ["model", "request", "response", "usage", "status"],
                  select: """
                  SELECT x.request_hash, x.model, x.request, x.response, x.usage, x.status, x.created,
                         'cached LLM answer ' || substr(x.request_hash, 1, 12) AS merge_label
                  FROM \(s).llm_cache x
                  """),
        ]
    }
}

extension Store {
    /// Merges other stores into this one (see `StoreMerger`).
    public var merger: StoreMerger { StoreMerger(store: self) }
}

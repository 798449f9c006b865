import DescryStore

/// Every SQL statement the benchmarks run, in one file, so that the rule "no SQL outside
/// DescryStore and the DQL compiler" has exactly one documented exception. Two kinds:
///
/// - **Baselines**: plain hand-written SQL that a benchmark times *against* Descry's own path
///   (DQL, the store's search). They are the thing being compared, so they stay SQL text.
/// - **Bench-store setup and inspection**: synthetic scores for the query benchmark and the
///   sizes it reports, on a throwaway store; no user-facing API does either.
///
/// Statements run on the store's own connection (`Store.database`, package-scoped), the one the
/// DQL engine uses, so both sides of a comparison share its page cache and settings.
enum BenchSQL {
    // MARK: Baselines

    /// `descry bench import`: the group-by timed after the import (the Python baseline runs the
    /// same grouping on its own table).
    static let groupByAttributeAndCategory =
        "SELECT attribute, category, count(*) AS n FROM descriptions WHERE dataset_id = ? GROUP BY attribute, category"

    /// `descry bench query`: the search example (differential descriptions of one dataset
    /// matching a word, bm25 order, top 10) as plain SQL.
    static let searchExample = """
        SELECT c.name, d.attribute, d.text FROM descriptions_fts f JOIN descriptions d ON d.id = f.rowid
        LEFT JOIN datasets ds ON ds.id = d.dataset_id LEFT JOIN classes c ON c.id = d.class_id
        WHERE descriptions_fts MATCH ? AND ds.name = ? AND d.kind = 'differential' ORDER BY f.rank, d.id LIMIT 10
        """

    /// `descry bench query`: bm25 top 20 of a word over every description.
    static let bm25Top20 =
        "SELECT d.id, d.text FROM descriptions_fts f JOIN descriptions d ON d.id = f.rowid WHERE descriptions_fts MATCH ? ORDER BY f.rank LIMIT 20"

    /// `descry bench query`: mean alignment per VLM and attribute, straight from `scores`
    /// (DQL may answer it from the score rollup).
    static let meanAlignmentPerVLMAndAttribute =
        "SELECT v.name, d.attribute, avg(s.alignment) FROM scores s JOIN descriptions d ON d.id = s.description_id JOIN vlms v ON v.id = s.vlm_id GROUP BY 1, 2 ORDER BY 1, 2"

    // MARK: Bench-store setup and inspection

    /// Deterministic fake scores for one VLM on every description: alignment in 0.10…0.35,
    /// lift in -0.05…0.05, no margin, 50 images. Bindings: the VLM id three times.
    static let insertFakeScores = """
        INSERT INTO scores(vlm_id, description_id, alignment, lift, margin, n_images)
        SELECT ?, id, 0.10 + ((id * 2654435761 + ? * 40503) % 1000) / 4000.0,
               ((id * 40503 + ?) % 200) / 2000.0 - 0.05, NULL, 50
        FROM descriptions ORDER BY id
        """

    /// Rows in `scores`.
    static let scoreCount = "SELECT count(*) AS n FROM scores"

    /// Rows in `descriptions`.
    static let descriptionCount = "SELECT count(*) AS n FROM descriptions"

    /// The first dataset created (the benchmark store has one).
    static let firstDatasetName = "SELECT name FROM datasets ORDER BY id LIMIT 1"
}

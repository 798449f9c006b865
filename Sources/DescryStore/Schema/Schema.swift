/// The knowledge base's schema, as an ordered list of forward migrations.
public enum Schema {
    /// Every migration, oldest first. Append only: never edit a released step.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "knowledge base", sql: version1),
        Migration(version: 2, name: "score rollup", sql: version2),
        Migration(version: 3, name: "typing confidence and reason", sql: version3),
        Migration(version: 4, name: "class aliases and match provenance", sql: version4),
    ]

    /// The version a store has once every migration ran.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    static let version1 = """
    CREATE TABLE datasets (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
        created  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

    CREATE TABLE classes (
        id          INTEGER PRIMARY KEY,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL CHECK (idx >= 0),
        name        TEXT NOT NULL CHECK (length(name) > 0),
        UNIQUE (dataset_id, idx),
        UNIQUE (dataset_id, name)
    );

    CREATE TABLE vlms (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        family         TEXT,
        dim            INTEGER,
        manifest_hash  TEXT,
        manifest       TEXT,
        created        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

    CREATE TABLE llms (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE
    );

    -- Provenance: one row per imported file (or generation run).
    CREATE TABLE sources (
        id            INTEGER PRIMARY KEY,
        format        TEXT NOT NULL,
        label         TEXT NOT NULL,
        path          TEXT,
        content_hash  TEXT NOT NULL,
        llm_id        INTEGER REFERENCES llms(id),
        prompt_id     TEXT,
        imported      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (format, label, content_hash)
    );

    CREATE TABLE descriptions (
        id             INTEGER PRIMARY KEY,
        dataset_id     INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
        class_id       INTEGER REFERENCES classes(id) ON DELETE CASCADE,
        text           TEXT NOT NULL CHECK (length(trim(text)) > 0),
        -- Written as OR chains: SQLite builds an ephemeral index per row for a CHECK with IN (…).
        kind           TEXT NOT NULL CHECK (kind = 'class' OR kind = 'differential' OR kind = 'template' OR kind = 'classname'),
        source_id      INTEGER NOT NULL REFERENCES sources(id),
        attribute_raw  TEXT,
        attribute      TEXT,
        category       TEXT NOT NULL DEFAULT 'unknown'
                       CHECK (category = 'visual' OR category = 'non-visual' OR category = 'spurious' OR category = 'unknown'),
        content_hash   BLOB NOT NULL UNIQUE
    );
    CREATE INDEX descriptions_by_class ON descriptions(dataset_id, class_id, kind);
    CREATE INDEX descriptions_by_attribute ON descriptions(dataset_id, attribute, category);

    -- Kept in sync by the store: rows are indexed in the same transaction that writes them.
    CREATE VIRTUAL TABLE descriptions_fts USING fts5(
        text, content = 'descriptions', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER descriptions_fts_delete AFTER DELETE ON descriptions BEGIN
        INSERT INTO descriptions_fts(descriptions_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER descriptions_fts_update AFTER UPDATE OF text ON descriptions BEGIN
        INSERT INTO descriptions_fts(descriptions_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO descriptions_fts(rowid, text) VALUES (new.id, new.text);
    END;

    -- A class pair, optionally for one VLM (differential descriptions written for its confusions).
    CREATE TABLE pairs (
        id          INTEGER PRIMARY KEY,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        class_a     INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        class_b     INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        vlm_id      INTEGER REFERENCES vlms(id) ON DELETE CASCADE,
        CHECK (class_a <> class_b)
    );
    CREATE UNIQUE INDEX pairs_key ON pairs(dataset_id, class_a, class_b, coalesce(vlm_id, 0));

    -- One side of one prompt pair: `description` describes `side`; `twin` is the other side's text.
    CREATE TABLE pair_members (
        pair_id         INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
        position        INTEGER NOT NULL,
        side            INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        description_id  INTEGER NOT NULL REFERENCES descriptions(id) ON DELETE CASCADE,
        twin_id         INTEGER REFERENCES descriptions(id) ON DELETE SET NULL,
        attribute_raw   TEXT,
        PRIMARY KEY (pair_id, position, side)
    ) WITHOUT ROWID;
    CREATE INDEX pair_members_by_description ON pair_members(description_id);

    CREATE TABLE images (
        id            INTEGER PRIMARY KEY,
        dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        path          TEXT NOT NULL,
        class_id      INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        split         TEXT,
        content_hash  TEXT NOT NULL,
        added         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (dataset_id, path)
    );
    CREATE INDEX images_by_class ON images(dataset_id, class_id);

    -- Each text and each image embedded once per VLM; key_hash is the hash of the text or
    -- of the image file's bytes.
    CREATE TABLE embeddings (
        vlm_id    INTEGER NOT NULL REFERENCES vlms(id) ON DELETE CASCADE,
        kind      TEXT NOT NULL CHECK (kind = 'text' OR kind = 'image'),
        key_hash  TEXT NOT NULL,
        dim       INTEGER NOT NULL,
        vector    BLOB NOT NULL CHECK (length(vector) = 4 * dim),
        created   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (vlm_id, kind, key_hash)
    ) WITHOUT ROWID;

    CREATE TABLE scores (
        vlm_id          INTEGER NOT NULL REFERENCES vlms(id) ON DELETE CASCADE,
        description_id  INTEGER NOT NULL REFERENCES descriptions(id) ON DELETE CASCADE,
        alignment       REAL,
        lift            REAL,
        margin          REAL,
        content         REAL,
        n_images        INTEGER NOT NULL DEFAULT 0,
        input_hash      TEXT,
        computed        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (vlm_id, description_id)
    ) WITHOUT ROWID;
    CREATE INDEX scores_by_description ON scores(description_id, vlm_id, alignment, lift);

    CREATE TABLE runs (
        id                     INTEGER PRIMARY KEY,
        vlm_id                 INTEGER NOT NULL REFERENCES vlms(id) ON DELETE CASCADE,
        dataset_id             INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        method                 TEXT NOT NULL,
        k                      INTEGER,
        aggregation            TEXT,
        accuracy               REAL,
        top5                   REAL,
        mean_per_class_recall  REAL,
        n_images               INTEGER,
        prompt_hash            TEXT,
        options                TEXT,
        created                TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

    CREATE TABLE confusions (
        vlm_id      INTEGER NOT NULL REFERENCES vlms(id) ON DELETE CASCADE,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        class_a     INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        class_b     INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        count       INTEGER NOT NULL DEFAULT 0,
        missing_descriptions INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (vlm_id, dataset_id, class_a, class_b)
    ) WITHOUT ROWID;

    CREATE TABLE audits (
        description_id  INTEGER NOT NULL REFERENCES descriptions(id) ON DELETE CASCADE,
        method          TEXT NOT NULL,
        verdict         TEXT NOT NULL,
        rationale       TEXT,
        score           REAL,
        created         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (description_id, method)
    ) WITHOUT ROWID;

    CREATE TABLE llm_cache (
        request_hash  TEXT PRIMARY KEY,
        model         TEXT NOT NULL,
        request       TEXT NOT NULL,
        response      TEXT,
        usage         TEXT,
        status        TEXT NOT NULL DEFAULT 'ok',
        created       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ) WITHOUT ROWID;
    """

    /// Pre-aggregated scores per VLM × dataset × kind × attribute × category, so "mean
    /// alignment per VLM and attribute" reads a few hundred rows instead of joining millions.
    /// Sums and sums of squares give count, sum, mean and standard deviation; min and max are
    /// kept too. Triggers only mark the rollup stale (cheap, and right whatever way scores are
    /// written: INSERT, INSERT OR REPLACE, upsert, UPDATE, DELETE, cascades);
    /// `Store.scores.refreshRollup()` rebuilds it. Readers use it only when it is fresh.
    /// NULL dataset and attribute are stored as 0 and '' so they can be part of the key.
    /// How sure the typing of a description is and why: set at import by the store's typer for
    /// text without a source attribute (per-class corpora), and from the taxonomy's rule for
    /// text with one (FuDD's `attr_type`, TAP's keys).
    static let version3 = """
    ALTER TABLE descriptions ADD COLUMN attribute_confidence REAL;
    ALTER TABLE descriptions ADD COLUMN attribute_reason TEXT;
    """

    /// Class names across projects: aliases per dataset (`descry classes alias`), matched by
    /// their normalised form `alias_key`, and which key of an imported file was matched to
    /// which class how (exact, normalized, map, alias, fuzzy), per source.
    static let version4 = """
    CREATE TABLE class_aliases (
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        alias       TEXT NOT NULL CHECK (length(trim(alias)) > 0),
        alias_key   TEXT NOT NULL CHECK (length(alias_key) > 0),
        class_id    INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (dataset_id, alias_key)
    ) WITHOUT ROWID;
    CREATE INDEX class_aliases_by_class ON class_aliases(class_id);

    CREATE TABLE class_matches (
        source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        class_id   INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        method     TEXT NOT NULL CHECK (method = 'exact' OR method = 'normalized' OR method = 'map' OR method = 'alias' OR method = 'fuzzy'),
        rule       TEXT,
        PRIMARY KEY (source_id, key, class_id)
    ) WITHOUT ROWID;
    CREATE INDEX class_matches_by_class ON class_matches(class_id);
    """

    static let version2 = """
    CREATE TABLE score_rollup (
        vlm_id           INTEGER NOT NULL,
        dataset_id       INTEGER NOT NULL,
        kind             TEXT NOT NULL,
        attribute        TEXT NOT NULL,
        category         TEXT NOT NULL,
        n                INTEGER NOT NULL,
        n_alignment      INTEGER NOT NULL, sum_alignment REAL NOT NULL, sumsq_alignment REAL NOT NULL, min_alignment REAL, max_alignment REAL,
        n_lift           INTEGER NOT NULL, sum_lift      REAL NOT NULL, sumsq_lift      REAL NOT NULL, min_lift      REAL, max_lift      REAL,
        n_margin         INTEGER NOT NULL, sum_margin    REAL NOT NULL, sumsq_margin    REAL NOT NULL, min_margin    REAL, max_margin    REAL,
        n_content        INTEGER NOT NULL, sum_content   REAL NOT NULL, sumsq_content   REAL NOT NULL, min_content   REAL, max_content   REAL,
        PRIMARY KEY (vlm_id, dataset_id, kind, attribute, category)
    ) WITHOUT ROWID;

    CREATE TABLE score_rollup_state (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        stale  INTEGER NOT NULL
    );
    INSERT INTO score_rollup_state(id, stale) VALUES (1, 1);

    -- "WHERE stale = 0" keeps the per-row cost to a lookup once the flag is set.
    CREATE TRIGGER scores_rollup_insert AFTER INSERT ON scores BEGIN
        UPDATE score_rollup_state SET stale = 1 WHERE stale = 0;
    END;
    CREATE TRIGGER scores_rollup_update AFTER UPDATE ON scores BEGIN
        UPDATE score_rollup_state SET stale = 1 WHERE stale = 0;
    END;
    CREATE TRIGGER scores_rollup_delete AFTER DELETE ON scores BEGIN
        UPDATE score_rollup_state SET stale = 1 WHERE stale = 0;
    END;
    CREATE TRIGGER descriptions_rollup_update AFTER UPDATE OF dataset_id, kind, attribute, category ON descriptions BEGIN
        UPDATE score_rollup_state SET stale = 1 WHERE stale = 0;
    END;

    -- Length statistics of the full-text index (rows, tokens, shortest description in tokens),
    -- which bound bm25 scores so a top-k search can skip most candidates. New or edited text
    -- may be shorter, so it makes them stale; deletions only make the bound looser, not wrong.
    CREATE TABLE search_statistics (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        stale       INTEGER NOT NULL,
        n_rows      INTEGER NOT NULL DEFAULT 0,
        n_tokens    INTEGER NOT NULL DEFAULT 0,
        min_tokens  INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO search_statistics(id, stale) VALUES (1, 1);
    -- New rows are marked by DescriptionWriter.finish(), once per write: a per-row INSERT
    -- trigger cost about a fifth of the bulk-import time.
    CREATE TRIGGER descriptions_search_update AFTER UPDATE OF text ON descriptions BEGIN
        UPDATE search_statistics SET stale = 1 WHERE stale = 0;
    END;
    """
}

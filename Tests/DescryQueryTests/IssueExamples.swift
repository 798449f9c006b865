/// The issue's example queries with the hand-written SQL each must agree with, for a given
/// dataset, so the fixture-store and FuDD-corpora tests check the very same pairs.
enum IssueExamples {
    static func search(_ dataset: String) -> (dql: String, sql: String) {
        ("""
        descriptions
        | where dataset = "\(dataset)" and kind = "differential"
        | search "ear OR ears"
        | show class, attribute, text
        | top 10
        """, """
        SELECT c.name, d.attribute, d.text FROM descriptions_fts f JOIN descriptions d ON d.id = f.rowid
        JOIN datasets ds ON ds.id = d.dataset_id JOIN classes c ON c.id = d.class_id
        WHERE descriptions_fts MATCH 'ear OR ears' AND ds.name = '\(dataset)' AND d.kind = 'differential'
        ORDER BY f.rank, d.id LIMIT 10
        """)
    }

    /// The SQL covers the first five columns; the spread is checked separately.
    static func groupByVLM(_ dataset: String) -> (dql: String, sql: String) {
        ("""
        descriptions
        | where dataset = "\(dataset)"
        | group by vlm, category, attribute
        | aggregate n = count(), score = mean(alignment), spread = stddev(alignment)
        | sort score desc
        | top 3 per vlm
        """, """
        WITH g AS (SELECT v.name AS vlm, d.category, d.attribute, count(*) AS n, avg(s.alignment) AS score
                   FROM descriptions d JOIN datasets ds ON ds.id = d.dataset_id
                   JOIN scores s ON s.description_id = d.id JOIN vlms v ON v.id = s.vlm_id
                   WHERE ds.name = '\(dataset)' GROUP BY 1, 2, 3),
             r AS (SELECT *, row_number() OVER (PARTITION BY vlm ORDER BY score DESC, vlm, category, attribute) AS rn FROM g)
        SELECT vlm, category, attribute, n, score FROM r WHERE rn <= 3 ORDER BY vlm, score DESC, category, attribute
        """)
    }

    static func pairs(_ dataset: String) -> (dql: String, sql: String) {
        ("pairs | where dataset = \"\(dataset)\" | sort confusion desc | top 10 | show class_a, class_b, n_descriptions", """
        SELECT ca.name, cb.name, (SELECT count(DISTINCT description_id) FROM pair_members WHERE pair_id = p.id)
        FROM pairs p JOIN datasets ds ON ds.id = p.dataset_id
        JOIN classes ca ON ca.id = p.class_a JOIN classes cb ON cb.id = p.class_b
        LEFT JOIN (SELECT dataset_id, min(class_a, class_b) AS x, max(class_a, class_b) AS y, sum(count) AS total
                   FROM confusions GROUP BY 1, 2, 3) cf
               ON cf.dataset_id = p.dataset_id AND cf.x = min(p.class_a, p.class_b) AND cf.y = max(p.class_a, p.class_b)
        WHERE ds.name = '\(dataset)' ORDER BY cf.total DESC, p.id LIMIT 10
        """)
    }
}

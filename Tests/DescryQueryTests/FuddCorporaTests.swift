import DescryStore
import XCTest
@testable import DescryQuery

/// The issue's examples on a store holding the pets, dtd and eurosat FuDD corpora, each
/// compared with a hand-written SQL query. Skipped when ../shared/corpora/fudd is absent.
final class FuddCorporaTests: XCTestCase {
    func testSearchExample() throws {
        let store = try TestStore.fudd()
        let r = try QueryEngine(store: store).run("""
            descriptions
            | where dataset = "pets" and kind = "differential"
            | search "ear OR ears"
            | show class, attribute, text
            | top 10
            """)
        let expected = try TestStore.sql(store, """
            SELECT c.name, d.attribute, d.text FROM descriptions_fts f JOIN descriptions d ON d.id = f.rowid
            JOIN datasets ds ON ds.id = d.dataset_id JOIN classes c ON c.id = d.class_id
            WHERE descriptions_fts MATCH 'ear OR ears' AND ds.name = 'pets' AND d.kind = 'differential'
            ORDER BY f.rank, d.id LIMIT 10
            """)
        XCTAssertEqual(r.rows.count, 10)
        assertSameRows(r.rows, expected)
    }

    func testGroupByVLMExample() throws {
        let store = try TestStore.fudd()
        let r = try QueryEngine(store: store).run("""
            descriptions
            | where dataset = "dtd"
            | group by vlm, category, attribute
            | aggregate n = count(), score = mean(alignment), spread = stddev(alignment)
            | sort score desc
            | top 3 per vlm
            """)
        let expected = try TestStore.sql(store, """
            WITH g AS (SELECT v.name AS vlm, d.category, d.attribute, count(*) AS n, avg(s.alignment) AS score
                       FROM descriptions d JOIN datasets ds ON ds.id = d.dataset_id
                       JOIN scores s ON s.description_id = d.id JOIN vlms v ON v.id = s.vlm_id
                       WHERE ds.name = 'dtd' GROUP BY 1, 2, 3),
                 r AS (SELECT *, row_number() OVER (PARTITION BY vlm ORDER BY score DESC, vlm, category, attribute) AS rn FROM g)
            SELECT vlm, category, attribute, n, score FROM r WHERE rn <= 3 ORDER BY vlm, score DESC, category, attribute
            """)
        assertSameRows(r.rows.map { Array($0.prefix(5)) }, expected)
        XCTAssertEqual(r.rows.count, 0, "no scores in a store of imported corpora")
    }

    func testPairsExample() throws {
        let store = try TestStore.fudd()
        let r = try QueryEngine(store: store).run("pairs | where dataset = \"pets\" | sort confusion desc | top 10 | show class_a, class_b, n_descriptions")
        let expected = try TestStore.sql(store, """
            SELECT ca.name, cb.name, (SELECT count(DISTINCT description_id) FROM pair_members WHERE pair_id = p.id)
            FROM pairs p JOIN datasets ds ON ds.id = p.dataset_id
            JOIN classes ca ON ca.id = p.class_a JOIN classes cb ON cb.id = p.class_b
            LEFT JOIN (SELECT dataset_id, min(class_a, class_b) AS x, max(class_a, class_b) AS y, sum(count) AS total
                       FROM confusions GROUP BY 1, 2, 3) cf
                   ON cf.dataset_id = p.dataset_id AND cf.x = min(p.class_a, p.class_b) AND cf.y = max(p.class_a, p.class_b)
            WHERE ds.name = 'pets' ORDER BY cf.total DESC, p.id LIMIT 10
            """)
        XCTAssertEqual(r.rows.count, 10)
        assertSameRows(r.rows, expected)
    }

    func testPivotExample() throws {
        let store = try TestStore.fudd()
        let r = try QueryEngine(store: store).run("descriptions | where dataset = \"pets\" | pivot attribute by vlm value mean(lift)")
        XCTAssertEqual(r.rows, try TestStore.sql(store, """
            SELECT d.attribute FROM descriptions d JOIN datasets ds ON ds.id = d.dataset_id JOIN scores s ON s.description_id = d.id
            WHERE ds.name = 'pets' GROUP BY 1 ORDER BY 1
            """))
        // With categories as columns the same pivot has data on the corpora alone.
        let c = try QueryEngine(store: store).run("descriptions | where dataset = \"eurosat\" | pivot attribute by category value count()")
        let expected = try TestStore.sql(store, """
            SELECT d.attribute, sum(d.category = 'non-visual'), sum(d.category = 'visual') FROM descriptions d JOIN datasets ds ON ds.id = d.dataset_id
            WHERE ds.name = 'eurosat' GROUP BY 1 ORDER BY 1
            """)
        XCTAssertEqual(c.columns.map(\.name), ["attribute", "non-visual", "visual"])
        assertSameRows(c.rows, expected)
    }

    func testIssueCommandLineExample() throws {
        let store = try TestStore.fudd()
        let r = try QueryEngine(store: store).run("descriptions | where dataset = \"pets\" | group by attribute | aggregate n = count() | sort n desc | top 5")
        let expected = try TestStore.sql(store, """
            SELECT d.attribute, count(*) FROM descriptions d JOIN datasets ds ON ds.id = d.dataset_id WHERE ds.name = 'pets'
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
            """)
        assertSameRows(r.rows, expected)
        XCTAssertEqual(r.rows.count, 5)
    }
}

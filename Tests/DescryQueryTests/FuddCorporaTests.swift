import DescryStore
import XCTest
@testable import DescryQuery

/// The issue's examples on a store holding the pets, dtd and eurosat FuDD corpora, each
/// compared with a hand-written SQL query. Skipped when ../shared/corpora/fudd is absent.
final class FuddCorporaTests: XCTestCase {
    func testSearchExample() throws {
        let store = try TestStore.fudd()
        let example = IssueExamples.search("pets")
        let r = try QueryEngine(store: store).run(example.dql)
        let expected = try TestStore.sql(store, example.sql)
        XCTAssertEqual(r.rows.count, 10)
        assertSameRows(r.rows, expected)
    }

    func testGroupByVLMExample() throws {
        let store = try TestStore.fudd()
        let example = IssueExamples.groupByVLM("dtd")
        let r = try QueryEngine(store: store).run(example.dql)
        let expected = try TestStore.sql(store, example.sql)
        assertSameRows(r.rows.map { Array($0.prefix(5)) }, expected)
        XCTAssertEqual(r.rows.count, 0, "no scores in a store of imported corpora")
    }

    func testPairsExample() throws {
        let store = try TestStore.fudd()
        let example = IssueExamples.pairs("pets")
        let r = try QueryEngine(store: store).run(example.dql)
        let expected = try TestStore.sql(store, example.sql)
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

import DescryFakes
import DescryLLM
import DescryStore
import Foundation
import XCTest

/// The runner end to end: cache, resume, offline, corrective retry, failures, provenance.
final class GenerationRunnerTests: XCTestCase {
    /// A server answering differential requests correctly for whatever pair they name.
    func differentialServer(delay: Double = 0) throws -> LoopbackChatServer {
        try LoopbackChatServer { r in
            guard let (a, b) = TestSupport.pairNames(r.body) else { return .error(400, "not a differential request") }
            return .completion(TestSupport.differentialAnswer(a, b), delay: delay)
        }
    }

    func generator(_ store: Store, _ c: LLMConfiguration) throws -> DifferentialGenerator {
        try DifferentialGenerator(store: store, dataset: "pets", configuration: c, prompt: try TestSupport.prompt("differential"))
    }

    func allPairs(_ g: DifferentialGenerator) throws -> [(ClassRecord, ClassRecord)] {
        let cs = try TestSupport.classNames.map { try g.resolve($0) }
        var out: [(ClassRecord, ClassRecord)] = []
        for i in cs.indices { for j in (i + 1)..<cs.count { out.append((cs[i], cs[j])) } }
        return out
    }

    func testDifferentialWritesPairsWithProvenanceAndCaches() async throws {
        let server = try differentialServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let g = try generator(store, c)
        let pairs = try allPairs(g)
        XCTAssertEqual(pairs.count, 15)
        XCTAssertEqual(try g.jobs(pairs: pairs + pairs.map { ($0.1, $0.0) }).count, 15, "a pair named twice is asked once")
        let runner = GenerationRunner(store: store, client: try TestSupport.client(c), concurrency: 4)
        var snapshots: [GenerationProgress] = []
        runner.onProgress = { snapshots.append($0) }
        let report = try await runner.run(try g.jobs(pairs: pairs), apply: g.writer(vlmID: nil))
        XCTAssertEqual(report.succeeded, 15)
        XCTAssertEqual(report.requestsSent, 15)
        XCTAssertEqual(report.failed, 0)
        XCTAssertEqual(report.rowsAdded, 60)
        XCTAssertEqual(report.pairsAdded, 15)
        XCTAssertEqual(report.usage.totalTokens, 15 * 30)
        XCTAssertEqual(snapshots.last?.done, 15)
        XCTAssertEqual(server.received.count, 15)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM llm_cache WHERE status = 'ok' AND model = 'test-model'"), 15)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM pair_members"), 60)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM pairs WHERE vlm_id IS NULL"), 15)
        // Every slot has its twin on the other side, and the twin points back.
        XCTAssertEqual(try TestSupport.count(store, """
            SELECT count(*) FROM pair_members m JOIN pair_members t ON t.pair_id = m.pair_id AND t.position = m.position AND t.side <> m.side
            WHERE m.twin_id = t.description_id AND t.twin_id = m.description_id
            """), 60)
        // Provenance: format llm, label llm:<model>, the LLM and the prompt id.
        let src = try store.database.rows("SELECT s.format, s.label, l.name, s.prompt_id FROM sources s JOIN llms l ON l.id = s.llm_id")
        XCTAssertEqual(src.count, 1)
        XCTAssertEqual(src[0].values, [.text("llm"), .text("llm:test-model"), .text("test-model"), .text("differential-v1")])
        // The raw attribute was mapped by the taxonomy; the text is searchable.
        XCTAssertEqual(try store.database.scalar("SELECT attribute FROM descriptions WHERE attribute_raw = 'ear shape' LIMIT 1").string, "shape")
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM descriptions_fts WHERE descriptions_fts MATCH 'ears'"), 60)

        // A second run sends nothing and adds nothing.
        let again = try await runner.run(try g.jobs(pairs: pairs.reversed().map { ($0.1, $0.0) }), apply: g.writer(vlmID: nil))
        XCTAssertEqual(again.requestsSent, 0)
        XCTAssertEqual(again.fromCache, 15)
        XCTAssertEqual(again.rowsAdded, 0)
        XCTAssertEqual(server.received.count, 15)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM pair_members"), 60, "cached answers are not linked twice")
    }

    func testResumeSendsOnlyWhatIsMissingAndVLMKeysPairs() async throws {
        let server = try differentialServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let g = try generator(store, c)
        let pairs = try allPairs(g)
        let runner = GenerationRunner(store: store, client: try TestSupport.client(c))
        _ = try await runner.run(try g.jobs(pairs: Array(pairs.prefix(6))), apply: g.writer(vlmID: nil))
        XCTAssertEqual(server.received.count, 6)
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let report = try await runner.run(try g.jobs(pairs: pairs), apply: g.writer(vlmID: vlm))
        XCTAssertEqual(report.requestsSent, 9)
        XCTAssertEqual(report.fromCache, 6)
        XCTAssertEqual(server.received.count, 15)
        XCTAssertEqual(Set(server.received.map(\.body)).count, 15, "no request was sent twice")
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM pairs WHERE vlm_id = ?", [vlm]), 15)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM descriptions"), 60, "the VLM-keyed pairs reuse the stored sentences")
    }

    func testOfflineAnswersFromTheCacheAlone() async throws {
        let server = try differentialServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let g = try generator(store, c)
        let pairs = try allPairs(g)
        _ = try await GenerationRunner(store: store, client: try TestSupport.client(c)).run(try g.jobs(pairs: Array(pairs.prefix(4))), apply: g.writer(vlmID: nil))
        try store.write { try store.database.execute("DELETE FROM descriptions") }
        server.stop()
        let offline = GenerationRunner(store: store, client: nil)
        let report = try await offline.run(try g.jobs(pairs: Array(pairs.prefix(6))), apply: g.writer(vlmID: nil))
        XCTAssertEqual(report.fromCache, 4)
        XCTAssertEqual(report.succeeded, 4)
        XCTAssertEqual(report.failed, 2)
        XCTAssertTrue(report.failures.allSatisfy { $0.reason.contains("not in the cache") })
        XCTAssertEqual(report.requestsSent, 0)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM descriptions"), 16, "offline rebuilt the descriptions from the cache")
        XCTAssertEqual(server.received.count, 4)
    }

    func testInvalidAnswerGetsOneCorrectiveRetry() async throws {
        // First answer: prose without one of the classes; the corrective turn gets a valid one.
        let server = try LoopbackChatServer { r in
            let obj = try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            let messages = obj?["messages"] as? [[String: String]] ?? []
            if messages.count == 2 { return .completion("Sure! {\"pairs\": [{\"attribute\": \"size\", \"beagle\": \"A beagle is medium.\"}]}") }
            return .completion(TestSupport.differentialAnswer("beagle", "pug", n: 1))
        }
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let g = try generator(store, c)
        let report = try await GenerationRunner(store: store, client: try TestSupport.client(c))
            .run(try g.jobs(pairs: [(try g.resolve("pug"), try g.resolve("beagle"))]), apply: g.writer(vlmID: nil))
        XCTAssertEqual(report.succeeded, 1)
        XCTAssertEqual(report.correctiveRequests, 1)
        XCTAssertEqual(server.received.count, 2)
        let corrective = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(server.received[1].body.utf8)) as? [String: Any])
        let messages = try XCTUnwrap(corrective["messages"] as? [[String: String]])
        XCTAssertEqual(messages.map { $0["role"]! }, ["system", "user", "assistant", "user"])
        XCTAssertTrue(messages[3]["content"]!.contains("no sentence for 'pug'"), messages[3]["content"]!)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM llm_cache WHERE status = 'invalid'"), 1)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM descriptions"), 2)
    }

    func testTwiceInvalidIsARecordedFailureWithRawText() async throws {
        let server = try LoopbackChatServer { _ in .completion("I'd rather not answer in JSON.") }
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let g = try generator(store, c)
        let jobs = try g.jobs(pairs: [(try g.resolve("pug"), try g.resolve("beagle"))])
        let runner = GenerationRunner(store: store, client: try TestSupport.client(c))
        let report = try await runner.run(jobs, apply: g.writer(vlmID: nil))
        XCTAssertEqual(report.succeeded, 0)
        XCTAssertEqual(report.failures.count, 1)
        XCTAssertEqual(report.failures[0].raw, "I'd rather not answer in JSON.")
        XCTAssertTrue(report.failures[0].reason.contains("no JSON"))
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM llm_cache WHERE status = 'invalid' AND response = ?", ["I'd rather not answer in JSON."]), 2)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM descriptions"), 0)
        // The failure is reproduced from the cache without new requests.
        let again = try await runner.run(jobs, apply: g.writer(vlmID: nil))
        XCTAssertEqual(again.failed, 1)
        XCTAssertEqual(server.received.count, 2)
    }

    func testUnauthorizedStopsTheRunAndTheKeyNeverReachesTheStore() async throws {
        let server = try LoopbackChatServer { r in
            r.index < 3 ? .completion(TestSupport.differentialAnswer(TestSupport.pairNames(r.body)!.0, TestSupport.pairNames(r.body)!.1))
                        : .error(401, "bad key \(r.headers["authorization"] ?? "")")
        }
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server, concurrency: 1)
        let g = try generator(store, c)
        do {
            _ = try await GenerationRunner(store: store, client: try TestSupport.client(c), concurrency: 1)
                .run(try g.jobs(pairs: try allPairs(g)), apply: g.writer(vlmID: nil))
            XCTFail("expected the run to stop")
        } catch let e as LLMError {
            guard case .unauthorized = e else { return XCTFail("\(e)") }
            XCTAssertFalse("\(e)".contains("SECRET"))
        }
        XCTAssertEqual(server.received.count, 4, "nothing is sent after the 401")
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM llm_cache"), 3, "answers before the 401 were kept")
        try store.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        XCTAssertNil(bytes.range(of: Data("SECRET".utf8)), "the key is not in the store file")
        XCTAssertTrue(server.received.allSatisfy { $0.headers["authorization"]?.contains("SECRET") == true }, "but it was sent to the server")
    }

    func testNonFatalFailuresAreReportedAndRetriedNextRun() async throws {
        let server = try LoopbackChatServer { r in
            guard let (a, b) = TestSupport.pairNames(r.body) else { return .error(400, "?") }
            return a == "beagle" && b == "pug" && r.index < 4 ? .error(500, "down") : .completion(TestSupport.differentialAnswer(a, b))
        }
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server, concurrency: 1)
        let g = try generator(store, c)
        let pairs = [(try g.resolve("beagle"), try g.resolve("pug")), (try g.resolve("beagle"), try g.resolve("Bengal"))]
        let runner = GenerationRunner(store: store, client: try TestSupport.client(c), concurrency: 1)
        let first = try await runner.run(try g.jobs(pairs: pairs), apply: g.writer(vlmID: nil))
        XCTAssertEqual(first.succeeded, 1)
        XCTAssertEqual(first.failures.map(\.label), ["beagle / pug"])
        XCTAssertTrue(first.failures[0].reason.contains("gave up after 4 attempts"))
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM llm_cache"), 1, "a failed request is not cached")
        let second = try await runner.run(try g.jobs(pairs: pairs), apply: g.writer(vlmID: nil))
        XCTAssertEqual(second.requestsSent, 1)
        XCTAssertEqual(second.succeeded, 2)
    }

    func testPlanShowsRequestsAndCacheState() async throws {
        let server = try differentialServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let c = TestSupport.configuration(server)
        let g = try generator(store, c)
        let pairs = Array(try allPairs(g).prefix(3))
        let runner = GenerationRunner(store: store, client: try TestSupport.client(c))
        _ = try await runner.run(try g.jobs(pairs: [pairs[0]]), apply: g.writer(vlmID: nil))
        let plan = try runner.plan(try g.jobs(pairs: pairs))
        XCTAssertEqual(plan.map(\.cached), [true, false, false])
        XCTAssertTrue(plan.allSatisfy { $0.promptTokens > 50 && $0.maxAnswerTokens == 1024 })
        XCTAssertEqual(server.received.count, 1, "planning sends nothing")
    }
}

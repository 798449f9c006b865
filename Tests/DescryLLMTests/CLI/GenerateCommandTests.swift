import DescryFakes
import DescryLLM
import DescryStore
import Foundation
import XCTest

/// The `generate`, `judge` and `export rewards` commands, run as a child process against the
/// loopback server.
final class GenerateCommandTests: XCTestCase {
    /// Answers every prompt kind with a valid, request-specific answer.
    static func smartServer(delay: Double = 0) throws -> LoopbackChatServer {
        try LoopbackChatServer { r in
            if let (a, b) = TestSupport.pairNames(r.body) { return .completion(TestSupport.differentialAnswer(a, b), delay: delay) }
            let tag = String(r.body.hashValue, radix: 36)
            if r.body.contains("Description: ") {
                return .completion("{\"informative\": true, \"attribute\": \"colour\", \"visual\": true, \"rationale\": \"Colour shows.\"}", delay: delay)
            }
            return .completion("```json\n{\"descriptions\": [\"A sentence \(tag).\"]}\n```", delay: delay)
        }
    }

    func testDifferentialPairCacheDryRunOfflineAndJSON() throws {
        let server = try Self.smartServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let d = DescryProcess(store: store.path, baseURL: server.baseURL)
        let args = ["generate", "differential", "--dataset", "pets", "--pair", "pug", "beagle", "--pair", "Persian", "Siamese"]

        let dry = try d.run(args + ["--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("2 would be sent"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("\"model\":\"test-model\""))
        XCTAssertEqual(server.received.count, 0, "a dry run sends nothing")

        let first = try d.run(args)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("2 of 2 answered"), first.stdout)
        XCTAssertTrue(first.stdout.contains("8 descriptions added"), first.stdout)
        XCTAssertEqual(server.received.count, 2)

        let second = try d.run(args + ["--json"])
        XCTAssertEqual(second.status, 0, second.stderr)
        // --json keys are snake_case (Docs/json.md).
        XCTAssertTrue(second.stdout.contains("\"requests_sent\" : 0"), second.stdout)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let report = try decoder.decode(GenerationReport.self, from: Data(second.stdout.utf8))
        XCTAssertEqual(report.requestsSent, 0)
        XCTAssertEqual(report.fromCache, 2)
        XCTAssertEqual(server.received.count, 2, "the second run sends zero requests")

        let dry2 = try d.run(args + ["--dry-run"])
        XCTAssertTrue(dry2.stdout.contains("2 cached; 0 would be sent"), dry2.stdout)
        let dryJSON = try d.run(args + ["--dry-run", "--json", "--pair", "pug", "Bengal"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dryJSON.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary["to_send"] as? Int, 1)
        XCTAssertEqual(summary["cached"] as? Int, 2)
        XCTAssertEqual((summary["requests"] as? [Any])?.count, 3)

        let usage = try d.run(["generate", "differential", "--dataset", "pets", "--pair", "pug", "beagle", "--missing"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("--missing needs --vlm"), usage.stderr)

        let offline = try d.run(args + ["--offline", "--pair", "pug", "Bengal"])
        XCTAssertEqual(offline.status, 1)
        XCTAssertTrue(offline.stderr.contains("not in the cache"), offline.stderr)
        XCTAssertTrue(offline.stdout.contains("2 of 3 answered"), offline.stdout)
        XCTAssertEqual(server.received.count, 2, "offline sends nothing")
    }

    func testResumeAfterKillSendsOnlyMissingRequests() throws {
        let slow = try Self.smartServer(delay: 0.1)
        let store = try TestSupport.store()
        let args = ["generate", "descriptions", "--dataset", "pets", "--per-class", "8", "--prompts", "ex2", "--concurrency", "2"]
        let (p, _, _) = try DescryProcess(store: store.path, baseURL: slow.baseURL).start(args)
        let deadline = Date().addingTimeInterval(30)
        while slow.received.count < 8 && p.isRunning && Date() < deadline { usleep(2_000) }
        XCTAssertTrue(p.isRunning, "the run should still be going when it is killed")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        slow.stop()

        let reopened = try Store(path: store.path, taxonomy: store.taxonomy)
        let cachedBodies = Set(try reopened.database.rows("SELECT request FROM llm_cache").map { try $0.string("request") })
        let cachedAfterKill = cachedBodies.count
        XCTAssertGreaterThan(cachedAfterKill, 0)
        XCTAssertLessThan(cachedAfterKill, 48)
        XCTAssertEqual(try TestSupport.count(reopened, "SELECT count(*) FROM descriptions"), cachedAfterKill, "each cached answer's sentence was written with it")

        let fast = try Self.smartServer()
        defer { fast.stop() }
        let rerun = try DescryProcess(store: store.path, baseURL: fast.baseURL).run(args)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(fast.received.count, 48 - cachedAfterKill, "only the missing requests are sent")
        XCTAssertTrue(fast.received.allSatisfy { !cachedBodies.contains($0.body) }, "no cached request is sent again")
        XCTAssertEqual(try TestSupport.count(reopened, "SELECT count(*) FROM llm_cache"), 48)
        XCTAssertEqual(try TestSupport.count(reopened, "SELECT count(*) FROM descriptions WHERE kind = 'class'"), 48)
    }

    func testVLMConfusionsMissingAndEmpty() throws {
        let server = try Self.smartServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let d = DescryProcess(store: store.path, baseURL: server.baseURL)
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let args = ["generate", "differential", "--dataset", "pets", "--vlm", "clip-b32", "--missing"]
        let empty = try d.run(args)
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("no confusions recorded for VLM 'clip-b32'"), empty.stderr)

        // beagle/pug already has descriptions; pug/Persian and Siamese/Bengal do not.
        let ds = try store.datasetID(named: "pets")
        let cls = Dictionary(uniqueKeysWithValues: try store.classes(ofDataset: ds).map { ($0.name, $0.id) })
        try store.write {
            let w = try DescriptionWriter(store: store, sourceID: try store.addSource(SourceInfo(format: "test", label: "t", contentHash: "x")).id)
            let beagle = try store.classes(ofDataset: ds)[0], pug = try store.classes(ofDataset: ds)[2]
            let p = try w.pair(datasetID: ds, classA: beagle, classB: pug)
            let a = try w.add(NewDescription(datasetID: ds, classID: beagle.id, text: "A beagle is a beagle.", kind: .differential))
            let b = try w.add(NewDescription(datasetID: ds, classID: pug.id, text: "A pug is a pug.", kind: .differential))
            try w.link(pairID: p, position: 0, side: beagle.id, descriptionID: a.id, twinID: b.id, attributeRaw: nil)
            try w.finish()
            for (x, y, n) in [("pug", "beagle", 9), ("pug", "Persian", 5), ("Siamese", "Bengal", 3)] {
                try store.database.execute("INSERT INTO confusions(vlm_id, dataset_id, class_a, class_b, count) VALUES (?, ?, ?, ?, ?)", [vlm, ds, cls[x]!, cls[y]!, n])
            }
        }
        let top1 = try d.run(args + ["--k", "1"])
        XCTAssertEqual(top1.status, 0, top1.stderr)
        XCTAssertTrue(top1.stdout.contains("already have differential descriptions"), top1.stdout)
        // The dry run of --missing: the two uncovered pairs' exact requests, nothing sent, and
        // no credentials of the base URL printed.
        let dry = try DescryProcess(store: store.path, baseURL: server.baseURL.replacingOccurrences(of: "http://", with: "http://user:hunter2@"))
            .run(args + ["--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("2 requests for differential; 0 cached; 2 would be sent"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("# pug / Persian") && dry.stdout.contains("# Siamese / Bengal"), dry.stdout)
        XCTAssertFalse(dry.stdout.contains("beagle"), "the covered pair is not asked for")
        XCTAssertTrue(dry.stdout.contains("POST " + server.baseURL + "/chat/completions"), dry.stdout)
        XCTAssertFalse(dry.stdout.contains("hunter2") || dry.stdout.contains("SECRET"), "no credential is printed: \(dry.stdout)")
        XCTAssertEqual(server.received.count, 0, "a dry run sends nothing")
        let run = try d.run(args)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(server.received.count, 2)
        XCTAssertEqual(Set(server.received.compactMap { TestSupport.pairNames($0.body).map { "\($0.0)/\($0.1)" } }), ["pug/Persian", "Siamese/Bengal"])
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM pairs WHERE vlm_id = ?", [vlm]), 2, "pairs generated for a VLM are keyed by it")
    }

    func testJudgeStoresVerdictsAndRewardsExport() throws {
        let server = try Self.smartServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let d = DescryProcess(store: store.path, baseURL: server.baseURL)
        XCTAssertEqual(try d.run(["generate", "descriptions", "--dataset", "pets", "--per-class", "2", "--prompts", "cupl", "--class", "pug"]).status, 0)
        let judge = try d.run(["judge", "--dataset", "pets"])
        XCTAssertEqual(judge.status, 0, judge.stderr)
        XCTAssertEqual(try TestSupport.count(store, "SELECT count(*) FROM audits WHERE method = 'llm-judge' AND verdict = 'visual' AND rationale LIKE 'attribute: colour%'"), 2)

        let out = try TestSupport.temporaryDirectory() + "/rewards.jsonl"
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let none = try d.run(["export", "rewards", out, "--dataset", "pets", "--vlm", "clip-b32"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no alignment scores"), none.stderr)
        try store.write {
            try store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, n_images) SELECT ?, id, 0.25 + id / 100.0, 4 FROM descriptions", [vlm])
        }
        let ok = try d.run(["export", "rewards", out, "--dataset", "pets", "--vlm", "clip-b32"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(row["prompt_source"] as? String, "llm_cache")
        XCTAssertTrue((row["prompt"] as? String)?.contains("Category: pug") == true)
        XCTAssertNotNil(row["reward"] as? Double)
        XCTAssertEqual(row["class"] as? String, "pug")
    }

    func testUnauthorizedExitsWithoutPrintingTheKey() throws {
        let server = try LoopbackChatServer { r in .error(401, "Incorrect API key provided: \(r.headers["authorization"] ?? "")") }
        defer { server.stop() }
        let store = try TestSupport.store()
        let r = try DescryProcess(store: store.path, baseURL: server.baseURL).run(["generate", "differential", "--dataset", "pets", "--pair", "pug", "beagle"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("refused the API key"), r.stderr)
        XCTAssertFalse(r.stderr.contains("SECRET") || r.stdout.contains("SECRET"), r.stderr)
        XCTAssertEqual(server.received.count, 1)
    }

    func testGenerateBestNeedsScoresThenSelects() throws {
        let server = try Self.smartServer()
        defer { server.stop() }
        let store = try TestSupport.store()
        let vlm = try store.write { try store.vlms.ensure(named: "clip-b32") }
        let d = DescryProcess(store: store.path, baseURL: server.baseURL)
        let args = ["generate", "best", "--dataset", "pets", "--vlm", "clip-b32", "--candidates", "4", "--keep", "1", "--prompts", "cupl"]
        let first = try d.run(args)
        XCTAssertEqual(first.status, 1)
        XCTAssertTrue(first.stderr.contains("have no alignment score for 'clip-b32' yet"), first.stderr)
        XCTAssertEqual(server.received.count, 24)
        try store.write {
            try store.database.execute("INSERT INTO scores(vlm_id, description_id, alignment, n_images) SELECT ?, id, id / 1000.0, 3 FROM descriptions", [vlm])
        }
        let second = try d.run(args)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("6 classes ranked, 6 kept, 18 rejected"), second.stdout)
        XCTAssertEqual(server.received.count, 24, "the candidates came from the cache")
    }
}

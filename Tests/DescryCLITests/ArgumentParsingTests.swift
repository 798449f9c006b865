@testable import descry
import DescryAnalysis
import DescryLLM
import DescryQuery
import DescryStore
import XCTest

/// The command-line parser, in process: each command's declared options against the words a
/// user types, and the usage errors (exit status 2) it gives for the wrong ones.
final class ArgumentParsingTests: XCTestCase {
    /// The message of the usage error `body` throws (fails the test when it throws none).
    func usageError<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("expected a usage error", file: file, line: line)
            return ""
        } catch let e as UsageError {
            return e.message
        } catch {
            XCTFail("expected a usage error, got \(error)", file: file, line: line)
            return ""
        }
    }

    // MARK: Options

    func testUnknownOptionNamesItWithTheNearestAsHint() {
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--limt", "3"])), "unknown option --limt (did you mean --limit?)")
        // Letter case is forgiven in the hint, not in the parse.
        XCTAssertEqual(usageError(try StatsCommand.parse(["--Dataset", "pets"])), "unknown option --Dataset (did you mean --dataset?)")
        // Shared options are candidates too.
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--atempts", "2"])), "unknown option --atempts (did you mean --attempts?)")
        // Nothing close: no hint.
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--frobnicate"])), "unknown option --frobnicate")
        XCTAssertEqual(usageError(try InitCommand.parse(["-q"])), "unknown option -q")
    }

    func testUsageErrorsNameTheCommandForTheHelpHint() {
        do { _ = try SearchCommand.parse(["x", "--limt", "3"]); XCTFail("parsed") } catch let e as UsageError {
            XCTAssertEqual(e.command, "search")
        } catch { XCTFail("\(error)") }
        // A subcommand's errors point at the help that covers it: `descry bench --help`.
        do { _ = try QueryBenchCommand.parse(["--runs", "0"]); XCTFail("parsed") } catch let e as UsageError {
            XCTAssertEqual(e.command, "bench")
            XCTAssertEqual(e.message, "option --runs must be within 1…1000, got 0")
        } catch { XCTFail("\(error)") }
    }

    func testMissingValue() {
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--limit"])), "option --limit needs a value")
        // The next word is another option of the command: the value is missing, not "--limit".
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--dataset", "--limit", "3"])), "option --dataset needs a value")
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--dataset", "--"])), "option --dataset needs a value")
        XCTAssertEqual(usageError(try GenerateCommand.parse(["differential", "--dataset", "d", "--pair", "pug"])),
                       "option --pair needs 2 values (--pair A B)")
    }

    func testBadNumbers() {
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--limit", "abc"])), "option --limit expects an integer, got 'abc'")
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--limit", "2.5"])), "option --limit expects an integer, got '2.5'")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--timeout", "soon"])), "option --timeout expects a number, got 'soon'")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--timeout", "inf"])), "option --timeout expects a number, got 'inf'")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--timeout", "nan"])), "option --timeout expects a number, got 'nan'")
    }

    func testOutOfRangeValues() {
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--limit", "0"])), "option --limit must be at least 1, got 0")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--attempts", "21"])), "option --attempts must be within 1…20, got 21")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--attempts", "0"])), "option --attempts must be within 1…20, got 0")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--concurrency", "257"])), "option --concurrency must be within 1…256, got 257")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--timeout", "0"])), "option --timeout must be > 0, ≤ 3600, got 0")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--timeout", "3601"])), "option --timeout must be > 0, ≤ 3600, got 3601")
        XCTAssertEqual(usageError(try JudgeCommand.parse(["--dataset", "d", "--temperature", "-0.1"])), "option --temperature must be within 0…2, got -0.1")
        XCTAssertEqual(usageError(try EvaluateCommand.parse(["--vlm", "v", "--dataset", "d", "--confusions", "-1"])),
                       "option --confusions must be at least 0, got -1")
        // The bounds themselves are accepted.
        let a = try? JudgeCommand.parse(["--dataset", "d", "--timeout", "3600", "--attempts", "20", "--temperature", "0"])
        XCTAssertEqual(a?[LLMOptions.timeout], 3600)
        XCTAssertEqual(a?[LLMOptions.attempts], 20)
        XCTAssertEqual(a?[LLMOptions.temperature], 0)
    }

    func testFlagGivenAValue() {
        XCTAssertEqual(usageError(try QueryCommand.parse(["q", "--explain=yes"])), "flag --explain takes no value")
        XCTAssertEqual(usageError(try EvaluateCommand.parse(["--vlm", "v", "--dataset", "d", "--no-record=1"])), "flag --no-record takes no value")
    }

    func testWordsOutsideTheAllowedOnes() {
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--kind", "diferential"])),
                       "option --kind expects class, differential, template or classname, got 'diferential' (did you mean 'differential'?)")
        XCTAssertEqual(usageError(try ScoreCommand.parse(["--vlm", "v", "--dataset", "d", "--device", "gpu"])),
                       "option --device expects cpu or cuda, got 'gpu' (did you mean 'cpu'?)")
        // A library parser's own message, after the option's name.
        XCTAssertEqual(usageError(try EvaluateCommand.parse(["--vlm", "v", "--dataset", "d", "--methods", "fud"])),
                       "option --methods: unknown method 'fud'; use classname, template, ensemble, descriptions or fudd")
        XCTAssertEqual(usageError(try EvaluateCommand.parse(["--vlm", "v", "--dataset", "d", "--k", "0"])),
                       "option --k: k must be a positive integer or 'all', got '0'")
        XCTAssertEqual(usageError(try ClassifyCommand.parse(["--vlm", "v", "--dataset", "d", "--method", "all", "i.png"])),
                       "option --method takes one method, got 'all'")
        XCTAssertEqual(usageError(try LLMBenchCommand.parse(["--levels", "1,x"])), "option --levels expects numbers 1…256 like 1,4,16, got '1,x'")
        // --format ignores letter case, as before.
        XCTAssertEqual((try? QueryCommand.parse(["q", "--format", "CSV"]))?[QueryCommand.format], .csv)
        XCTAssertEqual(usageError(try ReplCommand.parse(["--format", "xml"])), "option --format expects table, json, csv or markdown, got 'xml'")
    }

    // MARK: Positionals

    func testMissingAndExtraPositionals() {
        XCTAssertEqual(usageError(try SearchCommand.parse([])), "missing query; expected <query>")
        XCTAssertEqual(usageError(try SearchCommand.parse(["a", "b"])), "unexpected argument 'b'; expected <query>")
        XCTAssertEqual(usageError(try ImportCommand.parse(["fudd"])), "missing path; expected <format> <path>")
        XCTAssertEqual(usageError(try StatsCommand.parse(["pets"])), "unexpected argument 'pets'; expected no arguments")
        XCTAssertEqual(usageError(try SimilarityCommand.parse(["--vlm", "v", "cat.png"])), "missing text; expected <image> <text> [<text> …]")
        XCTAssertEqual(usageError(try ClassifyCommand.parse(["--vlm", "v", "--dataset", "d"])), "missing image; expected <image> [<image> …]")
        XCTAssertEqual(usageError(try QueryCommand.parse(["descriptions", "| top 1"])),
                       "unexpected argument '| top 1'; expected [<query>]; the query must be one argument; put it in single quotes")
        // A variadic positional takes every remaining word.
        XCTAssertEqual((try? SimilarityCommand.parse(["--vlm", "v", "cat.png", "a cat", "a dog"]))?.positionals, ["cat.png", "a cat", "a dog"])
    }

    func testRequiredOptionsAreListedTogether() {
        XCTAssertEqual(usageError(try ScoreCommand.parse([])), "score needs --vlm NAME and --dataset NAME")
        XCTAssertEqual(usageError(try ScoreCommand.parse(["--vlm", "v"])), "score needs --vlm NAME and --dataset NAME")
        XCTAssertEqual(usageError(try ReportCommand.parse(["--vlm", "v"])), "report needs --vlm NAME, --dataset NAME and --out FILE.html")
        XCTAssertEqual(usageError(try ExportCommand.parse(["fudd", "out"])), "export needs --dataset NAME")
    }

    // MARK: Forms of writing

    func testValuesAndDefaults() throws {
        let plain = try SearchCommand.parse(["red kite"])
        XCTAssertEqual(plain.positionals, ["red kite"])
        XCTAssertEqual(plain[SearchCommand.limit], 20)
        XCTAssertNil(plain[SearchCommand.dataset])
        XCTAssertNil(plain[SearchCommand.kind])
        XCTAssertFalse(plain.given(SearchCommand.limit))
        let given = try SearchCommand.parse(["--dataset", "pets", "red", "--kind", "differential", "--limit", "3"])
        XCTAssertEqual(given.positionals, ["red"])
        XCTAssertEqual(given[SearchCommand.dataset], "pets")
        XCTAssertEqual(given[SearchCommand.kind], .differential)
        XCTAssertEqual(given[SearchCommand.limit], 3)
        XCTAssertTrue(given.given(SearchCommand.limit))
        // A value that starts with a dash but is no option of the command is a value.
        XCTAssertEqual(try AuditCommand.parse(["--dataset", "-odd-name-"])[AuditCommand.dataset], "-odd-name-")
        // Given twice, the last one counts.
        XCTAssertEqual(try SearchCommand.parse(["x", "--limit", "3", "--limit", "4"])[SearchCommand.limit], 4)
    }

    func testNameEqualsValueForm() throws {
        let a = try SearchCommand.parse(["x", "--limit=7", "--dataset=pets=cats"])
        XCTAssertEqual(a[SearchCommand.limit], 7)
        XCTAssertEqual(a[SearchCommand.dataset], "pets=cats", "only the first '=' separates")
        XCTAssertEqual(try SearchCommand.parse(["x", "--dataset="])[SearchCommand.dataset], "")
        XCTAssertEqual(usageError(try SearchCommand.parse(["x", "--limit="])), "option --limit expects an integer, got ''")
        XCTAssertEqual(usageError(try QueryCommand.parse(["--file="])), "option --file expects a path, got an empty string")
    }

    func testShortAlias() throws {
        XCTAssertEqual(try QueryCommand.parse(["-f", "q.dql"])[QueryCommand.file], "q.dql")
        XCTAssertEqual(try QueryCommand.parse(["--file", "q.dql"])[QueryCommand.file], "q.dql")
        XCTAssertEqual(try QueryCommand.parse(["-f", "-"])[QueryCommand.file], "-", "'-' is stdin, a value")
    }

    func testDoubleDashEndsTheOptions() throws {
        let a = try SearchCommand.parse(["--limit", "2", "--", "--limit"])
        XCTAssertEqual(a.positionals, ["--limit"])
        XCTAssertEqual(a[SearchCommand.limit], 2)
        XCTAssertEqual(try QueryCommand.parse(["--", "-x"]).positionals, ["-x"])
        XCTAssertEqual(try SearchCommand.parse(["-"]).positionals, ["-"], "a lone dash is a positional")
    }

    func testRepeatableOptions() throws {
        let maps = try AttributesCommand.parse(["--map", "muzzle shape", "--map=fur colour", "--taxonomy"])
        XCTAssertEqual(maps[AttributesCommand.map], ["muzzle shape", "fur colour"])
        XCTAssertTrue(maps[AttributesCommand.taxonomy])
        XCTAssertFalse(maps[AttributesCommand.remap])
        XCTAssertEqual(try AttributesCommand.parse([])[AttributesCommand.map], [])
        let pairs = try GenerateCommand.parse(["differential", "--dataset", "pets", "--pair", "pug", "beagle", "--pair", "red kite", "blue kite"])
        XCTAssertEqual(pairs[GenerateCommand.pair], [["pug", "beagle"], ["red kite", "blue kite"]])
        let classes = try GenerateCommand.parse(["descriptions", "--dataset", "pets", "--class", "pug", "--class", "beagle"])
        XCTAssertEqual(classes[GenerateCommand.classes], ["pug", "beagle"])
    }

    func testSharedOptionGroups() throws {
        let a = try EvaluateCommand.parse(["--vlm", "v", "--dataset", "d", "--reference-quirks", "--aggregation", "mos", "--threads", "2", "--device", "cuda"])
        let opts = AnalysisOptions(a)
        XCTAssertEqual(opts.aggregation, .meanOfSimilarities)
        XCTAssertTrue(opts.prompt.capitalize && opts.prompt.classNamePeriod)
        XCTAssertTrue(opts.embedMissing, "implied by the prompt switches")
        XCTAssertEqual(opts.session.intraOpThreads, 2)
        XCTAssertEqual(a[EvaluateCommand.methods], ZeroShotMethod.allCases)
        XCTAssertEqual(a[EvaluateCommand.k], [3, 5, 10, nil])
        XCTAssertEqual(try DemoCommand.parse([])[DemoCommand.k], [1, 2, 3, 5, nil])
        let defaults = AnalysisOptions(try EvaluateCommand.parse(["--vlm", "v", "--dataset", "d"]))
        XCTAssertEqual(defaults.aggregation, .similarityOfMean)
        XCTAssertFalse(defaults.embedMissing)
        XCTAssertTrue(defaults.prompt.deduplicate)
    }

    func testLLMOptionsBecomeTheConfiguration() throws {
        setenv("DESCRY_LLM_MODEL", "test-model", 1)
        defer { unsetenv("DESCRY_LLM_MODEL") }
        let a = try JudgeCommand.parse(["--dataset", "d", "--concurrency", "8", "--timeout", "2.5", "--attempts", "3",
                                        "--temperature", "0", "--max-tokens", "64", "--no-json-mode", "--base-url", "http://127.0.0.1:9/v1"])
        let c = try LLMOptions(arguments: a, context: Context(storePath: "s.db", dataOverride: nil, json: false)).configuration()
        XCTAssertEqual(c.model, "test-model")
        XCTAssertEqual(c.baseURL, "http://127.0.0.1:9/v1")
        XCTAssertEqual(c.concurrency, 8)
        XCTAssertEqual(c.timeout, 2.5)
        XCTAssertEqual(c.maxAttempts, 3)
        XCTAssertEqual(c.temperature, 0)
        XCTAssertEqual(c.maxTokens, 64)
        XCTAssertFalse(c.jsonMode)
        // Not given: the library's own defaults.
        let d = try LLMOptions(arguments: try JudgeCommand.parse(["--dataset", "d"]), context: Context(storePath: "s.db", dataOverride: nil, json: false)).configuration()
        let library = LLMConfiguration(baseURL: "http://x", model: "m")
        XCTAssertEqual(d.concurrency, library.concurrency)
        XCTAssertEqual(d.timeout, library.timeout)
        XCTAssertEqual(d.maxAttempts, library.maxAttempts)
        XCTAssertEqual(d.temperature, library.temperature)
        XCTAssertEqual(d.maxTokens, library.maxTokens)
        XCTAssertTrue(d.jsonMode)
    }

    // MARK: Validation across options

    func testValidateRulesAcrossOptions() throws {
        func invalid(_ command: any Command.Type, _ args: [String]) -> String {
            usageError(try command.validate(try command.parse(args)))
        }
        XCTAssertEqual(invalid(GenerateCommand.self, ["differential", "--dataset", "pets"]), "generate differential needs --pair A B or --vlm V")
        XCTAssertEqual(invalid(GenerateCommand.self, ["differential", "--dataset", "pets", "--pair", "a", "b", "--missing"]),
                       "--missing needs --vlm V (it reads the VLM's confusions)")
        XCTAssertEqual(invalid(GenerateCommand.self, ["best", "--dataset", "pets"]), "generate best needs --vlm V (its alignment ranks the candidates)")
        XCTAssertEqual(invalid(GenerateCommand.self, ["best", "--dataset", "pets", "--vlm", "v", "--candidates", "3", "--keep", "4"]),
                       "need 1 ≤ --keep ≤ --candidates")
        XCTAssertEqual(invalid(GenerateCommand.self, ["pairs", "--dataset", "pets"]), "unknown generate target 'pairs'; use differential, descriptions or best")
        XCTAssertEqual(invalid(ExportCommand.self, ["rewards", "out.jsonl", "--dataset", "pets"]), "export rewards needs --vlm NAME")
        XCTAssertEqual(invalid(ExportCommand.self, ["fud", "out", "--dataset", "pets"]),
                       "unknown export format 'fud' (did you mean 'fudd'?); use fudd, descriptions, jsonl, rewards, custom-templates or classifier")
        XCTAssertEqual(invalid(ExportCommand.self, ["classifier", "w.npy", "--dataset", "pets"]), "export classifier needs --vlm NAME")
        XCTAssertEqual(invalid(ExportCommand.self, ["custom-templates", "t.json", "--dataset", "pets", "--method", "fudd"]),
                       "--method 'fudd' is not a custom-templates method; use descriptions, templates or both")
        XCTAssertEqual(invalid(ExportCommand.self, ["jsonl", "t.jsonl", "--dataset", "pets", "--source", "x"]), "--source applies to custom-templates only")
        XCTAssertEqual(invalid(EmbedCommand.self, ["images", "--vlm", "v", "--dataset", "pets", "--shard", "2/2"]),
                       "--shard: shard index must be between 0 and 1 for 2 shard(s), got 2")
        XCTAssertEqual(invalid(MergeCommand.self, ["a.db", "b.db", "a.db"]), "'a.db' is both the target and a source")
        XCTAssertEqual(invalid(ImportCommand.self, ["jsnl", "x.jsonl"]),
                       "unknown import format 'jsnl' (did you mean 'jsonl'?); use fudd, descriptions, attributes, folder, ex2, csv, tsv, templates, classes or jsonl")
        XCTAssertEqual(invalid(AuditCommand.self, []), "audit needs --dataset NAME (or --sample)")
        XCTAssertEqual(invalid(EmbedCommand.self, ["pictures", "--vlm", "v", "--dataset", "d"]), "expected `embed images` or `embed texts`")
        XCTAssertEqual(invalid(ModelsCommand.self, []), "expected `models add`, `models list` or `models quantize`")
        XCTAssertEqual(invalid(ModelsCommand.self, ["add", "clip"]), "missing dir; expected <add> <name> <dir>")
        XCTAssertEqual(invalid(ModelsCommand.self, ["list", "extra"]), "unexpected argument 'extra'; expected <list>")
        XCTAssertEqual(invalid(ModelsCommand.self, ["remove"]), "unknown models command 'remove'; use add, list or quantize")
        XCTAssertEqual(invalid(ModelsCommand.self, ["quantize"]), "missing name; expected <quantize> <name>")
        XCTAssertEqual(invalid(ModelsCommand.self, ["add", "clip", "dir", "--as", "x"]), "--as and --out belong to `models quantize`")
        XCTAssertEqual(invalid(VisionBenchCommand.self, ["--quantized"]), "--quantized needs --model DIR")
        XCTAssertEqual(invalid(ImagesCommand.self, ["add", "pets"]), "missing dir; expected <add> <dataset> <dir>")
        XCTAssertEqual(invalid(ImagesCommand.self, ["add", "pets", "dir", "--manifest", "m.csv"]), "unexpected argument 'dir'; expected <add> <dataset>")
        XCTAssertEqual(invalid(QueryCommand.self, []), "missing the query")
        XCTAssertEqual(invalid(QueryCommand.self, ["q", "-f", "q.dql"]), "give the query as an argument or with -f, not both")
        XCTAssertEqual(invalid(BenchCommand.self, ["quer"]), "expected `descry bench import` (did you mean 'query'?); or one of query, vision, analysis, llm, fuzz, report")
        // And the valid forms pass.
        for (command, args) in [(GenerateCommand.self as any Command.Type, ["differential", "--dataset", "p", "--vlm", "v", "--missing"]),
                                (GenerateCommand.self, ["best", "--dataset", "p", "--vlm", "v", "--candidates", "4", "--keep", "4"]),
                                (ModelsCommand.self, ["add", "clip", "dir"]), (ImagesCommand.self, ["add", "pets", "--manifest", "m.csv"]),
                                (AuditCommand.self, ["--sample"]), (AuditCommand.self, ["--sample", "--split", "dev"]), (BenchCommand.self, ["import"])] {
            XCTAssertNoThrow(try command.validate(try command.parse(args)), "\(command.name) \(args)")
        }
    }

    // MARK: Global options and commands

    func testGlobalOptionsWhereverTheyStand() throws {
        let (context, rest, help) = try GlobalOptions.split(["stats", "--json", "--dataset", "d", "--store", "x.db", "--data=Data"], environment: [:])
        XCTAssertEqual(rest, ["stats", "--dataset", "d"])
        XCTAssertEqual(context.storePath, "x.db")
        XCTAssertEqual(context.dataOverride, "Data")
        XCTAssertTrue(context.json)
        XCTAssertFalse(help)
        let env = try GlobalOptions.split(["-h", "search"], environment: ["DESCRY_STORE": "env.db"])
        XCTAssertEqual(env.context.storePath, "env.db")
        XCTAssertEqual(env.rest, ["search"])
        XCTAssertTrue(env.help)
        XCTAssertEqual(try GlobalOptions.split(["stats"], environment: ["DESCRY_STORE": ""]).context.storePath, "descry.db")
        // After `--` nothing is taken out: a query may mention --json.
        let query = try GlobalOptions.split(["query", "--", "--json"], environment: [:])
        XCTAssertEqual(query.rest, ["query", "--", "--json"])
        XCTAssertFalse(query.context.json)
        XCTAssertEqual(usageError(try GlobalOptions.split(["stats", "--store"], environment: [:])), "option --store needs a value")
    }

    func testUnknownCommandSuggestsTheNearest() {
        XCTAssertEqual(usageError(try Entry.command(named: "imprt")), "unknown command 'imprt' (did you mean 'import'?); run `descry --help` for the list")
        XCTAssertEqual(usageError(try Entry.command(named: "frobnicate")), "unknown command 'frobnicate'; run `descry --help` for the list")
        XCTAssertEqual(try? Entry.command(named: "bench").name, "bench")
    }

    func testSubcommandsAreSelectedByTheirWord() throws {
        XCTAssertEqual(BenchCommand.subcommands.map { $0.name }, ["bench query", "bench vision", "bench analysis", "bench llm", "bench fuzz", "bench report"])
        XCTAssertEqual(try LLMBenchCommand.parse(["--levels", "2,8"])[LLMBenchCommand.levels], [2, 8])
        // bench's own options are not the subcommands'.
        XCTAssertEqual(usageError(try BenchCommand.parse(["import", "--levels", "2"])), "unknown option --levels")
    }
}

import DescryAnalysis
import DescryBench
import DescryStore
import Foundation

/// `descry bench analysis`: FuDD throughput and the similarity kernel against numpy.
enum AnalysisBenchCommand: Command {
    static let name = "bench analysis"
    static let classes = Option<Int>.int("--classes", default: 1000, range: 1...1_000_000, help: "classes")
    static let images = Option<Int>.int("--images", default: 2000, range: 1...10_000_000, help: "images FuDD classifies")
    static let k = Option<Int>.int("--k", default: 10, range: 1...1_000_000, help: "FuDD's number of ambiguous classes")
    static let dim = Option<Int>.int("--dim", default: 512, range: 1...8192, help: "embedding size")
    static let rows = Option<Int>.int("--rows", default: 4096, range: 1...1_000_000, help: "rows of the kernel's product")
    static let evalImages = Option<Int>.int("--eval-images", default: 50_000, range: 0...10_000_000, help: "images of the first-step run, 0 to skip it")
    static let threads = Option<Int>.int("--threads", default: 0, range: 0...256, help: "threads of the kernel, the ranking and FuDD; 0 = the cores")
    static let out = Option<String>.path("--out", "DIR", default: ".deps/bench/analysis", help: "where the matrices for numpy go")
    static let kernel = Option<String>.choice("--kernel", "PATH", among: ["auto", "avx512", "avx2", "portable"], default: "auto",
                                              help: "the kernel path to measure (auto: the best this CPU has)")

    static let signature = Signature(about: """
    analysis FuDD with k (default 10) over N classes (default 1,000) on random unit embeddings:
             images/s for the first step and the re-ranking together; then the similarity
             kernel on a rows × dim by classes × dim product (default 4096 × 512 by 1000 × 512),
             best of 5, against numpy's float32 matmul on the same matrices
             (Tests/Benchmarks/similarity_baseline.py), once with one BLAS thread and once
             with numpy's default threads; last, the first step (blocked product + top 5)
             over --eval-images images (default 50,000) and the classes, with the process's
             peak memory. Every Descry part runs on --threads threads (default: the cores).
    """, options: [classes, images, k, dim, rows, evalImages, threads, out, kernel, BenchCommand.python, BenchCommand.noPython])

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let out = a[Self.out]
        guard SimilarityKernel.force(path: a[kernel]) else { throw CommandFailure("--kernel \(a[kernel]): this CPU has no such path (it has \(SimilarityKernel.path))") }
        let bench = AnalysisBenchmark(classes: a[classes], images: a[images],
                                      k: a[k], dim: a[dim],
                                      kernelRows: a[rows],
                                      evaluationImages: a[evalImages], outDirectory: out,
                                      threads: a[threads] == 0 ? SimilarityKernel.defaultThreads : a[threads])
        var m = try bench.run()
        if !a[BenchCommand.noPython] {
            let data = try context.dataDirectory()
            let script = ((data as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Tests/Benchmarks/similarity_baseline.py")
            for (label, threads) in [("1t", "1"), ("mt", "")] {
                let r = try python(a[BenchCommand.python], script: script, dir: out, bench: bench, threads: threads)
                for (k, v) in r { m["\(k)_\(label)"] = v }
            }
        }
        if context.json { try Console.json(m); return }
        Console.out("descry bench analysis (\(bench.threads) thread(s), kernel \(SimilarityKernel.path))")
        Console.out(String(format: "  FuDD k=%d over %d classes: %.0f images/s (%d images in %.2fs: first step + re-ranking; setup of %d pairs with sentences %.2fs)",
                           bench.k, bench.classes, m["fudd_images_per_second"]!, bench.images, m["fudd_seconds"]!, Int(m["fudd_pairs"]!), m["fudd_setup_seconds"]!))
        if let sv = m["fudd_first_step_survivors_per_image"] { Console.out(String(format: "  FuDD's first step (top %d) through the prefilter: %.1f classes per image scored exactly", bench.k, sv)) }
        Console.out(String(format: "  same, mean of similarities: %.0f images/s (%.2fs)", m["fudd_mean_of_similarities_images_per_second"]!, m["fudd_mean_of_similarities_seconds"]!))
        Console.out(String(format: "  check against the plain re-ranking, image by image: max |score difference| %.1e / %.1e, best class differs for %d / %d images (ties within 1e-5 only)",
                           m["fudd_check_max_score_difference"]!, m["fudd_mean_of_similarities_check_max_score_difference"]!,
                           Int(m["fudd_check_top1_differences"]!), Int(m["fudd_mean_of_similarities_check_top1_differences"]!)))
        Console.out(String(format: "  kernel %dx%d by %dx%d: %.1f ms (%.1f GFLOP/s)", bench.kernelRows, bench.dim, bench.classes, bench.dim, m["kernel_ms"]!, m["kernel_gflops"]!))
        if let n = m["evaluation_images"], n > 0 {
            Console.out(String(format: "  template ranking (top 5) of %d images over %d classes, blocks of 1,024: %.0f images/s (%.2fs); peak memory %.0f MB",
                               Int(n), bench.classes, m["evaluation_images_per_second"]!, m["evaluation_seconds"]!, m["peak_rss_mb"]!))
            Console.out(String(format: "  exact top-5 prefilter: %.1f classes per image scored exactly (of %d); the full fp32 product + top 5, same images: %.0f images/s; rankings differing from it: %d",
                               m["evaluation_survivors_per_image"] ?? .nan, bench.classes, m["evaluation_fp32_images_per_second"]!, Int(m["evaluation_check_differing_images"]!)))
        }
        if let one = m["numpy_ms_1t"], let many = m["numpy_ms_mt"] {
            Console.out(String(format: "  numpy float32 matmul, 1 thread: %.1f ms (descry/numpy time ratio %.2fx); default threads: %.1f ms (%.2fx); max |diff| %.2e",
                               one, m["kernel_ms"]! / one, many, m["kernel_ms"]! / many, m["max_abs_diff_1t"] ?? 0))
        }
    }

    static func python(_ python: String, script: String, dir: String, bench: AnalysisBenchmark, threads: String) throws -> [String: Double] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var env = ProcessInfo.processInfo.environment
        if threads.isEmpty { env.removeValue(forKey: "OPENBLAS_NUM_THREADS"); env.removeValue(forKey: "OMP_NUM_THREADS") } else {
            env["OPENBLAS_NUM_THREADS"] = threads
            env["OMP_NUM_THREADS"] = threads
        }
        p.environment = env
        p.arguments = [python, script, "--dir", dir, "--rows", String(bench.kernelRows), "--classes", String(bench.classes), "--dim", String(bench.dim)]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CommandFailure("the numpy baseline (\(script)) failed with status \(p.terminationStatus); is numpy installed for \(python)? (or pass --no-python)")
        }
        return obj.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}

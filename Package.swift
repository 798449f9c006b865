// swift-tools-version:6.0
// Descry: a knowledge base of class descriptions for vision-language models.
// No Swift package dependencies: system C libraries only, each behind a small shim target.
import PackageDescription

let package = Package(
    name: "Descry",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "descry", targets: ["descry"]),
        .library(name: "DescryStore", targets: ["DescryStore"]),
        .library(name: "DescryQuery", targets: ["DescryQuery"]),
        .library(name: "DescryVision", targets: ["DescryVision"]),
        .library(name: "DescryLLM", targets: ["DescryLLM"]),
        .library(name: "DescryAnalysis", targets: ["DescryAnalysis"]),
    ],
    targets: [
        // System-library shims: nothing but headers and link flags.
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // CJPEG and CPNG carry libjpeg's and libpng's pkg-config flags (header paths, link
        // flags) and install hints to CVisionSupport, the only code that calls them.
        .systemLibrary(
            name: "CJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        // ONNX Runtime is loaded with dlopen at run time, so this target only declares the
        // part of its C API that Descry calls; the package builds without the library.
        .target(
            name: "COnnxRuntime",
            linkerSettings: [.linkedLibrary("dl")]),

        .target(name: "DescryStore", dependencies: ["CSQLite"]),
        .target(name: "DescryQuery", dependencies: ["DescryStore"]),
        // C helpers of DescryVision: gzip inflation and image decoding with the libraries' longjmp
        // error handling kept inside C.
        .target(
            name: "CVisionSupport", dependencies: ["CJPEG", "CPNG"],
            linkerSettings: [.linkedLibrary("z")]),
        // Generator/ holds the script that writes CLIPTextTables+Generated.swift and its record.
        .target(
            name: "DescryVision",
            dependencies: ["DescryStore", "COnnxRuntime", "CVisionSupport"],
            exclude: ["Generator"]),
        .target(name: "DescryLLM", dependencies: ["DescryStore"]),
        // The similarity kernel of DescryAnalysis, in C for per-function AVX2/AVX-512 code chosen
        // at run time (Swift compiles for the x86-64 baseline).
        .target(name: "CAnalysisKernel"),
        .target(name: "DescryAnalysis", dependencies: ["DescryStore", "DescryVision", "CAnalysisKernel"]),

        // Benchmark and test code, in no library product. DescryFakes: deterministic stand-ins
        // for what tests and benchmarks must not depend on (a loopback LLM endpoint, randomness).
        // DescryBench: the `descry bench` workloads. DescryTestSupport: what every test target
        // shares (package paths, temporary folders, shared corpora, the descry binary, subprocesses).
        .target(name: "DescryFakes"),
        .target(
            name: "DescryBench",
            dependencies: ["DescryStore", "DescryQuery", "DescryVision", "DescryLLM", "DescryAnalysis", "DescryFakes"]),
        .target(name: "DescryTestSupport", path: "Tests/DescryTestSupport"),

        .executableTarget(
            name: "descry",
            dependencies: ["DescryStore", "DescryQuery", "DescryVision", "DescryLLM", "DescryAnalysis", "DescryBench"]),

        .testTarget(name: "DescryStoreTests", dependencies: ["DescryStore", "DescryTestSupport"]),
        // Black-box tests of the executable; `swift test` and `make test` build it first.
        .testTarget(name: "DescryCLITests", dependencies: ["descry", "DescryTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "DescryLLMTests", dependencies: ["DescryLLM", "DescryStore", "DescryFakes", "DescryBench", "DescryTestSupport"]),
        .testTarget(
            name: "DescryVisionTests", dependencies: ["DescryVision", "DescryStore", "DescryBench", "DescryTestSupport"],
            exclude: ["Fixtures"]),
        // Fixtures are read by path (from #filePath), not bundled.
        .testTarget(
            name: "DescryQueryTests", dependencies: ["DescryQuery", "DescryStore", "DescryBench", "DescryTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "DescryAnalysisTests",
            dependencies: ["DescryAnalysis", "DescryStore", "DescryVision", "DescryFakes", "DescryTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

import DescryStore
import DescryVision

/// `descry paths`: where each run-time resource was found, or where the tool looked.
enum PathsCommand: Command {
    static let name = "paths"
    static let summary = "where the Data folder, the CLIP vocabulary and ONNX Runtime are found"
    static let signature = Signature(usage: ["[--data DIR] [--json]"], about: """
    Shows where this `descry` finds its resources, each by the same rule: the variable
    (DESCRY_DATA, DESCRY_CLIP_VOCAB, DESCRY_ONNXRUNTIME) when set; else beside the
    executable's real path: the checkout above a .build/ folder, or an install's
    ../share/descry/ and ../lib/descry/ (`make install`); else the current directory's
    Data/ and .deps/. ONNX Runtime is loaded, so its version is shown; it may also come from
    the system's library path. Exits 1 when a resource is missing, saying where it looked.
    """)

    /// One resource's line of the report.
    struct Found: Encodable {
        let resource: String
        let variable: String
        let path: String?
        let origin: String?
        let version: String?
        let error: String?
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let locator = ResourceLocator.current
        var report: [Found] = []
        func record(_ resource: ResourceLocator.Resource, _ find: () throws -> (path: String, origin: String, version: String?)) {
            do {
                let hit = try find()
                report.append(Found(resource: resource.name, variable: resource.variable, path: hit.path, origin: hit.origin,
                                    version: hit.version, error: nil))
            } catch {
                report.append(Found(resource: resource.name, variable: resource.variable, path: nil, origin: nil, version: nil,
                                    error: "\(error)"))
            }
        }
        record(.data) {
            if let o = context.dataOverride { return (try DataDirectory.locate(override: o), "--data", nil) }
            let hit = try locator.locate(.data)
            return (hit.path, hit.origin.rawValue, nil)
        }
        record(.clipVocabulary) {
            let hit = try locator.locate(.clipVocabulary)
            return (hit.path, hit.origin.rawValue, nil)
        }
        record(.onnxRuntime) {
            let runtime = try ONNXRuntime.shared()
            let origin = locator.candidates(for: .onnxRuntime).first { $0.path == runtime.path }?.origin.rawValue ?? "system library path"
            return (runtime.path, origin, runtime.version)
        }
        if context.json {
            try Console.json(report)
        } else {
            for f in report {
                if let path = f.path {
                    Console.out("\(f.resource): \(path) (\(f.origin ?? "")\(f.version.map { ", version \($0)" } ?? ""))")
                } else {
                    Console.out("\(f.resource): not found: \(f.error ?? "")")
                }
            }
        }
        let missing = report.filter { $0.path == nil }.map(\.resource)
        if !missing.isEmpty { throw CommandFailure("not found: \(missing.joined(separator: ", "))") }
    }
}

import Foundation

/// The one rule by which Descry finds the files it needs at run time: its `Data/` folder, the
/// CLIP BPE vocabulary and the ONNX Runtime library.
///
/// In order:
/// 1. the resource's environment variable (`DESCRY_DATA`, `DESCRY_CLIP_VOCAB`,
///    `DESCRY_ONNXRUNTIME`); when set, it is the only place looked at;
/// 2. relative to the running executable's real path (`/proc/self/exe`, links resolved): when it
///    sits in a build tree (`<checkout>/.build/<config>/descry`), the checkout's `Data/` and
///    `.deps/`; otherwise an install's `../share/descry/…` or `../lib/descry/…` (`make install`);
/// 3. the current directory's `Data/` and `.deps/` (a checkout).
///
/// Nothing is found by walking up arbitrary parents: a `descry` copied alone somewhere finds
/// nothing and ``ResourceNotFound`` lists every place tried and the variable to set.
public struct ResourceLocator: Sendable {
    /// One resource the rule knows how to find.
    public struct Resource: Sendable, Equatable {
        /// What the resource is, for messages ("Descry's Data folder").
        public let name: String
        /// The environment variable that overrides the search.
        public let variable: String
        /// The path below an install prefix (`share/descry/Data`).
        public let installed: String
        /// The path below a checkout's root (`Data`, `.deps/clip/…`).
        public let checkout: String
        /// For a folder, a file it must hold to count (`attribute-taxonomy.json`); nil for a file.
        public let marker: String?

        /// Creates a resource description.
        public init(name: String, variable: String, installed: String, checkout: String, marker: String? = nil) {
            self.name = name
            self.variable = variable
            self.installed = installed
            self.checkout = checkout
            self.marker = marker
        }

        /// Descry's data folder: the taxonomy, prompts, demo corpus and demo model.
        public static let data = Resource(name: "Descry's Data folder", variable: "DESCRY_DATA",
                                          installed: "share/descry/Data", checkout: "Data", marker: DataDirectory.marker)
        /// open_clip's BPE vocabulary, used by models without their own `vocab.json`.
        public static let clipVocabulary = Resource(name: "the CLIP BPE vocabulary", variable: "DESCRY_CLIP_VOCAB",
                                                    installed: "share/descry/clip/bpe_simple_vocab_16e6.txt.gz",
                                                    checkout: ".deps/clip/bpe_simple_vocab_16e6.txt.gz")
        /// ONNX Runtime's shared library, loaded with `dlopen`.
        public static let onnxRuntime = Resource(name: "the ONNX Runtime library", variable: "DESCRY_ONNXRUNTIME",
                                                 installed: "lib/descry/libonnxruntime.so",
                                                 checkout: ".deps/onnxruntime/libonnxruntime.so")
    }

    /// One place the rule looks, and why it looks there.
    public struct Candidate: Sendable, Equatable, CustomStringConvertible {
        /// Which step of the rule produced a candidate.
        public enum Origin: String, Sendable, Equatable {
            /// The environment variable.
            case environment
            /// `../share/descry` or `../lib/descry` beside the executable.
            case install
            /// The checkout above the executable's `.build/` folder.
            case buildTree = "build tree"
            /// The current directory.
            case currentDirectory = "current directory"
        }
        /// The path looked at (the resource itself, not its marker file).
        public let path: String
        /// Why it was looked at.
        public let origin: Origin

        /// Creates a candidate.
        public init(path: String, origin: Origin) {
            self.path = path
            self.origin = origin
        }

        /// "path (origin)", as messages list it.
        public var description: String {
            "\(path) (\(origin.rawValue))"
        }
    }

    /// The process environment the variables are read from.
    public var environment: [String: String]
    /// The running executable's real path; nil when unknown (then step 2 is skipped).
    public var executablePath: String?
    /// The current directory.
    public var currentDirectory: String

    /// A locator for an explicit situation (tests inject a fake layout here).
    public init(environment: [String: String], executablePath: String?, currentDirectory: String) {
        self.environment = environment
        self.executablePath = executablePath
        self.currentDirectory = currentDirectory
    }

    /// The locator of this process: its environment, its executable, its current directory.
    public static var current: ResourceLocator {
        ResourceLocator(environment: ProcessInfo.processInfo.environment, executablePath: runningExecutable(),
                        currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The running executable's real path: `/proc/self/exe` (the kernel's answer, whatever
    /// argv[0] says), else Foundation's; links resolved.
    public static func runningExecutable() -> String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), target.hasPrefix("/") {
            return URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        }
        return Bundle.main.executablePath.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    /// Every place the rule looks for `resource`, in order: only the variable's value when it is
    /// set, else the build-tree or install path beside the executable, then the current directory.
    public func candidates(for resource: Resource) -> [Candidate] {
        if let value = environment[resource.variable], !value.isEmpty {
            return [Candidate(path: value, origin: .environment)]
        }
        var out: [Candidate] = []
        func add(_ path: String, _ origin: Candidate.Origin) {
            let p = URL(fileURLWithPath: path).standardizedFileURL.path
            if !out.contains(where: { $0.path == p }) { out.append(Candidate(path: p, origin: origin)) }
        }
        if let exe = executablePath, exe.hasPrefix("/") {
            let bin = (exe as NSString).deletingLastPathComponent
            let prefix = (bin as NSString).deletingLastPathComponent
            // A build product's `../share` is inside `.build/`, never an install: look in the checkout.
            if let root = Self.checkoutRoot(ofBuildProduct: exe) {
                add((root as NSString).appendingPathComponent(resource.checkout), .buildTree)
            } else {
                add((prefix as NSString).appendingPathComponent(resource.installed), .install)
            }
        }
        add((currentDirectory as NSString).appendingPathComponent(resource.checkout), .currentDirectory)
        return out
    }

    /// The checkout holding a SwiftPM build product: the folder above the nearest `.build`
    /// component of `path` (`/src/descry/.build/x86_64-unknown-linux-gnu/debug/descry` → `/src/descry`).
    public static func checkoutRoot(ofBuildProduct path: String) -> String? {
        let parts = (path as NSString).pathComponents
        guard let i = parts.lastIndex(of: ".build"), i > 0 else { return nil }
        return NSString.path(withComponents: Array(parts[..<i]))
    }

    /// Whether `candidate` holds the resource (its marker, for a folder).
    public func exists(_ candidate: Candidate, of resource: Resource) -> Bool {
        let path = resource.marker.map { (candidate.path as NSString).appendingPathComponent($0) } ?? candidate.path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// The first candidate that holds `resource`, or ``ResourceNotFound`` naming every place tried.
    public func locate(_ resource: Resource) throws -> Candidate {
        let all = candidates(for: resource)
        if let hit = all.first(where: { exists($0, of: resource) }) { return hit }
        throw ResourceNotFound(resource: resource, tried: all)
    }
}

/// A resource that is in none of the places ``ResourceLocator`` looks: names each place, in
/// order, and the variable that points Descry at it.
public struct ResourceNotFound: Error, Equatable, CustomStringConvertible, Sendable {
    /// The resource looked for.
    public let resource: ResourceLocator.Resource
    /// Every place looked at, in order.
    public let tried: [ResourceLocator.Candidate]

    /// Creates the error.
    public init(resource: ResourceLocator.Resource, tried: [ResourceLocator.Candidate]) {
        self.resource = resource
        self.tried = tried
    }

    public var description: String {
        let what = resource.marker.map { "\(resource.name) (a folder holding \($0))" } ?? resource.name
        if let only = tried.first, only.origin == .environment, tried.count == 1 {
            return "cannot find \(what): \(resource.variable) is set to '\(only.path)', which does not hold it; fix or unset \(resource.variable)"
        }
        let places = tried.map(\.description).joined(separator: ", ")
        return "cannot find \(what); looked, in order, in: \(places). Set \(resource.variable) to its path, "
            + "install Descry with `make install`, or run `make deps` in a checkout"
    }
}

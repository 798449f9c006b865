import COnnxRuntime
import DescryStore
import Foundation

/// A loaded ONNX Runtime library and its process-wide environment.
///
/// The library is found with `dlopen`, by Descry's resource rule (``ResourceLocator``):
/// `$DESCRY_ONNXRUNTIME` alone when set; else the checkout's `.deps/onnxruntime/` above a
/// `.build/` executable or an install's `../lib/descry/libonnxruntime.so` beside it,
/// `./.deps/onnxruntime/`, then the system's library path (`libonnxruntime.so`,
/// `libonnxruntime.so.1`). If none loads, the error lists every place tried and why.
// @unchecked Sendable: immutable after init; ORT's environment and function table are thread-safe.
public final class ONNXRuntime: @unchecked Sendable {
    /// The C API version requested: old enough for any 1.16+ library, new enough for what Descry uses.
    static let apiVersion: UInt32 = 16
    /// The relative location `make deps` installs the library to.
    public static let bundledPath = ResourceLocator.Resource.onnxRuntime.checkout

    let library: DescryOrtLibrary
    let api: DescryOrtApi
    let env: OpaquePointer
    /// The path the library was loaded from.
    public let path: String
    /// The library's version string, e.g. "1.32.0".
    public let version: String
    /// Whether the library exports the CUDA execution provider.
    public var hasCUDA: Bool { library.append_cuda != nil }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: ONNXRuntime?

    /// The process's runtime, loaded on first use from the default search order.
    public static func shared() throws -> ONNXRuntime {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let runtime = try ONNXRuntime(searchPaths: defaultSearchPaths())
        loaded = runtime
        return runtime
    }

    /// The default search order, as described on the type. An explicit `$DESCRY_ONNXRUNTIME`
    /// is the only path tried: a wrong setting is an error, never a silent fallback.
    public static func defaultSearchPaths(locator: ResourceLocator = .current) -> [String] {
        let paths = locator.candidates(for: .onnxRuntime)
        if paths.first?.origin == .environment { return paths.map(\.path) }
        return paths.map(\.path) + ["libonnxruntime.so", "libonnxruntime.so.1"]
    }

    /// Loads the first library in `searchPaths` that opens and provides the C API.
    public init(searchPaths: [String]) throws {
        var tried: [String] = []
        var found: (DescryOrtLibrary, String)?
        for path in searchPaths {
            var lib = DescryOrtLibrary()
            var message = [CChar](repeating: 0, count: 512)
            if descry_ort_open(path, Self.apiVersion, &lib, &message, message.count) == 0 {
                found = (lib, path)
                break
            }
            tried.append("\(path) (\(String(cString: message)))")
        }
        guard let (lib, path) = found, let api = lib.api?.pointee else {
            throw VisionError.runtimeNotFound(tried: tried)
        }
        self.library = lib
        self.api = api
        self.path = path
        self.version = lib.version.map { String(cString: $0) } ?? ""
        var env: OpaquePointer?
        // Fatal-only logging: the library must not write to the terminal; errors come back as
        // statuses.
        let status = api.CreateEnv(Int32(DESCRY_ORT_LOG_FATAL.rawValue), "descry", &env)
        if let status {
            let message = api.GetErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
            let code = Int(api.GetErrorCode(status))
            api.ReleaseStatus(status)
            throw VisionError.runtime(call: "CreateEnv", code: code, message: message)
        }
        guard let env else { throw VisionError.runtime(call: "CreateEnv", code: -1, message: "no environment returned") }
        self.env = env
    }

    deinit {
        api.ReleaseEnv(env)
        // The library stays loaded: ORT keeps thread pools and statics that outlive dlclose safely only if never closed.
    }

    /// Turns an `OrtStatus` into a thrown ``VisionError/runtime(call:code:message:)``.
    func check(_ status: OpaquePointer?, _ call: String) throws {
        guard let status else { return }
        let message = api.GetErrorMessage(status).map { String(cString: $0) } ?? "unknown error"
        let code = Int(api.GetErrorCode(status))
        api.ReleaseStatus(status)
        throw VisionError.runtime(call: call, code: code, message: message)
    }
}

import COnnxRuntime
import Foundation

/// An ONNX model loaded into ONNX Runtime, with its input and output signatures. `run` may be
/// called from several threads at once (ORT sessions are thread-safe for inference).
// @unchecked Sendable: immutable after init; ORT sessions are thread-safe for concurrent Run calls.
public final class ONNXSession: @unchecked Sendable {
    /// The runtime that owns the session.
    public let runtime: ONNXRuntime
    /// The model file.
    public let modelPath: String
    /// The model's inputs, in graph order.
    public let inputs: [ONNXTensorInfo]
    /// The model's outputs, in graph order.
    public let outputs: [ONNXTensorInfo]
    /// The options the session was created with.
    public let options: ONNXSessionOptions
    /// Whether the optimised graph came from the cache, was written to it, or neither.
    public let graphCache: ONNXGraphCacheUse

    let session: OpaquePointer
    let memoryInfo: OpaquePointer

    /// Loads `model` into a new session.
    /// - Throws: ``VisionError/badModel(path:reason:)`` when the file is missing or ORT rejects
    ///   it (with ORT's message), ``VisionError/runtimeNotFound(tried:)`` when no library loads.
    public init(model: URL, options: ONNXSessionOptions = ONNXSessionOptions(), runtime: ONNXRuntime? = nil) throws {
        let path = model.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw VisionError.badModel(path: path, reason: "no such file")
        }
        let rt = try runtime ?? ONNXRuntime.shared()
        let api = rt.api
        self.runtime = rt
        self.modelPath = path
        self.options = options

        var cacheUse = ONNXGraphCacheUse.off
        var created: OpaquePointer?
        if let directory = options.graphCacheDirectory, options.device == .cpu, options.graphOptimization != .disabled {
            do {
                if let external = try? ONNXExternalData.locations(of: model), !external.isEmpty {
                    throw VisionError.invalidArgument("its weights are in external data files, which the cache does not copy")
                }
                let entry = try ONNXGraphCache.entry(model: model, runtime: rt, level: options.graphOptimization, directory: directory)
                var note = ""
                if FileManager.default.fileExists(atPath: entry.path) {
                    do {
                        created = try Self.create(rt, entry.path, options, level: .disabled, saveTo: nil)
                        cacheUse = .loaded(path: entry.path)
                    } catch {
                        try? FileManager.default.removeItem(at: entry)
                        note = "the cached graph \(entry.path) did not load (\(error)) and was replaced; "
                    }
                }
                if created == nil {
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    // Written under a temporary name and renamed, so a reader never sees half a file.
                    let temporary = entry.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
                    do {
                        created = try Self.create(rt, path, options, level: options.graphOptimization, saveTo: temporary)
                    } catch {
                        try? FileManager.default.removeItem(atPath: temporary)
                        throw error
                    }
                    if rename(temporary, entry.path) == 0 {
                        ONNXGraphCache.removeStale(keeping: entry, model: model)
                        cacheUse = note.isEmpty ? .written(path: entry.path) : .ignored(reason: note + "rewritten")
                    } else {
                        try? FileManager.default.removeItem(atPath: temporary)
                        cacheUse = .ignored(reason: note + "cannot save the optimised graph as \(entry.path)")
                    }
                }
            } catch {
                cacheUse = .ignored(reason: "graph cache not used: \(error)")
            }
        }
        let session = try created ?? Self.create(rt, path, options, level: options.graphOptimization, saveTo: nil)
        self.graphCache = cacheUse
        self.session = session

        var memory: OpaquePointer?
        do {
            try rt.check(api.CreateCpuMemoryInfo(Int32(DESCRY_ORT_ARENA_ALLOCATOR.rawValue),
                                                 Int32(DESCRY_ORT_MEM_DEFAULT.rawValue), &memory), "CreateCpuMemoryInfo")
            self.inputs = try Self.describe(rt, session, input: true)
            self.outputs = try Self.describe(rt, session, input: false)
        } catch {
            if let memory { api.ReleaseMemoryInfo(memory) }
            api.ReleaseSession(session)
            throw error
        }
        self.memoryInfo = memory!
    }

    /// A session on the graph at `path` with `options`' threads and device, optimised at
    /// `level`, saving the optimised graph to `saveTo` when given.
    private static func create(_ rt: ONNXRuntime, _ path: String, _ options: ONNXSessionOptions,
                               level: ONNXSessionOptions.GraphOptimization, saveTo: String?) throws -> OpaquePointer {
        let api = rt.api
        var opts: OpaquePointer?
        try rt.check(api.CreateSessionOptions(&opts), "CreateSessionOptions")
        defer { if let opts { api.ReleaseSessionOptions(opts) } }
        try rt.check(api.SetIntraOpNumThreads(opts, Int32(options.resolvedIntraOpThreads)), "SetIntraOpNumThreads")
        try rt.check(api.SetInterOpNumThreads(opts, Int32(max(options.interOpThreads, 0))), "SetInterOpNumThreads")
        try rt.check(api.SetSessionGraphOptimizationLevel(opts, level.rawValue), "SetSessionGraphOptimizationLevel")
        try rt.check(api.SetSessionLogSeverityLevel(opts, Int32(DESCRY_ORT_LOG_FATAL.rawValue)), "SetSessionLogSeverityLevel")
        if let saveTo { try rt.check(api.SetOptimizedModelFilePath(opts, saveTo), "SetOptimizedModelFilePath") }
        if case .cuda(let device) = options.device {
            guard let append = rt.library.append_cuda else {
                throw VisionError.invalidArgument(
                    "the ONNX Runtime at \(rt.path) has no CUDA execution provider; install a GPU build or use the CPU")
            }
            try rt.check(append(opts, Int32(device)), "SessionOptionsAppendExecutionProvider_CUDA")
        }
        var session: OpaquePointer?
        do {
            try rt.check(api.CreateSession(rt.env, path, opts, &session), "CreateSession")
        } catch VisionError.runtime(_, _, let message) {
            throw VisionError.badModel(path: path, reason: "ONNX Runtime cannot load it: \(message)")
        }
        guard let session else { throw VisionError.badModel(path: path, reason: "no session returned") }
        return session
    }

    deinit {
        runtime.api.ReleaseMemoryInfo(memoryInfo)
        runtime.api.ReleaseSession(session)
    }

    private static func describe(_ rt: ONNXRuntime, _ session: OpaquePointer, input: Bool) throws -> [ONNXTensorInfo] {
        let api = rt.api
        var allocator: OpaquePointer?
        try rt.check(api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions")
        var count = 0
        let kind = input ? "Input" : "Output"
        try rt.check(input ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count),
                     "SessionGet\(kind)Count")
        var result: [ONNXTensorInfo] = []
        for index in 0..<count {
            var cName: UnsafeMutablePointer<CChar>?
            try rt.check(input ? api.SessionGetInputName(session, index, allocator, &cName)
                               : api.SessionGetOutputName(session, index, allocator, &cName), "SessionGet\(kind)Name")
            let name = cName.map { String(cString: $0) } ?? ""
            if let cName { _ = api.AllocatorFree(allocator, cName) }

            var typeInfo: OpaquePointer?
            try rt.check(input ? api.SessionGetInputTypeInfo(session, index, &typeInfo)
                               : api.SessionGetOutputTypeInfo(session, index, &typeInfo), "SessionGet\(kind)TypeInfo")
            defer { if let typeInfo { api.ReleaseTypeInfo(typeInfo) } }
            var onnxType: Int32 = 0
            try rt.check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), "GetOnnxTypeFromTypeInfo")
            guard onnxType == Int32(DESCRY_ORT_TYPE_TENSOR.rawValue) else {
                result.append(ONNXTensorInfo(name: name, elementType: .other, shape: [], dimensionNames: []))
                continue
            }
            var tensorInfo: OpaquePointer?
            try rt.check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "CastTypeInfoToTensorInfo")
            let (type, shape, names) = try shapeOf(rt, tensorInfo)
            result.append(ONNXTensorInfo(name: name, elementType: type, shape: shape, dimensionNames: names))
        }
        return result
    }

    private static func shapeOf(_ rt: ONNXRuntime, _ info: OpaquePointer?) throws -> (ONNXElementType, [Int], [String]) {
        let api = rt.api
        var code: Int32 = 0
        try rt.check(api.GetTensorElementType(info, &code), "GetTensorElementType")
        var rank = 0
        try rt.check(api.GetDimensionsCount(info, &rank), "GetDimensionsCount")
        var dims = [Int64](repeating: 0, count: rank)
        try rt.check(api.GetDimensions(info, &dims, rank), "GetDimensions")
        var symbolic = [UnsafePointer<CChar>?](repeating: nil, count: rank)
        try rt.check(api.GetSymbolicDimensions(info, &symbolic, rank), "GetSymbolicDimensions")
        let names = symbolic.map { $0.map { String(cString: $0) } ?? "" }
        return (ONNXElementType(code: code), dims.map { Int($0) }, names)
    }

    /// Runs the model.
    /// - Parameters:
    ///   - feeds: one tensor per model input, by name.
    ///   - outputNames: the outputs wanted (default: all), in the order returned.
    /// - Returns: the requested outputs by name.
    public func run(_ feeds: [String: ONNXTensor], outputNames: [String]? = nil) throws -> [String: ONNXTensor] {
        let api = runtime.api
        for input in inputs where feeds[input.name] == nil {
            throw VisionError.invalidArgument("model \(modelPath) needs input '\(input.name)' (\(input)), which was not given")
        }
        for name in feeds.keys where !inputs.contains(where: { $0.name == name }) {
            throw VisionError.invalidArgument(
                "model \(modelPath) has no input '\(name)'; its inputs are \(inputs.map(\.name).joined(separator: ", "))")
        }
        let wanted = outputNames ?? outputs.map(\.name)
        for name in wanted where !outputs.contains(where: { $0.name == name }) {
            throw VisionError.invalidArgument(
                "model \(modelPath) has no output '\(name)'; its outputs are \(outputs.map(\.name).joined(separator: ", "))")
        }
        // Types, ranks and fixed dimensions are checked here so the error names the file and
        // the input; ORT's own message names neither.
        for input in inputs {
            let tensor = feeds[input.name]!
            if !Self.fits(input, tensor) {
                throw VisionError.badFeed(path: modelPath, input: input.name, expected: input.signature, fed: tensor.signature)
            }
        }

        // Inputs are copied into buffers that stay put while ORT reads them.
        var buffers: [UnsafeMutableRawPointer] = []
        var values: [OpaquePointer?] = []
        defer {
            for v in values { if let v { api.ReleaseValue(v) } }
            for b in buffers { b.deallocate() }
        }
        let names = inputs.map(\.name)
        for name in names {
            let tensor = feeds[name]!
            let (bytes, type): (Int, ONNXElementType) = {
                switch tensor.storage {
                case .float(let v): return (v.count * 4, .float)
                case .float16(let v): return (v.count * 2, .float16)
                case .int64(let v): return (v.count * 8, .int64)
                case .int32(let v): return (v.count * 4, .int32)
                }
            }()
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 16)
            buffers.append(buffer)
            switch tensor.storage {
            case .float(let v): v.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
            case .float16(let v): v.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
            case .int64(let v): v.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
            case .int32(let v): v.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes) }
            }
            var value: OpaquePointer?
            let shape = tensor.shape.map { Int64($0) }
            try runtime.check(api.CreateTensorWithDataAsOrtValue(memoryInfo, buffer, bytes, shape, shape.count,
                                                                 type.rawValue, &value), "CreateTensorWithDataAsOrtValue")
            values.append(value)
        }

        var outputValues = [OpaquePointer?](repeating: nil, count: wanted.count)
        defer { for v in outputValues { if let v { api.ReleaseValue(v) } } }
        try withCStrings(names) { inputNames in
            try withCStrings(wanted) { outNames in
                try values.withUnsafeBufferPointer { inputValues in
                    do {
                        try runtime.check(api.Run(session, nil, inputNames, inputValues.baseAddress, names.count,
                                                  outNames, wanted.count, &outputValues), "Run")
                    } catch VisionError.runtime(_, _, let message) {
                        // Shape errors deep in the graph (a 224 px image into a 336 px tower):
                        // say which file and what was fed.
                        let fed = names.map { "\($0): \(feeds[$0]!.signature)" }.joined(separator: ", ")
                        throw VisionError.inferenceFailed(path: modelPath, fed: fed, message: message)
                    }
                }
            }
        }

        var result: [String: ONNXTensor] = [:]
        for (name, value) in zip(wanted, outputValues) {
            guard let value else { throw VisionError.runtime(call: "Run", code: -1, message: "output '\(name)' missing") }
            var info: OpaquePointer?
            try runtime.check(api.GetTensorTypeAndShape(value, &info), "GetTensorTypeAndShape")
            defer { if let info { api.ReleaseTensorTypeAndShapeInfo(info) } }
            let (type, shape, _) = try Self.shapeOf(runtime, info)
            var count = 0
            try runtime.check(api.GetTensorShapeElementCount(info, &count), "GetTensorShapeElementCount")
            var data: UnsafeMutableRawPointer?
            try runtime.check(api.GetTensorMutableData(value, &data), "GetTensorMutableData")
            guard let data else { throw VisionError.runtime(call: "GetTensorMutableData", code: -1, message: "no data") }
            switch type {
            case .float:
                result[name] = ONNXTensor(shape: shape, storage: .float(Array(UnsafeBufferPointer(
                    start: data.assumingMemoryBound(to: Float.self), count: count))))
            case .float16:
                result[name] = ONNXTensor(shape: shape, storage: .float16(Array(UnsafeBufferPointer(
                    start: data.assumingMemoryBound(to: UInt16.self), count: count))))
            case .int64:
                result[name] = ONNXTensor(shape: shape, storage: .int64(Array(UnsafeBufferPointer(
                    start: data.assumingMemoryBound(to: Int64.self), count: count))))
            case .int32:
                result[name] = ONNXTensor(shape: shape, storage: .int32(Array(UnsafeBufferPointer(
                    start: data.assumingMemoryBound(to: Int32.self), count: count))))
            default:
                throw VisionError.badModel(path: modelPath, reason: "output '\(name)' is \(type); only float32, float16, int32 and int64 are read")
            }
        }
        return result
    }
}

extension ONNXSession {
    /// Whether `tensor` fits `input`'s declared type, rank and fixed dimensions.
    static func fits(_ input: ONNXTensorInfo, _ tensor: ONNXTensor) -> Bool {
        guard input.elementType != .other else { return true }   // not a plain tensor: ORT judges
        if tensor.elementType != input.elementType || tensor.shape.count != input.shape.count { return false }
        return zip(input.shape, tensor.shape).allSatisfy { want, have in want <= 0 || want == have }
    }
}

/// Calls `body` with a C array of C strings for `strings`, valid during the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) }
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
}

import Foundation

/// Int8 dynamic quantization of an ONNX graph's MatMul weights, in the form ONNX Runtime's own
/// `onnxruntime.quantization.quantize_dynamic` writes (its defaults: per-tensor, symmetric
/// int8 weights, no reduced range):
///
/// ```
/// A ──DynamicQuantizeLinear──▶ A_quantized (uint8), A_scale, A_zero_point
/// MatMulInteger(A_quantized, B_quantized, A_zero_point, B_zero_point) ─▶ Cast(float)
///   ─▶ Mul(·, A_scale · B_scale) ─▶ the MatMul's own output name
/// ```
///
/// with `B_quantized = round(B / s)` clipped to ±127, `s = max|B| / 127` (`B_zero_point` 0).
/// ONNX Runtime fuses this pattern into its `DynamicQuantizeMatMul` kernel when it loads the
/// graph. A MatMul is rewritten when its second input is a 2-D float32 initializer of the main
/// graph; every other field of the model (other nodes and initializers, inputs, outputs,
/// metadata, opsets) is copied byte for byte, and a float weight no other node reads is
/// dropped. Gemm is left in float32, as `quantize_dynamic` does (it has no integer Gemm), and
/// so are MatMuls inside subgraphs.
public enum ONNXQuantizer {
    /// What a rewrite did.
    public struct Report: Sendable, Equatable {
        /// MatMul nodes rewritten.
        public var matMulsQuantized: Int
        /// MatMul nodes left in float32 (second input not a 2-D float32 initializer).
        public var matMulsKept: Int
        /// Float32 weight bytes replaced by int8 ones.
        public var weightBytesBefore: Int
        /// Int8 weight bytes written.
        public var weightBytesAfter: Int
        /// Size of the input and output files.
        public var bytesIn: Int
        /// Size of the rewritten model.
        public var bytesOut: Int
    }

    /// Reads the model at `input`, quantizes it, writes it to `output`.
    public static func quantize(input: URL, output: URL) throws -> Report {
        guard let data = try? Data(contentsOf: input, options: .alwaysMapped) else {
            throw VisionError.unreadableFile(path: input.path, reason: "cannot read the ONNX model to quantize it")
        }
        if let external = try? ONNXExternalData.locations(of: input), !external.isEmpty {
            throw VisionError.badModel(path: input.path, reason: "its tensors live in external data files (\(external.joined(separator: ", "))); quantizing such models is not supported")
        }
        var (bytes, report) = try quantize(model: data, path: input.path)
        report.bytesIn = data.count
        do {
            try Data(bytes).write(to: output, options: .atomic)
        } catch {
            throw VisionError.unreadableFile(path: output.path, reason: "cannot write the quantized model: \(error.localizedDescription)")
        }
        bytes.removeAll()
        return report
    }

    /// Quantizes a serialized ModelProto; `path` names it in errors.
    public static func quantize(model: Data, path: String) throws -> ([UInt8], Report) {
        try model.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let r = Protobuf.Reader(bytes: raw, path: path)
            let top = try r.fields(0..<raw.count)
            try checkOpset(r, top)
            var report = Report(matMulsQuantized: 0, matMulsKept: 0, weightBytesBefore: 0, weightBytesAfter: 0,
                                bytesIn: raw.count, bytesOut: 0)
            var w = Protobuf.Writer()
            var sawGraph = false
            for f in top {
                if f.number == 7 && f.wireType == 2 && !sawGraph {
                    sawGraph = true
                    let graph = try rewriteGraph(r, f.payload, &report)
                    w.bytes(7, graph)
                } else {
                    w.raw(raw[f.whole])
                }
            }
            guard sawGraph else { throw VisionError.badModel(path: path, reason: "no graph in the ONNX model") }
            report.bytesOut = w.bytes.count
            return (w.bytes, report)
        }
    }

    /// DynamicQuantizeLinear needs opset 11 of the default domain.
    static func checkOpset(_ r: Protobuf.Reader, _ top: [Protobuf.Field]) throws {
        for f in top where f.number == 8 && f.wireType == 2 {
            var domain = "", version: Int64 = 0
            for g in try r.fields(f.payload) {
                if g.number == 1 && g.wireType == 2 { domain = r.string(g.payload) }
                if g.number == 2 && g.wireType == 0 { version = Int64(bitPattern: g.value) }
            }
            if domain.isEmpty || domain == "ai.onnx" {
                guard version >= 11 else {
                    throw VisionError.badModel(path: r.path, reason: "opset \(version) of the default domain; int8 quantization needs 11 or later (re-export with a newer opset)")
                }
                return
            }
        }
        throw VisionError.badModel(path: r.path, reason: "no opset of the default domain declared")
    }

    struct Node {
        var inputs: [String] = []
        var outputs: [String] = []
        var name = ""
        var opType = ""
        var domain = ""
        /// Whether an attribute holds a subgraph (If, Loop, Scan bodies), which may read the
        /// main graph's initializers by name.
        var hasSubgraph = false
    }

    struct Weight {
        let name: String
        let rows: Int, columns: Int
        let values: [Float]
    }

    static func node(_ r: Protobuf.Reader, _ range: Range<Int>) throws -> Node {
        var n = Node()
        for f in try r.fields(range) where f.wireType == 2 {
            switch f.number {
            case 1: n.inputs.append(r.string(f.payload))
            case 2: n.outputs.append(r.string(f.payload))
            case 3: n.name = r.string(f.payload)
            case 4: n.opType = r.string(f.payload)
            case 7: n.domain = r.string(f.payload)
            case 5:
                if try r.fields(f.payload).contains(where: { ($0.number == 6 || $0.number == 11) && $0.wireType == 2 }) {
                    n.hasSubgraph = true
                }
            default: break
            }
        }
        return n
    }

    /// A 2-D float32 tensor stored inline (raw_data or float_data); nil for anything else.
    static func weight(_ r: Protobuf.Reader, _ range: Range<Int>) throws -> Weight? {
        let fields = try r.fields(range)
        var name = "", type: UInt64 = 0, external = false
        var raw: Range<Int>?
        var floats: [Float] = []
        for f in fields {
            switch (f.number, f.wireType) {
            case (2, 0): type = f.value
            case (8, 2): name = r.string(f.payload)
            case (9, 2): raw = f.payload
            case (14, 0): external = f.value == 1
            case (4, 2):
                let p = UnsafeRawBufferPointer(rebasing: r.bytes[f.payload])
                floats += (0..<(p.count / 4)).map { p.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            case (4, 5):
                floats.append(UnsafeRawBufferPointer(rebasing: r.bytes[f.payload]).loadUnaligned(as: Float.self))
            default: break
            }
        }
        let dims = try r.int64s(fields.filter { $0.number == 1 })
        guard type == 1, !external, dims.count == 2, dims[0] > 0, dims[1] > 0 else { return nil }
        let count = Int(dims[0]) * Int(dims[1])
        if let raw {
            guard raw.count == count * 4 else { throw r.fail(raw.lowerBound, "tensor '\(name)' has \(raw.count) bytes for \(count) floats") }
            let p = UnsafeRawBufferPointer(rebasing: r.bytes[raw])
            floats = (0..<count).map { p.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
        guard floats.count == count else { return nil }
        return Weight(name: name, rows: Int(dims[0]), columns: Int(dims[1]), values: floats)
    }

    /// Per-tensor symmetric int8 quantization, as ONNX Runtime computes it: scale in float64
    /// from the range widened to include 0, stored as float32; values rounded half to even.
    static func quantize(_ values: [Float]) -> (scale: Float, data: [Int8]) {
        var lo: Float = 0, hi: Float = 0
        for v in values { lo = min(lo, v); hi = max(hi, v) }
        let absmax = max(abs(lo), abs(hi))
        var scale = Float(2 * Double(absmax) / 254)
        if !(scale >= Float.leastNormalMagnitude) { scale = 1 }
        let data = values.map { v -> Int8 in
            let q = (v / scale).rounded(.toNearestOrEven)
            return Int8(max(-127, min(127, q.isNaN ? 0 : q)))
        }
        return (scale, data)
    }

    static func rewriteGraph(_ r: Protobuf.Reader, _ range: Range<Int>, _ report: inout Report) throws -> [UInt8] {
        let fields = try r.fields(range)
        // Every name in use, so new ones never collide; the inputs each node reads.
        var taken = Set<String>()
        var nodes: [(Protobuf.Field, Node)] = []
        var initializerRanges: [String: Range<Int>] = [:]
        var readers: [String: Int] = [:]
        for f in fields where f.wireType == 2 {
            switch f.number {
            case 1:
                let n = try node(r, f.payload)
                nodes.append((f, n))
                taken.formUnion(n.outputs)
                for i in n.inputs { readers[i, default: 0] += 1 }
            case 5:
                for g in try r.fields(f.payload) where g.number == 8 && g.wireType == 2 {
                    let name = r.string(g.payload)
                    taken.insert(name)
                    initializerRanges[name] = f.payload
                }
            case 11, 12, 13:
                for g in try r.fields(f.payload) where g.number == 1 && g.wireType == 2 { taken.insert(r.string(g.payload)) }
            default: break
            }
        }
        // Graph outputs read tensors too: a weight that is also an output stays.
        for f in fields where f.number == 12 && f.wireType == 2 {
            for g in try r.fields(f.payload) where g.number == 1 && g.wireType == 2 { readers[r.string(g.payload), default: 0] += 1 }
        }
        func fresh(_ base: String) -> String {
            var name = base, k = 1
            while taken.contains(name) { name = "\(base)_\(k)"; k += 1 }
            taken.insert(name)
            return name
        }

        var quantizedWeights: [String: (q: String, scale: String, zero: String)] = [:]
        var newInitializers: [[UInt8]] = []
        var dynamic: [String: (q: String, scale: String, zero: String)] = [:]
        var dropped = Set<String>()
        var rewritten: [Int: [UInt8]] = [:]

        for (index, (_, n)) in nodes.enumerated() {
            guard n.opType == "MatMul", n.domain.isEmpty || n.domain == "ai.onnx", n.inputs.count == 2, n.outputs.count == 1,
                  let weightRange = initializerRanges[n.inputs[1]] else {
                if n.opType == "MatMul" { report.matMulsKept += 1 }
                continue
            }
            let b = n.inputs[1]
            if quantizedWeights[b] == nil {
                guard let w = try weight(r, weightRange) else { report.matMulsKept += 1; continue }
                let (scale, data) = quantize(w.values)
                let names = (q: fresh(b + "_quantized"), scale: fresh(b + "_scale"), zero: fresh(b + "_zero_point"))
                newInitializers.append(tensor(names.q, dims: [w.rows, w.columns], type: 3, raw: data.map { UInt8(bitPattern: $0) }))
                newInitializers.append(tensor(names.scale, dims: [], type: 1, raw: withUnsafeBytes(of: scale.bitPattern.littleEndian, Array.init)))
                newInitializers.append(tensor(names.zero, dims: [], type: 3, raw: [0]))
                quantizedWeights[b] = names
                report.weightBytesBefore += w.values.count * 4
                report.weightBytesAfter += data.count
            }
            let wq = quantizedWeights[b]!
            readers[b, default: 1] -= 1
            if readers[b] == 0 && !nodes.contains(where: { $0.1.hasSubgraph }) { dropped.insert(b) }

            var out = Protobuf.Writer()
            let a = n.inputs[0]
            if dynamic[a] == nil {
                let names = (q: fresh(a + "_quantized"), scale: fresh(a + "_scale"), zero: fresh(a + "_zero_point"))
                dynamic[a] = names
                out.message(1) { $0.nodeFields(inputs: [a], outputs: [names.q, names.scale, names.zero],
                                               name: fresh(a + "_QuantizeLinear"), op: "DynamicQuantizeLinear") }
            }
            let aq = dynamic[a]!
            let base = n.name.isEmpty ? n.outputs[0] : n.name
            let integer = fresh(n.outputs[0] + "_output_quantized")
            let cast = fresh(integer + "_cast_output")
            let scales = fresh(base + "_quant_scales_mul:0")
            out.message(1) { $0.nodeFields(inputs: [aq.q, wq.q, aq.zero, wq.zero], outputs: [integer],
                                           name: fresh(base + "_quant"), op: "MatMulInteger") }
            out.message(1) { w in
                w.nodeFields(inputs: [integer], outputs: [cast], name: fresh(integer + "_cast"), op: "Cast")
                w.message(5) { $0.string(1, "to"); $0.int(20, 2); $0.int(3, 1) }   // AttributeProto: to = FLOAT (type INT)
            }
            out.message(1) { $0.nodeFields(inputs: [aq.scale, wq.scale], outputs: [scales], name: fresh(base + "_quant_scales_mul"), op: "Mul") }
            out.message(1) { $0.nodeFields(inputs: [cast, scales], outputs: [n.outputs[0]], name: fresh(base + "_quant_output_scale_mul"), op: "Mul") }
            rewritten[index] = out.bytes
            report.matMulsQuantized += 1
        }

        var w = Protobuf.Writer()
        var nodeIndex = 0
        for f in fields {
            if f.number == 1 && f.wireType == 2 {
                if let replacement = rewritten[nodeIndex] { w.raw(replacement) } else { w.raw(r.bytes[f.whole]) }
                nodeIndex += 1
            } else if f.number == 5 && f.wireType == 2, let name = initializerName(r, f.payload), dropped.contains(name) {
                continue
            } else {
                w.raw(r.bytes[f.whole])
            }
        }
        for t in newInitializers { w.bytes(5, t) }
        return w.bytes
    }

    static func initializerName(_ r: Protobuf.Reader, _ range: Range<Int>) -> String? {
        guard let fields = try? r.fields(range) else { return nil }
        return fields.first { $0.number == 8 && $0.wireType == 2 }.map { r.string($0.payload) }
    }

    /// A TensorProto with inline raw data.
    static func tensor(_ name: String, dims: [Int], type: Int64, raw: [UInt8]) -> [UInt8] {
        var w = Protobuf.Writer()
        for d in dims { w.int(1, Int64(d)) }
        w.int(2, type)
        w.string(8, name)
        w.bytes(9, raw)
        return w.bytes
    }
}

extension Protobuf.Writer {
    /// A NodeProto's inputs (1), outputs (2), name (3) and op type (4), default domain.
    mutating func nodeFields(inputs: [String], outputs: [String], name: String, op: String) {
        for i in inputs { string(1, i) }
        for o in outputs { string(2, o) }
        string(3, name)
        string(4, op)
    }
}

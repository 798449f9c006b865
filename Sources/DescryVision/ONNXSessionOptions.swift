import Foundation

/// How an ``ONNXSession`` runs.
public struct ONNXSessionOptions: Sendable, Equatable {
    /// Graph optimization level (ORT's levels).
    public enum GraphOptimization: Int32, Sendable {
        /// No graph rewrites.
        case disabled = 0
        /// Constant folding and redundant-node removal.
        case basic = 1
        /// Basic plus node fusions.
        case extended = 2
        /// Everything, including layout optimizations (ORT's default).
        case all = 99
    }

    /// Where to run.
    public enum Device: Sendable, Equatable {
        /// ONNX Runtime's CPU execution provider.
        case cpu
        /// The CUDA execution provider on the given GPU; needs a GPU build of ONNX Runtime.
        case cuda(deviceID: Int)
    }

    /// Threads within an operator; 0 means one per core.
    public var intraOpThreads: Int
    /// Threads across independent operators (1 = sequential execution).
    public var interOpThreads: Int
    /// Graph optimization level.
    public var graphOptimization: GraphOptimization
    /// Execution device.
    public var device: Device
    /// Where ONNX Runtime's optimised graphs are kept between sessions (CPU only; see
    /// ``ONNXSession/graphCache``); nil: optimise on every start.
    public var graphCacheDirectory: URL?

    /// Options with every core for intra-op work, full optimization, CPU, no graph cache (the
    /// CLI turns it on, in ``defaultGraphCacheDirectory``).
    public init(intraOpThreads: Int = 0, interOpThreads: Int = 1, graphOptimization: GraphOptimization = .all,
                device: Device = .cpu, graphCacheDirectory: URL? = nil) {
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.graphOptimization = graphOptimization
        self.device = device
        self.graphCacheDirectory = graphCacheDirectory
    }

    /// `$DESCRY_GRAPH_CACHE` when set (empty or `off`: no cache), else
    /// `$XDG_CACHE_HOME/descry/onnx-graphs`, else `~/.cache/descry/onnx-graphs`.
    public static var defaultGraphCacheDirectory: URL? {
        let env = ProcessInfo.processInfo.environment
        if let set = env["DESCRY_GRAPH_CACHE"] {
            return set.isEmpty || set == "off" ? nil : URL(fileURLWithPath: set)
        }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("descry/onnx-graphs")
        }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/descry/onnx-graphs")
    }

    /// The intra-op thread count actually requested (0 resolved to the number of cores).
    public var resolvedIntraOpThreads: Int {
        intraOpThreads > 0 ? intraOpThreads : ProcessInfo.processInfo.activeProcessorCount
    }
}

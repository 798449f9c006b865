import DescryStore
import DescryVision
import Foundation

/// `descry models`: register and list VLMs.
enum ModelsCommand: Command {
    static let name = "models"
    static let summary = "register CLIP-style ONNX models (add, list, quantize)"
    static let logitScale = Option<Double?>.double(
        "--logit-scale", "S", bounds: .positive(max: 1000), defaultText: "the manifest's, else none",
        help: "(add) the factor that turns cosines into softmax logits, 100 for CLIP")
    static let variant = Option<ModelVariant?>.choice(
        "--variant", "V", defaultText: "fp32, else the only variant present",
        help: "(add) which graphs of a folder: file names end in _fp16, _quantized, … (transformers.js)")
    static let checkpoint = Option<String?>.string(
        "--checkpoint", "STEM",
        help: "(add) in a folder of several checkpoints, the file-name stem to use (ViT-B-32-laion)")
    static let asName = Option<String?>.string("--as", "NEW_NAME",
                                               help: "(quantize) the name to register the quantized model under; default NAME-int8")
    static let out = Option<String?>.path("--out", "DIR",
                                          help: "(quantize) the folder to write the quantized graphs to; default models/NEW_NAME beside the store")

    static let signature = Signature(usage: ["add <name> <dir> [--variant V] [--checkpoint STEM] [--logit-scale S]", "list",
                                            "quantize <name> [--as NEW_NAME] [--out DIR]"], about: """
    add   reads <dir>/descry-model.json, or detects the model from its files and graphs and
          writes the manifest; loads both encoders to validate it; records it under <name>.
          --variant or --checkpoint detect again and write no manifest file (the store keeps
          what was detected), so each variant can be registered under its own name.
    list  the registered models with their embedding size and cached embeddings.
    quantize  int8 dynamic quantization of both towers' MatMul weights (the form ONNX
          Runtime's quantize_dynamic writes; Gemm and subgraphs stay float32), written with
          the tokenizer files and a manifest naming the source, registered as NEW_NAME.
          No Python needed. Check the agreement with `descry bench vision --quantized`.

    Layouts detected (Docs/vision.md has the table):
      Hugging Face     text_model.onnx + vision_model.onnx, vocab.json + merges.txt
      open_clip        textual.onnx + visual.onnx (int32 or int64 token ids)
      optimum          one combined model.onnx (input_ids, attention_mask, pixel_values)
      transformers.js  repository root: tokenizer and preprocessor_config.json at the root,
                       graphs in onnx/ (text_model_fp16.onnx, …: pick with --variant);
                       registering onnx/ itself reads the root's files too
      checkpoints      <stem>-textual.onnx + <stem>-visual.onnx pair only when stems match;
                       a folder of several checkpoints needs --checkpoint STEM
    Image size: the graph's, else preprocessor_config.json, config.json
    (vision_config.image_size), open_clip_config.json, else 224 (noted in the manifest).

    ONNX Runtime comes from `make deps` (.deps/onnxruntime); set DESCRY_ONNXRUNTIME to use
    another libonnxruntime.so.
    """, positionals: [.optional("add|list|quantize"), .optional("name"), .optional("dir")],
       options: [variant, checkpoint, logitScale, asName, out])

    static func validate(_ a: ParsedArguments) throws {
        guard let verb = a.positionals.first else { throw a.usageError("expected `models add`, `models list` or `models quantize`") }
        switch verb {
        case "add": _ = try a.positionals(["add", "name", "dir"])
        case "list": _ = try a.positionals(["list"])
        case "quantize": _ = try a.positionals(["quantize", "name"])
        default: throw a.usageError("unknown models command '\(verb)'; use add, list or quantize")
        }
        if verb != "quantize" && (a[asName] != nil || a[out] != nil) {
            throw a.usageError("--as and --out belong to `models quantize`")
        }
    }

    static func run(_ a: ParsedArguments, context: Context) async throws {
        let verb = a.positionals[0]
        let store = try context.openStore()
        let registry = ModelRegistry(store: store)
        switch verb {
        case "add":
            let pos = a.positionals
            let m = try registry.add(name: pos[1], directory: pos[2], logitScale: a[logitScale].map { Float($0) },
                                     variant: a[variant], checkpoint: a[checkpoint])
            if context.json {
                try Console.json(["name": AnyEncodable(m.name), "directory": AnyEncodable(m.directory),
                                  "dim": AnyEncodable(m.manifest.embeddingDim), "manifest_hash": AnyEncodable(m.manifestHash)])
                return
            }
            let graphs = m.manifest.isCombined ? "combined \(m.manifest.textModel)" : "\(m.manifest.textModel) + \(m.manifest.imageModel)"
            Console.out("registered \(m.name): \(m.directory) (\(graphs), dim \(m.manifest.embeddingDim), image \(m.manifest.imageSize)px, context \(m.manifest.contextLength), \(m.manifest.outputsNormalized ? "normalized" : "unnormalized") outputs)")
            for note in m.manifest.notes ?? [] { Console.out("note: \(note)") }
        case "quantize":
            let source = a.positionals[1]
            let newName = a[asName] ?? source + "-int8"
            let folder = a[out] ?? ((context.storePath as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("models/" + newName)
            let q = try registry.quantize(source, as: newName, into: URL(fileURLWithPath: folder))
            if context.json {
                try Console.json(["name": AnyEncodable(q.model.name), "directory": AnyEncodable(q.model.directory),
                                  "source": AnyEncodable(source), "manifest_hash": AnyEncodable(q.model.manifestHash),
                                  "graphs": AnyEncodable(q.graphs.map { g in
                                      ["graph": AnyEncodable(g.graph), "matmuls_quantized": AnyEncodable(g.report.matMulsQuantized),
                                       "matmuls_kept": AnyEncodable(g.report.matMulsKept), "bytes_in": AnyEncodable(g.report.bytesIn),
                                       "bytes_out": AnyEncodable(g.report.bytesOut)] })])
                return
            }
            for g in q.graphs {
                Console.out("\(g.graph): \(g.report.matMulsQuantized) MatMul quantized, \(g.report.matMulsKept) kept in float32; \(g.report.bytesIn) → \(g.report.bytesOut) bytes")
            }
            Console.out("registered \(q.model.name): \(q.model.directory) (int8 from \(source))")
        case "list":
            let models = try registry.list()
            var rows: [[String]] = []
            var listed: [[String: AnyEncodable]] = []
            for m in models {
                let cache = store.embeddings(vlmID: m.id)
                let texts = try cache.count(.text), images = try cache.count(.image)
                rows.append([m.name, "\(m.manifest.embeddingDim)", "\(m.manifest.imageSize)", "\(texts)", "\(images)", m.directory])
                listed.append(["name": AnyEncodable(m.name), "dim": AnyEncodable(m.manifest.embeddingDim), "image_size": AnyEncodable(m.manifest.imageSize),
                               "text_embeddings": AnyEncodable(texts), "image_embeddings": AnyEncodable(images), "directory": AnyEncodable(m.directory)])
            }
            if context.json {
                try Console.json(listed)
                return
            }
            if rows.isEmpty { Console.out("no models registered; try `descry models add NAME DIR`"); return }
            Console.out(Console.table(["name", "dim", "image", "texts", "images", "directory"], rows))
        default:
            throw UsageError("unknown models command '\(verb)'; use add or list", command: name)
        }
    }
}

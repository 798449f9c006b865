/// Which prompts a custom-templates export writes for each class.
public enum CustomTemplateMethod: String, CaseIterable, Sendable {
    /// The class's own descriptions (kind `class`).
    case descriptions
    /// The dataset's and the global templates, each filled with the class name.
    case templates
    /// Descriptions, then filled templates.
    case both
}

/// The per-class prompts of a custom-templates export, with what was filled in.
public struct CustomTemplates: Sendable, Equatable {
    /// Class name (as prompts spell it: underscores as spaces) and its prompts, classes by index.
    public var classes: [(name: String, prompts: [String])]
    /// Classes that had no prompt of the chosen kind and got the single template instead.
    public var fallbackClasses: [String]

    public static func == (a: CustomTemplates, b: CustomTemplates) -> Bool {
        a.fallbackClasses == b.fallbackClasses && a.classes.map(\.name) == b.classes.map(\.name)
            && a.classes.map(\.prompts) == b.classes.map(\.prompts)
    }
}

extension Exporter {
    /// The template a class without prompts of the chosen kind gets (Descry's and CLIP's
    /// single template).
    public static let fallbackTemplate = "a photo of a {}."

    /// Per-class prompts in the `{class name: [prompt, …]}` layout CuPL publishes and
    /// CLIP_benchmark's `--custom_template_file` reads. `source` keeps only descriptions and
    /// templates imported under that source label.
    public func customTemplates(dataset: String, method: CustomTemplateMethod, source: String? = nil) throws -> CustomTemplates {
        let dsID = try store.datasetID(named: dataset)
        let classes = try store.classes(ofDataset: dsID)
        if let source {
            let labels = try store.wrap {
                try store.database.rows("""
                    SELECT DISTINCT s.label FROM sources s JOIN descriptions d ON d.source_id = s.id
                    WHERE d.dataset_id = ? OR d.dataset_id IS NULL ORDER BY s.label
                    """, [dsID]).map { try $0.string("label") }
            }
            guard labels.contains(source) else {
                throw StoreError.notFound("no descriptions of '\(dataset)' come from source '\(source)' (sources: \(labels.isEmpty ? "none" : labels.joined(separator: ", ")))")
            }
        }
        let rows = try store.wrap {
            try store.database.rows("""
                SELECT d.kind, d.class_id, d.text FROM descriptions d JOIN sources s ON s.id = d.source_id
                WHERE ((d.dataset_id = ? AND d.kind = 'class') OR (d.kind = 'template' AND (d.dataset_id = ? OR d.dataset_id IS NULL)))
                  AND (? IS NULL OR s.label = ?)
                ORDER BY d.dataset_id IS NULL, d.id
                """, [dsID, dsID, source, source])
        }
        var perClass: [Int64: [String]] = [:]
        var templates: [String] = []
        for r in rows {
            let text = try r.string("text")
            if try r.string("kind") == "template" { templates.append(text) }
            else if let c = try r.optionalInt64("class_id") { perClass[c, default: []].append(text) }
        }
        var out = CustomTemplates(classes: [], fallbackClasses: [])
        for c in classes {
            let name = c.displayName
            var prompts: [String] = []
            if method != .templates { prompts += perClass[c.id] ?? [] }
            if method != .descriptions { prompts += templates.map { Self.fill($0, name) } }
            if prompts.isEmpty {
                prompts = [Self.fill(Self.fallbackTemplate, name)]
                out.fallbackClasses.append(name)
            }
            out.classes.append((name, prompts))
        }
        return out
    }

    /// Writes `customTemplates` as JSON: `{class: [prompt, …]}`, or with `benchmarkKey`
    /// `{benchmarkKey: {class: [prompt, …]}}`, the layout CLIP_benchmark looks datasets up in.
    public func writeCustomTemplates(_ t: CustomTemplates, path: String, benchmarkKey: String? = nil) throws {
        let inner = JSONValue.obj(t.classes.map { ($0.name, .list($0.prompts.map { .str($0) })) })
        let value = benchmarkKey.map { JSONValue.obj([($0, inner)]) } ?? inner
        try Self.write(JSONWriter.string(value, indent: 2) + "\n", to: path)
    }

    static func fill(_ template: String, _ name: String) -> String {
        template.replacingOccurrences(of: "{}", with: name).replacingOccurrences(of: "{c}", with: name)
    }
}

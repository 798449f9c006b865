import DescryStore
import Foundation

/// Every prompt a dataset offers the zero-shot methods, read from the store once: class names,
/// templates (the dataset's and the global ones), per-class descriptions and the differential
/// descriptions of class pairs (generic ones plus those written for one VLM).
public struct PromptLibrary: Sendable {
    /// The single template of the baseline and of FuDD's first step.
    public static let defaultTemplate = "a photo of a {}."

    /// The dataset's name.
    public let dataset: String
    /// The classes, by position (position = index in the class list).
    public let classes: [ClassRecord]
    /// Templates with a `{}` or `{c}` placeholder: the dataset's, then the global ones.
    public var templates: [String]
    /// Per-class descriptions (kind `class`), by class position.
    public var classDescriptions: [[String]]
    /// Differential descriptions by class pair.
    public var differential: [PairKey: PairPrompts]
    /// Things the user should know: skipped descriptions of missing classes, fallbacks.
    public var notes: [String]

    /// A library from parts (tests and benchmarks build them without a store).
    public init(dataset: String, classes: [ClassRecord], templates: [String] = [], classDescriptions: [[String]]? = nil,
                differential: [PairKey: PairPrompts] = [:], notes: [String] = []) {
        self.dataset = dataset
        self.classes = classes
        self.templates = templates
        self.classDescriptions = classDescriptions ?? Array(repeating: [], count: classes.count)
        self.differential = differential
        self.notes = notes
    }

    /// Reads a dataset's prompts. `vlmID` adds the differential descriptions written for that
    /// VLM to the generic ones. Descriptions whose class is not in the class list any more are
    /// skipped and counted in `notes`.
    public static func load(store: Store, dataset: String, vlmID: Int64? = nil) throws -> PromptLibrary {
        do {
            let dsID = try store.datasetID(named: dataset)
            let classes = try store.classes(ofDataset: dsID)
            guard !classes.isEmpty else { throw AnalysisError.noClasses(dataset: dataset) }
            let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1.id, $0) })
            var lib = PromptLibrary(dataset: dataset, classes: classes)
            lib.templates = try store.descriptions.templates(datasetID: dsID)
            var stale = 0
            for d in try store.descriptions.list(datasetID: dsID, kind: .class) {
                guard let p = d.classID.flatMap({ position[$0] }) else { stale += 1; continue }
                lib.classDescriptions[p].append(d.text)
            }
            var stalePairs = 0
            for r in try store.pairs.differentialSlots(datasetID: dsID, vlmID: vlmID) {
                guard let a = position[r.classA], let b = position[r.classB], let side = position[r.side], a != b else { stalePairs += 1; continue }
                let key = PairKey(a, b)
                if side == key.lo { lib.differential[key, default: PairPrompts()].lo.append(r.text) }
                else if side == key.hi { lib.differential[key, default: PairPrompts()].hi.append(r.text) }
                else { stalePairs += 1 }
            }
            if stale > 0 { lib.notes.append("\(stale) class description(s) refer to classes that are not in '\(dataset)' any more and were skipped; re-import the descriptions or delete them") }
            if stalePairs > 0 { lib.notes.append("\(stalePairs) differential description slot(s) refer to classes that are not in '\(dataset)' any more and were skipped; re-import the FuDD file") }
            return lib
        } catch let e as StoreError { throw AnalysisError.store(e) }
    }

    /// A template filled with a class name.
    public static func fill(_ template: String, _ name: String) -> String {
        template.replacingOccurrences(of: "{}", with: name).replacingOccurrences(of: "{c}", with: name)
    }

    /// The single-template prompt of class position `c`.
    public func templatePrompt(_ c: Int, options: PromptOptions = PromptOptions()) -> String {
        options.apply(Self.fill(Self.defaultTemplate, classes[c].displayName))
    }

    /// The prompts of every class for a baseline method (FuDD's pairwise prompts come from
    /// `pairPrompts`; for `.fudd` this returns the first step's single template). A class
    /// without descriptions falls back to the single template; an empty template list falls
    /// back to the single template too.
    public func prompts(for method: ZeroShotMethod, options: PromptOptions = PromptOptions()) -> [[String]] {
        classes.indices.map { c in
            let name = classes[c].displayName
            switch method {
            case .classname: return [options.apply(options.classNamePeriod ? name + "." : name)]
            case .template, .fudd: return [templatePrompt(c, options: options)]
            case .ensemble:
                return templates.isEmpty ? [templatePrompt(c, options: options)] : templates.map { options.apply(Self.fill($0, name)) }
            case .descriptions:
                return classDescriptions[c].isEmpty ? [templatePrompt(c, options: options)] : classDescriptions[c].map(options.apply)
            }
        }
    }

    /// The differential sentences of `side` for its pair with `other`, or nil when the pair has
    /// none (FuDD then falls back to the template).
    public func pairPrompts(side: Int, other: Int, options: PromptOptions = PromptOptions()) -> [String]? {
        let key = PairKey(side, other)
        guard let p = differential[key] else { return nil }
        let t = p.texts(for: side, key: key)
        return t.isEmpty ? nil : t.map(options.apply)
    }

    /// Classes without per-class descriptions (the `descriptions` method uses the template for them).
    public var classesWithoutDescriptions: [Int] { classDescriptions.indices.filter { classDescriptions[$0].isEmpty } }

    /// Every text a method needs, deduplicated, in a stable order.
    public func texts(for method: ZeroShotMethod, options: PromptOptions = PromptOptions()) -> [String] {
        var out = prompts(for: method, options: options).flatMap { $0 }
        if method == .fudd {
            for key in differential.keys.sorted() {
                out += pairPrompts(side: key.lo, other: key.hi, options: options) ?? []
                out += pairPrompts(side: key.hi, other: key.lo, options: options) ?? []
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// SHA-256 of the exact prompts a method uses, class by class (and pair by pair for FuDD),
    /// with the aggregation: two runs with the same hash scored the same texts the same way.
    public func promptHash(for method: ZeroShotMethod, aggregation: Aggregation, options: PromptOptions = PromptOptions()) -> String {
        var s = "\(method.rawValue)\n\(aggregation.rawValue)\n"
        for (c, ps) in prompts(for: method, options: options).enumerated() { s += "class \(c)\n" + ps.joined(separator: "\n") + "\n" }
        if method == .fudd {
            s += options.deduplicate ? "deduplicated\n" : "duplicates kept\n"
            for key in differential.keys.sorted() {
                s += "pair \(key.lo) \(key.hi)\n"
                s += (pairPrompts(side: key.lo, other: key.hi, options: options) ?? []).joined(separator: "\n") + "\n|\n"
                s += (pairPrompts(side: key.hi, other: key.lo, options: options) ?? []).joined(separator: "\n") + "\n"
            }
        }
        return Hashing.sha256Hex(s)
    }
}

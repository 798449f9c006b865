import Foundation

/// Imports description files into a store. Every import is one transaction: it either
/// lands whole or leaves the store exactly as it was, and re-importing a file adds nothing.
public struct Importer {
    /// The store written to.
    public let store: Store

    /// Creates an importer.
    public init(store: Store) { self.store = store }

    /// Imports a FuDD dataset: class names and differential prompt pairs, keeping pair, side,
    /// twin, position and raw attribute type of every slot. A sentence that serves several
    /// pairs is stored once and linked to each. `vlm` keys the pairs to one VLM.
    /// With `skipInvalid`, a prompt pair with an empty text, a wrong type or a bad `attr_type`
    /// is reported with its JSON path and the rest imported.
    public func importFudd(classNamesPath: String, promptPairsPath: String, dataset: String,
                           label: String = "fudd", vlm: String? = nil, skipInvalid: Bool = false) throws -> ImportReport {
        let namesFile = try InputFile(path: classNamesPath)
        let pairsFile = try InputFile(path: promptPairsPath)
        let corpus = try FuddReader.read(classNames: namesFile, promptPairs: pairsFile, skipInvalid: skipInvalid)
        var report = ImportReport(format: "fudd", file: promptPairsPath, dataset: dataset)
        report.warnings = corpus.skipped.map { "skipped: \($0)" }
        report.pairSlotsRead = corpus.slotCount
        try store.write {
            let (dsID, created) = try store.ensureDataset(named: dataset)
            report.datasetCreated = created
            report.classesAdded = try store.setClasses(datasetID: dsID, names: corpus.classNames, file: classNamesPath)
            let classes = try store.classes(ofDataset: dsID)
            let byIndex = Dictionary(uniqueKeysWithValues: classes.map { ($0.index, $0) })
            let hash = Hashing.sha256Hex(namesFile.bytes + [0] + pairsFile.bytes)
            let source = try store.addSource(SourceInfo(format: "fudd", label: label, path: promptPairsPath, contentHash: hash))
            let vlmID = try vlm.map { try store.vlms.ensure(named: $0) }
            let w = try DescriptionWriter(store: store, sourceID: source.id, bulk: corpus.slotCount >= Self.bulkThreshold)
            for pair in corpus.pairs {
                guard let a = byIndex[pair.classA], let b = byIndex[pair.classB] else {
                    // FuddReader checked the indexes against the names file, and setClasses stored them all.
                    throw StoreError.invalidInput(InputLocation(file: promptPairsPath, path: pair.key),
                                                  "class index out of range for dataset \(Excerpt.quote(dataset))")
                }
                let pairID = try w.pair(datasetID: dsID, classA: a, classB: b, vlmID: vlmID)
                for (pos, pp) in pair.promptPairs.enumerated() {
                    let da = try w.add(NewDescription(datasetID: dsID, classID: a.id, text: pp.textA, kind: .differential, attributeRaw: pp.attrType))
                    let db = try w.add(NewDescription(datasetID: dsID, classID: b.id, text: pp.textB, kind: .differential, attributeRaw: pp.attrType))
                    try w.link(pairID: pairID, position: pos, side: a.id, descriptionID: da.id, twinID: db.id, attributeRaw: pp.attrType)
                    try w.link(pairID: pairID, position: pos, side: b.id, descriptionID: db.id, twinID: da.id, attributeRaw: pp.attrType)
                }
            }
            try w.finish()
            report.apply(w)
        }
        return report
    }

    /// Imports per-class descriptions (CuPL / DCLIP / WaffleCLIP / LaBo JSON). Keys are matched
    /// to the dataset's classes by name, never by order, as `matching` says (`ClassMatcher`:
    /// exact, normalised, this import's map, stored aliases, fuzzy); unmatched keys (with the
    /// nearest classes), classes without an entry and keys naming the same class twice are
    /// reported by name. With `strict` those findings are errors. With `createClasses`, a
    /// dataset without a class list takes the file's keys, in file order, as its classes.
    /// How each key was matched is in the report and recorded with the source.
    public func importClassDescriptions(path: String, dataset: String, label: String? = nil, template: DescriptorTemplate = .none,
                                        createClasses: Bool = false, strict: Bool = false, skipInvalid: Bool = false,
                                        matching: ClassMatchOptions = ClassMatchOptions()) throws -> ImportReport {
        try importClassDescriptions(.descriptions, path: path, dataset: dataset, label: label, template: template,
                                    createClasses: createClasses, strict: strict, skipInvalid: skipInvalid, matching: matching)
    }

    /// Imports a per-class set already read by one of the readers (`ClassDescriptionSet.read`,
    /// `AttributeKeyedReader`, `FolderReader`, `EX2Reader`, `DelimitedReader`; see
    /// `readClassDescriptions`), with the matching of `importClassDescriptions(path:…)`. The
    /// set's `format` is recorded as the source's format; `template` applies to its `.class`
    /// items, and each item's `attributeRaw` is kept and mapped by the taxonomy.
    public func importClassDescriptions(_ set: ClassDescriptionSet, path: String, dataset: String, label: String? = nil,
                                        template: DescriptorTemplate = .none, createClasses: Bool = false,
                                        strict: Bool = false, matching: ClassMatchOptions = ClassMatchOptions()) throws -> ImportReport {
        var report = ImportReport(format: set.format, file: path, dataset: dataset)
        report.warnings = set.skipped.map { "skipped: \($0)" } + set.notes
        try store.write {
            let (dsID, created) = try store.ensureDataset(named: dataset)
            report.datasetCreated = created
            var classes = try store.classes(ofDataset: dsID)
            if classes.isEmpty {
                guard createClasses else {
                    throw StoreError.invalidInput(InputLocation(file: path),
                        "dataset \(Excerpt.quote(dataset)) has no class list; import one first (`descry import classes FILE --dataset \(dataset)`) or pass --create-classes")
                }
                report.classesAdded = try store.setClasses(datasetID: dsID, names: set.entries.map(\.className), file: path)
                classes = try store.classes(ofDataset: dsID)
            }
            let matcher = try store.classMatching.matcher(datasetID: dsID, map: matching.map, mode: matching.mode)
            if let bad = matcher.unresolvedMapEntries.first {
                throw StoreError.invalidInput(bad.location, "map target \(Excerpt.quote(bad.target)) is not a class of \(Excerpt.quote(dataset))"
                    + ClassMatchingRepository.nearest(matcher, bad.target))
            }
            report.warnings += Self.collisionWarnings(matcher, dataset: dataset)
            var findings: [String] = []
            var matched: [Int64: String] = [:]
            var resolved: [(ClassRecord, ClassDescriptionSet.Entry)] = []
            var accepted: [(ClassMatcher.Match, ClassDescriptionSet.Entry)] = []
            var fuzzy: [(ClassMatcher.Match, ClassDescriptionSet.Entry)] = []
            for e in set.entries {
                switch matcher.match(e.className) {
                case .unmatched(let nearest, let note):
                    findings.append("\(e.location): key \(Excerpt.quote(e.className)) matches no class of \(Excerpt.quote(dataset)); its \(e.texts.count) descriptions were skipped"
                        + ClassMatcher.advice(key: e.className, dataset: dataset, nearest: nearest, note: note))
                case .matched(let m) where m.method == .fuzzy:
                    fuzzy.append((m, e))
                case .matched(let m):
                    let c = m.classRecord
                    if let first = matched[c.id] {
                        findings.append("\(e.location): key \(Excerpt.quote(e.className)) names the same class as key \(Excerpt.quote(first)) (class \(c.index) \(Excerpt.quote(c.name))); both lists were kept")
                    }
                    matched[c.id] = e.className
                    accepted.append((m, e))
                }
            }
            // Fuzzy matches last, and never onto a class another key names: a guess must not
            // merge two lists silently.
            let fuzzyByClass = Dictionary(grouping: fuzzy, by: { $0.0.classRecord.id })
            for (m, e) in fuzzy {
                let c = m.classRecord
                let skipped = "its \(e.texts.count) descriptions were skipped"
                if let first = matched[c.id] {
                    findings.append("\(e.location): key \(Excerpt.quote(e.className)) is close only to class \(c.index) \(Excerpt.quote(c.name)) (\(m.rule ?? "fuzzy")), which key \(Excerpt.quote(first)) already names; \(skipped)")
                } else if let rivals = fuzzyByClass[c.id], rivals.count > 1 {
                    let others = rivals.filter { $0.1.className != e.className }.map { Excerpt.quote($0.1.className) }.joined(separator: ", ")
                    findings.append("\(e.location): key \(Excerpt.quote(e.className)) is close to class \(c.index) \(Excerpt.quote(c.name)), and so is key \(others); --match fuzzy took neither; \(skipped)")
                } else {
                    accepted.append((m, e))
                }
            }
            for (m, e) in accepted {
                resolved.append((m.classRecord, e))
                matched[m.classRecord.id] = matched[m.classRecord.id] ?? e.className
                report.matches.append(ClassKeyMatch(key: e.className, dataset: dataset, classIndex: m.classRecord.index,
                                                    className: m.classRecord.name, method: m.method, rule: m.rule))
            }
            report.matches.sort { ($0.classIndex, $0.key) < ($1.classIndex, $1.key) }
            report.countMatches()
            report.warnings += Self.unusedMapWarnings(matching.map, matcher: matcher, keys: set.entries.map(\.className))
            let missing = classes.filter { matched[$0.id] == nil }
            if !missing.isEmpty {
                let names = missing.prefix(20).map { "'\($0.name)'" }.joined(separator: ", ")
                findings.append("\(path): \(missing.count) of \(classes.count) classes of \(Excerpt.quote(dataset)) have no entry: \(names)\(missing.count > 20 ? ", …" : "")")
            }
            if strict, let first = findings.first {
                throw StoreError.invalidInput(InputLocation(file: path), first + (findings.count > 1 ? " (and \(findings.count - 1) more findings)" : ""))
            }
            report.warnings += findings
            let source = try store.addSource(SourceInfo(format: set.format, label: label ?? Self.label(for: path), path: path, contentHash: set.sourceHash))
            try record(report.matches, sourceID: source.id, matcher: matcher, dataset: dataset, datasetID: dsID,
                       saveAliases: matching.saveAliases, report: &report)
            let w = try DescriptionWriter(store: store, sourceID: source.id)
            for (c, e) in resolved {
                for item in e.items {
                    let text = item.kind == .class ? template.apply(className: c.displayName, descriptor: item.text) : item.text
                    try w.add(NewDescription(datasetID: dsID, classID: c.id, text: text, kind: item.kind, attributeRaw: item.attributeRaw))
                }
            }
            try w.finish()
            report.apply(w)
        }
        return report
    }

    /// Imports prompt templates ("a photo of a {}."). Without a dataset they are global.
    public func importTemplates(path: String, dataset: String? = nil, label: String? = nil, skipInvalid: Bool = false) throws -> ImportReport {
        let file = try InputFile(path: path)
        let (templates, skipped) = try TemplateReader.readReporting(file, skipInvalid: skipInvalid)
        var report = ImportReport(format: "templates", file: path, dataset: dataset)
        report.warnings = skipped.map { "skipped: \($0)" }
        try store.write {
            var dsID: Int64?
            if let dataset {
                let (id, created) = try store.ensureDataset(named: dataset)
                dsID = id
                report.datasetCreated = created
            }
            let source = try store.addSource(SourceInfo(format: "templates", label: label ?? Self.label(for: path), path: path, contentHash: file.contentHash))
            let w = try DescriptionWriter(store: store, sourceID: source.id)
            for t in templates { try w.add(NewDescription(datasetID: dsID, classID: nil, text: t, kind: .template)) }
            try w.finish()
            report.apply(w)
        }
        return report
    }

    /// Imports a class list (JSON array or one name per line) for a dataset. With
    /// `skipInvalid`, an empty name, a name with a control character or a non-string item is
    /// reported with its position and left out (the classes after it move up one index).
    public func importClassList(path: String, dataset: String, skipInvalid: Bool = false) throws -> ImportReport {
        let file = try InputFile(path: path)
        let (names, skipped) = try ClassListReader.readReporting(file, skipInvalid: skipInvalid)
        var report = ImportReport(format: "classes", file: path, dataset: dataset)
        report.warnings = skipped.map { "skipped: \($0)" }
        try store.write {
            let (dsID, created) = try store.ensureDataset(named: dataset)
            report.datasetCreated = created
            report.classesAdded = try store.setClasses(datasetID: dsID, names: names, file: path)
        }
        return report
    }

    /// Imports the general JSON Lines format (see `DescriptionLine`). Every line is checked
    /// before anything is written; with `skipInvalid`, bad lines are reported and skipped.
    /// Class names in `class`, `pair` and `side` are matched as `matching` says; how each
    /// distinct name was matched is in the report and recorded with the source.
    public func importJSONLines(path: String, dataset defaultDataset: String? = nil, label: String? = nil,
                                skipInvalid: Bool = false, matching: ClassMatchOptions = ClassMatchOptions()) throws -> ImportReport {
        let file = try InputFile(path: path)
        let (lines, lineErrors) = try DescriptionLine.read(file, skipInvalid: skipInvalid)
        var report = ImportReport(format: "jsonl", file: path, dataset: defaultDataset)
        report.warnings = lineErrors.map { "\($0)" }
        // A differential line fills its side's pair slot, and the other side's when it has a twin.
        report.pairSlotsRead = lines.reduce(0) { $0 + ($1.kind == .differential ? ($1.twin == nil ? 1 : 2) : 0) }
        try store.write {
            let source = try store.addSource(SourceInfo(format: "jsonl", label: label ?? Self.label(for: path), path: path, contentHash: file.contentHash))
            let w = try DescriptionWriter(store: store, sourceID: source.id, bulk: lines.count >= Self.bulkThreshold)
            var datasets: [String: DatasetClasses] = [:]
            var nextPosition: [Int64: Int] = [:]
            for l in lines {
                do {
                    // A savepoint per line only when a bad line is skipped: otherwise the first
                    // error rolls back the whole import anyway.
                    if skipInvalid {
                        try store.database.savepoint { try write(line: l, file: path, defaultDataset: defaultDataset, writer: w, matching: matching, datasets: &datasets, nextPosition: &nextPosition) }
                    } else {
                        try write(line: l, file: path, defaultDataset: defaultDataset, writer: w, matching: matching, datasets: &datasets, nextPosition: &nextPosition)
                    }
                } catch let e as StoreError {
                    if !skipInvalid { throw e }
                    report.warnings.append("\(e)")
                }
            }
            try finishMatching(datasets.values.map(\.matching), matching: matching, sourceID: source.id, report: &report)
            try w.finish()
            report.apply(w)
        }
        return report
    }

    /// A dataset's id and classes, looked up once per import.
    struct DatasetClasses {
        let id: Int64
        let count: Int
        let byIndex: [Int: ClassRecord]
        let matching: DatasetMatching
    }

    private func write(line l: DescriptionLine, file: String, defaultDataset: String?, writer w: DescriptionWriter, matching: ClassMatchOptions,
                       datasets: inout [String: DatasetClasses], nextPosition: inout [Int64: Int]) throws {
        func at(_ field: String) -> InputLocation { InputLocation(file: file, line: l.line, path: field) }
        let dsName = l.dataset ?? defaultDataset
        var ds: DatasetClasses?
        if let dsName {
            if let cached = datasets[dsName] { ds = cached } else {
                let id: Int64
                do { id = try store.datasetID(named: dsName) } catch StoreError.unknownDataset {
                    throw StoreError.invalidInput(at("dataset"), "unknown dataset \(Excerpt.quote(dsName)); import its class list first")
                }
                let classes = try store.classes(ofDataset: id)
                let matcher = try store.classMatching.matcher(datasetID: id, map: matching.map, mode: matching.mode)
                ds = DatasetClasses(id: id, count: classes.count,
                                    byIndex: Dictionary(classes.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a }),
                                    matching: DatasetMatching(name: dsName, id: id, matcher: matcher))
                datasets[dsName] = ds
            }
        } else if l.kind != .template {
            throw StoreError.invalidInput(at("dataset"), "no dataset: give 'dataset' on the line or --dataset")
        }
        let dsID = ds?.id
        func resolve(_ ref: DescriptionLine.ClassRef, _ field: String) throws -> ClassRecord {
            switch ref {
            case .index(let i):
                if let c = ds?.byIndex[i] { return c }
                throw StoreError.invalidInput(at(field), "class index \(i) is out of range (dataset '\(dsName ?? "")' has \(ds?.count ?? 0) classes)")
            case .name(let n):
                guard let ds else { throw StoreError.invalidInput(at(field), "no dataset to look class \(Excerpt.quote(n)) up in") }
                return try ds.matching.resolve(n, at: at(field))
            }
        }
        switch l.kind {
        case .template:
            try w.add(NewDescription(datasetID: dsID, classID: nil, text: l.text, kind: .template, attributeRaw: l.attribute))
        case .class, .classname:
            let c = try resolve(l.classRef!, "class")
            try w.add(NewDescription(datasetID: dsID, classID: c.id, text: l.text, kind: l.kind, attributeRaw: l.attribute))
        case .differential:
            let p0 = try resolve(l.pair!.0, "pair[0]"), p1 = try resolve(l.pair!.1, "pair[1]")
            guard p0.id != p1.id else { throw StoreError.invalidInput(at("pair"), "a pair needs two different classes") }
            let side = try resolve(l.side!, "side")
            guard side.id == p0.id || side.id == p1.id else {
                throw StoreError.invalidInput(at("side"), "side \(Excerpt.quote(side.name)) is not one of the pair's classes \(Excerpt.quote(p0.name)) and \(Excerpt.quote(p1.name))")
            }
            let other = side.id == p0.id ? p1 : p0
            let vlmID = try l.vlm.map { try store.vlms.ensure(named: $0) }
            let pairID = try w.pair(datasetID: dsID!, classA: p0, classB: p1, vlmID: vlmID)
            let d = try w.add(NewDescription(datasetID: dsID, classID: side.id, text: l.text, kind: .differential, attributeRaw: l.attribute))
            let twin = try l.twin.map { try w.add(NewDescription(datasetID: dsID, classID: other.id, text: $0, kind: .differential, attributeRaw: l.attribute)) }
            let pos: Int
            if let p = l.position { pos = p } else {
                let next = try nextPosition[pairID]
                    ?? store.database.scalar(Int.self, "SELECT coalesce(max(position) + 1, 0) AS next FROM pair_members WHERE pair_id = ?", [pairID])
                pos = next
                nextPosition[pairID] = next + 1
            }
            try w.link(pairID: pairID, position: pos, side: side.id, descriptionID: d.id, twinID: twin?.id, attributeRaw: l.attribute)
            if let twin {
                try w.link(pairID: pairID, position: pos, side: other.id, descriptionID: twin.id, twinID: d.id, attributeRaw: l.attribute)
            }
        }
    }

    /// Imports at least this large drop and rebuild the secondary indexes (see `DescriptionWriter`).
    static let bulkThreshold = 50_000

    /// A default source label: the file name without extension.
    static func label(for path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

extension ImportReport {
    mutating func apply(_ w: DescriptionWriter) {
        descriptionsAdded = w.added
        descriptionsExisting = w.existing
        pairsAdded = w.pairsAdded
        pairSlotsAdded = w.slotsAdded
    }
}

/// The class-name matching the importers share: warnings about the matcher, provenance,
/// aliases saved at import, and the per-dataset state of a JSON Lines import.
extension Importer {
    /// One warning per normalised name that several classes share: keys are matched to them
    /// exactly only.
    static func collisionWarnings(_ matcher: ClassMatcher, dataset: String) -> [String] {
        matcher.collisions.map { c in
            let names = c.classes.map { "\($0.index) \(Excerpt.quote($0.name))" }.joined(separator: " and ")
            return "classes \(names) of \(Excerpt.quote(dataset)) share the normalised name \(Excerpt.quote(c.key)); keys are matched to them exactly only"
        }
    }

    /// One warning per map entry that no key of the file used.
    static func unusedMapWarnings(_ map: [ClassMapEntry], matcher: ClassMatcher, keys: [String]) -> [String] {
        var used = Set<String>()
        for k in keys {
            if case .matched(let m) = matcher.match(k), m.method == .map, let e = matcher.mapEntry(for: k) { used.insert("\(e.location)") }
        }
        return map.filter { !used.contains("\($0.location)") }.map {
            "\($0.location): map entry \(Excerpt.quote($0.key)) -> \(Excerpt.quote($0.target)) was not used (no key needed it)"
        }
    }

    /// Records the matches with the source and, with `saveAliases`, stores each map or fuzzy
    /// match as an alias of its class (an alias that names another class is reported, not
    /// replaced).
    func record(_ matches: [ClassKeyMatch], sourceID: Int64, matcher: ClassMatcher, dataset: String, datasetID: Int64,
                saveAliases: Bool, report: inout ImportReport) throws {
        let byIndex = Dictionary(matcher.classes.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        var provenance: [SourceClassMatch] = []
        for m in matches {
            guard let c = byIndex[m.classIndex] else { continue }
            provenance.append(SourceClassMatch(key: m.key, classID: c.id, method: m.method, rule: m.rule))
            guard saveAliases, m.method == .map || m.method == .fuzzy else { continue }
            do {
                if try store.classMatching.put(alias: m.key, target: c, datasetID: datasetID, dataset: dataset, matcher: matcher, replace: false) == .added {
                    report.aliasesSaved += 1
                }
            } catch let e as StoreError {
                guard case .conflict = e else { throw e }
                report.warnings.append("alias not saved: \(e)")
            }
        }
        try store.classMatching.record(sourceID: sourceID, provenance)
    }

    /// A JSON Lines import's matching for one dataset: the matcher, and each distinct class
    /// name its lines used, resolved once.
    final class DatasetMatching {
        let name: String
        let id: Int64
        let matcher: ClassMatcher
        var resolved: [String: ClassMatcher.Outcome] = [:]

        init(name: String, id: Int64, matcher: ClassMatcher) {
            self.name = name
            self.id = id
            self.matcher = matcher
        }

        /// The class a line's name means, or an error at `location` with the nearest classes.
        func resolve(_ key: String, at location: InputLocation) throws -> ClassRecord {
            let outcome: ClassMatcher.Outcome
            if let o = resolved[key] { outcome = o } else {
                outcome = matcher.match(key)
                resolved[key] = outcome
            }
            switch outcome {
            case .matched(let m): return m.classRecord
            case .unmatched(let nearest, let note):
                throw StoreError.invalidInput(location, "dataset \(Excerpt.quote(name)) has no class \(Excerpt.quote(key))"
                    + ClassMatcher.advice(key: key, dataset: name, nearest: nearest, note: note))
            }
        }

        /// The names that matched, as report entries, by class index then key.
        var matches: [ClassKeyMatch] {
            resolved.compactMap { key, o -> ClassKeyMatch? in
                guard case .matched(let m) = o else { return nil }
                return ClassKeyMatch(key: key, dataset: name, classIndex: m.classRecord.index, className: m.classRecord.name, method: m.method, rule: m.rule)
            }.sorted { ($0.classIndex, $0.key) < ($1.classIndex, $1.key) }
        }
    }

    /// Ends a JSON Lines import's matching: a map entry naming no class of any dataset the
    /// import used is an error; matches are recorded with the source; a class reached by a
    /// fuzzy key and by another key is reported.
    func finishMatching(_ datasets: [DatasetMatching], matching: ClassMatchOptions, sourceID: Int64, report: inout ImportReport) throws {
        for e in matching.map where !datasets.contains(where: { $0.matcher.className(e.target) != nil }) {
            let names = datasets.map { Excerpt.quote($0.name) }.joined(separator: ", ")
            throw StoreError.invalidInput(e.location, "map target \(Excerpt.quote(e.target)) is not a class of \(datasets.isEmpty ? "any dataset (the import used none)" : names)")
        }
        for ds in datasets.sorted(by: { $0.name < $1.name }) {
            let matches = ds.matches
            report.warnings += Self.collisionWarnings(ds.matcher, dataset: ds.name)
            for (_, keys) in Dictionary(grouping: matches, by: \.classIndex) where keys.count > 1 && keys.contains(where: { $0.method == .fuzzy }) {
                let list = keys.map { "\(Excerpt.quote($0.key)) (\($0.method.rawValue))" }.joined(separator: ", ")
                report.warnings.append("class \(keys[0].classIndex) \(Excerpt.quote(keys[0].className)) of \(Excerpt.quote(ds.name)) was named by several keys: \(list)")
            }
            report.matches += matches
            try record(matches, sourceID: sourceID, matcher: ds.matcher, dataset: ds.name,
                       datasetID: ds.id, saveAliases: matching.saveAliases, report: &report)
        }
        report.countMatches()
    }
}

extension ImportReport {
    /// Fills `matchCounts` from `matches`.
    mutating func countMatches() {
        matchCounts = Dictionary(grouping: matches, by: \.method.rawValue).mapValues(\.count)
    }
}

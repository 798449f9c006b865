/// How an import matches the keys of a file (class names as another project wrote them) to a
/// dataset's classes.
public enum ClassMatchMode: String, Sendable, CaseIterable, Codable {
    /// Case, underscores and spaces only (`ClassName.matchKey`).
    case exact
    /// `ClassName.normalizedKey`: hyphens, punctuation, camelCase joins and articles too (the default).
    case normalized
    /// `normalized`, then a unique close class (`ClassMatcher.fuzzy`).
    case fuzzy
}

/// How one key found its class.
public enum ClassMatchMethod: String, Sendable, CaseIterable, Codable {
    /// The key is the class's name (case, underscores and spaces aside).
    case exact
    /// The key's normalised form is the class's.
    case normalized
    /// A `--map` entry of this import names the class.
    case map
    /// An alias stored for the dataset (`descry classes alias`) names the class.
    case alias
    /// The one close class (`--match fuzzy`).
    case fuzzy
}

/// One entry of a `--map` file: a key as the imported file writes it, and the class it means.
public struct ClassMapEntry: Sendable, Equatable {
    /// The key, as written in the map.
    public var key: String
    /// The class name it maps to, as written in the map.
    public var target: String
    /// Where the entry is, for errors.
    public var location: InputLocation

    /// Creates an entry.
    public init(key: String, target: String, location: InputLocation) {
        self.key = key
        self.target = target
        self.location = location
    }
}

/// Matches keys to the classes of one dataset: a pure value, built from the classes, the
/// dataset's stored aliases and this import's `--map`, testable without a store.
///
/// Lookup order: the exact name, the normalised name (unless `exact`; also compared without
/// spaces, so `McDonnell` meets `mcdonnell`), this import's map (its
/// explicit word, so it wins over stored aliases), the stored aliases, then, with `fuzzy`, a
/// unique close class. When two classes share a normalised name (a collision), that name is
/// matched exactly only: `collisions` lists them so the import can say so.
public struct ClassMatcher: Sendable {
    /// A key's class and how it was found.
    public struct Match: Sendable, Equatable {
        /// The class.
        public var classRecord: ClassRecord
        /// How.
        public var method: ClassMatchMethod
        /// For a fuzzy match, the rule that accepted it ("same words", …).
        public var rule: String?
    }

    /// Classes of one dataset that share a normalised name.
    public struct Collision: Sendable, Equatable {
        /// The shared normalised name.
        public var key: String
        /// The classes, by index.
        public var classes: [ClassRecord]
    }

    /// What became of a key.
    public enum Outcome: Sendable, Equatable {
        /// The key names this class.
        case matched(Match)
        /// No class: the nearest ones (up to three) and, when fuzzy matching found several
        /// close classes, a note saying which.
        case unmatched(nearest: [ClassRecord], note: String?)
    }

    /// The dataset's classes, by index.
    public let classes: [ClassRecord]
    /// The mode.
    public let mode: ClassMatchMode
    /// Normalised names shared by several classes; those are matched exactly only.
    public let collisions: [Collision]
    /// Map entries whose target is no class of the dataset.
    public let unresolvedMapEntries: [ClassMapEntry]

    private let exactIndex: [String: ClassRecord]
    private let normalizedIndex: [String: ClassRecord]
    private let compactIndex: [String: ClassRecord]
    private let mapIndex: [String: (ClassRecord, ClassMapEntry)]
    private let aliasIndex: [String: ClassRecord]
    private let words: [Set<Substring>]
    private let normalizedNames: [String]

    /// Keys longer than this are compared by words only, never by edit distance: they are not
    /// spellings of class names, and the cost stays bounded for hostile input.
    static let editDistanceLimit = 128

    /// A matcher for `classes`. `aliases` pairs an alias (as written) with its class's id;
    /// `map` is this import's `--map`, whose entries naming no class are listed in
    /// `unresolvedMapEntries` (the importer decides whether that is an error).
    public init(classes: [ClassRecord], aliases: [(alias: String, classID: Int64)] = [], map: [ClassMapEntry] = [],
                mode: ClassMatchMode = .normalized) {
        self.classes = classes
        self.mode = mode
        exactIndex = Dictionary(classes.map { (ClassName.matchKey($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        var byNormalized: [String: [ClassRecord]] = [:]
        for c in classes { byNormalized[ClassName.normalizedKey(c.name), default: []].append(c) }
        // The normalised name without spaces meets spellings that join or split words
        // differently (`McDonnell` / `mcdonnell`, `T-shirt` / `TShirt`).
        var byCompact: [String: [ClassRecord]] = [:]
        for c in classes { byCompact[Self.compact(ClassName.normalizedKey(c.name)), default: []].append(c) }
        let normalizedCollisions = byNormalized.filter { $0.value.count > 1 }.map { Collision(key: $0.key, classes: $0.value) }
        let compactCollisions = byCompact.filter { group in
            group.value.count > 1 && !normalizedCollisions.contains { $0.classes == group.value }
        }.map { Collision(key: $0.key, classes: $0.value) }
        collisions = (normalizedCollisions + compactCollisions).sorted { ($0.classes.first?.index ?? 0, $0.key) < ($1.classes.first?.index ?? 0, $1.key) }
        normalizedIndex = byNormalized.compactMapValues { $0.count == 1 ? $0.first : nil }
        compactIndex = byCompact.compactMapValues { $0.count == 1 ? $0.first : nil }
        normalizedNames = classes.map { ClassName.normalizedKey($0.name) }
        words = classes.map { Set(ClassName.tokens($0.name)) }
        let byID = Dictionary(classes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let exactKeys = mode == .exact
        func key(_ s: String) -> String { exactKeys ? ClassName.matchKey(s) : ClassName.normalizedKey(s) }
        var aliasIndex: [String: ClassRecord] = [:]
        for a in aliases { if let c = byID[a.classID] { aliasIndex[key(a.alias)] = c } }
        self.aliasIndex = aliasIndex
        var mapIndex: [String: (ClassRecord, ClassMapEntry)] = [:]
        var unresolved: [ClassMapEntry] = []
        let exact = exactIndex, normalized = normalizedIndex, compact = compactIndex
        for e in map {
            let n = ClassName.normalizedKey(e.target)
            guard let c = exact[ClassName.matchKey(e.target)] ?? normalized[n] ?? compact[Self.compact(n)] else {
                unresolved.append(e)
                continue
            }
            mapIndex[key(e.key)] = (c, e)
        }
        self.mapIndex = mapIndex
        unresolvedMapEntries = unresolved
    }

    /// The class a name given by a user (an alias target, a map target) means: its exact or
    /// normalised name; nil when none.
    public func className(_ name: String) -> ClassRecord? {
        let n = ClassName.normalizedKey(name)
        return exactIndex[ClassName.matchKey(name)] ?? normalizedIndex[n] ?? compactIndex[Self.compact(n)]
    }

    /// A normalised key without its spaces.
    static func compact(_ normalized: String) -> String { normalized.replacingOccurrences(of: " ", with: "") }

    /// The map entry that `key` would use, if any (to report entries no key used).
    public func mapEntry(for key: String) -> ClassMapEntry? {
        mapIndex[mode == .exact ? ClassName.matchKey(key) : ClassName.normalizedKey(key)]?.1
    }

    /// Matches one key, in the documented order.
    public func match(_ key: String) -> Outcome {
        if let c = exactIndex[ClassName.matchKey(key)] { return .matched(Match(classRecord: c, method: .exact)) }
        let normalized = ClassName.normalizedKey(key)
        if mode != .exact, let c = normalizedIndex[normalized] ?? compactIndex[Self.compact(normalized)] {
            return .matched(Match(classRecord: c, method: .normalized))
        }
        let lookup = mode == .exact ? ClassName.matchKey(key) : normalized
        if let (c, _) = mapIndex[lookup] { return .matched(Match(classRecord: c, method: .map)) }
        if let c = aliasIndex[lookup] { return .matched(Match(classRecord: c, method: .alias)) }
        var note: String?
        if mode == .fuzzy {
            switch fuzzy(key) {
            case .success(let m): return .matched(m)
            case .failure(let why): note = why.note
            }
        }
        return .unmatched(nearest: nearest(key), note: note)
    }

    /// Why a fuzzy match was refused: no class close enough, or several equally close.
    public struct Refusal: Error, Sendable, Equatable {
        /// One line naming the close classes; nil when no class was close at all.
        public var note: String?
    }

    /// The unique close class, by the first rule that finds any close class:
    /// 1. the same words in any order (`Sea or Lake` = `lake or sea`);
    /// 2. all of the key's words in one class's name and in no other's (`Industrial Buildings`
    ///    in `industrial buildings or commercial buildings`);
    /// 3. a small edit distance (at most one edit per six characters, at most three) with a
    ///    margin of at least two edits over the runner-up.
    /// Several classes close under the first rule that finds any is a refusal naming them.
    public func fuzzy(_ key: String) -> Result<Match, Refusal> {
        let keyWords = Set(ClassName.tokens(key))
        guard !keyWords.isEmpty else { return .failure(Refusal(note: nil)) }
        func decide(_ found: [Int], rule: String) -> Result<Match, Refusal>? {
            if found.count == 1 { return .success(Match(classRecord: classes[found[0]], method: .fuzzy, rule: rule)) }
            if found.count > 1 {
                let names = found.prefix(5).map { Excerpt.quote(classes[$0].name) }.joined(separator: ", ")
                return .failure(Refusal(note: "\(rule) fits \(found.count) classes (\(names)), so --match fuzzy took none"))
            }
            return nil
        }
        if let r = decide(words.indices.filter { words[$0] == keyWords }, rule: "same words") { return r }
        if let r = decide(words.indices.filter { keyWords.isSubset(of: words[$0]) && keyWords != words[$0] }, rule: "words of the class name") {
            return r
        }
        let k = ClassName.normalizedKey(key)
        guard k.count <= Self.editDistanceLimit else { return .failure(Refusal(note: nil)) }
        var best: (i: Int, d: Int)?, second = Int.max
        for (i, n) in normalizedNames.enumerated() where n.count <= Self.editDistanceLimit {
            let d = EditDistance.distance(k, n)
            if d < best?.d ?? Int.max {
                second = best?.d ?? Int.max
                best = (i, d)
            } else if d < second {
                second = d
            }
        }
        guard let best else { return .failure(Refusal(note: nil)) }
        let length = max(k.count, normalizedNames[best.i].count)
        guard best.d <= 3, best.d * 6 <= length else { return .failure(Refusal(note: nil)) }
        guard second >= best.d + 2 else {
            return .failure(Refusal(note: "the nearest class by spelling, \(Excerpt.quote(classes[best.i].name)), is not clearly nearer than the next"))
        }
        return .success(Match(classRecord: classes[best.i], method: .fuzzy, rule: "\(best.d) edit\(best.d == 1 ? "" : "s") away"))
    }

    /// The classes nearest to `key`, best first (up to `limit`): shared words (Jaccard overlap
    /// of the normalised words, weighted 0.6) plus similar spelling (one minus the edit
    /// distance over the longer length, weighted 0.4). Classes with nothing in common are left out.
    public func nearest(_ key: String, limit: Int = 3) -> [ClassRecord] {
        let keyWords = Set(ClassName.tokens(key))
        let k = ClassName.normalizedKey(key)
        let spell = k.count <= Self.editDistanceLimit
        var scored: [(i: Int, score: Double)] = []
        for i in classes.indices {
            let union = keyWords.union(words[i]).count
            let overlap = union == 0 ? 0 : Double(keyWords.intersection(words[i]).count) / Double(union)
            var similar = 0.0
            if spell, normalizedNames[i].count <= Self.editDistanceLimit {
                let length = max(k.count, normalizedNames[i].count)
                if length > 0 { similar = 1 - Double(EditDistance.distance(k, normalizedNames[i])) / Double(length) }
            }
            let score = 0.6 * overlap + 0.4 * similar
            if score > 0 { scored.append((i, score)) }
        }
        // Sorted by score, then by class index, so the order is stable.
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.i < $1.i }
        return scored.prefix(limit).map { classes[$0.i] }
    }
}

extension ClassMatcher {
    /// What an unmatched key's warning adds: the refusal note, the nearest classes and the
    /// command that adds an alias, e.g. `; nearest: 'lake or sea', 'river'; add an alias with:
    /// descry classes alias eurosat "Sea or Lake" "lake or sea"`. The command names the nearest
    /// class only when it shares at least half of the key's words; otherwise it says CLASS, so
    /// that a weak guess is not pasted as an alias.
    public static func advice(key: String, dataset: String, nearest: [ClassRecord], note: String?) -> String {
        var s = note.map { "; " + $0 } ?? ""
        guard let first = nearest.first else { return s }
        s += "; nearest: " + nearest.map { Excerpt.quote($0.name) }.joined(separator: ", ")
        let keyWords = Set(ClassName.tokens(key))
        let shared = keyWords.intersection(ClassName.tokens(first.name)).count
        let target = !keyWords.isEmpty && 2 * shared >= keyWords.count ? shellWord(first.name) : "CLASS"
        s += "; add an alias with: descry classes alias \(shellWord(dataset)) \(shellWord(key)) \(target)"
        return s
    }

    /// `word` as a shell command line would need it: bare when it is plain, in double quotes
    /// when it has spaces, in single quotes when it has characters double quotes expand.
    static func shellWord(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./,:+@%".unicodeScalars.contains($0))
        }
        if plain { return word }
        if !word.contains(where: { "\"$`\\!".contains($0) }) { return "\"\(word)\"" }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// How an import matches its file's keys to classes: the mode, this import's `--map`, and
/// whether map and fuzzy matches are saved as the dataset's aliases (`--save-aliases`).
public struct ClassMatchOptions: Sendable {
    /// The mode (default `normalized`).
    public var mode: ClassMatchMode
    /// This import's map entries (`ClassMapFile.read`).
    public var map: [ClassMapEntry]
    /// Save each key matched by the map or fuzzily as an alias of its class.
    public var saveAliases: Bool

    /// Options.
    public init(mode: ClassMatchMode = .normalized, map: [ClassMapEntry] = [], saveAliases: Bool = false) {
        self.mode = mode
        self.map = map
        self.saveAliases = saveAliases
    }
}

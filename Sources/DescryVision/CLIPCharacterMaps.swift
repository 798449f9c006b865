/// The parsed form of ``CLIPTextTables``: HTML5 entities and the character maps that open_clip's
/// text cleaning (ftfy, then Python's `html.unescape`) applies. Built once, read-only afterwards.
// @unchecked Sendable: built once at first use and only read afterwards.
final class CLIPCharacterMaps: @unchecked Sendable {
    /// The shared instance; parsing takes a few milliseconds on first use.
    static let shared = CLIPCharacterMaps()

    /// HTML5 entity names as Python's `html.entities.html5` has them (with and without ';').
    let html5: [String: [Unicode.Scalar]]
    /// Entity names ftfy decodes (each ends in ';'), including its all-caps variants.
    let ftfyEntities: [String: [Unicode.Scalar]]
    /// Numeric references HTML5 redirects to another character (e.g. 0x80 → €).
    let invalidCharrefs: [UInt32: [Unicode.Scalar]]
    /// Numeric references that decode to nothing.
    let invalidCodepoints: Set<UInt32>
    /// Per-character replacements ftfy applies before removing terminal escapes (C1 controls,
    /// ligatures, widths, curly quotes, line breaks), composed in ftfy's order.
    let characterMap: [UInt32: [Unicode.Scalar]]
    /// Control characters ftfy deletes (after removing terminal escape sequences).
    let controls: Set<UInt32>
    /// Length of the longest HTML5 entity name, which bounds Python's name scan.
    let longestName: Int

    private init() {
        var html5: [String: [Unicode.Scalar]] = [:]
        var extra: [String: [Unicode.Scalar]] = [:]
        var charrefs: [UInt32: [Unicode.Scalar]] = [:]
        var invalid = Set<UInt32>()
        var c1: [UInt32: [Unicode.Scalar]] = [:]
        var ligatures: [UInt32: [Unicode.Scalar]] = [:]
        var widths: [UInt32: [Unicode.Scalar]] = [:]
        var controls = Set<UInt32>()
        func scalars(_ field: Substring) -> [Unicode.Scalar] {
            field.split(separator: ",").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
        }
        func codes(_ field: Substring) -> [UInt32] {
            field.split(separator: ",").compactMap { UInt32($0, radix: 16) }
        }
        for line in CLIPTextTables.raw.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let tag = parts[0].first else { continue }
            let key = parts[1], value = parts[2]
            switch tag {
            case "h": html5[String(key)] = scalars(value)
            case "u": extra[String(key)] = scalars(value)
            case "r": charrefs[UInt32(key, radix: 16)!] = scalars(value)
            case "i": invalid.formUnion(codes(value))
            case "l": ligatures[UInt32(key, radix: 16)!] = scalars(value)
            case "w": widths[UInt32(key, radix: 16)!] = scalars(value)
            case "x": controls.formUnion(codes(value))
            case "c": c1[UInt32(key, radix: 16)!] = scalars(value)
            default: continue
            }
        }
        var ftfy = extra
        for (name, value) in html5 where name.hasSuffix(";") { ftfy[name] = value }
        self.html5 = html5
        self.ftfyEntities = ftfy
        self.invalidCharrefs = charrefs
        self.invalidCodepoints = invalid
        self.longestName = html5.keys.map(\.utf8.count).max() ?? 32

        // ftfy runs these fixers one after another; composing the per-character maps in the
        // same order gives the same result in one pass.
        var map: [UInt32: [Unicode.Scalar]] = [:]
        let quotes: [UInt32: Unicode.Scalar] = [
            0x02BC: "'", 0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'",
            0x201C: "\"", 0x201D: "\"", 0x201E: "\"", 0x201F: "\"",
        ]
        func step(_ input: [Unicode.Scalar], _ table: [UInt32: [Unicode.Scalar]]) -> [Unicode.Scalar] {
            input.flatMap { table[$0.value] ?? [$0] }
        }
        var keys = Set(c1.keys).union(ligatures.keys).union(widths.keys).union(quotes.keys)
        keys.formUnion([0x0D, 0x2028, 0x2029, 0x85])
        let lineBreaks: [UInt32: [Unicode.Scalar]] = [0x0D: ["\n"], 0x2028: ["\n"], 0x2029: ["\n"], 0x85: ["\n"]]
        for key in keys {
            guard let scalar = Unicode.Scalar(key) else { continue }
            var s = step([scalar], c1)
            s = step(s, ligatures)
            s = step(s, widths)
            s = step(s, quotes.mapValues { [$0] })
            s = step(s, lineBreaks)
            if s != [scalar] { map[key] = s }
        }
        self.characterMap = map
        self.controls = controls
    }
}

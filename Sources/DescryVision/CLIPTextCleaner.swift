import Foundation

/// open_clip's text cleaning for CLIP (`_clean_lower`): ftfy's `fix_text`, Python's
/// `html.unescape` twice, whitespace collapsed, lower-cased.
///
/// Of ftfy's fixers, all but mojibake repair (`fix_encoding`) are implemented: HTML entities
/// (skipped on lines after one containing `<`, as ftfy does), C1 controls as Windows-1252, Latin
/// ligatures, half/full-width forms, curly quotes, line breaks, terminal escapes, control
/// characters and NFC, repeated until nothing changes.
public enum CLIPTextCleaner {
    /// The cleaned text exactly as open_clip feeds it to its pre-tokenizer.
    public static func clean(_ text: String) -> String {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in cleanedScalars(text) {
            if isPythonSpace(scalar) {
                if !word.isEmpty { words.append(String(word)); word = String.UnicodeScalarView() }
            } else {
                word.append(scalar)
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words.joined(separator: " ")
    }

    /// The cleaned, lower-cased scalars with whitespace left as is (the pre-tokenizer only uses
    /// whitespace as a separator, so collapsing it is not needed for tokenizing).
    static func cleanedScalars(_ text: String) -> [Unicode.Scalar] {
        let fixed = fixText(Array(text.unicodeScalars))
        let unescaped = htmlUnescape(htmlUnescape(fixed))
        return pythonLower(unescaped)
    }

    /// `str.isspace()` of Python: Unicode White_Space plus the separators U+1C–U+1F.
    @inline(__always)
    static func isPythonSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
             0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    // MARK: ftfy

    /// ftfy's `fix_text`: the text is fixed line by line (each segment ends after a newline);
    /// once a line contains `<`, HTML unescaping stays off for the rest of the text.
    static func fixText(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var unescape = true
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count && text[end] != "\n" { end += 1 }
            end = min(end + 1, text.count, start + 1_000_000)
            let segment = Array(text[start..<end])
            if unescape && segment.contains("<") { unescape = false }
            out.append(contentsOf: fixSegment(segment, unescapeHTML: unescape))
            start = end
        }
        return out
    }

    private static func fixSegment(_ segment: [Unicode.Scalar], unescapeHTML: Bool) -> [Unicode.Scalar] {
        let maps = CLIPCharacterMaps.shared
        var text = segment
        while true {
            let original = text
            if unescapeHTML { text = ftfyUnescape(text) }
            var mapped: [Unicode.Scalar] = []
            mapped.reserveCapacity(text.count)
            for s in text {
                if let replacement = maps.characterMap[s.value] {
                    mapped.append(contentsOf: replacement)
                } else {
                    mapped.append(s)
                }
            }
            text = removeTerminalEscapes(mapped)
            text.removeAll { maps.controls.contains($0.value) }
            text = nfc(text)
            if text == original { return text }
        }
    }

    /// ftfy's entity decoding: `&name;` from the HTML5 table (plus all-caps variants) and
    /// `&#...;` only when Python's unescape consumes the whole reference.
    private static func ftfyUnescape(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        let maps = CLIPCharacterMaps.shared
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < text.count {
            if text[i] == "&" {
                var j = i + 1
                if j < text.count && text[j] == "#" { j += 1 }
                let nameStart = j
                while j < text.count && j - nameStart <= 24 && isASCIIAlphanumeric(text[j]) { j += 1 }
                let n = j - nameStart
                if n >= 1 && n <= 24 && j < text.count && text[j] == ";" {
                    let match = Array(text[i...j])
                    let key = String(String.UnicodeScalarView(match.dropFirst()))
                    if let value = maps.ftfyEntities[key] {
                        out.append(contentsOf: value); i = j + 1; continue
                    }
                    if nameStart == i + 2 {
                        let decoded = htmlUnescape(match)
                        if !decoded.contains(";") { out.append(contentsOf: decoded); i = j + 1; continue }
                    }
                    out.append(contentsOf: match); i = j + 1; continue
                }
            }
            out.append(text[i])
            i += 1
        }
        return out
    }

    /// Removes `ESC [ digits-or-semicolons letter` sequences.
    private static func removeTerminalEscapes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("\u{1B}") else { return text }
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < text.count {
            if text[i] == "\u{1B}", i + 1 < text.count, text[i + 1] == "[" {
                var j = i + 2
                while j < text.count && (("0"..."9").contains(text[j]) || text[j] == ";") { j += 1 }
                if j < text.count && isASCIILetter(text[j]) { i = j + 1; continue }
            }
            out.append(text[i])
            i += 1
        }
        return out
    }

    /// Unicode NFC. Text made only of scalars below U+0300 is already in NFC.
    private static func nfc(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains(where: { $0.value >= 0x300 }) else { return text }
        let string = String(String.UnicodeScalarView(text))
        return Array(string.precomposedStringWithCanonicalMapping.unicodeScalars)
    }

    // MARK: Python's html.unescape

    /// Python's `html.unescape`: numeric references (with HTML5's replacements for invalid
    /// ones) and named references, including legacy names without ';' matched as prefixes.
    static func htmlUnescape(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard text.contains("&") else { return text }
        let maps = CLIPCharacterMaps.shared
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            guard text[i] == "&", i + 1 < text.count else { out.append(text[i]); i += 1; continue }
            let next = text[i + 1]
            if next == "#" {
                // `#[0-9]+;?` or `#[xX][0-9a-fA-F]+;?`
                var j = i + 2
                var hex = false
                if j < text.count && (text[j] == "x" || text[j] == "X") { hex = true; j += 1 }
                let digitsStart = j
                var value: UInt64 = 0
                while j < text.count, let d = digitValue(text[j], hex: hex) {
                    value = min(value * (hex ? 16 : 10) + UInt64(d), 0x1_0000_0000)
                    j += 1
                }
                if j == digitsStart { out.append(text[i]); i += 1; continue }
                if j < text.count && text[j] == ";" { j += 1 }
                out.append(contentsOf: numericReference(value, maps))
                i = j
                continue
            }
            // `[^\t\n\f <&#;]{1,32};?`
            var j = i + 1
            while j < text.count && j - (i + 1) < 32 && !isNameStop(text[j]) { j += 1 }
            if j == i + 1 { out.append(text[i]); i += 1; continue }
            if j < text.count && text[j] == ";" { j += 1 }
            let name = Array(text[(i + 1)..<j])
            if let value = maps.html5[String(String.UnicodeScalarView(name))] {
                out.append(contentsOf: value)
            } else {
                var matched = false
                var x = name.count - 1
                while x > 1 {
                    if let value = maps.html5[String(String.UnicodeScalarView(name[0..<x]))] {
                        out.append(contentsOf: value)
                        out.append(contentsOf: name[x...])
                        matched = true
                        break
                    }
                    x -= 1
                }
                if !matched { out.append("&"); out.append(contentsOf: name) }
            }
            i = j
        }
        return out
    }

    private static func numericReference(_ value: UInt64, _ maps: CLIPCharacterMaps) -> [Unicode.Scalar] {
        if value <= 0xFFFF_FFFF, let replacement = maps.invalidCharrefs[UInt32(value)] { return replacement }
        if (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return ["\u{FFFD}"] }
        if maps.invalidCodepoints.contains(UInt32(value)) { return [] }
        return [Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}"]
    }

    @inline(__always)
    private static func isNameStop(_ s: Unicode.Scalar) -> Bool {
        switch s { case "\t", "\n", "\u{0C}", " ", "<", "&", "#", ";": return true; default: return false }
    }

    @inline(__always)
    private static func digitValue(_ s: Unicode.Scalar, hex: Bool) -> UInt32? {
        switch s.value {
        case 0x30...0x39: return s.value - 0x30
        case 0x41...0x46 where hex: return s.value - 0x41 + 10
        case 0x61...0x66 where hex: return s.value - 0x61 + 10
        default: return nil
        }
    }

    @inline(__always)
    private static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    @inline(__always)
    private static func isASCIIAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        isASCIILetter(s) || (s.value >= 0x30 && s.value <= 0x39)
    }

    // MARK: Python's str.lower

    /// Python's `str.lower()`: full lower-case mappings, with Greek capital sigma becoming final
    /// sigma at the end of a word.
    static func pythonLower(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for (i, s) in text.enumerated() {
            if s.value < 0x80 {
                out.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 32)! : s)
            } else if s == "\u{03A3}" {
                out.append(isFinalSigma(text, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    private static func isFinalSigma(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        var j = index - 1
        while j >= 0 && text[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0 && text[j].properties.isCased else { return false }
        var k = index + 1
        while k < text.count && text[k].properties.isCaseIgnorable { k += 1 }
        return !(k < text.count && text[k].properties.isCased)
    }
}

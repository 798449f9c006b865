/// Turns a bare descriptor ("long droopy ears") into a sentence about its class.
public enum DescriptorTemplate: Sendable, Equatable {
    /// Keep the text as it is.
    case none
    /// DCLIP's sentence with its default settings (classify_by_description_release,
    /// `category_name_inclusion = 'prepend'`, `apply_descriptor_modification = True`,
    /// `before_text = ''`, `between_text = ', '`, `after_text = ''`): "{c}, " followed by
    /// its `make_descriptor_sentence` rule (see `dclipClause`).
    case dclip
    /// A custom pattern with `{c}` (class name) and `{d}` (descriptor).
    case pattern(String)

    /// Parses a `--template` value: "dclip", "none", or a pattern containing `{d}`.
    public static func parse(_ text: String) throws -> DescriptorTemplate {
        switch text.lowercased() {
        case "", "none": return .none
        case "dclip": return .dclip
        default:
            guard text.contains("{d}") else {
                throw StoreError.invalidInput(InputLocation(file: "--template"), "template \(Excerpt.quote(text)) has no {d} placeholder for the descriptor")
            }
            return .pattern(text)
        }
    }

    /// DCLIP's `make_descriptor_sentence`: plain prefix tests on the descriptor as written,
    /// case-sensitive and not word-bounded, so "antlers" and "an eye" both count as starting
    /// with "a", "hasty" as "has", "Always" (capital A) as none. In DCLIP's order: "a" → "which is
    /// {d}"; "has", "often", "typically", "may", "can" → "which {d}"; "used" → "which is {d}";
    /// anything else → "which has {d}".
    public static func dclipClause(_ descriptor: String) -> String {
        // Code-point prefixes, as Python's str.startswith compares: Swift's hasPrefix compares
        // whole characters, so "a" followed by a combining accent would not count there.
        func starts(_ p: String) -> Bool { descriptor.unicodeScalars.starts(with: p.unicodeScalars) }
        if starts("a") { return "which is \(descriptor)" }
        if ["has", "often", "typically", "may", "can"].contains(where: starts) { return "which \(descriptor)" }
        if starts("used") { return "which is \(descriptor)" }
        return "which has \(descriptor)"
    }

    /// The sentence for a descriptor of class `className` (DCLIP's class part is its
    /// `wordify(key)`, the key with underscores as spaces: pass that name).
    public func apply(className: String, descriptor: String) -> String {
        switch self {
        case .none: return descriptor
        case .dclip: return "\(className), \(Self.dclipClause(descriptor))"
        case .pattern(let p):
            return p.replacingOccurrences(of: "{c}", with: className).replacingOccurrences(of: "{d}", with: descriptor)
        }
    }
}

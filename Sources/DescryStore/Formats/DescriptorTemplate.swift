/// Turns a bare descriptor ("long droopy ears") into a sentence about its class.
public enum DescriptorTemplate: Sendable, Equatable {
    /// Keep the text as it is.
    case none
    /// DCLIP's rule: "{c}, which is/has {d}" — "which {d}" when the descriptor already starts
    /// with a verb such as "is", "has", "can", otherwise "which has {d}".
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

    static let verbs: Set<String> = ["is", "are", "has", "have", "can", "may", "was", "were", "will", "does", "do", "often", "usually", "typically"]

    /// The sentence for a descriptor of class `className`.
    public func apply(className: String, descriptor: String) -> String {
        switch self {
        case .none: return descriptor
        case .dclip:
            let first = descriptor.split(separator: " ").first.map { $0.lowercased() } ?? ""
            return Self.verbs.contains(first) ? "\(className), which \(descriptor)" : "\(className), which has \(descriptor)"
        case .pattern(let p):
            return p.replacingOccurrences(of: "{c}", with: className).replacingOccurrences(of: "{d}", with: descriptor)
        }
    }
}

import DescryStore
import Foundation

/// Keeps secrets out of messages and shortens server text for error messages.
public enum Redaction {
    /// `text` with every occurrence of `secret` replaced by `***` (nothing to do for short or
    /// empty secrets, which could not be told apart from ordinary text).
    public static func scrub(_ text: String, secret: String?) -> String {
        guard let secret, secret.count >= 4 else { return text }
        return text.replacingOccurrences(of: secret, with: "***")
    }

    /// `data` with every occurrence of the UTF-8 bytes of `secret` replaced by `***`.
    public static func scrub(_ data: Data, secret: String?) -> Data {
        guard let secret, secret.count >= 4 else { return data }
        let needle = Array(secret.utf8)
        let bytes = [UInt8](data)
        guard bytes.count >= needle.count else { return data }
        var out: [UInt8] = []
        var i = 0, changed = false
        out.reserveCapacity(bytes.count)
        while i < bytes.count {
            if bytes[i] == needle[0], i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: Array("***".utf8))
                i += needle.count
                changed = true
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return changed ? Data(out) : data
    }

    /// The first `limit` characters on one line, with an ellipsis when cut.
    public static func excerpt(_ text: String, limit: Int = 300) -> String { Excerpt.line(text, limit: limit) }
}

@testable import DescryAnalysis

/// Text vectors from a table; an unknown text is an error naming it.
struct FixedTextVectors: TextVectorSource {
    let table: [String: [Float]]
    func vectors(for texts: [String]) throws -> [[Float]] {
        try texts.map { t in
            guard let v = table[t] else { throw AnalysisError.invalidArgument("no fixed vector for '\(t)'") }
            return v
        }
    }
}

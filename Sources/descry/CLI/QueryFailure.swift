/// A query error, already rendered with its caret; main prints it as it is.
struct QueryFailure: Error, CustomStringConvertible {
    let rendered: String
    var description: String { rendered }
}

/// What an import did, for the CLI to print and tests to check.
public struct ImportReport: Sendable, Equatable, Codable {
    /// The format imported.
    public var format: String
    /// The file imported.
    public var file: String
    /// The dataset written to, when one.
    public var dataset: String?
    /// True when the dataset was created by this import.
    public var datasetCreated = false
    /// Classes added.
    public var classesAdded = 0
    /// Descriptions newly stored.
    public var descriptionsAdded = 0
    /// Descriptions read that were already stored (deduplicated by content).
    public var descriptionsExisting = 0
    /// Class pairs added.
    public var pairsAdded = 0
    /// Pair slots (one side of one prompt pair) read.
    public var pairSlotsRead = 0
    /// Pair slots newly linked.
    public var pairSlotsAdded = 0
    /// Non-fatal findings, each naming what it is about (unmatched class names…).
    public var warnings: [String] = []

    /// Creates an empty report.
    public init(format: String, file: String, dataset: String? = nil) {
        self.format = format
        self.file = file
        self.dataset = dataset
    }
}

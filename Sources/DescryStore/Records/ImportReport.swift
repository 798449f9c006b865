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
    /// Every key matched to a class, and how (for the per-class and JSON Lines formats).
    public var matches: [ClassKeyMatch] = []
    /// How many keys each method matched (`exact`, `normalized`, `map`, `alias`, `fuzzy`).
    public var matchCounts: [String: Int] = [:]
    /// Aliases saved by `--save-aliases`.
    public var aliasesSaved = 0

    /// Creates an empty report.
    public init(format: String, file: String, dataset: String? = nil) {
        self.format = format
        self.file = file
        self.dataset = dataset
    }
}

/// One key of an imported file and the class it was matched to.
public struct ClassKeyMatch: Sendable, Equatable, Codable {
    /// The key as the file writes it.
    public var key: String
    /// The dataset of the class.
    public var dataset: String
    /// The class's index.
    public var classIndex: Int
    /// The class's name.
    public var className: String
    /// How it was matched.
    public var method: ClassMatchMethod
    /// For a fuzzy match, the rule that accepted it.
    public var rule: String?

    /// Creates a record.
    public init(key: String, dataset: String, classIndex: Int, className: String, method: ClassMatchMethod, rule: String? = nil) {
        self.key = key
        self.dataset = dataset
        self.classIndex = classIndex
        self.className = className
        self.method = method
        self.rule = rule
    }
}

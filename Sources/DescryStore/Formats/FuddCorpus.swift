/// Differential descriptions in the layout the FuDD authors published: a class-name array
/// and an object of prompt pairs keyed `"i_j"` (i < j).
public struct FuddCorpus: Sendable, Equatable {
    /// One prompt pair: an attribute type and one sentence for each class.
    public struct PromptPair: Sendable, Equatable {
        /// The attribute type as written ("ear shape").
        public var attrType: String
        /// The sentence for the first class of the pair.
        public var textA: String
        /// The sentence for the second class.
        public var textB: String
        /// Creates a prompt pair.
        public init(attrType: String, textA: String, textB: String) {
            self.attrType = attrType
            self.textA = textA
            self.textB = textB
        }
    }

    /// All prompt pairs of one class pair.
    public struct Pair: Sendable, Equatable {
        /// The smaller class index.
        public var classA: Int
        /// The larger class index.
        public var classB: Int
        /// Prompt pairs, in file order.
        public var promptPairs: [PromptPair]
        /// Creates a pair.
        public init(classA: Int, classB: Int, promptPairs: [PromptPair]) {
            self.classA = classA
            self.classB = classB
            self.promptPairs = promptPairs
        }
        /// The key FuDD uses.
        public var key: String { "\(classA)_\(classB)" }
    }

    /// Class names; the index is the class id.
    public var classNames: [String]
    /// Pairs, in file order.
    public var pairs: [Pair]
    /// Prompt pairs left out with `skipInvalid`, each an error naming its JSON path.
    public var skipped: [String] = []

    /// Creates a corpus.
    public init(classNames: [String], pairs: [Pair]) {
        self.classNames = classNames
        self.pairs = pairs
    }

    /// Number of pair slots (two per prompt pair).
    public var slotCount: Int { pairs.reduce(0) { $0 + 2 * $1.promptPairs.count } }
}

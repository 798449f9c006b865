import DescryStore

/// `descry init`: creates (or migrates) a store.
enum InitCommand: Command {
    static let name = "init"
    static let summary = "create a store (or migrate an existing one to this version)"
    static let signature = Signature(usage: ["[--store PATH]"], about: """
    Creates an empty knowledge base at the store path, or opens an existing one and applies
    any pending schema migrations. Safe to run twice.
    """)

    static func run(_ arguments: ParsedArguments, context: Context) async throws {
        let store = try context.openStore(create: true)
        let version = try store.schemaVersion()
        if context.json {
            try Console.json(["store": AnyEncodable(store.path), "schema_version": AnyEncodable(version)])
        } else {
            Console.out("store ready: \(store.path) (schema version \(version), SQLite \(Database.sqliteVersion))")
        }
    }
}

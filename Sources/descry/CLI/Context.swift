import DescryAnalysis
import DescryStore
import Foundation

/// Options every command shares, and the store they point at.
struct Context {
    /// `--store PATH`, else `$DESCRY_STORE`, else `./descry.db`.
    let storePath: String
    /// `--data DIR`, else located (see `DataDirectory`).
    let dataOverride: String?
    /// `--json`: machine-readable output on stdout.
    let json: Bool

    /// The data folder.
    func dataDirectory() throws -> String { try DataDirectory.locate(override: dataOverride) }

    /// The shipped taxonomy.
    func taxonomy() throws -> AttributeTaxonomy { try AttributeTaxonomy.shipped(dataDirectory: try dataDirectory()) }

    /// Opens the store (it must exist unless `create`). A write that finds another process
    /// holding the write lock waits up to `$DESCRY_LOCK_TIMEOUT` seconds (default 600), saying
    /// on stderr how long it has waited and who holds the store.
    func openStore(create: Bool = false, readOnly: Bool = false) throws -> Store {
        let taxonomy = try taxonomy()
        let store = try Store(path: storePath, taxonomy: taxonomy, create: create, readOnly: readOnly)
        if !readOnly {
            // Descriptions without a source attribute are typed at import by the default auditor.
            store.typer = try Auditor.shipped(dataDirectory: try dataDirectory(), taxonomy: taxonomy)
        }
        if let raw = ProcessInfo.processInfo.environment["DESCRY_LOCK_TIMEOUT"], !raw.isEmpty {
            guard let t = Double(raw), t.isFinite, t >= 0, t <= 86_400 else {
                throw UsageError("DESCRY_LOCK_TIMEOUT must be a number of seconds from 0 to 86400, got '\(raw)'")
            }
            store.writeLockTimeout = t
        }
        store.onWriteLockWait = { wait in
            let who = wait.holders.isEmpty ? "another process" : wait.holders.map(\.description).joined(separator: ", ")
            Console.err("waiting for the write lock on \(wait.path): held by \(who); \(Int(wait.waited)) s so far")
        }
        if store.openedImmutable {
            Console.err("note: \(storePath) is in a folder this user cannot write; opened read-only in immutable mode (changes made meanwhile by others are not seen)")
        }
        return store
    }
}

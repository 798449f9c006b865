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

    /// Opens the store (it must exist unless `create`).
    func openStore(create: Bool = false, readOnly: Bool = false) throws -> Store {
        try Store(path: storePath, taxonomy: try taxonomy(), create: create, readOnly: readOnly)
    }
}

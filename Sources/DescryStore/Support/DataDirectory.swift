import Foundation

/// Finds the project's `Data/` folder (taxonomy, demo data, prompts): `--data`, else the
/// resource rule of ``ResourceLocator`` (`$DESCRY_DATA`, the checkout above a `.build/`
/// executable or an install's `../share/descry/Data`, then `./Data`).
public enum DataDirectory {
    /// The file whose presence marks a Descry data folder.
    public static let marker = "attribute-taxonomy.json"

    /// The data folder, or an error naming every place tried. `override` (the CLI's `--data`)
    /// wins over everything and must hold the marker.
    public static func locate(override: String? = nil, locator: ResourceLocator = .current) throws -> String {
        if let o = override, !o.isEmpty {
            let file = (o as NSString).appendingPathComponent(marker)
            guard FileManager.default.fileExists(atPath: file) else { throw StoreError.fileNotFound("\(file) (from --data)") }
            return o
        }
        return try locator.locate(.data).path
    }
}

extension AttributeTaxonomy {
    /// The taxonomy shipped in `Data/attribute-taxonomy.json`.
    public static func shipped(dataDirectory: String) throws -> AttributeTaxonomy {
        try AttributeTaxonomy(contentsOf: (dataDirectory as NSString).appendingPathComponent(DataDirectory.marker))
    }
}

import Foundation

/// The per-class description formats `descry import` reads, each into a `ClassDescriptionSet`.
public enum ClassDescriptionFormat: String, CaseIterable, Sendable {
    /// `{"class": ["text", …]}` (CuPL, DCLIP, WaffleCLIP, LaBo).
    case descriptions
    /// `{"class": {"attribute": ["text", …]}}` (TAP).
    case attributes
    /// A folder of `<class>.txt` files, one description per line (AdaptCLIPZS).
    case folder
    /// `[["text", …], …]`, one list per class in class-list order (EX2).
    case ex2
    /// CSV with a header naming `class`, `text` and optionally `attribute`, `kind`.
    case csv
    /// The same with tabs.
    case tsv
}

extension Importer {
    /// Reads `path` in `format`. For `ex2`, the classes come from `classesPath` (a class list:
    /// JSON array or one name per line) when given, else from `dataset`'s stored class list.
    public func readClassDescriptions(_ format: ClassDescriptionFormat, path: String, dataset: String,
                                      classesPath: String? = nil, skipInvalid: Bool = false) throws -> ClassDescriptionSet {
        switch format {
        case .descriptions: return try ClassDescriptionSet.read(try InputFile(path: path), skipInvalid: skipInvalid)
        case .attributes: return try AttributeKeyedReader.read(try InputFile(path: path), skipInvalid: skipInvalid)
        case .folder: return try FolderReader.read(folder: path, skipInvalid: skipInvalid)
        case .csv: return try DelimitedReader.read(try InputFile(path: path), dialect: .csv, skipInvalid: skipInvalid)
        case .tsv: return try DelimitedReader.read(try InputFile(path: path), dialect: .tsv, skipInvalid: skipInvalid)
        case .ex2:
            let file = try InputFile(path: path)
            if let classesPath {
                let list = try InputFile(path: classesPath)
                // Skipping a name would pair every later list with the wrong class: strict.
                let names = try ClassListReader.read(list)
                var set = try EX2Reader.read(file, classNames: names, classListName: classesPath, skipInvalid: skipInvalid)
                set.contentHash = Hashing.sha256Hex(file.bytes + [0] + list.bytes)
                return set
            }
            var classes: [ClassRecord] = []
            do { classes = try store.classes(ofDataset: try store.datasetID(named: dataset)) } catch StoreError.unknownDataset {}
            guard !classes.isEmpty else {
                throw StoreError.invalidInput(InputLocation(file: path),
                    "an EX2 file names no class; pass --classes FILE (the class list in the order EX2 used) or import the class list of \(Excerpt.quote(dataset)) first")
            }
            return try EX2Reader.read(file, classNames: classes.map(\.name),
                                      classListName: "dataset \(Excerpt.quote(dataset))", skipInvalid: skipInvalid)
        }
    }

    /// Reads `path` in `format` and imports it (see `importClassDescriptions(_:path:…)`).
    public func importClassDescriptions(_ format: ClassDescriptionFormat, path: String, dataset: String, classesPath: String? = nil,
                                        label: String? = nil, template: DescriptorTemplate = .none, createClasses: Bool = false,
                                        strict: Bool = false, skipInvalid: Bool = false,
                                        matching: ClassMatchOptions = ClassMatchOptions()) throws -> ImportReport {
        let set = try readClassDescriptions(format, path: path, dataset: dataset, classesPath: classesPath, skipInvalid: skipInvalid)
        return try importClassDescriptions(set, path: path, dataset: dataset, label: label, template: template,
                                           createClasses: createClasses, strict: strict, matching: matching)
    }
}

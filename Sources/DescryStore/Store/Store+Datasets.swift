/// Datasets and classes.
extension Store {
    /// The id of a dataset, or an error listing the known ones.
    public func datasetID(named name: String) throws -> Int64 {
        if let id = try wrap({ try database.scalarIfPresent(Int64.self, "SELECT id FROM datasets WHERE name = ?", [name]) }) { return id }
        throw StoreError.unknownDataset(name, known: try datasetNames())
    }

    /// The id of a dataset, creating it when missing; `created` says which.
    public func ensureDataset(named name: String) throws -> (id: Int64, created: Bool) {
        try wrap {
            if let id = try database.scalarIfPresent(Int64.self, "SELECT id FROM datasets WHERE name = ?", [name]) { return (id, false) }
            try database.execute("INSERT INTO datasets(name) VALUES (?)", [name])
            return (database.lastInsertRowID, true)
        }
    }

    /// All dataset names, sorted.
    public func datasetNames() throws -> [String] {
        try wrap { try database.rows("SELECT name FROM datasets ORDER BY name").map { try $0.string("name") } }
    }

    /// The classes of a dataset, by index.
    public func classes(ofDataset datasetID: Int64) throws -> [ClassRecord] {
        try wrap {
            try database.rows("SELECT id, idx, name FROM classes WHERE dataset_id = ? ORDER BY idx", [datasetID]).map {
                ClassRecord(id: try $0.int64("id"), index: try $0.int("idx"), name: try $0.string("name"))
            }
        }
    }

    /// Makes the dataset's class list equal `names` (index = position). Classes already
    /// stored must agree (same name at the same index); new ones are appended. Returns how
    /// many were added. `file` names the input in errors.
    @discardableResult
    public func setClasses(datasetID: Int64, names: [String], file: String) throws -> Int {
        var seen: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            let trimmed = n.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                throw StoreError.invalidInput(InputLocation(file: file, path: "[\(i)]"), "class \(i) has an empty name")
            }
            let key = ClassName.matchKey(n)
            if let j = seen[key] {
                throw StoreError.invalidInput(InputLocation(file: file, path: "[\(i)]"),
                                              "duplicate class name '\(n)' (also class \(j)); class names must be unique")
            }
            seen[key] = i
        }
        let existing = try classes(ofDataset: datasetID)
        for c in existing where c.index < names.count && c.name != names[c.index] {
            throw StoreError.invalidInput(InputLocation(file: file, path: "[\(c.index)]"),
                                          "class \(c.index) is '\(names[c.index])' here but '\(c.name)' in the store; the class lists disagree")
        }
        var added = 0
        try wrap {
            let insert = try database.cachedStatement("INSERT INTO classes(dataset_id, idx, name) VALUES (?, ?, ?)")
            for (i, n) in names.enumerated() where i >= existing.count || !existing.contains(where: { $0.index == i }) {
                do { try insert.execute([datasetID, i, n]) } catch let e as DatabaseError where e.isConstraintViolation {
                    throw StoreError.invalidInput(InputLocation(file: file, path: "[\(i)]"),
                                                  "class name '\(n)' is already used by another class of this dataset")
                }
                added += 1
            }
        }
        return added
    }
}

import Foundation

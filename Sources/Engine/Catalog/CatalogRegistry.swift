import GRDB

/// One registry entry: the entry as canonical JSON, its overall rating, and the export it was filled from.
public struct RegistryRow: Sendable, Equatable, FetchableRecord, Decodable {
    /// The entry's `name`, the registry's key.
    public var name: String
    /// The dataset the entry describes, and the stage and run that made its records.
    public var dataset: String
    public var stage: String
    public var runID: String
    /// SHA-256 of the export's `manifest.json` when the entry was made.
    public var manifestSHA256: String
    /// The entry, canonical JSON (sorted keys).
    public var entry: String
    /// The mean of the entry's six ratings.
    public var overall: Double

    enum CodingKeys: String, CodingKey {
        case name, dataset, stage, runID = "run_id", manifestSHA256 = "manifest_sha256", entry, overall
    }

    public init(name: String, dataset: String, stage: String, runID: String, manifestSHA256: String, entry: String,
                overall: Double) {
        self.name = name
        self.dataset = dataset
        self.stage = stage
        self.runID = runID
        self.manifestSHA256 = manifestSHA256
        self.entry = entry
        self.overall = overall
    }
}

extension Catalog {
    /// Replaces the registry with `rows` in one transaction: the registry is rebuilt whole from the exports, so an
    /// entry of a dataset no longer exported goes.
    public func replaceRegistry(_ rows: [RegistryRow]) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM registry")
            for row in rows {
                try db.execute(
                    sql: """
                        INSERT INTO registry (name, dataset, stage, run_id, manifest_sha256, entry, overall)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [row.name, row.dataset, row.stage, row.runID, row.manifestSHA256, row.entry, row.overall])
            }
        }
    }

    /// Every registry entry, by name.
    public func registry() throws -> [RegistryRow] {
        try read { db in try RegistryRow.fetchAll(db, sql: "SELECT * FROM registry ORDER BY name") }
    }

    /// The registry entry with this name, if any.
    public func registryEntry(name: String) throws -> RegistryRow? {
        try read { db in try RegistryRow.fetchOne(db, sql: "SELECT * FROM registry WHERE name = ?", arguments: [name]) }
    }
}

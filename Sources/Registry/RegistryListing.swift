import Engine
import Ontology
import StageKit

/// The registry as `pipe registry list` and `show` print it.
public enum RegistryListing {
    /// A table: name, dataset, overall rating, one line per entry, by name.
    public static func table(_ rows: [RegistryRow]) -> String {
        let header = ("name", "dataset", "overall")
        let nameWidth = max(header.0.count, rows.map(\.name.count).max() ?? 0) + 2
        let datasetWidth = max(header.1.count, rows.map(\.dataset.count).max() ?? 0) + 2
        func line(_ name: String, _ dataset: String, _ overall: String) -> String {
            name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + dataset.padding(toLength: datasetWidth, withPad: " ", startingAt: 0) + overall
        }
        let lines = [line(header.0, header.1, header.2)] + rows.map { line($0.name, $0.dataset, RatingSheet.text($0.overall)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[{"name", "dataset", "stage", "run_id", "overall"}]`, by name.
    public static func json(_ rows: [RegistryRow]) -> JSONValue {
        .array(rows.map(summary))
    }

    /// One entry as upstream writes it (YAML, template order), after comment lines saying where it came from.
    public static func text(_ row: RegistryRow, rubric: Rubric) throws -> String {
        let entry = try RegistryExporter.entry(row)
        return """
            # registry entry '\(row.name)': dataset \(row.dataset), stage \(row.stage), run \(row.runID)
            # overall rating \(RatingSheet.text(row.overall)) (the mean of the six ratings below)

            """ + EntryYAMLWriter(rubric: rubric).mapping(entry)
    }

    /// `{"name", "dataset", "stage", "run_id", "manifest_sha256", "overall", "entry": {...}}`.
    public static func json(_ row: RegistryRow) throws -> JSONValue {
        guard case .object(var object) = summary(row) else { return summary(row) }
        object["manifest_sha256"] = .string(row.manifestSHA256)
        object["entry"] = try RegistryExporter.entry(row).json()
        return .object(object)
    }

    private static func summary(_ row: RegistryRow) -> JSONValue {
        .object([
            "name": .string(row.name), "dataset": .string(row.dataset), "stage": .string(row.stage),
            "run_id": .string(row.runID), "overall": RatingSheet.json(row.overall),
        ])
    }
}

import ArgumentParser
import Ontology
import Engine
import StageKit

/// `--format` of the commands that report on benchmark entries.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Runs the ontology validator for `pipe validate` and prints what it found.
enum EntryValidation {
    static func check(_ files: [String], catalog: Bool) throws -> [ValidationReport] {
        let validator = try OntologyValidator()
        return files.map { validator.check(path: $0, catalog: catalog) }
    }

    /// Diagnostics compiler-style on stderr and a summary per file, or one JSON report on stdout (the entries of
    /// every file, in order).
    static func print(_ reports: [ValidationReport], format: ReportFormat, global: GlobalOptions) {
        switch format {
        case .json:
            let merged = ValidationReport(path: reports.map(\.path).joined(separator: ","),
                                          entries: reports.flatMap(\.entries), problems: reports.flatMap(\.problems))
            FileHandleOutput.standardOutput(JSONWriter.pretty(merged.json) + "\n")
        case .text:
            for report in reports {
                for diagnostic in report.diagnostics {
                    if global.logFormat == .json {
                        FileHandleOutput.standardError(JSONWriter.compactString(diagnostic.logJSON) + "\n")
                    } else {
                        FileHandleOutput.standardError(diagnostic.description + "\n")
                    }
                }
            }
        }
        for report in reports { global.progress.note("\(report.path): \(report.summary)") }
    }
}

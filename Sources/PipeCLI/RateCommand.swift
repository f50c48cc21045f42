import ArgumentParser
import Engine
import Ontology
import StageKit

/// `pipe rate`: the six-category ratings of benchmark entries, computed from their rubric checklists.
struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "Rate MLCommons Science benchmark entries with the six-category rubric.",
        discussion: """
            FILE holds one entry, or a catalogue (a YAML list of entries). For each category the score computed \
            from the entry's checklist (criteria met, partly met, missed, unanswered) is printed beside the \
            declared rating, then the overall means. --svg writes a radar chart of one entry. Problems the \
            validator finds are printed on stderr (pipe validate explains them); exit 1 when the file cannot be \
            read as entries.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A YAML file of one entry or a catalogue of entries.")
    var file: String

    @Option(help: "Write a radar chart of the entry's ratings to this SVG file (one entry only).")
    var svg: String?

    @Option(help: "text or json (on stdout).")
    var format: ReportFormat = .text

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let validator = try OntologyValidator()
            let entryFile = try EntryFile(contentsOf: file)
            let report = entryFile.document.value.arrayValue.map { $0.count > 1 } == true
                ? validator.checkCatalog(entryFile) : validator.checkEntryFile(entryFile)
            if let problem = report.problems.first(where: { $0.severity == .error }) {
                throw PipeError(problem.code, problem.message, at: problem.location)
            }
            let errors = report.errorCount
            if errors > 0 {
                global.progress.note("\(file): \(errors) error(s) in the entries; pipe validate shows them")
            }
            let sheets = report.entries.map { RatingSheet(entry: $0, rubric: validator.rubric) }
            switch format {
            case .text: FileHandleOutput.standardOutput(sheets.map(\.text).joined(separator: "\n\n") + "\n")
            case .json: FileHandleOutput.standardOutput(JSONWriter.pretty(.array(sheets.map(\.json))) + "\n")
            }
            if let svg {
                guard sheets.count == 1, let sheet = sheets.first else {
                    throw PipeError("rate.svg", "--svg draws one entry; \(file) holds \(sheets.count)")
                }
                try FileSystem.writeAtomically(Array(RadarChart.svg(sheet, maximum: validator.rubric.maximum).utf8), to: svg)
            }
        }
    }
}

import ArgumentParser
import Engine
import Foundation
import Ontology
import Registry
import StageKit

/// `pipe registry`: MLCommons Science entries for the datasets the workspace has exported.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Register every exported dataset as an MLCommons Science benchmark entry, rated from its evidence.",
        subcommands: [RegistryBuildCommand.self, RegistryListCommand.self, RegistryShowCommand.self, RegistryExportCommand.self])
}

/// `pipe registry build`.
struct RegistryBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Make an entry for every exported dataset and store the registry in the catalog.",
        discussion: """
            Each entry is filled from the export (manifest.json, croissant.json, the card and schema), the dataset \
            spec and what pipe knows of the stage kind, rated with the rubric's checklist answered from that \
            evidence ("unknown" where pipe cannot tell: no points), and checked by the ontology validator. A \
            dataset without a public url in its spec is registered with its export folder as a file:// URL (a \
            warning). The registry is replaced whole.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Wait for the workspace lock instead of failing at once.")
    var wait = false

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try RegistrySupport.pipelines(global)
            let lock = try WorkspaceLock(workspace: Workspace(root: global.workspace), command: "pipe registry build", wait: wait)
            defer { lock.release() }
            let (workspace, catalog) = try global.openWorkspace()
            let gatherer = EvidenceGatherer(
                workspace: workspace, pipelines: pipelines, profiles: try KindProfiles.embedded(),
                commands: RegistrySupport.commands, currentDirectory: FileManager.default.currentDirectoryPath)
            let outcome = try RegistryBuilder(catalog: catalog, gatherer: gatherer, validator: try OntologyValidator()).build()
            RegistrySupport.print(outcome.diagnostics, global: global)
            for row in outcome.rows {
                let warnings = outcome.entryWarnings[row.name]?.count ?? 0
                global.progress.note("\(row.name): registered, overall \(RatingSheet.text(row.overall))"
                                     + (warnings == 0 ? "" : " (\(warnings) validator warning(s): pipe registry show \(row.name) > entry.yaml; pipe validate entry.yaml --schema ontology-entry)"))
            }
            global.progress.note("registry: \(outcome.rows.count) entr\(outcome.rows.count == 1 ? "y" : "ies") in \(workspace.catalogPath) (table registry)")
            if outcome.failed { throw ExitCode.failure }
        }
    }
}

/// `pipe registry list`.
struct RegistryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registry: name, dataset, overall rating.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "text or json.")
    var format: ReportFormat = .text

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let rows = try global.openWorkspace().1.registry()
            switch format {
            case .text: FileHandleOutput.standardOutput(RegistryListing.table(rows))
            case .json: FileHandleOutput.standardOutput(JSONWriter.pretty(RegistryListing.json(rows)) + "\n")
            }
        }
    }
}

/// `pipe registry show NAME`.
struct RegistryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one registry entry: YAML as upstream writes it, or JSON.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's name (pipe registry list).")
    var name: String

    @Option(help: "text (YAML) or json.")
    var format: ReportFormat = .text

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let catalog = try global.openWorkspace().1
            guard let row = try catalog.registryEntry(name: name) else {
                let names = try catalog.registry().map(\.name)
                throw PipeError("registry.unknown_entry",
                                "no registry entry named '\(name)' (\(names.isEmpty ? "the registry is empty: run pipe registry build" : "entries: " + names.joined(separator: ", ")))")
            }
            switch format {
            case .text: FileHandleOutput.standardOutput(try RegistryListing.text(row, rubric: try Rubric.embedded()))
            case .json: FileHandleOutput.standardOutput(JSONWriter.pretty(try RegistryListing.json(row)) + "\n")
            }
        }
    }
}

/// `pipe registry export`.
struct RegistryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the registry: mlcommons-yaml (a catalogue), croissant (a folder of the datasets' Croissant files) or html (one static page).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "mlcommons-yaml, croissant or html.")
    var format: RegistryFormatArgument

    @Option(help: "The file to write (a folder for croissant).")
    var out: String

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let (workspace, catalog) = try global.openWorkspace()
            let exporter = RegistryExporter(catalog: catalog, workspace: workspace, rubric: try Rubric.embedded(),
                                            currentDirectory: FileManager.default.currentDirectoryPath)
            for path in try exporter.export(format.format, to: out) { FileHandleOutput.standardOutput(path + "\n") }
        }
    }
}

/// `pipe registry export --format` values.
enum RegistryFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case mlcommonsYAML = "mlcommons-yaml", croissant, html

    var format: RegistryFormat {
        switch self {
        case .mlcommonsYAML: return .mlcommonsYAML
        case .croissant: return .croissant
        case .html: return .html
        }
    }
}

/// What the registry commands share.
enum RegistrySupport {
    /// The pipeline files, when there are any: the registry is made from exports, so it does without them.
    static func pipelines(_ global: GlobalOptions) throws -> PipelineSet? {
        do {
            return try global.loadPipelines()
        } catch let error as PipeError where error.code == "pipeline.none" {
            return nil
        }
    }

    /// The top-level commands of this build, so that an evaluation command is claimed only when it exists.
    static var commands: Set<String> {
        Set(PipeCommand.configuration.subcommands.compactMap { $0.configuration.commandName })
    }

    /// Diagnostics compiler-style on stderr (JSON lines with `--log-format json`); warnings stay quiet with `--quiet`.
    static func print(_ diagnostics: [OntologyDiagnostic], global: GlobalOptions) {
        for diagnostic in diagnostics where diagnostic.severity == .error || !global.quiet {
            if global.logFormat == .json {
                FileHandleOutput.standardError(JSONWriter.compactString(diagnostic.logJSON) + "\n")
            } else {
                FileHandleOutput.standardError(diagnostic.description + "\n")
            }
        }
    }
}

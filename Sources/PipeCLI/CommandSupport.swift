import StageKit
import Engine
import ArgumentParser
import CorpusMining
import DataFiltering
import Foundation
import Tokompiler

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Workspace folder (catalog, runs, exports).")
    var workspace: String = "pipe-work"

    @Option(name: .long, help: "A pipeline file; repeat for several (default: every YAML file in ./Pipelines/).")
    var pipeline: [String] = []

    @Option(name: .long, help: "How messages are written to stderr: text or json.")
    var logFormat: LogFormatArgument = .text

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    var progress: ProgressReporter { ProgressReporter(quiet: quiet, format: logFormat.format) }
}

/// `--log-format` values.
enum LogFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case text, json
    var format: LogFormat { self == .json ? .json : .text }
}

/// Prints errors compiler-style (or as JSON lines) and turns them into exit code 1.
enum Diagnostics {
    static func report(_ error: Error, format: LogFormatArgument) -> ExitCode {
        let errors: [PipeError]
        switch error {
        case let error as PipeError: errors = [error]
        case let error as PipeErrors: errors = error.errors
        case let failure as BuildFailure: errors = failure.errors
        case let exit as ExitCode: return exit
        default: errors = [PipeError("internal", "\(error)")]
        }
        for error in errors {
            if format == .json {
                FileHandleOutput.standardError(JSONWriter.compactString(error.json) + "\n")
            } else {
                FileHandleOutput.standardError(error.description + "\n")
            }
        }
        return ExitCode.failure
    }

    /// Runs a command body, mapping pipe errors to exit code 1 with their diagnostics printed.
    static func run(_ format: LogFormatArgument, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            throw report(error, format: format)
        }
    }
}

extension GlobalOptions {
    func loadPipelines() throws -> PipelineSet {
        let paths = try PipelineSet.defaultPaths(explicit: pipeline)
        return try PipelineSet.load(paths: paths, registry: StageKinds.catalog.registry, schemas: StageKinds.catalog.schemas)
    }

    func openWorkspace() throws -> (Workspace, Catalog) {
        let workspace = Workspace(root: self.workspace)
        return (workspace, try Catalog(workspace: workspace))
    }
}

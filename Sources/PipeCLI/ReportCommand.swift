import StageKit
import Readers
import Engine
import Exporting
import ArgumentParser
import CorpusMining
import Foundation

/// `pipe report`: summaries of built datasets.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Summarize a built dataset.", subcommands: [CorpusReportCommand.self])
}

/// `pipe report corpus`: the HPCorpus-style table of a `corpus.mine` stage's latest run, printed, and
/// written as JSON and as an SVG bar chart.
struct CorpusReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Files, lines and tokens per language; files and repositories per paradigm; OpenMP directive kinds.",
        discussion: """
            Reads the latest complete run of a corpus.mine stage and writes corpus-report.json and \
            corpus-report.svg into --out (default: <run folder>/report/).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The corpus.mine stage (default: the only one in the pipeline files).")
    var stage: String?

    @Option(help: "Folder for corpus-report.json and corpus-report.svg.")
    var out: String?

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            let (workspace, catalog) = try global.openWorkspace()
            let candidates = pipelines.stages.values.filter { $0.kind == CorpusMineStage.kind }.map(\.name).sorted()
            let name: String
            if let stage {
                guard candidates.contains(stage) else {
                    throw PipeError("report.stage",
                                    "'\(stage)' is not a corpus.mine stage (corpus.mine stages: \(candidates.joined(separator: ", ")))")
                }
                name = stage
            } else {
                guard candidates.count == 1, let only = candidates.first else {
                    throw PipeError("report.stage", candidates.isEmpty
                        ? "no corpus.mine stage in the pipeline files"
                        : "several corpus.mine stages (\(candidates.joined(separator: ", "))): choose one with --stage")
                }
                name = only
            }
            let locator = DatasetLocator(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: StageKinds.catalog)
            var report = CorpusReport()
            let files = try locator.locate("\(name)/\(CorpusStreams.files)")
            try forEachRecord(files) { report.addFile($0) }
            try forEachRecord(try locator.locate("\(name)/\(CorpusStreams.functions)")) { report.addFunction($0) }
            try forEachRecord(try locator.locate("\(name)/\(CorpusStreams.ompLoops)")) { report.addLoop($0) }

            let folder = out ?? files.runDirectory + "/report"
            try FileSystem.makeDirectory(folder)
            var json = report.json
            if case .object(var members) = json {
                members["stage"] = .string(name)
                members["run_id"] = .string(files.run.runID)
                json = .object(members)
            }
            try FileSystem.writeAtomically(Array((JSONWriter.pretty(json) + "\n").utf8), to: folder + "/corpus-report.json")
            try FileSystem.writeAtomically(Array(report.svg.utf8), to: folder + "/corpus-report.svg")
            if global.logFormat == .json {
                FileHandleOutput.standardOutput(JSONWriter.compactString(json) + "\n")
            } else {
                FileHandleOutput.standardOutput("corpus report: stage \(name), run \(files.run.runID)\n" + report.text)
            }
            global.progress.note("wrote \(folder)/corpus-report.json and \(folder)/corpus-report.svg",
                                 fields: ["report": .string(folder)])
        }
    }

    private func forEachRecord(_ stream: BuiltStream, _ body: (JSONValue) -> Void) throws {
        for path in stream.shardPaths {
            try ShardReader(path: path).forEachLine { line, _, _ in body(try JSONParser.parse(buffer: line)) }
        }
    }
}

import StageKit
import Readers
import JSONSchema
import Storage
import Engine
import Exporting
import RecordsImport
import ArgumentParser

/// `pipe status`: runs, tasks done and pending, records, rejects, and which stages are stale.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show runs, task progress, records, rejects and stale stages.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            let (workspace, catalog) = try global.openWorkspace()
            let runner = StageRunner(workspace: workspace, catalog: catalog, pipelines: pipelines,
                                     kinds: StageKinds.catalog, options: BuildOptions(),
                                     progress: ProgressReporter(quiet: true, format: .text))
            var entries: [JSONValue] = []
            var out = ""
            for name in pipelines.buildOrder(for: Array(pipelines.stages.keys)) {
                let status = try runner.status(of: name)
                entries.append(status.json)
                out += status.text + "\n"
            }
            for dataset in try catalog.datasets() {
                out += "dataset \(dataset.name): \(dataset.records) records exported to \(dataset.exportDirectory) from run \(dataset.runID)\n"
            }
            if global.logFormat == .json {
                FileHandleOutput.standardOutput(JSONWriter.compactString(.object(["stages": .array(entries)])) + "\n")
            } else {
                FileHandleOutput.standardOutput(out)
            }
        }
    }
}

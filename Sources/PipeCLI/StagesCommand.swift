import StageKit
import Engine
import ArgumentParser

/// `pipe stages`: the stage kinds pipe knows and the stages each pipeline file declares.
struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages", abstract: "List stage kinds and the stages of each pipeline file.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            var out = "Stage kinds:\n"
            for name in StageKinds.catalog.registry.names {
                guard let kind = StageKinds.catalog.registry.kinds[name] else { continue }
                out += "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(kind.summary)\n"
            }
            let pipelines = try global.loadPipelines()
            for file in pipelines.files.sorted(by: { $0.path < $1.path }) {
                out += "\nPipeline \(file.name) (\(file.path)):\n"
                for stage in file.stages {
                    let reads = stage.upstream.isEmpty ? "" : "  <- \(stage.upstream.joined(separator: ", "))"
                    out += "  \(stage.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(stage.kind), \(stage.tasks) tasks\(reads)\n"
                }
                for dataset in file.datasets {
                    out += "  dataset \(dataset.name): \(dataset.from)/\(dataset.records), \(dataset.license)\n"
                }
            }
            FileHandleOutput.standardOutput(out)
        }
    }
}

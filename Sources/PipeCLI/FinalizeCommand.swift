import Engine
import ArgumentParser

/// `pipe finalize`: merges the completion files of `--no-catalog` task runs into the catalog and runs
/// the stage's reduce phase once every task is done.
struct FinalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finalize",
        abstract: "Merge --no-catalog task results into the catalog and finish the stage (reduce phase).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The stage whose tasks ran with --no-catalog.")
    var stage: String

    @Flag(help: "Wait for the workspace lock instead of failing at once.")
    var wait = false

    @OptionGroup var running: RunOptions

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            let workspace = Workspace(root: global.workspace)
            let lock = try WorkspaceLock(workspace: workspace, command: "pipe finalize \(stage)", wait: wait)
            defer { lock.release() }
            let progress = global.progress
            let runner = StageRunner(
                workspace: workspace, catalog: try Catalog(workspace: workspace), pipelines: pipelines,
                kinds: StageKinds.catalog,
                options: BuildOptions(strict: running.strict, checkRecords: running.checkRecords, shardLevel: running.shardLevel),
                progress: progress)
            do {
                BuildSummary.print([try runner.finalize(stage: stage)], progress: progress, workspace: global.workspace)
            } catch let failure as BuildFailure {
                BuildSummary.print(failure.results, progress: progress, workspace: global.workspace)
                throw failure
            }
        }
    }
}

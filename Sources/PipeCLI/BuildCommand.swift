import StageKit
import Engine
import Exporting
import ArgumentParser

/// `pipe build`: builds a stage (and what it reads from), resuming what is left and skipping what is current.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a stage, or all stages, upstream first.",
        discussion: """
            A stage whose kind, parameters, input contents and pipe version are unchanged is not rebuilt. \
            Rerunning after a crash resumes: finished tasks are kept, only missing ones run. Rejects are \
            summarized on stderr and do not fail the build unless --strict is given (error rejects only).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A stage name, or 'all'.")
    var stage: String

    @Option(help: "Task count; must equal the stage's `tasks:` (default 8).")
    var tasks: Int?

    @Option(help: "Run only this task (0-based), e.g. as one element of a Slurm array.")
    var rank: Int?

    @Flag(help: "Rebuild even when up to date; discard unfinished tasks.")
    var force = false

    @OptionGroup var running: RunOptions

    @Flag(help: "Wait for the workspace lock instead of failing at once.")
    var wait = false

    @Flag(help: "Record finished tasks in completion files, not the catalog, and take no lock (Slurm array elements); `pipe finalize` merges them.")
    var noCatalog = false

    func validate() throws {
        if rank != nil && tasks == nil { throw ValidationError("--rank needs --tasks") }
        if noCatalog && stage == "all" { throw ValidationError("--no-catalog builds one stage, not 'all'") }
        if let tasks, tasks < 1 { throw ValidationError("--tasks must be at least 1") }
    }

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            let workspace = Workspace(root: global.workspace)
            let options = BuildOptions(tasks: tasks, rank: rank, force: force, strict: running.strict, wait: wait,
                                       noCatalog: noCatalog, checkRecords: running.checkRecords, shardLevel: running.shardLevel)
            var lock: WorkspaceLock?
            let catalog: Catalog?
            if noCatalog {
                // Array elements on many nodes must not write the catalog: they only read it, if it exists.
                catalog = FileSystem.exists(workspace.catalogPath).exists ? try Catalog(workspace: workspace) : nil
            } else {
                lock = try WorkspaceLock(workspace: workspace, command: "pipe build \(stage)", wait: wait)
                catalog = try Catalog(workspace: workspace)
            }
            defer { lock?.release() }
            if !noCatalog { try Exporter.removeStaleStaging(in: workspace.exportsRoot) }
            let progress = global.progress
            let runner = StageRunner(
                workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: StageKinds.catalog, options: options, progress: progress)
            do {
                let results = try runner.build(target: stage)
                BuildSummary.print(results, progress: progress, workspace: global.workspace)
            } catch let failure as BuildFailure {
                BuildSummary.print(failure.results, progress: progress, workspace: global.workspace)
                throw failure
            }
        }
    }
}

/// Options of the commands that run stages (`build`, `finalize`).
struct RunOptions: ParsableArguments {
    @Flag(help: "Fail when a task or the reduce phase has error rejects; what failed is not kept.")
    var strict = false

    @Flag(help: "Check every record a stage emits against its stream's schema; a record that fails fails its task.")
    var checkRecords = false

    @Option(help: "zstd level (1-19) of the workspace's own shards; exports keep their own settings.")
    var shardLevel = BuildOptions.defaultShardLevel

    func validate() throws {
        guard (1...19).contains(shardLevel) else { throw ValidationError("--shard-level must be from 1 to 19") }
    }
}

/// The end-of-build summary on stderr: one line per stage, reject counts and a few sample rejects.
enum BuildSummary {
    /// Error rejects shown by name; the rest are counted, with where to find them all.
    static let maxSamples = 5

    static func print(_ results: [StageBuildResult], progress: ProgressReporter, workspace: String) {
        for result in results {
            var line = "\(result.stage): \(result.outcome.rawValue) (run \(result.runID))"
            if result.outcome != .upToDate {
                line += ", \(result.tasksRun) task(s) run, \(result.tasksSkipped) already done"
            }
            line += ", \(result.records) records kept"
            let errors = result.rejects.filter { $0.rejectClass == .error }.reduce(0) { $0 + $1.count }
            let dropped = result.rejects.filter { $0.rejectClass == .dropped }.reduce(0) { $0 + $1.count }
            if errors + dropped > 0 {
                let codes = result.rejects.map { "\($0.code): \($0.count)" }.joined(separator: ", ")
                line += "; rejects: \(errors) error, \(dropped) dropped (\(codes))"
            }
            progress.note(line, fields: [
                "stage": .string(result.stage), "run_id": .string(result.runID), "outcome": .string(result.outcome.rawValue),
                "records": .integer(result.records), "rejects_error": .integer(errors), "rejects_dropped": .integer(dropped),
            ])
            let shown = result.rejectSamples.prefix(maxSamples)
            for sample in shown {
                progress.note("  reject: \(sample.summary)", fields: [
                    "event": "reject", "stage": .string(result.stage), "class": .string(sample.rejectClass.rawValue),
                    "code": .string(sample.code), "reason": .string(sample.reason), "locator": .string(sample.locator),
                    "line": sample.line.map { .integer(Int64($0)) } ?? .null, "offset": sample.offset.map { .integer($0) } ?? .null,
                ])
            }
            if errors > Int64(shown.count) {
                let more = errors - Int64(shown.count)
                let count = shown.isEmpty ? "  \(more) error reject(s)" : "  ... and \(more) more error reject(s)"
                progress.note("\(count); all rejects are in \(workspace)/\(result.rejectsFolder)",
                              fields: ["stage": .string(result.stage), "more_errors": .integer(more),
                                       "rejects": .string(workspace + "/" + result.rejectsFolder)])
            }
        }
    }
}

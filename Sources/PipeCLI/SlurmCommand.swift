import StageKit
import Engine
import ArgumentParser
import Foundation

/// `pipe slurm`: writes (and optionally submits) an sbatch array job running the stage's pending tasks with
/// `--no-catalog`, plus a dependent job running `pipe finalize`.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write (and submit) an sbatch array job for a stage's pending tasks and a dependent finalize job.",
        discussion: """
            Writes <workspace>/slurm/<stage>/array.sbatch, finalize.sbatch and submit.sh. Each array element \
            runs `pipe build <stage> --tasks N --rank $SLURM_ARRAY_TASK_ID --no-catalog` with the absolute path \
            of this pipe (or --pipe-bin); the array lists only tasks without a completion file, so a rerun after \
            failures resubmits just those. The finalize job runs after all of them succeed (Slurm cancels it when \
            one fails), so SQLite never sees concurrent writers across nodes. With --submit the job ids are \
            printed and recorded in the catalog, and a finalize job of an earlier submission still waiting is \
            cancelled first.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The stage to run on the cluster.")
    var stage: String

    @Option(help: "Task count; must equal the stage's `tasks:`.")
    var tasks: Int?

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Time limit per array element, as sbatch takes it.")
    var time: String = "04:00:00"

    @Option(help: "CPUs per array element.")
    var cpus: Int = 2

    @Option(help: "Memory per array element, as sbatch takes it.")
    var mem: String = "8G"

    @Option(help: "At most this many array elements run at once.")
    var maxParallel: Int?

    @Option(help: "The pipe executable the compute nodes run (default: the absolute path of this one).")
    var pipeBin: String?

    @Flag(help: "Submit with sbatch after writing the scripts.")
    var submit = false

    func validate() throws {
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1") }
        if cpus < 1 { throw ValidationError("--cpus must be at least 1") }
    }

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            guard let spec = pipelines.stages[stage] else { throw PipeError("slurm.unknown_stage", "no stage named '\(stage)'") }
            if let tasks, tasks != spec.tasks {
                throw PipeError("build.tasks_mismatch", "--tasks \(tasks) differs from tasks: \(spec.tasks) of stage '\(stage)'")
            }
            let workspace = Workspace(root: absolute(global.workspace))
            try workspace.create()
            // Recording the submission writes the catalog, so a submitting run is a catalog writer.
            let lock = submit ? try WorkspaceLock(workspace: workspace, command: "pipe slurm \(stage) --submit", wait: false) : nil
            defer { lock?.release() }
            let catalog = try Catalog(workspace: workspace)
            let runner = StageRunner(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: StageKinds.catalog,
                                     options: BuildOptions(), progress: global.progress)
            let state = try runner.distributedState(of: stage)
            if state.complete {
                global.progress.note("\(stage): up to date (run \(state.runID)); nothing to submit")
                return
            }
            let scripts = SlurmScripts(
                stage: stage, tasks: spec.tasks, pending: state.pending, executable: pipeBin.map(absolute) ?? Self.executablePath(),
                directory: FileManager.default.currentDirectoryPath, workspace: workspace.root,
                pipelines: try PipelineSet.defaultPaths(explicit: global.pipeline).map(absolute),
                partition: partition, time: time, cpus: cpus, memory: mem, maxParallel: maxParallel)
            let folder = workspace.root + "/slurm/" + stage
            try FileSystem.makeDirectory(folder)
            try FileSystem.writeAtomically(Array(scripts.array.utf8), to: folder + "/array.sbatch")
            try FileSystem.writeAtomically(Array(scripts.finalize.utf8), to: folder + "/finalize.sbatch")
            try FileSystem.writeAtomically(Array(scripts.submitScript.utf8), to: folder + "/submit.sh")
            chmod(folder + "/submit.sh", 0o755)
            FileHandleOutput.standardOutput(folder + "\n")
            global.progress.note("\(stage): run \(state.runID), \(state.done.count)/\(spec.tasks) tasks done; array \(state.pending.isEmpty ? "(none)" : scripts.arraySpec)")
            guard submit else { return }
            if let previous = try catalog.latestSlurmJobs(runID: state.runID),
                !SlurmClient.states(of: previous.finalizeJob).isEmpty
            {
                // A finalize job waiting on an array that failed never starts: cancel it before submitting anew.
                SlurmClient.cancel(previous.finalizeJob)
                global.progress.note("\(stage): cancelled finalize job \(previous.finalizeJob) of the earlier submission")
            }
            var arrayJob: String?
            var finalizeOptions: [String] = []
            if !state.pending.isEmpty {
                let id = try SlurmClient.submit(folder + "/array.sbatch")
                arrayJob = id
                finalizeOptions = ["--dependency=afterok:\(id)", "--kill-on-invalid-dep=yes"]
            }
            let finalizeJob = try SlurmClient.submit(folder + "/finalize.sbatch", options: finalizeOptions)
            try catalog.recordSlurmJobs(SlurmJobsRow(runID: state.runID, stage: stage, arrayJob: arrayJob,
                                                     finalizeJob: finalizeJob, tasks: scripts.arraySpec))
            let arrayText = arrayJob.map { "array job \($0) (tasks \(scripts.arraySpec))" } ?? "no array job (every task done)"
            global.progress.note("\(stage): submitted \(arrayText), finalize job \(finalizeJob)",
                                 fields: ["array_job": arrayJob.map { .string($0) } ?? .null,
                                          "finalize_job": .string(finalizeJob), "tasks": .string(scripts.arraySpec)])
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The absolute path of the running executable, so that scripts work where `pipe` is not on `PATH`.
    static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        let argument = CommandLine.arguments.first ?? "pipe"
        return argument.hasPrefix("/") ? argument : FileManager.default.currentDirectoryPath + "/" + argument
    }
}

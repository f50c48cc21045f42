import StageKit
import Engine
import ArgumentParser

/// What Slurm is doing with a stage's current run: its latest submission and the state of every task, from the
/// completion files the elements wrote (before `pipe finalize` merged them) and from `squeue`.
struct SlurmRunStatus {
    var jobs: SlurmJobsRow
    var done: [Int]
    var running: [Int]
    var pending: [Int]
    var failed: [Int]
    var finalizeState: String

    var text: String {
        func list(_ tasks: [Int]) -> String { tasks.isEmpty ? "none" : tasks.map(String.init).joined(separator: ",") }
        let array = jobs.arrayJob.map { "array job \($0) (tasks \(jobs.tasks))" } ?? "no array job"
        return "slurm: \(array), finalize job \(jobs.finalizeJob) \(finalizeState); tasks done \(list(done)), running \(list(running)), waiting \(list(pending)), failed \(list(failed))"
    }

    var json: JSONValue {
        [
            "array_job": jobs.arrayJob.map { .string($0) } ?? .null, "finalize_job": .string(jobs.finalizeJob),
            "finalize_state": .string(finalizeState), "done": .array(done.map { .integer(Int64($0)) }),
            "running": .array(running.map { .integer(Int64($0)) }), "pending": .array(pending.map { .integer(Int64($0)) }),
            "failed": .array(failed.map { .integer(Int64($0)) }),
        ]
    }
}

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
                var entry = status.json
                out += status.text + "\n"
                if let slurm = try Self.slurmStatus(of: name, runner: runner, catalog: catalog) {
                    out += "  " + slurm.text + "\n"
                    if case .object(var members) = entry {
                        members["slurm"] = slurm.json
                        entry = .object(members)
                    }
                }
                entries.append(entry)
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

    /// The Slurm side of a stage's current run, when it was submitted with `pipe slurm --submit`.
    static func slurmStatus(of name: String, runner: StageRunner, catalog: Catalog) throws -> SlurmRunStatus? {
        guard let state = try? runner.distributedState(of: name), let jobs = try catalog.latestSlurmJobs(runID: state.runID)
        else { return nil }
        let elements = jobs.arrayJob.map { SlurmClient.states(of: $0) } ?? [:]
        var status = SlurmRunStatus(jobs: jobs, done: [], running: [], pending: [], failed: [], finalizeState: "")
        for task in 0..<state.tasks {
            if state.done.contains(task) {
                status.done.append(task)
            } else if let element = elements[task] {
                if element == "RUNNING" || element == "COMPLETING" { status.running.append(task) } else { status.pending.append(task) }
            } else if jobs.arrayJob != nil {
                // Submitted, no longer queued and no completion file: the element failed (or was cancelled).
                status.failed.append(task)
            } else {
                status.pending.append(task)
            }
        }
        let finalize = SlurmClient.states(of: jobs.finalizeJob).values.first
        status.finalizeState = state.complete ? "done" : (finalize.map { $0.lowercased() } ?? "gone (run pipe slurm --submit again)")
        return status
    }
}

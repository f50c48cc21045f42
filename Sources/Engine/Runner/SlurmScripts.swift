
/// The sbatch scripts of a stage: an array job with one element per pending task, and a finalize job.
///
/// Every command line puts pipe's options after the subcommand (the command parser refuses them before it) and
/// names the `pipe` executable by absolute path, since a compute node's `PATH` may not have it.
public struct SlurmScripts: Sendable {
    public var stage: String
    public var tasks: Int
    /// The tasks the array runs: those without a completion file.
    public var pending: [Int]
    public var executable: String
    public var directory: String
    public var workspace: String
    public var pipelines: [String]
    public var partition: String?
    public var time: String
    public var cpus: Int
    public var memory: String
    /// At most this many elements run at once (`%K`).
    public var maxParallel: Int?

    public init(stage: String, tasks: Int, pending: [Int], executable: String, directory: String, workspace: String,
                pipelines: [String], partition: String?, time: String, cpus: Int, memory: String, maxParallel: Int?) {
        self.stage = stage
        self.tasks = tasks
        self.pending = pending
        self.executable = executable
        self.directory = directory
        self.workspace = workspace
        self.pipelines = pipelines
        self.partition = partition
        self.time = time
        self.cpus = cpus
        self.memory = memory
        self.maxParallel = maxParallel
    }

    /// Single-quotes a word for the shell.
    static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The options every command of the job takes, after its subcommand.
    private var globalArguments: [String] {
        ["--workspace", workspace] + pipelines.flatMap { ["--pipeline", $0] }
    }

    /// What an array element runs (after the executable), with the task number as the shell variable.
    public var buildArguments: [String] {
        ["build", stage] + globalArguments
            + ["--tasks", String(tasks), "--rank", "$SLURM_ARRAY_TASK_ID", "--no-catalog", "--quiet"]
    }

    /// What the finalize job runs (after the executable).
    public var finalizeArguments: [String] {
        ["finalize", stage] + globalArguments + ["--wait"]
    }

    /// `--array`'s value: the pending tasks as ranges (`0-3,5,7-9`), with `%K` when parallelism is capped.
    public var arraySpec: String {
        var parts: [String] = []
        var index = 0
        let sorted = pending.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? String(sorted[index]) : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",") + (maxParallel.map { "%\($0)" } ?? "")
    }

    private func commandLine(_ arguments: [String]) -> String {
        ([executable] + arguments).map { $0 == "$SLURM_ARRAY_TASK_ID" ? "\"$SLURM_ARRAY_TASK_ID\"" : Self.quote($0) }
            .joined(separator: " ")
    }

    private func header(name: String, extra: [String]) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --chdir=\(directory)",
                     "#SBATCH --output=\(workspace)/slurm/\(stage)/%x-%A_%a.out"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        return (lines + extra).joined(separator: "\n") + "\nset -euo pipefail\n"
    }

    /// One element per pending task; a rerun (or a requeue after preemption) resumes, since finished tasks have
    /// completion files.
    public var array: String {
        header(name: "pipe-\(stage)", extra: [
            "#SBATCH --array=\(arraySpec)", "#SBATCH --time=\(time)", "#SBATCH --cpus-per-task=\(cpus)",
            "#SBATCH --mem=\(memory)", "#SBATCH --requeue",
        ]) + commandLine(buildArguments) + "\n"
    }

    /// The reduce phase and the merge into the catalog, after every element succeeded.
    public var finalize: String {
        header(name: "pipe-\(stage)-finalize", extra: ["#SBATCH --time=\(time)", "#SBATCH --cpus-per-task=\(cpus)",
                                                          "#SBATCH --mem=\(memory)"])
            + commandLine(finalizeArguments) + "\n"
    }

    /// Submits the array, then the finalize job depending on it; the finalize job is cancelled by Slurm if an
    /// element fails (it would otherwise stay pending forever).
    public var submitScript: String {
        let array = pending.isEmpty ? "" : "array=$(sbatch --parsable array.sbatch)\n"
        let dependency = pending.isEmpty ? "" : " --dependency=afterok:\"${array%%;*}\" --kill-on-invalid-dep=yes"
        return """
            #!/bin/sh
            set -eu
            cd "$(dirname "$0")"
            \(array)sbatch --parsable\(dependency) finalize.sbatch

            """
    }
}

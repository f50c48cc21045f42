import StageKit
import Readers
import JSONSchema
import Storage
/// The sbatch scripts of a stage: an array job with one element per task and a finalize job.
public struct SlurmScripts: Sendable {
    public var stage: String
    public var tasks: Int
    public var executable: String
    public var directory: String
    public var workspace: String
    public var pipelines: [String]
    public var partition: String?
    public var time: String
    public var cpus: Int
    public var memory: String

    public init(stage: String, tasks: Int, executable: String, directory: String, workspace: String,
                pipelines: [String], partition: String?, time: String, cpus: Int, memory: String) {
        self.stage = stage
        self.tasks = tasks
        self.executable = executable
        self.directory = directory
        self.workspace = workspace
        self.pipelines = pipelines
        self.partition = partition
        self.time = time
        self.cpus = cpus
        self.memory = memory
    }

    /// Single-quotes a word for the shell.
    static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    private var common: String {
        ([Self.quote(executable)] + ["--workspace", Self.quote(workspace)]
            + pipelines.flatMap { ["--pipeline", Self.quote($0)] }).joined(separator: " ")
    }

    private func header(name: String, extra: [String]) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --chdir=\(directory)",
                     "#SBATCH --output=\(workspace)/slurm/\(stage)/%x-%A_%a.out"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        return (lines + extra).joined(separator: "\n") + "\nset -euo pipefail\n"
    }

    /// One array element per task; a rerun resumes, since finished tasks have completion files.
    public var array: String {
        header(name: "pipe-\(stage)", extra: [
            "#SBATCH --array=0-\(tasks - 1)", "#SBATCH --time=\(time)", "#SBATCH --cpus-per-task=\(cpus)",
            "#SBATCH --mem=\(memory)",
        ]) + "\(common) build \(Self.quote(stage)) --tasks \(tasks) --rank \"$SLURM_ARRAY_TASK_ID\" --no-catalog --quiet\n"
    }

    /// The reduce phase and the merge into the catalog, after every element succeeded.
    public var finalize: String {
        header(name: "pipe-\(stage)-finalize", extra: ["#SBATCH --time=\(time)", "#SBATCH --cpus-per-task=\(cpus)",
                                                          "#SBATCH --mem=\(memory)"])
            + "\(common) finalize \(Self.quote(stage)) --wait\n"
    }

    /// Submits the array, then the finalize job depending on it.
    public var submitScript: String {
        """
        #!/bin/sh
        set -eu
        cd "$(dirname "$0")"
        array=$(sbatch --parsable array.sbatch)
        sbatch --dependency=afterok:"${array%%;*}" finalize.sbatch

        """
    }
}

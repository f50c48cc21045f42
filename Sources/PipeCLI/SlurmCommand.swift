import StageKit
import Readers
import JSONSchema
import Storage
import Engine
import Exporting
import RecordsImport
import ArgumentParser
import Foundation

/// `pipe slurm`: writes (and optionally submits) an sbatch array job running one task per element
/// with `--no-catalog`, plus a dependent job running `pipe finalize`.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write an sbatch array job for a stage's tasks and a dependent finalize job.",
        discussion: """
            Writes <workspace>/slurm/<stage>/array.sbatch, finalize.sbatch and submit.sh. Each array element \
            runs `pipe build <stage> --tasks N --rank $SLURM_ARRAY_TASK_ID --no-catalog`; the finalize job runs \
            after all of them succeed, so SQLite never sees concurrent writers across nodes.
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

    @Flag(help: "Submit with sbatch after writing the scripts.")
    var submit = false

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            guard let spec = pipelines.stages[stage] else { throw PipeError("slurm.unknown_stage", "no stage named '\(stage)'") }
            if let tasks, tasks != spec.tasks {
                throw PipeError("build.tasks_mismatch", "--tasks \(tasks) differs from tasks: \(spec.tasks) of stage '\(stage)'")
            }
            let scripts = SlurmScripts(
                stage: stage, tasks: spec.tasks, executable: Self.executablePath(),
                directory: FileManager.default.currentDirectoryPath, workspace: absolute(global.workspace),
                pipelines: try PipelineSet.defaultPaths(explicit: global.pipeline).map(absolute),
                partition: partition, time: time, cpus: cpus, memory: mem)
            let folder = absolute(global.workspace) + "/slurm/" + stage
            try FileSystem.makeDirectory(folder)
            try FileSystem.writeAtomically(Array(scripts.array.utf8), to: folder + "/array.sbatch")
            try FileSystem.writeAtomically(Array(scripts.finalize.utf8), to: folder + "/finalize.sbatch")
            try FileSystem.writeAtomically(Array(scripts.submitScript.utf8), to: folder + "/submit.sh")
            chmod(folder + "/submit.sh", 0o755)
            FileHandleOutput.standardOutput(folder + "\n")
            if submit {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = [folder + "/submit.sh"]
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus != 0 {
                    throw PipeError("slurm.submit", "submit.sh failed with status \(process.terminationStatus)")
                }
            }
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func executablePath() -> String {
        let argument = CommandLine.arguments.first ?? "pipe"
        if argument.contains("/") {
            return argument.hasPrefix("/") ? argument : FileManager.default.currentDirectoryPath + "/" + argument
        }
        return argument
    }
}

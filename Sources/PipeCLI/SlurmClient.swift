import Foundation
import StageKit

/// Talks to Slurm through its commands (`sbatch`, `squeue`, `scancel`), which read `SLURM_CONF` like any user's.
enum SlurmClient {
    /// The output and exit status of a Slurm command.
    static func run(_ command: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw PipeError("slurm.command", "cannot run \(command): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Submits a script; returns the job id (`sbatch --parsable` prints `id` or `id;cluster`).
    static func submit(_ script: String, options: [String] = []) throws -> String {
        let result = try run("sbatch", ["--parsable"] + options + [script])
        guard result.status == 0, let id = result.output.split(separator: "\n").last?.split(separator: ";").first,
            !id.isEmpty, id.allSatisfy(\.isNumber)
        else {
            throw PipeError("slurm.submit", "sbatch \(script) failed (status \(result.status)): \(result.output)")
        }
        return String(id)
    }

    /// The state of each element of a job still known to the controller (`PENDING`, `RUNNING`, ...), by array
    /// task id (nil for a job that is not an array); empty when the job is gone or squeue cannot say.
    static func states(of job: String) -> [Int?: String] {
        guard let result = try? run("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"]), result.status == 0 else { return [:] }
        var states: [Int?: String] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            states[Int(fields[0])] = String(fields[1])
        }
        return states
    }

    /// Cancels a job; a job already gone is fine.
    static func cancel(_ job: String) {
        _ = try? run("scancel", [job])
    }
}

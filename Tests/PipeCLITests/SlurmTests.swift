import ArgumentParser
import Engine
import Foundation
@testable import PipeCLI
import XCTest

/// `pipe slurm` scripts and `pipe finalize`, without a Slurm cluster (`make test-slurm` runs a real one).
final class SlurmTests: XCTestCase {
    /// The words of a shell command line: single quotes as the scripts write them, and the array task variable.
    private func words(_ line: String, rank: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var inWord = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "'" { quoted = false } else { current.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if line[index...].hasPrefix("\"$SLURM_ARRAY_TASK_ID\"") {
                current += rank
                inWord = true
                index = line.index(index, offsetBy: "\"$SLURM_ARRAY_TASK_ID\"".count)
                continue
            } else if character == "\\" {
                // The sequence '\\'' closes a quote, writes a quote and opens one again.
                index = line.index(after: index)
                if index < line.endIndex { current.append(line[index]) }
            } else {
                current.append(character)
                inWord = true
            }
            index = line.index(after: index)
        }
        if inWord { words.append(current) }
        return words
    }

    func testEveryGeneratedCommandLineParsesWithTheRealParser() throws {
        let scripts = SlurmScripts(
            stage: "it's-a-stage", tasks: 8, pending: [1, 2, 3, 5, 7], executable: "/opt/pipe tools/bin/pipe",
            directory: "/work/project", workspace: "/work/project/pipe-work",
            pipelines: ["/work/project/Pipelines/a.yaml", "/work/project/Pipelines/b c.yaml"],
            partition: "cpu", time: "01:00:00", cpus: 2, memory: "4G", maxParallel: 3)
        XCTAssertTrue(scripts.array.contains("#SBATCH --array=1-3,5,7%3\n"), scripts.array)
        XCTAssertTrue(scripts.array.contains("#SBATCH --requeue\n"), scripts.array)
        XCTAssertTrue(scripts.array.contains("#SBATCH --partition=cpu\n"), scripts.array)
        XCTAssertTrue(scripts.submitScript.contains("--kill-on-invalid-dep=yes"), scripts.submitScript)
        for (script, subcommand) in [(scripts.array, "build"), (scripts.finalize, "finalize")] {
            let line = try XCTUnwrap(script.split(separator: "\n").last.map(String.init))
            let arguments = words(line, rank: "5")
            XCTAssertEqual(arguments.first, "/opt/pipe tools/bin/pipe", "the executable is named by its absolute path")
            XCTAssertEqual(arguments.dropFirst().first, subcommand, "options come after the subcommand")
            let command = try PipeCommand.parseAsRoot(Array(arguments.dropFirst()))
            if let build = command as? BuildCommand {
                XCTAssertEqual(build.stage, "it's-a-stage")
                XCTAssertEqual(build.rank, 5)
                XCTAssertEqual(build.tasks, 8)
                XCTAssertTrue(build.noCatalog)
                XCTAssertEqual(build.global.workspace, "/work/project/pipe-work")
                XCTAssertEqual(build.global.pipeline, ["/work/project/Pipelines/a.yaml", "/work/project/Pipelines/b c.yaml"])
            } else if let finalize = command as? FinalizeCommand {
                XCTAssertEqual(finalize.stage, "it's-a-stage")
                XCTAssertTrue(finalize.wait)
                XCTAssertEqual(finalize.global.pipeline.count, 2)
            } else {
                XCTFail("\(subcommand) parsed as \(type(of: command))")
            }
        }
        XCTAssertEqual(SlurmScripts(stage: "s", tasks: 4, pending: [0, 1, 2, 3], executable: "/p", directory: "/", workspace: "/w",
                                    pipelines: [], partition: nil, time: "1", cpus: 1, memory: "1G", maxParallel: nil).arraySpec,
                       "0-3")
    }

    func testTheArrayListsOnlyTheTasksStillToRun() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        for rank in [0, 3, 4, 5, 6] {
            XCTAssertEqual(try PipeProcess.run(["build", "demo-import", "--tasks", "8", "--rank", "\(rank)", "--no-catalog"],
                                               in: scratch.root).status, 0)
        }
        let result = try PipeProcess.run(["slurm", "demo-import", "--tasks", "8", "--max-parallel", "2"], in: scratch.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let array = try String(contentsOf: scratch.url("pipe-work/slurm/demo-import/array.sbatch"), encoding: .utf8)
        XCTAssertTrue(array.contains("#SBATCH --array=1-2,7%2\n"), array)
        XCTAssertTrue(array.contains("'\(PipeProcess.binary)' 'build' 'demo-import'"), "the absolute path of this pipe: \(array)")
        XCTAssertEqual(try PipeProcess.run(["slurm", "demo-import", "--tasks", "4"], in: scratch.root).status, 1)
    }

    func testFinalizeRefusesMissingOrDamagedTaskFilesAndLeavesTheCatalogAlone() throws {
        let scratch = try Scratch()
        try scratch.copyDemo(tasks: 4)
        for rank in 0..<4 {
            XCTAssertEqual(try PipeProcess.run(["build", "demo-import", "--tasks", "4", "--rank", "\(rank)", "--no-catalog"],
                                               in: scratch.root).status, 0)
        }
        // A catalog exists (an earlier, unrelated build), so "unchanged" is something to check.
        XCTAssertEqual(try PipeProcess.run(["status"], in: scratch.root).status, 0)
        let catalog = try Catalog(workspace: Workspace(root: scratch.url("pipe-work").path))
        let before = try catalog.runs()
        let runs = scratch.url("pipe-work/runs/demo-import")
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let folder = runs.appendingPathComponent(run)
        // Task 1's shard cut in half, task 2's deleted.
        let one = folder.appendingPathComponent("map/main/part-00001.jsonl.zst")
        let data = try Data(contentsOf: one)
        try data.prefix(data.count / 2).write(to: one)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("map/main/part-00002.jsonl.zst"))
        let finalize = try PipeProcess.run(["finalize", "demo-import"], in: scratch.root)
        XCTAssertEqual(finalize.status, 1)
        XCTAssertTrue(finalize.stderr.contains("error: task 1: map/main/part-00001.jsonl.zst has "), finalize.stderr)
        XCTAssertTrue(finalize.stderr.contains("error: task 2: map/main/part-00002.jsonl.zst is missing [finalize.corrupt]"),
                      finalize.stderr)
        XCTAssertEqual(try catalog.runs(), before, "the catalog is unchanged")
        // Rerunning the damaged tasks (their completion files removed) repairs the run.
        for task in [1, 2] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent("tasks/task-0000\(task).json"))
            XCTAssertEqual(try PipeProcess.run(["build", "demo-import", "--tasks", "4", "--rank", "\(task)", "--no-catalog"],
                                               in: scratch.root).status, 0)
        }
        let repaired = try PipeProcess.run(["finalize", "demo-import", "--strict"], in: scratch.root)
        XCTAssertEqual(repaired.status, 1, "the demo data has error rejects, and --strict applies to finalize")
        XCTAssertTrue(repaired.stderr.contains("[build.strict]"), repaired.stderr)
        XCTAssertEqual(try PipeProcess.run(["finalize", "demo-import"], in: scratch.root).status, 0)
    }
}

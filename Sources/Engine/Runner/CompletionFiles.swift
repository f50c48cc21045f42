import StageKit
import Foundation

/// Per-task completion files (`tasks/task-00003.json`) of `--no-catalog` runs, merged into the
/// catalog by `pipe finalize`: the file is written only after the task's shards are in place.
struct CompletionFiles {
    let runDirectory: String

    var folder: String { runDirectory + "/tasks" }

    func path(task: Int) -> String { folder + "/task-\(StreamPart.pad(task)).json" }

    func write(_ completion: TaskCompletion) throws {
        try FileSystem.makeDirectory(folder)
        let bytes: [UInt8]
        do {
            bytes = try CanonicalJSON.encode(completion)
        } catch {
            throw PipeError("completion.encode", "cannot encode the completion of task \(completion.task): \(error)")
        }
        try FileSystem.writeAtomically(bytes, to: path(task: completion.task))
    }

    /// Tasks with a completion file.
    func done() -> Set<Int> {
        Set(FileSystem.list(folder).compactMap { name -> Int? in
            guard name.hasPrefix("task-"), name.hasSuffix(".json") else { return nil }
            return Int(name.dropFirst(5).dropLast(5))
        })
    }

    func read() throws -> [TaskCompletion] {
        try done().sorted().map { task in
            let file = path(task: task)
            do {
                return try JSONDecoder().decode(TaskCompletion.self, from: Data(FileSystem.read(file)))
            } catch let error as PipeError {
                throw error
            } catch {
                throw PipeError("completion.decode", "cannot read completion file: \(error)", at: SourceLocation(file: file))
            }
        }
    }
}

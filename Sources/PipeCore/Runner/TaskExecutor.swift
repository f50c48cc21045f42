import Foundation

/// Writes a task's (or the reduce phase's) rejects and counts them by class and code.
final class RejectWriter {
    private let writer: ShardWriter
    private let path: String
    private let stage: String
    private let task: Int?
    private let lock = NSLock()
    private(set) var counts: [RejectKey: Int64] = [:]
    private(set) var samples: [String] = []
    private(set) var errorCount: Int64 = 0
    private(set) var droppedCount: Int64 = 0
    static let maxSamples = 5

    init(path: String, stage: String, task: Int?) throws {
        try FileSystem.makeDirectory((path as NSString).deletingLastPathComponent)
        writer = try ShardWriter(path: path, compression: .zstd)
        self.path = path
        self.stage = stage
        self.task = task
    }

    func write(_ reject: Reject) throws {
        lock.lock()
        defer { lock.unlock() }
        try writer.write(line: JSONWriter.compact(reject.record(stage: stage, task: task)))
        counts[RejectKey(reject.rejectClass.rawValue, reject.code), default: 0] += 1
        switch reject.rejectClass {
        case .error: errorCount += 1
        case .dropped: droppedCount += 1
        }
        if samples.count < Self.maxSamples && reject.rejectClass == .error {
            var where_ = reject.locator
            if let line = reject.line { where_ += ":\(line)" }
            if let offset = reject.offset { where_ += " (offset \(offset))" }
            samples.append("\(where_): \(reject.rejectClass.rawValue): \(reject.reason) [\(reject.code)]")
        }
    }

    /// Renames the rejects file into place when it holds any reject; an empty one is discarded.
    func commit(runDirectory: String) throws -> ArtifactRow? {
        guard errorCount + droppedCount > 0 else {
            writer.abandon()
            return nil
        }
        let info = try writer.commit()
        return ArtifactRow(path: String(path.dropFirst(runDirectory.count + 1)), role: "rejects", stream: "rejects",
                           sha256: info.sha256, bytes: info.bytes, records: errorCount + droppedCount)
    }

    func abandon() { writer.abandon() }

    /// Counts as stats JSON: `{"error": {code: n}, "dropped": {...}}`.
    var statsJSON: JSONValue {
        var table: [String: [String: JSONValue]] = [:]
        for (key, count) in counts { table[key.rejectClass, default: [:]][key.code] = .integer(count) }
        return .object(table.mapValues { .object($0) })
    }
}

/// What happened to one task.
struct TaskOutcome {
    var task: Int
    var error: PipeError?
    var samples: [String]
}

/// Runs the map phase of a stage's pending tasks on a pool of worker threads as wide as the cores.
struct TaskExecutor {
    let plan: StageRunner.Plan
    let runDirectory: String
    let strict: Bool
    let progress: ProgressReporter

    var mapPrefix: String { plan.stage.hasReduce ? "map/" : "" }

    func run(tasks: [Int], catalog: Catalog) -> [TaskOutcome] {
        let collected = OutcomeCollector()
        DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
            let task = tasks[index]
            let outcome: TaskOutcome
            do {
                outcome = try runTask(task, catalog: catalog)
            } catch let error as PipeError {
                outcome = TaskOutcome(task: task, error: error, samples: [])
            } catch {
                outcome = TaskOutcome(task: task, error: PipeError("task.failed", "task \(task) failed: \(error)"), samples: [])
            }
            progress.taskDone()
            collected.add(outcome)
        }
        return collected.outcomes.sorted { $0.task < $1.task }
    }

    /// Removes what an interrupted attempt of this task left: its temporary and unrecorded files.
    func cleanLeftovers(task: Int) throws {
        let suffix = "part-\(StreamPart.pad(task))."
        let folders = plan.stage.streams.map { runDirectory + "/" + mapPrefix + $0.name } + [runDirectory + "/rejects"]
        for folder in folders {
            for name in FileSystem.list(folder) where name.contains(suffix) || name.contains("task-\(StreamPart.pad(task))") {
                try FileSystem.remove(folder + "/" + name)
            }
        }
        try FileSystem.remove(runDirectory + "/tmp/task-\(StreamPart.pad(task))")
    }

    func ownedItems(task: Int) throws -> [InputItem] {
        let count = plan.spec.tasks
        var items: [InputItem] = []
        for file in plan.files where StableHash.owner(ofLocator: file.locator, taskCount: count) == task {
            items.append(InputItem(locator: file.locator, repo: file.repo, source: .file(path: file.absolutePath)))
        }
        return items
    }

    func runTask(_ task: Int, catalog: Catalog) throws -> TaskOutcome {
        try cleanLeftovers(task: task)
        let temporary = runDirectory + "/tmp/task-\(StreamPart.pad(task))"
        defer { try? FileSystem.remove(temporary) }
        let rejects = try RejectWriter(path: runDirectory + "/rejects/task-\(StreamPart.pad(task)).jsonl.zst",
                                       stage: plan.spec.name, task: task)
        let output = MapOutput(streams: plan.stage.streams, temporaryDirectory: temporary) { try rejects.write($0) }
        var reported: Int64 = 0
        func process(_ item: InputItem) throws {
            output.locator = item.locator
            do {
                try plan.stage.map(item, into: output)
            } catch let error as PipeError {
                try output.reject(.error, code: error.code, reason: error.message, line: error.location?.line)
            }
            let total = output.recordCounts.values.reduce(0, +)
            progress.add(records: total - reported)
            reported = total
        }
        for item in try ownedItems(task: task) { try process(item) }
        for upstream in plan.upstream {
            try upstream.forEachItem { item in
                if StableHash.owner(ofLocator: item.locator, taskCount: plan.spec.tasks) == task { try process(item) }
            }
        }
        if strict && rejects.errorCount > 0 {
            rejects.abandon()
            return TaskOutcome(
                task: task,
                error: PipeError("build.strict", "task \(task) of stage '\(plan.spec.name)' had \(rejects.errorCount) error reject(s) and --strict is set; it was not completed"),
                samples: rejects.samples)
        }
        var files: [ArtifactRow] = []
        var writers: [StreamPartWriter] = []
        do {
            for stream in plan.stage.streams {
                let writer = try StreamPartWriter(runDirectory: runDirectory,
                                                  part: StreamPart(prefix: mapPrefix, stream: stream.name, index: task),
                                                  stream: stream.name)
                writers.append(writer)
                try output.drain(stream: stream.name) { key, bytes in try writer.write(key: key, bytes: bytes) }
            }
            for writer in writers { files += try writer.commit() }
            if let info = try rejects.commit(runDirectory: runDirectory) { files.append(info) }
        } catch {
            for writer in writers { writer.abandon() }
            rejects.abandon()
            throw error
        }
        let stats: JSONValue = [
            "records": .object(output.recordCounts.mapValues { .integer($0) }),
            "rejects": rejects.statsJSON,
        ]
        try catalog.completeTask(TaskCompletion(
            runID: plan.key.runID, task: task, records: output.recordCounts.values.reduce(0, +),
            rejectsError: rejects.errorCount, rejectsDropped: rejects.droppedCount,
            stats: JSONWriter.compactString(stats), files: files))
        return TaskOutcome(task: task, error: nil, samples: rejects.samples)
    }
}

/// Collects task outcomes from worker threads.
private final class OutcomeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [TaskOutcome] = []

    func add(_ outcome: TaskOutcome) {
        lock.lock()
        stored.append(outcome)
        lock.unlock()
    }

    var outcomes: [TaskOutcome] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

import StageKit
import Storage
import Foundation

/// Writes a task's (or the reduce phase's) rejects and counts them by class and code.
final class RejectWriter {
    private let writer: ShardWriter
    private let path: String
    private let stage: String
    private let task: Int?
    private let lock = NSLock()
    private(set) var counts: [RejectKey: Int64] = [:]
    private(set) var samples: [Reject] = []
    private(set) var errorCount: Int64 = 0
    private(set) var droppedCount: Int64 = 0
    static let maxSamples = 5

    init(path: String, stage: String, task: Int?, level: Int) throws {
        try FileSystem.makeDirectory((path as NSString).deletingLastPathComponent)
        writer = try ShardWriter(path: path, compression: .zstd, level: level)
        self.path = path
        self.stage = stage
        self.task = task
    }

    func write(_ reject: Reject) throws {
        lock.lock()
        defer { lock.unlock() }
        try writer.write(line: CanonicalJSON.encode(reject.record(stage: stage, task: task)))
        counts[RejectKey(reject.rejectClass, reject.code), default: 0] += 1
        switch reject.rejectClass {
        case .error: errorCount += 1
        case .dropped: droppedCount += 1
        }
        if samples.count < Self.maxSamples && reject.rejectClass == .error { samples.append(reject) }
    }

    /// Renames the rejects file into place when it holds any reject; an empty one is discarded.
    func commit(runDirectory: String) throws -> ArtifactRow? {
        guard errorCount + droppedCount > 0 else {
            writer.abandon()
            return nil
        }
        let info = try writer.commit()
        return ArtifactRow(path: String(path.dropFirst(runDirectory.count + 1)), role: .rejects, stream: "rejects",
                           sha256: info.sha256, bytes: info.bytes, records: errorCount + droppedCount)
    }

    func abandon() { writer.abandon() }

    /// Counts as stats JSON: `{"error": {code: n}, "dropped": {...}}`.
    var statsJSON: JSONValue {
        var table: [String: [String: JSONValue]] = [:]
        for (key, count) in counts { table[key.rejectClass.rawValue, default: [:]][key.code] = .integer(count) }
        return .object(table.mapValues { .object($0) })
    }
}

/// What happened to one task.
struct TaskOutcome {
    var task: Int
    var error: PipeError?
    var samples: [Reject]
}

/// The state of one running task: its output and rejects; only its own scheduler queue touches it.
final class TaskState: @unchecked Sendable {
    let task: Int
    let output: MapOutput
    let rejects: RejectWriter
    let temporary: String
    /// The first failure that is not a reject (a full disk, a stage bug); later items are skipped.
    var failure: PipeError?
    var reported: Int64 = 0
    /// Items still to process when the task's items are all known up front (plain files): the task
    /// then finishes as soon as its last item is done, so a crash later keeps it.
    var remaining: Int?
    var outcome: TaskOutcome?

    init(task: Int, output: MapOutput, rejects: RejectWriter, temporary: String) {
        self.task = task
        self.output = output
        self.rejects = rejects
        self.temporary = temporary
    }
}

/// Bounds the bytes of input read ahead of the workers, so memory stays flat however large the input.
final class ByteBudget: @unchecked Sendable {
    private let condition = NSCondition()
    private let limit: Int
    private var used = 0

    init(limit: Int) { self.limit = limit }

    func acquire(_ bytes: Int) {
        condition.lock()
        // A single item larger than the budget still goes through, alone.
        while used > 0 && used + bytes > limit { condition.wait() }
        used += bytes
        condition.unlock()
    }

    func release(_ bytes: Int) {
        condition.lock()
        used -= bytes
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs the map phase of a stage's pending tasks.
///
/// One reader walks every input item once, in a fixed order (files by locator, archive entries in
/// archive order, upstream records by id), and hands each item to the task that owns it on a
/// `TaskScheduler`, whose workers are as many as the cores. Items of one task are thus processed in the
/// same order on every run, whatever the scheduling, and an archive is decompressed once.
struct TaskExecutor {
    let plan: StageRunner.Plan
    let runDirectory: String
    let options: BuildOptions
    let checker: RecordChecker?
    let progress: ProgressReporter
    static let readAheadBytes = 256 << 20
    /// Records buffered before sorting spills to disk, shared by every task open at once, so memory
    /// stays bounded whatever the task count.
    static let sortMemoryBytes = 384 << 20

    var mapPrefix: String { plan.reducing != nil ? "map/" : "" }

    /// Runs the tasks; `record` makes a finished task's completion durable (catalog or completion file).
    func run(tasks: [Int], record: @escaping @Sendable (TaskCompletion) throws -> Void) -> [TaskOutcome] {
        var states: [Int: TaskState] = [:]
        var outcomes: [TaskOutcome] = []
        for task in tasks {
            do {
                states[task] = try start(task, openTasks: tasks.count)
            } catch {
                outcomes.append(TaskOutcome(task: task, error: Self.pipeError(error, task: task), samples: []))
            }
        }
        let scheduler = TaskScheduler()
        let budget = ByteBudget(limit: Self.readAheadBytes)
        let owner = { (locator: String) in StableHash.owner(ofLocator: locator, taskCount: plan.spec.tasks) }
        if ItemWalker(plan: plan).itemsKnownUpFront {
            for state in states.values { state.remaining = 0 }
            for file in plan.files where file.skipped == nil { states[owner(file.locator)]?.remaining? += 1 }
        }
        do {
            try ItemWalker(plan: plan).walk(wants: { states[owner($0)] != nil }) { item, size in
                guard let state = states[owner(item.locator)] else { return }
                budget.acquire(size)
                scheduler.submit(task: state.task) {
                    defer { budget.release(size) }
                    process(item, in: state)
                    if let remaining = state.remaining {
                        state.remaining = remaining - 1
                        if remaining == 1 { state.outcome = complete(state, record: record) }
                    }
                }
            } damaged: { locator, reject in
                guard let state = states[locator.map(owner) ?? 0] else { return }
                scheduler.submit(task: state.task) {
                    state.output.locator = reject.locator
                    do { try state.output.reject(reject.rejectClass, code: reject.code, reason: reject.reason,
                                                 line: reject.line, offset: reject.offset) }
                    catch { state.failure = state.failure ?? Self.pipeError(error, task: state.task) }
                }
            }
        } catch {
            scheduler.finish()
            let failure = Self.pipeError(error, task: nil)
            for state in states.values where state.outcome == nil {
                state.rejects.abandon()
                outcomes.append(TaskOutcome(task: state.task, error: failure, samples: []))
            }
            return (outcomes + states.values.compactMap(\.outcome)).sorted { $0.task < $1.task }
        }
        scheduler.finish()
        let collected = OutcomeCollector()
        let ordered = states.values.sorted { $0.task < $1.task }
        DispatchQueue.concurrentPerform(iterations: ordered.count) { index in
            let state = ordered[index]
            collected.add(state.outcome ?? complete(state, record: record))
        }
        return (outcomes + collected.outcomes).sorted { $0.task < $1.task }
    }

    /// The bytes an item holds, for progress.
    static func size(of item: InputItem) -> Int64 {
        switch item.source {
        case .bytes(let bytes): return Int64(bytes.count)
        case .file(let path):
            var status = stat()
            return lstat(path, &status) == 0 ? Int64(status.st_size) : 0
        case .record: return 0
        }
    }

    static func pipeError(_ error: Error, task: Int?) -> PipeError {
        if let error = error as? PipeError { return error }
        let prefix = task.map { "task \($0) failed: " } ?? ""
        return PipeError("task.failed", prefix + "\(error)")
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

    func start(_ task: Int, openTasks: Int) throws -> TaskState {
        try cleanLeftovers(task: task)
        let temporary = runDirectory + "/tmp/task-\(StreamPart.pad(task))"
        let rejects = try RejectWriter(path: runDirectory + "/rejects/task-\(StreamPart.pad(task)).jsonl.zst",
                                       stage: plan.spec.name, task: task, level: options.shardLevel)
        let share = min(48 << 20, max(4 << 20, Self.sortMemoryBytes / max(openTasks, 1)))
        let output = MapOutput(streams: plan.stage.streams, temporaryDirectory: temporary, memoryLimit: share,
                               checker: checker) { try rejects.write($0) }
        return TaskState(task: task, output: output, rejects: rejects, temporary: temporary)
    }

    func process(_ item: InputItem, in state: TaskState) {
        guard state.failure == nil else { return }
        state.output.locator = item.locator
        do {
            do {
                try plan.stage.map(item, into: state.output)
            } catch let error as PipeError {
                try state.output.reject(.error, code: error.code, reason: error.message, line: error.location?.line)
            }
        } catch {
            state.failure = Self.pipeError(error, task: state.task)
        }
        let total = state.output.recordCounts.values.reduce(0, +)
        progress.add(items: 1, bytes: Self.size(of: item), records: total - state.reported)
        state.reported = total
    }

    /// Finishes a task whatever happens: its outcome says whether it was recorded as done.
    func complete(_ state: TaskState, record: (TaskCompletion) throws -> Void) -> TaskOutcome {
        let outcome: TaskOutcome
        do {
            outcome = try finish(state, record: record)
        } catch {
            state.rejects.abandon()
            outcome = TaskOutcome(task: state.task, error: Self.pipeError(error, task: state.task), samples: [])
        }
        try? FileSystem.remove(state.temporary)
        progress.taskDone()
        return outcome
    }

    func finish(_ state: TaskState, record: (TaskCompletion) throws -> Void) throws -> TaskOutcome {
        let task = state.task
        let rejects = state.rejects
        if let failure = state.failure { throw failure }
        if options.strict && rejects.errorCount > 0 {
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
                                                  stream: stream.name, level: options.shardLevel)
                writers.append(writer)
                try state.output.drain(stream: stream.name) { key, bytes in try writer.write(key: key, bytes: bytes) }
            }
            for writer in writers { files += try writer.commit() }
            if let info = try rejects.commit(runDirectory: runDirectory) { files.append(info) }
        } catch {
            for writer in writers { writer.abandon() }
            rejects.abandon()
            throw error
        }
        let stats: JSONValue = [
            "records": .object(state.output.recordCounts.mapValues { .integer($0) }),
            "rejects": rejects.statsJSON,
        ]
        try record(TaskCompletion(
            runID: plan.key.runID, task: task, records: state.output.recordCounts.values.reduce(0, +),
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

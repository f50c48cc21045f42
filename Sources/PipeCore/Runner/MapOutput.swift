import Foundation

/// Where a stage's map phase puts its records and rejects for one task.
///
/// Records are checked to carry an id, keyed by (id, item locator, line), and sorted with bounded
/// memory before they reach the task's shards.
public final class MapOutput {
    private let streams: [String: StreamSpec]
    private let sorters: [String: RecordSorter]
    private let rejectSink: (Reject) throws -> Void
    private(set) var recordCounts: [String: Int64] = [:]
    /// The item being mapped; set by the runner before each `map` call.
    public internal(set) var locator: String = ""

    init(streams: [StreamSpec], temporaryDirectory: String, memoryLimit: Int = 48 << 20,
         rejectSink: @escaping (Reject) throws -> Void) {
        var specs: [String: StreamSpec] = [:]
        var sorters: [String: RecordSorter] = [:]
        for stream in streams {
            specs[stream.name] = stream
            sorters[stream.name] = RecordSorter(temporaryDirectory: temporaryDirectory + "/" + stream.name,
                                                memoryLimit: max(1 << 20, memoryLimit / max(streams.count, 1)))
        }
        self.streams = specs
        self.sorters = sorters
        self.rejectSink = rejectSink
    }

    /// Adds a record to a stream; `line` is the record's line within the item, when it has one.
    public func emit(_ record: JSONValue, stream: String = "main", line: Int = 0) throws {
        try emit(bytes: JSONWriter.compact(record), id: RecordKey.idText(record[streams[stream]?.idField ?? "id"]),
                 stream: stream, line: line)
    }

    /// Adds a record already serialized in pipe's canonical form, with its id.
    public func emit(bytes: [UInt8], id: String?, stream: String = "main", line: Int = 0) throws {
        guard let sorter = sorters[stream], let spec = streams[stream] else {
            throw PipeError("stage.stream", "stage emitted a record on unknown stream '\(stream)'")
        }
        guard let id, !id.isEmpty else {
            try reject(.error, code: "record.no_id", reason: "record has no string or integer '\(spec.idField)' field",
                       line: line)
            return
        }
        try sorter.add(key: RecordKey(id: id, locator: locator, line: line), bytes: bytes)
        recordCounts[stream, default: 0] += 1
        CrashHook.recordWritten()
    }

    /// Records why an input (or a part of it) was not turned into a record.
    public func reject(_ rejectClass: RejectClass, code: String, reason: String, line: Int? = nil,
                       offset: Int64? = nil) throws {
        try rejectSink(Reject(rejectClass, code: code, reason: reason, locator: locator, line: line, offset: offset))
    }

    func drain(stream: String, _ body: (RecordKey, [UInt8]) throws -> Void) throws {
        try sorters[stream]?.drain(body)
    }
}

/// The test-only crash hook: with `PIPE_TEST_CRASH_AFTER=N` the process dies abruptly after N records,
/// as a killed node would, so crash-safety tests are deterministic without timed kills.
enum CrashHook {
    private static let limit: Int? = ProcessInfo.processInfo.environment["PIPE_TEST_CRASH_AFTER"].flatMap { Int($0) }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0

    static func recordWritten() {
        guard let limit else { return }
        lock.lock()
        count += 1
        let reached = count >= limit
        lock.unlock()
        if reached {
            FileHandleOutput.standardError("PIPE_TEST_CRASH_AFTER: crashing after \(limit) records\n")
            _exit(86)
        }
    }
}

/// What a stage's reduce phase works with: every task's records merged in key order, and writers
/// for the final streams, rejects and artifacts.
public final class ReduceContext {
    let runDirectory: String
    let mapParts: [String: [StreamPart]]
    private var writers: [String: ReduceStreamWriter] = [:]
    private let writersLock = NSLock()
    private let rejectSink: (Reject) throws -> Void
    /// Folder for the run's artifacts (plans, plots, token shards); exported with the dataset.
    public let artifactsDirectory: String

    init(runDirectory: String, mapParts: [String: [StreamPart]], rejectSink: @escaping (Reject) throws -> Void) {
        self.runDirectory = runDirectory
        self.mapParts = mapParts
        self.rejectSink = rejectSink
        self.artifactsDirectory = runDirectory + "/artifacts"
    }

    /// Calls `body` with every record of a stream from all tasks, in key order.
    public func forEachRecord(stream: String, _ body: (RecordKey, [UInt8]) throws -> Void) throws {
        let sources: [any SortedRecordSource] = try (mapParts[stream] ?? []).map {
            try StreamPartReader(runDirectory: runDirectory, part: $0)
        }
        try SortedMerge.merge(sources, body)
    }

    /// Keeps a record in the final stream; records must be emitted in key order.
    ///
    /// Different streams may be written from different threads (see `concurrently`); one stream from one.
    public func emit(stream: String, key: RecordKey, bytes: [UInt8]) throws {
        try writer(for: stream).write(key: key, bytes: bytes)
    }

    private func writer(for stream: String) -> ReduceStreamWriter {
        writersLock.lock()
        defer { writersLock.unlock() }
        if let writer = writers[stream] { return writer }
        let writer = ReduceStreamWriter(runDirectory: runDirectory, stream: stream)
        writers[stream] = writer
        return writer
    }

    /// Runs independent jobs at the same time, one per core at most, and throws the first job's error.
    ///
    /// A reduce phase spends most of its time merging, copying and compressing each stream on its own;
    /// passes over different streams that share no mutable state can overlap. Each job must touch only
    /// its own state and emit to its own streams.
    public func concurrently(_ jobs: [() throws -> Void]) throws {
        let batch = ConcurrentJobs(jobs)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { batch.run($0) }
        if let error = batch.firstError { throw error }
    }

    /// Records a reject made in the reduce phase (its `task` is null).
    public func reject(_ reject: Reject) throws { try rejectSink(reject) }

    func commit() throws -> (files: [ArtifactRow], counts: [String: Int64]) {
        var files: [ArtifactRow] = []
        var counts: [String: Int64] = [:]
        for (stream, writer) in writers.sorted(by: { $0.key < $1.key }) {
            files += try writer.commit()
            counts[stream] = writer.total
        }
        return (files, counts)
    }

    func abandon() { for writer in writers.values { writer.abandon() } }
}

/// Jobs of `ReduceContext.concurrently`, and the errors they threw, shared by the worker threads.
///
/// Unchecked: each job runs exactly once on one thread, and the caller promises the jobs share no
/// mutable state; the errors are guarded by the lock.
private final class ConcurrentJobs: @unchecked Sendable {
    private let jobs: [() throws -> Void]
    private let lock = NSLock()
    private var errors: [Int: Error] = [:]

    init(_ jobs: [() throws -> Void]) { self.jobs = jobs }

    func run(_ index: Int) {
        do {
            try jobs[index]()
        } catch {
            lock.lock()
            errors[index] = error
            lock.unlock()
        }
    }

    /// The error of the first job (in the order given) that failed, so the message does not depend on timing.
    var firstError: Error? {
        lock.lock()
        defer { lock.unlock() }
        return errors.keys.min().flatMap { errors[$0] }
    }
}

/// Splits a reduce output stream into parts of bounded size, numbered from 0 in key order.
final class ReduceStreamWriter {
    static let partBytes: Int64 = 256 << 20
    let runDirectory: String
    let stream: String
    private var current: StreamPartWriter?
    private var finished: [ArtifactRow] = []
    private var index = 0
    private(set) var total: Int64 = 0

    init(runDirectory: String, stream: String) {
        self.runDirectory = runDirectory
        self.stream = stream
    }

    func write(key: RecordKey, bytes: [UInt8]) throws {
        var previousLast: RecordKey?
        if let writer = current, writer.uncompressedBytes >= Self.partBytes {
            finished += try writer.commit()
            previousLast = writer.last
            current = nil
        }
        if current == nil {
            // Exports read a reduced stream's parts one after another, so the order must hold across parts too.
            current = try StreamPartWriter(
                runDirectory: runDirectory, part: StreamPart(prefix: "", stream: stream, index: index), stream: stream,
                after: previousLast)
            index += 1
        }
        try current?.write(key: key, bytes: bytes)
        total += 1
    }

    func commit() throws -> [ArtifactRow] {
        if let writer = current { finished += try writer.commit() }
        current = nil
        return finished
    }

    func abandon() { current?.abandon() }
}

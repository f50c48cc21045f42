import Foundation
import StageKit
import Storage

/// The runner's `ReduceContext`: every task's records merged in key order, writers for the final streams,
/// the drops that cascade along declared references, artifacts recorded with their digests.
final class RunReduceContext: ReduceContext {
    let runDirectory: String
    let mapParts: [String: [StreamPart]]
    let streams: [String: StreamSpec]
    private let checker: RecordChecker?
    private var writers: [String: ReduceStreamWriter] = [:]
    private var drops: [String: Set<Hash128>] = [:]
    private var artifacts: [String: RunArtifact] = [:]
    private let lock = NSLock()
    private let rejectSink: (Reject) throws -> Void
    private let shardLevel: Int
    /// Folder for the run's artifacts (plans, plots, token shards); exported with the dataset.
    let artifactsDirectory: String

    init(runDirectory: String, mapParts: [String: [StreamPart]], streams: [StreamSpec], checker: RecordChecker?,
         shardLevel: Int, rejectSink: @escaping (Reject) throws -> Void) {
        self.runDirectory = runDirectory
        self.shardLevel = shardLevel
        self.mapParts = mapParts
        self.streams = Dictionary(uniqueKeysWithValues: streams.map { ($0.name, $0) })
        self.checker = checker
        self.rejectSink = rejectSink
        self.artifactsDirectory = runDirectory + "/artifacts"
    }

    func forEachRecord(stream: String, _ body: (RecordKey, [UInt8]) throws -> Void) throws {
        let sources: [any SortedRecordSource] = try (mapParts[stream] ?? []).map {
            try StreamPartReader(runDirectory: runDirectory, part: $0)
        }
        try SortedMerge.merge(sources, body)
    }

    func emit(stream: String, key: RecordKey, bytes: [UInt8]) throws {
        guard let spec = streams[stream] else {
            throw PipeError("stage.stream", "reduce emitted a record on unknown stream '\(stream)'")
        }
        try checker?.check(bytes, stream: spec)
        try writer(for: stream).write(key: key, bytes: bytes)
    }

    func drop(stream: String, key: RecordKey) {
        lock.lock()
        drops[stream, default: []].insert(Hash128(id: key.id, locator: key.locator))
        lock.unlock()
    }

    func passThrough(stream: String) throws {
        guard let spec = streams[stream] else {
            throw PipeError("stage.stream", "reduce passed through unknown stream '\(stream)'")
        }
        let writer = writer(for: stream)
        lock.lock()
        let dropped = spec.reference.flatMap { drops[$0.stream] } ?? []
        lock.unlock()
        try forEachRecord(stream: stream) { key, bytes in
            if let reference = spec.reference, !dropped.isEmpty,
                let target = RecordBytes.stringMember(reference.field, in: bytes),
                dropped.contains(Hash128(id: target, locator: key.locator))
            {
                return
            }
            try checker?.check(bytes, stream: spec)
            try writer.write(key: key, bytes: bytes)
        }
    }

    /// Passes through every visible stream the reduce did not write, after it returned.
    func passThroughUntouched() throws {
        lock.lock()
        let untouched = streams.values.filter { !$0.hidden && writers[$0.name] == nil }.map(\.name).sorted()
        lock.unlock()
        try concurrently(untouched.map { stream in { try self.passThrough(stream: stream) } })
    }

    private func writer(for stream: String) -> ReduceStreamWriter {
        lock.lock()
        defer { lock.unlock() }
        if let writer = writers[stream] { return writer }
        let writer = ReduceStreamWriter(runDirectory: runDirectory, stream: stream, level: shardLevel)
        writers[stream] = writer
        return writer
    }

    func concurrently(_ jobs: [() throws -> Void]) throws {
        let batch = ConcurrentJobs(jobs)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { batch.run($0) }
        if let error = batch.firstError { throw error }
    }

    func reject(_ reject: Reject) throws { try rejectSink(reject) }

    func createArtifact(named name: String) throws -> any ArtifactOutput {
        try ArtifactName.check(name)
        try FileSystem.makeDirectory(artifactsDirectory)
        let artifact = RunArtifact(name: name, file: try AtomicFile(path: artifactsDirectory + "/" + name))
        lock.lock()
        defer { lock.unlock() }
        guard artifacts[name] == nil else {
            artifact.abandon()
            throw PipeError("stage.artifact_name", "artifact '\(name)' was already written in this run")
        }
        artifacts[name] = artifact
        return artifact
    }

    func commit() throws -> (files: [ArtifactRow], counts: [String: Int64]) {
        var files: [ArtifactRow] = []
        var counts: [String: Int64] = [:]
        for (stream, writer) in writers.sorted(by: { $0.key < $1.key }) {
            files += try writer.commit()
            counts[stream] = writer.total
        }
        for (name, artifact) in artifacts.sorted(by: { $0.key < $1.key }) {
            guard artifact.committed else {
                throw PipeError("stage.artifact", "artifact '\(name)' was created but never committed")
            }
            let path = artifactsDirectory + "/" + name
            files.append(ArtifactRow(path: "artifacts/" + name, role: .artifact, stream: nil,
                                     sha256: try StableHash.sha256(fileAt: path), bytes: artifact.bytes, records: nil))
        }
        return (files, counts)
    }

    func abandon() {
        for writer in writers.values { writer.abandon() }
        for artifact in artifacts.values { artifact.abandon() }
    }
}

/// An artifact of a run, written through the reduce context.
final class RunArtifact: ArtifactOutput {
    let name: String
    private let file: AtomicFile
    private(set) var committed = false

    init(name: String, file: AtomicFile) {
        self.name = name
        self.file = file
    }

    var bytes: Int64 { file.bytesWritten }

    func write(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }

    func commit() throws {
        try file.commit()
        committed = true
    }

    func abandon() { file.abandon() }
}

/// Jobs of `RunReduceContext.concurrently`, and the errors they threw, shared by the worker threads.
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
    let level: Int
    private var current: StreamPartWriter?
    private var finished: [ArtifactRow] = []
    private var index = 0
    private(set) var total: Int64 = 0

    init(runDirectory: String, stream: String, level: Int) {
        self.runDirectory = runDirectory
        self.stream = stream
        self.level = level
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
                level: level, after: previousLast)
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

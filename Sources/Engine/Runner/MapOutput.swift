import StageKit
import JSONSchema
import Storage
import Foundation

/// The runner's `MapContext` for one task: records are checked to carry an id, keyed by (id, item locator,
/// line), and sorted with bounded memory before they reach the task's shards.
final class MapOutput: MapContext {
    private let streams: [String: StreamSpec]
    private let sorters: [String: RecordSorter]
    private let checker: RecordChecker?
    private let rejectSink: (Reject) throws -> Void
    private(set) var recordCounts: [String: Int64] = [:]
    /// The item being mapped; set by the runner before each `map` call.
    var locator: String = ""

    init(streams: [StreamSpec], temporaryDirectory: String, memoryLimit: Int = 48 << 20, checker: RecordChecker? = nil,
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
        self.checker = checker
        self.rejectSink = rejectSink
    }

    func stream(_ name: String) -> StreamSpec? { streams[name] }

    func emit(bytes: [UInt8], id: String?, stream: String, line: Int) throws {
        guard let sorter = sorters[stream], let spec = streams[stream] else {
            throw PipeError("stage.stream", "stage emitted a record on unknown stream '\(stream)'")
        }
        guard let id, !id.isEmpty else {
            try reject(.error, code: "record.no_id", reason: "record has no string or integer '\(spec.idField)' field",
                       line: line, offset: nil)
            return
        }
        try checker?.check(bytes, stream: spec)
        try sorter.add(key: RecordKey(id: id, locator: locator, line: line), bytes: bytes)
        recordCounts[stream, default: 0] += 1
        CrashHook.recordWritten()
    }

    func reject(_ rejectClass: RejectClass, code: String, reason: String, line: Int?, offset: Int64?) throws {
        try rejectSink(Reject(rejectClass, code: code, reason: reason, locator: locator, line: line, offset: offset))
    }

    func drain(stream: String, _ body: (RecordKey, [UInt8]) throws -> Void) throws {
        try sorters[stream]?.drain(body)
    }
}

/// `--check-records`: every record a stage emits is checked against its stream's schema; a record that
/// fails is a bug in the stage, so it fails the task rather than becoming a reject.
final class RecordChecker: Sendable {
    private let validators: [String: any RecordValidator]

    init(streams: [StreamSpec], schemas: SchemaLibrary, pipelineDirectory: String) throws {
        var validators: [String: any RecordValidator] = [:]
        for stream in streams where !stream.hidden {
            if let document = stream.document {
                validators[stream.name] = CompiledValidator(
                    name: stream.schema, path: nil, schema: try JSONSchema(document, registry: schemas.registry))
            } else {
                validators[stream.name] = try schemas.validator(for: stream.schema, relativeTo: pipelineDirectory)
            }
        }
        self.validators = validators
    }

    func check(_ bytes: [UInt8], stream: StreamSpec) throws {
        guard let validator = validators[stream.name] else { return }
        let value = try JSONParser.parse(bytes)
        guard !validator.isValid(value) else { return }
        let problems = validator.problems(in: value, limit: 5).joined(separator: "; ")
        throw RecordCheckFailure(message: "a record of stream '\(stream.name)' does not match its schema \(stream.schema): \(problems)")
    }
}

/// A record that failed `--check-records`: not a reject, a failed task.
struct RecordCheckFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The test-only crash hook: with `PIPE_TEST_CRASH_AFTER=N` the process dies abruptly after N records,
/// as a killed node would, so crash-safety tests are deterministic without timed kills.
///
/// With `PIPE_TEST_CRASH_RANK=R` as well, only a run of task R alone (`--rank R`, an array element) crashes, so
/// one element of a Slurm array can be made to fail while the others succeed.
enum CrashHook {
    private static let limit: Int? = ProcessInfo.processInfo.environment["PIPE_TEST_CRASH_AFTER"].flatMap { Int($0) }
    private static let onlyRank: Int? = ProcessInfo.processInfo.environment["PIPE_TEST_CRASH_RANK"].flatMap { Int($0) }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var rank: Int?

    /// The task this process runs alone, if it runs one (`--rank`).
    static func running(rank value: Int?) {
        lock.lock()
        rank = value
        lock.unlock()
    }

    static func recordWritten() {
        guard let limit else { return }
        lock.lock()
        count += 1
        let reached = count >= limit && (onlyRank == nil || onlyRank == rank)
        lock.unlock()
        if reached {
            FileHandleOutput.standardError("PIPE_TEST_CRASH_AFTER: crashing after \(limit) records\n")
            _exit(86)
        }
    }
}

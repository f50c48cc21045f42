import Foundation
import StageKit

/// A `MapContext` that keeps what a stage emits in memory, for unit tests of a kind's map logic.
public final class InMemoryMapContext: MapContext {
    /// One emitted record.
    public struct Emitted: Equatable {
        public var stream: String
        public var id: String?
        public var line: Int
        public var bytes: [UInt8]
        /// The record parsed back.
        public var value: JSONValue { (try? JSONParser.parse(bytes)) ?? .null }
    }

    public let streams: [String: StreamSpec]
    public var locator: String
    public private(set) var records: [Emitted] = []
    public private(set) var rejects: [Reject] = []

    public init(streams: [StreamSpec], locator: String = "test-item") {
        self.streams = Dictionary(uniqueKeysWithValues: streams.map { ($0.name, $0) })
        self.locator = locator
    }

    public func stream(_ name: String) -> StreamSpec? { streams[name] }

    public func emit(bytes: [UInt8], id: String?, stream: String, line: Int) throws {
        guard streams[stream] != nil else {
            throw PipeError("stage.stream", "stage emitted a record on unknown stream '\(stream)'")
        }
        records.append(Emitted(stream: stream, id: id, line: line, bytes: bytes))
    }

    public func reject(_ rejectClass: RejectClass, code: String, reason: String, line: Int?, offset: Int64?) throws {
        rejects.append(Reject(rejectClass, code: code, reason: reason, locator: locator, line: line, offset: offset))
    }

    /// The records of one stream, parsed.
    public func values(_ stream: String = "main") -> [JSONValue] {
        records.filter { $0.stream == stream }.map(\.value)
    }

    /// Maps every item with `stage`, as a task would, keeping the records and rejects of all of them.
    public func map<S: Stage>(_ items: [InputItem], with stage: S) throws {
        for item in items {
            locator = item.locator
            do {
                try stage.map(item, into: self)
            } catch let error as PipeError {
                try reject(.error, code: error.code, reason: error.message, line: error.location?.line, offset: nil)
            }
        }
    }
}

/// A `ReduceContext` over records held in memory: stream → (key, bytes) in any order, sorted on read as the
/// runner's merge would; emitted records, drops, rejects and artifacts are kept for the test to check.
public final class InMemoryReduceContext: ReduceContext {
    public let streams: [String: StreamSpec]
    private var input: [String: [(key: RecordKey, bytes: [UInt8])]]
    public private(set) var output: [String: [(key: RecordKey, bytes: [UInt8])]] = [:]
    public private(set) var rejects: [Reject] = []
    public private(set) var artifacts: [String: [UInt8]] = [:]
    private var drops: [String: Set<Hash128>] = [:]

    public init(streams: [StreamSpec], records: [String: [(key: RecordKey, bytes: [UInt8])]]) {
        self.streams = Dictionary(uniqueKeysWithValues: streams.map { ($0.name, $0) })
        input = records.mapValues { $0.sorted { $0.key < $1.key } }
    }

    /// A context fed with what a map context emitted, keyed as the runner keys records.
    public convenience init(streams: [StreamSpec], mapped: InMemoryMapContext, locator: String? = nil) {
        var records: [String: [(key: RecordKey, bytes: [UInt8])]] = [:]
        for record in mapped.records {
            guard let id = record.id else { continue }
            records[record.stream, default: []].append(
                (RecordKey(id: id, locator: locator ?? mapped.locator, line: record.line), record.bytes))
        }
        self.init(streams: streams, records: records)
    }

    public func forEachRecord(stream: String, _ body: (RecordKey, [UInt8]) throws -> Void) throws {
        for entry in input[stream] ?? [] { try body(entry.key, entry.bytes) }
    }

    public func emit(stream: String, key: RecordKey, bytes: [UInt8]) throws {
        guard streams[stream] != nil else { throw PipeError("stage.stream", "unknown stream '\(stream)'") }
        if let last = output[stream]?.last, key < last.key {
            throw PipeError("runner.order", "records of stream \(stream) emitted out of key order at id \(key.id)")
        }
        output[stream, default: []].append((key, bytes))
    }

    public func drop(stream: String, key: RecordKey) {
        drops[stream, default: []].insert(Hash128(id: key.id, locator: key.locator))
    }

    public func passThrough(stream: String) throws {
        let dropped = streams[stream]?.reference.flatMap { drops[$0.stream] } ?? []
        output[stream] = output[stream] ?? []
        try forEachRecord(stream: stream) { key, bytes in
            if let reference = streams[stream]?.reference,
                let target = RecordBytes.stringMember(reference.field, in: bytes),
                dropped.contains(Hash128(id: target, locator: key.locator))
            {
                return
            }
            try emit(stream: stream, key: key, bytes: bytes)
        }
    }

    /// What the runner does after `reduce` returns: passes through the visible streams reduce left alone.
    public func finish() throws {
        for name in streams.keys.sorted() where output[name] == nil && streams[name]?.hidden == false {
            try passThrough(stream: name)
        }
    }

    public func reject(_ reject: Reject) throws { rejects.append(reject) }

    public func concurrently(_ jobs: [() throws -> Void]) throws {
        for job in jobs { try job() }
    }

    public func createArtifact(named name: String) throws -> any ArtifactOutput {
        try ArtifactName.check(name)
        return MemoryArtifact { [weak self] bytes in self?.artifacts[name] = bytes }
    }

    /// The records emitted to a stream, parsed.
    public func values(_ stream: String = "main") -> [JSONValue] {
        (output[stream] ?? []).map { (try? JSONParser.parse($0.bytes)) ?? .null }
    }
}

/// An artifact kept in memory until committed.
private final class MemoryArtifact: ArtifactOutput {
    private var bytes: [UInt8] = []
    private let onCommit: ([UInt8]) -> Void

    init(onCommit: @escaping ([UInt8]) -> Void) { self.onCommit = onCommit }

    func write(_ buffer: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: buffer) }
    func commit() throws { onCommit(bytes) }
    func abandon() { bytes = [] }
}

import StageKit
import Storage
import Foundation

/// The files of one part of a record stream: records (`part-00003.jsonl.zst`) and, line for line,
/// their sort keys (`part-00003.keys.jsonl.zst`), which merges read instead of re-parsing records.
public struct StreamPart: Sendable, Equatable {
    /// Path of the records file relative to the run folder.
    public var records: String
    /// Path of the keys file relative to the run folder.
    public var keys: String

    /// The part file names of part `index` of `stream` under `prefix` (`""` or `map/`).
    public init(prefix: String, stream: String, index: Int) {
        let base = "\(prefix)\(stream)/part-\(Self.pad(index))"
        records = base + ".jsonl.zst"
        keys = base + ".keys.jsonl.zst"
    }

    /// A part from its two paths, as recorded in the catalog.
    public init(records: String, keys: String) {
        self.records = records
        self.keys = keys
    }

    /// The parts of a stream among a run's recorded files, in part order.
    public static func parts(of stream: String, in artifacts: [ArtifactRow], prefix: String = "") -> [StreamPart] {
        artifacts.filter { $0.role == .shard && $0.stream == stream && $0.path.hasPrefix(prefix + stream + "/") }
            .map(\.path).sorted()
            .map { StreamPart(records: $0, keys: String($0.dropLast(".jsonl.zst".count)) + ".keys.jsonl.zst") }
    }

    /// A part number as five digits (more when it needs them).
    public static func pad(_ index: Int) -> String {
        let text = String(index)
        return String(repeating: "0", count: max(0, 5 - text.count)) + text
    }
}

/// Writes one stream part: each record's bytes and its key, in key order.
final class StreamPartWriter {
    private let records: ShardWriter
    private let keys: ShardWriter
    private let part: StreamPart
    private let stream: String
    private(set) var last: RecordKey?
    private var keyLine: [UInt8] = []
    private(set) var count: Int64 = 0

    /// `level` is the zstd level, the workspace default when nil; `after` is the last key of the stream's
    /// previous part, so that parts continue each other's order.
    init(runDirectory: String, part: StreamPart, stream: String, level: Int? = nil, after: RecordKey? = nil) throws {
        self.part = part
        self.stream = stream
        last = after
        let recordsPath = runDirectory + "/" + part.records
        try FileSystem.makeDirectory((recordsPath as NSString).deletingLastPathComponent)
        records = try ShardWriter(path: recordsPath, compression: .zstd, level: level)
        keys = try ShardWriter(path: runDirectory + "/" + part.keys, compression: .zstd, level: level)
    }

    var uncompressedBytes: Int64 { records.uncompressedBytes }

    func write(key: RecordKey, bytes: [UInt8]) throws {
        if let last, key < last {
            throw PipeError("runner.order", "records of stream \(stream) written out of key order at id \(key.id)")
        }
        last = key
        try records.write(line: bytes)
        keyLine.removeAll(keepingCapacity: true)
        key.appendJSON(to: &keyLine)
        try keys.write(line: keyLine)
        count += 1
    }

    /// Renames both files into place and describes them for the catalog.
    func commit() throws -> [ArtifactRow] {
        let recordInfo = try records.commit()
        let keyInfo = try keys.commit()
        return [
            ArtifactRow(path: part.records, role: .shard, stream: stream, sha256: recordInfo.sha256,
                        bytes: recordInfo.bytes, records: count),
            ArtifactRow(path: part.keys, role: .keys, stream: stream, sha256: keyInfo.sha256,
                        bytes: keyInfo.bytes, records: count),
        ]
    }

    func abandon() {
        records.abandon()
        keys.abandon()
    }
}

/// Reads a stream part back as a sorted source of (key, record bytes).
public final class StreamPartReader: SortedRecordSource {
    private var records: ShardLineCursor
    private var keys: ShardLineCursor
    private let path: String

    public init(runDirectory: String, part: StreamPart) throws {
        path = runDirectory + "/" + part.records
        records = try ShardLineCursor(path: path)
        keys = try ShardLineCursor(path: runDirectory + "/" + part.keys)
    }

    public func next() throws -> (key: RecordKey, bytes: [UInt8])? {
        let record = try records.next()
        let keyLine = try keys.next()
        switch (record, keyLine) {
        case (nil, nil): return nil
        case (let record?, let keyLine?):
            return (try RecordKey(keyLine: keyLine), record)
        default:
            throw PipeError("shard.keys", "records and keys files of \(path) have different line counts")
        }
    }
}

/// A record stream of an upstream stage's complete run, read as input items.
public struct UpstreamSource: Sendable {
    public var stage: String
    public var stream: String
    public var runID: String
    public var runDirectory: String
    public var parts: [StreamPart]

    /// Every record as an item whose locator is `stage/stream#id`.
    func forEachItem(_ body: (InputItem) throws -> Void) throws {
        let sources: [any SortedRecordSource] = try parts.map { try StreamPartReader(runDirectory: runDirectory, part: $0) }
        try SortedMerge.merge(sources) { key, bytes in
            let record = try JSONParser.parse(bytes)
            try body(InputItem(locator: "\(stage)/\(stream)#\(key.id)", source: .record(record)))
        }
    }
}

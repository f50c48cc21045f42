import StageKit
import Foundation
import HeapModule

/// Sorts one task's records by `RecordKey` with bounded memory: records are buffered up to a limit,
/// then spilled as sorted runs to temporary files and merged at the end.
public final class RecordSorter {
    private var buffer: [(key: RecordKey, bytes: [UInt8])] = []
    private var bufferedBytes = 0
    private let memoryLimit: Int
    private let temporaryDirectory: String
    private var runs: [String] = []

    public init(temporaryDirectory: String, memoryLimit: Int = 48 << 20) {
        self.temporaryDirectory = temporaryDirectory
        self.memoryLimit = memoryLimit
    }

    public func add(key: RecordKey, bytes: [UInt8]) throws {
        bufferedBytes += bytes.count + key.id.utf8.count + key.locator.utf8.count + 64
        buffer.append((key, bytes))
        if bufferedBytes >= memoryLimit { try spill() }
    }

    private func spill() throws {
        buffer.sort { $0.key < $1.key }
        try FileSystem.makeDirectory(temporaryDirectory)
        let path = temporaryDirectory + "/run-\(runs.count).bin"
        let writer = try RunFileWriter(path: path)
        for entry in buffer { try writer.write(key: entry.key, bytes: entry.bytes) }
        try writer.close()
        runs.append(path)
        buffer.removeAll(keepingCapacity: true)
        bufferedBytes = 0
    }

    /// Hands every record to `body` in key order, then removes the temporary runs.
    public func drain(_ body: (RecordKey, [UInt8]) throws -> Void) throws {
        defer { for run in runs { try? FileSystem.remove(run) } }
        buffer.sort { $0.key < $1.key }
        if runs.isEmpty {
            for entry in buffer { try body(entry.key, entry.bytes) }
            buffer.removeAll()
            return
        }
        var sources: [any SortedRecordSource] = try runs.map { try RunFileReader(path: $0) }
        sources.append(ArrayRecordSource(entries: buffer))
        buffer.removeAll()
        try SortedMerge.merge(sources, body)
    }
}

/// A stream of records already in key order, one of the inputs of a merge.
public protocol SortedRecordSource {
    mutating func next() throws -> (key: RecordKey, bytes: [UInt8])?
}

struct ArrayRecordSource: SortedRecordSource {
    var entries: [(key: RecordKey, bytes: [UInt8])]
    var index = 0

    init(entries: [(key: RecordKey, bytes: [UInt8])]) { self.entries = entries }

    mutating func next() throws -> (key: RecordKey, bytes: [UInt8])? {
        guard index < entries.count else { return nil }
        defer { index += 1 }
        return entries[index]
    }
}

/// K-way merge of sorted sources through a heap of their heads; ties go to the earlier source, so the
/// merge is stable.
public enum SortedMerge {
    /// One source's current record, ordered by key, then by source.
    private struct Head: Comparable {
        var key: RecordKey
        var bytes: [UInt8]
        var source: Int

        static func < (lhs: Head, rhs: Head) -> Bool {
            if lhs.key == rhs.key { return lhs.source < rhs.source }
            return lhs.key < rhs.key
        }

        static func == (lhs: Head, rhs: Head) -> Bool { lhs.key == rhs.key && lhs.source == rhs.source }
    }

    public static func merge(_ sources: [any SortedRecordSource], _ body: (RecordKey, [UInt8]) throws -> Void) throws {
        var sources = sources
        if sources.count == 1 {
            while let next = try sources[0].next() { try body(next.key, next.bytes) }
            return
        }
        var heap = Heap<Head>()
        for index in sources.indices {
            if let first = try sources[index].next() { heap.insert(Head(key: first.key, bytes: first.bytes, source: index)) }
        }
        while let head = heap.popMin() {
            try body(head.key, head.bytes)
            if let next = try sources[head.source].next() {
                heap.insert(Head(key: next.key, bytes: next.bytes, source: head.source))
            }
        }
    }
}

/// Length-prefixed binary runs: faster to write and read back than JSON, and only ever temporary.
final class RunFileWriter {
    private let file: BufferedFile
    private let path: String

    init(path: String) throws {
        guard let file = BufferedFile(path: path, mode: "wb") else {
            throw PipeError("io.write", "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
    }

    private func putLength(_ count: Int) {
        file.write(littleEndian: UInt32(count))
    }

    private func put(_ text: String) {
        putLength(text.utf8.count)
        file.write(text)
    }

    func write(key: RecordKey, bytes: [UInt8]) throws {
        put(key.id)
        put(key.locator)
        file.write(littleEndian: Int64(key.line))
        putLength(bytes.count)
        file.write(bytes)
        if file.hasError { throw PipeError("io.write", "cannot write \(path)") }
    }

    func close() throws {
        if !file.close() { throw PipeError("io.write", "cannot close \(path)") }
    }
}

final class RunFileReader: SortedRecordSource {
    private let file: BufferedFile
    private let path: String

    init(path: String) throws {
        guard let file = BufferedFile(path: path, mode: "rb") else {
            throw PipeError("io.read", "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
    }

    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = file.read(into: &bytes)
        if got == 0 && count > 0 { return nil }
        guard got == count else { throw PipeError("io.read", "truncated sort run \(path)") }
        return bytes
    }

    private func readBlock() throws -> [UInt8]? {
        guard let header = try readExactly(4) else { return nil }
        let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
        if length == 0 { return [] }
        guard let body = try readExactly(length) else { throw PipeError("io.read", "truncated sort run \(path)") }
        return body
    }

    func next() throws -> (key: RecordKey, bytes: [UInt8])? {
        guard let id = try readBlock() else { return nil }
        guard let locator = try readBlock(), let lineBytes = try readExactly(8), let bytes = try readBlock() else {
            throw PipeError("io.read", "truncated sort run \(path)")
        }
        var line: Int64 = 0
        for (index, byte) in lineBytes.enumerated() { line |= Int64(byte) << (8 * Int64(index)) }
        let key = RecordKey(
            id: String(decoding: id, as: UTF8.self), locator: String(decoding: locator, as: UTF8.self), line: Int(line))
        return (key, bytes)
    }
}

import StageKit
import Foundation

/// Training shards of token ids: for shard `k`,
/// `tokens-0000k.bin` (little-endian uint16 ids, uint32 when the vocabulary has more than 65,535 ids, documents
/// concatenated), `tokens-0000k.idx` (little-endian uint64 token offsets, documents + 1 of them, so document `d`
/// is `bin[idx[d] ..< idx[d + 1]]`) and `tokens-0000k.docs` (the record id of each document, one per line);
/// `tokens.json` describes them all. A document never spans two shards.
public enum TokenShardLayout {
    /// Name of the metadata file.
    public static let metadataName = "tokens.json"
    /// The `format` value of the metadata.
    public static let format = "pipe-tokompiler-shards"
    /// The layout version.
    public static let formatVersion = 1

    /// The element type for a vocabulary's largest id.
    public static func dtype(maxID: Int) -> String { maxID <= Int(UInt16.max) ? "uint16" : "uint32" }

    static func name(_ shard: Int, _ ext: String) -> String {
        "tokens-" + String(repeating: "0", count: max(0, 5 - String(shard).count)) + String(shard) + "." + ext
    }
}

/// Writes token shards in streaming fashion: memory stays bounded by one buffer whatever the corpus size.
public final class TokenShardWriter {
    /// Where the files go: a run's artifacts, or a folder.
    public let sink: any ArtifactSink
    private let wide: Bool
    private let shardTokens: Int
    private let maxID: Int
    private var tokens: (any ArtifactOutput)?
    private var index: (any ArtifactOutput)?
    private var documents: (any ArtifactOutput)?
    private var buffer: [UInt8] = []
    private var shard = -1
    private var shardTokenCount = 0
    private var shardDocuments = 0
    private var shards: [JSONValue] = []
    private var totalTokens = 0
    private var totalDocuments = 0

    /// Creates a writer; `shardTokens` caps the tokens of a shard (a larger document gets a shard of its own).
    public init(sink: any ArtifactSink, maxID: Int, shardTokens: Int) {
        self.sink = sink
        self.maxID = maxID
        wide = maxID > Int(UInt16.max)
        self.shardTokens = max(1, shardTokens)
    }

    /// Appends one document's ids.
    public func append(documentID: String, ids: [Int32]) throws {
        if shard < 0 || (shardTokenCount > 0 && shardTokenCount + ids.count > shardTokens) { try startShard() }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(ids.count * (wide ? 4 : 2))
        for id in ids {
            let value = UInt32(clamping: max(0, min(Int(id), maxID)))
            buffer.append(UInt8(truncatingIfNeeded: value))
            buffer.append(UInt8(truncatingIfNeeded: value >> 8))
            if wide {
                buffer.append(UInt8(truncatingIfNeeded: value >> 16))
                buffer.append(UInt8(truncatingIfNeeded: value >> 24))
            }
        }
        try tokens?.write(buffer)
        shardTokenCount += ids.count
        shardDocuments += 1
        totalTokens += ids.count
        totalDocuments += 1
        try index?.write(Self.littleEndian(UInt64(shardTokenCount)))
        try documents?.write(Array((documentID + "\n").utf8))
    }

    private static func littleEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private func startShard() throws {
        try finishShard()
        shard += 1
        shardTokenCount = 0
        shardDocuments = 0
        tokens = try sink.createArtifact(named: TokenShardLayout.name(shard, "bin"))
        index = try sink.createArtifact(named: TokenShardLayout.name(shard, "idx"))
        documents = try sink.createArtifact(named: TokenShardLayout.name(shard, "docs"))
        try index?.write(Self.littleEndian(0))
    }

    private func finishShard() throws {
        guard shard >= 0, let tokens, let index, let documents else { return }
        try tokens.commit()
        try index.commit()
        try documents.commit()
        shards.append(.object([
            "tokens": .string(TokenShardLayout.name(shard, "bin")),
            "index": .string(TokenShardLayout.name(shard, "idx")),
            "documents": .string(TokenShardLayout.name(shard, "docs")),
            "document_count": .integer(Int64(shardDocuments)),
            "token_count": .integer(Int64(shardTokenCount)),
        ]))
        self.tokens = nil
        self.index = nil
        self.documents = nil
    }

    /// Commits the last shard and writes `tokens.json` with `extra` members added; returns the metadata.
    @discardableResult
    public func finish(extra: [String: JSONValue]) throws -> JSONValue {
        try finishShard()
        var members = extra
        members["format"] = .string(TokenShardLayout.format)
        members["format_version"] = .integer(Int64(TokenShardLayout.formatVersion))
        members["dtype"] = .string(wide ? "uint32" : "uint16")
        members["byte_order"] = .string("little")
        members["index_dtype"] = .string("uint64")
        members["max_token_id"] = .integer(Int64(maxID))
        members["document_count"] = .integer(Int64(totalDocuments))
        members["token_count"] = .integer(Int64(totalTokens))
        members["shards"] = .array(shards)
        let metadata = JSONValue.object(members)
        try sink.writeArtifact(named: TokenShardLayout.metadataName, text: JSONWriter.pretty(metadata) + "\n")
        return metadata
    }

    /// Drops unfinished files (a failed run leaves nothing visible).
    public func abandon() {
        tokens?.abandon()
        index?.abandon()
        documents?.abandon()
    }
}

/// Reads token shards written by `TokenShardWriter`.
public struct TokenShardReader: Sendable {
    /// `tokens.json`.
    public let metadata: JSONValue
    /// The folder of the shards.
    public let directory: String
    private let wide: Bool
    private let shards: [Shard]

    private struct Shard: Sendable {
        var tokensPath: String
        var offsets: [UInt64]
        var ids: [String]
        var firstDocument: Int
    }

    /// Opens the shards in a folder; offsets and document ids are read, token files only when asked.
    public init(directory: String) throws {
        self.directory = directory
        let path = directory + "/" + TokenShardLayout.metadataName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipeError("tokompiler.shards", "no \(TokenShardLayout.metadataName) in \(directory)")
        }
        metadata = try JSONParser.parse(Array(data))
        guard metadata["format"]?.stringValue == TokenShardLayout.format,
              let dtype = metadata["dtype"]?.stringValue, dtype == "uint16" || dtype == "uint32" else {
            throw PipeError("tokompiler.shards", "\(path) is not a pipe Tokompiler shard description")
        }
        wide = dtype == "uint32"
        var shards: [Shard] = []
        var first = 0
        for entry in metadata["shards"]?.arrayValue ?? [] {
            guard let tokens = entry["tokens"]?.stringValue, let index = entry["index"]?.stringValue,
                  let docs = entry["documents"]?.stringValue,
                  let indexData = FileManager.default.contents(atPath: directory + "/" + index) else {
                throw PipeError("tokompiler.shards", "a shard listed in \(path) is missing")
            }
            let bytes = [UInt8](indexData)
            guard bytes.count % 8 == 0, bytes.count >= 8 else {
                throw PipeError("tokompiler.shards", "\(index) is not a whole number of uint64 offsets")
            }
            var offsets: [UInt64] = []
            offsets.reserveCapacity(bytes.count / 8)
            for start in stride(from: 0, to: bytes.count, by: 8) {
                var value: UInt64 = 0
                for k in 0..<8 { value |= UInt64(bytes[start + k]) << (8 * UInt64(k)) }
                offsets.append(value)
            }
            let idText = FileManager.default.contents(atPath: directory + "/" + docs).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let ids = idText.split(separator: "\n").map(String.init)
            guard ids.count == offsets.count - 1 else {
                throw PipeError("tokompiler.shards", "\(docs) lists \(ids.count) documents, \(index) \(offsets.count - 1)")
            }
            shards.append(Shard(tokensPath: directory + "/" + tokens, offsets: offsets, ids: ids, firstDocument: first))
            first += ids.count
        }
        self.shards = shards
    }

    /// Number of documents.
    public var documentCount: Int { shards.reduce(0) { $0 + $1.ids.count } }

    /// Number of tokens.
    public var tokenCount: Int { shards.reduce(0) { $0 + Int($1.offsets.last ?? 0) } }

    private func locate(_ document: Int) throws -> (Shard, Int) {
        guard let shard = shards.last(where: { $0.firstDocument <= document }), document - shard.firstDocument < shard.ids.count,
              document >= 0 else {
            throw PipeError("tokompiler.shards", "document \(document) is out of range (0..<\(documentCount))")
        }
        return (shard, document - shard.firstDocument)
    }

    /// The record id of a document.
    public func documentID(_ document: Int) throws -> String {
        let (shard, local) = try locate(document)
        return shard.ids[local]
    }

    /// The token ids of a document.
    public func document(_ document: Int) throws -> [UInt32] {
        let (shard, local) = try locate(document)
        let width = wide ? 4 : 2
        let start = shard.offsets[local]
        let end = shard.offsets[local + 1]
        guard end >= start, let handle = FileHandle(forReadingAtPath: shard.tokensPath) else {
            throw PipeError("tokompiler.shards", "cannot read \(shard.tokensPath)")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: start * UInt64(width))
        let count = Int(end - start)
        let data = try handle.read(upToCount: count * width) ?? Data()
        guard data.count == count * width else {
            throw PipeError("tokompiler.shards", "\(shard.tokensPath) is shorter than its index says")
        }
        let bytes = [UInt8](data)
        var ids: [UInt32] = []
        ids.reserveCapacity(count)
        for k in 0..<count {
            let p = k * width
            var value = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8
            if wide { value |= UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24 }
            ids.append(value)
        }
        return ids
    }
}

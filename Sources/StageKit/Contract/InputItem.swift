/// One unit of input a task owns: a file, an archive entry or an upstream record.
public struct InputItem: Sendable {
    /// The stable name of the item: `input path`, `archive path!entry path` or `stage/stream#id`;
    /// task ownership and reject locators use it.
    public var locator: String
    /// The repository the item belongs to, when the input named one.
    public var repo: String?
    public var source: Source

    /// Where the item's content comes from.
    public enum Source: Sendable {
        /// A regular file on disk (absolute path), read by the stage.
        case file(path: String)
        /// A record of an upstream stage's stream.
        case record(JSONValue)
        /// The content of an archive entry, read by the runner (size-capped) so the archive is read once.
        case bytes([UInt8])
    }

    public init(locator: String, repo: String? = nil, source: Source) {
        self.locator = locator
        self.repo = repo
        self.source = source
    }

    /// The item's bytes (a file read whole, or an archive entry's content), at most `limit` of them;
    /// throws `io.too_large` past the limit, `io.read` when the file cannot be read, and `stage.input`
    /// for an upstream record.
    public func content(limit: Int) throws -> [UInt8] {
        switch source {
        case .bytes(let bytes):
            guard bytes.count <= limit else {
                throw PipeError("io.too_large", "\(locator) is larger than \(limit) bytes")
            }
            return bytes
        case .file(let path):
            return try FileSystem.read(path, limit: limit)
        case .record:
            throw PipeError("stage.input", "\(locator) is an upstream record, not a file")
        }
    }
}

/// Whether a reject is an error in the input or a record removed on purpose.
public enum RejectClass: String, Sendable, Codable, CaseIterable {
    /// Unreadable, invalid or damaged input; `--strict` fails the build on these.
    case error
    /// Removed on purpose: a filter, a duplicate. Never fails a build.
    case dropped
}

/// A record a stage could not or would not keep, with the reason; written to the rejects stream.
public struct Reject: Sendable, Equatable {
    public var rejectClass: RejectClass
    public var code: String
    public var reason: String
    public var locator: String
    public var line: Int?
    public var offset: Int64?

    public init(_ rejectClass: RejectClass, code: String, reason: String, locator: String, line: Int? = nil,
                offset: Int64? = nil) {
        self.rejectClass = rejectClass
        self.code = code
        self.reason = reason
        self.locator = locator
        self.line = line
        self.offset = offset
    }

    /// One line for people: `locator:line (offset N): class: reason [code]`.
    public var summary: String {
        var place = locator
        if let line { place += ":\(line)" }
        if let offset { place += " (offset \(offset))" }
        return "\(place): \(rejectClass.rawValue): \(reason) [\(code)]"
    }

    /// The reject record as written to a rejects shard (`Schemas/Engine/reject.schema.json`).
    public func record(stage: String, task: Int?) -> RejectRecord {
        RejectRecord(rejectClass: rejectClass, code: code, reason: reason, stage: stage, task: task, locator: locator,
                     line: line, offset: offset)
    }
}

/// A reject as stored: `{class, code, reason, stage, task, locator, line, offset}`; `task` is null for
/// rejects of the reduce phase.
public struct RejectRecord: Codable, Sendable, Equatable {
    public var rejectClass: RejectClass
    public var code: String
    public var reason: String
    public var stage: String
    public var task: Int?
    public var locator: String
    public var line: Int?
    public var offset: Int64?

    enum CodingKeys: String, CodingKey {
        case rejectClass = "class"
        case code, reason, stage, task, locator, line, offset
    }
}

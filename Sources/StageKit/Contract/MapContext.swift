/// Where a stage's map phase puts the records and rejects of one task.
///
/// The runner's context sorts records by (id, item locator, line) with bounded memory; the test-support
/// target has an in-memory one, so a kind's logic is unit-tested without the runner.
public protocol MapContext: AnyObject {
    /// The locator of the item being mapped (rejects name it).
    var locator: String { get }
    /// The streams of the stage, by name.
    func stream(_ name: String) -> StreamSpec?
    /// Adds a record already written by `CanonicalJSON`, with its id; `line` is the record's line within
    /// the item, when it has one (it orders records that share an id).
    func emit(bytes: [UInt8], id: String?, stream: String, line: Int) throws
    /// Records why an input (or a part of it) was not turned into a record.
    func reject(_ rejectClass: RejectClass, code: String, reason: String, line: Int?, offset: Int64?) throws
}

extension MapContext {
    /// Adds a typed record through the canonical encoder; its id is read from the stream's id field.
    public func emit(_ record: some Encodable, stream: String = "main", line: Int = 0) throws {
        try emit(try CanonicalJSON.value(of: record), stream: stream, line: line)
    }

    /// Adds a record given as a JSON value.
    public func emit(_ record: JSONValue, stream: String = "main", line: Int = 0) throws {
        let field = self.stream(stream)?.idField ?? "id"
        try emit(bytes: CanonicalJSON.bytes(record), id: RecordKey.idText(record[field]), stream: stream, line: line)
    }

    /// Adds canonical record bytes to a stream.
    public func emit(bytes: [UInt8], id: String?, stream: String = "main") throws {
        try emit(bytes: bytes, id: id, stream: stream, line: 0)
    }

    /// Records a reject of the current item.
    public func reject(_ rejectClass: RejectClass, code: String, reason: String, line: Int? = nil) throws {
        try reject(rejectClass, code: code, reason: reason, line: line, offset: nil)
    }
}

/// What a stage's reduce phase works with: every task's records merged in key order, writers for the
/// final streams and artifacts, and the rejects of the phase.
public protocol ReduceContext: ArtifactSink {
    /// Calls `body` with every record of a stream from all tasks, in key order.
    func forEachRecord(stream: String, _ body: (RecordKey, [UInt8]) throws -> Void) throws
    /// Keeps a record in the final stream; records of one stream must be emitted in key order.
    func emit(stream: String, key: RecordKey, bytes: [UInt8]) throws
    /// Notes that a record of `stream` is not kept: records of other streams whose declared reference
    /// points to it are dropped with it when those streams are passed through.
    func drop(stream: String, key: RecordKey)
    /// Copies every record of a stream to the final stream unchanged, less the records whose reference
    /// points to a record dropped so far.
    func passThrough(stream: String) throws
    /// Records a reject made in the reduce phase (its `task` is null).
    func reject(_ reject: Reject) throws
    /// Runs independent jobs at the same time where it can, and throws the first job's error (by order).
    ///
    /// Each job must touch only its own state and emit to its own streams.
    func concurrently(_ jobs: [() throws -> Void]) throws
}

extension ReduceContext {
    /// Keeps a typed record, written by the canonical encoder.
    public func emit(_ record: some Encodable, stream: String, key: RecordKey) throws {
        try emit(stream: stream, key: key, bytes: CanonicalJSON.bytes(try CanonicalJSON.value(of: record)))
    }

    /// Keeps one record per id in each of `streams`: the first by input and line, since records arrive in key order
    /// and a content-derived id makes a repeated input item the same id. Each later copy in the first stream is a
    /// `dropped` reject with `code`, naming where the kept one was read (`what` names the thing: "problem", "pair");
    /// the copies in the other streams go silently with it.
    public func keepFirstOfEachID(streams: [String], duplicateCode code: String, what: String) throws {
        for stream in streams {
            var previous: RecordKey?
            try forEachRecord(stream: stream) { key, bytes in
                if let first = previous, first.id == key.id {
                    if stream == streams.first {
                        try reject(Reject(.dropped, code: code,
                                          reason: "\(what) \(key.id) was already read at \(first.locator):\(first.line)",
                                          locator: key.locator, line: key.line))
                    }
                    return
                }
                previous = key
                try emit(stream: stream, key: key, bytes: bytes)
            }
        }
    }
}

/// Where a stage writes artifacts: files that are not records (token shards, plans, plots). The runner's
/// sink records each artifact's path, SHA-256 and size; a plain folder is one too (`DirectoryArtifacts`).
public protocol ArtifactSink: AnyObject {
    /// A new artifact; nothing is visible under `name` until the output is committed.
    func createArtifact(named name: String) throws -> any ArtifactOutput
}

extension ArtifactSink {
    /// Writes a whole artifact at once.
    public func writeArtifact(named name: String, bytes: [UInt8]) throws {
        let output = try createArtifact(named: name)
        do {
            try output.write(bytes)
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Writes a text artifact (UTF-8).
    public func writeArtifact(named name: String, text: String) throws {
        try writeArtifact(named: name, bytes: Array(text.utf8))
    }
}

/// One artifact being written.
public protocol ArtifactOutput: AnyObject {
    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Makes the artifact durable and visible under its name.
    func commit() throws
    /// Discards what was written.
    func abandon()
}

import StageKit
/// The identity of a stage run: kind, parameters, input content hashes, upstream runs and pipe
/// version. Same key, same outputs: a stage whose key is unchanged is not rebuilt.
public struct RunKey: Sendable {
    public var value: JSONValue

    public init(kind: String, params: JSONValue, inputs: [InputHash], upstream: [String: String], version: String) {
        value = .object([
            "kind": .string(kind),
            "params": params,
            "inputs": .array(inputs.map { .object(["locator": .string($0.locator), "sha256": .string($0.sha256)]) }),
            "upstream": .object(upstream.mapValues { .string($0) }),
            "pipe_version": .string(version),
        ])
    }

    /// SHA-256 of the canonical JSON of the key.
    public var digest: String { StableHash.sha256Hex(JSONWriter.compact(value)) }

    /// The run folder name: the first 16 hex digits of the digest.
    public var runID: String { String(digest.prefix(16)) }
}

/// An input of the exported stage and its content hash, so a reader can tell which inputs made the data.
public struct InputHash: Sendable, Equatable {
    /// Relative locator (`Data/repos.tar.gz` or `archive!entry`), never an absolute path.
    public var locator: String
    /// Lowercase hex SHA-256 of the input's content.
    public var sha256: String

    public init(locator: String, sha256: String) {
        self.locator = locator
        self.sha256 = sha256
    }
}

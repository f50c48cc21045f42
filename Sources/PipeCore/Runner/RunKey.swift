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

import StageKit
import Foundation

/// The measured errors of one pool: models trained on it for several budgets.
public struct PoolObservations: Sendable, Equatable {
    public var name: String
    /// The pool's size: samples in one epoch over it.
    public var samplesPerEpoch: Int64
    /// Samples seen in training, one per observation.
    public var samplesSeen: [Int64]
    /// The measured error (1 − accuracy), one per observation.
    public var errors: [Double]

    public init(name: String, samplesPerEpoch: Int64, samplesSeen: [Int64], errors: [Double]) {
        self.name = name
        self.samplesPerEpoch = samplesPerEpoch
        self.samplesSeen = samplesSeen
        self.errors = errors
    }
}

/// Reads observations JSONL: one `{"pool", "samples_seen", "error", "samples_per_epoch"}` object a line.
public enum ObservationsFile {
    /// Most passes over a pool an observation may stand for; fitting walks every pass.
    public static let maxEpochs: Int64 = 100_000
    static let maxBytes = 64 << 20

    /// Pools in the order they first appear, which is their quality rank (best first) where that matters.
    public static func load(path: String) throws -> [PoolObservations] {
        let bytes = try FileSystem.read(path, limit: maxBytes)
        return try parse(bytes, path: path)
    }

    /// Parses observations text; errors carry the file and line.
    public static func parse(_ bytes: [UInt8], path: String) throws -> [PoolObservations] {
        var pools: [PoolObservations] = []
        var indexByName: [String: Int] = [:]
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let at = SourceLocation(file: path, line: lineNumber)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch let error as JSONParseError {
                throw PipeError("filter.observations", "invalid JSON: \(error.message)",
                                at: SourceLocation(file: path, line: lineNumber, column: error.column))
            }
            guard let name = value["pool"]?.stringValue, !name.isEmpty else {
                throw PipeError("filter.observations", "an observation needs a non-empty string 'pool'", at: at)
            }
            guard let seen = value["samples_seen"]?.integerValue, seen >= 0, seen <= Planner.maxSamples else {
                throw PipeError("filter.observations", "'samples_seen' must be an integer from 0 to \(Planner.maxSamples)", at: at)
            }
            guard let epoch = value["samples_per_epoch"]?.integerValue, epoch >= 1, epoch <= Planner.maxSamples else {
                throw PipeError("filter.observations", "'samples_per_epoch' must be an integer from 1 to \(Planner.maxSamples)", at: at)
            }
            guard let error = value["error"]?.doubleValue, error.isFinite else {
                throw PipeError("filter.observations", "'error' must be a number", at: at)
            }
            guard seen / epoch <= maxEpochs else {
                throw PipeError("filter.observations", "an observation may span at most \(maxEpochs) epochs", at: at)
            }
            if let index = indexByName[name] {
                guard pools[index].samplesPerEpoch == epoch else {
                    throw PipeError("filter.observations",
                                    "pool '\(name)' has samples_per_epoch \(pools[index].samplesPerEpoch) on an earlier line and \(epoch) here",
                                    at: at)
                }
                pools[index].samplesSeen.append(seen)
                pools[index].errors.append(error)
            } else {
                indexByName[name] = pools.count
                pools.append(PoolObservations(name: name, samplesPerEpoch: epoch, samplesSeen: [seen], errors: [error]))
            }
        }
        guard !pools.isEmpty else { throw PipeError("filter.observations", "no observations", at: SourceLocation(file: path)) }
        return pools
    }
}

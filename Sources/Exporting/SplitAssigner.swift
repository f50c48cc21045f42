import StageKit
import Crypto

/// Assigns records to splits by a stable hash of a grouping key, so that records sharing a key
/// (a repository, a source problem, a model architecture) always land in the same split, on any
/// machine and whatever the task count.
public struct SplitAssigner: Sendable {
    /// Why a list of split fractions is refused.
    public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
        /// No split was given.
        case noSplits
        /// A split name is empty or appears twice.
        case invalidName(String)
        /// A fraction is negative, infinite or NaN.
        case invalidFraction(split: String, fraction: Double)
        /// The fractions do not add up to 1 within 1e-9.
        case fractionsDoNotSumToOne(Double)

        public var description: String {
            switch self {
            case .noSplits: return "no split fractions were given"
            case .invalidName(let name): return "split name '\(name)' is empty or repeated"
            case .invalidFraction(let split, let fraction):
                return "split '\(split)' has fraction \(fraction); fractions must be finite and at least 0"
            case .fractionsDoNotSumToOne(let sum): return "split fractions add up to \(sum), not 1"
            }
        }
    }

    /// The splits and their fractions, in the order given.
    public let fractions: [(name: String, fraction: Double)]
    /// Upper bounds of each chosen split's interval of [0, 1), zero-fraction splits left out.
    private let bounds: [(name: String, upper: Double)]

    /// Fractions must be finite, non-negative and add up to 1 within 1e-9; the order matters,
    /// because each split owns the next stretch of [0, 1).
    public init(fractions: [(String, Double)]) throws {
        guard !fractions.isEmpty else { throw ConfigurationError.noSplits }
        var seen: Set<String> = []
        var sum = 0.0
        var bounds: [(name: String, upper: Double)] = []
        for (name, fraction) in fractions {
            guard !name.isEmpty, seen.insert(name).inserted else { throw ConfigurationError.invalidName(name) }
            guard fraction.isFinite, fraction >= 0 else {
                throw ConfigurationError.invalidFraction(split: name, fraction: fraction)
            }
            sum += fraction
            if fraction > 0 { bounds.append((name, sum)) }
        }
        guard abs(sum - 1) <= 1e-9 else { throw ConfigurationError.fractionsDoNotSumToOne(sum) }
        // Rounding may leave the last bound just under 1; the last chosen split takes the rest.
        bounds[bounds.count - 1].upper = .infinity
        self.fractions = fractions.map { (name: $0.0, fraction: $0.1) }
        self.bounds = bounds
    }

    /// The split of every record whose grouping key is `key`.
    public func split(forGroupKey key: String) -> String {
        let u = SplitAssigner.unitValue(forGroupKey: key)
        for bound in bounds where u < bound.upper { return bound.name }
        return bounds[bounds.count - 1].name
    }

    /// The split for a grouping key taken from a record field.
    public func split(forGroupValue value: JSONValue) -> String {
        split(forGroupKey: SplitAssigner.groupKeyText(value))
    }

    /// The key's position in [0, 1): the first 8 bytes of SHA-256 of its UTF-8, big-endian, over
    /// 2^64. Only the top 53 bits are kept, which a `Double` holds exactly, so the value never
    /// rounds up to 1.
    public static func unitValue(forGroupKey key: String) -> Double {
        var text = key
        let prefix = text.withUTF8 { bytes -> UInt64 in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return hasher.finalize().withUnsafeBytes { digest in
                UInt64(bigEndian: digest.loadUnaligned(as: UInt64.self))
            }
        }
        return Double(prefix >> 11) * 0x1p-53
    }

    /// The text of a grouping key: a string as itself, anything else as compact JSON, so numeric
    /// keys work too. Integral numbers are written as integers, so `3` and `3.0`, which are the same
    /// JSON value, share a split.
    public static func groupKeyText(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return JSONWriter.compactString(canonicalNumbers(value))
    }

    private static func canonicalNumbers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let number):
            guard number.rounded() == number, number >= -0x1p63, number < 0x1p63 else { return value }
            return .integer(Int64(number))
        case .array(let elements): return .array(elements.map(canonicalNumbers))
        case .object(let members): return .object(members.mapValues(canonicalNumbers))
        default: return value
        }
    }
}

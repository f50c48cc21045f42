import StageKit
import Foundation

/// Why a record has no quality score; it becomes a reject with this code and reason.
public struct QualityFailure: Error, Sendable, Equatable {
    public var code: String
    public var reason: String
}

/// Where a record's quality comes from: a numeric field, or the built-in score for code files.
public enum QualityScorer: Sendable, Equatable {
    /// A top-level numeric field of the record (higher is better).
    case field(String)
    /// `CodeQuality.score`, from the signals `corpus.mine` writes on its `files` records.
    case builtinCode

    /// The name that selects the built-in score in `quality_field`.
    public static let builtinName = "builtin_code_quality"

    public init(qualityField: String) {
        self = qualityField == Self.builtinName ? .builtinCode : .field(qualityField)
    }

    /// The record's quality; always finite.
    public func score(_ record: JSONValue) throws(QualityFailure) -> Double {
        switch self {
        case .builtinCode:
            return try CodeQuality.score(record)
        case .field(let name):
            guard let value = record[name] else {
                throw QualityFailure(code: "filter.quality_missing", reason: "record has no quality field '\(name)'")
            }
            return try Self.number(value, field: name)
        }
    }

    static func number(_ value: JSONValue, field: String) throws(QualityFailure) -> Double {
        guard let number = value.doubleValue else {
            throw QualityFailure(code: "filter.quality_not_numeric",
                                 reason: "quality field '\(field)' is \(value.typeName), not a number")
        }
        guard number.isFinite else {
            throw QualityFailure(code: "filter.quality_not_numeric", reason: "quality field '\(field)' is not finite")
        }
        return number
    }
}

/// The built-in quality score of a source file, from the signals `corpus.mine` records on each `files`
/// record, so that an HPC corpus can be filtered without outside scores.
///
/// Each signal maps to [0, 1]; the score is their weighted sum, halved for generated or vendored files:
///
/// | signal | field | maps to 1 when | maps to 0 when | weight |
/// |---|---|---|---|---|
/// | line length | `mean_line_length` m | 20 ≤ m ≤ 60 | m ≤ 5 or m ≥ 100 (BigCode's limit), linear between | 0.20 |
/// | longest line | `max_line_length` L | L ≤ 120 | L ≥ 1000 (BigCode's limit), linear between | 0.10 |
/// | alphanumeric share | `alnum_fraction` f | f ≥ 0.6 | f ≤ 0.25 (BigCode's limit), linear between | 0.20 |
/// | size | `lines` n | n ≥ 200 | n ≤ 1; log10(n)/log10(200) between | 0.15 |
/// | paradigm richness | `paradigms`, p distinct names | — | p = 0; 1 − 0.4^p (0.6, 0.84, 0.94, …) | 0.20 |
/// | uniqueness | `near_dup_cluster_size` c | c = 1 | 1/√c (0.5 at c = 4) | 0.15 |
///
/// Line length and the alphanumeric share separate code from data tables, minified or binary-like text;
/// size favours files with enough context to learn from; paradigms are what an HPC corpus is for; and a
/// file with many near duplicates adds little that its cluster's kept member does not. `generated` and
/// `vendored` (optional booleans) halve the score when true.
public enum CodeQuality {
    /// The fields the score needs on every record.
    public static let requiredFields = [
        "mean_line_length", "max_line_length", "alnum_fraction", "lines", "paradigms", "near_dup_cluster_size",
    ]

    public static func score(_ record: JSONValue) throws(QualityFailure) -> Double {
        let meanLength = try number(record, "mean_line_length")
        let maxLength = try number(record, "max_line_length")
        let alnum = try number(record, "alnum_fraction")
        let lines = try number(record, "lines")
        let clusterSize = try number(record, "near_dup_cluster_size")
        guard let paradigms = record["paradigms"]?.arrayValue else {
            throw QualityFailure(code: record["paradigms"] == nil ? "filter.quality_missing" : "filter.quality_not_numeric",
                                 reason: "builtin_code_quality needs 'paradigms', a list of paradigm names")
        }
        let names = Set(paradigms.compactMap(\.stringValue))
        var score = 0.20 * lineLengthSignal(meanLength)
        score += 0.10 * ramp(maxLength, zeroAt: 1000, oneAt: 120)
        score += 0.20 * ramp(alnum, zeroAt: 0.25, oneAt: 0.6)
        score += 0.15 * sizeSignal(lines)
        score += 0.20 * (1 - pow(0.4, Double(names.count)))
        score += 0.15 / max(clusterSize, 1).squareRoot()
        if record["generated"]?.boolValue == true || record["vendored"]?.boolValue == true { score *= 0.5 }
        return score
    }

    static func number(_ record: JSONValue, _ field: String) throws(QualityFailure) -> Double {
        guard let value = record[field] else {
            throw QualityFailure(code: "filter.quality_missing",
                                 reason: "builtin_code_quality needs '\(field)' (fields: \(requiredFields.joined(separator: ", ")))")
        }
        return try QualityScorer.number(value, field: field)
    }

    /// 0 at `zeroAt`, 1 at `oneAt`, linear between and flat outside.
    static func ramp(_ x: Double, zeroAt: Double, oneAt: Double) -> Double {
        min(max((x - zeroAt) / (oneAt - zeroAt), 0), 1)
    }

    static func lineLengthSignal(_ mean: Double) -> Double {
        mean <= 60 ? ramp(mean, zeroAt: 5, oneAt: 20) : ramp(mean, zeroAt: 100, oneAt: 60)
    }

    static func sizeSignal(_ lines: Double) -> Double {
        lines <= 1 ? 0 : min(log10(lines) / log10(200), 1)
    }
}

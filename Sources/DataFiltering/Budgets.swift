import StageKit
import Foundation

/// Sample counts as people write them: `32M`, `1.5B`, `640000000`, `12_800_000`.
public enum SampleCount {
    static let suffixes: [(Character, Int64)] = [("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("B", 1_000_000_000),
                                                  ("T", 1_000_000_000_000)]

    /// A comma-separated list of counts.
    public static func parseList(_ text: String) throws -> [Int64] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw PipeError("filter.budget", "give budgets as a comma-separated list, e.g. 32M,64M,128M,640M")
        }
        return try parts.map(parse)
    }

    /// One count: digits, an optional fraction, and an optional K, M, G/B or T suffix (case-insensitive);
    /// the result must be a whole number of samples.
    public static func parse(_ text: String) throws -> Int64 {
        var body = text.replacingOccurrences(of: "_", with: "")
        var multiplier: Int64 = 1
        if let last = body.last?.uppercased().first, let match = suffixes.first(where: { $0.0 == last }) {
            multiplier = match.1
            body.removeLast()
        }
        let pieces = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = pieces.first.map(String.init) ?? ""
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        let invalid = PipeError("filter.budget", "'\(text)' is not a sample count (e.g. 32M, 1.5B, 640000000)")
        guard !whole.isEmpty || !fraction.isEmpty, (whole + fraction).allSatisfy(\.isASCIIDigit),
            whole.count <= 18, fraction.count <= 18
        else { throw invalid }
        // Exact decimal arithmetic: 1.5M is 1,500,000, never 1,499,999.
        var scale: Int64 = 1
        for _ in 0..<fraction.count { scale *= 10 }
        let wholeValue = Int64(whole.isEmpty ? "0" : whole) ?? 0
        let fractionValue = Int64(fraction.isEmpty ? "0" : fraction) ?? 0
        let (wholeSamples, overflowA) = wholeValue.multipliedReportingOverflow(by: multiplier)
        let (fractionScaled, overflowB) = fractionValue.multipliedReportingOverflow(by: multiplier)
        guard !overflowA, !overflowB, fractionScaled % scale == 0 else { throw invalid }
        let (total, overflowC) = wholeSamples.addingReportingOverflow(fractionScaled / scale)
        guard !overflowC, total <= Planner.maxSamples else {
            throw PipeError("filter.budget", "'\(text)' is more than \(Planner.maxSamples) samples")
        }
        return total
    }

    /// The shortest exact form with a suffix: 32000000 → `32M`, 1500000 → `1.5M`, 12345 → `12345`.
    public static func format(_ samples: Int64) -> String {
        for (suffix, unit) in suffixes.reversed() where suffix != "G" && samples >= unit {
            let whole = samples / unit
            let rest = samples % unit
            if rest == 0 { return "\(whole)\(suffix)" }
            var digits = String(rest)
            let width = String(unit).count - 1
            digits = String(repeating: "0", count: width - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            // 1.5M reads well; 1234.567K does not, so large wholes wait for a smaller unit or none.
            if digits.count <= 3 && (whole < 1000 || unit == suffixes[suffixes.count - 1].1) {
                return "\(whole).\(digits)\(suffix)"
            }
        }
        return String(samples)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

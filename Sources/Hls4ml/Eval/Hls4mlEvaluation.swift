import Foundation
import Readers
import StageKit

/// Scores surrogate predictions (`{"id", "BRAM", "DSP", "FF", "LUT", "cycles_max", "interval_max"}` lines)
/// against wa-hls4ml records, as the benchmark does: ground truth from `resource_report` (post-synthesis; BRAM in
/// 36 Kb tiles, as published) and `latency_report`; records without a resource report are excluded, never
/// imputed. Scores overall, per subset (dense, conv1d, conv2d) and per exemplar architecture.
///
/// Unknown ids, repeated ids, predictions without a target and records without a prediction are counted and
/// listed, never dropped silently.
public struct Hls4mlEvaluation {
    /// The six targets, by their prediction key.
    public static let targets = ["BRAM", "DSP", "FF", "LUT", "cycles_max", "interval_max"]

    struct Truth {
        var group: String
        var values: [Double?]
        var predicted: [Double?]?
    }

    private var truths: [String: Truth] = [:]
    private var order: [String] = []
    private(set) var excluded = 0
    private var excludedIDs: Set<String> = []
    private var predictedExcluded: [String] = []
    private var unknown: [String] = []
    private var duplicates: [String] = []
    private var unreadable: [String] = []
    private var missingTargets: [String: [String]] = [:]

    public init() {}

    /// The group of a record: `exemplar/<Arch>` for exemplar records (model name `<Arch>_<bits>b_<rf>rf_<L|R>`),
    /// else `conv2d`, `conv1d` or `dense` by the layers it has.
    public static func group(of record: JSONValue) -> String {
        if let name = record["meta_data"]?["model_name"]?.stringValue, let arch = exemplarArchitecture(name) { return "exemplar/" + arch }
        let classes = (record["model_config"]?.arrayValue ?? []).compactMap { $0["class_name"]?.stringValue }
        if classes.contains(where: { $0.hasSuffix("Conv2D") }) { return "conv2d" }
        if classes.contains(where: { $0.hasSuffix("Conv1D") }) { return "conv1d" }
        return "dense"
    }

    static func exemplarArchitecture(_ name: String) -> String? {
        let parts = name.split(separator: "_")
        guard parts.count == 4, parts[1].hasSuffix("b"), parts[1].dropLast().allSatisfy(\.isNumber), parts[2].hasSuffix("rf"),
            parts[2].dropLast(2).allSatisfy(\.isNumber), parts[3] == "L" || parts[3] == "R", parts[0].allSatisfy(\.isLetter)
        else { return nil }
        return String(parts[0])
    }

    /// The truth of a record, in the order of `targets`; nil when it is not scorable (empty resource report).
    public static func truth(of record: JSONValue) -> [Double?]? {
        guard let resource = record["resource_report"]?.objectValue, !resource.isEmpty else { return nil }
        let latency = record["latency_report"]
        func number(_ value: JSONValue?) -> Double? {
            if let text = value?.stringValue { return Double(text.trimmingSpaces) }
            return value?.doubleValue
        }
        return [number(resource["bram"]), number(resource["dsp"]), number(resource["ff"]), number(resource["lut"]),
                number(latency?["cycles_max"]), number(latency?["interval_max"])]
    }

    /// Adds a dataset record (ours, with `id`; or a published one, whose id is computed as `hls4ml.import` does).
    public mutating func addDatasetRecord(_ record: JSONValue) {
        guard case .object = record else { return }
        let id = record["id"]?.stringValue ?? RecordAdditions.recordID(record)
        guard truths[id] == nil, !excludedIDs.contains(id) else { return }
        guard let values = Self.truth(of: record) else {
            excluded += 1
            excludedIDs.insert(id)
            return
        }
        truths[id] = Truth(group: Self.group(of: record), values: values)
        order.append(id)
    }

    /// Adds one prediction line; `place` names it in listings.
    public mutating func addPrediction(_ record: JSONValue, place: String) {
        guard let id = RecordKey.idText(record["id"]) else {
            unreadable.append("\(place): no id")
            return
        }
        guard var truth = truths[id] else {
            // A record without a synthesis report is known but not scored: not an unknown id.
            if excludedIDs.contains(id) { predictedExcluded.append(id) } else { unknown.append(id) }
            return
        }
        guard truth.predicted == nil else {
            duplicates.append(id)
            return
        }
        var values: [Double?] = []
        for target in Self.targets {
            let value = record[target] ?? record[target.lowercased()]
            let number = value?.doubleValue ?? value?.stringValue.flatMap { Double($0.trimmingSpaces) }
            if let number, number.isFinite {
                values.append(number)
            } else {
                values.append(nil)
                missingTargets[target, default: []].append(id)
            }
        }
        truth.predicted = values
        truths[id] = truth
    }

    /// Notes a prediction line that could not be read.
    public mutating func addUnreadable(_ description: String) { unreadable.append(description) }

    /// Reads a predictions file (JSON Lines; plain, gzip or zstd).
    public mutating func readPredictions(path: String) throws {
        try PredictionLines.read(path: path, record: { addPrediction($0, place: $1) }, unreadable: { addUnreadable($0) })
    }

    /// Reads dataset records from a file: JSON Lines or a top-level array (a published wa-hls4ml file).
    public mutating func readDatasetFile(path: String) throws {
        let reader = JSONRecordReader(path: path)
        var failure: PipeError?
        try reader.read { record, _ in
            addDatasetRecord(record)
        } problem: { problem in
            failure = failure ?? PipeError("eval.dataset", "\(path): \(problem.reason)")
        }
        if let failure { throw failure }
    }

    /// The scores, coverage and listings.
    public func report() -> Hls4mlEvaluationReport {
        var groups: [String: [[Double]]] = [:]
        var predictedGroups: [String: [[Double]]] = [:]
        var missing: [String] = []
        var predictedCount = 0
        func add(_ group: String, _ target: Int, _ y: Double, _ p: Double) {
            groups[group, default: Array(repeating: [], count: Self.targets.count)][target].append(y)
            predictedGroups[group, default: Array(repeating: [], count: Self.targets.count)][target].append(p)
        }
        for id in order {
            guard let truth = truths[id] else { continue }
            guard let predicted = truth.predicted else {
                missing.append(id)
                continue
            }
            predictedCount += 1
            for target in 0..<Self.targets.count {
                guard let y = truth.values[target], let p = predicted[target] else { continue }
                add("overall", target, y, p)
                if truth.group.hasPrefix("exemplar/") { add("exemplar", target, y, p) }
                add(truth.group, target, y, p)
            }
        }
        var scores: [String: [String: TargetScore]] = [:]
        for (group, truthColumns) in groups {
            var byTarget: [String: TargetScore] = [:]
            for (index, target) in Self.targets.enumerated() {
                byTarget[target] = TargetScore(truth: truthColumns[index], predicted: predictedGroups[group]?[index] ?? [])
            }
            scores[group] = byTarget
        }
        let scorable = order.count
        return Hls4mlEvaluationReport(
            scorable: scorable, excluded: excluded, predicted: predictedCount,
            coverage: scorable == 0 ? nil : Double(predictedCount) / Double(scorable), scores: scores,
            missing: .init(missing), unknown: .init(unknown), duplicates: .init(duplicates), unreadable: .init(unreadable),
            missingTargets: missingTargets.mapValues { .init($0) }, excludedPredictions: .init(predictedExcluded))
    }

    /// Relative percent errors per group and target, for the box plots.
    public func relativeErrors() -> [String: [String: [Double]]] {
        var out: [String: [String: [Double]]] = [:]
        for id in order {
            guard let truth = truths[id], let predicted = truth.predicted else { continue }
            for (index, target) in Self.targets.enumerated() {
                guard let y = truth.values[index], let p = predicted[index] else { continue }
                let rpe = (y - p) / (y + 1) * 100
                out["overall", default: [:]][target, default: []].append(rpe)
                out[truth.group, default: [:]][target, default: []].append(rpe)
            }
        }
        return out
    }
}

/// What `pipe eval hls4ml` reports.
public struct Hls4mlEvaluationReport: Sendable, Equatable, Encodable {
    /// Records with a post-synthesis resource report (the ground truth).
    public var scorable: Int
    /// Records without one: excluded, never imputed.
    public var excluded: Int
    /// Scorable records with a prediction.
    public var predicted: Int
    /// predicted / scorable.
    public var coverage: Double?
    /// Group (`overall`, `dense`, `conv1d`, `conv2d`, `exemplar`, `exemplar/<Arch>`) → target → score.
    public var scores: [String: [String: TargetScore]]
    public var missing: Listing
    public var unknown: Listing
    public var duplicates: Listing
    public var unreadable: Listing
    /// Per target, predictions that lack it (or give no finite number): those pairs are not scored.
    public var missingTargets: [String: Listing]
    /// Predictions for records that are excluded (no synthesis report): known ids, not scored.
    public var excludedPredictions: Listing

    enum CodingKeys: String, CodingKey {
        case scorable, excluded, predicted, coverage, scores, missing, unknown, duplicates, unreadable
        case missingTargets = "missing_targets", excludedPredictions = "excluded_predictions"
    }

    /// The report as tables for people: one per group, N/A where R² is undefined.
    public var table: String {
        func number(_ value: Double?, _ digits: Int) -> String {
            guard let value else { return "N/A" }
            return String(format: "%.\(digits)f", value)
        }
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines: [String] = []
        lines.append("scorable records: \(scorable) (excluded without a synthesis report: \(excluded)); predicted: \(predicted); coverage: "
                     + (coverage.map { String(format: "%.2f%%", $0 * 100) } ?? "N/A"))
        let ordered = scores.keys.sorted { lhs, rhs in
            let rank: (String) -> Int = { $0 == "overall" ? 0 : $0.hasPrefix("exemplar") ? 2 : 1 }
            return (rank(lhs), lhs) < (rank(rhs), rhs)
        }
        for group in ordered {
            guard let byTarget = scores[group] else { continue }
            lines.append("")
            lines.append(group)
            lines.append("  target            n        R2    SMAPE%            RMSE   RPE% p50")
            for target in Hls4mlEvaluation.targets {
                guard let score = byTarget[target] else { continue }
                let median = score.rpePercentiles.count == 5 ? score.rpePercentiles[2] : nil
                lines.append("  " + target + pad(String(score.n), 15 - target.count) + pad(number(score.r2, 4), 10)
                             + pad(number(score.smape, 2), 9) + pad(number(score.rmse, 2), 16) + pad(number(median, 2), 11))
            }
        }
        for (name, listing) in [("records without a prediction", missing), ("unknown ids", unknown), ("repeated ids", duplicates),
                                ("unreadable predictions", unreadable),
                                ("predictions for excluded records (no synthesis report), not scored", excludedPredictions)]
        where listing.count > 0 {
            lines.append("\(name): \(listing.count) (\(listing.first.prefix(5).joined(separator: ", "))\(listing.count > 5 ? ", ..." : ""))")
        }
        for target in missingTargets.keys.sorted() {
            guard let listing = missingTargets[target] else { continue }
            lines.append("predictions without \(target): \(listing.count) (\(listing.first.prefix(5).joined(separator: ", "))\(listing.count > 5 ? ", ..." : ""))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

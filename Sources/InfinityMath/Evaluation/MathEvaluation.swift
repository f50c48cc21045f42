import Foundation
import StageKit

/// Scores predictions (`{"id", "answer"}` lines) against a built math dataset: accuracy on the original problems
/// and on their instances, and the GSM8K+/MATH+ consistency metrics of InfinityMATH: per problem, its versions are
/// the original and its instances; x counts problems with at least one version right, y those with all right.
///
/// Ids the dataset does not have, items without a prediction, repeated ids and answers that are not numbers are
/// counted and listed, never ignored.
public struct MathEvaluation {
    /// One gradable item: a program record (the original problem) or an instance.
    struct Item {
        var sourceID: String
        var answer: Double
        var original: Bool
        var prediction: Double??
    }

    private var items: [String: Item] = [:]
    private var unknown: [String] = []
    private var duplicates: [String] = []
    private var unreadable: [String] = []
    /// Items per kind read from the dataset.
    public private(set) var originals = 0
    public private(set) var instances = 0

    public init() {}

    /// Adds a dataset record: a `math-program` record (it has `program`) or a `math-instance` record (`program_id`).
    /// Throws `eval.dataset` for anything else.
    public mutating func addDatasetRecord(_ record: JSONValue) throws {
        guard let id = record["id"]?.stringValue, let source = record["source_id"]?.stringValue,
              let answer = record["answer"]?.doubleValue else {
            throw PipeError("eval.dataset", "a dataset record without id, source_id and a numeric answer")
        }
        // A partial-substitution variant has the original's answer: not an item of its own.
        if let substituted = record["substituted"]?.arrayValue, !substituted.isEmpty { return }
        let original = record["program"] != nil
        guard original || record["program_id"] != nil else {
            throw PipeError("eval.dataset", "record \(id) is neither a math-program nor a math-instance record")
        }
        if items[id] == nil {
            if original { originals += 1 } else { instances += 1 }
        }
        items[id] = Item(sourceID: source, answer: answer, original: original, prediction: nil)
    }

    /// Adds one prediction line (already parsed); `place` names it in reports (`file:line`).
    public mutating func addPrediction(_ record: JSONValue, place: String) {
        guard let id = RecordKey.idText(record["id"]) else {
            unreadable.append("\(place): no id")
            return
        }
        guard var item = items[id] else {
            unknown.append(id)
            return
        }
        if item.prediction != nil {
            duplicates.append(id)
            return
        }
        switch record["answer"] {
        case .integer(let value)?: item.prediction = .some(Double(value))
        case .number(let value)?: item.prediction = .some(value)
        case .string(let text)?: item.prediction = .some(PredictionAnswer.number(.text(text)))
        default: item.prediction = .some(nil)
        }
        if case .some(nil) = item.prediction { unreadable.append("\(place): id \(id): the answer is not a number") }
        items[id] = item
    }

    /// Notes a prediction line that could not be read at all.
    public mutating func addUnreadable(_ description: String) { unreadable.append(description) }

    /// Whether a predicted number is the answer (relative 1e-6, the tolerance programs are verified with).
    public static func isCorrect(_ predicted: Double, _ answer: Double) -> Bool {
        (predicted - answer).magnitude <= 1e-6 * max(1, answer.magnitude)
    }

    public func report() -> MathEvaluationReport {
        var originalScore = MathEvaluationReport.Score()
        var instanceScore = MathEvaluationReport.Score()
        var byProblem: [String: (right: Int, total: Int)] = [:]
        var missing: [String] = []
        for (id, item) in items.sorted(by: { $0.key < $1.key }) {
            let right: Bool
            switch item.prediction {
            case nil:
                missing.append(id)
                right = false
            case .some(nil):
                right = false
            case .some(.some(let value)):
                right = Self.isCorrect(value, item.answer)
            }
            if item.original {
                originalScore.add(answered: item.prediction != nil, right: right)
            } else {
                instanceScore.add(answered: item.prediction != nil, right: right)
            }
            byProblem[item.sourceID, default: (0, 0)].right += right ? 1 : 0
            byProblem[item.sourceID, default: (0, 0)].total += 1
        }
        let x = byProblem.values.filter { $0.right > 0 }.count
        let y = byProblem.values.filter { $0.right == $0.total }.count
        return MathEvaluationReport(
            originals: originalScore, instances: instanceScore,
            consistency: .init(problems: byProblem.count, x: x, y: y, ratio: x == 0 ? nil : Double(y) / Double(x)),
            missing: .init(missing), unknown: .init(unknown.sorted()), duplicates: .init(duplicates.sorted()),
            unreadable: .init(unreadable))
    }
}

/// What `pipe eval math` reports (written with `--out`; keys sorted by the canonical writer).
public struct MathEvaluationReport: Encodable, Sendable, Equatable {
    /// Items, answered items, right answers, and the accuracy over all items (unanswered ones count as wrong).
    public struct Score: Encodable, Sendable, Equatable {
        public var items = 0
        public var answered = 0
        public var correct = 0
        public var accuracy: Double? { items == 0 ? nil : Double(correct) / Double(items) }

        public init(items: Int = 0, answered: Int = 0, correct: Int = 0) {
            self.items = items
            self.answered = answered
            self.correct = correct
        }

        mutating func add(answered isAnswered: Bool, right: Bool) {
            items += 1
            answered += isAnswered ? 1 : 0
            correct += right ? 1 : 0
        }

        enum CodingKeys: String, CodingKey { case items, answered, correct, accuracy }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(answered, forKey: .answered)
            try container.encode(correct, forKey: .correct)
            try container.encode(accuracy, forKey: .accuracy)
        }
    }

    /// The GSM8K+/MATH+ metrics over problems (each with its original and its instances).
    public struct Consistency: Encodable, Sendable, Equatable {
        public var problems: Int
        /// Problems with at least one version answered right.
        public var x: Int
        /// Problems with every version answered right.
        public var y: Int
        /// y / x.
        public var ratio: Double?

        enum CodingKeys: String, CodingKey { case problems, x, y, ratio = "y_over_x" }
    }

    public var originals: Score
    public var instances: Score
    public var consistency: Consistency
    /// Dataset items without a prediction.
    public var missing: Listing
    /// Predicted ids the dataset does not have.
    public var unknown: Listing
    /// Ids predicted more than once (the first prediction counts).
    public var duplicates: Listing
    /// Prediction lines that are not JSON objects with an id, or whose answer is not a number.
    public var unreadable: Listing

    enum CodingKeys: String, CodingKey { case originals, instances, consistency, missing, unknown, duplicates, unreadable }

    /// The report as a table for people.
    public var table: String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines = ["            items  answered   correct  accuracy"]
        for (name, score) in [("originals", originals), ("instances", instances)] {
            lines.append(name + pad(String(score.items), 17 - name.count) + pad(String(score.answered), 10)
                         + pad(String(score.correct), 10) + pad(percent(score.accuracy), 10))
        }
        lines.append("")
        lines.append("GSM8K+-style consistency over \(consistency.problems) problems (the original and its instances):")
        lines.append("  x (at least one right)  \(consistency.x)")
        lines.append("  y (all right)           \(consistency.y)")
        lines.append("  y/x                     \(percent(consistency.ratio))")
        for (name, listing) in [("missing predictions", missing), ("unknown ids", unknown), ("repeated ids", duplicates),
                                ("unreadable predictions", unreadable)] where listing.count > 0 {
            lines.append("\(name): \(listing.count) (\(listing.first.prefix(5).joined(separator: ", "))\(listing.count > 5 ? ", ..." : ""))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

import Foundation
import StageKit

/// An entry's ratings laid out for people: per category, the declared rating and what its checklist gives.
public struct RatingSheet: Sendable, Equatable {
    /// One category of the sheet.
    public struct Row: Sendable, Equatable {
        public var category: RubricCategory
        public var declared: Double?
        /// The checklist scored against the rubric; nil when the entry has no checklist for the category.
        public var score: CategoryScore?
    }

    public var name: String
    public var rows: [Row]

    public init(entry: EntryReport, rubric: Rubric) {
        self.init(name: entry.name, ratings: entry.value["ratings"], rubric: rubric)
    }

    /// The sheet of an entry's `ratings` value (a mapping of category keys to `{rating, reason, checklist}`).
    public init(name: String, ratings: JSONValue?, rubric: Rubric) {
        self.name = name
        rows = rubric.categories.map { category in
            let rating = ratings?[category.key]
            let declared = rating?["rating"]?.doubleValue
            let score = rating?["checklist"]?.objectValue.map { CategoryScore(category: category, checklist: $0) }
            return Row(category: category, declared: declared, score: score)
        }
    }

    /// The mean of the six computed scores, when every category's checklist is complete.
    public var computedOverall: Double? {
        let scores = rows.compactMap { $0.score?.score }
        return scores.count == rows.count ? RatingSummary.mean(scores) : nil
    }

    /// The mean of the declared ratings present.
    public var declaredOverall: Double? { RatingSummary.mean(rows.compactMap(\.declared)) }

    /// The sheet as text: a line per category, the criteria met, partly met, missed and unanswered, then the means.
    public var text: String {
        var lines = [name]
        let width = (rows.map { $0.category.code.count + 1 + $0.category.key.count }.max() ?? 0) + 2
        for row in rows {
            let label = "\(row.category.code) \(row.category.key)"
            let computed = row.score?.score.map { "computed \(Self.number($0))/\(Self.number(row.category.maximumPoints))" }
                ?? (row.score == nil ? "no checklist" : "checklist incomplete")
            let declared = row.declared.map { "declared \(Self.number($0))" } ?? "not rated"
            lines.append("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + Self.column(computed) + declared)
            guard let score = row.score else { continue }
            if !score.met.isEmpty { lines.append("      met:        " + score.met.map(\.id).joined(separator: ", ")) }
            let partly = score.awarded.filter { $0.points > 0 && $0.points < $0.criterion.points }
            if !partly.isEmpty {
                lines.append("      partly met: " + partly.map { "\($0.criterion.id) (\(Self.number($0.points)) of \(Self.number($0.criterion.points)))" }.joined(separator: ", "))
            }
            if !score.missed.isEmpty { lines.append("      missed:     " + score.missed.map(\.id).joined(separator: ", ")) }
            if !score.unanswered.isEmpty { lines.append("      unanswered: " + score.unanswered.map(\.id).joined(separator: ", ")) }
        }
        let computed = computedOverall.map { "computed \(Self.number($0))" } ?? "computed -"
        let declared = declaredOverall.map { "declared \(Self.number($0))" } ?? "not rated"
        lines.append("  " + "overall".padding(toLength: width, withPad: " ", startingAt: 0) + Self.column(computed) + declared)
        return lines.joined(separator: "\n")
    }

    /// `{"name", "categories": [{category, code, declared, computed, met, partly_met, missed, unanswered}], "overall": {...}}`.
    public var json: JSONValue {
        let categories: [JSONValue] = rows.map { row in
            let score = row.score
            return .object([
                "category": .string(row.category.key),
                "code": .string(row.category.code),
                "declared": row.declared.map(RatingSummary.number) ?? .null,
                "computed": score?.score.map(RatingSummary.number) ?? .null,
                "met": .array((score?.met ?? []).map { .string($0.id) }),
                "partly_met": .array((score?.partlyMet ?? []).map { .string($0.id) }),
                "missed": .array((score?.missed ?? []).map { .string($0.id) }),
                "unanswered": .array((score?.unanswered ?? row.category.criteria).map { .string($0.id) }),
            ])
        }
        return .object([
            "name": .string(name),
            "categories": .array(categories),
            "overall": .object([
                "declared": declaredOverall.map(RatingSummary.number) ?? .null,
                "computed": computedOverall.map(RatingSummary.number) ?? .null,
            ]),
        ])
    }

    /// The computed column: 18 wide, wider for a longer text ("checklist incomplete") rather than cutting it.
    private static func column(_ text: String) -> String {
        text.padding(toLength: max(18, text.count + 2), withPad: " ", startingAt: 0)
    }

    /// 4, 3.5, 3.917.
    static func number(_ value: Double) -> String { RatingsCheck.text(value) }

    /// A rating as text the way the catalogue writes it: 4, 3.5, 3.917.
    public static func text(_ value: Double) -> String { RatingsCheck.text(value) }

    /// A rating as JSON: whole numbers as integers.
    public static func json(_ value: Double) -> JSONValue { RatingSummary.number(value) }
}

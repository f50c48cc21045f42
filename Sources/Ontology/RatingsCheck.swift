import StageKit

/// The declared ratings and, where an entry answers the rubric's checklist, the scores computed from it.
public struct RatingSummary: Sendable, Equatable {
    /// Category key → declared rating, in rubric order.
    public var declared: [(category: String, rating: Double)]
    /// Category key → score computed from a complete checklist, in rubric order.
    public var computed: [(category: String, score: Double)]

    /// The mean of the declared ratings, rounded to 3 decimals as the catalogue's site does; nil when none.
    public var overall: Double? { Self.mean(declared.map(\.rating)) }
    /// The mean of the computed scores, when every category's checklist is complete.
    public func computedOverall(categories: Int) -> Double? {
        computed.count == categories ? Self.mean(computed.map(\.score)) : nil
    }

    /// Whole numbers as integers (5, not 5.0), as the catalogue writes them.
    static func number(_ value: Double) -> JSONValue {
        if let integer = JSONValue.number(value).integerValue { return .integer(integer) }
        return .number(value)
    }

    static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return ((values.reduce(0, +) / Double(values.count)) * 1000).rounded() / 1000
    }

    public static func == (lhs: RatingSummary, rhs: RatingSummary) -> Bool {
        lhs.declared.map(\.category) == rhs.declared.map(\.category) && lhs.declared.map(\.rating) == rhs.declared.map(\.rating)
            && lhs.computed.map(\.category) == rhs.computed.map(\.category) && lhs.computed.map(\.score) == rhs.computed.map(\.score)
    }

    /// `{"declared": {...}, "computed": {...}, "overall": 3.5}`.
    public var json: JSONValue {
        .object([
            "declared": .object(Dictionary(uniqueKeysWithValues: declared.map { ($0.category, Self.number($0.rating)) })),
            "computed": .object(Dictionary(uniqueKeysWithValues: computed.map { ($0.category, Self.number($0.score)) })),
            "overall": overall.map(Self.number) ?? .null,
        ])
    }
}

/// Ratings against the rubric: each declared rating lies in 0-5 (in halves), each checklist names the
/// rubric's criteria with answers it accepts, and a complete checklist's score is the declared rating.
struct RatingsCheck {
    let rubric: Rubric

    func check(_ entry: JSONValue, into findings: inout EntryFindings) -> RatingSummary {
        var summary = RatingSummary(declared: [], computed: [])
        guard let ratings = entry["ratings"]?.objectValue else { return summary }
        let rated = rubric.categories.filter { ratings[$0.key] != nil }
        if rated.isEmpty {
            findings.add("ontology.not_rated", .warning, field: "/ratings",
                         "the entry is not rated: give the six ratings of docs/ratings.md (\(rubric.categories.map(\.key).joined(separator: ", ")))")
            return summary
        }
        for category in rubric.categories {
            let pointer = "/ratings/" + category.key
            guard let rating = ratings[category.key] else {
                findings.add("ontology.rating_missing", .warning, field: pointer,
                             "'ratings' has no '\(category.key)' (\(category.code) \(category.title))", at: findings.location("/ratings"))
                continue
            }
            let declared = rating["rating"]?.doubleValue
            if let declared {
                if declared < rubric.minimum || declared > rubric.maximum {
                    let note = declared < 0 ? " (0 means the criteria are not met; leave a category out until it is rated)" : ""
                    findings.add("ontology.rating_range", .error, field: pointer + "/rating",
                                 "'\(category.key)' is rated \(Self.text(declared)), outside \(Self.text(rubric.minimum))-\(Self.text(rubric.maximum))\(note)")
                } else {
                    summary.declared.append((category.key, declared))
                    if rubric.step > 0, (declared / rubric.step).rounded() * rubric.step != declared {
                        findings.add("ontology.rating_step", .warning, field: pointer + "/rating",
                                     "'\(category.key)' is rated \(Self.text(declared)); ratings go in steps of \(Self.text(rubric.step))")
                    }
                }
            }
            guard let checklist = rating["checklist"]?.objectValue else { continue }
            if let score = checkChecklist(checklist, category: category, pointer: pointer + "/checklist", into: &findings) {
                summary.computed.append((category.key, score.value))
                if let declared, abs(declared - score.value) > 1e-9 {
                    findings.add("ontology.rating_mismatch", .error, field: pointer + "/rating",
                                 "'\(category.key)' is rated \(Self.text(declared)) but its checklist gives \(Self.text(score.value)) (\(score.explanation))")
                }
            }
        }
        return summary
    }

    /// Checks the answers; the computed score when every criterion is answered.
    private func checkChecklist(_ checklist: [String: JSONValue], category: RubricCategory, pointer: String,
                                into findings: inout EntryFindings) -> (value: Double, explanation: String)? {
        let ids = category.criteria.map(\.id)
        var usable = true
        for key in checklist.keys.sorted() where !ids.contains(key) {
            findings.add("ontology.checklist_key", .error, field: Pointer.child(pointer, key),
                         "'\(key)' is not a criterion of \(category.code)\(DidYouMean.phrase(for: key, among: ids, prefixes: true)); its criteria are \(ids.joined(separator: ", "))",
                         key: true)
            usable = false
        }
        for criterion in category.criteria {
            guard let value = checklist[criterion.id] else { continue }
            let answer = ChecklistAnswer(value)
            if answer == nil || (answer?.awarded(of: criterion.points) ?? 0) > criterion.points {
                findings.add("ontology.checklist_answer", .error, field: Pointer.child(pointer, criterion.id),
                             "the answer to '\(criterion.id)' must be yes, no, partial, unknown or points from 0 to \(Self.text(criterion.points))")
                usable = false
            }
        }
        let score = CategoryScore(category: category, checklist: checklist)
        guard usable else { return nil }
        guard let value = score.score else {
            findings.add("ontology.checklist_incomplete", .warning, field: pointer,
                         "the \(category.code) checklist does not answer \(score.unanswered.map(\.id).joined(separator: ", ")): its score is not computed")
            return nil
        }
        let met = score.awarded.filter { $0.points > 0 }.map { "\($0.criterion.id) \(Self.text($0.points))" }
        return (value, met.isEmpty ? "no criterion met" : met.joined(separator: " + "))
    }

    /// A number as people write it: 4, 3.5.
    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

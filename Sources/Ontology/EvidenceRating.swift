import StageKit

/// One rubric criterion answered from evidence: the answer a checklist holds and what shows it.
public struct EvidenceAnswer: Sendable, Equatable {
    /// `"yes"`, `"no"`, `"partial"`, `"unknown"` or the points awarded (C4's graded criteria).
    public var answer: JSONValue
    /// What the answer rests on, in a phrase (ASCII).
    public var evidence: String

    public init(_ answer: JSONValue, _ evidence: String) {
        self.answer = answer
        self.evidence = evidence
    }

    public static func yes(_ evidence: String) -> EvidenceAnswer { EvidenceAnswer("yes", evidence) }
    public static func no(_ evidence: String) -> EvidenceAnswer { EvidenceAnswer("no", evidence) }
    public static func partial(_ evidence: String) -> EvidenceAnswer { EvidenceAnswer("partial", evidence) }
    public static func unknown(_ evidence: String) -> EvidenceAnswer { EvidenceAnswer("unknown", evidence) }
    public static func points(_ points: Double, _ evidence: String) -> EvidenceAnswer { EvidenceAnswer(.number(points), evidence) }
}

/// A category rated from answered criteria. The rating is the points the answers give; a criterion whose answer is
/// unknown gives none, so while any is unknown the rating is a lower bound, and the checklist keeps "unknown" so
/// that the validator does not hold the rating to a score it cannot compute.
public enum EvidenceRating {
    public static func rate(_ category: RubricCategory, answers: [String: EvidenceAnswer]) -> CategoryRating {
        var checklist: [String: JSONValue] = [:]
        var lines: [String] = []
        for criterion in category.criteria {
            let answer = answers[criterion.id] ?? .unknown("no evidence was gathered for it")
            checklist[criterion.id] = Self.normalized(answer.answer)
            lines.append("- \(criterion.id): \(Self.text(answer.answer)): \(ASCIIFolding.fold(answer.evidence))")
        }
        let score = CategoryScore(category: category, checklist: checklist)
        let unknown = score.unanswered.map(\.id)
        let head = unknown.isEmpty
            ? "Rated from the evidence pipe has; every criterion is answered."
            : "Rated from the evidence pipe has; \(unknown.joined(separator: ", ")) unknown (no points), so \(RatingsCheck.text(score.partialSum)) is a lower bound."
        return CategoryRating(rating: score.partialSum, reason: ([head] + lines).joined(separator: "\n") + "\n",
                              checklist: checklist)
    }

    /// Whole points as integers, as the catalogue and the shipped entries write them.
    private static func normalized(_ answer: JSONValue) -> JSONValue {
        if case .number(let value) = answer, value.rounded() == value, abs(value) < 1e15 { return .integer(Int64(value)) }
        return answer
    }

    private static func text(_ answer: JSONValue) -> String {
        if let word = answer.stringValue { return word }
        return answer.doubleValue.map { "\(RatingsCheck.text($0)) points" } ?? "unknown"
    }
}

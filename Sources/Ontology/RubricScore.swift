import StageKit

/// An entry's answer to one rubric criterion, as written in a rating's `checklist`.
public enum ChecklistAnswer: Sendable, Equatable {
    /// The criterion is met: all its points.
    case yes
    /// Not met: no points.
    case no
    /// Half met: half its points (ratings.md allows non-integer scores for partial evidence).
    case partial
    /// Not answered: the category's score cannot be computed.
    case unknown
    /// The points awarded, for graded criteria such as C4's "1-2 when partially defined".
    case points(Double)

    /// Reads an answer; nil when the value is none of the accepted forms.
    public init?(_ value: JSONValue) {
        switch value {
        case .string(let text):
            switch text.lowercased() {
            case "yes": self = .yes
            case "no": self = .no
            case "partial": self = .partial
            case "unknown": self = .unknown
            default: return nil
            }
        default:
            guard let number = value.doubleValue, number >= 0 else { return nil }
            self = .points(number)
        }
    }

    /// The points this answer gives a criterion worth `points`; nil when unanswered.
    public func awarded(of points: Double) -> Double? {
        switch self {
        case .yes: return points
        case .no: return 0
        case .partial: return points / 2
        case .unknown: return nil
        case .points(let value): return value
        }
    }
}

/// A category scored from its checklist: which criteria are met, partly met, missed or unanswered.
public struct CategoryScore: Sendable, Equatable {
    public var category: RubricCategory
    /// Criteria with their awarded points, in rubric order.
    public var awarded: [(criterion: RubricCriterion, points: Double)]
    /// Criteria without an answer (missing, or "unknown").
    public var unanswered: [RubricCriterion]

    /// The computed score, when every criterion is answered.
    public var score: Double? { unanswered.isEmpty ? awarded.reduce(0) { $0 + $1.points } : nil }
    /// The points of the answered criteria: a lower bound while some are unanswered.
    public var partialSum: Double { awarded.reduce(0) { $0 + $1.points } }
    public var met: [RubricCriterion] { awarded.filter { $0.points >= $0.criterion.points }.map(\.criterion) }
    public var partlyMet: [RubricCriterion] { awarded.filter { $0.points > 0 && $0.points < $0.criterion.points }.map(\.criterion) }
    public var missed: [RubricCriterion] { awarded.filter { $0.points == 0 }.map(\.criterion) }

    public static func == (lhs: CategoryScore, rhs: CategoryScore) -> Bool {
        lhs.category == rhs.category && lhs.unanswered == rhs.unanswered
            && lhs.awarded.map(\.criterion) == rhs.awarded.map(\.criterion) && lhs.awarded.map(\.points) == rhs.awarded.map(\.points)
    }

    /// Scores `checklist` (criterion id → answer) against `category`; answers that cannot be read count as
    /// unanswered (the validator reports them).
    public init(category: RubricCategory, checklist: [String: JSONValue]) {
        self.category = category
        awarded = []
        unanswered = []
        for criterion in category.criteria {
            if let value = checklist[criterion.id], let answer = ChecklistAnswer(value),
               let points = answer.awarded(of: criterion.points), points <= criterion.points {
                awarded.append((criterion, points))
            } else {
                unanswered.append(criterion)
            }
        }
    }
}

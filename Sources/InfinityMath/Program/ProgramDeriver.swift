import Foundation

/// Turns the annotations of a solution into program steps over the question's variables.
///
/// Each number of an annotation is read as, in this order: a question quantity not used yet; the result of an
/// earlier step (the latest); a quantity used before; a percentage as a fraction (`0.2` for 20%, `1.2` for a 20%
/// increase); the complement of a fraction; a plausible constant (units such as 60 or 7, small counts), named;
/// one operation between two known values (a step the solution did in its head). A number that is none of these
/// is `math.unexplained_number`: a constant standing for a hidden intermediate would make every instance wrong.
/// `x / 2` with `half` in the question is `x * half` (and likewise a third, a quarter).
struct ProgramDeriver {
    private let problem: MathProblem
    private let quantities: [Quantity]
    private var used: [Bool]
    private var steps: [(step: ProgramStep, annotated: Double, value: Double)] = []
    private var constants: [NamedConstant] = []
    private var taken: Set<String>
    private let questionContext: String

    init(problem: MathProblem, decoupled: DecoupledQuestion) {
        self.problem = problem
        quantities = decoupled.quantities
        used = Array(repeating: false, count: decoupled.quantities.count)
        taken = Set(decoupled.quantities.map(\.name))
        questionContext = decoupled.question.lowercased()
    }

    /// The steps (only those the answer needs), the constants they use, and the name of the answer.
    mutating func derive() throws -> (steps: [ProgramStep], constants: [NamedConstant], answer: String, usesMath: Bool) {
        for annotation in problem.steps {
            let (expression, value) = try resolve(annotation.expression, annotation)
            let name = stepName(annotation)
            let comment = annotation.indexInLine == 0
                ? annotation.lineText.trimmingCharacters(in: .whitespaces)
                : "\(annotation.expressionText.trimmingCharacters(in: .whitespaces)) = \(annotation.resultText)"
            steps.append((ProgramStep(name: name, expression: expression, comment: comment), annotation.result, value))
        }
        var usesMath = false
        let gold = problem.gold
        var answer: String?
        for entry in steps.reversed() where Self.close(entry.value, gold) || entry.annotated == gold {
            answer = entry.step.name
            break
        }
        if answer == nil, let last = steps.last, gold == gold.rounded(), last.value != last.value.rounded() {
            // GSM8K answers are whole numbers: the solution rounded its last result (buses needed, items affordable).
            let roundings: [(String, Double)] = [("math.ceil", last.value.rounded(.up)), ("math.floor", last.value.rounded(.down)),
                                                 ("round", last.value.rounded(.toNearestOrEven))]
            if let (function, _) = roundings.first(where: { $0.1 == gold }) {
                let name = ContextWords.unique("answer_whole", taken: &taken)
                let step = ProgramStep(name: name, expression: .call(function, [.variable(last.step.name)]),
                                       comment: "The answer is a whole number: \(function == "round" ? "rounded" : (function == "math.ceil" ? "rounded up" : "rounded down")).")
                steps.append((step, gold, gold))
                answer = name
                usesMath = function != "round"
            }
        }
        guard let answer else {
            let last = steps.last.map { PyValue.float($0.value).repr } ?? "nothing"
            throw MathReject.answerMismatch("the annotations give \(last), the final answer is \(problem.goldText)")
        }
        // Keep only what the answer needs.
        var needed: Set<String> = [answer]
        var kept: [ProgramStep] = []
        for entry in steps.reversed() where needed.contains(entry.step.name) {
            kept.insert(entry.step, at: 0)
            needed.formUnion(entry.step.expression.names)
        }
        let questionNames = Set(quantities.map(\.name))
        guard !needed.isDisjoint(with: questionNames) else { throw MathReject.constantAnswer() }
        return (kept, constants.filter { needed.contains($0.name) }, answer, usesMath)
    }

    static func close(_ a: Double, _ b: Double) -> Bool { (a - b).magnitude <= 1e-6 * max(1, b.magnitude) }

    // MARK: resolving annotation numbers

    private mutating func resolve(_ expression: Arithmetic, _ annotation: AnnotatedStep) throws -> (ProgramExpression, Double) {
        switch expression {
        case .number(let value, _):
            return try literal(value, annotation)
        case .negate(let operand):
            let (inner, value) = try resolve(operand, annotation)
            return (.negate(inner), -value)
        case .binary(.divide, .number(let p, _), .number(let q, _)) where fractionQuantity(p, q) != nil:
            let index = fractionQuantity(p, q) ?? 0
            used[index] = true
            return (.variable(quantities[index].name), quantities[index].number)
        case .binary(.divide, .binary(.multiply, let operand, .number(let p, _)), .number(let q, _)) where fractionQuantity(p, q) != nil:
            let (inner, value) = try resolve(operand, annotation)
            let index = fractionQuantity(p, q) ?? 0
            used[index] = true
            return (.binary(.multiply, inner, .variable(quantities[index].name)), value * quantities[index].number)
        case .binary(.divide, let operand, .number(let q, _)) where unitFraction(q) != nil:
            let (inner, value) = try resolve(operand, annotation)
            guard let index = unitFraction(q) else { return (inner, value) }
            used[index] = true
            return (.binary(.multiply, inner, .variable(quantities[index].name)), value * quantities[index].number)
        case .binary(let op, let left, let right):
            let (a, x) = try resolve(left, annotation)
            let (b, y) = try resolve(right, annotation)
            return (.binary(op, a, b), Self.apply(op, x, y))
        }
    }

    private static func apply(_ op: PyBinaryOperator, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return y == 0 ? .nan : x / y
        default: return .nan
        }
    }

    /// A fraction of the question written p/q (or a word for it), preferring one not used yet.
    private func fractionQuantity(_ p: Double, _ q: Double) -> Int? {
        let candidates = quantities.indices.filter {
            guard let fraction = quantities[$0].fraction else { return false }
            return Double(fraction.numerator) == p && Double(fraction.denominator) == q
        }
        return candidates.first { !used[$0] } ?? candidates.first
    }

    /// An unused unit fraction 1/q of the question (`half` for `/ 2`).
    private func unitFraction(_ q: Double) -> Int? {
        quantities.indices.first {
            guard !used[$0], let fraction = quantities[$0].fraction else { return false }
            return fraction.numerator == 1 && Double(fraction.denominator) == q
        }
    }

    private mutating func literal(_ value: Double, _ annotation: AnnotatedStep) throws -> (ProgramExpression, Double) {
        if let index = quantities.indices.first(where: { !used[$0] && quantities[$0].number == value }) {
            used[index] = true
            return (.variable(quantities[index].name), value)
        }
        if let entry = steps.last(where: { $0.annotated == value || Self.close($0.value, value) }) {
            return (.variable(entry.step.name), entry.value)
        }
        if let index = quantities.indices.first(where: { quantities[$0].number == value }) {
            return (.variable(quantities[index].name), value)
        }
        if let form = percentForm(value) { return form }
        if let index = quantities.indices.first(where: { quantities[$0].kind == .fraction && Self.close(1 - quantities[$0].number, value) }) {
            used[index] = true
            return (.binary(.subtract, .literal(.int(1)), .variable(quantities[index].name)), value)
        }
        if ConstantNames.isPlausible(value) { return (.variable(constant(value, annotation)), value) }
        if let pair = pair(value, annotation) { return pair }
        throw MathReject.unexplained("line \(annotation.line + 1): \(PyValue.float(value).repr) in <<\(annotation.expressionText)=\(annotation.resultText)>> is neither in the question nor an earlier result")
    }

    /// `p / 100`, `1 + p / 100` or `1 - p / 100` for a percentage p of the question.
    private mutating func percentForm(_ value: Double) -> (ProgramExpression, Double)? {
        let percents = quantities.indices.filter { quantities[$0].kind == .percent }
        let ordered = percents.filter { !used[$0] } + percents.filter { used[$0] }
        for index in ordered {
            let share = quantities[index].number / 100
            let fraction = ProgramExpression.binary(.divide, .variable(quantities[index].name), .literal(.int(100)))
            if Self.close(share, value) {
                used[index] = true
                return (fraction, share)
            }
            if Self.close(1 + share, value) {
                used[index] = true
                return (.binary(.add, .literal(.int(1)), fraction), 1 + share)
            }
            if Self.close(1 - share, value) {
                used[index] = true
                return (.binary(.subtract, .literal(.int(1)), fraction), 1 - share)
            }
            // `80000*140*.01` for a 40% raise: 100 + p, and 100 - p for a discount.
            let percent = quantities[index].number
            let name = ProgramExpression.variable(quantities[index].name)
            if Self.close(100 + percent, value) {
                used[index] = true
                return (.binary(.add, .literal(.int(100)), name), value)
            }
            if Self.close(100 - percent, value) {
                used[index] = true
                return (.binary(.subtract, .literal(.int(100)), name), value)
            }
        }
        return nil
    }

    /// One operation between two question quantities or earlier results that gives `value`, else a question
    /// quantity times or over a unit (`2 weeks * 7`).
    private mutating func pair(_ value: Double, _ annotation: AnnotatedStep) -> (ProgramExpression, Double)? {
        var known: [(ProgramExpression, Double)] = quantities.map { (.variable($0.name), $0.number) }
        known += steps.map { (.variable($0.step.name), $0.value) }
        for (a, x) in known {
            for (b, y) in known {
                for op in [PyBinaryOperator.add, .subtract, .multiply, .divide] {
                    let result = Self.apply(op, x, y)
                    if result.isFinite, Self.close(result, value) { return (.binary(op, a, b), result) }
                }
            }
        }
        for quantity in quantities {
            for unit in [7.0, 12, 24, 60, 52, 100, 365, 30] {
                for op in [PyBinaryOperator.multiply, .divide] where Self.close(Self.apply(op, quantity.number, unit), value) {
                    let name = constant(unit, annotation)
                    return (.binary(op, .variable(quantity.name), .variable(name)), value)
                }
            }
        }
        return nil
    }

    private mutating func constant(_ value: Double, _ annotation: AnnotatedStep) -> String {
        let context = questionContext + " " + annotation.lineText.lowercased()
        let base = ConstantNames.name(for: value, context: context)
        if let existing = constants.first(where: { $0.value.doubleValue == value && ($0.name == base || $0.name.hasPrefix(base + "_")) }) {
            return existing.name
        }
        let name = ContextWords.unique(base, taken: &taken)
        let pyValue: PyValue = value == value.rounded() && value.magnitude < 1e15 ? .int(Int64(value)) : .float(value)
        constants.append(NamedConstant(name: name, value: pyValue))
        return name
    }

    // MARK: step names

    /// Named from the words after the annotation's result (`24 clips in May` gives `clips_may`), else the
    /// words before it, else `step_N`.
    private mutating func stepName(_ annotation: AnnotatedStep) -> String {
        let after = QuestionTokenizer.tokens(Array(annotation.textAfter.unicodeScalars))
        var words: [String] = []
        var index = 0
        while index < after.count, after[index].word == nil, !after[index].endsClause { index += 1 }
        while index < after.count, !after[index].endsClause, after[index].number == nil, words.count < 6 {
            if let word = after[index].word { words.append(word) }
            index += 1
        }
        var parts = Array(ContextWords.content(words).prefix(2))
        if parts.isEmpty {
            let before = QuestionTokenizer.tokens(Array(annotation.textBefore.unicodeScalars)).compactMap(\.word)
            parts = Array(ContextWords.content(before).suffix(2))
        }
        let base = parts.isEmpty ? "step_\(steps.count + 1)" : parts.joined(separator: "_")
        return ContextWords.unique(base, taken: &taken)
    }
}

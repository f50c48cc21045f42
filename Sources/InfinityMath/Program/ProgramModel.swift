/// An expression of a derived program: names (question variables, constants, earlier steps), structural literals
/// (the 1 and 100 of a percentage), arithmetic, and calls such as `math.ceil`.
public indirect enum ProgramExpression: Sendable, Equatable {
    case variable(String)
    case literal(PyValue)
    case binary(PyBinaryOperator, ProgramExpression, ProgramExpression)
    case negate(ProgramExpression)
    case call(String, [ProgramExpression])

    /// The names it reads.
    var names: [String] {
        switch self {
        case .variable(let name): return [name]
        case .literal: return []
        case .binary(_, let left, let right): return left.names + right.names
        case .negate(let operand): return operand.names
        case .call(_, let arguments): return arguments.flatMap(\.names)
        }
    }

    /// The expression with the named variables replaced by their values.
    func substituting(_ values: [String: PyValue]) -> ProgramExpression {
        switch self {
        case .variable(let name): return values[name].map { .literal($0) } ?? self
        case .literal: return self
        case .binary(let op, let left, let right): return .binary(op, left.substituting(values), right.substituting(values))
        case .negate(let operand): return .negate(operand.substituting(values))
        case .call(let function, let arguments): return .call(function, arguments.map { $0.substituting(values) })
        }
    }

    /// Python source with the parentheses the tree needs and no others: floating-point arithmetic is not
    /// associative, so the evaluation order of the annotation is kept exactly.
    var python: String { python(parentPrecedence: 0, rightOperand: false) }

    private var precedence: Int {
        switch self {
        case .variable, .literal, .call: return 10
        case .negate: return 4
        case .binary(let op, _, _):
            switch op {
            case .add, .subtract: return 1
            case .multiply, .divide, .floorDivide, .modulo: return 2
            case .power: return 5
            }
        }
    }

    private func python(parentPrecedence: Int, rightOperand: Bool) -> String {
        let text: String
        switch self {
        case .variable(let name): text = name
        case .literal(let value): text = value.repr
        case .negate(let operand): text = "-" + operand.python(parentPrecedence: 4, rightOperand: false)
        case .call(let function, let arguments): text = function + "(" + arguments.map(\.python).joined(separator: ", ") + ")"
        case .binary(let op, let left, let right):
            text = left.python(parentPrecedence: precedence, rightOperand: false) + " \(op.rawValue) "
                + right.python(parentPrecedence: precedence, rightOperand: true)
        }
        let needsParentheses = precedence < parentPrecedence || (rightOperand && precedence == parentPrecedence && precedence < 10)
        return needsParentheses ? "(" + text + ")" : text
    }
}

/// A named constant of a program: a number the question does not give (`minutes_per_hour = 60`).
public struct NamedConstant: Sendable, Equatable {
    public var name: String
    public var value: PyValue

    public init(name: String, value: PyValue) {
        self.name = name
        self.value = value
    }
}

/// One assignment of a program, from one annotation (or the rounding of the final answer).
public struct ProgramStep: Sendable, Equatable {
    public var name: String
    public var expression: ProgramExpression
    /// The reasoning, from the solution line the annotation is on.
    public var comment: String
}

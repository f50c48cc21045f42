/// An expression of the Python subset.
public indirect enum PyExpression: Sendable, Equatable {
    case constant(PyValue)
    case name(String)
    /// `math.name` (the only attribute access the subset has).
    case attribute(module: String, name: String)
    case negate(PyExpression)
    case plus(PyExpression)
    case not(PyExpression)
    case binary(PyBinaryOperator, PyExpression, PyExpression)
    /// `a < b <= c`: the first operand and each (operator, operand) after it.
    case compare(PyExpression, [(PyCompareOperator, PyExpression)])
    case and([PyExpression])
    case or([PyExpression])
    case conditional(condition: PyExpression, then: PyExpression, otherwise: PyExpression)
    case call(PyExpression, [PyExpression])
    case list([PyExpression])

    public static func == (lhs: PyExpression, rhs: PyExpression) -> Bool {
        switch (lhs, rhs) {
        case (.constant(let a), .constant(let b)): return a == b
        case (.name(let a), .name(let b)): return a == b
        case (.attribute(let a, let b), .attribute(let c, let d)): return a == c && b == d
        case (.negate(let a), .negate(let b)), (.plus(let a), .plus(let b)), (.not(let a), .not(let b)): return a == b
        case (.binary(let o, let a, let b), .binary(let p, let c, let d)): return o == p && a == c && b == d
        case (.compare(let a, let rest), .compare(let b, let other)):
            return a == b && rest.count == other.count
                && zip(rest, other).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.and(let a), .and(let b)), (.or(let a), .or(let b)), (.list(let a), .list(let b)): return a == b
        case (.conditional(let a, let b, let c), .conditional(let d, let e, let f)): return a == d && b == e && c == f
        case (.call(let a, let b), .call(let c, let d)): return a == c && b == d
        default: return false
        }
    }
}

/// The comparison operators.
public enum PyCompareOperator: String, Sendable, Equatable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
}

/// A statement of the subset, with its 1-based source line.
public struct PyStatement: Sendable, Equatable {
    /// What the statement does.
    public indirect enum Kind: Sendable, Equatable {
        case assign(String, PyExpression)
        case augmentedAssign(String, PyBinaryOperator, PyExpression)
        case expression(PyExpression)
        case ifElse([(condition: PyExpression, body: [PyStatement])], otherwise: [PyStatement])
        case forLoop(variable: String, iterable: PyExpression, body: [PyStatement])
        case whileLoop(condition: PyExpression, body: [PyStatement])
        case returnValue(PyExpression?)
        case pass, breakLoop, continueLoop

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.assign(let a, let b), .assign(let c, let d)): return a == c && b == d
            case (.augmentedAssign(let a, let b, let c), .augmentedAssign(let d, let e, let f)): return a == d && b == e && c == f
            case (.expression(let a), .expression(let b)): return a == b
            case (.ifElse(let a, let b), .ifElse(let c, let d)):
                return b == d && a.count == c.count && zip(a, c).allSatisfy { $0.condition == $1.condition && $0.body == $1.body }
            case (.forLoop(let a, let b, let c), .forLoop(let d, let e, let f)): return a == d && b == e && c == f
            case (.whileLoop(let a, let b), .whileLoop(let c, let d)): return a == c && b == d
            case (.returnValue(let a), .returnValue(let b)): return a == b
            case (.pass, .pass), (.breakLoop, .breakLoop), (.continueLoop, .continueLoop): return true
            default: return false
            }
        }
    }

    public var kind: Kind
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

extension PyStatement {
    /// The names the statement reads, its nested statements included.
    var names: [String] {
        switch kind {
        case .assign(_, let value), .expression(let value): return value.names
        case .augmentedAssign(let name, _, let value): return [name] + value.names
        case .ifElse(let branches, let otherwise):
            return branches.flatMap { $0.condition.names + $0.body.flatMap(\.names) } + otherwise.flatMap(\.names)
        case .forLoop(_, let iterable, let body): return iterable.names + body.flatMap(\.names)
        case .whileLoop(let condition, let body): return condition.names + body.flatMap(\.names)
        case .returnValue(let value): return value?.names ?? []
        case .pass, .breakLoop, .continueLoop: return []
        }
    }
}

extension PyExpression {
    /// The variable names the expression reads.
    var names: [String] {
        switch self {
        case .constant, .attribute: return []
        case .name(let name): return [name]
        case .negate(let operand), .plus(let operand), .not(let operand): return operand.names
        case .binary(_, let left, let right): return left.names + right.names
        case .compare(let first, let rest): return first.names + rest.flatMap(\.1.names)
        case .and(let operands), .or(let operands), .list(let operands): return operands.flatMap(\.names)
        case .conditional(let condition, let then, let otherwise): return condition.names + then.names + otherwise.names
        case .call(let callee, let arguments): return callee.names + arguments.flatMap(\.names)
        }
    }
}

/// A `def` of the subset: parameters with optional defaults, and a body.
public struct PyFunction: Sendable, Equatable {
    public var name: String
    public var parameters: [(name: String, defaultValue: PyExpression?)]
    public var body: [PyStatement]

    public static func == (lhs: PyFunction, rhs: PyFunction) -> Bool {
        lhs.name == rhs.name && lhs.body == rhs.body && lhs.parameters.count == rhs.parameters.count
            && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.name == $1.name && $0.defaultValue == $1.defaultValue }
    }
}

/// A parsed program: its imports, functions and module-level statements.
public struct PyModule: Sendable, Equatable {
    public var imports: [String]
    public var functions: [String: PyFunction]
    public var statements: [PyStatement]
}

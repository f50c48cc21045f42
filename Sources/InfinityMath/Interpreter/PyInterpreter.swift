/// Runs programs of the Python subset with no I/O and bounded work: a step budget (every expression and
/// statement costs one), bounded loops and lists, and exact integers within Int64.
public struct PyInterpreter: Sendable {
    /// The budget one run may use.
    public struct Limits: Sendable {
        public var maxSteps: Int
        public var maxListLength: Int
        public var maxCallDepth: Int

        public init(maxSteps: Int = 100_000, maxListLength: Int = 10_000, maxCallDepth: Int = 32) {
            self.maxSteps = maxSteps
            self.maxListLength = maxListLength
            self.maxCallDepth = maxCallDepth
        }
    }

    public let module: PyModule
    public let limits: Limits

    public init(module: PyModule, limits: Limits = Limits()) {
        self.module = module
        self.limits = limits
    }

    /// Parses `source` and sets up an interpreter for it.
    public init(source: String, limits: Limits = Limits()) throws {
        self.init(module: try PyParser.parse(source), limits: limits)
    }

    /// Calls `function` with keyword `arguments` (parameters not given take their defaults) and returns its value.
    public func call(_ function: String, arguments: [String: PyValue] = [:]) throws -> PyValue {
        var machine = PyMachine(module: module, limits: limits)
        try machine.runModule()
        return try machine.call(function, arguments: arguments)
    }

    /// Like `call`, also giving the function's local variables when it returned (a program's intermediate values).
    public func callKeepingLocals(_ function: String, arguments: [String: PyValue] = [:]) throws -> (PyValue, [String: PyValue]) {
        var machine = PyMachine(module: module, limits: limits)
        try machine.runModule()
        let value = try machine.call(function, arguments: arguments)
        return (value, machine.lastLocals)
    }

    /// The parameters of `function` and their default values (nil for a parameter without one).
    public func parameters(of function: String) throws -> [(name: String, value: PyValue?)] {
        guard let definition = module.functions[function] else { throw PyError(.name, "name '\(function)' is not defined") }
        var machine = PyMachine(module: module, limits: limits)
        try machine.runModule()
        return try definition.parameters.map { ($0.name, try $0.defaultValue.map { try machine.evaluate($0) }) }
    }

    /// Evaluates one expression with `math` available (the property tests' entry point).
    public static func evaluate(_ expression: String, limits: Limits = Limits()) throws -> PyValue {
        let parsed = try PyParser.parseExpression(expression)
        var machine = PyMachine(module: PyModule(imports: ["math"], functions: [:], statements: []), limits: limits)
        return try machine.evaluate(parsed)
    }
}

/// The state of one run.
struct PyMachine {
    let module: PyModule
    let limits: Limits
    typealias Limits = PyInterpreter.Limits
    private var globals: [String: PyValue] = [:]
    private var frames: [[String: PyValue]] = []
    private var steps = 0
    /// The locals of the last function that returned.
    private(set) var lastLocals: [String: PyValue] = [:]

    init(module: PyModule, limits: Limits) {
        self.module = module
        self.limits = limits
    }

    private enum Flow {
        case normal, breakLoop, continueLoop
        case returned(PyValue)
    }

    mutating func runModule() throws {
        if case .returned = try execute(module.statements) {
            throw PyError(.syntax, "'return' outside function")
        }
    }

    mutating func call(_ name: String, arguments: [String: PyValue]) throws -> PyValue {
        guard let function = module.functions[name] else { throw PyError(.name, "name '\(name)' is not defined") }
        guard frames.count < limits.maxCallDepth else { throw PyError(.limit, "calls nested deeper than \(limits.maxCallDepth)") }
        var locals: [String: PyValue] = [:]
        for parameter in function.parameters {
            if let value = arguments[parameter.name] {
                locals[parameter.name] = value
            } else if let fallback = parameter.defaultValue {
                locals[parameter.name] = try evaluate(fallback)
            } else {
                throw PyError(.type, "\(name)() missing required argument: '\(parameter.name)'")
            }
        }
        for key in arguments.keys.sorted() where !function.parameters.contains(where: { $0.name == key }) {
            throw PyError(.type, "\(name)() got an unexpected keyword argument '\(key)'")
        }
        frames.append(locals)
        defer { lastLocals = frames.removeLast() }
        if case .returned(let value) = try execute(function.body) { return value }
        return .none
    }

    private mutating func tick() throws {
        steps += 1
        guard steps <= limits.maxSteps else { throw PyError(.limit, "more than \(limits.maxSteps) steps") }
    }

    private mutating func assign(_ name: String, _ value: PyValue) {
        if frames.isEmpty {
            globals[name] = value
        } else {
            frames[frames.count - 1][name] = value
        }
    }

    private func lookup(_ name: String) throws -> PyValue {
        if let value = frames.last?[name] ?? globals[name] { return value }
        throw PyError(.name, "name '\(name)' is not defined")
    }

    private mutating func execute(_ statements: [PyStatement]) throws -> Flow {
        for statement in statements {
            let flow: Flow
            do {
                flow = try execute(statement)
            } catch var error as PyError {
                if error.line == nil { error.line = statement.line }
                throw error
            }
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    private mutating func execute(_ statement: PyStatement) throws -> Flow {
        try tick()
        switch statement.kind {
        case .assign(let name, let value):
            assign(name, try evaluate(value))
        case .augmentedAssign(let name, let op, let value):
            let current = try lookup(name)
            assign(name, try PyArithmetic.apply(op, current, try evaluate(value)))
        case .expression(let value):
            _ = try evaluate(value)
        case .ifElse(let branches, let otherwise):
            for branch in branches where try evaluate(branch.condition).isTruthy {
                return try execute(branch.body)
            }
            return try execute(otherwise)
        case .forLoop(let variable, let iterable, let body):
            guard case .list(let elements) = try evaluate(iterable) else {
                throw PyError(.type, "a for loop needs a list or a range")
            }
            for element in elements {
                try tick()
                assign(variable, element)
                switch try execute(body) {
                case .breakLoop: return .normal
                case .returned(let value): return .returned(value)
                case .normal, .continueLoop: continue
                }
            }
        case .whileLoop(let condition, let body):
            while try evaluate(condition).isTruthy {
                switch try execute(body) {
                case .breakLoop: return .normal
                case .returned(let value): return .returned(value)
                case .normal, .continueLoop: continue
                }
            }
        case .returnValue(let value):
            guard !frames.isEmpty else { throw PyError(.syntax, "'return' outside function") }
            return .returned(try value.map { try evaluate($0) } ?? .none)
        case .pass: break
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        }
        return .normal
    }

    mutating func evaluate(_ expression: PyExpression) throws -> PyValue {
        try tick()
        switch expression {
        case .constant(let value): return value
        case .name(let name): return try lookup(name)
        case .attribute(let module, let name):
            guard module == "math", self.module.imports.contains("math") else {
                throw PyError(.name, "name '\(module)' is not defined")
            }
            guard let value = PyBuiltins.mathConstant(name) else {
                throw PyError(.unsupported, "math.\(name) is not available as a value")
            }
            return value
        case .negate(let operand):
            switch try evaluate(operand) {
            case .int(let value): return .int(try PyArithmetic.checked((0 as Int64).subtractingReportingOverflow(value)))
            case .float(let value): return .float(-value)
            case .bool(let value): return .int(value ? -1 : 0)
            case let other: throw PyError(.type, "bad operand type for unary -: '\(other.typeName)'")
            }
        case .plus(let operand):
            switch try evaluate(operand) {
            case .bool(let value): return .int(value ? 1 : 0)
            case .int, .float: return try evaluate(operand)
            case let other: throw PyError(.type, "bad operand type for unary +: '\(other.typeName)'")
            }
        case .not(let operand): return .bool(!(try evaluate(operand).isTruthy))
        case .binary(let op, let left, let right):
            let a = try evaluate(left)
            let b = try evaluate(right)
            return try PyArithmetic.apply(op, a, b)
        case .compare(let first, let rest):
            var left = try evaluate(first)
            for (op, operand) in rest {
                let right = try evaluate(operand)
                guard try Self.compare(op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let operands):
            var value = PyValue.bool(true)
            for operand in operands {
                value = try evaluate(operand)
                if !value.isTruthy { return value }
            }
            return value
        case .or(let operands):
            var value = PyValue.bool(false)
            for operand in operands {
                value = try evaluate(operand)
                if value.isTruthy { return value }
            }
            return value
        case .conditional(let condition, let then, let otherwise):
            return try evaluate(try evaluate(condition).isTruthy ? then : otherwise)
        case .list(let elements):
            guard elements.count <= limits.maxListLength else { throw PyError(.limit, "list longer than \(limits.maxListLength)") }
            return .list(try elements.map { try evaluate($0) })
        case .call(let callee, let arguments):
            let values = try arguments.map { try evaluate($0) }
            switch callee {
            case .name(let name):
                if module.functions[name] != nil {
                    var named: [String: PyValue] = [:]
                    guard let function = module.functions[name], values.count <= function.parameters.count else {
                        throw PyError(.type, "\(name)() takes fewer arguments")
                    }
                    for (parameter, value) in zip(function.parameters, values) { named[parameter.name] = value }
                    return try call(name, arguments: named)
                }
                return try PyBuiltins.call(name, values, maxListLength: limits.maxListLength)
            case .attribute(let module, let name):
                guard module == "math", self.module.imports.contains("math") else {
                    throw PyError(.name, "name '\(module)' is not defined")
                }
                return try PyBuiltins.callMath(name, values)
            default:
                throw PyError(.unsupported, "only named functions can be called")
            }
        }
    }

    static func compare(_ op: PyCompareOperator, _ left: PyValue, _ right: PyValue) throws -> Bool {
        if case .list(let a) = left, case .list(let b) = right, op == .equal || op == .notEqual {
            return (a == b) == (op == .equal)
        }
        let order = try PyArithmetic.compare(left, right, operation: op.rawValue)
        switch op {
        case .less: return order.map { $0 < 0 } ?? false
        case .lessOrEqual: return order.map { $0 <= 0 } ?? false
        case .greater: return order.map { $0 > 0 } ?? false
        case .greaterOrEqual: return order.map { $0 >= 0 } ?? false
        case .equal: return order == 0
        case .notEqual: return order != 0
        }
    }
}

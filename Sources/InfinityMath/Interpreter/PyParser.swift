/// Parses the Python subset into a `PyModule`: `import math`, `def` with defaults, assignments (plain and
/// augmented), `if`/`elif`/`else`, `for ... in`, `while`, `return`, `pass`, `break`, `continue`, and
/// expressions with Python's precedence. Anything else is a `syntax` or `unsupported` error with its line.
public struct PyParser {
    /// Bounds on what the parser accepts, so a hostile program costs little.
    public struct Limits: Sendable {
        public var maxSourceBytes: Int
        public var maxNesting: Int

        public init(maxSourceBytes: Int = 1 << 16, maxNesting: Int = 64) {
            self.maxSourceBytes = maxSourceBytes
            self.maxNesting = maxNesting
        }
    }

    private var tokens: [PyToken]
    private var position = 0
    private var nesting = 0
    private let limits: Limits

    /// Parses a whole program.
    public static func parse(_ source: String, limits: Limits = Limits()) throws -> PyModule {
        guard source.utf8.count <= limits.maxSourceBytes else {
            throw PyError(.limit, "program longer than \(limits.maxSourceBytes) bytes")
        }
        var parser = PyParser(tokens: try PyLexer.tokenize(source), limits: limits)
        return try parser.module()
    }

    /// Parses one expression (the property tests compare these with CPython's `eval`).
    public static func parseExpression(_ source: String, limits: Limits = Limits()) throws -> PyExpression {
        guard source.utf8.count <= limits.maxSourceBytes else {
            throw PyError(.limit, "expression longer than \(limits.maxSourceBytes) bytes")
        }
        var parser = PyParser(tokens: try PyLexer.tokenize(source), limits: limits)
        let expression = try parser.expression()
        while parser.peek == .newline { parser.position += 1 }
        guard parser.peek == .end else { throw parser.unexpected() }
        return expression
    }

    private init(tokens: [PyToken], limits: Limits) {
        self.tokens = tokens
        self.limits = limits
    }

    private var peek: PyToken.Kind { tokens[min(position, tokens.count - 1)].kind }
    private var line: Int { tokens[min(position, tokens.count - 1)].line }

    private mutating func advance() -> PyToken.Kind {
        let kind = peek
        if position < tokens.count - 1 { position += 1 }
        return kind
    }

    private func unexpected() -> PyError {
        PyError(.syntax, "invalid syntax near \(describe(peek))", line: line)
    }

    private func describe(_ kind: PyToken.Kind) -> String {
        switch kind {
        case .name(let name): return "'\(name)'"
        case .number(let value): return "'\(value.repr)'"
        case .string: return "a string"
        case .op(let text): return "'\(text)'"
        case .newline: return "the end of the line"
        case .indent: return "an indent"
        case .dedent: return "a dedent"
        case .end: return "the end of the program"
        }
    }

    private mutating func expect(_ text: String) throws {
        guard peek == .op(text) else { throw PyError(.syntax, "expected '\(text)' near \(describe(peek))", line: line) }
        position += 1
    }

    private mutating func take(_ text: String) -> Bool {
        if peek == .op(text) {
            position += 1
            return true
        }
        return false
    }

    private mutating func keyword(_ word: String) -> Bool {
        if peek == .name(word) {
            position += 1
            return true
        }
        return false
    }

    private mutating func identifier() throws -> String {
        guard case .name(let name) = peek, !Self.keywords.contains(name) else {
            throw PyError(.syntax, "expected a name near \(describe(peek))", line: line)
        }
        position += 1
        return name
    }

    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    private mutating func enter() throws {
        nesting += 1
        guard nesting <= limits.maxNesting else { throw PyError(.limit, "nested deeper than \(limits.maxNesting)", line: line) }
    }

    // MARK: statements

    private mutating func module() throws -> PyModule {
        var imports: [String] = []
        var functions: [String: PyFunction] = [:]
        var statements: [PyStatement] = []
        while peek != .end {
            if peek == .newline {
                position += 1
                continue
            }
            if keyword("import") {
                let name = try identifier()
                guard name == "math" else { throw PyError(.unsupported, "only 'import math' is available", line: line) }
                imports.append(name)
                try endOfLine()
            } else if peek == .name("def") {
                let function = try functionDefinition()
                functions[function.name] = function
            } else {
                statements.append(contentsOf: try statement())
            }
        }
        return PyModule(imports: imports, functions: functions, statements: statements)
    }

    private mutating func functionDefinition() throws -> PyFunction {
        _ = keyword("def")
        let name = try identifier()
        try expect("(")
        var parameters: [(name: String, defaultValue: PyExpression?)] = []
        while !take(")") {
            let parameter = try identifier()
            guard !parameters.contains(where: { $0.name == parameter }) else {
                throw PyError(.syntax, "duplicate argument '\(parameter)' in function definition", line: line)
            }
            var value: PyExpression?
            if take("=") {
                value = try expression()
            } else if parameters.last?.defaultValue != nil {
                throw PyError(.syntax, "non-default argument follows default argument", line: line)
            }
            parameters.append((parameter, value))
            if !take(",") {
                try expect(")")
                break
            }
        }
        try expect(":")
        return PyFunction(name: name, parameters: parameters, body: try block())
    }

    private mutating func block() throws -> [PyStatement] {
        try enter()
        defer { nesting -= 1 }
        guard peek == .newline else { return try simpleStatements() }
        position += 1
        guard peek == .indent else { throw PyError(.syntax, "expected an indented block", line: line) }
        position += 1
        var body: [PyStatement] = []
        while peek != .dedent && peek != .end {
            if peek == .newline {
                position += 1
                continue
            }
            if peek == .name("def") { throw PyError(.unsupported, "nested functions are not available", line: line) }
            body.append(contentsOf: try statement())
        }
        _ = advance()
        return body
    }

    private mutating func statement() throws -> [PyStatement] {
        let start = line
        if keyword("if") {
            var branches: [(condition: PyExpression, body: [PyStatement])] = []
            let condition = try expression()
            try expect(":")
            branches.append((condition, try block()))
            var otherwise: [PyStatement] = []
            while true {
                if keyword("elif") {
                    let condition = try expression()
                    try expect(":")
                    branches.append((condition, try block()))
                } else if keyword("else") {
                    try expect(":")
                    otherwise = try block()
                    break
                } else {
                    break
                }
            }
            return [PyStatement(.ifElse(branches, otherwise: otherwise), line: start)]
        }
        if keyword("for") {
            let variable = try identifier()
            guard keyword("in") else { throw PyError(.syntax, "expected 'in'", line: line) }
            let iterable = try expression()
            try expect(":")
            return [PyStatement(.forLoop(variable: variable, iterable: iterable, body: try block()), line: start)]
        }
        if keyword("while") {
            let condition = try expression()
            try expect(":")
            return [PyStatement(.whileLoop(condition: condition, body: try block()), line: start)]
        }
        return try simpleStatements()
    }

    private mutating func simpleStatements() throws -> [PyStatement] {
        var statements = [try simpleStatement()]
        while take(";") {
            if peek == .newline { break }
            statements.append(try simpleStatement())
        }
        try endOfLine()
        return statements
    }

    private mutating func endOfLine() throws {
        guard peek == .newline || peek == .end else { throw unexpected() }
        if peek == .newline { position += 1 }
    }

    private static let augmented: [String: PyBinaryOperator] = [
        "+=": .add, "-=": .subtract, "*=": .multiply, "/=": .divide, "//=": .floorDivide, "%=": .modulo, "**=": .power,
    ]

    private mutating func simpleStatement() throws -> PyStatement {
        let start = line
        if keyword("return") {
            if peek == .newline || peek == .end || peek == .op(";") { return PyStatement(.returnValue(nil), line: start) }
            return PyStatement(.returnValue(try expression()), line: start)
        }
        if keyword("pass") { return PyStatement(.pass, line: start) }
        if keyword("break") { return PyStatement(.breakLoop, line: start) }
        if keyword("continue") { return PyStatement(.continueLoop, line: start) }
        if case .name(let name) = peek, !Self.keywords.contains(name), position + 1 < tokens.count {
            if tokens[position + 1].kind == .op("=") {
                position += 2
                return PyStatement(.assign(name, try expression()), line: start)
            }
            if case .op(let text) = tokens[position + 1].kind, let op = Self.augmented[text] {
                position += 2
                return PyStatement(.augmentedAssign(name, op, try expression()), line: start)
            }
        }
        if case .name(let word) = peek, ["class", "lambda", "import", "from", "global", "nonlocal", "del", "try", "with",
                                           "raise", "yield", "assert", "async", "await"].contains(word) {
            throw PyError(.unsupported, "'\(word)' is not available", line: start)
        }
        let value = try expression()
        if peek == .op("=") { throw PyError(.unsupported, "only assignments to a plain name are available", line: start) }
        return PyStatement(.expression(value), line: start)
    }

    // MARK: expressions

    mutating func expression() throws -> PyExpression {
        try enter()
        defer { nesting -= 1 }
        let value = try orTest()
        if keyword("if") {
            let condition = try orTest()
            guard keyword("else") else { throw PyError(.syntax, "expected 'else' after 'if' expression", line: line) }
            return .conditional(condition: condition, then: value, otherwise: try expression())
        }
        return value
    }

    private mutating func orTest() throws -> PyExpression {
        var operands = [try andTest()]
        while keyword("or") { operands.append(try andTest()) }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func andTest() throws -> PyExpression {
        var operands = [try notTest()]
        while keyword("and") { operands.append(try notTest()) }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func notTest() throws -> PyExpression {
        if keyword("not") {
            try enter()
            defer { nesting -= 1 }
            return .not(try notTest())
        }
        return try comparison()
    }

    private mutating func comparison() throws -> PyExpression {
        let first = try arithmetic()
        var rest: [(PyCompareOperator, PyExpression)] = []
        while case .op(let text) = peek, let op = PyCompareOperator(rawValue: text) {
            position += 1
            rest.append((op, try arithmetic()))
        }
        if peek == .name("in") || peek == .name("is") { throw PyError(.unsupported, "'in' and 'is' tests are not available", line: line) }
        return rest.isEmpty ? first : .compare(first, rest)
    }

    private mutating func arithmetic() throws -> PyExpression {
        var value = try term()
        while true {
            if take("+") {
                value = .binary(.add, value, try term())
            } else if take("-") {
                value = .binary(.subtract, value, try term())
            } else {
                return value
            }
        }
    }

    private mutating func term() throws -> PyExpression {
        var value = try factor()
        while case .op(let text) = peek, ["*", "/", "//", "%"].contains(text), let op = PyBinaryOperator(rawValue: text) {
            position += 1
            value = .binary(op, value, try factor())
        }
        return value
    }

    private mutating func factor() throws -> PyExpression {
        try enter()
        defer { nesting -= 1 }
        if take("-") { return .negate(try factor()) }
        if take("+") { return .plus(try factor()) }
        return try power()
    }

    private mutating func power() throws -> PyExpression {
        let base = try primary()
        // `**` binds tighter than a unary minus on its left and looser on its right: -2**2 == -4, 2**-1 == 0.5.
        if take("**") { return .binary(.power, base, try factor()) }
        return base
    }

    private mutating func primary() throws -> PyExpression {
        var value = try atom()
        while true {
            if take("(") {
                var arguments: [PyExpression] = []
                while !take(")") {
                    if case .name = peek, position + 1 < tokens.count, tokens[position + 1].kind == .op("=") {
                        throw PyError(.unsupported, "keyword arguments are not available", line: line)
                    }
                    arguments.append(try expression())
                    if !take(",") {
                        try expect(")")
                        break
                    }
                }
                value = .call(value, arguments)
            } else if take(".") {
                guard case .name(let module) = value else { throw PyError(.unsupported, "attributes are available on 'math' only", line: line) }
                value = .attribute(module: module, name: try identifier())
            } else {
                return value
            }
        }
    }

    private mutating func atom() throws -> PyExpression {
        let start = line
        let before = position
        switch advance() {
        case .number(let value): return .constant(value)
        case .string:
            while peek == .string { position += 1 }
            // Strings only appear as docstrings; as values they are outside the subset.
            return .constant(.none)
        case .name("True"): return .constant(.bool(true))
        case .name("False"): return .constant(.bool(false))
        case .name("None"): return .constant(.none)
        case .name(let name):
            guard !Self.keywords.contains(name) else { throw PyError(.syntax, "invalid syntax near '\(name)'", line: start) }
            return .name(name)
        case .op("("):
            let value = try expression()
            if peek == .op(",") { throw PyError(.unsupported, "tuples are not available", line: line) }
            try expect(")")
            return value
        case .op("["):
            var elements: [PyExpression] = []
            while !take("]") {
                elements.append(try expression())
                if !take(",") {
                    try expect("]")
                    break
                }
            }
            return .list(elements)
        default:
            position = before
            throw unexpected()
        }
    }
}

/// A verified program for one problem: the decoupled question, the Python source, and its value on the
/// original numbers, which matched the gold answer.
public struct DerivedProgram: Sendable {
    public var problem: MathProblem
    public var decoupled: DecoupledQuestion
    public var constants: [NamedConstant]
    public var steps: [ProgramStep]
    /// The Python function `solution(...)`.
    public var source: String
    /// The program's value on the original numbers.
    public var answer: PyValue
    /// The question variables the answer depends on (the others keep their values in instances).
    public var usedVariables: Set<String>
    /// The interpreter set up with the parsed source.
    public var interpreter: PyInterpreter
    /// The step the function returns, and whether it needs `import math`.
    var answerName: String
    var usesMath: Bool
    /// The function to call: `solution` for derived programs, the given one's name for a provided program.
    public var functionName = "solution"
    /// Whether the program came with the problem (its steps are only names: no variants are written from it).
    public var isProvided = false

    /// Derives, writes and verifies the program of `problem`; throws a `MathReject` when there is none.
    public init(problem: MathProblem) throws {
        try self.init(problem: problem, decoupled: DecoupledQuestion(question: problem.question))
    }

    public init(problem: MathProblem, decoupled: DecoupledQuestion) throws {
        self.problem = problem
        self.decoupled = decoupled
        var deriver = ProgramDeriver(problem: problem, decoupled: decoupled)
        let derived = try deriver.derive()
        constants = derived.constants
        steps = derived.steps
        answerName = derived.answer
        usesMath = derived.usesMath
        source = PythonWriter.source(quantities: decoupled.quantities, genericQuestion: decoupled.genericQuestion,
                                     constants: derived.constants, steps: derived.steps, answer: derived.answer,
                                     usesMath: derived.usesMath, gold: problem.goldText)
        let names = Set(derived.steps.flatMap(\.expression.names))
        usedVariables = Set(decoupled.quantities.map(\.name)).intersection(names)
        do {
            interpreter = try PyInterpreter(source: source)
        } catch let error as PyError {
            throw MathReject.program("the program does not parse: \(error)")
        }
        do {
            answer = try interpreter.call(functionName)
        } catch let error as PyError {
            throw MathReject.runtime("the program fails on the original numbers: \(error)")
        }
        guard let value = answer.doubleValue, Self.matches(value, problem.gold) else {
            throw MathReject.answerMismatch("the program gives \(answer.repr), the final answer is \(problem.goldText)")
        }
    }

    /// Whether a computed answer is the gold one (relative tolerance 1e-6: float artefacts only).
    public static func matches(_ value: Double, _ gold: Double) -> Bool {
        value.isFinite && (value - gold).magnitude <= 1e-6 * max(1, gold.magnitude)
    }
}

import StageKit

/// A number-varied instance of a problem: new values for its variables, the question written with them, and
/// the program's answer on them.
public struct MathInstance: Sendable, Equatable {
    /// Every variable of the program (the varied ones and the ones kept as written).
    public var values: [String: PyValue]
    public var question: String
    /// The program's value, rounded to 9 decimal places (`PyValue.cleaned`).
    public var answer: PyValue
}

/// Draws instances of a verified program: K value assignments seeded from (seed, problem id), each kept only when
/// the varied quantities keep their order, every intermediate that was a whole number stays one, every result keeps
/// its sign, and the program runs without error (no division by zero, nothing past Int64).
public struct InstanceSampler {
    /// Draws per instance asked for before giving up on a problem.
    public static let attemptsPerInstance = 40

    let program: DerivedProgram
    private let varied: [Quantity]
    private let original: [String: PyValue]
    private let originalLocals: [String: PyValue]
    private let stepNames: [String]

    public init(program: DerivedProgram) throws {
        self.program = program
        varied = program.decoupled.quantities.filter { program.usedVariables.contains($0.name) && ValueDrawer.canVary($0) }
        original = Dictionary(uniqueKeysWithValues: program.decoupled.quantities.map { ($0.name, $0.value) })
        originalLocals = try program.interpreter.callKeepingLocals(program.functionName).1
        stepNames = program.steps.map(\.name)
    }

    /// The variables instances give new values to.
    public var variedNames: Set<String> { Set(varied.map(\.name)) }

    /// The seed of a problem's generator: the same for the same (seed, problem id), whatever else runs.
    public static func seed(_ seed: UInt64, problemID: String) -> UInt64 { StableHash.hash64("\(seed):\(problemID)") }

    /// Up to `count` distinct instances (fewer when the constraints leave too few valid draws).
    public func sample(count: Int, seed: UInt64) -> [MathInstance] {
        guard count > 0, !varied.isEmpty else { return [] }
        var random = SplitMix64(seed: Self.seed(seed, problemID: program.problem.id))
        var seen: Set<[PyValue]> = [varied.map { original[$0.name] ?? .none }]
        var instances: [MathInstance] = []
        for _ in 0..<(count * Self.attemptsPerInstance) where instances.count < count {
            var values = original
            for quantity in varied { values[quantity.name] = ValueDrawer(quantity: quantity).draw(&random) }
            let key = varied.map { values[$0.name] ?? .none }
            guard !seen.contains(key), keepsOrder(values), let answer = check(values) else { continue }
            seen.insert(key)
            instances.append(MathInstance(values: values, question: program.decoupled.instantiate(values), answer: answer.cleaned))
        }
        return instances
    }

    /// Quantities of one kind keep their order (a part stays below its whole).
    private func keepsOrder(_ values: [String: PyValue]) -> Bool {
        for (i, a) in varied.enumerated() {
            for b in varied[(i + 1)...] where Self.family(a.kind) == Self.family(b.kind) && a.number != b.number {
                guard let x = values[a.name]?.doubleValue, let y = values[b.name]?.doubleValue, (x < y) == (a.number < b.number), x != y
                else { return false }
            }
        }
        return true
    }

    private static func family(_ kind: QuantityKind) -> Int {
        switch kind {
        case .integer, .decimal, .numberWord: return 0
        case .money: return 1
        case .percent: return 2
        case .fraction: return 3
        case .multiplier: return 4
        case .ordinal: return 5
        }
    }

    /// The answer, when every step keeps its sign and whole-number steps stay whole.
    private func check(_ values: [String: PyValue]) -> PyValue? {
        guard let (answer, locals) = try? program.interpreter.callKeepingLocals(program.functionName, arguments: values) else { return nil }
        for name in stepNames {
            guard let before = originalLocals[name]?.doubleValue, let after = locals[name]?.doubleValue, after.isFinite,
                  after.magnitude < 1e12 else { return nil }
            if before == before.rounded(), after != after.rounded() { return nil }
            if before > 0, after <= 0 { return nil }
            if before >= 0, after < 0 { return nil }
            if before < 0, after >= 0 { return nil }
            // A result with cents keeps at most cents.
            if before != before.rounded(), ((after * 100).rounded() - after * 100).magnitude > 1e-6 { return nil }
        }
        return answer
    }
}

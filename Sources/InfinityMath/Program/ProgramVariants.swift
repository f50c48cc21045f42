/// A partial-substitution variant of a program (InfinityMATH §3.2): some variables replaced by their numbers, so
/// the function keeps only the others as parameters and the question shows the substituted numbers.
public struct ProgramVariant: Sendable, Equatable {
    /// Bit i set when the i-th used variable (in question order) is substituted: 1 to 2^k − 1.
    public var mask: Int
    /// The variables replaced by their original values, in question order.
    public var substituted: [String]
    public var genericQuestion: String
    /// The variables still parameters.
    public var quantities: [Quantity]
    public var source: String
    /// The variant's value, which is the original program's.
    public var answer: PyValue
}

extension DerivedProgram {
    /// The most variables whose 2^k − 1 variants are written: 63 variants per problem at most.
    public static let maxVariantVariables = 6

    /// The 2^k − 1 variants over the k variables the program uses (none when k is over `maxVariantVariables`),
    /// each checked to give the original answer: the paper's edit rule is remove the parameter, remove it from the
    /// docstring, write the number wherever it was used.
    public func variants() throws -> [ProgramVariant] {
        let used = decoupled.quantities.filter { usedVariables.contains($0.name) }
        guard !isProvided, !used.isEmpty, used.count <= Self.maxVariantVariables else { return [] }
        var variants: [ProgramVariant] = []
        for mask in 1..<(1 << used.count) {
            let chosen = used.indices.filter { mask & (1 << $0) != 0 }.map { used[$0] }
            variants.append(try variant(substituting: chosen, mask: mask))
        }
        return variants
    }

    func variant(substituting chosen: [Quantity], mask: Int) throws -> ProgramVariant {
        let values = Dictionary(uniqueKeysWithValues: chosen.map { ($0.name, $0.value) })
        let names = Set(values.keys)
        let remaining = decoupled.quantities.filter { !names.contains($0.name) }
        let generic = DecoupledQuestion.fill(Array(decoupled.question.unicodeScalars), decoupled.quantities) { quantity in
            names.contains(quantity.name) ? quantity.text : "{" + quantity.name + "}"
        }
        let substitutedSteps = steps.map {
            ProgramStep(name: $0.name, expression: $0.expression.substituting(values), comment: $0.comment)
        }
        let source = PythonWriter.source(quantities: remaining, genericQuestion: generic, constants: constants,
                                         steps: substitutedSteps, answer: answerName, usesMath: usesMath, gold: problem.goldText)
        let value: PyValue
        do {
            value = try PyInterpreter(source: source).call("solution")
        } catch let error as PyError {
            throw MathReject.program("a variant does not run: \(error)")
        }
        guard value == answer else {
            throw MathReject.program("a variant gives \(value.repr) where the program gives \(answer.repr)")
        }
        return ProgramVariant(mask: mask, substituted: chosen.map(\.name), genericQuestion: generic, quantities: remaining, source: source,
                              answer: value)
    }
}

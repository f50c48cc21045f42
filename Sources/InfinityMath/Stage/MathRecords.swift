import StageKit

extension PyValue: Encodable {
    /// Ints as JSON integers, floats as JSON numbers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let values): try container.encode(values)
        case .none: try container.encodeNil()
        }
    }
}

/// A record of the `programs` stream (`Schemas/InfinityMath/math-program.schema.json`).
public struct MathProgramRecord: Encodable, Sendable {
    /// One question variable.
    public struct Variable: Encodable, Sendable {
        public var name: String
        public var value: PyValue
        public var kind: QuantityKind
        /// Unicode scalar offsets `[start, end)` of its text in the question.
        public var span: [Int]
        public var text: String
        /// Whether instances give it new values (it is used by the program and may vary).
        public var varies: Bool

        enum CodingKeys: String, CodingKey { case name, value, kind, span, text, varies }
    }

    /// One named constant.
    public struct Constant: Encodable, Sendable {
        public var name: String
        public var value: PyValue

        enum CodingKeys: String, CodingKey { case name, value }
    }

    public var id: String
    public var source: String
    public var sourceID: String
    public var question: String
    public var genericQuestion: String
    public var variables: [Variable]
    public var constants: [Constant]
    public var program: String
    public var goldAnswer: PyValue
    public var answer: PyValue
    /// Instances drawn for it (fewer than asked when the constraints left too few valid draws).
    public var instances: Int
    /// For a partial-substitution variant, the variables written as numbers; empty for the full program.
    public var substituted: [String]

    enum CodingKeys: String, CodingKey {
        case id, source, sourceID = "source_id", question, genericQuestion = "generic_question", variables, constants
        case program, goldAnswer = "gold_answer", answer, instances, substituted
    }

    /// The record of a partial-substitution variant of `program`.
    public init(variant: ProgramVariant, of program: DerivedProgram, source: String) {
        self.init(program: program, source: source, varied: [], instances: 0)
        id = program.problem.id + "-v\(variant.mask)"
        genericQuestion = variant.genericQuestion
        let kept = Set(variant.quantities.map(\.name))
        variables.removeAll { !kept.contains($0.name) }
        self.program = variant.source
        substituted = variant.substituted
    }

    public init(program: DerivedProgram, source: String, varied: Set<String>, instances: Int) {
        id = program.problem.id
        self.source = source
        sourceID = program.problem.id
        question = program.problem.question
        genericQuestion = program.decoupled.genericQuestion
        variables = program.decoupled.quantities.map {
            Variable(name: $0.name, value: $0.value, kind: $0.kind, span: [$0.span.lowerBound, $0.span.upperBound],
                     text: $0.text, varies: varied.contains($0.name))
        }
        constants = program.constants.map { Constant(name: $0.name, value: $0.value) }
        self.program = program.source
        let gold = program.problem.gold
        goldAnswer = gold == gold.rounded() && gold.magnitude < 1e15 ? .int(Int64(gold)) : .float(gold)
        answer = program.answer.cleaned
        self.instances = instances
        substituted = []
    }
}

/// A record of the `instances` stream (`Schemas/InfinityMath/math-instance.schema.json`).
public struct MathInstanceRecord: Encodable, Sendable {
    public var id: String
    public var sourceID: String
    public var programID: String
    /// Every variable of the program with its value in this instance.
    public var values: [String: PyValue]
    public var question: String
    public var answer: PyValue

    enum CodingKeys: String, CodingKey {
        case id, sourceID = "source_id", programID = "program_id", values, question, answer
    }

    public init(instance: MathInstance, program: DerivedProgram) throws {
        sourceID = program.problem.id
        programID = program.problem.id
        values = instance.values
        question = instance.question
        answer = instance.answer
        let canonical = JSONWriter.compactString(try CanonicalJSON.value(of: instance.values))
        id = sourceID + "-" + String(StableHash.sha256Hex(sourceID + "\n" + canonical).prefix(12))
    }
}

import Foundation
import StageKit

extension DerivedProgram {
    /// Whether a record carries its own program (InfinityMATH-style JSONL, or pipe's `math-program` records) rather
    /// than a GSM8K solution to derive one from.
    public static func isProvided(_ record: JSONValue) -> Bool { record["program"]?.stringValue != nil }

    /// A program that came with its problem, verified the same way: `question`, `program` (Python with one
    /// function, or `solution` among several), an optional `generic_question` with `{name}` placeholders, and the gold
    /// answer in `gold_answer`, `ori_answer` or `answer` (a number, a numeric string, or a GSM8K `#### N` solution).
    ///
    /// Each parameter with a default is a variable; its quantity (kind, span, style) is the one the generic question
    /// places it at, else the question's quantity with the same value. Parameters without one keep their values.
    public init(provided record: JSONValue) throws {
        guard let question = record["question"]?.stringValue, !question.isEmpty, let source = record["program"]?.stringValue else {
            throw MathReject.record("a program record needs a string 'question' and 'program'")
        }
        guard let (goldText, gold) = Self.gold(record) else {
            throw MathReject.noFinalAnswer("no numeric gold_answer, ori_answer or answer")
        }
        guard question.utf8.count <= MathProblem.maxQuestionBytes, source.utf8.count <= MathProblem.maxAnswerBytes else {
            throw MathReject("math.too_large", .dropped, "question or program over the size limit")
        }
        let interpreter: PyInterpreter
        do {
            interpreter = try PyInterpreter(source: source)
        } catch let error as PyError {
            throw MathReject.program("the program does not parse: \(error)")
        }
        let functions = interpreter.module.functions.keys.sorted()
        guard let function = functions.count == 1 ? functions.first : (functions.contains("solution") ? "solution" : nil) else {
            throw MathReject.program("the program defines \(functions.count) functions and none is 'solution'")
        }
        let parameters: [(name: String, value: PyValue?)]
        do {
            parameters = try interpreter.parameters(of: function)
        } catch let error as PyError {
            throw MathReject.runtime("the defaults cannot be evaluated: \(error)")
        }
        let decoupled = DecoupledQuestion(question: question)
        let placed = record["generic_question"]?.stringValue.flatMap { GenericAlignment.spans(generic: $0, question: question) } ?? [:]
        var taken: Set<Int> = []
        var quantities: [Quantity] = []
        for (name, value) in parameters {
            guard let value, value.doubleValue != nil else { continue }
            let scanned = decoupled.quantities.indices.first { index in
                guard !taken.contains(index) else { return false }
                if let span = placed[name] {
                    let scanned = decoupled.quantities[index].span
                    return scanned.lowerBound >= span.lowerBound && scanned.upperBound <= span.upperBound
                }
                return decoupled.quantities[index].number == value.doubleValue
            }
            if let index = scanned {
                taken.insert(index)
                var quantity = decoupled.quantities[index]
                quantity.name = name
                quantity.value = value
                quantities.append(quantity)
            } else {
                // Not found in the question: a parameter that keeps its value.
                quantities.append(Quantity(name: name, value: value, kind: value.isIntegral ? .integer : .decimal, span: 0..<0,
                                           text: value.repr, style: .digits(separators: false, decimals: 0, leadingZero: true),
                                           fraction: nil, mayVary: false))
            }
        }
        var rebuilt = decoupled
        rebuilt.quantities = quantities
        rebuilt.genericQuestion = DecoupledQuestion.fill(Array(question.unicodeScalars), quantities.filter { !$0.span.isEmpty }) {
            "{" + $0.name + "}"
        }
        self.problem = MathProblem(question: question, text: source, goldText: goldText, gold: gold)
        self.decoupled = rebuilt
        constants = []
        let body = interpreter.module.functions[function]?.body ?? []
        steps = body.compactMap {
            if case .assign(let name, _) = $0.kind { return ProgramStep(name: name, expression: .variable(name), comment: "") }
            return nil
        }
        self.source = source
        self.interpreter = interpreter
        answerName = ""
        usesMath = interpreter.module.imports.contains("math")
        functionName = function
        isProvided = true
        let read = Set(body.flatMap { $0.names })
        usedVariables = Set(quantities.map(\.name)).intersection(read)
        do {
            answer = try interpreter.call(function)
        } catch let error as PyError {
            throw MathReject.runtime("the program fails on its default values: \(error)")
        }
        guard let value = answer.doubleValue, Self.matches(value, gold) else {
            throw MathReject.answerMismatch("the program gives \(answer.repr), the gold answer is \(goldText)")
        }
    }

    /// The gold answer of a provided record, as text and value.
    private static func gold(_ record: JSONValue) -> (String, Double)? {
        for key in ["gold_answer", "ori_answer", "answer"] {
            switch record[key] {
            case .integer(let value)?: return (String(value), Double(value))
            case .number(let value)?: return (PyValue.float(value).repr, value)
            case .string(let text)?:
                let final = text.components(separatedBy: "####").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? text
                if let value = MathProblem.number(final) { return (final, value) }
            default: continue
            }
        }
        return nil
    }
}

/// Where each `{name}` of a generic question sits in the question: the text between the literal pieces.
enum GenericAlignment {
    static func spans(generic: String, question: String) -> [String: Range<Int>]? {
        // Split the template into literal pieces and placeholder names (`{{` and `}}` are literal braces).
        var pieces: [String] = [""]
        var names: [String] = []
        var scalars = Array(generic.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "{", scalars.first == "{" || scalar == "}" && scalars.first == "}" {
                scalars.removeFirst()
                pieces[pieces.count - 1].unicodeScalars.append(scalar)
            } else if scalar == "{" {
                var name = ""
                while let next = scalars.popFirst(), next != "}" { name.unicodeScalars.append(next) }
                names.append(name)
                pieces.append("")
            } else {
                pieces[pieces.count - 1].unicodeScalars.append(scalar)
            }
        }
        let text = Array(question.unicodeScalars)
        let literal = pieces.map { Array($0.unicodeScalars) }
        guard text.starts(with: literal[0]) else { return nil }
        var position = literal[0].count
        var spans: [String: Range<Int>] = [:]
        for (index, name) in names.enumerated() {
            let next = literal[index + 1]
            // The value runs to the first place the next literal piece matches (to the end for the last).
            var end = position
            if next.isEmpty {
                end = index + 1 == names.count ? text.count : position
            } else {
                while end + next.count <= text.count, !text[end..<(end + next.count)].elementsEqual(next) { end += 1 }
                guard end + next.count <= text.count else { return nil }
            }
            guard end > position else { return nil }
            spans[name] = position..<end
            position = end + next.count
        }
        return position == text.count ? spans : nil
    }
}

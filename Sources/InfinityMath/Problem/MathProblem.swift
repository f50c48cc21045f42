import Foundation
import StageKit

/// One calculator annotation of a solution, `<<48/2=24>>`, with the text of its line around it.
public struct AnnotatedStep: Sendable, Equatable {
    /// The 0-based line of the solution it is on.
    public var line: Int
    /// Its position among the annotations of that line.
    public var indexInLine: Int
    public var expression: Arithmetic
    /// The left side as written (`48/2`).
    public var expressionText: String
    /// The right side as written, and its value.
    public var resultText: String
    public var result: Double
    /// The solution line with every annotation removed (GSM8K's plain text).
    public var lineText: String
    /// The text of the line after this annotation, up to the next one.
    public var textAfter: String
    /// The text of the line before this annotation, from the previous one.
    public var textBefore: String
    /// Written in the text without an annotation (`20/4 = 5`).
    public var implicit: Bool
}

/// A GSM8K problem: the question, the solution with its annotations, and the final answer after `####`.
public struct MathProblem: Sendable, Equatable {
    /// Content-derived: the first 16 hex digits of SHA-256 of question, a newline, and answer.
    public var id: String
    public var question: String
    public var answer: String
    public var steps: [AnnotatedStep]
    /// The text after `####`, and its value (commas removed, as GSM8K's own extraction does).
    public var goldText: String
    public var gold: Double

    /// The id of a problem with this question and answer.
    public static func id(question: String, answer: String) -> String {
        String(StableHash.sha256Hex(question + "\n" + answer).prefix(16))
    }

    /// Reads a GSM8K record (`{"question", "answer"}`); throws a `MathReject`.
    public init(record: JSONValue) throws {
        guard case .object = record else { throw MathReject.record("the line is JSON but not an object") }
        guard let question = record["question"]?.stringValue, !question.isEmpty else {
            throw MathReject.record("no string 'question'")
        }
        guard let answer = record["answer"]?.stringValue, !answer.isEmpty else {
            throw MathReject.record("no string 'answer'")
        }
        try self.init(question: question, answer: answer)
    }

    /// A problem whose program came with it: no steps; `text` (the answer or the program) goes into the id.
    init(question: String, text: String, goldText: String, gold: Double) {
        self.question = question
        answer = text
        id = Self.id(question: question, answer: text)
        steps = []
        self.goldText = goldText
        self.gold = gold
    }

    /// The longest question and solution read (GSM8K's are under 1 KiB): decoupling and naming are quadratic in
    /// the number of quantities, so a hostile line is refused rather than read.
    public static let maxQuestionBytes = 16 << 10
    public static let maxAnswerBytes = 32 << 10

    public init(question: String, answer: String) throws {
        guard question.utf8.count <= Self.maxQuestionBytes, answer.utf8.count <= Self.maxAnswerBytes else {
            throw MathReject("math.too_large", .dropped,
                             "question over \(Self.maxQuestionBytes) bytes or solution over \(Self.maxAnswerBytes) bytes")
        }
        self.question = question
        self.answer = answer
        id = Self.id(question: question, answer: answer)
        var lines = answer.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let last = lines.last, let marker = last.range(of: "####") else {
            throw MathReject.noFinalAnswer("the answer does not end with a '#### N' line")
        }
        let finalText = last[marker.upperBound...].trimmingCharacters(in: .whitespaces)
        guard let gold = Self.number(finalText) else {
            throw MathReject.noFinalAnswer("the final answer '\(finalText.prefix(40))' is not a number")
        }
        goldText = finalText
        self.gold = gold
        steps = []
        for (index, line) in lines.dropLast().enumerated() {
            steps.append(contentsOf: try Self.annotations(in: line, line: index))
        }
        guard !steps.isEmpty else { throw MathReject.noAnnotations() }
    }

    /// A number as GSM8K writes a final answer: an optional sign, digits with commas, an optional fraction.
    static func number(_ text: String) -> Double? {
        var cleaned = text.replacingOccurrences(of: ",", with: "")
        if cleaned.hasPrefix("$") { cleaned.removeFirst() }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    private static func annotations(in line: String, line index: Int) throws -> [AnnotatedStep] {
        let scalars = Array(line.unicodeScalars)
        var found: [(open: Int, close: Int)] = []
        var position = 0
        while position + 1 < scalars.count {
            if scalars[position] == "<", scalars[position + 1] == "<" {
                var end = position + 2
                while end + 1 < scalars.count, !(scalars[end] == ">" && scalars[end + 1] == ">") { end += 1 }
                guard end + 1 < scalars.count else {
                    throw MathReject.annotationSyntax("line \(index + 1): an annotation is not closed")
                }
                found.append((position, end + 2))
                position = end + 2
            } else {
                position += 1
            }
        }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var plain = ""
        var cursor = 0
        for annotation in found {
            plain += text(cursor..<annotation.open)
            cursor = annotation.close
        }
        plain += text(cursor..<scalars.count)
        var equations: [(range: Range<Int>, left: String, right: String, implicit: Bool)] = []
        for annotation in found {
            let inner = text((annotation.open + 2)..<(annotation.close - 2))
            guard let equals = inner.firstIndex(of: "=") else {
                throw MathReject.annotationSyntax("line \(index + 1): annotation <<\(inner)>> has no '='")
            }
            var left = String(inner[..<equals])
            let right = inner[inner.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // `40-16 = <<24=24>>24`: the annotation holds only the result; the arithmetic is the text before it.
            if case .number? = Arithmetic.parse(left), let result = Self.number(right) {
                var position = annotation.open
                while position > 0, scalars[position - 1] == " " || scalars[position - 1] == "$" { position -= 1 }
                if position > 0, scalars[position - 1] == "=",
                   let (_, text) = ImplicitEquations.leftSide(of: position - 1, in: scalars, outside: found.map { $0.open..<$0.close }),
                   let value = Arithmetic.parse(text)?.value, (value - result).magnitude <= 1e-4 * max(1, result.magnitude) {
                    left = text
                }
            }
            equations.append((annotation.open..<annotation.close, left, right, false))
        }
        equations += ImplicitEquations.find(in: scalars, outside: found.map { $0.open..<$0.close })
        equations.sort { $0.range.lowerBound < $1.range.lowerBound }
        // Arithmetic in the text that does not hold is prose (`2 = two`, a rounded figure), not a step.
        equations.removeAll { equation in
            guard equation.implicit else { return false }
            guard let value = Arithmetic.parse(equation.left)?.value, let result = Self.number(equation.right) else { return true }
            return (value - result).magnitude > 1e-4 * max(1, result.magnitude)
        }
        var steps: [AnnotatedStep] = []
        for (ordinal, equation) in equations.enumerated() {
            let (left, right) = (equation.left, equation.right)
            guard let expression = Arithmetic.parse(left) else {
                throw MathReject.annotationSyntax("line \(index + 1): '\(left)' is not plain arithmetic")
            }
            guard let result = Self.number(right) else {
                throw MathReject.annotationSyntax("line \(index + 1): the result '\(right)' of <<\(left)=\(right)>> is not a number")
            }
            guard let computed = expression.value,
                  (computed - result).magnitude <= 1e-4 * max(1, result.magnitude) + 0.005 else {
                throw MathReject.annotationValue("line \(index + 1): \(left) is not \(right)")
            }
            let nextOpen = ordinal + 1 < equations.count ? equations[ordinal + 1].range.lowerBound : scalars.count
            let previousClose = ordinal > 0 ? equations[ordinal - 1].range.upperBound : 0
            steps.append(AnnotatedStep(
                line: index, indexInLine: ordinal, expression: expression, expressionText: left, resultText: right,
                result: result, lineText: plain, textAfter: text(equation.range.upperBound..<max(nextOpen, equation.range.upperBound)),
                textBefore: text(min(previousClose, equation.range.lowerBound)..<equation.range.lowerBound), implicit: equation.implicit))
        }
        return steps
    }
}

/// An arithmetic expression of a GSM8K calculator annotation (`48/2`, `(100-20)*.5`): numbers with their text,
/// `+ - * /`, unary signs and parentheses.
public indirect enum Arithmetic: Sendable, Equatable {
    case number(Double, text: String)
    case binary(PyBinaryOperator, Arithmetic, Arithmetic)
    case negate(Arithmetic)

    /// The value in floating point, as a calculator would give it; nil on a division by zero.
    public var value: Double? {
        switch self {
        case .number(let value, _): return value
        case .negate(let operand): return operand.value.map { -$0 }
        case .binary(let op, let left, let right):
            guard let a = left.value, let b = right.value else { return nil }
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return b == 0 ? nil : a / b
            default: return nil
            }
        }
    }

    /// Parses the left side of an annotation; nil when it is not plain arithmetic.
    public static func parse(_ text: String) -> Arithmetic? {
        var parser = ArithmeticParser(Array(text.unicodeScalars))
        guard let value = parser.sum(), parser.atEnd else { return nil }
        return value
    }
}

/// A recursive-descent parser for annotation arithmetic.
private struct ArithmeticParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool {
        mutating get {
            skipSpaces()
            return index == scalars.count
        }
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
    }

    private mutating func peek() -> Unicode.Scalar? {
        skipSpaces()
        return index < scalars.count ? scalars[index] : nil
    }

    mutating func sum() -> Arithmetic? {
        guard var value = product() else { return nil }
        while let next = peek(), next == "+" || next == "-" || next == "−" {
            index += 1
            guard let right = product() else { return nil }
            value = .binary(next == "+" ? .add : .subtract, value, right)
        }
        return value
    }

    private mutating func product() -> Arithmetic? {
        guard var value = unary() else { return nil }
        while let next = peek(), next == "*" || next == "/" || next == "x" || next == "×" || next == "÷" {
            index += 1
            guard let right = unary() else { return nil }
            value = .binary(next == "/" || next == "÷" ? .divide : .multiply, value, right)
        }
        return value
    }

    private mutating func unary() -> Arithmetic? {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { return nil }
        switch peek() {
        case "-", "−":
            index += 1
            return unary().map { .negate($0) }
        case "+":
            index += 1
            return unary()
        case "(":
            index += 1
            guard let inner = sum(), peek() == ")" else { return nil }
            index += 1
            return inner
        default:
            return number()
        }
    }

    private mutating func number() -> Arithmetic? {
        skipSpaces()
        let start = index
        var sawDigit = false
        var sawPoint = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.numericType != nil, scalar.isASCII {
                sawDigit = true
            } else if scalar == ".", !sawPoint {
                sawPoint = true
            } else if scalar == ",", sawDigit, !sawPoint {
                // A thousands separator: exactly three digits follow.
                let group = scalars[(index + 1)..<min(index + 4, scalars.count)]
                guard group.count == 3, group.allSatisfy({ $0.isASCII && $0.properties.numericType != nil }) else { break }
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        var text = String(String.UnicodeScalarView(scalars[start..<index]))
        if text.hasSuffix(".") { text.removeLast() }
        guard let value = Double(text.replacingOccurrences(of: ",", with: "")) else { return nil }
        return .number(value, text: text)
    }
}

/// A question with its numbers taken out: the quantities, named, and the generic question with a `{name}`
/// placeholder where each one was (literal braces doubled, as in Python's `str.format`).
public struct DecoupledQuestion: Sendable, Equatable {
    public var question: String
    public var quantities: [Quantity]
    public var genericQuestion: String

    public init(question: String) {
        self.question = question
        let scalars = Array(question.unicodeScalars)
        quantities = VariableNamer.name(QuantityScanner.scan(scalars), in: scalars)
        genericQuestion = Self.fill(scalars, quantities) { "{" + $0.name + "}" }
    }

    /// The question with each quantity's text replaced by `replacement` (and other text kept, braces escaped
    /// only when writing placeholders).
    static func fill(_ scalars: [Unicode.Scalar], _ quantities: [Quantity], escapeBraces: Bool = true,
                     _ replacement: (Quantity) -> String) -> String {
        var out = ""
        var cursor = 0
        func copy(_ range: Range<Int>) {
            for scalar in scalars[range] {
                if escapeBraces && (scalar == "{" || scalar == "}") { out.unicodeScalars.append(scalar) }
                out.unicodeScalars.append(scalar)
            }
        }
        for quantity in quantities.sorted(by: { $0.span.lowerBound < $1.span.lowerBound }) where quantity.span.lowerBound >= cursor {
            copy(cursor..<quantity.span.lowerBound)
            out += replacement(quantity)
            cursor = quantity.span.upperBound
        }
        copy(cursor..<scalars.count)
        return out
    }

    /// The question with new values written in place of the quantities named in `values` (and `a`/`an`
    /// before them agreeing with the new text).
    public func instantiate(_ values: [String: PyValue]) -> String {
        let scalars = Array(question.unicodeScalars)
        var out = ""
        var cursor = 0
        for quantity in quantities.sorted(by: { $0.span.lowerBound < $1.span.lowerBound }) where quantity.span.lowerBound >= cursor {
            out.unicodeScalars.append(contentsOf: scalars[cursor..<quantity.span.lowerBound])
            cursor = quantity.span.upperBound
            guard let value = values[quantity.name], value != quantity.value else {
                out += quantity.text
                continue
            }
            let text = ValueWriter.write(value, like: quantity)
            Article.agree(&out, with: text)
            out += text
        }
        out.unicodeScalars.append(contentsOf: scalars[cursor..<scalars.count])
        return out
    }
}

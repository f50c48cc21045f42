/// The kind of a quantity in a question; it decides how new values are drawn and written.
public enum QuantityKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Digits, with or without thousands separators (`48`, `1,200`).
    case integer
    /// Digits with a fractional part (`2.5`, `.75`).
    case decimal
    /// An amount of money (`$12`, `$.50`, `3 dollars`).
    case money
    /// A percentage (`20%`, `twenty percent`); the value is the number before the sign.
    case percent
    /// A fraction (`1/2`, `half`, `a third`, `two-thirds`); the value is its quotient.
    case fraction
    /// A number written as words (`three`, `twenty-five`, `a dozen`).
    case numberWord = "number_word"
    /// A multiplier word (`twice`, `double`, `triple`).
    case multiplier
    /// An ordinal used as a quantity (`every third day`, `the 5th`).
    case ordinal
}

/// How a quantity is written, so that a new value can be written the same way.
public enum SurfaceStyle: Sendable, Equatable {
    /// Digits: thousands separators, the number of decimals, and whether a value below 1 keeps its leading zero.
    case digits(separators: Bool, decimals: Int, leadingZero: Bool)
    /// `p/q`.
    case fractionDigits
    /// `half`, `a third`, `two-thirds`: the article or number word before, and the joiner (`-` or a space).
    case fractionWords(article: String, joiner: String)
    /// `three`, `Twenty-five`: capitalized at a sentence start.
    case numberWords(capitalized: Bool)
    /// `a dozen`, `two dozen`.
    case dozen(capitalized: Bool)
    /// `twice`, `three times` when written with `twice`; `double`, `triple` otherwise.
    case multiplierWords(verb: Bool)
    /// `3rd` or `third`.
    case ordinalDigits, ordinalWords
}

/// A number found in a question: its variable, value, kind, where it is and how it is written.
public struct Quantity: Sendable, Equatable {
    /// The Python variable standing for it (`num_clips_april`).
    public var name: String
    public var value: PyValue
    public var kind: QuantityKind
    /// Unicode scalar offsets of its text in the question, `[start, end)`.
    public var span: Range<Int>
    /// Its text as written (`$.50` gives `.50`: the sign stays in the question).
    public var text: String
    public var style: SurfaceStyle
    /// A fraction's numerator and denominator.
    public var fraction: (numerator: Int64, denominator: Int64)?
    /// Whether new values may replace it (clock times, years, 0 and 1 stay as written).
    public var mayVary: Bool

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value && lhs.kind == rhs.kind && lhs.span == rhs.span && lhs.text == rhs.text
            && lhs.style == rhs.style && lhs.fraction?.numerator == rhs.fraction?.numerator
            && lhs.fraction?.denominator == rhs.fraction?.denominator && lhs.mayVary == rhs.mayVary
    }

    /// The value as a `Double`.
    public var number: Double { value.doubleValue ?? 0 }
}

/// Why a program could not be parsed or run: Python's exception for the same failure where there is one
/// (`ZeroDivisionError`, `ValueError`, `OverflowError`), or one of the interpreter's own limits.
public struct PyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        case syntax = "SyntaxError"
        case name = "NameError"
        case type = "TypeError"
        case zeroDivision = "ZeroDivisionError"
        case value = "ValueError"
        case overflow = "OverflowError"
        /// A negative number to a fractional power: CPython gives a complex number, which the subset lacks.
        case complex = "ComplexResult"
        /// An integer outside Int64: CPython would go on with a big integer; the interpreter stops.
        case integerRange = "IntegerRange"
        /// The step, loop, size or nesting budget ran out.
        case limit = "LimitExceeded"
        /// A construct outside the subset.
        case unsupported = "Unsupported"
    }

    public var kind: Kind
    public var message: String
    /// The 1-based source line, when known.
    public var line: Int?

    public init(_ kind: Kind, _ message: String, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
    }

    public var description: String {
        (line.map { "line \($0): " } ?? "") + "\(kind.rawValue): \(message)"
    }
}

/// What the classifiers decide for one source token.
enum Role: UInt8 {
    /// Not emitted (trivia that slipped through, a continuation sentinel).
    case skip
    /// A keyword or operator: emitted as its vocabulary token (UNK when missing).
    case fixed
    /// A token of no category outside the vocabulary (a stray byte, a user-defined Fortran operator).
    case raw
    /// Ordinary-namespace name used in a variable, array, callee or parameter context.
    case variable, array, function, argument
    /// The same, at a declaration.
    case variableDecl, arrayDecl, functionDecl, argumentDecl
    /// A variable declared in code with a built-in type (`int d`, `double *d`; not a macro, macro parameter,
    /// enumerator or label, nor a variable of a named type, which may be a function pointer): calls of the name
    /// elsewhere do not make it a function.
    case objectDecl
    /// `T` in `(T)(z)`: a cast when the file uses `T` as a type elsewhere, else a call through a parenthesized
    /// callee.
    case castOrCallee
    /// `T` in `(T) -x` (or `*`, `&`, `+`): a cast when the file uses `T` as a type elsewhere, else a variable.
    case castOrVariable
    /// A member name used (`p.x`), called (`v.push_back(`), or declared in a record body.
    case field, fieldCall, fieldDecl
    /// A type name used or declared.
    case type, typeDecl
    /// Literals.
    case number, character, string
    /// `<header.h>`: kept when it is a vocabulary header, else a string placeholder.
    case header
    /// A pragma, attribute or specifier word: kept when the vocabulary has it, else a variable.
    case word
    /// A word the lexer calls a keyword in an OpenMP/OpenACC directive: kept when the vocabulary has it, else a
    /// variable (a macro standing for clauses, `!$omp parallel do GPU_SCHEDULE`).
    case directiveWord
    /// `x` in `threadIdx.x`: kept when the built-in before it is kept, else a field.
    case member
    /// `NULL`, `TRUE`, `FALSE`, `std`: kept as the vocabulary token (tree-sitter treats them as literals and
    /// namespaces, never as names).
    case fixedIdentifier
}

/// Bits of an entry's occurrence flags.
enum OccurrenceFlag {
    static let variable: UInt16 = 1 << 0
    static let array: UInt16 = 1 << 1
    static let function: UInt16 = 1 << 2
    static let argument: UInt16 = 1 << 3
    static let declaredVariable: UInt16 = 1 << 4
    static let declaredArray: UInt16 = 1 << 5
    static let declaredFunction: UInt16 = 1 << 6
    static let declaredArgument: UInt16 = 1 << 7
    static let declared: UInt16 = 0xF0
    /// Set with `declaredVariable` by a declaration in code (`Role.objectDecl`).
    static let declaredObject: UInt16 = 1 << 8
    /// `Role.castOrCallee` and `Role.castOrVariable`: outside `declared`, and shifted by 4 (as resolving merges
    /// declarations into uses) they land on declaration bits, which the use tests ignore.
    static let castOrCallee: UInt16 = 1 << 9
    static let castOrVariable: UInt16 = 1 << 10
    /// Occurrences that read as a type when the file uses the name as one.
    static let possibleCast: UInt16 = castOrCallee | castOrVariable
}

/// Name spaces of entries: the same text is one placeholder per namespace.
enum EntrySpace: UInt8 {
    case ordinary, field, type, number, character, string

    var category: Category {
        switch self {
        case .ordinary: return .variable
        case .field: return .field
        case .type: return .type
        case .number: return .number
        case .character: return .character
        case .string: return .string
        }
    }
}

/// Which part of the vocabulary a UNK token should have come from, for the conformance rate.
public enum UnknownKind: String, Sendable, CaseIterable, Codable {
    /// A token the lexer calls a keyword or type keyword.
    case keyword
    /// A token the lexer calls an operator or punctuator.
    case `operator`
    /// Anything else (a stray byte, a user-defined Fortran operator, an unknown directive word).
    case other
}

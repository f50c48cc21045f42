/// A placeholder category of the original Tokompiler (`struct_` was declared there but never produced).
public enum Category: UInt8, Sendable, CaseIterable, Codable {
    /// A variable, enumerator, macro or label.
    case variable
    /// A name declared with an array declarator.
    case array
    /// A called or defined function.
    case function
    /// A struct, union or class member, a Fortran derived-type component.
    case field
    /// A type name: typedef, struct/union/enum/class tag, template parameter, Fortran derived type or module.
    case type
    /// A number literal (whole text: `0x1Fu`, `1.0d0`), or a Fortran statement label.
    case number
    /// A character literal, quotes included.
    case character
    /// A string literal, quotes and prefix included.
    case string
    /// A function parameter (Fortran: a dummy argument).
    case argument

    /// The head token that starts the placeholder (`var`, `arr`, ...).
    public var head: String {
        switch self {
        case .variable: return "var"
        case .array: return "arr"
        case .function: return "func"
        case .field: return "field"
        case .type: return "type"
        case .number: return "num"
        case .character: return "char"
        case .string: return "str"
        case .argument: return "arg"
        }
    }

    /// The category whose head is `text`.
    public init?(head text: some StringProtocol) {
        switch text {
        case "var": self = .variable
        case "arr": self = .array
        case "func": self = .function
        case "field": self = .field
        case "type": self = .type
        case "num": self = .number
        case "char": self = .character
        case "str": self = .string
        case "arg": self = .argument
        default: return nil
        }
    }
}

/// How placeholder ids are written in the token stream.
///
/// The vocabulary has number tokens 0 to 1000. An id in that range is one number token (`var 7`). A larger id is
/// `[ID2]` followed by its two base-1000 digits, most significant first (`var [ID2] 1 234` is `var_1234`), or
/// `[ID3]` followed by three (ids up to 999,999,999). Digits after `[ID2]`/`[ID3]` are 0-999 and the first is
/// not 0, so every id has exactly one spelling and no spelling is a prefix of another id's.
public enum PlaceholderID {
    /// The largest id that one number token can hold.
    public static let maxDirect = 1000
    /// The largest id the encoding can hold.
    public static let maxEncodable = 999_999_999

    /// The number tokens of an id after its head (`["7"]`, `["[ID2]", "1", "234"]`), or nil past `maxEncodable`.
    public static func tokens(for id: Int) -> [String]? {
        guard id >= 0, id <= maxEncodable else { return nil }
        if id <= maxDirect { return [String(id)] }
        if id < 1_000_000 { return ["[ID2]", String(id / 1000), String(id % 1000)] }
        return ["[ID3]", String(id / 1_000_000), String(id / 1000 % 1000), String(id % 1000)]
    }

    /// Reads an id written from `tokens[index]` on; returns it and the number of tokens it took, or nil.
    public static func read<S: StringProtocol>(_ tokens: [S], at index: Int) -> (id: Int, count: Int)? {
        guard index < tokens.count else { return nil }
        func digit(_ i: Int) -> Int? {
            guard i < tokens.count, let value = Int(tokens[i]), value >= 0, value <= 999,
                  tokens[i].allSatisfy({ $0.isASCII && $0.isNumber }), tokens[i] == String(value) else { return nil }
            return value
        }
        let first = tokens[index]
        if first == "[ID2]" {
            guard let a = digit(index + 1), a > 0, let b = digit(index + 2) else { return nil }
            return (a * 1000 + b, 3)
        }
        if first == "[ID3]" {
            guard let a = digit(index + 1), a > 0, let b = digit(index + 2), let c = digit(index + 3) else { return nil }
            return (a * 1_000_000 + b * 1000 + c, 4)
        }
        guard first.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(first), value <= maxDirect,
              first == String(value) else { return nil }
        return (value, 1)
    }

    /// The map key of a placeholder, as the original's replaced code spells it (`var_7`).
    public static func key(_ category: Category, _ id: Int) -> String {
        // Keys are made for every distinct name of every file: concatenating cached pieces avoids formatting.
        let prefix = prefixes[Int(category.rawValue)]
        return id < decimals.count ? prefix + decimals[id] : prefix + String(id)
    }

    private static let prefixes: [String] = Category.allCases.map { $0.head + "_" }
    private static let decimals: [String] = (0...maxDirect).map { String($0) }
}

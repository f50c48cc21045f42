import StageKit

/// The upstream `op_args` field, a sum type: the string "None", the sampled integers, or op-name chains.
public enum OpArgs: Sendable, Equatable, Codable {
    /// `"None"`: shapes come from `input_name`/`output_name` records (graphs, model blocks, some operators).
    case none
    /// The sampled shape parameters, e.g. `[16, 3, 4, 12]`.
    case integers([Int])
    /// `topology_expansion` op chains, e.g. `[["abs", "exp"]]`.
    case chains([[String]])

    /// Reads the three upstream forms; anything else is nil (the caller rejects the record).
    public init?(json: JSONValue?) {
        guard let json else { return nil }
        switch json {
        case .string("None"), .null:
            self = .none
        case .array(let items) where items.isEmpty:
            self = .integers([])
        case .array(let items):
            if let ints = Self.integers(items) {
                self = .integers(ints)
            } else if let chains = Self.chains(items) {
                self = .chains(chains)
            } else {
                return nil
            }
        default:
            return nil
        }
    }

    private static func integers(_ items: [JSONValue]) -> [Int]? {
        var out: [Int] = []
        for item in items {
            guard case .integer(let value) = item, let small = Int(exactly: value) else { return nil }
            out.append(small)
        }
        return out
    }

    private static func chains(_ items: [JSONValue]) -> [[String]]? {
        var out: [[String]] = []
        for item in items {
            guard case .array(let names) = item else { return nil }
            var chain: [String] = []
            for name in names {
                guard case .string(let text) = name else { return nil }
                chain.append(text)
            }
            out.append(chain)
        }
        return out
    }

    /// Python's `str()` of the value, as the upstream file key uses it: `None`, `[16, 3]`, `[['abs', 'exp']]`.
    public var pythonText: String {
        switch self {
        case .none: return "None"
        case .integers(let values): return PythonText.list(values)
        case .chains(let chains): return "[" + chains.map { "[" + $0.map(PythonText.string).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        }
    }

    /// Which of the three forms, for records and summaries.
    public var form: String {
        switch self {
        case .none: return "none"
        case .integers: return "integers"
        case .chains: return "chains"
        }
    }

    /// Encoded as upstream writes it, so records keep the released layout.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .none: try container.encode("None")
        case .integers(let values): try container.encode(values)
        case .chains(let chains): try container.encode(chains)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), text == "None" {
            self = .none
        } else if let values = try? container.decode([Int].self) {
            self = .integers(values)
        } else {
            self = .chains(try container.decode([[String]].self))
        }
    }
}

/// Python `str()` formatting for the few shapes the upstream file key needs.
enum PythonText {
    static func list(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }
    static func shapes(_ shapes: [[Int]]) -> String { "[" + shapes.map(list).joined(separator: ", ") + "]" }

    /// Python's repr of a string: single quotes unless the text holds one and no double quote.
    static func string(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for character in text {
            if character == "\\" || character == quote { out.append("\\") }
            out.append(character)
        }
        out.append(quote)
        return out
    }
}

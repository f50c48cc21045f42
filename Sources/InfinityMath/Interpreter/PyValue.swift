/// A value of the Python subset math programs use: exact integers (Int64), floats, booleans and lists.
public enum PyValue: Sendable, Hashable {
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case list([PyValue])
    case none

    /// The value as a `Double` when it is a number (a boolean counts as 0 or 1, as in Python).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .list, .none: return nil
        }
    }

    /// Python's truth value.
    public var isTruthy: Bool {
        switch self {
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        case .bool(let value): return value
        case .list(let elements): return !elements.isEmpty
        case .none: return false
        }
    }

    /// The Python type name, as `type(x).__name__` gives it.
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .float: return "float"
        case .bool: return "bool"
        case .list: return "list"
        case .none: return "NoneType"
        }
    }

    /// Python's `repr`: integers as digits, floats in shortest round-trip form (`1e+16`, `0.1`, `inf`).
    public var repr: String {
        switch self {
        case .int(let value): return String(value)
        case .float(let value): return PyFloatFormat.repr(value)
        case .bool(let value): return value ? "True" : "False"
        case .list(let elements): return "[" + elements.map(\.repr).joined(separator: ", ") + "]"
        case .none: return "None"
        }
    }

    /// A float rounded to 9 decimal places as Python's `round(x, 9)` does (`20.200000000000003` gives `20.2`): the
    /// answer as a person would write it, without the artefacts of binary arithmetic. Other values are unchanged.
    public var cleaned: PyValue {
        guard case .float(let value) = self, value.isFinite, let rounded = try? PyRounding.roundFloat(value, places: 9) else {
            return self
        }
        return .float(rounded)
    }

    /// Whether the value is a number with no fractional part (an int, or an integral float).
    public var isIntegral: Bool {
        switch self {
        case .int, .bool: return true
        case .float(let value): return value.isFinite && value.rounded(.towardZero) == value
        case .list, .none: return false
        }
    }
}

/// Python's float `repr`, which differs from Swift's `description` in where it switches to exponents.
enum PyFloatFormat {
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the same shortest digits; only the layout differs.
        let (digits, exponent) = shortestDigits(value.magnitude)
        let sign = value < 0 ? "-" : ""
        // Python: repr uses scientific notation when the decimal exponent is < -4 or >= 16.
        let decimalPoint = exponent + 1
        if exponent < -4 || exponent >= 16 {
            var mantissa = String(digits.first ?? "0")
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let exponentText = exponent < 0 ? "-" + pad(-exponent) : "+" + pad(exponent)
            return sign + mantissa + "e" + exponentText
        }
        if decimalPoint <= 0 {
            return sign + "0." + String(repeating: "0", count: -decimalPoint) + digits
        }
        if decimalPoint >= digits.count {
            return sign + digits + String(repeating: "0", count: decimalPoint - digits.count) + ".0"
        }
        let index = digits.index(digits.startIndex, offsetBy: decimalPoint)
        return sign + digits[..<index] + "." + digits[index...]
    }

    private static func pad(_ exponent: Int) -> String { exponent < 10 ? "0\(exponent)" : "\(exponent)" }

    /// The shortest round-trip significant digits of a positive finite value and its decimal exponent
    /// (value = 0.d1d2... × 10^(exponent+1)).
    static func shortestDigits(_ value: Double) -> (String, Int) {
        // Swift prints the shortest round-trip digits, as `1.2345e-05` or `123.45`; re-read its layout.
        let text = "\(value)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fraction: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fraction
        var pointExponent = integerPart.count - 1 + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointExponent -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, pointExponent)
    }
}

import StageKit
/// A JSON number as the validator compares it: integers stay exact instead of going through `Double`.
enum SchemaNumber: Sendable {
    case integer(Int64)
    case double(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .integer(let integer): self = .integer(integer)
        case .number(let double): self = .double(double)
        default: return nil
        }
    }

    var description: String {
        switch self {
        case .integer(let integer): return String(integer)
        case .double(let double): return JSONWriter.numberText(double)
        }
    }

    /// -1, 0 or 1 as `self` is below, equal to or above `other`; nil when either is NaN.
    func compare(to other: SchemaNumber) -> Int? {
        switch (self, other) {
        case (.integer(let a), .integer(let b)):
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.integer(let a), .double(let b)):
            return Self.compare(a, b)
        case (.double(let a), .integer(let b)):
            return Self.compare(b, a).map { -$0 }
        }
    }

    /// Compares exactly, where converting a large `Int64` to `Double` would round it.
    private static func compare(_ integer: Int64, _ double: Double) -> Int? {
        if double.isNaN { return nil }
        if double >= 9_223_372_036_854_775_808.0 { return -1 }
        if double < -9_223_372_036_854_775_808.0 { return 1 }
        let truncated = double.rounded(.towardZero)
        let whole = Int64(truncated)
        if integer != whole { return integer < whole ? -1 : 1 }
        let fraction = double - truncated
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// Whether `self` divided by `divisor` is an integer, reading both as the decimals they were written as.
    ///
    /// Binary division gets `0.0075 / 0.0001` wrong and overflows on `1e308 / 0.123456789`; JSON numbers
    /// are decimal, so the test is done on decimal mantissas and exponents with modular arithmetic.
    func isMultiple(of divisor: SchemaNumber) -> Bool {
        if case .integer(let value) = self, case .integer(let step) = divisor, step != 0 {
            // Int64.min % -1 traps, hence the overflow-reporting form.
            let (remainder, overflow) = value.remainderReportingOverflow(dividingBy: step)
            return overflow || remainder == 0
        }
        guard let value = DecimalParts(self), let step = DecimalParts(divisor), step.mantissa != 0 else {
            return false
        }
        if value.mantissa == 0 { return true }
        let shift = value.exponent - step.exponent
        // Mantissas carry no trailing zeros, so a value with a smaller exponent always leaves a fraction.
        guard shift >= 0 else { return false }
        let remainder = value.mantissa % step.mantissa
        return Self.multiplyModulo(remainder, Self.powerOfTenModulo(shift, step.mantissa), step.mantissa) == 0
    }

    private static func multiplyModulo(_ a: UInt64, _ b: UInt64, _ modulus: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return modulus.dividingFullWidth((high: product.high % modulus, low: product.low)).remainder
    }

    private static func powerOfTenModulo(_ exponent: Int, _ modulus: UInt64) -> UInt64 {
        var result: UInt64 = 1 % modulus
        var base: UInt64 = 10 % modulus
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = multiplyModulo(result, base, modulus) }
            base = multiplyModulo(base, base, modulus)
            remaining >>= 1
        }
        return result
    }
}

/// The magnitude of a finite number as `mantissa × 10^exponent`, the mantissa without trailing zeros.
private struct DecimalParts {
    var mantissa: UInt64
    var exponent: Int

    init?(_ number: SchemaNumber) {
        switch number {
        case .integer(let integer):
            mantissa = integer.magnitude
            exponent = 0
        case .double(let double):
            guard double.isFinite else { return nil }
            // The shortest round-trip text is the decimal the JSON most likely spelled.
            guard let parts = Self.parse(double.magnitude.description) else { return nil }
            mantissa = parts.mantissa
            exponent = parts.exponent
        }
        if mantissa == 0 {
            exponent = 0
            return
        }
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
    }

    private static func parse(_ text: String) -> (mantissa: UInt64, exponent: Int)? {
        var mantissa: UInt64 = 0
        var exponent = 0
        var seenPoint = false
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                let (scaled, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                // Shortest round-trip output has at most 17 significant digits, so this only trips on bugs.
                if overflow1 || overflow2 { return nil }
                mantissa = sum
                if seenPoint { exponent -= 1 }
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let power = Int(String(text[text.utf8.index(after: index)...])) else { return nil }
                return (mantissa, exponent + power)
            } else {
                return nil
            }
            index = utf8.index(after: index)
        }
        return (mantissa, exponent)
    }
}

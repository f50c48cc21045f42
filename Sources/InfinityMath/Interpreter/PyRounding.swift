import Foundation

/// Python 3's `round`: half to even, on the exact binary value of a float (`round(2.675, 2) == 2.67`), with
/// CPython's results for every `ndigits`, negative ones included.
enum PyRounding {
    static func round(_ value: PyValue, digits: PyValue) throws -> PyValue {
        let number = try PyNumber(value, operation: "round()")
        var places: Int64?
        switch digits {
        case .none: places = nil
        case .int(let n): places = n
        case .bool(let flag): places = flag ? 1 : 0
        default: throw PyError(.type, "'\(digits.typeName)' object cannot be interpreted as an integer")
        }
        switch number {
        case .int(let x):
            guard let places, places < 0 else { return .int(x) }
            return .int(try roundInteger(x, places: places))
        case .float(let x):
            guard let places else {
                return .int(try PyBuiltins.integer(fromFloat: x.rounded(.toNearestOrEven)))
            }
            return .float(try roundFloat(x, places: places))
        }
    }

    /// `round(x, -k)` for an int: to the nearest multiple of 10^k, ties to the even multiple.
    static func roundInteger(_ x: Int64, places: Int64) throws -> Int64 {
        let k = -places
        guard k < 19 else {
            // 10^19 is past Int64: everything rounds to 0 but for the largest magnitudes.
            guard k == 19, x.magnitude > 5_000_000_000_000_000_000 else { return 0 }
            throw PyError(.integerRange, "integer result outside the 64-bit range")
        }
        var unit: Int64 = 1
        for _ in 0..<k { unit *= 10 }
        let quotient = try PyArithmetic.floorDivide(x, unit)
        let remainder = x - quotient * unit
        var rounded = quotient
        let twice = remainder.magnitude * 2
        if twice > unit.magnitude || (twice == unit.magnitude && quotient & 1 == 1) { rounded += 1 }
        return try PyArithmetic.checked(rounded.multipliedReportingOverflow(by: unit))
    }

    /// CPython's `double_round`: the decimal string correctly rounded (half to even on the exact value), read back.
    static func roundFloat(_ x: Double, places: Int64) throws -> Double {
        if !x.isFinite { return x }
        if places > 323 { return x }
        if places < -308 { return 0.0 * x }
        let text: String
        if places >= 0 {
            // glibc's printf rounds the exact binary value, ties to even, as dtoa's mode 3 does.
            text = String(format: "%.\(places)f", x)
        } else {
            text = roundedIntegerText(x, digits: Int(-places))
        }
        guard let rounded = Double(text) else { throw PyError(.value, "cannot round \(x)") }
        if rounded.isInfinite { throw PyError(.overflow, "rounded value too large to represent") }
        return rounded
    }

    /// `x` rounded to a multiple of 10^digits, as decimal text with its sign (`-0` for a negative value rounding to zero).
    private static func roundedIntegerText(_ x: Double, digits: Int) -> String {
        let whole = x.rounded(.towardZero)
        let hasFraction = whole != x
        // The integral part of a double printed with %.0f is exact in glibc.
        var integerDigits = Array(String(format: "%.0f", whole.magnitude).utf8).map { Int($0) - 48 }
        if integerDigits.count <= digits {
            integerDigits = Array(repeating: 0, count: digits + 1 - integerDigits.count) + integerDigits
        }
        let cut = integerDigits.count - digits
        var head = Array(integerDigits[..<cut])
        let tail = integerDigits[cut...]
        let firstTail = tail.first ?? 0
        let restNonZero = tail.dropFirst().contains { $0 != 0 } || hasFraction
        let roundUp = firstTail > 5 || (firstTail == 5 && (restNonZero || (head.last ?? 0) % 2 == 1))
        if roundUp {
            var index = head.count - 1
            while index >= 0 {
                if head[index] == 9 {
                    head[index] = 0
                    index -= 1
                } else {
                    head[index] += 1
                    break
                }
            }
            if index < 0 { head.insert(1, at: 0) }
        }
        let body = String(head.map { Character(String($0)) }) + String(repeating: "0", count: digits)
        return (x.sign == .minus ? "-" : "") + body
    }
}

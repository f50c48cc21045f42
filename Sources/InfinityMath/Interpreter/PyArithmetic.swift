#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A number operand after Python's coercion (a boolean is an int).
enum PyNumber {
    case int(Int64)
    case float(Double)

    init(_ value: PyValue, operation: String) throws {
        switch value {
        case .int(let number): self = .int(number)
        case .float(let number): self = .float(number)
        case .bool(let flag): self = .int(flag ? 1 : 0)
        case .list, .none:
            throw PyError(.type, "unsupported operand type for \(operation): '\(value.typeName)'")
        }
    }

    var double: Double {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        }
    }
}

/// The binary operators of the subset.
public enum PyBinaryOperator: String, Sendable, Equatable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
}

/// Python 3's arithmetic on ints and floats, to the bit: true division of ints is correctly rounded, `//` and `%`
/// floor towards negative infinity (with CPython's float algorithm), `**` of ints is exact, and the errors are
/// CPython's. Integers past Int64 stop the program (`integerRange`) where CPython would go on.
enum PyArithmetic {
    static func apply(_ op: PyBinaryOperator, _ left: PyValue, _ right: PyValue) throws -> PyValue {
        let a = try PyNumber(left, operation: op.rawValue)
        let b = try PyNumber(right, operation: op.rawValue)
        switch (a, b) {
        case (.int(let x), .int(let y)): return try integer(op, x, y)
        default: return try floating(op, a.double, b.double)
        }
    }

    static func integer(_ op: PyBinaryOperator, _ x: Int64, _ y: Int64) throws -> PyValue {
        switch op {
        case .add: return .int(try checked(x.addingReportingOverflow(y)))
        case .subtract: return .int(try checked(x.subtractingReportingOverflow(y)))
        case .multiply: return .int(try checked(x.multipliedReportingOverflow(by: y)))
        case .divide:
            guard y != 0 else { throw PyError(.zeroDivision, "division by zero") }
            return .float(trueDivide(x, y))
        case .floorDivide:
            guard y != 0 else { throw PyError(.zeroDivision, "integer division or modulo by zero") }
            return .int(try floorDivide(x, y))
        case .modulo:
            guard y != 0 else { throw PyError(.zeroDivision, "integer division or modulo by zero") }
            return .int(modulo(x, y))
        case .power:
            if y < 0 {
                guard x != 0 else { throw PyError(.zeroDivision, "0.0 cannot be raised to a negative power") }
                return .float(try floatPower(Double(x), Double(y)))
            }
            return .int(try integerPower(x, y))
        }
    }

    static func floating(_ op: PyBinaryOperator, _ x: Double, _ y: Double) throws -> PyValue {
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide:
            guard y != 0 else { throw PyError(.zeroDivision, "float division by zero") }
            return .float(x / y)
        case .floorDivide:
            guard y != 0 else { throw PyError(.zeroDivision, "float floor division by zero") }
            return .float(floatDivMod(x, y).quotient)
        case .modulo:
            guard y != 0 else { throw PyError(.zeroDivision, "float modulo") }
            return .float(floatDivMod(x, y).remainder)
        case .power: return .float(try floatPower(x, y))
        }
    }

    static func checked(_ result: (partialValue: Int64, overflow: Bool)) throws -> Int64 {
        guard !result.overflow else { throw PyError(.integerRange, "integer result outside the 64-bit range") }
        return result.partialValue
    }

    static func floorDivide(_ x: Int64, _ y: Int64) throws -> Int64 {
        let (quotient, overflow) = x.dividedReportingOverflow(by: y)
        guard !overflow else { throw PyError(.integerRange, "integer result outside the 64-bit range") }
        let remainder = x - quotient * y
        return remainder != 0 && (remainder < 0) != (y < 0) ? quotient - 1 : quotient
    }

    static func modulo(_ x: Int64, _ y: Int64) -> Int64 {
        // Int64.min % -1 traps in Swift; its Python value is 0.
        if y == -1 { return 0 }
        let remainder = x % y
        return remainder != 0 && (remainder < 0) != (y < 0) ? remainder + y : remainder
    }

    static func integerPower(_ base: Int64, _ exponent: Int64) throws -> Int64 {
        var result: Int64 = 1
        var factor = base
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = try checked(result.multipliedReportingOverflow(by: factor)) }
            remaining >>= 1
            if remaining > 0 { factor = try checked(factor.multipliedReportingOverflow(by: factor)) }
        }
        return result
    }

    /// CPython's `float_divmod`.
    static func floatDivMod(_ vx: Double, _ wx: Double) -> (quotient: Double, remainder: Double) {
        var mod = fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) {
                mod += wx
                div -= 1.0
            }
        } else {
            mod = copysign(0.0, wx)
        }
        var floorDiv: Double
        if div != 0 {
            floorDiv = floor(div)
            if div - floorDiv > 0.5 { floorDiv += 1.0 }
        } else {
            floorDiv = copysign(0.0, vx / wx)
        }
        return (floorDiv, mod)
    }

    /// CPython's `float_pow`.
    static func floatPower(_ iv: Double, _ iw: Double) throws -> Double {
        if iw == 0 { return 1.0 }
        if iv.isNaN { return iv }
        if iw.isNaN { return iv == 1.0 ? 1.0 : iw }
        if iw.isInfinite {
            let magnitude = iv.magnitude
            if magnitude == 1.0 { return 1.0 }
            return (iw > 0) == (magnitude > 1.0) ? .infinity : 0.0
        }
        if iv.isInfinite {
            let oddInteger = isOddInteger(iw)
            if iw > 0 { return oddInteger ? iv : iv.magnitude }
            return oddInteger ? copysign(0.0, iv) : 0.0
        }
        if iv == 0 {
            let oddInteger = isOddInteger(iw)
            if iw < 0 { throw PyError(.zeroDivision, "0.0 cannot be raised to a negative power") }
            return oddInteger ? iv : 0.0
        }
        var negateResult = false
        var base = iv
        if base < 0 {
            guard iw == iw.rounded(.down) else { throw PyError(.complex, "negative number to a fractional power") }
            base = -base
            negateResult = isOddInteger(iw)
        }
        if base == 1.0 { return negateResult ? -1.0 : 1.0 }
        let result = pow(base, iw)
        if result.isInfinite { throw PyError(.overflow, "(34, 'Numerical result out of range')") }
        return negateResult ? -result : result
    }

    private static func isOddInteger(_ value: Double) -> Bool {
        value == value.rounded(.down) && fmod(value.magnitude, 2.0) == 1.0
    }

    /// `x / y` for ints, correctly rounded as CPython does (a plain `Double(x) / Double(y)` rounds twice
    /// once either operand is past 2^53).
    static func trueDivide(_ x: Int64, _ y: Int64) -> Double {
        let limit: UInt64 = 1 << 53
        if x.magnitude <= limit && y.magnitude <= limit { return Double(x) / Double(y) }
        let negative = (x < 0) != (y < 0)
        let n = UInt128(x.magnitude)
        let d = UInt128(y.magnitude)
        if n == 0 { return negative ? -0.0 : 0.0 }
        // Scale so the quotient has 55 or 56 bits, then round to 53 with the remainder as a sticky bit.
        let shift = 55 - (bitLength(n) - bitLength(d))
        var quotient: UInt128
        var sticky: Bool
        if shift >= 0 {
            let scaled = n << UInt128(shift)
            quotient = scaled / d
            sticky = scaled % d != 0
        } else {
            let divisor = d << UInt128(-shift)
            quotient = n / divisor
            sticky = n % divisor != 0
        }
        var exponent = -shift
        let extra = bitLength(quotient) - 53
        if extra > 0 {
            let mask = (UInt128(1) << UInt128(extra)) - 1
            let dropped = quotient & mask
            let half = UInt128(1) << UInt128(extra - 1)
            quotient >>= UInt128(extra)
            exponent += extra
            if dropped > half || (dropped == half && (sticky || quotient & 1 == 1)) { quotient += 1 }
        }
        let magnitude = Double(sign: .plus, exponent: exponent, significand: Double(UInt64(quotient)))
        return negative ? -magnitude : magnitude
    }

    private static func bitLength(_ value: UInt128) -> Int { 128 - value.leadingZeroBitCount }

    /// Python's comparison of two numbers, exact between ints and floats; nil when a NaN makes them unordered.
    static func compare(_ left: PyValue, _ right: PyValue, operation: String) throws -> Int? {
        let a = try PyNumber(left, operation: operation)
        let b = try PyNumber(right, operation: operation)
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.float(let x), .float(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.int(let x), .float(let y)): return compareIntFloat(x, y)
        case (.float(let x), .int(let y)): return compareIntFloat(y, x).map { -$0 }
        }
    }

    private static func compareIntFloat(_ x: Int64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y >= 9_223_372_036_854_775_808.0 { return -1 }
        if y < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = y.rounded(.down)
        let integer = Int64(whole)
        if x < integer { return -1 }
        if x > integer { return 1 }
        return whole == y ? 0 : -1
    }
}

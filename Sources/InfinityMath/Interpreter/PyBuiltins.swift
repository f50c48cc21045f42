import Foundation

/// The built-in functions of the subset (`round`, `abs`, `min`, `max`, `sum`, `int`, `float`, `range`, `len`) and
/// the `math` functions and constants, each with CPython 3.11's results and exceptions.
enum PyBuiltins {
    static func call(_ name: String, _ arguments: [PyValue], maxListLength: Int) throws -> PyValue {
        switch name {
        case "round":
            guard (1...2).contains(arguments.count) else { throw arity(name, "1 or 2") }
            return try PyRounding.round(arguments[0], digits: arguments.count == 2 ? arguments[1] : .none)
        case "abs":
            guard arguments.count == 1 else { throw arity(name, "1") }
            switch try PyNumber(arguments[0], operation: "abs()") {
            case .int(let value): return .int(try PyArithmetic.checked((0 as Int64).subtractingReportingOverflow(value < 0 ? value : -value)))
            case .float(let value): return .float(value.magnitude)
            }
        case "min", "max":
            return try extreme(name, arguments)
        case "sum":
            guard (1...2).contains(arguments.count), case .list(let elements) = arguments[0] else {
                throw PyError(.type, "sum() takes a list and an optional start")
            }
            // CPython 3.11 adds left to right (3.12 compensates float sums; the subset follows 3.11).
            var total = arguments.count == 2 ? arguments[1] : .int(0)
            for element in elements { total = try PyArithmetic.apply(.add, total, element) }
            return total
        case "int":
            guard arguments.count == 1 else { throw arity(name, "1") }
            switch try PyNumber(arguments[0], operation: "int()") {
            case .int(let value): return .int(value)
            case .float(let value): return .int(try integer(fromFloat: value.rounded(.towardZero)))
            }
        case "float":
            guard arguments.count == 1 else { throw arity(name, "1") }
            return .float(try PyNumber(arguments[0], operation: "float()").double)
        case "range":
            return try range(arguments, maxListLength: maxListLength)
        case "len":
            guard arguments.count == 1, case .list(let elements) = arguments[0] else { throw PyError(.type, "len() takes a list") }
            return .int(Int64(elements.count))
        default:
            throw PyError(.name, "name '\(name)' is not defined")
        }
    }

    private static func arity(_ name: String, _ count: String) -> PyError {
        PyError(.type, "\(name)() takes \(count) arguments")
    }

    /// Python's `int(x)` for an integral float: CPython's errors for infinities and NaN, ours past Int64.
    static func integer(fromFloat value: Double) throws -> Int64 {
        if value.isNaN { throw PyError(.value, "cannot convert float NaN to integer") }
        if value.isInfinite { throw PyError(.overflow, "cannot convert float infinity to integer") }
        guard value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0 else {
            throw PyError(.integerRange, "integer result outside the 64-bit range")
        }
        return Int64(value)
    }

    private static func extreme(_ name: String, _ arguments: [PyValue]) throws -> PyValue {
        var candidates = arguments
        if arguments.count == 1 {
            guard case .list(let elements) = arguments[0] else { throw PyError(.type, "'\(arguments[0].typeName)' object is not iterable") }
            candidates = elements
        }
        guard var best = candidates.first else { throw PyError(.value, "\(name)() arg is an empty sequence") }
        // CPython keeps the first of equal items and replaces only on a strict comparison (NaN never wins).
        for candidate in candidates.dropFirst() {
            let order = try PyArithmetic.compare(candidate, best, operation: name)
            if let order, name == "max" ? order > 0 : order < 0 { best = candidate }
        }
        return best
    }

    private static func range(_ arguments: [PyValue], maxListLength: Int) throws -> PyValue {
        var bounds: [Int64] = []
        for argument in arguments {
            switch argument {
            case .int(let value): bounds.append(value)
            case .bool(let flag): bounds.append(flag ? 1 : 0)
            default: throw PyError(.type, "'\(argument.typeName)' object cannot be interpreted as an integer")
            }
        }
        let start, stop, step: Int64
        switch bounds.count {
        case 1: (start, stop, step) = (0, bounds[0], 1)
        case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
        case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
        default: throw PyError(.type, "range expected 1 to 3 arguments")
        }
        guard step != 0 else { throw PyError(.value, "range() arg 3 must not be zero") }
        var elements: [PyValue] = []
        var current = start
        while step > 0 ? current < stop : current > stop {
            guard elements.count < maxListLength else { throw PyError(.limit, "range longer than \(maxListLength)") }
            elements.append(.int(current))
            let (next, overflow) = current.addingReportingOverflow(step)
            if overflow { break }
            current = next
        }
        return .list(elements)
    }

    // MARK: math

    static func mathConstant(_ name: String) -> PyValue? {
        switch name {
        case "pi": return .float(Double.pi)
        case "e": return .float(M_E)
        case "tau": return .float(2 * Double.pi)
        case "inf": return .float(.infinity)
        default: return nil
        }
    }

    private static func float(_ arguments: [PyValue], _ name: String, count: Int = 1) throws -> [Double] {
        guard arguments.count == count else { throw arity("math." + name, String(count)) }
        return try arguments.map { try PyNumber($0, operation: "math.\(name)()").double }
    }

    private static func integers(_ arguments: [PyValue], _ name: String) throws -> [Int64] {
        try arguments.map {
            switch $0 {
            case .int(let value): return value
            case .bool(let flag): return flag ? 1 : 0
            default: throw PyError(.type, "'\($0.typeName)' object cannot be interpreted as an integer")
            }
        }
    }

    private static func domain() -> PyError { PyError(.value, "math domain error") }

    private static func finite(_ value: Double) throws -> PyValue {
        guard !value.isInfinite else { throw PyError(.overflow, "math range error") }
        return .float(value)
    }

    static func callMath(_ name: String, _ arguments: [PyValue]) throws -> PyValue {
        switch name {
        case "floor", "ceil", "trunc":
            guard arguments.count == 1 else { throw arity("math." + name, "1") }
            switch try PyNumber(arguments[0], operation: "math.\(name)()") {
            case .int(let value): return .int(value)
            case .float(let value):
                let rule: FloatingPointRoundingRule = name == "floor" ? .down : (name == "ceil" ? .up : .towardZero)
                return .int(try integer(fromFloat: value.rounded(rule)))
            }
        case "sqrt":
            let x = try float(arguments, name)[0]
            guard x >= 0 || x.isNaN else { throw domain() }
            return .float(x.squareRoot())
        case "fabs":
            return .float(try float(arguments, name)[0].magnitude)
        case "exp":
            let x = try float(arguments, name)[0]
            return try finite(Foundation.exp(x))
        case "log", "log10", "log2":
            guard (1...(name == "log" ? 2 : 1)).contains(arguments.count) else { throw arity("math." + name, "1") }
            let values = try arguments.map { try PyNumber($0, operation: "math.\(name)()").double }
            guard values.allSatisfy({ $0 > 0 || $0.isNaN }) else { throw domain() }
            switch name {
            case "log10": return .float(Foundation.log10(values[0]))
            case "log2": return .float(Foundation.log2(values[0]))
            default:
                let numerator = Foundation.log(values[0])
                guard values.count == 2 else { return .float(numerator) }
                let denominator = Foundation.log(values[1])
                guard denominator != 0 else { throw PyError(.zeroDivision, "float division by zero") }
                return .float(numerator / denominator)
            }
        case "pow":
            let values = try float(arguments, name, count: 2)
            return .float(try mathPower(values[0], values[1]))
        case "gcd", "lcm":
            var result: Int64 = name == "gcd" ? 0 : 1
            for value in try integers(arguments, name) {
                let magnitude = try PyArithmetic.checked((0 as Int64).subtractingReportingOverflow(value < 0 ? value : -value))
                if name == "gcd" {
                    result = gcd(result, magnitude)
                } else if result == 0 || magnitude == 0 {
                    result = 0
                } else {
                    result = try PyArithmetic.checked((result / gcd(result, magnitude)).multipliedReportingOverflow(by: magnitude))
                }
            }
            return .int(result)
        case "factorial":
            guard arguments.count == 1 else { throw arity("math.factorial", "1") }
            let n = try integers(arguments, name)[0]
            guard n >= 0 else { throw PyError(.value, "factorial() not defined for negative values") }
            var result: Int64 = 1
            var k: Int64 = 2
            while k <= n {
                result = try PyArithmetic.checked(result.multipliedReportingOverflow(by: k))
                k += 1
            }
            return .int(result)
        case "comb", "perm":
            guard arguments.count == 2 else { throw arity("math." + name, "2") }
            let values = try integers(arguments, name)
            let (n, k) = (values[0], values[1])
            guard n >= 0 else { throw PyError(.value, "n must be a non-negative integer") }
            guard k >= 0 else { throw PyError(.value, "k must be a non-negative integer") }
            if k > n { return .int(0) }
            var result: Int64 = 1
            let count = name == "comb" ? min(k, n - k) : k
            var i: Int64 = 0
            while i < count {
                if name == "comb" {
                    // result * (n - i) / (i + 1) is exact: the running value is a binomial coefficient.
                    let quotient = Int128(result) * Int128(n - i) / Int128(i + 1)
                    guard quotient <= Int128(Int64.max) else {
                        throw PyError(.integerRange, "integer result outside the 64-bit range")
                    }
                    result = Int64(quotient)
                } else {
                    result = try PyArithmetic.checked(result.multipliedReportingOverflow(by: n - i))
                }
                i += 1
            }
            return .int(result)
        case "isqrt":
            guard arguments.count == 1 else { throw arity("math.isqrt", "1") }
            let n = try integers(arguments, name)[0]
            guard n >= 0 else { throw PyError(.value, "isqrt() argument must be nonnegative") }
            var root = Int64(Double(n).squareRoot())
            while root > 0 && root.multipliedReportingOverflow(by: root).overflow { root -= 1 }
            while root * root > n { root -= 1 }
            while !(root + 1).multipliedReportingOverflow(by: root + 1).overflow && (root + 1) * (root + 1) <= n { root += 1 }
            return .int(root)
        default:
            throw PyError(.unsupported, "math.\(name) is not available")
        }
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// CPython's `math.pow`, whose special cases differ from `**`.
    private static func mathPower(_ x: Double, _ y: Double) throws -> Double {
        if !x.isFinite || !y.isFinite {
            if x.isNaN { return y == 0 ? 1 : x }
            if y.isNaN { return x == 1 ? 1 : y }
            if x.isInfinite {
                let oddY = y.isFinite && fmod(y.magnitude, 2.0) == 1.0
                if y > 0 { return oddY ? x : x.magnitude }
                if y == 0 { return 1 }
                return oddY ? copysign(0.0, x) : 0.0
            }
            if x.magnitude == 1.0 { return 1 }
            if y > 0 && x.magnitude > 1.0 { return y }
            if y < 0 && x.magnitude < 1.0 { return -y }
            return 0
        }
        let result = Foundation.pow(x, y)
        if result.isNaN { throw domain() }
        if result.isInfinite {
            if x == 0 { throw domain() }
            throw PyError(.overflow, "math range error")
        }
        return result
    }
}

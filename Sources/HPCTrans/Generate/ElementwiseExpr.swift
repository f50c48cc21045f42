import Foundation

/// Which language an expression is written for. CUDA has `max`/`min` device functions; C has none (a candidate may
/// define its own, so the prelude cannot), so C spells them as the conditional TVM's C codegen prints; TIR has
/// `T.max`, `T.fabs`, ... and typed literals.
enum Dialect {
    case c, cuda, tir

    func max(_ a: String, _ b: String) -> String {
        switch self {
        case .cuda: return "max(\(a), \(b))"
        case .c: return "((\(a) > \(b)) ? \(a) : \(b))"
        case .tir: return "T.max(\(a), \(b))"
        }
    }

    func min(_ a: String, _ b: String) -> String {
        switch self {
        case .cuda: return "min(\(a), \(b))"
        case .c: return "((\(a) < \(b)) ? \(a) : \(b))"
        case .tir: return "T.min(\(a), \(b))"
        }
    }

    /// A float32 maths function: `expf(x)` in C and CUDA, `T.exp(x)` in TIR.
    func call(_ name: String, _ x: String) -> String { self == .tir ? "T.\(name)(\(x))" : "\(name)f(\(x))" }

    /// A float32 constant: `1.000000e+00f` as TVM prints it in C and CUDA, `T.float32(1)` in TIR.
    func literal(_ value: Int) -> String {
        self == .tir ? "T.float32(\(value))" : String(format: "%.6ef", Double(value))
    }

    /// The lowest float32, the start of a max reduction.
    var lowest: String { self == .tir ? "T.float32(-3.402823e+38)" : "-3.402823e+38f" }
}

/// Unary elementwise operators of the library, written the way TVM's C and CUDA code spells them.
public enum UnaryOp: String, Sendable, CaseIterable, Codable {
    case abs, exp, sin, cos, tanh, relu, sigmoid, negative, square

    func code(_ x: String, _ dialect: Dialect) -> String {
        switch self {
        case .abs: return dialect.call("fabs", x)
        case .exp: return dialect.call("exp", x)
        case .sin: return dialect.call("sin", x)
        case .cos: return dialect.call("cos", x)
        case .tanh: return dialect.call("tanh", x)
        case .relu: return dialect.max(x, dialect.literal(0))
        case .sigmoid:
            let one = dialect.literal(1)
            return "(\(one) / (\(one) + \(dialect.call("exp", "(\(dialect.literal(0)) - \(x))"))))"
        case .negative: return "(\(dialect.literal(0)) - \(x))"
        case .square: return "(\(x) * \(x))"
        }
    }

    /// The same arithmetic in Swift, operation for operation (C's `(a > b) ? a : b` for max).
    func apply(_ x: Float) -> Float {
        switch self {
        case .abs: return Swift.abs(x)
        case .exp: return Foundation.exp(x)
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tanh: return Foundation.tanh(x)
        case .relu: return x > 0 ? x : 0
        case .sigmoid: return 1 / (1 + Foundation.exp(0 - x))
        case .negative: return 0 - x
        case .square: return x * x
        }
    }
}

/// Binary elementwise operators (same shape on both sides).
public enum BinaryOp: String, Sendable, CaseIterable, Codable {
    case add, subtract, multiply, divide, maximum, minimum

    func code(_ a: String, _ b: String, _ dialect: Dialect) -> String {
        switch self {
        case .add: return "(\(a) + \(b))"
        case .subtract: return "(\(a) - \(b))"
        case .multiply: return "(\(a) * \(b))"
        case .divide: return "(\(a) / \(b))"
        case .maximum: return dialect.max(a, b)
        case .minimum: return dialect.min(a, b)
        }
    }

    func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .maximum: return a > b ? a : b
        case .minimum: return a < b ? a : b
        }
    }
}

/// An elementwise expression over input buffers at one index: the body of a (fused) elementwise kernel.
public indirect enum ElementwiseExpr: Sendable, Equatable {
    case input(Int)
    case unary(UnaryOp, ElementwiseExpr)
    case binary(BinaryOp, ElementwiseExpr, ElementwiseExpr)

    /// C/CUDA text, reading input `i` as `names[i][index]`.
    func code(names: [String], index: String, dialect: Dialect) -> String {
        switch self {
        case .input(let i): return "\(names[i])[\(index)]"
        case .unary(let op, let x): return op.code(x.code(names: names, index: index, dialect: dialect), dialect)
        case .binary(let op, let a, let b):
            return op.code(a.code(names: names, index: index, dialect: dialect), b.code(names: names, index: index, dialect: dialect), dialect)
        }
    }

    func evaluate(_ inputs: [[Float]], at index: Int) -> Float {
        switch self {
        case .input(let i): return inputs[i][index]
        case .unary(let op, let x): return op.apply(x.evaluate(inputs, at: index))
        case .binary(let op, let a, let b): return op.apply(a.evaluate(inputs, at: index), b.evaluate(inputs, at: index))
        }
    }
}

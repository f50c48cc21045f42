import Foundation

/// Which kernel language an expression is written for: CUDA has `max`/`min` device functions, C has none (a
/// candidate may define its own, so the prelude cannot), so C spells them as the conditional TVM's C codegen prints.
enum Dialect {
    case c, cuda

    func max(_ a: String, _ b: String) -> String { self == .cuda ? "max(\(a), \(b))" : "((\(a) > \(b)) ? \(a) : \(b))" }
    func min(_ a: String, _ b: String) -> String { self == .cuda ? "min(\(a), \(b))" : "((\(a) < \(b)) ? \(a) : \(b))" }
}

/// Unary elementwise operators of the library, written the way TVM's C and CUDA code spells them.
public enum UnaryOp: String, Sendable, CaseIterable, Codable {
    case abs, exp, sin, cos, tanh, relu, sigmoid, negative, square

    func code(_ x: String, _ dialect: Dialect) -> String {
        switch self {
        case .abs: return "fabsf(\(x))"
        case .exp: return "expf(\(x))"
        case .sin: return "sinf(\(x))"
        case .cos: return "cosf(\(x))"
        case .tanh: return "tanhf(\(x))"
        case .relu: return dialect.max(x, "0.000000e+00f")
        case .sigmoid: return "(1.000000e+00f / (1.000000e+00f + expf((0.000000e+00f - \(x)))))"
        case .negative: return "(0.000000e+00f - \(x))"
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

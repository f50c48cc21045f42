import Foundation

/// Reductions over the last axis.
public enum ReduceOp: String, Sendable, CaseIterable {
    case sum, max, mean
}

/// What a generated kernel computes, with everything its C, CUDA and Swift reference need.
public enum Computation: Sendable, Equatable {
    /// One expression per output over `count` elements (single operators and fused DAGs alike).
    case elementwise([ElementwiseExpr], count: Int)
    case reduce(ReduceOp, rows: Int, length: Int)
    case softmax(rows: Int, length: Int)
    case matmul(m: Int, k: Int, n: Int)
    /// Output dimension d is input dimension `permutation[d]`.
    case transpose(shape: [Int], permutation: [Int])
    case pool(max: Bool, n: Int, c: Int, h: Int, w: Int, kernel: Int, stride: Int)
    case conv2d(Conv2DShape)

    /// The Swift reference: the same float32 operations in the same order as the emitted C.
    public func reference(_ inputs: [[Float]]) -> [[Float]] {
        switch self {
        case .elementwise(let exprs, let count):
            return exprs.map { expr in (0..<count).map { expr.evaluate(inputs, at: $0) } }
        case .reduce(let op, let rows, let length):
            let x = inputs[0]
            return [(0..<rows).map { r in
                var acc: Float = op == .max ? -3.402823e+38 : 0
                for k in 0..<length {
                    let v = x[r * length + k]
                    acc = op == .max ? (acc > v ? acc : v) : acc + v
                }
                return op == .mean ? acc / Float(length) : acc
            }]
        case .softmax(let rows, let length):
            let x = inputs[0]
            var out = [Float](repeating: 0, count: rows * length)
            for r in 0..<rows {
                var m: Float = -3.402823e+38
                for k in 0..<length { let v = x[r * length + k]; m = m > v ? m : v }
                var s: Float = 0
                for k in 0..<length { s = s + Foundation.exp(x[r * length + k] - m) }
                for k in 0..<length { out[r * length + k] = Foundation.exp(x[r * length + k] - m) / s }
            }
            return [out]
        case .matmul(let m, let k, let n):
            let a = inputs[0], b = inputs[1]
            var out = [Float](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    var acc: Float = 0
                    for l in 0..<k { acc = acc + a[i * k + l] * b[l * n + j] }
                    out[i * n + j] = acc
                }
            }
            return [out]
        case .transpose(let shape, let permutation):
            let x = inputs[0]
            let outShape = permutation.map { shape[$0] }
            let inStrides = Self.strides(shape)
            let total = shape.reduce(1, *)
            var out = [Float](repeating: 0, count: total)
            var index = [Int](repeating: 0, count: shape.count)
            for flat in 0..<total {
                var rest = flat
                for d in stride(from: outShape.count - 1, through: 0, by: -1) {
                    index[d] = rest % outShape[d]
                    rest /= outShape[d]
                }
                var source = 0
                for d in 0..<outShape.count { source += index[d] * inStrides[permutation[d]] }
                out[flat] = x[source]
            }
            return [out]
        case .pool(let isMax, let n, let c, let h, let w, let kernel, let stride):
            let x = inputs[0]
            let oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1
            var out: [Float] = []
            for plane in 0..<(n * c) {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var acc: Float = isMax ? -3.402823e+38 : 0
                        for a in 0..<kernel {
                            for b in 0..<kernel {
                                let v = x[plane * h * w + (i * stride + a) * w + j * stride + b]
                                acc = isMax ? (acc > v ? acc : v) : acc + v
                            }
                        }
                        out.append(isMax ? acc : acc / Float(kernel * kernel))
                    }
                }
            }
            return [out]
        case .conv2d(let s):
            let x = inputs[0], weight = inputs[1]
            var out: [Float] = []
            for b in 0..<s.n {
                for o in 0..<s.co {
                    for i in 0..<s.oh {
                        for j in 0..<s.ow {
                            var acc: Float = 0
                            for c in 0..<s.c {
                                for p in 0..<s.kh {
                                    for q in 0..<s.kw {
                                        let y = i * s.stride + p - s.padding, z = j * s.stride + q - s.padding
                                        let inside = y >= 0 && y < s.h && z >= 0 && z < s.w
                                        let v: Float = inside ? x[((b * s.c + c) * s.h + y) * s.w + z] : 0
                                        acc = acc + v * weight[((o * s.c + c) * s.kh + p) * s.kw + q]
                                    }
                                }
                            }
                            out.append(acc)
                        }
                    }
                }
            }
            return [out]
        }
    }

    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = running
            running *= shape[d]
        }
        return strides
    }
}

/// The shape of a direct NCHW conv2d with an OIHW kernel, square stride and padding.
public struct Conv2DShape: Sendable, Equatable {
    public var n, c, h, w, co, kh, kw, stride, padding: Int
    public var oh: Int { (h + 2 * padding - kh) / stride + 1 }
    public var ow: Int { (w + 2 * padding - kw) / stride + 1 }
}

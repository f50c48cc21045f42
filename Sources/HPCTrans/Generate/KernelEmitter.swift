import Foundation

/// Writes a computation as an OpenMP C kernel and a CUDA kernel in the upstream (TVM) style: one
/// `default_function_kernel` whose parameters are the buffers in ASCII order, float literals as `1.000000e+00f`,
/// max/min as conditionals in C and device functions in CUDA,
/// `#pragma omp parallel for` on the outer loop, `__launch_bounds__` and `blockIdx.x * B + threadIdx.x` in CUDA.
enum KernelEmitter {
    /// `(C code, CUDA code)` for `computation` over `buffers` (TIR order, outputs last); `block` is the CUDA block size.
    static func emit(_ computation: Computation, buffers: [TIRBuffer], outputs: Int, block: Int) -> (c: String, cuda: String) {
        let names = buffers.map(\.name)
        let ins = Array(names.prefix(names.count - outputs)), outs = Array(names.suffix(outputs))
        let t = "((((int)blockIdx.x) * \(block)) + ((int)threadIdx.x))"
        var c = ""
        var cuda = ""
        switch computation {
        case .elementwise(let exprs, let count):
            let first = buffers[0].shape.first ?? 1
            let d0 = count == 0 ? 1 : max(1, first), rest = count / d0
            let index = rest == 1 ? "i0" : "((i0 * \(rest)) + i1)"
            c += "  #pragma omp parallel for\n  for (int32_t i0 = 0; i0 < \(d0); ++i0) {\n"
            if rest > 1 { c += "    for (int32_t i1 = 0; i1 < \(rest); ++i1) {\n" }
            let pad = rest > 1 ? "      " : "    "
            for (k, expr) in exprs.enumerated() { c += "\(pad)\(outs[k])[\(index)] = \(expr.code(names: ins, index: index, dialect: .c));\n" }
            if rest > 1 { c += "    }\n" }
            c += "  }\n"
            let body = exprs.enumerated().map { "\(outs[$0.offset])[\(t)] = \($0.element.code(names: ins, index: t, dialect: .cuda));" }
            cuda += guarded(body, total: count, block: block, t: t)
        case .reduce(let op, let rows, let length):
            let initial = op == .max ? "-3.402823e+38f" : "0.000000e+00f"
            let read = "\(ins[0])[((r * \(length)) + k)]"
            func step(_ dialect: Dialect) -> String { op == .max ? dialect.max("acc", read) : "(acc + \(read))" }
            let final = op == .mean ? "(acc / \(float(length)))" : "acc"
            c += "  #pragma omp parallel for\n  for (int32_t r = 0; r < \(rows); ++r) {\n    float acc = \(initial);\n"
            c += "    for (int32_t k = 0; k < \(length); ++k) {\n      acc = \(step(.c));\n    }\n    \(outs[0])[r] = \(final);\n  }\n"
            cuda += guarded(["float acc = \(initial);", "int r = \(t);",
                             "for (int k = 0; k < \(length); ++k) {", "  acc = \(step(.cuda));", "}", "\(outs[0])[r] = \(final);"],
                            total: rows, block: block, t: t)
        case .softmax(let rows, let length):
            let x = ins[0], y = outs[0]
            func lines(_ dialect: Dialect) -> [String] { ["float m = -3.402823e+38f;",
                         "for (int32_t k = 0; k < \(length); ++k) {", "  m = \(dialect.max("m", "\(x)[((r * \(length)) + k)]"));", "}",
                         "float s = 0.000000e+00f;",
                         "for (int32_t k = 0; k < \(length); ++k) {", "  s = (s + expf((\(x)[((r * \(length)) + k)] - m)));", "}",
                         "for (int32_t k = 0; k < \(length); ++k) {",
                         "  \(y)[((r * \(length)) + k)] = (expf((\(x)[((r * \(length)) + k)] - m)) / s);", "}"] }
            c += "  #pragma omp parallel for\n  for (int32_t r = 0; r < \(rows); ++r) {\n"
            c += lines(.c).map { "    " + $0 + "\n" }.joined() + "  }\n"
            cuda += guarded(["int r = \(t);"] + lines(.cuda).map { $0.replacingOccurrences(of: "int32_t", with: "int") }, total: rows, block: block, t: t)
        case .matmul(let m, let k, let n):
            let a = ins[0], b = ins[1], y = outs[0]
            c += "  #pragma omp parallel for\n  for (int32_t i = 0; i < \(m); ++i) {\n    for (int32_t j = 0; j < \(n); ++j) {\n"
            c += "      float acc = 0.000000e+00f;\n      for (int32_t l = 0; l < \(k); ++l) {\n"
            c += "        acc = (acc + (\(a)[((i * \(k)) + l)] * \(b)[((l * \(n)) + j)]));\n      }\n"
            c += "      \(y)[((i * \(n)) + j)] = acc;\n    }\n  }\n"
            cuda += guarded(["int i = (\(t) / \(n));", "int j = (\(t) % \(n));", "float acc = 0.000000e+00f;",
                             "for (int l = 0; l < \(k); ++l) {", "  acc = (acc + (\(a)[((i * \(k)) + l)] * \(b)[((l * \(n)) + j)]));", "}",
                             "\(y)[\(t)] = acc;"], total: m * n, block: block, t: t)
        case .transpose(let shape, let permutation):
            let outShape = permutation.map { shape[$0] }
            let inStrides = Computation.strides(shape), outStrides = Computation.strides(outShape)
            let x = ins[0], y = outs[0]
            for (d, size) in outShape.enumerated() {
                let pad = String(repeating: "  ", count: d + 1)
                if d == 0 { c += "\(pad)#pragma omp parallel for\n" }
                c += "\(pad)for (int32_t a\(d) = 0; a\(d) < \(size); ++a\(d)) {\n"
            }
            let outIndex = sum((0..<outShape.count).map { "(a\($0) * \(outStrides[$0]))" })
            let inIndex = sum((0..<outShape.count).map { "(a\($0) * \(inStrides[permutation[$0]]))" })
            c += String(repeating: "  ", count: outShape.count + 1) + "\(y)[\(outIndex)] = \(x)[\(inIndex)];\n"
            for d in stride(from: outShape.count - 1, through: 0, by: -1) { c += String(repeating: "  ", count: d + 1) + "}\n" }
            let cudaIndex = sum((0..<outShape.count).map { "(((\(t) / \(outStrides[$0])) % \(outShape[$0])) * \(inStrides[permutation[$0]]))" })
            cuda += guarded(["\(y)[\(t)] = \(x)[\(cudaIndex)];"], total: outShape.reduce(1, *), block: block, t: t)
        case .pool(let isMax, let n, let ch, let h, let w, let kernel, let stride):
            let oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1
            let x = ins[0], y = outs[0]
            let initial = isMax ? "-3.402823e+38f" : "0.000000e+00f"
            let read = "\(x)[((((p * \(h * w)) + (((i * \(stride)) + a) * \(w))) + (j * \(stride))) + b)]"
            let final = isMax ? "acc" : "(acc / \(float(kernel * kernel)))"
            func inner(_ dialect: Dialect) -> [String] {
                ["float acc = \(initial);", "for (int32_t a = 0; a < \(kernel); ++a) {", "  for (int32_t b = 0; b < \(kernel); ++b) {",
                 "    acc = \(isMax ? dialect.max("acc", read) : "(acc + \(read))");", "  }", "}", "\(y)[((((p * \(oh)) + i) * \(ow)) + j)] = \(final);"]
            }
            c += "  #pragma omp parallel for\n  for (int32_t p = 0; p < \(n * ch); ++p) {\n"
            c += "    for (int32_t i = 0; i < \(oh); ++i) {\n      for (int32_t j = 0; j < \(ow); ++j) {\n"
            c += inner(.c).map { "        " + $0 + "\n" }.joined() + "      }\n    }\n  }\n"
            cuda += guarded(["int p = (\(t) / \(oh * ow));", "int i = ((\(t) / \(ow)) % \(oh));", "int j = (\(t) % \(ow));"]
                            + inner(.cuda).map { $0.replacingOccurrences(of: "int32_t", with: "int") }, total: n * ch * oh * ow, block: block, t: t)
        case .conv2d(let s):
            let x = ins[0], weight = ins[1], y = outs[0]
            let row = "(((i * \(s.stride)) + p) - \(s.padding))", col = "(((j * \(s.stride)) + q) - \(s.padding))"
            let inside = "(((0 <= \(row)) && (\(row) < \(s.h))) && ((0 <= \(col)) && (\(col) < \(s.w))))"
            let inner = ["float acc = 0.000000e+00f;",
                         "for (int32_t c = 0; c < \(s.c); ++c) {", "  for (int32_t p = 0; p < \(s.kh); ++p) {", "    for (int32_t q = 0; q < \(s.kw); ++q) {",
                         "      acc = (acc + ((\(inside) ? \(x)[((((((b * \(s.c)) + c) * \(s.h)) + \(row)) * \(s.w)) + \(col))] : 0.000000e+00f) * \(weight)[((((((o * \(s.c)) + c) * \(s.kh)) + p) * \(s.kw)) + q)]));",
                         "    }", "  }", "}",
                         "\(y)[((((((b * \(s.co)) + o) * \(s.oh)) + i) * \(s.ow)) + j)] = acc;"]
            c += "  #pragma omp parallel for\n  for (int32_t b = 0; b < \(s.n); ++b) {\n    for (int32_t o = 0; o < \(s.co); ++o) {\n"
            c += "      for (int32_t i = 0; i < \(s.oh); ++i) {\n        for (int32_t j = 0; j < \(s.ow); ++j) {\n"
            c += inner.map { "          " + $0 + "\n" }.joined() + "        }\n      }\n    }\n  }\n"
            cuda += guarded(["int b = (\(t) / \(s.co * s.oh * s.ow));", "int o = ((\(t) / \(s.oh * s.ow)) % \(s.co));",
                             "int i = ((\(t) / \(s.ow)) % \(s.oh));", "int j = (\(t) % \(s.ow));"]
                            + inner.map { $0.replacingOccurrences(of: "int32_t", with: "int") }, total: s.n * s.co * s.oh * s.ow, block: block, t: t)
        }
        let sorted = buffers.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        let cCode = "void default_function_kernel(" + sorted.map { "\($0.dtype.cType)* \($0.name)" }.joined(separator: ", ") + ") {\n" + c + "}\n\n"
        let cudaCode = "extern \"C\" __global__ void __launch_bounds__(\(block)) default_function_kernel("
            + sorted.map { "\($0.dtype.cType)* __restrict__ \($0.name)" }.joined(separator: ", ") + ") {\n" + cuda + "}\n\n"
        return (cCode, cudaCode)
    }

    /// A CUDA body: the lines under a bounds check when the grid overshoots `total`.
    static func guarded(_ lines: [String], total: Int, block: Int, t: String) -> String {
        if total % block == 0 { return lines.map { "  " + $0 + "\n" }.joined() }
        return "  if (\(t) < \(total)) {\n" + lines.map { "    " + $0 + "\n" }.joined() + "  }\n"
    }

    /// `((a + b) + c)`, TVM's left-nested sums.
    static func sum(_ terms: [String]) -> String {
        guard var text = terms.first else { return "0" }
        for term in terms.dropFirst() { text = "(\(text) + \(term))" }
        return text
    }

    /// A count as a C float: `((float)N)`, exact for the small counts used here, as Swift's `Float(N)` is.
    static func float(_ value: Int) -> String { "((float)\(value))" }
}

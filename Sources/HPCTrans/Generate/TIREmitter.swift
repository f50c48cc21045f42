/// Writes a computation as a TVMScript module in the style of `tvm.lower(..., simple_mode=True)`: the `main`
/// signature with every buffer, flat views of the buffers, and the loop nest of the C kernel (the outer loop
/// `T.parallel`, reductions into the output or into local buffers, `T.max`, `T.exp`, `T.if_then_else`).
enum TIREmitter {
    static func module(_ computation: Computation, buffers: [TIRBuffer], outputs: Int) -> String {
        let parameters = buffers.map { buffer in
            let dims = buffer.shape.count == 1 ? "\(buffer.shape[0])," : buffer.shape.map(String.init).joined(separator: ", ")
            return "\(buffer.name): T.Buffer((\(dims)), \"\(buffer.dtype.rawValue)\")"
        }
        var body = Body()
        body.line("T.func_attr({\"from_legacy_te_schedule\": T.bool(True), \"tir.noalias\": T.bool(True)})")
        // Flat views, as the lowered module declares them, so that every access is one index.
        for buffer in buffers {
            body.line("\(flat(buffer.name)) = T.Buffer((\(buffer.count),), data=\(buffer.name).data)")
        }
        let names = buffers.map { flat($0.name) }
        let ins = Array(names.prefix(names.count - outputs)), outs = Array(names.suffix(outputs))
        emit(computation, ins: ins, outs: outs, shapes: buffers.map(\.shape), into: &body)
        return """
            # from tvm.script import ir as I
            # from tvm.script import tir as T

            @I.ir_module
            class Module:
                @T.prim_func
                def main(\(parameters.joined(separator: ", "))):

            """ + body.lines.map { String(repeating: " ", count: 8) + $0 }.joined(separator: "\n") + "\n"
    }

    static func flat(_ name: String) -> String { name + "_1" }

    /// Indented Python lines.
    struct Body {
        var lines: [String] = []
        var depth = 0
        mutating func line(_ text: String) { lines.append(String(repeating: "    ", count: depth) + text) }
        mutating func loop(_ variable: String, _ extent: Int, parallel: Bool = false, _ inner: (inout Body) -> Void) {
            line("for \(variable) in \(parallel ? "T.parallel" : "range")(\(extent)):")
            depth += 1
            inner(&self)
            depth -= 1
        }
    }

    static func emit(_ computation: Computation, ins: [String], outs: [String], shapes: [[Int]], into body: inout Body) {
        let d = Dialect.tir
        switch computation {
        case .elementwise(let exprs, let count):
            let first = shapes.first?.first ?? 1
            let d0 = count == 0 ? 1 : max(1, first), rest = count / d0
            let index = rest == 1 ? "i0" : "((i0 * \(rest)) + i1)"
            body.loop("i0", d0, parallel: true) { body in
                func stores(_ body: inout Body) {
                    for (k, expr) in exprs.enumerated() { body.line("\(outs[k])[\(index)] = \(expr.code(names: ins, index: index, dialect: d))") }
                }
                if rest > 1 { body.loop("i1", rest) { stores(&$0) } } else { stores(&body) }
            }
        case .reduce(let op, let rows, let length):
            let y = "\(outs[0])[r]", read = "\(ins[0])[((r * \(length)) + k)]"
            body.loop("r", rows, parallel: true) { body in
                body.line("\(y) = \(op == .max ? d.lowest : d.literal(0))")
                body.loop("k", length) { $0.line("\(y) = \(op == .max ? d.max(y, read) : "(\(y) + \(read))")") }
                if op == .mean { body.line("\(y) = (\(y) / \(d.literal(length)))") }
            }
        case .softmax(let rows, let length):
            let read = "\(ins[0])[((r * \(length)) + k)]", m = "T_softmax_maxelem_1[0]", s = "T_softmax_expsum_1[0]"
            body.loop("r", rows, parallel: true) { body in
                for name in ["T_softmax_maxelem", "T_softmax_expsum"] {
                    body.line("\(name) = T.allocate([1], \"float32\", \"local\")")
                    body.line("\(name)_1 = T.Buffer((1,), data=\(name), scope=\"local\")")
                }
                body.line("\(m) = \(d.lowest)")
                body.loop("k", length) { $0.line("\(m) = \(d.max(m, read))") }
                body.line("\(s) = \(d.literal(0))")
                body.loop("k", length) { $0.line("\(s) = (\(s) + T.exp((\(read) - \(m))))") }
                body.loop("k", length) { $0.line("\(outs[0])[((r * \(length)) + k)] = (T.exp((\(read) - \(m))) / \(s))") }
            }
        case .matmul(let m, let k, let n):
            let y = "\(outs[0])[((i * \(n)) + j)]"
            body.loop("i", m, parallel: true) { body in
                body.loop("j", n) { body in
                    body.line("\(y) = \(d.literal(0))")
                    body.loop("l", k) { $0.line("\(y) = (\(y) + (\(ins[0])[((i * \(k)) + l)] * \(ins[1])[((l * \(n)) + j)]))") }
                }
            }
        case .transpose(let shape, let permutation):
            let outShape = permutation.map { shape[$0] }
            let inStrides = Computation.strides(shape), outStrides = Computation.strides(outShape)
            let outIndex = KernelEmitter.sum((0..<outShape.count).map { "(a\($0) * \(outStrides[$0]))" })
            let inIndex = KernelEmitter.sum((0..<outShape.count).map { "(a\($0) * \(inStrides[permutation[$0]]))" })
            func nest(_ level: Int, _ body: inout Body) {
                guard level < outShape.count else { return body.line("\(outs[0])[\(outIndex)] = \(ins[0])[\(inIndex)]") }
                body.loop("a\(level)", outShape[level], parallel: level == 0) { nest(level + 1, &$0) }
            }
            nest(0, &body)
        case .pool(let isMax, let n, let c, let h, let w, let kernel, let stride):
            let oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1
            let y = "\(outs[0])[((((p * \(oh)) + i) * \(ow)) + j)]"
            let read = "\(ins[0])[((((p * \(h * w)) + (((i * \(stride)) + a) * \(w))) + (j * \(stride))) + b)]"
            body.loop("p", n * c, parallel: true) { body in
                body.loop("i", oh) { body in
                    body.loop("j", ow) { body in
                        body.line("\(y) = \(isMax ? d.lowest : d.literal(0))")
                        body.loop("a", kernel) { body in
                            body.loop("b", kernel) { $0.line("\(y) = \(isMax ? d.max(y, read) : "(\(y) + \(read))")") }
                        }
                        if !isMax { body.line("\(y) = (\(y) / \(d.literal(kernel * kernel)))") }
                    }
                }
            }
        case .conv2d(let s):
            let row = "(((i * \(s.stride)) + p) - \(s.padding))", col = "(((j * \(s.stride)) + q) - \(s.padding))"
            let inside = "0 <= \(row) and \(row) < \(s.h) and 0 <= \(col) and \(col) < \(s.w)"
            let read = "\(ins[0])[((((((b * \(s.c)) + c) * \(s.h)) + \(row)) * \(s.w)) + \(col))]"
            let weight = "\(ins[1])[((((((o * \(s.c)) + c) * \(s.kh)) + p) * \(s.kw)) + q)]"
            let y = "\(outs[0])[((((((b * \(s.co)) + o) * \(s.oh)) + i) * \(s.ow)) + j)]"
            body.loop("b", s.n, parallel: true) { body in
                body.loop("o", s.co) { body in
                    body.loop("i", s.oh) { body in
                        body.loop("j", s.ow) { body in
                            body.line("\(y) = \(d.literal(0))")
                            body.loop("c", s.c) { body in
                                body.loop("p", s.kh) { body in
                                    body.loop("q", s.kw) {
                                        $0.line("\(y) = (\(y) + (T.if_then_else(\(inside), \(read), \(d.literal(0))) * \(weight)))")
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

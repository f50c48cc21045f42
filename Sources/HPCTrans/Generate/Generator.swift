import StageKit

/// A generated pair: the upstream-layout record, what it computes (for the Swift reference) and its category.
public struct GeneratedKernel: Sendable {
    public var pair: KernelPair
    public var computation: Computation
    public var category: String
}

/// Draws random shapes for each spec entry and emits its kernels. Deterministic in the spec's seed: each
/// entry has its own generator, so adding an entry does not change the others.
public enum Generator {
    public static func generate(_ spec: GenerationSpec) -> [GeneratedKernel] {
        var out: [GeneratedKernel] = []
        for (index, entry) in spec.entries.enumerated() {
            var random = SplitMix64(seed: spec.seed ^ StableHash.hash64("\(index):\(entry.operatorName)"))
            var keys = Set<String>()
            var attempts = 0
            // A shape already drawn is drawn again, as upstream's ArgsGen does; small ranges may give fewer kernels.
            while keys.count < entry.count && attempts < entry.count * 20 {
                attempts += 1
                let kernel = make(entry, random: &random)
                guard keys.insert(kernel.pair.fileKey).inserted else { continue }
                out.append(kernel)
            }
        }
        return out
    }

    static func draw(_ range: ClosedRange<Int>, _ random: inout SplitMix64) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }

    static func shape(_ entry: GenerationEntry, _ random: inout SplitMix64, minRank: Int = 1) -> [Int] {
        let rank = max(minRank, draw(entry.rank, &random))
        return (0..<rank).map { _ in draw(entry.dims, &random) }
    }

    static func make(_ entry: GenerationEntry, random: inout SplitMix64) -> GeneratedKernel {
        let name = entry.operatorName
        let block = entry.block[Int(random.next() % UInt64(entry.block.count))]
        var buffers: [TIRBuffer]
        var outputs = 1
        var computation: Computation
        var opArgs: OpArgs
        func f(_ name: String, _ shape: [Int]) -> TIRBuffer { TIRBuffer(name: name, shape: shape, dtype: .float32) }

        if let op = UnaryOp(rawValue: name) {
            let s = shape(entry, &random)
            buffers = [f("data", s), f("compute", s)]
            computation = .elementwise([.unary(op, .input(0))], count: s.reduce(1, *))
            opArgs = .integers(s)
        } else if let op = BinaryOp(rawValue: name) {
            let s = shape(entry, &random)
            buffers = [f("ph_0", s), f("ph_1", s), f("T_\(op.rawValue)", s)]
            computation = .elementwise([.binary(op, .input(0), .input(1))], count: s.reduce(1, *))
            opArgs = .integers(s)
        } else if let op = ReduceOp(rawValue: name) {
            let s = shape(entry, &random, minRank: 2)
            let rows = s.dropLast().reduce(1, *), length = s.last ?? 1
            buffers = [f("data", s), f(op == .mean ? "T_divide" : "data_red", Array(s.dropLast()))]
            computation = .reduce(op, rows: rows, length: length)
            opArgs = .integers(s)
        } else if name == "softmax" {
            let s = shape(entry, &random, minRank: 2)
            buffers = [f("data", s), f("T_softmax_norm", s)]
            computation = .softmax(rows: s.dropLast().reduce(1, *), length: s.last ?? 1)
            opArgs = .integers(s)
        } else if name == "matmul" {
            let m = draw(entry.dims, &random), k = draw(entry.dims, &random), n = draw(entry.dims, &random)
            buffers = [f("left_matrix", [m, k]), f("right_matrix", [k, n]), f("T_matmul", [m, n])]
            computation = .matmul(m: m, k: k, n: n)
            opArgs = .integers([m, k, n])
        } else if name == "transpose" {
            let s = shape(entry, &random, minRank: 2)
            var permutation = Array(0..<s.count)
            // Fisher-Yates, redrawn until the permutation moves something (an identity transpose is a copy).
            repeat {
                for i in stride(from: permutation.count - 1, to: 0, by: -1) {
                    permutation.swapAt(i, Int(random.next() % UInt64(i + 1)))
                }
            } while permutation == Array(0..<s.count)
            buffers = [f("data", s), f("T_transpose", permutation.map { s[$0] })]
            computation = .transpose(shape: s, permutation: permutation)
            opArgs = .integers(s + permutation)
        } else if name == "max_pool2d" || name == "avg_pool2d" {
            let kernel = draw(entry.kernel, &random), stride = draw(entry.stride, &random)
            let n = draw(entry.dims.clamped(to: 1...4), &random), c = draw(entry.channels, &random)
            let h = max(kernel, draw(entry.dims, &random)), w = max(kernel, draw(entry.dims, &random))
            let oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1
            let isMax = name == "max_pool2d"
            buffers = [f("data", [n, c, h, w]), f(isMax ? "pool_max" : "pool_avg", [n, c, oh, ow])]
            computation = .pool(max: isMax, n: n, c: c, h: h, w: w, kernel: kernel, stride: stride)
            opArgs = .integers([n, c, h, w, kernel, kernel, stride, stride])
        } else if name == "conv2d" {
            let kh = draw(entry.kernel, &random), kw = draw(entry.kernel, &random)
            let padding = draw(entry.padding, &random), stride = draw(entry.stride, &random)
            var s = Conv2DShape(n: draw(entry.dims.clamped(to: 1...2), &random), c: draw(entry.channels, &random),
                                h: draw(entry.dims, &random), w: draw(entry.dims, &random), co: draw(entry.channels, &random),
                                kh: kh, kw: kw, stride: stride, padding: padding)
            s.h = max(s.h, kh)
            s.w = max(s.w, kw)
            buffers = [f("data", [s.n, s.c, s.h, s.w]), f("kernel", [s.co, s.c, s.kh, s.kw]), f("conv2d_nchw", [s.n, s.co, s.oh, s.ow])]
            computation = .conv2d(s)
            opArgs = .integers([s.n, s.h, s.w, s.co, s.c, s.kh, s.kw, s.stride, s.stride, s.padding, s.padding])
        } else {
            (buffers, outputs, computation, opArgs) = graph(entry, random: &random)
        }
        let (c, cuda) = KernelEmitter.emit(computation, buffers: buffers, outputs: outputs, block: block)
        let pair = KernelPair(opName: name, cCode: c, cudaCode: cuda, irCode: TIREmitter.module(computation, buffers: buffers, outputs: outputs), opArgs: opArgs,
                              inputShape: buffers.prefix(buffers.count - outputs).map(\.shape),
                              outputShape: buffers.suffix(outputs).map(\.shape))
        return GeneratedKernel(pair: pair, computation: computation, category: entry.category)
    }

    /// A random DAG of elementwise ops fused into one kernel (upstream's topology expansion): each new node
    /// applies an op to distinct existing nodes, adding a placeholder when too few exist (and sometimes anyway);
    /// the nodes nothing consumes are the outputs.
    static func graph(_ entry: GenerationEntry, random: inout SplitMix64)
        -> (buffers: [TIRBuffer], outputs: Int, computation: Computation, opArgs: OpArgs) {
        let s = shape(entry, &random)
        let unary: [UnaryOp] = [.abs, .exp, .sin, .cos, .tanh, .sigmoid, .negative, .square, .relu]
        let binary: [BinaryOp] = [.add, .subtract, .multiply, .maximum, .minimum]
        var exprs: [ElementwiseExpr] = [.input(0)]
        var isPlaceholder = [true]
        var consumed = [false]
        var labels: [String] = []
        var placeholders = 1
        let count = draw(entry.ops, &random)
        for _ in 0..<count {
            let pickBinary = random.next() % 2 == 0
            let arity = pickBinary ? 2 : 1
            var picks: [Int] = []
            if exprs.count < arity || random.next() % 3 == 0 {
                exprs.append(.input(placeholders))
                placeholders += 1
                isPlaceholder.append(true)
                consumed.append(false)
                picks.append(exprs.count - 1)
            }
            while picks.count < arity {
                let candidate = Int(random.next() % UInt64(exprs.count))
                if !picks.contains(candidate) { picks.append(candidate) }
            }
            for pick in picks { consumed[pick] = true }
            if pickBinary {
                let op = binary[Int(random.next() % UInt64(binary.count))]
                exprs.append(.binary(op, exprs[picks[0]], exprs[picks[1]]))
                labels.append(op.rawValue)
            } else {
                let op = unary[Int(random.next() % UInt64(unary.count))]
                exprs.append(.unary(op, exprs[picks[0]]))
                labels.append(op.rawValue)
            }
            isPlaceholder.append(false)
            consumed.append(false)
        }
        var outputs: [ElementwiseExpr] = []
        var outputNames: [String] = []
        var opIndex = 0
        for index in exprs.indices where !isPlaceholder[index] {
            defer { opIndex += 1 }
            guard !consumed[index] else { continue }
            outputs.append(exprs[index])
            outputNames.append("T_\(labels[opIndex])_\(opIndex)")
        }
        let buffers = (0..<placeholders).map { TIRBuffer(name: "ph_\($0)", shape: s, dtype: .float32) }
            + outputNames.map { TIRBuffer(name: $0, shape: s, dtype: .float32) }
        return (buffers, outputs.count, .elementwise(outputs, count: s.reduce(1, *)), .chains([labels]))
    }
}

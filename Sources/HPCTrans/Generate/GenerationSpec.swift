import StageKit

/// One `generate:` entry of a `Data/hpctrans/gen/*.yaml` file: an operator, how many kernels, and shape ranges.
public struct GenerationEntry: Sendable, Equatable {
    public var operatorName: String
    public var count: Int
    public var category: String
    public var rank: ClosedRange<Int>
    public var dims: ClosedRange<Int>
    public var ops: ClosedRange<Int>
    public var channels: ClosedRange<Int>
    public var kernel: ClosedRange<Int>
    public var stride: ClosedRange<Int>
    public var padding: ClosedRange<Int>
    public var block: [Int]
}

/// A generation spec file: a seed, a default category and its entries.
public struct GenerationSpec: Sendable, Equatable {
    public var seed: UInt64
    public var entries: [GenerationEntry]

    /// Every operator name the generator knows.
    public static var operators: [String] {
        UnaryOp.allCases.map(\.rawValue) + BinaryOp.allCases.map(\.rawValue) + ReduceOp.allCases.map(\.rawValue)
            + ["softmax", "matmul", "transpose", "max_pool2d", "avg_pool2d", "conv2d", "topology_expansion"]
    }

    /// Reads a spec from its parsed YAML; every problem is a `hpctrans.spec` reject naming the field.
    public init(json: JSONValue) throws(PairReject) {
        func fail(_ message: String) -> PairReject { PairReject("hpctrans.spec", .error, message) }
        guard case .object(let top) = json else { throw fail("a generation spec is a mapping with seed and generate") }
        for key in top.keys where !["seed", "category", "generate", "description"].contains(key) {
            throw fail("unknown key '\(key)' (seed, category, generate, description)")
        }
        guard let seedValue = top["seed"]?.integerValue ?? Optional(0), seedValue >= 0 else { throw fail("seed must be a non-negative integer") }
        if let raw = top["seed"], raw.integerValue == nil { throw fail("seed must be a non-negative integer") }
        seed = UInt64(seedValue)
        let defaultCategory = top["category"]?.stringValue
        guard let list = top["generate"]?.arrayValue, !list.isEmpty else { throw fail("generate must be a non-empty list of entries") }
        var entries: [GenerationEntry] = []
        for (index, item) in list.enumerated() {
            guard case .object(let fields) = item else { throw fail("generate[\(index)] is not a mapping") }
            let allowed: Set<String> = ["operator", "count", "category", "rank", "dims", "ops", "channels", "kernel", "stride", "padding", "block"]
            if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw fail("generate[\(index)]: unknown key '\(unknown)'")
            }
            guard let name = fields["operator"]?.stringValue, Self.operators.contains(name) else {
                throw fail("generate[\(index)].operator must be one of \(Self.operators.joined(separator: ", "))")
            }
            func range(_ key: String, _ fallback: ClosedRange<Int>, _ limit: ClosedRange<Int>) throws(PairReject) -> ClosedRange<Int> {
                guard let value = fields[key] else { return fallback }
                var pair: [Int] = []
                if let single = value.integerValue { pair = [Int(single), Int(single)] }
                for element in value.arrayValue ?? [] { if let number = element.integerValue { pair.append(Int(number)) } }
                guard pair.count == 2, pair[0] <= pair[1], limit.contains(pair[0]), limit.contains(pair[1]) else {
                    throw fail("generate[\(index)].\(key) must be [low, high] within \(limit.lowerBound)...\(limit.upperBound)")
                }
                return pair[0]...pair[1]
            }
            let count = fields["count"]?.integerValue ?? 1
            guard (1...1000).contains(count) else { throw fail("generate[\(index)].count must be 1 to 1000") }
            var blocks: [Int] = [64, 128, 256]
            if let value = fields["block"] {
                blocks = (value.arrayValue ?? [value]).compactMap { $0.integerValue.map(Int.init) }
                guard !blocks.isEmpty, blocks.allSatisfy({ [32, 64, 128, 256, 512, 1024].contains($0) }) else {
                    throw fail("generate[\(index)].block must list sizes among 32, 64, 128, 256, 512, 1024")
                }
            }
            let category = fields["category"]?.stringValue ?? defaultCategory
                ?? (name == "topology_expansion" ? "ComputationGraph" : "IndependentOperator")
            entries.append(GenerationEntry(
                operatorName: name, count: Int(count), category: category,
                rank: try range("rank", 2...4, 1...6), dims: try range("dims", 1...20, 1...4096),
                ops: try range("ops", 2...6, 1...12), channels: try range("channels", 1...8, 1...256),
                kernel: try range("kernel", 1...3, 1...15), stride: try range("stride", 1...2, 1...4),
                padding: try range("padding", 0...1, 0...7), block: blocks))
        }
        self.entries = entries
    }
}

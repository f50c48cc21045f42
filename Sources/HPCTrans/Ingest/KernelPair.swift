import Foundation
import StageKit

/// Why a pair is not kept: a reject code (README lists them), its class and a reason.
public typealias PairReject = KindReject

/// One CUDA/C pair in the upstream layout (`HPCTransEval/*.json` objects, or generator output).
public struct KernelPair: Sendable, Equatable {
    public var opName: String
    public var cCode: String
    public var cudaCode: String
    public var irCode: String
    public var opArgs: OpArgs
    public var inputShape: [[Int]]
    public var outputShape: [[Int]]
    public var inputName: [String]?
    public var outputName: [String]?

    public init(opName: String, cCode: String, cudaCode: String, irCode: String, opArgs: OpArgs,
                inputShape: [[Int]], outputShape: [[Int]], inputName: [String]? = nil, outputName: [String]? = nil) {
        self.opName = opName
        self.cCode = cCode
        self.cudaCode = cudaCode
        self.irCode = irCode
        self.opArgs = opArgs
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.inputName = inputName
        self.outputName = outputName
    }

    /// Reads one upstream object; a missing or mistyped field is an `error` reject.
    public init(json: JSONValue) throws(PairReject) {
        guard case .object = json else { throw PairReject("hpctrans.record", .error, "the element is \(json.typeName), not an object") }
        func string(_ key: String) throws(PairReject) -> String {
            guard let value = json[key] else { throw PairReject("hpctrans.record", .error, "field \(key) is missing") }
            guard let text = value.stringValue else { throw PairReject("hpctrans.record", .error, "field \(key) is \(value.typeName), not a string") }
            return text
        }
        func shapes(_ key: String) throws(PairReject) -> [[Int]] {
            guard let value = json[key] else { return [] }
            guard let list = value.arrayValue else { throw PairReject("hpctrans.record", .error, "field \(key) is not a list of shapes") }
            var out: [[Int]] = []
            for shape in list {
                guard let dims = shape.arrayValue else { throw PairReject("hpctrans.record", .error, "field \(key) is not a list of shapes") }
                var row: [Int] = []
                for dim in dims {
                    guard let value = dim.integerValue, let small = Int(exactly: value), small >= 0 else {
                        throw PairReject("hpctrans.record", .error, "field \(key) has a dimension that is not a non-negative integer")
                    }
                    row.append(small)
                }
                out.append(row)
            }
            return out
        }
        func names(_ key: String) throws(PairReject) -> [String]? {
            guard let value = json[key], value != .null else { return nil }
            guard let list = value.arrayValue else { throw PairReject("hpctrans.record", .error, "field \(key) is not a list of names") }
            var out: [String] = []
            for item in list {
                guard let text = item.stringValue else { throw PairReject("hpctrans.record", .error, "field \(key) is not a list of names") }
                out.append(text)
            }
            return out
        }
        opName = try string("op_name")
        guard !opName.isEmpty else { throw PairReject("hpctrans.record", .error, "op_name is empty") }
        cudaCode = json["cuda_code"]?.stringValue ?? ""
        guard !cudaCode.allSatisfy(\.isWhitespace) else {
            throw PairReject("hpctrans.no_cuda", .error, "\(opName) has no CUDA code (cuda_code is missing or empty)")
        }
        cCode = json["c_code"]?.stringValue ?? ""
        guard !cCode.allSatisfy(\.isWhitespace) else { throw PairReject("hpctrans.no_c", .error, "\(opName) has no reference C code") }
        irCode = try string("ir_code")
        guard let args = OpArgs(json: json["op_args"]) else {
            throw PairReject("hpctrans.op_args", .error,
                             "op_args is neither \"None\", a list of integers nor a list of op-name lists")
        }
        opArgs = args
        inputShape = try shapes("input_shape")
        outputShape = try shapes("output_shape")
        inputName = try names("input_name")
        outputName = try names("output_name")
    }

    /// The per-sample file key of the upstream layout: `f"{op_name}_{op_args}_{input_shape}"` with Python `str()`.
    public var fileKey: String { "\(opName)_\(opArgs.pythonText)_\(PythonText.shapes(inputShape))" }
}

/// Facts read from the code of a pair: CUDA kernels and their launch bounds, OpenMP use in C.
public struct KernelFacts: Sendable, Equatable {
    /// `__global__` functions in the CUDA code.
    public var cudaKernels: Int
    /// The `__launch_bounds__(N)` of each kernel that declares one, in order.
    public var launchBounds: [Int]
    /// Whether the C code has an `omp` pragma.
    public var openMP: Bool

    public init(cuda: String, c: String) {
        cudaKernels = Self.count("__global__", in: cuda)
        var bounds: [Int] = []
        var rest = Substring(cuda)
        while let range = rest.range(of: "__launch_bounds__(") {
            let digits = rest[range.upperBound...].prefix { $0.isNumber }
            if let value = Int(digits) { bounds.append(value) }
            rest = rest[range.upperBound...]
        }
        launchBounds = bounds
        openMP = c.split(separator: "\n").contains { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.count >= 2 && (words[0] == "#pragma" && words[1] == "omp" || words[0] == "#" && words.count >= 3 && words[1] == "pragma" && words[2] == "omp")
        }
    }

    static func count(_ needle: String, in text: String) -> Int {
        var count = 0
        var rest = Substring(text)
        while let range = rest.range(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}

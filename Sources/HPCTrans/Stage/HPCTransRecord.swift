import StageKit

/// A record of the `records` stream (`Schemas/HPCTrans/hpctrans-record.schema.json`): the upstream fields plus
/// what pipe read and checked. Holds no timings, so a rebuild gives the same bytes.
public struct HPCTransRecord: Codable, Sendable, Equatable {
    /// What the checks established about the record.
    public struct Check: Codable, Sendable, Equatable {
        /// Seed of the random inputs the reference ran on.
        public var seed: UInt64
        /// SHA-256 of the reference outputs on those inputs (identical in two runs).
        public var outputsSHA256: String
        /// Whether the C code was also compared with pipe's Swift reference (generated pairs).
        public var swiftReference: Bool
        /// Whether clang parsed the CUDA code.
        public var cudaParsed: Bool

        enum CodingKeys: String, CodingKey {
            case seed, outputsSHA256 = "outputs_sha256", swiftReference = "swift_reference", cudaParsed = "cuda_parsed"
        }
    }

    public var id: String
    public var source: String
    public var category: String
    public var key: String
    public var opName: String
    public var opArgs: OpArgs
    public var inputShape: [[Int]]
    public var outputShape: [[Int]]
    public var inputName: [String]?
    public var outputName: [String]?
    public var cCode: String
    public var cudaCode: String
    public var irCode: String
    /// TIR buffers in workload order (inputs, then the last `outputs`).
    public var buffers: [TIRBuffer]
    public var outputs: Int
    /// The C prototype's parameters, each mapped to its TIR buffer.
    public var cParameters: [KernelParameter]
    public var funcPrototype: String
    public var cudaKernels: Int
    public var launchBounds: [Int]
    public var openMP: Bool
    public var check: Check

    enum CodingKeys: String, CodingKey {
        case id, source, category, key, opName = "op_name", opArgs = "op_args", inputShape = "input_shape"
        case outputShape = "output_shape", inputName = "input_name", outputName = "output_name", cCode = "c_code"
        case cudaCode = "cuda_code", irCode = "ir_code", buffers, outputs, cParameters = "c_parameters"
        case funcPrototype = "func_prototype", cudaKernels = "cuda_kernels", launchBounds = "launch_bounds"
        case openMP = "openmp", check
    }

    /// Content-derived id: the same pair in the same category always gets the same id.
    public static func id(category: String, pair: KernelPair) -> String {
        String(StableHash.sha256Hex([category, pair.fileKey, pair.cCode, pair.cudaCode].joined(separator: "\u{0}")).prefix(16))
    }
}

/// Reading and checking pairs into records.
public struct PairChecker: Sendable {
    public var runner: KernelRunner
    public var seed: UInt64
    public var checkCUDA: Bool
    /// Tolerances of the comparison with the Swift reference (libm and float32 order are the same on both sides).
    public var rtol = 1e-5
    public var atol = 1e-6

    public init(runner: KernelRunner, seed: UInt64, checkCUDA: Bool = true) {
        self.runner = runner
        self.seed = seed
        self.checkCUDA = checkCUDA
    }

    /// Reads the signature without running anything: buffers in TIR order, the output count, C parameters.
    public static func signature(of pair: KernelPair) throws(PairReject) -> (buffers: [TIRBuffer], outputs: Int, parameters: [KernelParameter]) {
        do {
            let buffers = try TIRSignature.parse(pair.irCode)
            // The TIR lists inputs then outputs; the released output_shape says how many outputs there are.
            let outputs = min(max(1, pair.outputShape.count), buffers.count)
            let parameters = try CPrototype.match(pair.cCode, to: buffers)
            return (buffers, outputs, parameters)
        } catch let error as SignatureError {
            throw PairReject("hpctrans.signature", .error, error.message)
        } catch {
            throw PairReject("hpctrans.signature", .error, "\(error)")
        }
    }

    /// Checks one pair: the reference C compiles, runs in the sandbox and gives the same bytes twice (and
    /// matches the Swift reference when there is one); the CUDA parses. The record, or why not.
    public func check(_ pair: KernelPair, category: String, source: String, reference: Computation? = nil) throws(PairReject) -> HPCTransRecord {
        let (buffers, outputs, parameters) = try Self.signature(of: pair)
        let inputs = Buffers.inputs(buffers, outputs: outputs, seed: seed)
        let expected = Buffers.outputBytes(buffers, outputs: outputs)
        let first: [UInt8]
        do {
            let built: BuiltKernel
            do {
                built = try runner.build(code: pair.cCode, buffers: buffers, outputs: outputs, parameters: parameters)
            } catch let failure as KernelFailure {
                throw PairReject("hpctrans.c_compile", .error, "the reference C does not build: \(failure.message)")
            }
            let forbidden = SymbolPolicy.forbidden(built.undefinedSymbols)
            if !forbidden.isEmpty {
                throw PairReject("hpctrans.c_compile", .error, "the reference C calls \(forbidden.joined(separator: ", ")), which kernels may not")
            }
            do {
                first = try runner.run(built, inputs: inputs, outputBytes: expected)
                let second = try runner.run(built, inputs: inputs, outputBytes: expected)
                if first != second {
                    throw PairReject("hpctrans.nondeterministic", .error, "two runs of the reference C on the same inputs gave different outputs")
                }
            } catch let failure as KernelFailure {
                throw PairReject("hpctrans.c_run", .error, "the reference C failed to run: \(failure)")
            }
        } catch let reject as PairReject {
            throw reject
        } catch {
            throw PairReject("hpctrans.c_run", .error, "the sandbox could not run the check: \(error)")
        }
        if let reference {
            let floats = Buffers.inputFloats(inputs, buffers: buffers, outputs: outputs)
            let want = Buffers.bytes(reference.reference(floats).flatMap { $0 })
            if let difference = Buffers.compare(candidate: first, reference: want, buffers: buffers, outputs: outputs, rtol: rtol, atol: atol) {
                throw PairReject("hpctrans.reference_mismatch", .error, "the C kernel disagrees with the Swift reference: \(difference)")
            }
        }
        if checkCUDA {
            do {
                try runner.checkCUDA(pair.cudaCode)
            } catch let failure as KernelFailure {
                throw PairReject("hpctrans.cuda_syntax", .error, "clang does not parse the CUDA code: \(failure.message)")
            } catch {
                throw PairReject("hpctrans.cuda_syntax", .error, "the sandbox could not run clang: \(error)")
            }
        }
        let facts = KernelFacts(cuda: pair.cudaCode, c: pair.cCode)
        return HPCTransRecord(
            id: HPCTransRecord.id(category: category, pair: pair), source: source, category: category, key: pair.fileKey,
            opName: pair.opName, opArgs: pair.opArgs, inputShape: pair.inputShape, outputShape: pair.outputShape,
            inputName: pair.inputName, outputName: pair.outputName, cCode: pair.cCode, cudaCode: pair.cudaCode,
            irCode: pair.irCode, buffers: buffers, outputs: outputs, cParameters: parameters,
            funcPrototype: CPrototype.text(of: pair.cCode) ?? "", cudaKernels: facts.cudaKernels,
            launchBounds: facts.launchBounds, openMP: facts.openMP,
            check: .init(seed: seed, outputsSHA256: StableHash.sha256Hex(first), swiftReference: reference != nil,
                         cudaParsed: checkCUDA))
    }
}

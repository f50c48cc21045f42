import Foundation
import Readers
import Sandbox
import StageKit

/// `hpctrans.records`: CUDA/C kernel pairs in the HPCTransEval layout, each checked (the reference C builds and
/// runs deterministically in the sandbox, the CUDA parses), from released JSON arrays, generator output
/// (concatenated objects) or pipe's own generation specs (`*.yaml`), with training pairs and evaluation prompts.
/// Reduce keeps the first of pairs read twice (same category, key and code: the same id).
public struct HPCTransRecordsStage: ReducingStage {
    public static let kind = "hpctrans.records"
    public static let summary = "CUDA/C kernel pairs (HPCTransEval layout or generated), checked by compiling, running and parsing"
    public static let parametersSchema = "hpctrans.records.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .files }

    /// The stream names.
    public enum Streams {
        public static let records = "records"
        public static let trainPairs = "train_pairs"
        public static let evalPrompts = "eval_prompts"
    }

    public typealias Parameters = HPCTransParameters

    let parameters: Parameters
    let checker: PairChecker
    /// The compilers' identities, computed once: part of the run key.
    public let toolIdentities: [String]

    public init(parameters: Parameters, setup: StageSetup) throws {
        self.parameters = parameters
        let runner = KernelRunner(timeoutSeconds: parameters.timeoutSeconds, memoryBytes: parameters.memoryMB << 20,
                                  threads: parameters.threads)
        checker = PairChecker(runner: runner, seed: parameters.seed, checkCUDA: parameters.checkCUDA)
        toolIdentities = runner.toolchain.identities(sandbox: runner.sandbox)
    }

    public var streams: [StreamSpec] {
        [StreamSpec(name: Streams.records, schema: "hpctrans-record"),
         StreamSpec(name: Streams.trainPairs, schema: "hpctrans-train-pair",
                    reference: StreamReference(stream: Streams.records, field: "record_id")),
         StreamSpec(name: Streams.evalPrompts, schema: "hpctrans-eval-prompt",
                    reference: StreamReference(stream: Streams.records, field: "record_id"))]
    }

    /// One pair to check and where it came from.
    struct Pending: Sendable {
        var pair: KernelPair
        var category: String
        var source: String
        var computation: Computation?
        var line: Int
        var offset: Int64?
    }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        guard case .file(let path) = item.source else {
            try output.reject(.error, code: "hpctrans.input", reason: "hpctrans.records reads files")
            return
        }
        var pending: [Pending] = []
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            do {
                let document = try YAMLDocument(contentsOf: path)
                let spec = try GenerationSpec(json: document.value)
                for kernel in Generator.generate(spec) {
                    pending.append(Pending(pair: kernel.pair, category: parameters.category ?? kernel.category, source: "generated",
                                           computation: kernel.computation, line: 0, offset: nil))
                }
            } catch let reject as PairReject {
                try output.reject(reject.rejectClass, code: reject.code, reason: reject.reason)
                return
            } catch {
                try output.reject(.error, code: "hpctrans.spec", reason: "cannot read the generation spec: \(error)")
                return
            }
        } else {
            let category = parameters.category ?? Self.category(of: item.locator)
            try JSONRecordReader(path: path).read { value, position in
                do {
                    pending.append(Pending(pair: try KernelPair(json: value), category: category, source: "released",
                                           computation: nil, line: position.line, offset: position.offset))
                } catch let reject as PairReject {
                    try output.reject(reject.rejectClass, code: reject.code, reason: reject.reason,
                                      line: position.line > 0 ? position.line : nil, offset: position.offset)
                }
            } problem: { problem in
                try output.reject(.error, code: problem.code, reason: problem.reason,
                                  line: problem.position.line > 0 ? problem.position.line : nil, offset: problem.position.offset)
            }
        }
        let results = check(pending)
        for (index, result) in results.enumerated() {
            let item = pending[index]
            let line = item.line > 0 ? item.line : index + 1
            switch result {
            case .success(let record):
                try output.emit(record, stream: Streams.records, line: line)
                try output.emit(Prompts.trainPair(record), stream: Streams.trainPairs, line: line)
                try output.emit(Prompts.evalPrompt(record), stream: Streams.evalPrompts, line: line)
            case .failure(let reject):
                try output.reject(reject.rejectClass, code: reject.code, reason: "\(item.pair.fileKey): \(reject.reason)",
                                  line: item.line > 0 ? item.line : nil, offset: item.offset)
            }
        }
    }

    /// A pair read twice (the same file given twice, a released pair also in generator output) is kept once: the
    /// first by input and line; its training pair and prompt go with it.
    public func reduce(_ context: some ReduceContext) throws {
        try context.keepFirstOfEachID(streams: [Streams.records, Streams.trainPairs, Streams.evalPrompts], duplicateCode: "hpctrans.duplicate", what: "pair")
    }

    /// Checks the pairs of one item `concurrency` at a time (a released file is one item); results in input order.
    func check(_ pending: [Pending]) -> [Result<HPCTransRecord, PairReject>] {
        let slots = ResultSlots(count: pending.count)
        let lanes = min(parameters.concurrency, max(1, pending.count))
        let checker = self.checker
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: lane, to: pending.count, by: lanes) {
                let item = pending[index]
                let result: Result<HPCTransRecord, PairReject>
                do {
                    result = .success(try checker.check(item.pair, category: item.category, source: item.source,
                                                        reference: item.computation))
                } catch let reject as PairReject {
                    result = .failure(reject)
                } catch {
                    result = .failure(PairReject("hpctrans.c_run", .error, "\(error)"))
                }
                slots.set(index, result)
            }
        }
        return slots.values()
    }

    /// `IndependentOperator` for `.../IndependentOperator.json`.
    static func category(of locator: String) -> String {
        var name = String(locator.split(separator: "/").last ?? Substring(locator))
        for suffix in [".gz", ".zst", ".jsonl", ".json"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name.isEmpty ? "unknown" : name
    }
}

/// Results written by concurrent checks, one slot each.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<HPCTransRecord, PairReject>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<HPCTransRecord, PairReject>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() -> [Result<HPCTransRecord, PairReject>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? .failure(PairReject("hpctrans.c_run", .error, "the check did not finish")) }
    }
}

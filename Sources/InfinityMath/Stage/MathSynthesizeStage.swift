import Foundation
import Readers
import StageKit

/// `math.synthesize`: InfinityMATH-style number-independent programs from GSM8K-format problems, verified against
/// the gold answer, with number-varied instances.
///
/// Map reads each input file with the kit's JSON reader (JSON Lines, plain, gzip or zstd); every problem (a GSM8K
/// line, or a line that brings its own program: InfinityMATH-style JSONL, pipe's own program records) gives a
/// `programs` record and its `instances`, or a reject: `error` for a line that is not a GSM8K problem, `dropped`
/// for a problem whose program cannot be derived or does not give the gold answer. Reduce keeps the first of
/// problems that appear twice.
public struct MathSynthesizeStage: ReducingStage {
    public static let kind = "math.synthesize"
    public static let summary = "number-independent programs from GSM8K-style problems, verified, with number-varied instances"
    public static let parametersSchema = "math.synthesize.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .files }

    /// The stream names.
    public enum Streams {
        public static let programs = "programs"
        public static let instances = "instances"
    }

    public typealias Parameters = MathSynthesizeParameters

    let parameters: Parameters
    /// The model asked for problems without annotations, when `backend` is set.
    let backend: ModelBackendClient?

    public init(parameters: Parameters, setup: StageSetup) throws {
        self.parameters = parameters
        backend = parameters.backend.map { ModelBackendClient(backend: $0, cacheDirectory: setup.cacheDirectory) }
    }

    public var streams: [StreamSpec] {
        [StreamSpec(name: Streams.programs, schema: "math-program"),
         StreamSpec(name: Streams.instances, schema: "math-instance")]
    }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        guard case .file(let path) = item.source else {
            try output.reject(.error, code: "math.input", reason: "math.synthesize reads files of GSM8K-format problems")
            return
        }
        let source = parameters.source ?? Self.datasetName(item.locator)
        let reader = JSONRecordReader(path: path)
        try reader.read { record, position in
            do {
                let program = DerivedProgram.isProvided(record)
                    ? try DerivedProgram(provided: record) : try derive(record)
                try synthesize(program, source: source, line: position.line, output: output)
            } catch let reject as MathReject {
                try output.reject(reject.rejectClass, code: reject.code, reason: reject.reason, line: position.line,
                                  offset: position.offset)
            }
        } problem: { problem in
            let line = problem.position.line > 0 ? problem.position.line : nil
            try output.reject(.error, code: problem.code, reason: problem.reason, line: line, offset: problem.position.offset)
        }
    }

    /// The program of a GSM8K problem: derived from its annotations, else (with a back end) written by the model and
    /// verified like a provided program.
    func derive(_ record: JSONValue) throws -> DerivedProgram {
        do {
            return try DerivedProgram(problem: try MathProblem(record: record))
        } catch let reject as MathReject where reject.code == "math.no_annotations" {
            // The problem parsed up to its annotations, so its question is a string.
            guard let backend, let question = record["question"]?.stringValue else { throw reject }
            let program = try backend.program(question: question)
            return try DerivedProgram(provided: ["question": .string(question), "program": .string(program),
                                                 "answer": record["answer"] ?? .null])
        }
    }

    /// Instantiates one verified program, emitting its records.
    func synthesize(_ program: DerivedProgram, source: String, line: Int, output: some MapContext) throws {
        let sampler: InstanceSampler
        do {
            sampler = try InstanceSampler(program: program)
        } catch let error as PyError {
            throw MathReject.runtime("the program fails on the original numbers: \(error)")
        }
        let instances = sampler.sample(count: parameters.instances, seed: parameters.seed)
        try output.emit(MathProgramRecord(program: program, source: source, varied: sampler.variedNames, instances: instances.count),
                        stream: Streams.programs, line: line)
        for instance in instances {
            try output.emit(try MathInstanceRecord(instance: instance, program: program), stream: Streams.instances, line: line)
        }
        if parameters.variants {
            for variant in try program.variants() {
                try output.emit(MathProgramRecord(variant: variant, of: program, source: source), stream: Streams.programs, line: line)
            }
        }
    }

    /// `gsm8k` for `.../gsm8k.jsonl.gz`.
    static func datasetName(_ locator: String) -> String {
        var name = String(locator.split(separator: "/").last ?? Substring(locator))
        for suffix in [".gz", ".zst", ".jsonl", ".json", ".ndjson"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name.isEmpty ? "unknown" : name
    }

    /// A problem given twice (the same question and answer) is kept once: the first by input and line.
    public func reduce(_ context: some ReduceContext) throws {
        try context.keepFirstOfEachID(streams: [Streams.programs, Streams.instances], duplicateCode: "math.duplicate", what: "problem")
    }
}

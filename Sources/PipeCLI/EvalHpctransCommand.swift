import ArgumentParser
import Engine
import Exporting
import Foundation
import HPCTrans
import Readers
import StageKit

/// `pipe eval hpctrans`: candidate C translations against the references of an hpctrans.records dataset.
struct EvalHpctransCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpctrans",
        abstract: "Compile, run, compare and time candidate C kernels beside their references, in the sandbox.",
        discussion: """
            --dataset names a dataset or an hpctrans.records stage of the pipeline files (its records stream is read \
            from the latest built run), or an export folder. --candidates is JSON Lines of {"id", "c_code"} (id a \
            record id or a file key; a fenced answer is cut to its last code block) or a folder of <file key>.c files, \
            as upstream lays them out. Each candidate is built with the reference's harness and run on the same seeded \
            inputs in the sandbox; every output buffer is compared (|a - b| <= atol + rtol * |ref|; upstream's TVM \
            defaults are rtol = atol = 1e-7); correct candidates and their references are timed (median of --repeats \
            calls after --warmups). Speedup is reference time / candidate time.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A dataset or hpctrans.records stage name, or an export folder.")
    var dataset: String

    @Option(help: "Candidates: a JSON Lines file of {\"id\", \"c_code\"}, or a folder of <file key>.c files.")
    var candidates: String

    @Option(help: "Also write the report as JSON (schema hpctrans-eval) to this file.")
    var out: String?

    @Option(help: "Relative tolerance of the output comparison.")
    var rtol: Double = 1e-7

    @Option(help: "Absolute tolerance of the output comparison.")
    var atol: Double = 1e-7

    @Option(help: "Warm-up calls before timing.")
    var warmups: Int = 10

    @Option(help: "Timed calls; the median is reported.")
    var repeats: Int = 30

    @Option(help: "Seed of the random inputs.")
    var seed: UInt64 = 42

    @Option(help: "OMP_NUM_THREADS of every run.")
    var threads: Int = 1

    @Option(help: "Wall-clock and CPU limit of each compile and run, in seconds.")
    var timeout: Double = 60

    @Option(help: "Address-space limit of each run, in MiB.")
    var memoryMb: Int = 1024

    @Option(help: "With an export folder: only the records of this split (its data/<split>-*.jsonl* shards), e.g. test.")
    var split: String?

    @Flag(help: "Let candidates call any function (the sandbox alone confines them).")
    var allowAnyCall = false

    func validate() throws {
        guard rtol >= 0, atol >= 0 else { throw ValidationError("--rtol and --atol must not be negative") }
        guard warmups >= 0, repeats >= 1, repeats <= 100_000 else { throw ValidationError("--warmups must be >= 0 and --repeats 1 to 100000") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1 to 64") }
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1") }
        guard memoryMb >= 64 else { throw ValidationError("--memory-mb must be at least 64") }
    }

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            var options = EvaluationOptions()
            options.rtol = rtol
            options.atol = atol
            options.warmups = warmups
            options.repeats = repeats
            options.seed = seed
            options.threads = threads
            options.timeoutSeconds = timeout
            options.memoryMB = memoryMb
            options.screenSymbols = !allowAnyCall
            var evaluation = HPCTransEvaluation(options: options)
            try read(dataset, into: &evaluation)
            guard !evaluation.records.isEmpty else { throw PipeError("eval.dataset", "\(dataset) has no hpctrans records") }
            try readCandidates(into: &evaluation)
            let progress = global.progress
            let total = evaluation.records.count
            var done = 0
            let report = evaluation.run { item in
                done += 1
                progress.note("\(done)/\(total) \(item.key): \(item.reason ?? "pass")", fields: [:])
            }
            let json = try CanonicalJSON.value(of: report)
            if let out { try FileSystem.writeAtomically(Array((JSONWriter.pretty(json) + "\n").utf8), to: out) }
            if global.logFormat == .json {
                FileHandleOutput.standardOutput(JSONWriter.compactString(json) + "\n")
            } else {
                FileHandleOutput.standardOutput(report.table)
            }
            if !report.unknownCandidates.isEmpty {
                progress.note("\(report.unknownCandidates.count) candidate(s) match no record",
                              fields: ["unknown": .integer(Int64(report.unknownCandidates.count))])
            }
        }
    }

    private func readCandidates(into evaluation: inout HPCTransEvaluation) throws {
        if FileSystem.exists(candidates).isDirectory {
            for name in FileSystem.list(candidates).sorted() where name.hasSuffix(".c") {
                let bytes = try FileSystem.read(candidates + "/" + name, limit: 16 << 20)
                evaluation.add(candidate: String(decoding: bytes, as: UTF8.self), name: String(name.dropLast(2)))
            }
        } else {
            try evaluation.addCandidates(path: candidates)
        }
    }

    /// Adds the records of an export folder, or of the records stream of a built hpctrans.records stage.
    private func read(_ name: String, into evaluation: inout HPCTransEvaluation) throws {
        if FileSystem.exists(name).isDirectory {
            let prefix = split.map { $0 + "-" } ?? ""
            let files = EvalDatasetSource.exportFiles(name, prefix: prefix)
            guard !files.isEmpty else {
                throw PipeError("eval.dataset", "\(name) is not an export folder (no data/\(prefix)*.jsonl*)")
            }
            for file in files {
                try JSONRecordReader(path: file).read { value, _ in
                    try evaluation.addDatasetLine(JSONWriter.compact(value))
                } problem: { problem in
                    throw PipeError("eval.dataset", "\(file): \(problem)")
                }
            }
            return
        }
        if split != nil {
            throw PipeError("eval.dataset", "--split needs an export folder: splits are assigned when a dataset is exported")
        }
        let shards = try EvalDatasetSource.builtShards(
            name, kinds: [HPCTransRecordsStage.kind], streams: [HPCTransRecordsStage.Streams.records], global: global,
            notFound: "'\(name)' is neither an export folder nor a dataset or stage of kind \(HPCTransRecordsStage.kind)")
        for path in shards {
            try ShardReader(path: path).forEachLine { line, _, _ in try evaluation.addDatasetLine(Array(line)) }
        }
    }
}

import ArgumentParser
import Engine
import Exporting
import Foundation
import InfinityMath
import Readers
import StageKit

/// `pipe eval`: scores a model's outputs against a built dataset.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Score a model's outputs against a built dataset.", subcommands: [EvalMathCommand.self, EvalHls4mlCommand.self, EvalHpctransCommand.self])
}

/// `pipe eval math`: answers against the originals and instances of a math.synthesize dataset.
struct EvalMathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "math",
        abstract: "Accuracy on original problems and their number-varied instances, and the GSM8K+ x, y and y/x.",
        discussion: """
            --dataset names a dataset or a math.synthesize stage of the pipeline files (both of its streams are read \
            from the latest built run), or an export folder (give the programs and the instances exports). Predictions \
            are JSON Lines of {"id": ..., "answer": ...}; a string answer is read by its last number.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A dataset or math.synthesize stage name, or an export folder; repeat for several.")
    var dataset: [String]

    @Option(help: "The predictions: JSON Lines of {\"id\", \"answer\"} (plain, .gz or .zst).")
    var predictions: String

    @Option(help: "Also write the report as JSON to this file.")
    var out: String?

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            var evaluation = MathEvaluation()
            for name in dataset { try read(name, into: &evaluation) }
            try evaluation.readPredictions(path: predictions)
            let report = evaluation.report()
            let json = try CanonicalJSON.value(of: report)
            if let out { try FileSystem.writeAtomically(Array((JSONWriter.pretty(json) + "\n").utf8), to: out) }
            if global.logFormat == .json {
                FileHandleOutput.standardOutput(JSONWriter.compactString(json) + "\n")
            } else {
                FileHandleOutput.standardOutput(report.table)
            }
            if report.missing.count > 0 || report.unknown.count > 0 {
                global.progress.note("\(report.missing.count) item(s) without a prediction, \(report.unknown.count) unknown id(s)",
                                     fields: ["missing": .integer(Int64(report.missing.count)), "unknown": .integer(Int64(report.unknown.count))])
            }
        }
    }

    /// Adds the records of an export folder, or of both streams of a built math.synthesize stage.
    private func read(_ name: String, into evaluation: inout MathEvaluation) throws {
        if FileSystem.exists(name).isDirectory {
            let files = EvalDatasetSource.exportFiles(name)
            guard !files.isEmpty else { throw PipeError("eval.dataset", "\(name) is not an export folder (no data/*.jsonl*)") }
            for file in files { try evaluation.readDatasetFile(path: file) }
            return
        }
        let shards = try EvalDatasetSource.builtShards(
            name, kinds: [MathSynthesizeStage.kind],
            streams: [MathSynthesizeStage.Streams.programs, MathSynthesizeStage.Streams.instances], global: global,
            notFound: "'\(name)' is neither an export folder nor a dataset or stage of kind \(MathSynthesizeStage.kind)")
        for path in shards {
            try ShardReader(path: path).forEachLine { line, _, _ in try evaluation.addDatasetRecord(try JSONParser.parse(buffer: line)) }
        }
    }
}

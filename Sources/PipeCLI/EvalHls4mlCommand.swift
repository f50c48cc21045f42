import ArgumentParser
import Engine
import Exporting
import Foundation
import Hls4ml
import Readers
import StageKit

/// `pipe eval hls4ml`: surrogate predictions scored against wa-hls4ml records with the benchmark's metrics.
struct EvalHls4mlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hls4ml",
        abstract: "R², SMAPE (ε = 1) and RMSE of surrogate predictions per target, overall, per subset and per exemplar architecture.",
        discussion: """
            --dataset names a dataset or an hls4ml.records / hls4ml.import stage of the pipeline files (its main stream \
            is read from the latest built run), an export folder, or a JSON file of records (JSON Lines or a published \
            top-level array; records without an id get the id hls4ml.import gives them). Predictions are JSON Lines of \
            {"id", "BRAM", "DSP", "FF", "LUT", "cycles_max", "interval_max"}; truth is resource_report (BRAM in 36 Kb \
            tiles, as published) and latency_report. See Docs/hls4ml.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A dataset or stage name, an export folder, or a records file; repeat for several.")
    var dataset: [String]

    @Option(help: "The predictions: JSON Lines (plain, .gz or .zst).")
    var predictions: String

    @Option(help: "Also write the report as JSON to this file.")
    var out: String?

    @Option(help: "Write SVG box plots of the relative percent error, one per group, into this folder.")
    var svg: String?

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            var evaluation = Hls4mlEvaluation()
            for name in dataset { try read(name, into: &evaluation) }
            try evaluation.readPredictions(path: predictions)
            let report = evaluation.report()
            let json = try CanonicalJSON.value(of: report)
            if let out { try FileSystem.writeAtomically(Array((JSONWriter.pretty(json) + "\n").utf8), to: out) }
            if let svg {
                try FileManager.default.createDirectory(atPath: svg, withIntermediateDirectories: true)
                let errors = evaluation.relativeErrors()
                for group in errors.keys.sorted() {
                    let file = svg + "/rpe-" + group.replacingOccurrences(of: "/", with: "-") + ".svg"
                    try FileSystem.writeAtomically(Array(BoxPlot.svg(title: group, errors: errors[group] ?? [:]).utf8), to: file)
                }
            }
            if global.logFormat == .json {
                FileHandleOutput.standardOutput(JSONWriter.compactString(json) + "\n")
            } else {
                FileHandleOutput.standardOutput(report.table)
            }
            let targetsMissing = report.missingTargets.values.reduce(0) { $0 + $1.count }
            if report.missing.count > 0 || report.unknown.count > 0 || targetsMissing > 0 {
                global.progress.note(
                    "\(report.missing.count) record(s) without a prediction, \(report.unknown.count) unknown id(s), \(targetsMissing) missing target value(s)",
                    fields: ["missing": .integer(Int64(report.missing.count)), "unknown": .integer(Int64(report.unknown.count)),
                             "missing_targets": .integer(Int64(targetsMissing))])
            }
        }
    }

    /// Adds the records of a file, an export folder, or the main stream of a built hls4ml stage.
    private func read(_ name: String, into evaluation: inout Hls4mlEvaluation) throws {
        let kind = FileSystem.exists(name)
        if kind.isDirectory {
            // An export folder (data/*.jsonl*), else a folder of record files such as the published test/ folder.
            var files = EvalDatasetSource.exportFiles(name)
            if files.isEmpty {
                let recordFile: (String) -> Bool = { file in
                    [".json", ".json.gz", ".json.zst"].contains { file.hasSuffix($0) } || JSONRecordReader.isJSONLines(file)
                }
                files = FileSystem.list(name).filter(recordFile).sorted().map { name + "/" + $0 }
            }
            guard !files.isEmpty else {
                throw PipeError("eval.dataset", "\(name) is neither an export folder (data/*.jsonl*) nor a folder of record files (*.json, *.jsonl)")
            }
            for file in files { try evaluation.readDatasetFile(path: file) }
            return
        }
        if kind.exists {
            try evaluation.readDatasetFile(path: name)
            return
        }
        let shards = try EvalDatasetSource.builtShards(
            name, kinds: [Hls4mlRecordsStage.kind, Hls4mlImportStage.kind], streams: ["main"], global: global,
            notFound: "'\(name)' is neither a file, an export folder, nor a dataset or stage of kind hls4ml.records or hls4ml.import")
        for path in shards {
            try ShardReader(path: path).forEachLine { line, _, _ in evaluation.addDatasetRecord(try JSONParser.parse(buffer: line)) }
        }
    }
}

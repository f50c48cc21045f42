import ArgumentParser
import Foundation
import Hls4ml
import Readers
import StageKit

/// `pipe train`: reference models for the benchmarks pipe builds.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Fit a reference model on a dataset's train split.", subcommands: [TrainHls4mlBaselineCommand.self])
}

/// `pipe train hls4ml-baseline`: ridge regression on the typed features, test-split predictions for `pipe eval hls4ml`.
struct TrainHls4mlBaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hls4ml-baseline",
        abstract: "Fit the ridge baseline on the train split and write test-split predictions in the evaluation format.",
        discussion: """
            Give an export folder of an hls4ml dataset (its data/train-* and data/test-* shards are read), or --train and \
            --test files (JSON Lines or published top-level arrays). One ridge regression per target on standardised \
            log features, fitted to log(1 + target); records without a synthesis report are not trained on. See Docs/hls4ml.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "An export folder with train and test shards.")
    var dataset: String?

    @Option(help: "Training records (instead of --dataset); repeat for several files.")
    var train: [String] = []

    @Option(help: "Records to predict (instead of --dataset); repeat for several files.")
    var test: [String] = []

    @Option(help: "The ridge penalty on standardised weights.")
    var lambda: Double = 1.0

    @Option(help: "Where to write the predictions (JSON Lines).")
    var out: String

    func validate() throws {
        guard (dataset == nil) != (train.isEmpty && test.isEmpty) else {
            throw ValidationError("give either --dataset or both --train and --test")
        }
        guard dataset != nil || (!train.isEmpty && !test.isEmpty) else { throw ValidationError("give both --train and --test") }
        guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a non-negative number") }
    }

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            var trainFiles = train, testFiles = test
            if let dataset {
                let data = dataset + "/data"
                let files = FileSystem.list(data).filter { JSONRecordReader.isJSONLines($0) }.sorted()
                trainFiles = files.filter { $0.hasPrefix("train-") }.map { data + "/" + $0 }
                testFiles = files.filter { $0.hasPrefix("test-") }.map { data + "/" + $0 }
                guard !trainFiles.isEmpty, !testFiles.isEmpty else {
                    throw PipeError("train.dataset", "\(dataset) has no data/train-* and data/test-* shards")
                }
            }
            var rows: [[Double]] = []
            var truths: [[Double?]] = []
            for file in trainFiles {
                try Self.read(file) { record in
                    guard let truth = Hls4mlEvaluation.truth(of: record) else { return }
                    rows.append(RidgeBaseline.features(of: record))
                    truths.append(truth)
                }
            }
            var model = RidgeBaseline(lambda: lambda)
            try model.fit(features: rows, truths: truths)
            var lines: [UInt8] = []
            var count = 0
            for file in testFiles {
                try Self.read(file) { record in
                    let id = record["id"]?.stringValue ?? RecordAdditions.recordID(record)
                    var members: [String: JSONValue] = ["id": .string(id)]
                    for (target, value) in zip(Hls4mlEvaluation.targets, model.predict(RidgeBaseline.features(of: record))) {
                        members[target] = .number(value)
                    }
                    lines += JSONWriter.compact(.object(members)) + [UInt8(ascii: "\n")]
                    count += 1
                }
            }
            try FileSystem.writeAtomically(lines, to: out)
            global.progress.note("trained on \(rows.count) record(s), wrote \(count) prediction(s) to \(out)",
                                 fields: ["trained": .integer(Int64(rows.count)), "predicted": .integer(Int64(count))])
        }
    }

    private static func read(_ path: String, _ body: (JSONValue) throws -> Void) throws {
        var failure: PipeError?
        try JSONRecordReader(path: path).read { record, _ in
            if case .object = record { try body(record) }
        } problem: { problem in
            failure = failure ?? PipeError("train.dataset", "\(path): \(problem.reason)")
        }
        if let failure { throw failure }
    }
}

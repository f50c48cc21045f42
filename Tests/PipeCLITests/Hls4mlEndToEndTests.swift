import Foundation
import StageKit
import XCTest

/// End-to-end: `Pipelines/hls4ml.yaml` on `Data/hls4ml` through the built `pipe` (every record checked against its
/// schema), its export, `pipe train hls4ml-baseline` on the export and `pipe eval hls4ml` on its predictions.
final class Hls4mlEndToEndTests: XCTestCase {
    private func project(tasks: Int? = nil) throws -> Scratch {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data/hls4ml"), to: scratch.url("Data/hls4ml"))
        var pipeline = try String(contentsOf: source.appendingPathComponent("Pipelines/hls4ml.yaml"), encoding: .utf8)
        if let tasks { pipeline = pipeline.replacingOccurrences(of: "tasks: 4", with: "tasks: \(tasks)") }
        try scratch.write(pipeline, to: "Pipelines/hls4ml.yaml")
        return scratch
    }

    func testBuildExportTrainAndEvaluate() throws {
        let scratch = try project()
        let build = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("4 records kept; rejects: 1 error, 0 dropped (hls4ml.incomplete: 1)"), build.stderr)
        let export = try PipeProcess.run(["export", "hls4ml-projects", "--compression", "none", "--out", "out"], in: scratch.root)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try PipeProcess.run(["validate", "out"], in: scratch.root).status, 0)

        let train = try PipeProcess.run(["train", "hls4ml-baseline", "--dataset", "out", "--out", "predictions.jsonl"], in: scratch.root)
        XCTAssertEqual(train.status, 0, train.stderr)
        let predictions = try String(contentsOf: scratch.url("predictions.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertFalse(predictions.isEmpty)
        for line in predictions {
            let value = try JSONParser.parse(String(line))
            for target in ["BRAM", "DSP", "FF", "LUT", "cycles_max", "interval_max"] {
                XCTAssertNotNil(value[target]?.doubleValue, "\(target) in \(line)")
            }
        }
        try scratch.write(predictions.joined(separator: "\n") + "\n" + #"{"id": "not-a-record", "BRAM": 1}"# + "\n", to: "predictions.jsonl")
        let eval = try PipeProcess.run(["eval", "hls4ml", "--dataset", "hls4ml-projects", "--predictions", "predictions.jsonl",
                                        "--out", "report.json", "--svg", "plots"], in: scratch.root)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("scorable records: 4"), eval.stdout)
        XCTAssertTrue(eval.stdout.contains("unknown ids: 1 (not-a-record)"), eval.stdout)
        let report = try JSONParser.parse([UInt8](try Data(contentsOf: scratch.url("report.json"))))
        XCTAssertEqual(report["predicted"]?.integerValue, Int64(predictions.count))
        XCTAssertEqual(report["missing"]?["count"]?.integerValue, Int64(4 - predictions.count))
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.url("plots/rpe-overall.svg").path))
        // The export gives the same report as the built run.
        let fromExport = try PipeProcess.run(["eval", "hls4ml", "--dataset", "out", "--predictions", "predictions.jsonl",
                                              "--log-format", "json"], in: scratch.root)
        XCTAssertEqual(fromExport.status, 0, fromExport.stderr)
        XCTAssertEqual(try JSONParser.parse(fromExport.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), report)
        let unknown = try PipeProcess.run(["eval", "hls4ml", "--dataset", "no-such-dataset", "--predictions", "predictions.jsonl"],
                                          in: scratch.root)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("[eval.dataset]"), unknown.stderr)
    }

    func testOutputDoesNotDependOnTheTaskCount() throws {
        var exports: [[String: Data]] = []
        for tasks in [1, 3] {
            let scratch = try project(tasks: tasks)
            XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
            let export = try PipeProcess.run(["export", "hls4ml-projects", "--quiet", "--out", "out"], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
            exports.append(try scratch.files(under: "out"))
        }
        XCTAssertEqual(exports[0].keys.sorted(), exports[1].keys.sorted())
        XCTAssertEqual(exports[0], exports[1])
    }
}

import Foundation
import StageKit
import XCTest

/// End-to-end: `Pipelines/math.yaml` on `Data/math` through the built `pipe` (every record checked against its
/// schema), its two exports, and `pipe eval math` on them.
final class MathEndToEndTests: XCTestCase {
    private func project(tasks: Int? = nil) throws -> Scratch {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data/math"), to: scratch.url("Data/math"))
        var pipeline = try String(contentsOf: source.appendingPathComponent("Pipelines/math.yaml"), encoding: .utf8)
        if let tasks { pipeline = pipeline.replacingOccurrences(of: "tasks: 4", with: "tasks: \(tasks)") }
        try scratch.write(pipeline, to: "Pipelines/math.yaml")
        return scratch
    }

    private func records(_ scratch: Scratch, _ folder: String) throws -> [JSONValue] {
        var records: [JSONValue] = []
        for (path, data) in try scratch.files(under: folder + "/data").sorted(by: { $0.key < $1.key }) where path.hasSuffix(".jsonl") {
            records += try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        }
        return records
    }

    func testBuildExportAndEvaluate() throws {
        let scratch = try project()
        let build = try PipeProcess.run(["build", "all", "--strict"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("math.answer_mismatch: 1, math.no_annotations: 1"), build.stderr)
        let stats = try scratch.files(under: "pipe-work/runs/math-synthesize").first { $0.key.hasSuffix("/stats.json") }
        let table = try JSONParser.parse([UInt8](try XCTUnwrap(stats?.value)))
        XCTAssertEqual(table["rejects"]?["dropped"]?["math.no_annotations"]?.integerValue, 1)
        XCTAssertEqual(table["records"]?["programs"]?.integerValue, 66)

        for dataset in ["math-programs", "math-instances"] {
            let export = try PipeProcess.run(["export", dataset, "--compression", "none", "--out", "out/\(dataset)"], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
            let validate = try PipeProcess.run(["validate", "out/\(dataset)"], in: scratch.root)
            XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        }
        let programs = try records(scratch, "out/math-programs")
        let instances = try records(scratch, "out/math-instances")
        XCTAssertEqual(programs.count, 66)
        XCTAssertGreaterThan(instances.count, 600)
        // A problem and its instances are in the same split.
        var splitOf: [String: String] = [:]
        for (path, data) in try scratch.files(under: "out") where path.hasSuffix(".jsonl") {
            let split = String(path.split(separator: "/").last?.split(separator: "-").first ?? "")
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let source = try XCTUnwrap(try JSONParser.parse(String(line))["source_id"]?.stringValue)
                if let known = splitOf[source] { XCTAssertEqual(known, split, source) } else { splitOf[source] = split }
            }
        }

        // Perfect answers for everything but one instance, plus an id the dataset does not have.
        var lines = (programs + instances.dropFirst()).map { record -> String in
            JSONWriter.compactString(["id": record["id"] ?? .null, "answer": record["answer"] ?? .null])
        }
        lines.append(#"{"id": "not-in-the-dataset", "answer": 1}"#)
        try scratch.write(lines.joined(separator: "\n") + "\n", to: "predictions.jsonl")
        let eval = try PipeProcess.run(["eval", "math", "--dataset", "math-programs", "--predictions", "predictions.jsonl",
                                        "--out", "report.json"], in: scratch.root)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("originals      66        66        66    100.0%"), eval.stdout)
        XCTAssertTrue(eval.stdout.contains("unknown ids: 1 (not-in-the-dataset)"), eval.stdout)
        let report = try JSONParser.parse([UInt8](try Data(contentsOf: scratch.url("report.json"))))
        XCTAssertEqual(report["missing"]?["count"]?.integerValue, 1)
        XCTAssertEqual(report["consistency"]?["x"]?.integerValue, 66)
        XCTAssertEqual(report["consistency"]?["y"]?.integerValue, 65)
        // The exports give the same report as the built run.
        let fromExports = try PipeProcess.run(["eval", "math", "--dataset", "out/math-programs", "--dataset", "out/math-instances",
                                               "--predictions", "predictions.jsonl", "--log-format", "json"], in: scratch.root)
        XCTAssertEqual(fromExports.status, 0, fromExports.stderr)
        XCTAssertEqual(try JSONParser.parse(fromExports.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), report)
    }

    func testOutputDoesNotDependOnTheTaskCount() throws {
        var exports: [[String: Data]] = []
        for tasks in [1, 3] {
            let scratch = try project(tasks: tasks)
            XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
            for dataset in ["math-programs", "math-instances"] {
                let export = try PipeProcess.run(["export", dataset, "--quiet", "--out", "out/\(dataset)"], in: scratch.root)
                XCTAssertEqual(export.status, 0, export.stderr)
            }
            exports.append(try scratch.files(under: "out"))
        }
        XCTAssertEqual(exports[0].keys.sorted(), exports[1].keys.sorted())
        XCTAssertEqual(exports[0], exports[1])
    }

    func testEvalNamesWhatItCannotRead() throws {
        let scratch = try project()
        try scratch.write("", to: "predictions.jsonl")
        let result = try PipeProcess.run(["eval", "math", "--dataset", "no-such-dataset", "--predictions", "predictions.jsonl"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("[eval.dataset]"), result.stderr)
        let unbuilt = try PipeProcess.run(["eval", "math", "--dataset", "math-programs", "--predictions", "predictions.jsonl"], in: scratch.root)
        XCTAssertEqual(unbuilt.status, 1)
        XCTAssertTrue(unbuilt.stderr.contains("[locate.not_built]") || unbuilt.stderr.contains("catalog"), unbuilt.stderr)
        let missing = try PipeProcess.run(["eval", "math", "--predictions", "p.jsonl"], in: scratch.root)
        XCTAssertEqual(missing.status, 64)
    }
}

import Foundation
import StageKit
import XCTest

/// End-to-end: `Pipelines/hpctrans.yaml` on `Data/hpctrans` through the built `pipe` (every record checked against its
/// schema), the three exports, and `pipe eval hpctrans` with the references as candidates, from the built run and
/// from a folder of `<key>.c` files.
final class HpctransEndToEndTests: XCTestCase {
    func testBuildExportAndEvaluate() throws {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data/hpctrans"), to: scratch.url("Data/hpctrans"))
        try scratch.write(try String(contentsOf: source.appendingPathComponent("Pipelines/hpctrans.yaml"), encoding: .utf8),
                          to: "Pipelines/hpctrans.yaml")
        let build = try PipeProcess.run(["build", "all", "--strict"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        for dataset in ["hpctrans-records", "hpctrans-train-pairs", "hpctrans-eval-prompts"] {
            let export = try PipeProcess.run(["export", dataset, "--compression", "none", "--out", "out/\(dataset)"], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
            let validate = try PipeProcess.run(["validate", "out/\(dataset)"], in: scratch.root)
            XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        }
        var records: [JSONValue] = []
        var splitOf: [String: String] = [:]
        for (path, data) in try scratch.files(under: "out/hpctrans-records/data") where path.hasSuffix(".jsonl") {
            let split = String(path.split(separator: "/").last?.split(separator: "-").first ?? "")
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let record = try JSONParser.parse(String(line))
                records.append(record)
                // Every shape of one operator is in one split.
                let op = try XCTUnwrap(record["op_name"]?.stringValue)
                if let known = splitOf[op] { XCTAssertEqual(known, split, op) } else { splitOf[op] = split }
            }
        }
        XCTAssertEqual(records.count, 32)

        // The references as candidates, as a folder of <key>.c files (upstream's layout), against the export.
        for record in records {
            let key = try XCTUnwrap(record["key"]?.stringValue)
            try scratch.write(try XCTUnwrap(record["c_code"]?.stringValue), to: "candidates/\(key).c")
        }
        let eval = try PipeProcess.run(["eval", "hpctrans", "--dataset", "out/hpctrans-records", "--candidates", "candidates",
                                        "--repeats", "5", "--warmups", "2", "--out", "report.json"], in: scratch.root)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("all                             32   100.0%   100.0%"), eval.stdout)
        let report = try JSONParser.parse([UInt8](try Data(contentsOf: scratch.url("report.json"))))
        XCTAssertEqual(report["compile_pass_rate"], 1)
        XCTAssertEqual(report["exec_pass_rate"], 1)
        XCTAssertEqual(report["items"]?.arrayValue?.count, 32)
        let validate = try PipeProcess.run(["validate", "report.json", "--schema", "hpctrans-eval"], in: scratch.root)
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)

        // Only the test split of the export.
        let testOnly = try PipeProcess.run(["eval", "hpctrans", "--dataset", "out/hpctrans-records", "--split", "test", "--candidates",
                                            "candidates", "--repeats", "3", "--warmups", "1", "--log-format", "json", "--quiet"], in: scratch.root)
        XCTAssertEqual(testOnly.status, 0, testOnly.stderr)
        let testItems = try JSONParser.parse(testOnly.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["items"]?.arrayValue ?? []
        let testFiles = try scratch.files(under: "out/hpctrans-records/data").filter { $0.key.contains("test-") }
        let testCount = testFiles.values.reduce(0) { $0 + String(decoding: $1, as: UTF8.self).split(separator: "\n").count }
        XCTAssertEqual(testItems.count, testCount)
        XCTAssertGreaterThan(testCount, 0)

        // JSON Lines candidates against the built stage: one wrong, one missing.
        var lines = records.dropFirst(2).map { record in
            JSONWriter.compactString(["id": record["id"] ?? .null, "c_code": record["c_code"] ?? .null])
        }
        let first = try XCTUnwrap(records.first)
        let broken = (first["c_code"]?.stringValue ?? "").replacingOccurrences(of: "  #pragma omp parallel for", with: "  return;\n  #pragma omp parallel for")
        lines.append(JSONWriter.compactString(["id": first["id"] ?? .null, "c_code": .string(broken)]))
        try scratch.write(lines.joined(separator: "\n") + "\n", to: "answers.jsonl")
        let second = try PipeProcess.run(["eval", "hpctrans", "--dataset", "hpctrans-records", "--candidates", "answers.jsonl",
                                          "--repeats", "3", "--warmups", "1", "--log-format", "json"], in: scratch.root)
        XCTAssertEqual(second.status, 0, second.stderr)
        let json = try JSONParser.parse(second.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let reasons = (json["items"]?.arrayValue ?? []).compactMap { $0["reason"]?.stringValue?.split(separator: ":").first.map(String.init) }
        XCTAssertEqual(reasons.sorted(), ["no_candidate", "wrong_output"])
    }
}

import Foundation
import XCTest
import StageKit

/// End-to-end tests of `filter.select` and `pipe filter` on the filter demo (Pipelines/filter-demo.yaml).
final class FilterEndToEndTests: XCTestCase {
    /// Copies the filter demo pipeline and its data into a scratch project.
    private func demo(tasks: Int? = nil) throws -> Scratch {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data/filter"), to: scratch.url("Data/filter"))
        var pipeline = try String(contentsOf: source.appendingPathComponent("Pipelines/filter-demo.yaml"), encoding: .utf8)
        if let tasks { pipeline = pipeline.replacingOccurrences(of: "tasks: 4", with: "tasks: \(tasks)") }
        try scratch.write(pipeline, to: "Pipelines/filter-demo.yaml")
        return scratch
    }

    /// The demo records ranked as the stage ranks them: score descending, then id.
    private func rankedIDs(_ scratch: Scratch) throws -> [String] {
        let text = try String(contentsOf: scratch.url("Data/filter/records.jsonl"), encoding: .utf8)
        var records: [(id: String, score: Double)] = []
        for line in text.split(separator: "\n") {
            let value = try JSONParser.parse(String(line))
            records.append((try XCTUnwrap(value["id"]?.stringValue), try XCTUnwrap(value["score"]?.doubleValue)))
        }
        return records.sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }.map(\.id)
    }

    /// Every record of an export (uncompressed), by id.
    private func exportedRecords(_ scratch: Scratch, folder: String) throws -> [String: JSONValue] {
        var records: [String: JSONValue] = [:]
        for (path, data) in try scratch.files(under: folder + "/data") where path.hasSuffix(".jsonl") {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let value = try JSONParser.parse(String(line))
                records[try XCTUnwrap(value["id"]?.stringValue)] = value
            }
        }
        return records
    }

    func testDemoChoosesTheTopPoolForASmallBudgetAndTwoPoolsForALargeOne() throws {
        let scratch = try demo()
        let build = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let ranked = try rankedIDs(scratch)
        XCTAssertEqual(ranked.count, 200)

        for (dataset, pools, epochs) in [("filter-demo-small", ["top10"], 2.5), ("filter-demo-large", ["top10", "top10-20"], 5.0)] {
            let folder = "out/\(dataset)"
            let export = try PipeProcess.run(["export", dataset, "--compression", "none", "--out", folder], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
            let records = try exportedRecords(scratch, folder: folder)
            let expected = Array(ranked.prefix(20 * pools.count))
            XCTAssertEqual(Set(records.keys), Set(expected), dataset)
            for (rank, id) in expected.enumerated() {
                let record = try XCTUnwrap(records[id], "\(dataset): \(id)")
                XCTAssertEqual(record["pool"]?.stringValue, pools[rank / 20], "\(dataset): \(id)")
                XCTAssertEqual(record["planned_epochs"]?.doubleValue, epochs, "\(dataset): \(id)")
                // Everything else is the upstream record, unchanged.
                XCTAssertNotNil(record["text"])
                XCTAssertEqual(record.objectValue?.count, 8)
            }
            // The plan and its plot travel with the dataset and are listed in the manifest.
            let plan = try JSONParser.parse([UInt8](try Data(contentsOf: scratch.url(folder + "/artifacts/plan.json"))))
            XCTAssertEqual(plan["budgets"]?.arrayValue?.first?["best_k"]?.integerValue, Int64(pools.count), dataset)
            XCTAssertEqual(plan["pools"]?.arrayValue?.compactMap { $0["size"]?.integerValue }, [20, 20, 20, 20])
            let svg = try String(contentsOf: scratch.url(folder + "/artifacts/plan.svg"), encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg"))
            let selection = try JSONParser.parse([UInt8](try Data(contentsOf: scratch.url(folder + "/artifacts/selection.json"))))
            XCTAssertEqual(selection["records"]?["total"]?.integerValue, 200)
            XCTAssertEqual(selection["records"]?["kept"]?.integerValue, Int64(20 * pools.count))
            XCTAssertEqual(selection["records"]?["not_chosen"]?.integerValue, Int64(200 - 20 * pools.count))
            XCTAssertEqual(selection["records"]?["outside_pools"]?.integerValue, 120)
            let manifest = try String(contentsOf: scratch.url(folder + "/manifest.json"), encoding: .utf8)
            XCTAssertTrue(manifest.contains("artifacts/plan.json") && manifest.contains("artifacts/plan.svg"), manifest)
            let croissant = try String(contentsOf: scratch.url(folder + "/croissant.json"), encoding: .utf8)
            XCTAssertTrue(croissant.contains("planned_epochs"), "the derived schema's fields reach Croissant")
        }
        // Four records tie at 0.9 across the first boundary: the two smallest ids take the better pool.
        let large = try exportedRecords(scratch, folder: "out/filter-demo-large")
        XCTAssertEqual(["filter-003", "filter-066", "filter-077", "filter-140"].map { large[$0]?["pool"]?.stringValue },
                       ["top10", "top10", "top10-20", "top10-20"])
    }

    func testFittedModelStageWritesItsFitAndChoosesTwoPools() throws {
        let scratch = try demo()
        let build = try PipeProcess.run(["build", "filter-demo-fitted"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let runs = try scratch.files(under: "pipe-work/runs/filter-demo-fitted")
        let fitPath = try XCTUnwrap(runs.keys.first { $0.hasSuffix("/artifacts/fit.json") })
        let fit = try JSONParser.parse([UInt8](try XCTUnwrap(runs[fitPath])))
        XCTAssertEqual(fit["a"]?.doubleValue, 16000)
        XCTAssertEqual(fit["pools"]?.arrayValue?.count, 4)
        let selectionPath = try XCTUnwrap(runs.keys.first { $0.hasSuffix("/artifacts/selection.json") })
        let selection = try JSONParser.parse([UInt8](try XCTUnwrap(runs[selectionPath])))
        XCTAssertEqual(selection["model"]?.stringValue, "fit")
        XCTAssertEqual(selection["chosen"]?["pools"], ["top10", "top10-20"])
    }

    func testOutputDoesNotDependOnTheTaskCount() throws {
        var exports: [[String: Data]] = []
        for tasks in [1, 4] {
            let scratch = try demo(tasks: tasks)
            let build = try PipeProcess.run(["build", "filter-demo-large", "--quiet"], in: scratch.root)
            XCTAssertEqual(build.status, 0, build.stderr)
            let export = try PipeProcess.run(["export", "filter-demo-large", "--out", "out/large"], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
            exports.append(try scratch.files(under: "out"))
        }
        XCTAssertEqual(Set(exports[0].keys), Set(exports[1].keys))
        for (path, bytes) in exports[0] {
            XCTAssertEqual(exports[1][path], bytes, "\(path) differs between 1 and 4 tasks")
        }
    }

    func testRecordsWithoutAUsableQualityAreRejectedWithTheirReason() throws {
        let scratch = try Scratch()
        try scratch.write("""
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {"id": {"type": "string"}}, "required": ["id"]}
            """, to: "Data/loose.schema.json")
        var lines: [String] = []
        for index in 0..<40 { lines.append(#"{"id":"r\#(index)","q":\#(Double(index) / 40)}"#) }
        lines.append(#"{"id":"no-q"}"#)
        lines.append(#"{"id":"text-q","q":"high"}"#)
        lines.append(#"{"id":"taken","q":0.5,"pool":"mine"}"#)
        try scratch.write(lines.joined(separator: "\n") + "\n", to: "Data/loose.jsonl")
        try scratch.write("""
            a: 0.025
            d: 0.1
            pool_size: 4
            pools:
              - {name: best, b: -0.16, tau: 6.7}
              - {name: next, b: -0.125, tau: 8.5}
            """, to: "Data/params.yaml")
        try scratch.write("""
            pipeline: loose
            stages:
              loose-import:
                kind: records.import
                inputs: ["../Data/loose.jsonl"]
                tasks: 2
                params: {schema: ../Data/loose.schema.json}
              loose-filter:
                kind: filter.select
                inputs: [{stage: loose-import, records: main}]
                tasks: 2
                params: {quality_field: q, pools: 2, pool_width: 0.1, budget_samples: 10, params: ../Data/params.yaml}
            """, to: "Pipelines/loose.yaml")
        let build = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("filter.quality_missing: 1"), build.stderr)
        XCTAssertTrue(build.stderr.contains("filter.quality_not_numeric: 1"), build.stderr)
        XCTAssertTrue(build.stderr.contains("filter.field_conflict: 1"), build.stderr)
        let strict = try PipeProcess.run(["build", "loose-filter", "--force", "--strict"], in: scratch.root)
        XCTAssertEqual(strict.status, 1, "missing qualities are error rejects")
    }

    func testTooFewRecordsForThePoolsFailsWithAReason() throws {
        let scratch = try demo()
        let pipeline = try String(contentsOf: scratch.url("Pipelines/filter-demo.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "pools: 4, pool_width: 0.1, budget_samples: 50", with: "pools: 4, pool_width: 0.001, budget_samples: 50")
        try scratch.write(pipeline, to: "Pipelines/filter-demo.yaml")
        let build = try PipeProcess.run(["build", "filter-demo-small"], in: scratch.root)
        XCTAssertEqual(build.status, 1)
        XCTAssertTrue(build.stderr.contains("filter.too_few_records"), build.stderr)
    }

    func testBadParametersFileIsLocated() throws {
        let scratch = try demo()
        try scratch.write("a: 0.025\nd: 0.1\npool_size: 20\npools:\n  - {name: top10, b: 0.16, tau: 6.7}\n",
                          to: "Data/filter/params.yaml")
        let build = try PipeProcess.run(["build", "filter-demo-small"], in: scratch.root)
        XCTAssertEqual(build.status, 1)
        XCTAssertTrue(build.stderr.contains("Data/filter/params.yaml:5:"), build.stderr)
        let plan = try PipeProcess.run(["filter", "plan", "--params", "Data/filter/params.yaml", "--budgets", "50"], in: scratch.root)
        XCTAssertEqual(plan.status, 1)
        XCTAssertTrue(plan.stderr.contains("Data/filter/params.yaml:5:"), plan.stderr)
    }

    func testPlanCommandOnThePublishedParameters() throws {
        let scratch = try Scratch()
        try scratch.write("""
            objective: effective_utility     # or effective_data
            a: 0.025
            d: 0.1
            pool_size: 12800000              # samples per pool; a pool may give its own `size`
            pools:
              - {name: top10, b: -0.16, tau: 6.7272727272727275}
              - {name: top10-20, b: -0.125, tau: 8.545454545454547}
              - {name: top20-30, b: -0.1, tau: 5.2727272727272725}
              - {name: top30-40, b: -0.085, tau: 2.2727272727272725}
            """, to: "P.yaml")
        let json = try PipeProcess.run(["filter", "plan", "--params", "P.yaml", "--budgets", "32M,64M,128M,640M",
                                        "--format", "json", "--out", "plan"], in: scratch.root)
        XCTAssertEqual(json.status, 0, json.stderr)
        let plan = try JSONParser.parse(json.stdout)
        XCTAssertEqual(plan["budgets"]?.arrayValue?.compactMap { $0["best_k"]?.integerValue }, [1, 1, 2, 2])
        XCTAssertEqual(plan["budgets"]?.arrayValue?.first?["candidates"]?.arrayValue?.first?["epochs"], 2.5)
        let errors = plan["budgets"]?.arrayValue?[2]["candidates"]?.arrayValue?.compactMap { $0["predicted_error"]?.doubleValue }
        // The reference's figures for 128M (reproduction table).
        for (actual, expected) in zip(errors ?? [], [0.7127099872429348, 0.7040003405525714, 0.7323403787915516, 0.7587190166530328]) {
            XCTAssertLessThanOrEqual(abs(actual - expected) / expected, 1e-9)
        }
        XCTAssertEqual(try String(contentsOf: scratch.url("plan/plan.json"), encoding: .utf8), json.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.url("plan/plan.svg").path))
        let table = try PipeProcess.run(["filter", "plan", "--params", "P.yaml", "--budgets", "32M,128M"], in: scratch.root)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("chosen: top-1 (top10), 2.500 epochs over 12800000 samples"), table.stdout)
        XCTAssertTrue(table.stdout.contains("chosen: top-2 (top10, top10-20), 5.000 epochs over 25600000 samples"), table.stdout)
        let badBudget = try PipeProcess.run(["filter", "plan", "--params", "P.yaml", "--budgets", "32Q"], in: scratch.root)
        XCTAssertEqual(badBudget.status, 1)
        XCTAssertTrue(badBudget.stderr.contains("'32Q' is not a sample count"), badBudget.stderr)
        let missing = try PipeProcess.run(["filter", "plan", "--budgets", "32M"], in: scratch.root)
        XCTAssertEqual(missing.status, 64)
    }

    func testFitCommandWritesParametersThatPlanReads() throws {
        let scratch = try demo()
        let fit = try PipeProcess.run(["filter", "fit", "--observations", "Data/filter/observations.jsonl",
                                       "--a-candidates", "12000,16000,20000", "--format", "json", "--out", "fitted.json"],
                                      in: scratch.root)
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let report = try JSONParser.parse(fit.stdout)
        XCTAssertEqual(report["a"]?.doubleValue, 16000)
        for pool in report["pools"]?.arrayValue ?? [] {
            XCTAssertLessThanOrEqual(try XCTUnwrap(pool["sse"]?.doubleValue), try XCTUnwrap(pool["grid"]?["sse"]?.doubleValue))
        }
        let plan = try PipeProcess.run(["filter", "plan", "--params", "fitted.json", "--budgets", "50,200", "--format", "json"],
                                       in: scratch.root)
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertEqual(try JSONParser.parse(plan.stdout)["budgets"]?.arrayValue?.compactMap { $0["best_k"]?.integerValue }, [1, 2])
        let table = try PipeProcess.run(["filter", "fit", "--observations", "Data/filter/observations.jsonl", "--a", "16000"],
                                        in: scratch.root)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("tau range (1%)"), table.stdout)
    }
}

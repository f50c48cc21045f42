import Foundation
import XCTest

/// The mined seed corpus, scored by the built-in code quality score and filtered for two budgets.
final class CorpusFilterEndToEndTests: XCTestCase {
    private func plan(_ scratch: Scratch, stage: String) throws -> [String: Any] {
        let runs = scratch.url("pipe-work/runs/\(stage)")
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let data = try Data(contentsOf: runs.appendingPathComponent("\(run)/artifacts/plan.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testMinedFilesAreFilteredForTwoBudgets() throws {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data"), to: scratch.url("Data"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("Pipelines"), to: scratch.url("Pipelines"))
        for (stage, budget, pools, records) in [("corpus-filter-small", 12, ["top10"], 5),
                                                ("corpus-filter-large", 50, ["top10", "top10-20"], 10)] {
            let build = try PipeProcess.run(["build", stage], in: scratch.root)
            XCTAssertEqual(build.status, 0, build.stderr)
            XCTAssertTrue(build.stderr.contains("\(stage): built"), build.stderr)
            XCTAssertTrue(build.stderr.contains(", \(records) records"), build.stderr)
            let plan = try plan(scratch, stage: stage)
            let budgets = try XCTUnwrap(plan["budgets"] as? [[String: Any]])
            XCTAssertEqual(budgets.count, 1)
            XCTAssertEqual(budgets[0]["samples"] as? Int, budget)
            let best = try XCTUnwrap(budgets[0]["best_k"] as? Int)
            let candidates = try XCTUnwrap(budgets[0]["candidates"] as? [[String: Any]])
            let chosen = candidates.first { $0["k"] as? Int == best }
            XCTAssertEqual(chosen?["pools"] as? [String], pools, stage)
        }
    }
}

import Foundation
import XCTest
@testable import Engine
import StageKitTestSupport

final class CatalogTests: XCTestCase {
    /// Runs finished within the same second (timestamps have one-second resolution) are still told apart:
    /// the latest run is the one completed last, whatever its run id. A downstream stage's run key depends on it.
    func testLatestCompleteRunIsTheLastCompletedEvenWithinOneSecond() throws {
        let directory = NSTemporaryDirectory() + "CatalogTests-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = try Catalog(workspace: Workspace(root: directory))
        func run(_ id: String) -> RunRow {
            RunRow(runID: id, stage: "import", kind: "records.import", pipeline: "demo", runKey: id, taskCount: 1,
                   params: "{}", inputs: "[]", pipeVersion: "test")
        }
        XCTAssertNil(try catalog.latestCompleteRun(stage: "import"))
        // Ids in both orders, so neither the id nor the insertion order can stand in for completion order.
        for id in ["b-run", "a-run", "c-run", "0-run"] {
            try catalog.beginRun(run(id))
            try catalog.completeRun(runID: id, records: 1, rejects: [], files: [])
            XCTAssertEqual(try catalog.latestCompleteRun(stage: "import")?.runID, id)
        }
        // A run begun earlier but completed later is the latest.
        try catalog.beginRun(run("early"))
        try catalog.beginRun(run("late"))
        try catalog.completeRun(runID: "late", records: 1, rejects: [], files: [])
        try catalog.completeRun(runID: "early", records: 1, rejects: [], files: [])
        XCTAssertEqual(try catalog.latestCompleteRun(stage: "import")?.runID, "early")
        XCTAssertNil(try catalog.latestCompleteRun(stage: "other"))
    }
}

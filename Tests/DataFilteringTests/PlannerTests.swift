import Foundation
import XCTest
import StageKit
import StageKitTestSupport

@testable import DataFiltering

/// Selection per budget reproduces the reference's best-pool and reproduction tables; plans, tables and
/// plots are stable.
final class PlannerTests: XCTestCase {
    static func model(objective: String, a: Double, b: [Double], tau: [Double], d: Double, size: Int64,
                      names: [String]? = nil) throws -> FilterParameters {
        let objective = try XCTUnwrap(Objective(rawValue: objective))
        let pools = b.indices.map { PoolParameters(name: names?[$0] ?? "pool\($0)", b: b[$0], tau: tau[$0], size: size) }
        return try FilterParameters(objective: objective, a: a, d: d, pools: pools)
    }

    func testBestPoolVectorsIncludingUnsortedPools() throws {
        XCTAssertEqual(ReferenceVectors.bestPool.count, 12)
        for v in ReferenceVectors.bestPool {
            let model = try Self.model(objective: v.objective, a: v.a, b: v.b, tau: v.tau, d: v.d, size: v.poolSize)
            let plan = try Planner.plan(model, samples: v.budget)
            XCTAssertEqual(plan.candidates.count, v.expectedErrors.count, v.id)
            for (candidate, expected) in zip(plan.candidates, v.expectedErrors) {
                assertReference(candidate.predictedError, expected, "\(v.id) k=\(candidate.k)")
            }
            XCTAssertEqual(plan.bestK, v.expectedBestK, v.id)
        }
    }

    func testReproductionTableWithPublishedParameters() throws {
        XCTAssertEqual(ReferenceVectors.reproduction.count, 8)
        for v in ReferenceVectors.reproduction {
            let published = try XCTUnwrap(ReferenceVectors.published.first { $0.id == v.paramsID })
            // The reference CLI drops the fifth (random 25%) pool.
            let model = try Self.model(objective: v.objective, a: published.a, b: Array(published.b.prefix(4)),
                                       tau: Array(published.tau.prefix(4)), d: v.d, size: v.poolSize,
                                       names: Array(published.pools.prefix(4)))
            let plan = try Planner.plan(model, samples: v.budget)
            for (index, candidate) in plan.candidates.enumerated() {
                assertReference(candidate.predictedError, v.expectedErrors[index], "\(v.paramsID) \(v.budget) k=\(index + 1)")
                assertReference(100 * candidate.accuracy, v.accuracyPercent[index], "\(v.paramsID) \(v.budget) accuracy")
            }
            XCTAssertEqual(plan.bestK, v.expectedBestK, "\(v.paramsID) \(v.budget)")
        }
    }

    /// The budget table of the reference: top10 wins at 32M and 64M, top20 at 128M and 640M (utility).
    func testFrontierOverTheReferenceBudgets() throws {
        let published = try XCTUnwrap(ReferenceVectors.published.first { $0.id == "tmars_imagenet1k_utility" })
        let model = try Self.model(objective: "effective_utility", a: published.a, b: Array(published.b.prefix(4)),
                                   tau: Array(published.tau.prefix(4)), d: 0.1, size: 12_800_000,
                                   names: ["top10", "top10-20", "top20-30", "top30-40"])
        let plan = try Planner.plan(model, budgets: try SampleCount.parseList("32M,64M,128M,640M"))
        XCTAssertEqual(plan.budgets.map(\.bestK), [1, 1, 2, 2])
        XCTAssertEqual(plan.frontier, [
            FrontierSegment(k: 1, pools: ["top10"], fromSamples: 32_000_000, toSamples: 64_000_000),
            FrontierSegment(k: 2, pools: ["top10", "top10-20"], fromSamples: 128_000_000, toSamples: 640_000_000),
        ])
        XCTAssertEqual(plan.budgets[0].candidates[0].epochs, 2.5)
    }

    func testPlanJSONHasExactlyTheIssueShapeWithSortedKeys() throws {
        let model = try FilterParameters(objective: .effectiveUtility, a: 0.025, d: 0.1, pools: [
            PoolParameters(name: "top10", b: -0.16, tau: 6.727272727272727, size: 12_800_000),
            PoolParameters(name: "top10-20", b: -0.125, tau: 8.545454545454545, size: 12_800_000),
        ])
        let plan = try Planner.plan(model, budgets: [32_000_000])
        let text = JSONWriter.compactString(plan.json)
        XCTAssertTrue(text.hasPrefix(#"{"a":0.025,"budgets":[{"best_k":1,"candidates":[{"epochs":2.5,"k":1,"pools":["top10"],"predicted_error":"#),
                      text)
        XCTAssertTrue(text.hasSuffix(#""d":0.1,"objective":"effective_utility","pools":[{"b":-0.16,"name":"top10","size":12800000,"tau":6.727272727272727},{"b":-0.125,"name":"top10-20","size":12800000,"tau":8.545454545454545}]}"#),
                      text)
        let schema = try XCTUnwrap(StageTesting.schemas([FilterSelectStage.self]).schema(named: "filter-plan"))
        XCTAssertEqual(schema.validate(plan.json), [])
    }

    /// Pools of unequal size weigh by their share; equal sizes give the reference's numbers exactly.
    func testUnequalPoolSizes() throws {
        let equal = try Self.model(objective: "effective_utility", a: 0.022, b: [-0.15, -0.13], tau: [2, 3], d: 0.1, size: 100)
        var unequal = equal
        unequal.pools[1].size = 101
        let union = Planner.predictedError(equal, union: equal.pools, samples: 1000)
        let nearlyEqual = Planner.predictedError(unequal, union: unequal.pools, samples: 1000)
        XCTAssertEqual(union, ScalingLaw.mixtureUtility(a: 0.022, b: [-0.15, -0.13], tauHat: [4, 6], d: 0.1,
                                                        samplesPerEpoch: 200, samplesSeen: 1000))
        XCTAssertLessThan(abs(union - nearlyEqual), 0.01)
        XCTAssertNotEqual(union, nearlyEqual)
        let plan = try Planner.plan(unequal, samples: 1000)
        XCTAssertEqual(plan.candidates[1].size, 201)
        XCTAssertEqual(plan.candidates[1].epochs, 1000.0 / 201.0)
    }

    func testSampleCounts() throws {
        XCTAssertEqual(try SampleCount.parseList("32M,64M,128M,640M"), [32_000_000, 64_000_000, 128_000_000, 640_000_000])
        XCTAssertEqual(try SampleCount.parse("1.5B"), 1_500_000_000)
        XCTAssertEqual(try SampleCount.parse("1.5g"), 1_500_000_000)
        XCTAssertEqual(try SampleCount.parse("12_800_000"), 12_800_000)
        XCTAssertEqual(try SampleCount.parse("2.25k"), 2250)
        XCTAssertEqual(try SampleCount.parse("640000000"), 640_000_000)
        for bad in ["", "M", "1.5", "-3M", "1.0000001K", "3X", "1e6", "99999999999T"] {
            XCTAssertThrowsError(try SampleCount.parse(bad), bad)
        }
        XCTAssertThrowsError(try SampleCount.parseList("32M,,64M"))
        XCTAssertEqual(SampleCount.format(32_000_000), "32M")
        XCTAssertEqual(SampleCount.format(1_500_000_000), "1.5B")
        XCTAssertEqual(SampleCount.format(12_800_000), "12.8M")
        XCTAssertEqual(SampleCount.format(12_345), "12.345K")
        XCTAssertEqual(SampleCount.format(1_234_567), "1234567")
        XCTAssertEqual(SampleCount.format(0), "0")
    }

    func testTableAndPlotAreDeterministicAndComplete() throws {
        let published = try XCTUnwrap(ReferenceVectors.published.first { $0.id == "tmars_imagenet1k_utility" })
        let model = try Self.model(objective: "effective_utility", a: published.a, b: Array(published.b.prefix(4)),
                                   tau: Array(published.tau.prefix(4)), d: 0.1, size: 12_800_000,
                                   names: ["top10", "top10-20", "top20-30", "top30-40"])
        let plan = try Planner.plan(model, budgets: [32_000_000, 64_000_000, 128_000_000, 640_000_000])
        let table = Reports.planTable(plan)
        XCTAssertTrue(table.contains("budget 128M (128000000 samples)"), table)
        XCTAssertTrue(table.contains("chosen: top-2 (top10, top10-20), 5.000 epochs over 25600000 samples"), table)
        XCTAssertTrue(table.contains("0.704000"), table)
        XCTAssertTrue(table.contains("128M to 640M: top-2 (top10, top10-20)"), table)
        let svg = PlanPlot.svg(plan)
        XCTAssertEqual(svg, PlanPlot.svg(plan))
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        // Four candidate curves plus the frontier, and a ring per planned budget.
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 5)
        XCTAssertEqual(svg.components(separatedBy: "r=\"7\" fill=\"none\"").count - 1, 4 + 1)
        XCTAssertTrue(svg.contains("top-2: + top10-20"))
        // Names from a user's file are escaped.
        var hostile = model
        hostile.pools[0].name = "<script>&"
        XCTAssertTrue(PlanPlot.svg(try Planner.plan(hostile, budgets: [1_000])).contains("&lt;script&gt;&amp;"))
    }
}

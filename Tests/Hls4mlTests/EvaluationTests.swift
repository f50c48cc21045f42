import Foundation
import Hls4ml
import StageKit
import XCTest

/// `pipe eval hls4ml`'s scoring against numbers worked out by hand.
final class EvaluationTests: XCTestCase {
    private func record(_ id: String, name: String = "/raw_reports/dense_8_8", layer: String = "Dense",
                        resource: [String: String], latency: [String: String] = ["cycles_max": "10", "interval_max": "5"]) -> JSONValue {
        .object([
            "id": .string(id), "meta_data": .object(["model_name": .string(name)]),
            "model_config": .array([.object(["class_name": .string(layer)])]),
            "resource_report": .object(resource.mapValues { .string($0) }), "latency_report": .object(latency.mapValues { .string($0) }),
        ])
    }

    private func evaluation() -> Hls4mlEvaluation {
        var evaluation = Hls4mlEvaluation()
        evaluation.addDatasetRecord(record("r1", resource: ["bram": "1", "dsp": "10", "ff": "100", "lut": "200"]))
        evaluation.addDatasetRecord(record("r2", resource: ["bram": "3", "dsp": "10", "ff": "300", "lut": "400"],
                                           latency: ["cycles_max": "20", "interval_max": "5"]))
        evaluation.addDatasetRecord(record("r3", layer: "Conv1D", resource: ["bram": "2", "dsp": "1", "ff": "1", "lut": "1"]))
        evaluation.addDatasetRecord(record("r4", resource: [:], latency: [:]))
        evaluation.addDatasetRecord(record("r5", name: "Jet_8b_64rf_L", resource: ["bram": "0", "dsp": "4", "ff": "9", "lut": "9"]))
        evaluation.addPrediction(["id": "r1", "BRAM": 2, "DSP": 10, "FF": 100, "LUT": 200, "cycles_max": 10, "interval_max": 5], place: "line 1")
        evaluation.addPrediction(["id": "r2", "BRAM": 3, "DSP": 12, "FF": 300, "cycles_max": 20, "interval_max": "5"], place: "line 2")
        evaluation.addPrediction(["id": "r2", "BRAM": 100], place: "line 3")
        evaluation.addPrediction(["id": "nope", "BRAM": 1], place: "line 4")
        evaluation.addPrediction(["BRAM": 1], place: "line 5")
        evaluation.addPrediction(["id": "r4", "BRAM": 1], place: "line 6")
        return evaluation
    }

    func testScoresByHand() throws {
        let report = evaluation().report()
        let bram = try XCTUnwrap(report.scores["dense"]?["BRAM"])
        // y = [1, 3], ŷ = [2, 3]: residual 1, total (1 − 2)² + (3 − 2)² = 2.
        XCTAssertEqual(bram.n, 2)
        XCTAssertEqual(try XCTUnwrap(bram.r2), 0.5, accuracy: 1e-12)
        // (200 / 2) · (1 / (1 + 2 + 1) + 0) = 25.
        XCTAssertEqual(try XCTUnwrap(bram.smape), 25, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(bram.rmse), 0.5.squareRoot(), accuracy: 1e-12)
        // RPE: (1 − 2) / 2 · 100 = −50 and 0; linear percentiles between them.
        XCTAssertEqual(bram.rpePercentiles, [-47.5, -37.5, -25, -12.5, -2.5])
        let dsp = try XCTUnwrap(report.scores["dense"]?["DSP"])
        XCTAssertNil(dsp.r2, "truth 10 and 10 has no variance: N/A")
        XCTAssertEqual(try XCTUnwrap(dsp.smape), 100 * 2.0 / 23, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(dsp.rmse), 2.0.squareRoot(), accuracy: 1e-12)
        // r2 has no LUT prediction: one pair only; a string "5" is read as a number.
        XCTAssertEqual(report.scores["dense"]?["LUT"]?.n, 1)
        XCTAssertEqual(report.scores["dense"]?["interval_max"]?.n, 2)
        XCTAssertEqual(report.scores["overall"]?["BRAM"]?.n, 2)
        XCTAssertNil(report.scores["conv1d"], "no conv1d record was predicted")
        XCTAssertTrue(report.table.contains("N/A"))
    }

    func testCoverageAndEveryProblemIsListed() {
        let report = evaluation().report()
        XCTAssertEqual(report.scorable, 4)
        XCTAssertEqual(report.excluded, 1)
        XCTAssertEqual(report.predicted, 2)
        XCTAssertEqual(report.coverage, 0.5)
        XCTAssertEqual(report.missing.first, ["r3", "r5"])
        XCTAssertEqual(report.unknown.first, ["nope"])
        XCTAssertEqual(report.duplicates.first, ["r2"])
        XCTAssertEqual(report.unreadable.first, ["line 5: no id"])
        XCTAssertEqual(report.missingTargets["LUT"]?.first, ["r2"])
        XCTAssertEqual(report.excludedPredictions.first, ["r4"], "a known record without a synthesis report is not an unknown id")
    }

    func testExemplarRecordsAreScoredPerArchitecture() throws {
        var evaluation = evaluation()
        evaluation.addPrediction(["id": "r5", "BRAM": 1, "DSP": 4, "FF": 9, "LUT": 9, "cycles_max": 10, "interval_max": 5], place: "line 6")
        let report = evaluation.report()
        let jet = try XCTUnwrap(report.scores["exemplar/Jet"]?["BRAM"])
        // y = 0, ŷ = 1: SMAPE 200 · 1 / 2 = 100; RPE (0 − 1) / 1 · 100 = −100.
        XCTAssertEqual(jet.smape, 100)
        XCTAssertEqual(jet.rpePercentiles, [-100, -100, -100, -100, -100])
        XCTAssertEqual(report.scores["exemplar"]?["BRAM"]?.n, 1)
        XCTAssertEqual(report.scores["overall"]?["BRAM"]?.n, 3)
        XCTAssertEqual(Hls4mlEvaluation.group(of: record("x", name: "Bipc_2b_1024rf_R", resource: [:])), "exemplar/Bipc")
        XCTAssertEqual(Hls4mlEvaluation.group(of: record("x", layer: "QConv2D", resource: [:])), "conv2d")
    }

    func testBoxPlotIsDeterministicSVG() {
        let errors = evaluation().relativeErrors()
        let one = BoxPlot.svg(title: "dense", errors: errors["dense"] ?? [:])
        XCTAssertEqual(one, BoxPlot.svg(title: "dense", errors: errors["dense"] ?? [:]))
        XCTAssertTrue(one.hasPrefix("<svg"))
        XCTAssertTrue(one.contains(">BRAM<"))
        XCTAssertTrue(one.contains("n=2"))
    }
}

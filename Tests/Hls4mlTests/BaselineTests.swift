import Foundation
@testable import Hls4ml
import StageKit
import XCTest

/// The ridge baseline behind `pipe train hls4ml-baseline`.
final class BaselineTests: XCTestCase {
    func testRidgeWithoutPenaltyRecoversALinearModel() {
        // y = 2 + 3 a − b on five points: exact, so λ = 0 gives the coefficients back.
        let x: [[Double]] = [[0, 0], [1, 0], [0, 1], [2, 1], [1, 3]]
        let y = x.map { 2 + 3 * $0[0] - $0[1] }
        let w = RidgeBaseline.solve(x, y, lambda: 0, width: 2)
        XCTAssertEqual(w[0], 2, accuracy: 1e-9)
        XCTAssertEqual(w[1], 3, accuracy: 1e-9)
        XCTAssertEqual(w[2], -1, accuracy: 1e-9)
        // A penalty shrinks the weights towards zero.
        let shrunk = RidgeBaseline.solve(x, y, lambda: 10, width: 2)
        XCTAssertLessThan(abs(shrunk[1]), 3)
    }

    func testFitAndPredictOnRecords() throws {
        // LUT grows as a power of the multiplications per reuse: log(1 + LUT) is linear in the log features.
        func record(_ multiplications: Double, reuse: Double) -> JSONValue {
            let lut = 4 * multiplications / reuse
            return .object([
                "features": .object(["layers": 3, "dense_layers": 2, "multiplications": .number(multiplications),
                                     "mean_reuse_factor": .number(reuse), "reuse_factor": .number(reuse), "weight_bits": 8]),
                "resource_report": .object(["bram": "0", "dsp": "1", "ff": .string(String(lut * 2)), "lut": .string(String(lut))]),
                "latency_report": .object(["cycles_max": "10", "interval_max": .string(String(reuse))]),
            ])
        }
        var records: [JSONValue] = []
        for multiplications in [1000.0, 4000, 16000, 64000] {
            for reuse in [1.0, 4, 16] { records.append(record(multiplications, reuse: reuse)) }
        }
        var model = RidgeBaseline(lambda: 1e-6)
        try model.fit(features: records.map(RidgeBaseline.features), truths: records.compactMap(Hls4mlEvaluation.truth))
        let prediction = model.predict(RidgeBaseline.features(of: record(8000, reuse: 2)))
        XCTAssertEqual(prediction.count, 6)
        XCTAssertTrue(prediction.allSatisfy { $0.isFinite && $0 >= 0 })
        // 4 · 8000 / 2 = 16000 LUTs; interpolated in log space within a few percent.
        XCTAssertEqual(prediction[3], 16000, accuracy: 16000 * 0.05)
        var empty = RidgeBaseline(lambda: 1)
        XCTAssertThrowsError(try empty.fit(features: [], truths: []))
    }
}

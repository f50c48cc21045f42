import Foundation
import XCTest
import StageKit
import StageKitTestSupport

@testable import DataFiltering

/// Checks `actual` against a reference figure: 1e-9 relative, and an expected 0 must be exactly 0.
func assertReference(_ actual: Double, _ expected: Double, _ what: @autoclosure () -> String,
                     file: StaticString = #filePath, line: UInt = #line) {
    if expected == 0 {
        XCTAssertEqual(actual, 0, what(), file: file, line: line)
    } else {
        let relative = abs(actual - expected) / abs(expected)
        XCTAssertLessThanOrEqual(relative, 1e-9, "\(what()): \(actual) vs \(expected)", file: file, line: line)
    }
}

/// The laws reproduce every reference figure (single pool, mixtures, fitted curves).
final class ScalingLawTests: XCTestCase {
    func testSinglePoolVectors() {
        XCTAssertEqual(ReferenceVectors.singlePool.count, 13)
        for v in ReferenceVectors.singlePool {
            assertReference(ScalingLaw.effectiveUtility(a: v.a, b: v.b, tau: v.tau, d: v.d, samplesPerEpoch: v.samplesPerEpoch,
                                                        samplesSeen: v.samplesSeen), v.effectiveUtility, "\(v.id) utility")
            assertReference(ScalingLaw.effectiveData(a: v.a, b: v.b, tau: v.tau, d: v.d, samplesPerEpoch: v.samplesPerEpoch,
                                                     samplesSeen: v.samplesSeen), v.effectiveData, "\(v.id) data")
            assertReference(ScalingLaw.effectiveSamples(a: v.a, tau: v.tau, samplesPerEpoch: v.samplesPerEpoch,
                                                        samplesSeen: v.samplesSeen), v.effectiveSamples, "\(v.id) samples")
        }
    }

    func testMixtureVectors() {
        XCTAssertEqual(ReferenceVectors.mixture.count, 8)
        for v in ReferenceVectors.mixture {
            assertReference(ScalingLaw.mixtureUtility(a: v.a, b: v.b, tauHat: v.tauHat, d: v.d, samplesPerEpoch: v.samplesPerEpoch,
                                                      samplesSeen: v.samplesSeen), v.utility, "\(v.id) utility")
            assertReference(ScalingLaw.mixtureData(a: v.a, b: v.b, tauHat: v.tauHat, d: v.d, samplesPerEpoch: v.samplesPerEpoch,
                                                   samplesSeen: v.samplesSeen), v.data, "\(v.id) data")
        }
    }

    func testFittedCurvesWithPublishedParameters() throws {
        XCTAssertEqual(ReferenceVectors.fittedCurves.count, 10)
        for v in ReferenceVectors.fittedCurves {
            let parameters = try XCTUnwrap(ReferenceVectors.published.first { $0.id == v.paramsID })
            let index = try XCTUnwrap(parameters.pools.firstIndex(of: v.pool))
            for (seen, expected) in zip(v.samplesSeen, v.expectedError) {
                let actual = v.objective == "effective_utility"
                    ? ScalingLaw.effectiveUtility(a: parameters.a, b: parameters.b[index], tau: parameters.tau[index],
                                                  d: parameters.d, samplesPerEpoch: v.samplesPerEpoch, samplesSeen: seen)
                    : ScalingLaw.effectiveData(a: parameters.a, b: parameters.b[index], tau: parameters.tau[index],
                                               d: parameters.d, samplesPerEpoch: v.samplesPerEpoch, samplesSeen: seen)
                assertReference(actual, expected, "\(v.paramsID) \(v.pool) at \(seen)")
            }
        }
    }

    /// The reference order of operations gives the exact figures for the utility law, not just close ones:
    /// that is what lets a grid search reach a squared error of exactly 0.
    func testUtilityLawIsBitIdenticalToTheReference() {
        for v in ReferenceVectors.singlePool {
            XCTAssertEqual(ScalingLaw.effectiveUtility(a: v.a, b: v.b, tau: v.tau, d: v.d, samplesPerEpoch: v.samplesPerEpoch,
                                                       samplesSeen: v.samplesSeen), v.effectiveUtility, v.id)
        }
    }

    func testEdgeCasesOfTheImplementedForm() {
        // N = 0 gives exactly d for every law; N < S evaluates pass 0 only; an exact multiple adds an empty pass.
        for law in [ScalingLaw.effectiveUtility, ScalingLaw.effectiveData] {
            XCTAssertEqual(law(0.022, -0.13, 3, 0.1, 12_800_000, 0), 0.1)
            XCTAssertEqual(law(0.022, -0.13, 3, 0.1, 12_800_000, 6_400_000), pow(0.022 * 6_400_000 / 100_000, -0.13) + 0.1)
        }
        XCTAssertEqual(ScalingLaw.mixtureUtility(a: 0.022, b: [-0.15, -0.13], tauHat: [4, 6], d: 0.1, samplesPerEpoch: 25_600_000,
                                                 samplesSeen: 0), 0.1)
        XCTAssertEqual(ScalingLaw.mixtureData(a: 0.022, b: [-0.15, -0.13], tauHat: [4, 6], d: 0.1, samplesPerEpoch: 25_600_000,
                                              samplesSeen: 0), 0.1)
        // Invalid arguments give NaN rather than trapping.
        XCTAssertTrue(ScalingLaw.effectiveUtility(a: 0.022, b: -0.13, tau: 3, d: 0.1, samplesPerEpoch: 0, samplesSeen: 5).isNaN)
        XCTAssertTrue(ScalingLaw.effectiveData(a: 0.022, b: -0.13, tau: 0, d: 0.1, samplesPerEpoch: 10, samplesSeen: 5).isNaN)
        XCTAssertTrue(ScalingLaw.mixtureUtility(a: 0.022, b: [], tauHat: [], d: 0.1, samplesPerEpoch: 10, samplesSeen: 5).isNaN)
    }

    /// Skipped far passes change nothing a Double holds, and make huge epoch counts cheap.
    func testFarRepetitionsAreSkippedWithoutChangingTheResult() {
        let full = naiveUtility(a: 0.022, b: -0.13, tau: 3, d: 0.1, epoch: 1000, seen: 3_000_000)
        let fast = ScalingLaw.effectiveUtility(a: 0.022, b: -0.13, tau: 3, d: 0.1, samplesPerEpoch: 1000, samplesSeen: 3_000_000)
        XCTAssertLessThanOrEqual(abs(full - fast) / full, 4e-16)
        let fullData = naiveEffectiveSamples(a: 0.022, tau: 3, epoch: 1000, seen: 3_000_000)
        let fastData = ScalingLaw.effectiveSamples(a: 0.022, tau: 3, samplesPerEpoch: 1000, samplesSeen: 3_000_000)
        XCTAssertLessThanOrEqual(abs(fullData - fastData) / fullData, 4e-16)
        let fullMix = naiveMixtureData(a: 0.022, b: [-0.15, -0.13], tauHat: [4, 6], d: 0.1, epoch: 2000, seen: 5_000_000)
        let fastMix = ScalingLaw.mixtureData(a: 0.022, b: [-0.15, -0.13], tauHat: [4, 6], d: 0.1, samplesPerEpoch: 2000,
                                             samplesSeen: 5_000_000)
        XCTAssertLessThanOrEqual(abs(fullMix - fastMix) / fullMix, 4e-16)
        // 10^12 passes would never finish without the bound.
        let huge = ScalingLaw.mixtureUtility(a: 0.022, b: [-0.15, -0.13], tauHat: [4, 6], d: 0.1, samplesPerEpoch: 10,
                                             samplesSeen: 1 << 50)
        XCTAssertTrue(huge.isFinite)
    }

    /// Unequal shares reduce to the reference's mixture when the shares are equal.
    func testSharesGeneraliseTheEqualMixture() {
        for v in ReferenceVectors.mixture {
            let shares = [Double](repeating: 1 / Double(v.b.count), count: v.b.count)
            let utility = ScalingLaw.mixtureUtility(a: v.a, b: v.b, tauHat: v.tauHat, d: v.d, shares: shares,
                                                    samplesPerEpoch: v.samplesPerEpoch, samplesSeen: v.samplesSeen)
            let data = ScalingLaw.mixtureData(a: v.a, b: v.b, tauHat: v.tauHat, d: v.d, shares: shares,
                                              samplesPerEpoch: v.samplesPerEpoch, samplesSeen: v.samplesSeen)
            assertReference(utility, v.utility, "\(v.id) utility with shares")
            assertReference(data, v.data, "\(v.id) data with shares")
        }
    }

    /// When ../shared is beside the clone, the vectors there are checked too (they must equal those above).
    func testSharedVectorFileWhenPresent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/reference/data-filtering-test-vectors.json")
        guard let bytes = try? Data(contentsOf: url) else { throw XCTSkip("no ../shared/reference") }
        let document = try JSONParser.parse([UInt8](bytes))
        let single = try XCTUnwrap(document["single_pool"]?.arrayValue)
        XCTAssertEqual(single.count, ReferenceVectors.singlePool.count)
        for entry in single {
            let id = try XCTUnwrap(entry["id"]?.stringValue)
            let v = try XCTUnwrap(ReferenceVectors.singlePool.first { $0.id == id })
            XCTAssertEqual(entry["effective_utility"]?.doubleValue, v.effectiveUtility, id)
            XCTAssertEqual(entry["effective_data"]?.doubleValue, v.effectiveData, id)
        }
        for entry in try XCTUnwrap(document["best_pool"]?.arrayValue) {
            let id = try XCTUnwrap(entry["id"]?.stringValue)
            let v = try XCTUnwrap(ReferenceVectors.bestPool.first { $0.id == id })
            XCTAssertEqual(entry["expected_errors"]?.arrayValue?.compactMap(\.doubleValue), v.expectedErrors, id)
            XCTAssertEqual(entry["expected_best_k"]?.integerValue, Int64(v.expectedBestK), id)
        }
        XCTAssertEqual(document["grid_fit"]?.arrayValue?.count, ReferenceVectors.gridFit.count)
        XCTAssertEqual(document["reproduction"]?.arrayValue?.count, ReferenceVectors.reproduction.count)
    }

    // Straightforward versions of the laws, every pass evaluated, to check the skipping against.
    private func naiveUtility(a: Double, b: Double, tau: Double, d: Double, epoch: Int64, seen: Int64) -> Double {
        let last = seen / epoch
        var product = 1.0
        for e in stride(from: Int64(1), through: last, by: 1) {
            let high = a * Double(min(epoch * (e + 1), seen)) / 100_000
            let low = a * Double(epoch) * Double(e) / 100_000
            product *= pow(high / low, b * pow(0.5, Double(e) / tau))
        }
        return (pow(a * Double(min(epoch, seen)) / 100_000, b) + d) * product
    }

    private func naiveEffectiveSamples(a: Double, tau: Double, epoch: Int64, seen: Int64) -> Double {
        var total = 0.0
        for e in stride(from: Int64(0), through: seen / epoch, by: 1) {
            let high = a * Double(min(epoch * (e + 1), seen)) / 100_000
            let low = a * Double(epoch) * Double(e) / 100_000
            total += (high - low) * pow(0.5, Double(e) / tau)
        }
        return total
    }

    private func naiveMixtureData(a: Double, b: [Double], tauHat: [Double], d: Double, epoch: Int64, seen: Int64) -> Double {
        func weights(_ e: Int64) -> [Double] { tauHat.map { pow(0.5, Double(e) / $0) } }
        func beta(_ e: Int64) -> Double {
            let w = weights(e)
            return zip(b, w).reduce(0.0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
        }
        var y = pow(a * Double(min(epoch, seen)) / 100_000, beta(0))
        var previous = 0.0
        for e in stride(from: Int64(0), through: seen / epoch, by: 1) {
            let high = a * Double(min(epoch * (e + 1), seen)) / 100_000
            let low = a * Double(epoch) * Double(e) / 100_000
            let current = previous + (high - low) * ((1 / Double(b.count)) * weights(e).reduce(0, +))
            if e > 0 { y *= pow(current / previous, beta(e)) }
            previous = current
        }
        return y + d
    }
}

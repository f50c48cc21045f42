import Foundation
import XCTest
import StageKit
import Readers
import StageKitTestSupport

@testable import DataFiltering

/// Fitting: the reference grid search, refinement, τ ranges, and recovery of known parameters.
final class FitterTests: XCTestCase {
    func testGridsEqualTheReferenceGridPointsBitForBit() throws {
        let b = Grid.referenceB.values
        let tau = Grid.referenceTau.values
        XCTAssertEqual(b.count, 100)
        XCTAssertEqual(tau.count, 100)
        XCTAssertEqual(b[25], -0.13)
        XCTAssertEqual(tau[40], 4.636363636363637)
        XCTAssertEqual(b[99], -0.5)
        XCTAssertEqual(tau[99], 10)
        // The published utility b values and all published τ values are grid points.
        let published = try XCTUnwrap(ReferenceVectors.published.first { $0.id == "tmars_imagenet1k_utility" })
        XCTAssertEqual([31, 24, 19, 16, 23].map { b[$0] }, published.b)
        XCTAssertEqual([63, 83, 47, 14, 55].map { tau[$0] }, published.tau)
        let data = try XCTUnwrap(ReferenceVectors.published.first { $0.id == "tmars_imagenet1k_data" })
        XCTAssertEqual([33, 37, 21, 5, 27].map { tau[$0] }, data.tau)
    }

    func testGridFitVectorsFindTheGeneratingPointWithZeroError() throws {
        for v in ReferenceVectors.gridFit {
            let objective = try XCTUnwrap(Objective(rawValue: v.objective))
            let pool = PoolObservations(name: v.id, samplesPerEpoch: v.samplesPerEpoch, samplesSeen: v.samplesSeen,
                                        errors: v.observedError)
            let fit = try Fitter.fit([pool], options: FitOptions(objective: objective, d: v.d, aCandidates: [v.a]))
            let result = try XCTUnwrap(fit.pools.first)
            XCTAssertEqual(result.gridBIndex, v.expectedBIndex, v.id)
            XCTAssertEqual(result.gridTauIndex, v.expectedTauIndex, v.id)
            XCTAssertEqual(result.gridB, v.expectedB, v.id)
            XCTAssertEqual(result.gridTau, v.expectedTau, v.id)
            XCTAssertEqual(result.gridSquaredError, v.expectedSSE, v.id)
            // Nothing beats zero: the refinement keeps the grid point, and τ is pinned down exactly.
            XCTAssertEqual(result.squaredError, 0, v.id)
            XCTAssertEqual(result.b, v.expectedB, v.id)
            XCTAssertEqual(result.tau, v.expectedTau, v.id)
            XCTAssertTrue(result.tauRange.contains(v.expectedTau), v.id)
        }
    }

    /// The runner-up of the grid-fit vector (same b, next τ) has the squared error the reference states.
    func testRunnerUpSquaredErrors() throws {
        for (v, expected) in zip(ReferenceVectors.gridFit, [3.49e-6, 1.75e-6]) {
            let objective = try XCTUnwrap(Objective(rawValue: v.objective))
            let evaluator = PoolEvaluator(objective: objective, a: v.a, d: v.d, observations: PoolObservations(
                name: v.id, samplesPerEpoch: v.samplesPerEpoch, samplesSeen: v.samplesSeen, errors: v.observedError))
            let error = evaluator.squaredError(b: Grid.referenceB.values[25], tau: Grid.referenceTau.values[41])
            XCTAssertEqual(error, expected, accuracy: 0.01e-6, v.id)
        }
    }

    /// The shared-pass evaluator used by the grid search gives the laws' values bit for bit.
    func testEvaluatorMatchesTheLawsExactly() {
        let seen: [Int64] = [0, 3_000_000, 12_800_000, 19_200_000, 64_000_000, 25_600_000, 128_000_000, 100_000_001]
        let pool = PoolObservations(name: "p", samplesPerEpoch: 12_800_000, samplesSeen: seen,
                                    errors: [Double](repeating: 0.5, count: seen.count))
        for objective in Objective.allCases {
            let evaluator = PoolEvaluator(objective: objective, a: 0.022, d: 0.1, observations: pool)
            for (b, tau) in [(-0.13, 3.0), (-0.4, 1.0), (-0.005, 10.0), (-0.21, 4.636363636363637)] {
                let predicted = evaluator.predictions(b: b, state: evaluator.prepare(tau: tau))
                for (index, samples) in seen.enumerated() {
                    let law = objective == .effectiveUtility
                        ? ScalingLaw.effectiveUtility(a: 0.022, b: b, tau: tau, d: 0.1, samplesPerEpoch: 12_800_000, samplesSeen: samples)
                        : ScalingLaw.effectiveData(a: 0.022, b: b, tau: tau, d: 0.1, samplesPerEpoch: 12_800_000, samplesSeen: samples)
                    XCTAssertEqual(predicted[index], law, "\(objective) b=\(b) tau=\(tau) N=\(samples)")
                }
            }
        }
    }

    /// The issue's recovery test: 4 pools with the published T-MARS utility parameters, observations at 5
    /// budgets per pool (2 to 10 epochs, as the reference protocol evaluates) with Gaussian noise of
    /// standard deviation 0.001, seeded.
    func testRecoveryFromNoisyObservations() throws {
        try recover(objective: .effectiveUtility, a: 0.025, seed: 20240417)
        try recover(objective: .effectiveData, a: 0.022, seed: 7)
    }

    private func recover(objective: Objective, a: Double, seed: UInt64) throws {
        let truth = try FilterParameters(objective: objective, a: a, d: 0.1, pools: [
            PoolParameters(name: "top10", b: -0.16, tau: 6.7272727272727275, size: 12_800_000),
            PoolParameters(name: "top10-20", b: -0.125, tau: 8.545454545454547, size: 12_800_000),
            PoolParameters(name: "top20-30", b: -0.1, tau: 5.2727272727272725, size: 12_800_000),
            PoolParameters(name: "top30-40", b: -0.085, tau: 2.2727272727272725, size: 12_800_000),
        ])
        var generator = SplitMix64(seed: seed)
        let observations = SyntheticObservations.generate(truth, epochs: [2, 4, 6, 8, 10], noise: 0.001, generator: &generator)
        // a is chosen among the reference's candidates, as the shared-a protocol does; the truth is one of them.
        let fit = try Fitter.fit(observations, options: FitOptions(objective: objective, d: 0.1))
        XCTAssertEqual(fit.a, a, "\(objective): chosen a")
        XCTAssertEqual(fit.aScores.count, 7)
        for (pool, result) in zip(truth.pools, fit.pools) {
            let label = "\(objective) \(pool.name)"
            XCTAssertLessThanOrEqual(abs(result.b - pool.b) / abs(pool.b), 0.05, "\(label): b \(result.b)")
            XCTAssertLessThanOrEqual(result.squaredError, result.gridSquaredError, label)
            let observed = try XCTUnwrap(observations.first { $0.name == pool.name })
            for (samples, error) in zip(observed.samplesSeen, observed.errors) {
                let predicted = objective == .effectiveUtility
                    ? ScalingLaw.effectiveUtility(a: fit.a, b: result.b, tau: result.tau, d: 0.1, samplesPerEpoch: pool.size,
                                                  samplesSeen: samples)
                    : ScalingLaw.effectiveData(a: fit.a, b: result.b, tau: result.tau, d: 0.1, samplesPerEpoch: pool.size,
                                               samplesSeen: samples)
                let clean = objective == .effectiveUtility
                    ? ScalingLaw.effectiveUtility(a: a, b: pool.b, tau: pool.tau, d: 0.1, samplesPerEpoch: pool.size, samplesSeen: samples)
                    : ScalingLaw.effectiveData(a: a, b: pool.b, tau: pool.tau, d: 0.1, samplesPerEpoch: pool.size, samplesSeen: samples)
                XCTAssertLessThanOrEqual(abs(predicted - error), 0.003, "\(label) at \(samples): against the observation")
                XCTAssertLessThanOrEqual(abs(predicted - clean), 0.003, "\(label) at \(samples): against the noise-free law")
            }
            // The issue's 1% range holds the fitted τ and lies inside the 95% interval; whether the true τ
            // falls inside is a matter of chance, measured over many seeds below.
            XCTAssertTrue(result.tauRange.contains(result.tau), label)
            XCTAssertLessThanOrEqual(result.tauInterval95.lower, result.tauRange.lower, label)
            XCTAssertGreaterThanOrEqual(result.tauInterval95.upper, result.tauRange.upper, label)
        }
    }

    /// With noise, no interval holds the true τ every time, so coverage is measured over 15 seeds × 4 pools.
    /// The 95% profile interval holds it at about its nominal rate. The issue's range (τ within 1% of the
    /// best squared error) is far narrower than the uncertainty of τ with 5 points and noise 0.001: with
    /// the residual error σ²·χ²(3) and the excess at the true τ about σ²·χ²(1), it holds the true τ only
    /// when that excess is under 1% of the residual, about 1 fit in 5.
    func testTauCoverageOverSeeds() throws {
        let truth = try FilterParameters(objective: .effectiveUtility, a: 0.025, d: 0.1, pools: [
            PoolParameters(name: "top10", b: -0.16, tau: 6.7272727272727275, size: 12_800_000),
            PoolParameters(name: "top10-20", b: -0.125, tau: 8.545454545454547, size: 12_800_000),
            PoolParameters(name: "top20-30", b: -0.1, tau: 5.2727272727272725, size: 12_800_000),
            PoolParameters(name: "top30-40", b: -0.085, tau: 2.2727272727272725, size: 12_800_000),
        ])
        var inInterval = 0
        var inRange = 0
        var fits = 0
        for seed in UInt64(1)...15 {
            var generator = SplitMix64(seed: seed)
            let observations = SyntheticObservations.generate(truth, epochs: [2, 4, 6, 8, 10], noise: 0.001,
                                                              generator: &generator)
            let fit = try Fitter.fit(observations, options: FitOptions(aCandidates: [0.025]))
            for (pool, result) in zip(truth.pools, fit.pools) {
                fits += 1
                if result.tauInterval95.contains(pool.tau) { inInterval += 1 }
                if result.tauRange.contains(pool.tau) { inRange += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(inInterval, 51, "95% interval held the true τ in \(inInterval) of \(fits) fits")
        XCTAssertLessThan(inRange, inInterval, "1% range held the true τ in \(inRange) of \(fits) fits")
        print("tau coverage over \(fits) noisy fits: 95% interval \(inInterval), 1% range \(inRange)")
    }

    /// Without noise, the 1% range holds the true τ, also off the grid.
    func testNoiseFreeRangeHoldsTheTrueTau() throws {
        let truth = try FilterParameters(objective: .effectiveUtility, a: 0.022, d: 0.1, pools: [
            PoolParameters(name: "p", b: -0.1234, tau: 3.3333, size: 1_000_000),
        ])
        var generator = SplitMix64(seed: 1)
        let observations = SyntheticObservations.generate(truth, epochs: [2, 4, 6, 8, 10], noise: 0, generator: &generator)
        let fit = try Fitter.fit(observations, options: FitOptions(aCandidates: [0.022]))
        let pool = try XCTUnwrap(fit.pools.first)
        XCTAssertTrue(pool.tauRange.contains(3.3333), "\(pool.tauRange)")
        XCTAssertLessThan(pool.squaredError, pool.gridSquaredError)
        XCTAssertEqual(pool.b, -0.1234, accuracy: 1e-4)
        XCTAssertEqual(pool.tau, 3.3333, accuracy: 1e-2)
    }

    /// Refinement never returns a worse squared error than the plain grid, on many noisy pools.
    func testRefinementNeverWorseThanGrid() throws {
        var generator = SplitMix64(seed: 99)
        for trial in 0..<12 {
            let b = -0.05 - 0.3 * generator.unit()
            let tau = 1 + 9 * generator.unit()
            let truth = try FilterParameters(objective: trial % 2 == 0 ? .effectiveUtility : .effectiveData, a: 0.02, d: 0.1,
                                             pools: [PoolParameters(name: "p", b: b, tau: tau, size: 5_000_000)])
            let observations = SyntheticObservations.generate(truth, epochs: [1, 3, 5, 7, 9], noise: 0.002, generator: &generator)
            let fit = try Fitter.fit(observations, options: FitOptions(objective: truth.objective, aCandidates: [0.02]))
            let pool = try XCTUnwrap(fit.pools.first)
            XCTAssertLessThanOrEqual(pool.squaredError, pool.gridSquaredError, "trial \(trial)")
            let direct = PoolEvaluator(objective: truth.objective, a: 0.02, d: 0.1, observations: observations[0])
                .squaredError(b: pool.b, tau: pool.tau)
            XCTAssertEqual(direct, pool.squaredError, "trial \(trial): reported error is the error at the reported point")
        }
    }

    func testObservationsFileParsingAndErrors() throws {
        let text = """
            {"pool": "top10", "samples_seen": 25600000, "error": 0.84, "samples_per_epoch": 12800000}
            {"pool": "top10-20", "samples_seen": 25600000, "error": 0.89, "samples_per_epoch": 12800000}

            {"pool": "top10", "samples_seen": 51200000, "error": 0.77, "samples_per_epoch": 12800000}
            """
        let pools = try ObservationsFile.parse(Array(text.utf8), path: "obs.jsonl")
        XCTAssertEqual(pools.map(\.name), ["top10", "top10-20"])
        XCTAssertEqual(pools[0].samplesSeen, [25_600_000, 51_200_000])
        XCTAssertEqual(pools[0].errors, [0.84, 0.77])
        let bad = [
            (#"{"pool": "a", "samples_seen": 1, "error": 0.5}"#, "samples_per_epoch"),
            (#"{"pool": "a", "samples_seen": -1, "error": 0.5, "samples_per_epoch": 1}"#, "samples_seen"),
            (#"{"pool": "a", "samples_seen": 1, "error": "x", "samples_per_epoch": 1}"#, "'error'"),
            (#"{"pool": "a", "samples_seen": 1, "error": 0.5, "samples_per_epoch": 1"#, "invalid JSON"),
            (#"{"pool": "a", "samples_seen": 10000000, "error": 0.5, "samples_per_epoch": 1}"#, "epochs"),
            ("{\"pool\": \"a\", \"samples_seen\": 1, \"error\": 0.5, \"samples_per_epoch\": 1}\n{\"pool\": \"a\", \"samples_seen\": 1, \"error\": 0.5, \"samples_per_epoch\": 2}", "samples_per_epoch 1"),
        ]
        for (line, fragment) in bad {
            XCTAssertThrowsError(try ObservationsFile.parse(Array(line.utf8), path: "obs.jsonl"), line) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("obs.jsonl:"), text)
                XCTAssertTrue(text.contains(fragment), text)
            }
        }
        XCTAssertThrowsError(try ObservationsFile.parse([], path: "empty.jsonl"))
    }

    func testFitWritesParametersThePlannerReads() throws {
        let v = ReferenceVectors.gridFit[0]
        let pool = PoolObservations(name: "only", samplesPerEpoch: v.samplesPerEpoch, samplesSeen: v.samplesSeen,
                                    errors: v.observedError)
        let fit = try Fitter.fit([pool], options: FitOptions(aCandidates: [v.a]))
        let text = JSONWriter.pretty(try fit.parameters.json)
        let reread = try FilterParameters(document: try YAMLDocument(text: text, path: "fitted.json"),
                                                  schemas: StageTesting.schemas([FilterSelectStage.self]))
        XCTAssertEqual(reread, try fit.parameters)
        XCTAssertEqual(reread.pools, [PoolParameters(name: "only", b: -0.13, tau: 4.636363636363637, size: 12_800_000)])
        let report = Reports.fitTable(fit)
        XCTAssertTrue(report.contains("only"), report)
        XCTAssertTrue(report.contains("4.6364"), report)
    }

    func testBadFitOptions() {
        let pool = PoolObservations(name: "p", samplesPerEpoch: 10, samplesSeen: [20], errors: [0.5])
        XCTAssertThrowsError(try Fitter.fit([pool], options: FitOptions(aCandidates: [])))
        XCTAssertThrowsError(try Fitter.fit([pool], options: FitOptions(aCandidates: [-1])))
        XCTAssertThrowsError(try Fitter.fit([pool], options: FitOptions(d: .nan)))
        XCTAssertThrowsError(try Fitter.fit([], options: FitOptions()))
        XCTAssertThrowsError(try Fitter.fit([pool], options: FitOptions(tauGrid: Grid(start: 0, stop: 10, count: 5))))
    }
}

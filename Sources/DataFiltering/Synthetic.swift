import StageKit
import Foundation

/// Gaussian draws from the seeded generator, so synthetic observations are the same on every machine and run.
extension SplitMix64 {
    /// A uniform draw in (0, 1), never 0, from the top 53 bits.
    public mutating func unit() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// A standard normal draw (Box–Muller; the second value is discarded to keep the stream simple).
    public mutating func gaussian() -> Double {
        let u = unit()
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// Observations made by the model itself, with optional Gaussian noise on the error: the recovery test
/// and the benchmark fit these.
public enum SyntheticObservations {
    /// For each pool, the single-pool law at `epochs` × the pool's size, plus noise of standard deviation
    /// `noise`.
    public static func generate(_ parameters: FilterParameters, epochs: [Int64], noise: Double,
                                generator: inout SplitMix64) -> [PoolObservations] {
        parameters.pools.map { pool in
            let seen = epochs.map { $0 * pool.size }
            let errors = seen.map { samples -> Double in
                let clean: Double
                switch parameters.objective {
                case .effectiveUtility:
                    clean = ScalingLaw.effectiveUtility(a: parameters.a, b: pool.b, tau: pool.tau, d: parameters.d,
                                                        samplesPerEpoch: pool.size, samplesSeen: samples)
                case .effectiveData:
                    clean = ScalingLaw.effectiveData(a: parameters.a, b: pool.b, tau: pool.tau, d: parameters.d,
                                                     samplesPerEpoch: pool.size, samplesSeen: samples)
                }
                return noise > 0 ? clean + noise * generator.gaussian() : clean
            }
            return PoolObservations(name: pool.name, samplesPerEpoch: pool.size, samplesSeen: seen, errors: errors)
        }
    }
}

/// Timings of the two operations the issue sets targets for: fitting 4 pools on the reference grids and
/// planning 1,000 budgets.
public enum FilterBenchmark {
    /// One timed operation: its name and the best of several runs, in seconds.
    public struct Measurement: Sendable {
        public var name: String
        public var seconds: Double
        public var runs: Int
    }

    /// The published T-MARS effective-utility parameters (first 4 pools), as the benchmark's model.
    public static func referenceModel() throws -> FilterParameters {
        let b = [-0.16, -0.125, -0.1, -0.085]
        let tau = [6.7272727272727275, 8.545454545454547, 5.2727272727272725, 2.2727272727272725]
        let names = ["top10", "top10-20", "top20-30", "top30-40"]
        return try FilterParameters(objective: .effectiveUtility, a: 0.025, d: 0.1, pools: (0..<4).map {
            PoolParameters(name: names[$0], b: b[$0], tau: tau[$0], size: 12_800_000)
        })
    }

    /// Runs every measurement `runs` times and keeps the fastest.
    public static func run(runs: Int = 5, budgets: Int = 1000) throws -> [Measurement] {
        let model = try referenceModel()
        var generator = SplitMix64(seed: 20240417)
        let observations = SyntheticObservations.generate(model, epochs: [2, 4, 6, 8, 10], noise: 0.001,
                                                          generator: &generator)
        // Budgets from 1M to 10B samples, evenly spaced on a log scale.
        let budgetList: [Int64] = (0..<budgets).map { index in
            Int64(pow(10, 6 + 4 * Double(index) / Double(max(budgets - 1, 1))).rounded())
        }
        var results: [Measurement] = []
        let given = FitOptions(objective: .effectiveUtility, d: 0.1, aCandidates: [0.025])
        results.append(try time("grid search alone, 4 pools, a given (4 × 10,000 grid points)", runs: runs) {
            for pool in observations {
                _ = Fitter.gridSearch(PoolEvaluator(objective: .effectiveUtility, a: 0.025, d: 0.1, observations: pool),
                                      bValues: given.bGrid.values, tauValues: given.tauGrid.values)
            }
        })
        results.append(try time("fit 4 pools, a given (10,000 grid points per pool, refinement, tau ranges)", runs: runs) {
            _ = try Fitter.fit(observations, options: given)
        })
        let candidates = FitOptions(objective: .effectiveUtility, d: 0.1)
        results.append(try time("fit 4 pools, a chosen from 7 candidates", runs: runs) {
            _ = try Fitter.fit(observations, options: candidates)
        })
        results.append(try time("plan \(budgets) budgets (1M to 10B samples), 4 pools, effective_utility", runs: runs) {
            _ = try Planner.plan(model, budgets: budgetList)
        })
        var dataModel = model
        dataModel.objective = .effectiveData
        results.append(try time("plan \(budgets) budgets (1M to 10B samples), 4 pools, effective_data", runs: runs) {
            _ = try Planner.plan(dataModel, budgets: budgetList)
        })
        return results
    }

    static func time(_ name: String, runs: Int, _ body: () throws -> Void) throws -> Measurement {
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<max(runs, 1) {
            let elapsed = try clock.measure(body)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = min(best, seconds)
        }
        return Measurement(name: name, seconds: best, runs: max(runs, 1))
    }
}

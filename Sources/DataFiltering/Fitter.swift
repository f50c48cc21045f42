import StageKit
import Foundation

/// Evenly spaced values from `start` to `stop`, computed as numpy's `linspace` computes them
/// (start + i·step, the last value set to `stop`), so grid points equal the reference's bit for bit.
public struct Grid: Sendable, Equatable {
    public var start: Double
    public var stop: Double
    public var count: Int

    public init(start: Double, stop: Double, count: Int) {
        self.start = start
        self.stop = stop
        self.count = count
    }

    /// The reference's b grid: 100 points from −0.005 to −0.5.
    public static let referenceB = Grid(start: -0.005, stop: -0.5, count: 100)
    /// The reference's τ grid: 100 points from 1 to 10.
    public static let referenceTau = Grid(start: 1, stop: 10, count: 100)

    public var values: [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { Double($0) * step + start }
        values[count - 1] = stop
        return values
    }

    var lower: Double { min(start, stop) }
    var upper: Double { max(start, stop) }
    var spacing: Double { count > 1 ? abs(stop - start) / Double(count - 1) : 0 }
}

/// How to fit: the law, the fixed d, the a values to try, the grids and the τ-range tolerance.
public struct FitOptions: Sendable, Equatable {
    public var objective: Objective
    public var d: Double
    /// One value fixes a; several are tried and the lowest mean squared error over pools wins.
    public var aCandidates: [Double]
    public var bGrid: Grid
    public var tauGrid: Grid
    /// `tau_range` holds the τ whose best squared error is within this fraction of the overall best.
    public var tauRangeTolerance: Double

    /// The a values swept by the reference's `finding_a.py`.
    public static let referenceACandidates = [0.01, 0.015, 0.018, 0.02, 0.022, 0.025, 0.03]

    public init(objective: Objective = .effectiveUtility, d: Double = 0.1,
                aCandidates: [Double] = FitOptions.referenceACandidates, bGrid: Grid = .referenceB,
                tauGrid: Grid = .referenceTau, tauRangeTolerance: Double = 0.01) {
        self.objective = objective
        self.d = d
        self.aCandidates = aCandidates
        self.bGrid = bGrid
        self.tauGrid = tauGrid
        self.tauRangeTolerance = tauRangeTolerance
    }
}

/// A closed interval of τ.
public struct TauRange: Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public func contains(_ tau: Double) -> Bool { tau >= lower && tau <= upper }
    var json: JSONValue { [.number(lower), .number(upper)] }
}

/// The fit of one pool: the grid optimum, the refined optimum and how well τ is pinned down.
public struct PoolFit: Sendable, Equatable {
    public var name: String
    public var samplesPerEpoch: Int64
    public var observations: Int
    /// The grid point with the lowest squared error (lowest b index, then τ index, on ties).
    public var gridB: Double
    public var gridTau: Double
    public var gridBIndex: Int
    public var gridTauIndex: Int
    public var gridSquaredError: Double
    /// The refined optimum; its squared error is never above the grid's.
    public var b: Double
    public var tau: Double
    public var squaredError: Double
    /// τ whose best squared error (over b) is within `tauRangeTolerance` of `squaredError`, within the τ grid's bounds.
    public var tauRange: TauRange
    /// The 95% profile-likelihood interval of τ (F test with n − 2 degrees of freedom); the whole τ grid
    /// when a pool has two observations or fewer.
    public var tauInterval95: TauRange

    /// Root mean squared error of the refined fit.
    public var rmse: Double { observations > 0 ? (squaredError / Double(observations)).squareRoot() : 0 }

    var json: JSONValue {
        [
            "name": .string(name), "samples_per_epoch": .integer(samplesPerEpoch), "observations": .integer(Int64(observations)),
            "grid": ["b": .number(gridB), "tau": .number(gridTau), "b_index": .integer(Int64(gridBIndex)),
                     "tau_index": .integer(Int64(gridTauIndex)), "sse": .number(gridSquaredError)],
            "b": .number(b), "tau": .number(tau), "sse": .number(squaredError), "rmse": .number(rmse),
            "tau_range": tauRange.json, "tau_interval_95": tauInterval95.json,
        ]
    }
}

/// One a tried by a fit and the mean over pools of the best grid squared error with it.
public struct AScore: Sendable, Equatable {
    public var a: Double
    public var meanSquaredError: Double
}

/// The outcome of a fit: the chosen a, the mean grid error of every a tried, and every pool's fit.
public struct FitResult: Sendable, Equatable {
    public var objective: Objective
    public var a: Double
    public var d: Double
    /// Every a tried, in order, with its mean grid squared error over pools.
    public var aScores: [AScore]
    public var pools: [PoolFit]

    /// The fitted model, pools in the order of the observations, each as large as its epoch.
    public var parameters: FilterParameters {
        get throws {
            try FilterParameters(objective: objective, a: a, d: d, pools: pools.map {
                PoolParameters(name: $0.name, b: $0.b, tau: $0.tau, size: $0.samplesPerEpoch)
            })
        }
    }

    /// The fit report as JSON (sorted keys through `JSONWriter`).
    public var json: JSONValue {
        [
            "objective": .string(objective.rawValue), "a": .number(a), "d": .number(d),
            "a_candidates": .array(aScores.map { ["a": .number($0.a), "mean_sse": .number($0.meanSquaredError)] }),
            "pools": .array(pools.map(\.json)),
        ]
    }
}

/// Fits b and τ per pool as the reference protocol does: exhaustive grid search with a and d fixed,
/// a chosen among candidates by the lowest mean squared error over pools; then a local refinement that
/// only accepts lower squared errors, and the τ ranges.
///
/// The reference visits the grid in a random order and keeps the first strictly smaller error; here the
/// whole grid is visited and ties go to the lowest (b, τ) index, so the result does not depend on chance.
public enum Fitter {
    public static func fit(_ pools: [PoolObservations], options: FitOptions) throws -> FitResult {
        try check(pools, options: options)
        let bValues = options.bGrid.values
        let tauValues = options.tauGrid.values
        var scores: [AScore] = []
        var bestA = options.aCandidates[0]
        var bestMean = Double.infinity
        var bestGrids: [GridOptimum] = []
        for a in options.aCandidates {
            let grids = pools.map { pool in
                gridSearch(PoolEvaluator(objective: options.objective, a: a, d: options.d, observations: pool),
                           bValues: bValues, tauValues: tauValues)
            }
            let mean = grids.reduce(0.0) { $0 + $1.squaredError } / Double(grids.count)
            scores.append(AScore(a: a, meanSquaredError: mean))
            if mean < bestMean || bestGrids.isEmpty {
                bestMean = mean
                bestA = a
                bestGrids = grids
            }
        }
        var fits: [PoolFit] = []
        for (pool, grid) in zip(pools, bestGrids) {
            let evaluator = PoolEvaluator(objective: options.objective, a: bestA, d: options.d, observations: pool)
            fits.append(refine(pool, grid: grid, evaluator: evaluator, options: options, bValues: bValues,
                               tauValues: tauValues))
        }
        return FitResult(objective: options.objective, a: bestA, d: options.d, aScores: scores, pools: fits)
    }

    static func check(_ pools: [PoolObservations], options: FitOptions) throws {
        guard !pools.isEmpty else { throw PipeError("filter.fit", "no pools to fit") }
        guard !options.aCandidates.isEmpty, options.aCandidates.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw PipeError("filter.fit", "give at least one positive a")
        }
        guard options.d >= 0, options.d.isFinite else { throw PipeError("filter.fit", "d must be a number ≥ 0") }
        guard options.bGrid.count >= 1, options.bGrid.count <= 10_000, options.bGrid.upper < 0 else {
            throw PipeError("filter.fit", "the b grid must have 1 to 10000 negative values")
        }
        guard options.tauGrid.count >= 1, options.tauGrid.count <= 10_000, options.tauGrid.lower > 0,
            options.tauGrid.upper <= FilterParameters.maxTau
        else {
            throw PipeError("filter.fit", "the τ grid must have 1 to 10000 values in (0, \(Int(FilterParameters.maxTau))]")
        }
        guard options.tauRangeTolerance >= 0, options.tauRangeTolerance.isFinite else {
            throw PipeError("filter.fit", "the τ-range tolerance must be ≥ 0")
        }
        for pool in pools {
            guard !pool.samplesSeen.isEmpty, pool.samplesSeen.count == pool.errors.count else {
                throw PipeError("filter.fit", "pool '\(pool.name)' has no observations")
            }
            guard pool.samplesPerEpoch >= 1, pool.samplesPerEpoch <= Planner.maxSamples,
                pool.samplesSeen.allSatisfy({ $0 >= 0 && $0 <= Planner.maxSamples
                    && $0 / pool.samplesPerEpoch <= ObservationsFile.maxEpochs }),
                pool.errors.allSatisfy(\.isFinite)
            else {
                throw PipeError("filter.fit", "pool '\(pool.name)': samples must be 0 to \(Planner.maxSamples), at most \(ObservationsFile.maxEpochs) epochs, and errors finite")
            }
        }
    }

    struct GridOptimum {
        var bIndex: Int
        var tauIndex: Int
        var squaredError: Double
    }

    static func gridSearch(_ evaluator: PoolEvaluator, bValues: [Double], tauValues: [Double]) -> GridOptimum {
        var best = GridOptimum(bIndex: 0, tauIndex: 0, squaredError: .infinity)
        for (tauIndex, tau) in tauValues.enumerated() {
            let state = evaluator.prepare(tau: tau)
            for (bIndex, b) in bValues.enumerated() {
                let error = evaluator.squaredError(b: b, state: state)
                if error < best.squaredError
                    || (error == best.squaredError && (bIndex, tauIndex) < (best.bIndex, best.tauIndex))
                {
                    best = GridOptimum(bIndex: bIndex, tauIndex: tauIndex, squaredError: error)
                }
            }
        }
        return best
    }

    static func refine(_ pool: PoolObservations, grid: GridOptimum, evaluator: PoolEvaluator, options: FitOptions,
                       bValues: [Double], tauValues: [Double]) -> PoolFit {
        let box = Box(b: options.bGrid, tau: options.tauGrid)
        var point = Point(b: bValues[grid.bIndex], tau: tauValues[grid.tauIndex], error: grid.squaredError)
        if grid.squaredError.isFinite {
            point = patternSearch(from: point, evaluator: evaluator, box: box)
        }
        // The τ profile may find a lower point still; it is taken, since it only lowers the error.
        let profile = Profile(evaluator: evaluator, bValues: bValues, box: box)
        var probes = tauValues
        if !probes.contains(point.tau) { probes.append(point.tau) }
        probes.sort()
        var values = probes.map { profile.best(tau: $0) }
        for (index, candidate) in values.enumerated() where candidate.error < point.error {
            point = Point(b: candidate.b, tau: probes[index], error: candidate.error)
        }
        if let at = probes.firstIndex(of: point.tau) { values[at] = (point.b, point.error) }
        let errors = values.map(\.error)
        let range = profile.range(probes: probes, errors: errors,
                                  threshold: point.error * (1 + options.tauRangeTolerance), around: point.tau)
        let freedom = pool.errors.count - 2
        let interval = freedom >= 1
            ? profile.range(probes: probes, errors: errors,
                            threshold: point.error * (1 + FQuantile.f95(freedom) / Double(freedom)), around: point.tau)
            : TauRange(lower: box.tau.lower, upper: box.tau.upper)
        return PoolFit(
            name: pool.name, samplesPerEpoch: pool.samplesPerEpoch, observations: pool.errors.count,
            gridB: bValues[grid.bIndex], gridTau: tauValues[grid.tauIndex], gridBIndex: grid.bIndex,
            gridTauIndex: grid.tauIndex, gridSquaredError: grid.squaredError, b: point.b, tau: point.tau,
            squaredError: point.error, tauRange: range, tauInterval95: interval)
    }

    struct Point {
        var b: Double
        var tau: Double
        var error: Double
    }

    /// The fit stays inside the grids' bounds: outside them the data rarely say anything about τ.
    struct Box {
        var b: Grid
        var tau: Grid
        func clamp(_ b: Double, _ tau: Double) -> (Double, Double) {
            (min(max(b, self.b.lower), self.b.upper), min(max(tau, self.tau.lower), self.tau.upper))
        }
    }

    /// Hooke–Jeeves pattern search: coordinate moves, then moves along the direction that worked, halving
    /// the steps when nothing improves. Only strictly lower errors are accepted.
    static func patternSearch(from start: Point, evaluator: PoolEvaluator, box: Box) -> Point {
        var stepB = max(box.b.spacing, 1e-6) / 2
        var stepTau = max(box.tau.spacing, 1e-6) / 2
        var base = start
        var evaluations = 0
        let budget = 4000
        func evaluate(_ b: Double, _ tau: Double) -> Point {
            let (cb, ct) = box.clamp(b, tau)
            evaluations += 1
            return Point(b: cb, tau: ct, error: evaluator.squaredError(b: cb, tau: ct))
        }
        func explore(_ origin: Point) -> Point {
            var current = origin
            for (db, dt) in [(stepB, 0.0), (-stepB, 0.0), (0.0, stepTau), (0.0, -stepTau)] {
                // The opposite move is tried only when the first direction of an axis did not help.
                if db < 0 && current.b != origin.b { continue }
                if dt < 0 && current.tau != origin.tau { continue }
                let trial = evaluate(current.b + db, current.tau + dt)
                if trial.error < current.error { current = trial }
            }
            return current
        }
        while evaluations < budget, stepB > 1e-12 || stepTau > 1e-10 {
            var moved = explore(base)
            if moved.error < base.error {
                while evaluations < budget {
                    let previous = base
                    base = moved
                    let jump = evaluate(2 * base.b - previous.b, 2 * base.tau - previous.tau)
                    let next = explore(jump)
                    guard next.error < base.error else { break }
                    moved = next
                }
            } else {
                stepB /= 2
                stepTau /= 2
            }
        }
        return base
    }

    /// The lowest squared error over b at a fixed τ, and the τ over which it stays under a threshold.
    struct Profile {
        let evaluator: PoolEvaluator
        let bValues: [Double]
        let box: Box

        func best(tau: Double) -> (b: Double, error: Double) {
            let state = evaluator.prepare(tau: tau)
            var bestIndex = 0
            var bestError = Double.infinity
            for (index, b) in bValues.enumerated() {
                let error = evaluator.squaredError(b: b, state: state)
                if error < bestError {
                    bestError = error
                    bestIndex = index
                }
            }
            // Golden-section search between the grid neighbours of the best grid b.
            var low = bValues[max(bestIndex - 1, 0)]
            var high = bValues[min(bestIndex + 1, bValues.count - 1)]
            if low > high { swap(&low, &high) }
            var bestB = bValues[bestIndex]
            let ratio = (5.0.squareRoot() - 1) / 2
            var x1 = high - ratio * (high - low)
            var x2 = low + ratio * (high - low)
            var f1 = evaluator.squaredError(b: x1, state: state)
            var f2 = evaluator.squaredError(b: x2, state: state)
            for _ in 0..<80 where high - low > 1e-15 {
                if f1 < f2 {
                    high = x2
                    x2 = x1
                    f2 = f1
                    x1 = high - ratio * (high - low)
                    f1 = evaluator.squaredError(b: x1, state: state)
                } else {
                    low = x1
                    x1 = x2
                    f1 = f2
                    x2 = low + ratio * (high - low)
                    f2 = evaluator.squaredError(b: x2, state: state)
                }
            }
            if f1 < bestError {
                bestError = f1
                bestB = x1
            }
            if f2 < bestError {
                bestError = f2
                bestB = x2
            }
            return (bestB, bestError)
        }

        /// The hull of the probes under `threshold`, its ends moved by bisection to where the profile
        /// crosses the threshold between a probe inside and its neighbour outside.
        func range(probes: [Double], errors: [Double], threshold: Double, around tau: Double) -> TauRange {
            let inside = probes.indices.filter { errors[$0] <= threshold }
            guard let first = inside.first, let last = inside.last else { return TauRange(lower: tau, upper: tau) }
            var lower = min(probes[first], tau)
            var upper = max(probes[last], tau)
            if first > 0 { lower = crossing(inside: probes[first], outside: probes[first - 1], threshold: threshold) }
            if last < probes.count - 1 {
                upper = crossing(inside: probes[last], outside: probes[last + 1], threshold: threshold)
            }
            return TauRange(lower: min(lower, tau), upper: max(upper, tau))
        }

        private func crossing(inside: Double, outside: Double, threshold: Double) -> Double {
            var good = inside
            var bad = outside
            for _ in 0..<40 {
                let middle = (good + bad) / 2
                if best(tau: middle).error <= threshold { good = middle } else { bad = middle }
            }
            return good
        }
    }
}

/// Upper 5% points of the F(1, ν) distribution, for the profile-likelihood interval of τ.
enum FQuantile {
    /// F(1, ν) at 0.95 for ν = 1 … 30 (t²(0.975, ν)).
    static let table: [Double] = [
        161.447639, 18.512821, 10.127964, 7.708647, 6.607891, 5.987378, 5.591448, 5.317655, 5.117355, 4.964603,
        4.844336, 4.747225, 4.667193, 4.60011, 4.543077, 4.493998, 4.451322, 4.413873, 4.38075, 4.351244,
        4.324794, 4.30095, 4.279344, 4.259677, 4.241699, 4.225201, 4.210008, 4.195972, 4.182964, 4.170877,
    ]

    static func f95(_ freedom: Int) -> Double {
        if freedom >= 1 && freedom <= table.count { return table[freedom - 1] }
        // Cornish–Fisher expansion of t(0.975, ν); within 1e-5 of the exact value beyond ν = 30.
        let z = 1.959963984540054
        let n = Double(max(freedom, 1))
        let t = z + (pow(z, 3) + z) / (4 * n) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * n * n)
            + (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * pow(z, 3) - 15 * z) / (384 * n * n * n)
        return t * t
    }
}

import StageKit
import Foundation

/// One candidate subset for one budget: the union of the k pools with the best utility.
public struct Candidate: Sendable, Equatable {
    public var k: Int
    /// Pool names, best utility first.
    public var pools: [String]
    /// Samples in the union (one epoch over it).
    public var size: Int64
    /// Passes over the union that the budget pays for: budget / size.
    public var epochs: Double
    public var predictedError: Double

    /// Predicted accuracy, 1 − error.
    public var accuracy: Double { 1 - predictedError }

    /// `{"epochs", "k", "pools", "predicted_error"}` as in the plan JSON.
    public var json: JSONValue {
        ["epochs": .number(epochs), "k": .integer(Int64(k)), "pools": .array(pools.map { .string($0) }),
         "predicted_error": .number(predictedError)]
    }
}

/// Every candidate for one budget and the one with the lowest predicted error.
public struct BudgetPlan: Sendable, Equatable {
    /// The budget: samples seen in training.
    public let samples: Int64
    /// Top-1, top-2, … top-K unions, in that order; never empty.
    public let candidates: [Candidate]
    /// 1-based k of the chosen union (the first of equal errors, as the reference's argmin).
    public let bestK: Int

    /// The chosen union.
    public var best: Candidate { candidates[bestK - 1] }

    /// `{"best_k", "candidates", "samples"}` as in the plan JSON.
    public var json: JSONValue {
        ["best_k": .integer(Int64(bestK)), "candidates": .array(candidates.map(\.json)), "samples": .integer(samples)]
    }
}

/// A run of consecutive budgets (in increasing order) for which the same union is best: a piece of the
/// Pareto frontier of predicted error against compute.
public struct FrontierSegment: Sendable, Equatable {
    public var k: Int
    public var pools: [String]
    public var fromSamples: Int64
    public var toSamples: Int64
}

/// The plan for a list of budgets: the model it was made from and the choice for every budget.
public struct Plan: Sendable, Equatable {
    public let parameters: FilterParameters
    /// In the order the budgets were given.
    public let budgets: [BudgetPlan]

    /// The plan JSON (`Schemas/DataFiltering/filter-plan.schema.json`): `a`, `budgets`, `d`, `objective`, `pools`.
    public var json: JSONValue {
        [
            "a": .number(parameters.a), "d": .number(parameters.d), "objective": .string(parameters.objective.rawValue),
            "budgets": .array(budgets.map(\.json)),
            "pools": .array(parameters.pools.map { pool in
                ["b": .number(pool.b), "name": .string(pool.name), "size": .integer(pool.size), "tau": .number(pool.tau)]
            }),
        ]
    }

    /// The frontier over the budgets of the plan, in increasing budget order.
    public var frontier: [FrontierSegment] {
        var segments: [FrontierSegment] = []
        for budget in budgets.sorted(by: { $0.samples < $1.samples }) {
            if let last = segments.last, last.k == budget.bestK {
                segments[segments.count - 1].toSamples = budget.samples
            } else {
                segments.append(FrontierSegment(k: budget.bestK, pools: budget.best.pools, fromSamples: budget.samples,
                                                toSamples: budget.samples))
            }
        }
        return segments
    }
}

/// Chooses, for each budget, the top-k union of pools with the lowest predicted error
/// (`estimate_best_buckets` of the reference).
public enum Planner {
    /// The largest budget accepted, so that sample counts stay exact in a `Double`.
    public static let maxSamples: Int64 = 1 << 50

    /// Pool indices ordered by b, most useful first; equal b keep their file order.
    public static func rankedByUtility(_ pools: [PoolParameters]) -> [Int] {
        pools.indices.sorted { pools[$0].b < pools[$1].b || (pools[$0].b == pools[$1].b && $0 < $1) }
    }

    /// The predicted error of training on the union of `union` for `samples` samples.
    ///
    /// Pools of equal size are mixed as the reference mixes them: the union's epoch is k·size and each
    /// half-life becomes k·τ. When sizes differ (quantile pools rarely split evenly), each pool weighs by its
    /// share f of the union and its half-life becomes τ/f, which is the same rule for equal sizes.
    public static func predictedError(_ parameters: FilterParameters, union: [PoolParameters], samples: Int64) -> Double {
        guard let firstSize = union.first?.size, let unionSize = size(of: union), unionSize > 0 else { return .nan }
        let b = union.map(\.b)
        let tauHat: [Double]
        let shares: [Double]?
        if union.allSatisfy({ $0.size == firstSize }) {
            tauHat = union.map { $0.tau * Double(union.count) }
            shares = nil
        } else {
            tauHat = union.map { $0.tau * (Double(unionSize) / Double($0.size)) }
            shares = union.map { Double($0.size) / Double(unionSize) }
        }
        switch parameters.objective {
        case .effectiveUtility:
            return ScalingLaw.mixtureUtility(a: parameters.a, b: b, tauHat: tauHat, d: parameters.d, shares: shares,
                                             samplesPerEpoch: unionSize, samplesSeen: samples)
        case .effectiveData:
            return ScalingLaw.mixtureData(a: parameters.a, b: b, tauHat: tauHat, d: parameters.d, shares: shares,
                                          samplesPerEpoch: unionSize, samplesSeen: samples)
        }
    }

    /// Samples in a union, or nil when the sum does not fit.
    static func size(of union: [PoolParameters]) -> Int64? {
        var total: Int64 = 0
        for pool in union {
            let (sum, overflow) = total.addingReportingOverflow(pool.size)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// Scores every top-k union for one budget.
    public static func plan(_ parameters: FilterParameters, samples: Int64) throws -> BudgetPlan {
        guard samples >= 0, samples <= maxSamples else {
            throw PipeError("filter.budget", "a budget must be 0 to \(maxSamples) samples, not \(samples)")
        }
        try parameters.check()
        let ranked = rankedByUtility(parameters.pools).map { parameters.pools[$0] }
        var candidates: [Candidate] = []
        var bestK = 1
        for index in ranked.indices {
            let k = index + 1
            let union = Array(ranked.prefix(k))
            let size = self.size(of: union) ?? Int64.max
            let error = predictedError(parameters, union: union, samples: samples)
            candidates.append(Candidate(k: k, pools: union.map(\.name), size: size,
                                        epochs: Double(samples) / Double(size), predictedError: error))
            // Strictly lower only, so the first of equal errors wins, as numpy's argmin does.
            if error < candidates[bestK - 1].predictedError { bestK = k }
        }
        return BudgetPlan(samples: samples, candidates: candidates, bestK: bestK)
    }

    /// Plans every budget, in the order given.
    public static func plan(_ parameters: FilterParameters, budgets: [Int64]) throws -> Plan {
        Plan(parameters: parameters, budgets: try budgets.map { try plan(parameters, samples: $0) })
    }
}

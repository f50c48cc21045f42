import Foundation

/// Which of the two laws of Goyal et al. predicts the error of a pool (or a union of pools).
public enum Objective: String, Sendable, Codable, CaseIterable {
    /// Utility decays with each repetition: the exponent of pass e is b·0.5^(e/τ).
    case effectiveUtility = "effective_utility"
    /// Repeated samples count as a fraction of a fresh sample: pass e is worth 0.5^(e/τ).
    case effectiveData = "effective_data"
}

/// The laws of "Scaling Laws for Data Filtering" (Goyal et al., CVPR 2024), in the exact form the
/// reference implementation computes, so that its published numbers are reproduced.
///
/// Samples are integers: `samplesPerEpoch` (S) and `samplesSeen` (N). Passes are 0-based, e = 0 … ⌊N/S⌋;
/// the last pass is partial when N is not a multiple of S, and empty (it contributes a factor of 1) when it
/// is. `a` multiplies the samples inside the power and samples are divided by a normalizer of 100,000,
/// so the first pass contributes (a·N/1e5)^b rather than the paper's a·N^b.
///
/// A pass whose contribution is provably below 2⁻⁶⁴ of the result together with every later pass is
/// not evaluated: utility halves every τ passes, so far repetitions change nothing a `Double` can hold,
/// and a budget of a billion samples over a pool of a hundred records would otherwise take a billion
/// steps. The functions return NaN for S ≤ 0, N < 0 or a non-positive τ, which callers reject earlier.
public enum ScalingLaw {
    /// The base of the repetition decay: utility halves after τ repetitions.
    public static let base = 0.5
    /// Samples are divided by this before the power law is applied.
    public static let normalizer = 100_000.0
    /// Passes whose remaining effect is bounded by this fraction of the result are skipped.
    static let tailTolerance = 0x1p-64

    /// The single-pool effective-utility law (`func_effective_utility`).
    public static func effectiveUtility(a: Double, b: Double, tau: Double, d: Double, samplesPerEpoch: Int64,
                                        samplesSeen: Int64) -> Double {
        mixtureUtility(a: a, b: [b], tauHat: [tau], d: d, shares: nil, samplesPerEpoch: samplesPerEpoch,
                       samplesSeen: samplesSeen)
    }

    /// The single-pool effective-data law (`func_effective_data`): the power law of the effective samples.
    public static func effectiveData(a: Double, b: Double, tau: Double, d: Double, samplesPerEpoch: Int64,
                                     samplesSeen: Int64) -> Double {
        let samples = effectiveSamples(a: a, tau: tau, samplesPerEpoch: samplesPerEpoch, samplesSeen: samplesSeen)
        return power0(samples, b) + d
    }

    /// The effective samples of the data law (`get_effective_samples`), with `a` and the normalizer inside.
    public static func effectiveSamples(a: Double, tau: Double, samplesPerEpoch: Int64, samplesSeen: Int64) -> Double {
        guard let passes = Passes(a: a, samplesPerEpoch: samplesPerEpoch, samplesSeen: samplesSeen), tau > 0 else {
            return .nan
        }
        let step = pow(base, 1 / tau)
        let fullPass = passes.scaledEpoch
        var total = 0.0
        for e in 0...passes.last {
            let weight = pow(base, Double(e) / tau)
            total += (passes.high(e) - passes.low(e)) * weight
            // What every later pass can still add is at most a full pass times a geometric series.
            if e < passes.last, fullPass * weight * step / (1 - step) <= total * tailTolerance { break }
        }
        return total
    }

    /// The mixture effective-utility law (`func_effective_utility_aggregation`) for a union of pools.
    ///
    /// `tauHat` are the half-lives in the union (the caller scales them, p·τ for p equal pools) and
    /// `samplesPerEpoch` is the union's size. `shares` are the pools' fractions of the union; nil means
    /// equal shares, computed as the reference does (the plain mean of the decayed utilities).
    public static func mixtureUtility(a: Double, b: [Double], tauHat: [Double], d: Double, shares: [Double]? = nil,
                                      samplesPerEpoch: Int64, samplesSeen: Int64) -> Double {
        guard let passes = Passes(a: a, samplesPerEpoch: samplesPerEpoch, samplesSeen: samplesSeen),
            let exponents = Exponents(b: b, tauHat: tauHat, shares: shares)
        else { return .nan }
        let first = power0(passes.high(0), exponents.utility(0)) + d
        var product = 1.0
        if passes.last >= 1 {
            for e in 1...passes.last {
                product *= pow(passes.high(e) / passes.low(e), exponents.utility(e))
                // ln(hi/lo) ≤ 1/e and |β| shrinks geometrically, so the rest of the product is bounded.
                if e < passes.last, exponents.tailBound(after: e) / Double(e + 1) <= tailTolerance { break }
            }
        }
        return first * product
    }

    /// The mixture effective-data law (`func_effective_data_aggregation`) for a union of pools.
    ///
    /// The exponent of pass e is the weighted mean Σ b·w / Σ w with w = 0.5^(e/τ̂); `d` is added after the
    /// products, unlike in the utility law. Arguments are as in `mixtureUtility`.
    public static func mixtureData(a: Double, b: [Double], tauHat: [Double], d: Double, shares: [Double]? = nil,
                                   samplesPerEpoch: Int64, samplesSeen: Int64) -> Double {
        guard let passes = Passes(a: a, samplesPerEpoch: samplesPerEpoch, samplesSeen: samplesSeen),
            let exponents = Exponents(b: b, tauHat: tauHat, shares: shares)
        else { return .nan }
        var y = power0(passes.high(0), exponents.data(0))
        var previous = 0.0
        for e in 0...passes.last {
            let current = previous + (passes.high(e) - passes.low(e)) * exponents.meanWeight(e)
            if e > 0 { y *= power0(current / previous, exponents.data(e)) }
            previous = current
            // ln(m_final/m) ≤ (what later passes add)/m, and every exponent is at most max|b|.
            if e < passes.last, previous > 0,
                exponents.maxAbsB * passes.scaledEpoch * exponents.weightTail(after: e) <= previous * tailTolerance
            {
                break
            }
        }
        return y + d
    }

    /// x^p, except that a zero base gives 0 even for a negative p, as the reference's `pow0` does.
    @inline(__always)
    static func power0(_ x: Double, _ p: Double) -> Double { x == 0 ? 0 : pow(x, p) }
}

/// The pass boundaries of one law evaluation, scaled by a and the normalizer as the reference scales them.
struct Passes {
    let a: Double
    let epoch: Int64
    let seen: Int64
    /// The index of the last pass evaluated, ⌊N/S⌋.
    let last: Int64

    init?(a: Double, samplesPerEpoch: Int64, samplesSeen: Int64) {
        guard samplesPerEpoch > 0, samplesSeen >= 0, a.isFinite else { return nil }
        self.a = a
        epoch = samplesPerEpoch
        seen = samplesSeen
        last = samplesSeen / samplesPerEpoch
    }

    /// Scaled samples seen at the end of pass e: a·min(S(e+1), N)/1e5.
    @inline(__always)
    func high(_ e: Int64) -> Double {
        // S(e+1) ≤ N + S, and past N only N matters, so no product can overflow.
        let end = e >= last ? seen : epoch * (e + 1)
        return a * Double(end) / ScalingLaw.normalizer
    }

    /// Scaled samples seen at the start of pass e: a·S·e/1e5.
    @inline(__always)
    func low(_ e: Int64) -> Double { a * Double(epoch) * Double(e) / ScalingLaw.normalizer }

    /// One full pass, scaled.
    var scaledEpoch: Double { abs(a) * Double(epoch) / ScalingLaw.normalizer }
}

/// The per-pass exponents and weights of a union of pools.
struct Exponents {
    let b: [Double]
    let tauHat: [Double]
    let shares: [Double]?
    let maxAbsB: Double
    /// 0.5^(1/τ̂) of the slowest-decaying pool: every weight shrinks at least this fast per pass.
    let slowestStep: Double

    init?(b: [Double], tauHat: [Double], shares: [Double]?) {
        guard !b.isEmpty, b.count == tauHat.count, shares.map({ $0.count == b.count }) ?? true,
            tauHat.allSatisfy({ $0 > 0 && $0.isFinite })
        else { return nil }
        self.b = b
        self.tauHat = tauHat
        self.shares = shares
        maxAbsB = b.map { abs($0) }.max() ?? 0
        slowestStep = pow(ScalingLaw.base, 1 / (tauHat.max() ?? 1))
    }

    @inline(__always)
    func weight(_ i: Int, _ e: Int64) -> Double { pow(ScalingLaw.base, Double(e) / tauHat[i]) }

    /// (1/p)·Σ b_i·0.5^(e/τ̂_i), or Σ f_i·b_i·0.5^(e/τ̂_i) with shares.
    func utility(_ e: Int64) -> Double {
        var sum = 0.0
        if let shares {
            for i in b.indices { sum += shares[i] * b[i] * weight(i, e) }
            return sum
        }
        for i in b.indices { sum += b[i] * weight(i, e) }
        return (1 / Double(b.count)) * sum
    }

    /// Σ b_i·w_i / Σ w_i, or with shares Σ f_i·b_i·w_i / Σ f_i·w_i.
    func data(_ e: Int64) -> Double {
        var numerator = 0.0
        var denominator = 0.0
        for i in b.indices {
            let w = weight(i, e) * (shares?[i] ?? 1)
            numerator += b[i] * w
            denominator += w
        }
        return numerator / denominator
    }

    /// (1/p)·Σ w_i, or Σ f_i·w_i: the worth of one sample of the union on pass e.
    func meanWeight(_ e: Int64) -> Double {
        var sum = 0.0
        if let shares {
            for i in b.indices { sum += shares[i] * weight(i, e) }
            return sum
        }
        for i in b.indices { sum += weight(i, e) }
        return (1 / Double(b.count)) * sum
    }

    /// A bound on Σ_{e' > e} max_i 0.5^(e'/τ̂_i).
    func weightTail(after e: Int64) -> Double {
        let next = pow(slowestStep, Double(e + 1))
        return next / (1 - slowestStep)
    }

    /// A bound on Σ_{e' > e} |β_e'|.
    func tailBound(after e: Int64) -> Double { maxAbsB * weightTail(after: e) }
}

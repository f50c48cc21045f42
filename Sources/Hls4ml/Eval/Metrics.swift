/// The benchmark's scores of one target in one group (wa-hls4ml reference §10): R², SMAPE with ε = 1, RMSE, and
/// percentiles of the relative percent error used in its box plots.
public struct TargetScore: Sendable, Equatable, Encodable {
    /// Pairs scored (truth present and predicted).
    public var n: Int
    /// 1 − Σ(y−ŷ)² / Σ(y−ȳ)²; nil ("N/A") when the truth has no variance in the group, or n is 0.
    public var r2: Double?
    /// (200/n) · Σ |y−ŷ| / (|y| + |ŷ| + 1), in percent (0 to 200).
    public var smape: Double?
    /// sqrt(mean((y−ŷ)²)), in the target's units.
    public var rmse: Double?
    /// Percentiles 5, 25, 50, 75, 95 of (y−ŷ)/(y+1)·100 (positive: under-prediction), linear interpolation.
    public var rpePercentiles: [Double]

    enum CodingKeys: String, CodingKey { case n, r2, smape, rmse, rpePercentiles = "rpe_percentiles" }

    /// Scores `pairs` of (truth, prediction).
    public init(truth: [Double], predicted: [Double]) {
        n = min(truth.count, predicted.count)
        guard n > 0 else {
            r2 = nil
            smape = nil
            rmse = nil
            rpePercentiles = []
            return
        }
        var squared = 0.0, smapeSum = 0.0, mean = 0.0
        var rpe: [Double] = []
        rpe.reserveCapacity(n)
        for index in 0..<n {
            let y = truth[index], p = predicted[index]
            squared += (y - p) * (y - p)
            smapeSum += abs(y - p) / (abs(y) + abs(p) + 1)
            mean += y
            rpe.append((y - p) / (y + 1) * 100)
        }
        mean /= Double(n)
        var total = 0.0
        for index in 0..<n { total += (truth[index] - mean) * (truth[index] - mean) }
        r2 = total > 0 ? 1 - squared / total : nil
        smape = 200 * smapeSum / Double(n)
        rmse = (squared / Double(n)).squareRoot()
        rpe.sort()
        rpePercentiles = [5.0, 25, 50, 75, 95].map { Self.percentile(rpe, $0) }
    }

    /// The q-th percentile of sorted values, interpolating linearly between ranks (numpy's default).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return .nan }
        guard sorted.count > 1 else { return first }
        let rank = q / 100 * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }
}

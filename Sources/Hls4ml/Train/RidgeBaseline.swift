import Foundation
import Readers
import StageKit

/// The benchmark's reference surrogate: one ridge regression per target on standardised log features, fitted on
/// log(1 + target). Inputs come from `model_config` and `hls_config` only (the typed `features`), never from a
/// report. Predictions are `expm1` of the fit, floored at 0, in the evaluation's units (resource_report counts,
/// BRAM in 36 Kb tiles as published; cycles).
public struct RidgeBaseline: Sendable {
    /// The feature names, in column order (documented in Docs/hls4ml.md).
    public static let featureNames = [
        "log_layers", "log_dense_layers", "log_conv1d_layers", "log_conv2d_layers", "log_parameters", "log_input_size",
        "log_output_size", "log_multiplications", "log_reuse_factor", "log_mean_reuse_factor", "log_weight_bits",
        "resource_strategy", "io_stream", "log_multiplications_per_reuse",
    ]

    /// The penalty on the standardised weights (the intercept is not penalised).
    public let lambda: Double
    private var means: [Double] = []
    private var scales: [Double] = []
    /// Per target: intercept, then one weight per feature.
    private(set) var weights: [[Double]] = []

    public init(lambda: Double) { self.lambda = lambda }

    /// The feature vector of a record: its `features` when it has them, else computed as `hls4ml.import` does.
    public static func features(of record: JSONValue) -> [Double] {
        let typed: JSONValue
        if let given = record["features"], case .object = given {
            typed = given
        } else {
            let computed = Hls4mlFeatures(modelConfig: record["model_config"] ?? .array([]), hlsConfig: record["hls_config"] ?? .object([:]),
                                          ioType: record["io_type"]?.stringValue)
            typed = (try? CanonicalJSON.value(of: computed)) ?? .object([:])
        }
        func log(_ key: String) -> Double { Foundation.log1p(max(0, typed[key]?.doubleValue ?? 0)) }
        let multiplications = typed["multiplications"]?.doubleValue ?? 0
        let reuse = max(1, typed["mean_reuse_factor"]?.doubleValue ?? typed["reuse_factor"]?.doubleValue ?? 1)
        return [log("layers"), log("dense_layers"), log("conv1d_layers"), log("conv2d_layers"), log("parameters"), log("input_size"),
                log("output_size"), log("multiplications"), log("reuse_factor"), log("mean_reuse_factor"), log("weight_bits"),
                typed["resource_strategy"]?.doubleValue ?? 0, typed["io_stream"]?.doubleValue ?? 0, Foundation.log1p(multiplications / reuse)]
    }

    /// Fits on rows of features and their truths (in `Hls4mlEvaluation.targets` order; nil truths are skipped per
    /// target). Throws when there is nothing to fit.
    public mutating func fit(features rows: [[Double]], truths: [[Double?]]) throws {
        guard let width = rows.first?.count, !rows.isEmpty else { throw PipeError("train.empty", "no training records with a synthesis report") }
        means = (0..<width).map { column in rows.reduce(0) { $0 + $1[column] } / Double(rows.count) }
        scales = (0..<width).map { column in
            let variance = rows.reduce(0) { $0 + ($1[column] - means[column]) * ($1[column] - means[column]) } / Double(rows.count)
            return variance > 1e-12 ? variance.squareRoot() : 1
        }
        let standardised = rows.map(standardise)
        weights = []
        for target in 0..<Hls4mlEvaluation.targets.count {
            var x: [[Double]] = []
            var y: [Double] = []
            for (index, row) in standardised.enumerated() {
                guard let value = truths[index][target] else { continue }
                x.append(row)
                y.append(log1p(max(0, value)))
            }
            weights.append(Self.solve(x, y, lambda: lambda, width: width))
        }
    }

    /// Predictions for one feature vector, in `Hls4mlEvaluation.targets` order.
    public func predict(_ features: [Double]) -> [Double] {
        let row = standardise(features)
        return weights.map { w in
            var value = w.first ?? 0
            for (index, x) in row.enumerated() where index + 1 < w.count { value += w[index + 1] * x }
            // Guard the exponential: a wild extrapolation must not turn into infinity.
            return max(0, expm1(min(value, 40)))
        }
    }

    private func standardise(_ row: [Double]) -> [Double] {
        row.enumerated().map { index, value in index < means.count ? (value - means[index]) / scales[index] : value }
    }

    // Ridge with an unpenalised intercept: centre y, solve (XᵀX + λI) w = Xᵀ(y − ȳ) by Gaussian elimination with
    // partial pivoting (the system is small: one row per feature).
    static func solve(_ x: [[Double]], _ y: [Double], lambda: Double, width: Int) -> [Double] {
        guard !y.isEmpty else { return Array(repeating: 0, count: width + 1) }
        let mean = y.reduce(0, +) / Double(y.count)
        let columnMeans = (0..<width).map { column in x.reduce(0) { $0 + $1[column] } / Double(x.count) }
        var a = Array(repeating: Array(repeating: 0.0, count: width + 1), count: width)
        for (index, row) in x.enumerated() {
            let target = y[index] - mean
            for i in 0..<width {
                let xi = row[i] - columnMeans[i]
                a[i][width] += xi * target
                for j in 0..<width { a[i][j] += xi * (row[j] - columnMeans[j]) }
            }
        }
        for i in 0..<width { a[i][i] += lambda }
        for column in 0..<width {
            var pivot = column
            for row in column..<width where abs(a[row][column]) > abs(a[pivot][column]) { pivot = row }
            a.swapAt(column, pivot)
            let diagonal = a[column][column]
            guard abs(diagonal) > 1e-15 else { continue }
            for row in 0..<width where row != column {
                let factor = a[row][column] / diagonal
                guard factor != 0 else { continue }
                for k in column...width { a[row][k] -= factor * a[column][k] }
            }
        }
        let w = (0..<width).map { abs(a[$0][$0]) > 1e-15 ? a[$0][width] / a[$0][$0] : 0 }
        var intercept = mean
        for i in 0..<width { intercept -= w[i] * columnMeans[i] }
        return [intercept] + w
    }
}

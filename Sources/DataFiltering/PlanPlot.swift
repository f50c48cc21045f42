import Foundation
import StageKit

/// The plan as an SVG chart: predicted error against budget (log scale) for every candidate union, the
/// frontier (the lowest error at each budget) drawn under them, and the planned budgets marked.
///
/// The text depends only on the plan: fixed-precision numbers, no clock, no randomness.
public enum PlanPlot {
    static let width = 760.0
    static let height = 460.0
    static let left = 78.0
    static let right = 230.0
    static let top = 44.0
    static let bottom = 56.0
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf"]

    /// `curvePoints` budgets, evenly spaced on the log axis, trace each candidate's curve.
    public static func svg(_ plan: Plan, curvePoints: Int = 121) -> String {
        let parameters = plan.parameters
        let ranked = Planner.rankedByUtility(parameters.pools).map { parameters.pools[$0] }
        let planned = plan.budgets.map(\.samples).filter { $0 > 0 }
        var low = Double(planned.min() ?? 1_000_000)
        var high = Double(planned.max() ?? 1_000_000_000)
        if high <= low * 1.0001 {
            low /= 2
            high *= 2
        }
        let steps = max(curvePoints, 2)
        let logLow = log10(low)
        let logHigh = log10(high)
        var xs: [Int64] = (0..<steps).map { index in
            let exponent = logLow + (logHigh - logLow) * Double(index) / Double(steps - 1)
            return max(1, Int64(pow(10, exponent).rounded()))
        }
        xs.append(contentsOf: planned)
        xs = Array(Set(xs)).sorted()
        // curves[k-1][i]: predicted error of the top-k union at xs[i].
        let curves: [[Double]] = ranked.indices.map { index in
            let k = index + 1
            let union = Array(ranked.prefix(k))
            return xs.map { Planner.predictedError(parameters, union: union, samples: $0) }
        }
        let finite = curves.flatMap { $0 }.filter(\.isFinite)
        var yLow = finite.min() ?? 0
        var yHigh = finite.max() ?? 1
        if yHigh - yLow < 1e-9 {
            yLow -= 0.05
            yHigh += 0.05
        }
        let yTicks = ticks(yLow, yHigh)
        yLow = min(yLow, yTicks.first ?? yLow)
        yHigh = max(yHigh, yTicks.last ?? yHigh)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ samples: Int64) -> Double { left + (log10(Double(samples)) - log10(low)) / (log10(high) - log10(low)) * plotWidth }
        func y(_ error: Double) -> Double { top + (yHigh - error) / (yHigh - yLow) * plotHeight }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="12">

            """
        out += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
        out += "<text x=\"\(f(left))\" y=\"24\" font-size=\"15\">Predicted error against budget (\(MarkupText.escaped(parameters.objective.rawValue)), a = \(MarkupText.escaped(Reports.number(parameters.a))), d = \(MarkupText.escaped(Reports.number(parameters.d))))</text>\n"
        // Axes, grid lines and tick labels.
        out += "<g stroke=\"#dddddd\" stroke-width=\"1\">\n"
        for tick in yTicks where tick >= yLow && tick <= yHigh {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\"/>\n"
        }
        let xTicks = logTicks(low, high)
        for tick in xTicks {
            out += "<line x1=\"\(f(x(tick)))\" y1=\"\(f(top))\" x2=\"\(f(x(tick)))\" y2=\"\(f(top + plotHeight))\"/>\n"
        }
        out += "</g>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333333\"/>\n"
        let decimals = yDecimals(yTicks)
        for tick in yTicks where tick >= yLow && tick <= yHigh {
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(String(format: "%.\(decimals)f", tick))</text>\n"
        }
        for tick in xTicks {
            out += "<text x=\"\(f(x(tick)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(MarkupText.escaped(SampleCount.format(tick)))</text>\n"
        }
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\">samples seen in training (log scale)</text>\n"
        out += "<text x=\"18\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(top + plotHeight / 2)))\">predicted error</text>\n"

        // The frontier first, wide and pale, so the candidate that forms it shows on top of it.
        let frontier = xs.indices.compactMap { index -> (Int64, Double)? in
            let values = curves.map { $0[index] }.filter(\.isFinite)
            return values.min().map { (xs[index], $0) }
        }
        out += "<polyline fill=\"none\" stroke=\"#000000\" stroke-opacity=\"0.25\" stroke-width=\"7\" stroke-linejoin=\"round\" points=\"\(points(frontier.map { (x($0.0), y($0.1)) }))\"/>\n"
        for (index, curve) in curves.enumerated() {
            let color = palette[index % palette.count]
            let line = xs.indices.filter { curve[$0].isFinite }.map { (x(xs[$0]), y(curve[$0])) }
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(points(line))\"/>\n"
        }
        // Planned budgets: every candidate's point, and a ring around the chosen one.
        for budget in plan.budgets where budget.samples > 0 {
            for candidate in budget.candidates where candidate.predictedError.isFinite {
                let color = palette[(candidate.k - 1) % palette.count]
                out += "<circle cx=\"\(f(x(budget.samples)))\" cy=\"\(f(y(candidate.predictedError)))\" r=\"3\" fill=\"\(color)\"/>\n"
            }
            let best = budget.best
            if best.predictedError.isFinite {
                out += "<circle cx=\"\(f(x(budget.samples)))\" cy=\"\(f(y(best.predictedError)))\" r=\"7\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n"
            }
        }
        // Legend.
        var legendY = top + 6
        let legendX = left + plotWidth + 16
        for (index, _) in curves.enumerated() {
            let color = palette[index % palette.count]
            // Each union adds one pool to the previous one, so the legend names only the pool added.
            let name = ranked[index].name
            let added = (index == 0 ? "" : "+ ") + (name.count > 22 ? String(name.prefix(21)) + "…" : name)
            out += "<line x1=\"\(f(legendX))\" y1=\"\(f(legendY))\" x2=\"\(f(legendX + 22))\" y2=\"\(f(legendY))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(f(legendX + 28))\" y=\"\(f(legendY + 4))\">top-\(index + 1): \(MarkupText.escaped(added))</text>\n"
            legendY += 18
        }
        out += "<line x1=\"\(f(legendX))\" y1=\"\(f(legendY))\" x2=\"\(f(legendX + 22))\" y2=\"\(f(legendY))\" stroke=\"#000000\" stroke-opacity=\"0.25\" stroke-width=\"7\"/>\n"
        out += "<text x=\"\(f(legendX + 28))\" y=\"\(f(legendY + 4))\">frontier (lowest error)</text>\n"
        legendY += 18
        out += "<circle cx=\"\(f(legendX + 11))\" cy=\"\(f(legendY))\" r=\"7\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n"
        out += "<text x=\"\(f(legendX + 28))\" y=\"\(f(legendY + 4))\">chosen at a planned budget</text>\n"
        out += "</svg>\n"
        return out
    }

    static func f(_ value: Double) -> String { String(format: "%.2f", value) }

    static func points(_ list: [(Double, Double)]) -> String {
        list.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
    }


    /// About five round values (1, 2 or 5 times a power of ten apart) covering [low, high].
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        guard last - first <= 50 else { return [low, high] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    static func yDecimals(_ ticks: [Double]) -> Int {
        guard ticks.count > 1 else { return 3 }
        let step = ticks[1] - ticks[0]
        return min(max(Int((-log10(step)).rounded(.up)), 0), 6)
    }

    /// 1, 2 and 5 times powers of ten inside [low, high], or powers of ten alone when those are too many.
    static func logTicks(_ low: Double, _ high: Double) -> [Int64] {
        var all: [Int64] = []
        var powers: [Int64] = []
        var decade: Int64 = 1
        while decade <= Int64(high) && decade <= Int64.max / 10 {
            for factor: Int64 in [1, 2, 5] {
                let value = decade * factor
                if Double(value) >= low && Double(value) <= high { all.append(value) }
            }
            if Double(decade) >= low { powers.append(decade) }
            decade *= 10
        }
        return all.count <= 10 ? all : powers
    }
}

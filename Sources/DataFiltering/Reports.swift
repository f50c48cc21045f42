import StageKit
import Foundation

/// Plain-text tables of plans and fits, for the terminal.
public enum Reports {
    /// Every budget's candidates (predicted error, accuracy, epochs), the chosen one starred, then the frontier.
    public static func planTable(_ plan: Plan) -> String {
        let parameters = plan.parameters
        var out = "objective \(parameters.objective.rawValue), a = \(number(parameters.a)), d = \(number(parameters.d))\n"
        out += "pools, by utility (most useful first):\n"
        var poolRows: [[String]] = [["", "pool", "b", "tau", "size"]]
        for index in Planner.rankedByUtility(parameters.pools) {
            let pool = parameters.pools[index]
            poolRows.append(["", pool.name, number(pool.b), number(pool.tau), String(pool.size)])
        }
        out += table(poolRows, rightAligned: [2, 3, 4])
        for budget in plan.budgets {
            out += "\nbudget \(SampleCount.format(budget.samples)) (\(budget.samples) samples)\n"
            var rows: [[String]] = [["", "k", "union", "size", "epochs", "predicted error", "accuracy"]]
            for candidate in budget.candidates {
                rows.append([
                    candidate.k == budget.bestK ? "*" : "", String(candidate.k), candidate.pools.joined(separator: " + "),
                    String(candidate.size), fixed(candidate.epochs, 3), fixed(candidate.predictedError, 6),
                    fixed(candidate.accuracy, 6),
                ])
            }
            out += table(rows, rightAligned: [1, 3, 4, 5, 6])
            out += "  chosen: top-\(budget.bestK) (\(budget.best.pools.joined(separator: ", "))), "
                + "\(fixed(budget.best.epochs, 3)) epochs over \(budget.best.size) samples\n"
        }
        out += "\nfrontier (lowest predicted error, by budget):\n"
        for segment in plan.frontier {
            let span = segment.fromSamples == segment.toSamples
                ? SampleCount.format(segment.fromSamples)
                : "\(SampleCount.format(segment.fromSamples)) to \(SampleCount.format(segment.toSamples))"
            out += "  \(span): top-\(segment.k) (\(segment.pools.joined(separator: ", ")))\n"
        }
        return out
    }

    /// The a candidates tried, then every pool's grid and refined fit with its τ range and interval.
    public static func fitTable(_ fit: FitResult) -> String {
        var out = "objective \(fit.objective.rawValue), d = \(number(fit.d)), a = \(number(fit.a))"
        out += fit.aScores.count > 1 ? " (lowest mean squared error of \(fit.aScores.count) candidates)\n" : " (given)\n"
        if fit.aScores.count > 1 {
            var rows: [[String]] = [["", "a", "mean sse"]]
            for score in fit.aScores {
                rows.append([score.a == fit.a ? "*" : "", number(score.a), scientific(score.meanSquaredError)])
            }
            out += table(rows, rightAligned: [1, 2])
        }
        var rows: [[String]] = [["", "pool", "n", "grid b", "grid tau", "grid sse", "b", "tau", "sse", "rmse",
                                 "tau range (1%)", "tau 95% interval"]]
        for pool in fit.pools {
            rows.append([
                "", pool.name, String(pool.observations), number(pool.gridB), fixed(pool.gridTau, 4),
                scientific(pool.gridSquaredError), fixed(pool.b, 6), fixed(pool.tau, 4), scientific(pool.squaredError),
                scientific(pool.rmse), "\(fixed(pool.tauRange.lower, 3))–\(fixed(pool.tauRange.upper, 3))",
                "\(fixed(pool.tauInterval95.lower, 3))–\(fixed(pool.tauInterval95.upper, 3))",
            ])
        }
        out += "\n" + table(rows, rightAligned: [2, 3, 4, 5, 6, 7, 8, 9])
        return out
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var out = ""
        for row in rows {
            var cells: [String] = []
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                cells.append(rightAligned.contains(index) ? pad + cell : cell + pad)
            }
            var line = "  " + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// The shortest round-trip form, as in pipe's JSON.
    static func number(_ value: Double) -> String { JSONWriter.numberText(value) }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    static func scientific(_ value: Double) -> String { String(format: "%.3e", value) }
}

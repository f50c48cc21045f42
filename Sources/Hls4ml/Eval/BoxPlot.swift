import Foundation
import StageKit

/// SVG box plots of the relative percent error, one box per target: the box spans the 25th to 75th percentile,
/// the line inside is the median, the whiskers reach the 5th and 95th percentiles (the benchmark's plots show
/// the same statistic; the whisker rule is ours, stated in the figure).
public enum BoxPlot {
    /// The SVG text for one group; `errors` maps target → relative percent errors.
    public static func svg(title: String, errors: [String: [Double]], targets: [String] = Hls4mlEvaluation.targets) -> String {
        let stats: [(String, [Double])] = targets.map { target in
            let sorted = (errors[target] ?? []).sorted()
            return (target, sorted.isEmpty ? [] : [5.0, 25, 50, 75, 95].map { TargetScore.percentile(sorted, $0) })
        }
        let values = stats.flatMap(\.1) + [0]
        var low = values.min() ?? -1, high = values.max() ?? 1
        if high - low < 1e-9 { low -= 1; high += 1 }
        let pad = (high - low) * 0.08
        low -= pad
        high += pad
        let width = 120 + 110 * targets.count, height = 360
        let top = 40.0, bottom = Double(height) - 50
        func y(_ value: Double) -> String { format(bottom - (value - low) / (high - low) * (bottom - top)) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(MarkupText.escaped(title)): relative percent error (y−ŷ)/(y+1)·100</text>\n"
        out += "<line x1=\"80\" y1=\"\(y(0))\" x2=\"\(width - 20)\" y2=\"\(y(0))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        for tick in ticks(low, high) {
            out += "<text x=\"72\" y=\"\(y(tick))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(format(tick))</text>\n"
            out += "<line x1=\"76\" y1=\"\(y(tick))\" x2=\"80\" y2=\"\(y(tick))\" stroke=\"black\"/>\n"
        }
        out += "<line x1=\"80\" y1=\"\(format(top))\" x2=\"80\" y2=\"\(format(bottom))\" stroke=\"black\"/>\n"
        for (index, (target, p)) in stats.enumerated() {
            let center = 140 + 110 * index
            out += "<text x=\"\(center)\" y=\"\(height - 28)\" text-anchor=\"middle\">\(MarkupText.escaped(target))</text>\n"
            out += "<text x=\"\(center)\" y=\"\(height - 12)\" text-anchor=\"middle\" fill=\"#555\">n=\((errors[target] ?? []).count)</text>\n"
            guard p.count == 5 else { continue }
            out += "<line x1=\"\(center)\" y1=\"\(y(p[0]))\" x2=\"\(center)\" y2=\"\(y(p[4]))\" stroke=\"black\"/>\n"
            for whisker in [p[0], p[4]] {
                out += "<line x1=\"\(center - 15)\" y1=\"\(y(whisker))\" x2=\"\(center + 15)\" y2=\"\(y(whisker))\" stroke=\"black\"/>\n"
            }
            out += "<rect x=\"\(center - 30)\" y=\"\(y(p[3]))\" width=\"60\" height=\"\(format(max(0.5, (p[3] - p[1]) / (high - low) * (bottom - top))))\" fill=\"#9ecae1\" stroke=\"black\"/>\n"
            out += "<line x1=\"\(center - 30)\" y1=\"\(y(p[2]))\" x2=\"\(center + 30)\" y2=\"\(y(p[2]))\" stroke=\"#d62728\" stroke-width=\"2\"/>\n"
        }
        out += "<text x=\"\(width - 20)\" y=\"\(height - 28)\" text-anchor=\"end\" fill=\"#555\" font-size=\"10\">box: p25–p75, line: median, whiskers: p5–p95</text>\n"
        return out + "</svg>\n"
    }

    // Fixed decimals keep the file byte-identical across runs and platforms.
    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }

    private static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 6
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var tick = (low / step).rounded(.up) * step
        var out: [Double] = []
        while tick <= high && out.count < 20 {
            out.append(tick)
            tick += step
        }
        return out
    }

}

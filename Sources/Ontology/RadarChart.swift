import Foundation
import StageKit

/// A radar chart of a rating sheet as a self-contained SVG: one axis per category (0 in the middle, the
/// rubric's maximum at the rim), the declared ratings as a filled polygon and the computed scores dashed.
/// Coordinates are written with two decimals, so the same sheet always gives the same bytes.
public enum RadarChart {
    public static func svg(_ sheet: RatingSheet, maximum: Double) -> String {
        // Wide enough for the labels beside the side axes.
        let width = 640.0
        let height = 500.0
        let center = width / 2
        let middle = height / 2 + 8
        let radius = 160.0
        let count = sheet.rows.count
        func point(_ index: Int, _ value: Double) -> (Double, Double) {
            // The first axis points up; the others follow clockwise.
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(index) / Double(max(count, 1))
            let distance = radius * min(max(value, 0), maximum) / maximum
            return (center + distance * cos(angle), middle + distance * sin(angle))
        }
        func polygon(_ values: [Double]) -> String {
            values.enumerated().map { index, value in
                let (x, y) = point(index, value)
                return "\(fixed(x)),\(fixed(y))"
            }.joined(separator: " ")
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>\(MarkupText.escaped(sheet.name)): ratings</title>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        out += "<text x=\"\(fixed(center))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(MarkupText.escaped(sheet.name))</text>\n"
        let rings = Int(maximum.rounded(.down))
        if rings > 0 {
            for ring in 1...rings {
                out += "<polygon points=\"\(polygon(Array(repeating: Double(ring), count: count)))\" fill=\"none\" stroke=\"#d0d0d0\"/>\n"
            }
        }
        for (index, row) in sheet.rows.enumerated() {
            let (x, y) = point(index, maximum)
            out += "<line x1=\"\(fixed(center))\" y1=\"\(fixed(middle))\" x2=\"\(fixed(x))\" y2=\"\(fixed(y))\" stroke=\"#b0b0b0\"/>\n"
            let (lx, ly) = point(index, maximum * 1.16)
            let anchor = abs(lx - center) < 1 ? "middle" : (lx > center ? "start" : "end")
            out += "<text x=\"\(fixed(lx))\" y=\"\(fixed(ly + 4))\" text-anchor=\"\(anchor)\">\(MarkupText.escaped(row.category.code + " " + row.category.key))</text>\n"
        }
        let declared = sheet.rows.map { $0.declared ?? 0 }
        out += "<polygon points=\"\(polygon(declared))\" fill=\"#1f77b4\" fill-opacity=\"0.25\" stroke=\"#1f77b4\" stroke-width=\"2\"><title>declared</title></polygon>\n"
        if sheet.rows.allSatisfy({ $0.score?.score != nil }) {
            let computed = sheet.rows.map { $0.score?.score ?? 0 }
            out += "<polygon points=\"\(polygon(computed))\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-dasharray=\"6 4\"><title>computed</title></polygon>\n"
        }
        out += "<text x=\"16\" y=\"\(Int(height) - 28)\" fill=\"#1f77b4\">declared" + (sheet.declaredOverall.map { " (mean \(RatingSheet.number($0)))" } ?? "") + "</text>\n"
        out += "<text x=\"16\" y=\"\(Int(height) - 12)\" fill=\"#ff7f0e\">computed from the checklists" + (sheet.computedOverall.map { " (mean \(RatingSheet.number($0)))" } ?? ": incomplete") + "</text>\n"
        out += "</svg>\n"
        return out
    }

    /// Two decimals, without a locale: `12.50`.
    static func fixed(_ value: Double) -> String {
        let scaled = (value * 100).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let fraction = magnitude % 100
        return (negative ? "-" : "") + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

}

/// The post-synthesis utilisation numbers of a Vivado `report_utilization` file (`vivado_synth.rpt`), read the
/// way hls4ml's `parse_vivado_report` reads them (`VivadoSynthReport`), values as written.
///
/// The keys are hls4ml's: `LUT`, `FF`, `BRAM_18K` (which, despite its name, counts 36 Kb Block RAM tiles),
/// `DSP48E`, `URAM` (absent when the device has no URAM row).
public struct VivadoSynthReport: Sendable, Equatable, Codable {
    public var values: [String: String]

    enum CodingKeys: String, CodingKey { case values }

    public init(values: [String: String]) { self.values = values }

    /// Reads report text. A section number is tracked from lines that start with `<digit>.` (the table of
    /// contents matches too, as in hls4ml); only table lines (holding `|`) are read, and the "Used" column is
    /// the third `|`-separated field. A later match overwrites an earlier one, as in hls4ml.
    public init(text: String, name: String) throws {
        var values: [String: String] = [:]
        var section = 0
        var sawHeader = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.utf8
            if let first = line.first, (48...57).contains(first), line.dropFirst().first == UInt8(ascii: ".") {
                section = Int(first - 48)
            }
            if rawLine.contains("Utilization Design Information") || rawLine.contains("report_utilization") { sawHeader = true }
            guard rawLine.contains("|") else { continue }
            let key: String?
            switch section {
            case 1 where rawLine.contains("CLB LUTs") || rawLine.contains("Slice LUTs"): key = "LUT"
            case 1 where rawLine.contains("CLB Registers") || rawLine.contains("Slice Registers"): key = "FF"
            case 2 where rawLine.contains("Block RAM Tile"): key = "BRAM_18K"
            case 2 where rawLine.contains("URAM"): key = "URAM"
            case 3 where rawLine.contains("DSPs"): key = "DSP48E"
            default: key = nil
            }
            guard let key else { continue }
            let fields = rawLine.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count > 2 else { continue }
            values[key] = String(fields[2]).trimmingSpaces
        }
        guard sawHeader || !values.isEmpty else {
            throw Hls4mlProblem(Hls4mlProblem.reportMalformed, "\(name): not a Vivado utilization report")
        }
        // A report cut before its DSP table lost numbers the record needs: a truncated report, not zeros.
        for needed in ["LUT", "FF", "BRAM_18K", "DSP48E"] where values[needed] == nil {
            throw Hls4mlProblem(Hls4mlProblem.reportMalformed,
                                "\(name): the utilization report has no \(needed) row (truncated or not a synthesis report)")
        }
        self.values = values
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and carriage returns (Python's `strip()` for report cells).
    var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !blank($0) }), let end = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[start...end])
    }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}

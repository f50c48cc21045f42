/// The post-synthesis utilisation numbers of a Vivado `report_utilization` file (`vivado_synth.rpt`), read the
/// way hls4ml's `parse_vivado_report` reads them (`VivadoSynthReport`), values as written.
///
/// The keys are hls4ml's: `LUT`, `FF`, `BRAM_18K` (which, despite its name, counts 36 Kb Block RAM tiles),
/// `DSP48E`, `URAM` (absent when the device has no URAM row).
public struct VivadoSynthReport: Sendable, Equatable, Codable {
    public var values: [String: String]

    enum CodingKeys: String, CodingKey { case values }

    public init(values: [String: String]) { self.values = values }

    /// Reads report text.
    public init(text: String, name: String) throws {
        try self.init(bytes: Array(text.utf8), name: name)
    }

    /// Reads report bytes. A section number is tracked from lines that start with `<digit>.` (the table of contents
    /// matches too, as in hls4ml); only table lines (holding `|`) are read, and the "Used" column is the third
    /// `|`-separated field. A later match overwrites an earlier one, as in hls4ml. Bytes, not characters: the
    /// labels are ASCII, and a report is read once per project, thousands of times in a dataset build.
    public init(bytes: [UInt8], name: String) throws {
        var values: [String: String] = [:]
        var section = 0
        var sawHeader = false
        var start = 0
        let count = bytes.count
        while start < count {
            var end = start
            while end < count && bytes[end] != 0x0A { end += 1 }
            let line = bytes[start..<end]
            start = end + 1
            if line.count >= 2, let first = line.first, (48...57).contains(first), line[line.startIndex + 1] == UInt8(ascii: ".") {
                section = Int(first - 48)
            }
            if !sawHeader && (Self.contains(line, Self.headerTitle) || Self.contains(line, Self.headerCommand)) { sawHeader = true }
            guard section >= 1 && section <= 3, line.contains(Self.bar) else { continue }
            let key: String?
            switch section {
            case 1 where Self.contains(line, Self.clbLUTs) || Self.contains(line, Self.sliceLUTs): key = "LUT"
            case 1 where Self.contains(line, Self.clbRegisters) || Self.contains(line, Self.sliceRegisters): key = "FF"
            case 2 where Self.contains(line, Self.blockRAM): key = "BRAM_18K"
            case 2 where Self.contains(line, Self.uram): key = "URAM"
            case 3 where Self.contains(line, Self.dsps): key = "DSP48E"
            default: key = nil
            }
            guard let key, let cell = Self.thirdField(line) else { continue }
            values[key] = cell
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

    private static let bar = UInt8(ascii: "|")
    private static let headerTitle = Array("Utilization Design Information".utf8)
    private static let headerCommand = Array("report_utilization".utf8)
    private static let clbLUTs = Array("CLB LUTs".utf8)
    private static let sliceLUTs = Array("Slice LUTs".utf8)
    private static let clbRegisters = Array("CLB Registers".utf8)
    private static let sliceRegisters = Array("Slice Registers".utf8)
    private static let blockRAM = Array("Block RAM Tile".utf8)
    private static let uram = Array("URAM".utf8)
    private static let dsps = Array("DSPs".utf8)

    private static func contains(_ line: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let head = needle.first, line.count >= needle.count else { return false }
        var index = line.startIndex
        let last = line.endIndex - needle.count
        while index <= last {
            if line[index] == head {
                var offset = 1
                while offset < needle.count && line[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    // Python's `line.split('|')[2].strip()`: the text between the second and third bar (or the line's end).
    private static func thirdField(_ line: ArraySlice<UInt8>) -> String? {
        var bars = 0
        var from = line.startIndex
        var to = line.endIndex
        for index in line.indices where line[index] == bar {
            bars += 1
            if bars == 2 { from = index + 1 } else if bars == 3 { to = index; break }
        }
        guard bars >= 2 else { return nil }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        while from < to && blank(line[from]) { from += 1 }
        while to > from && blank(line[to - 1]) { to -= 1 }
        return String(decoding: line[from..<to], as: UTF8.self)
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

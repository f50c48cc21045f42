import Foundation
import Hls4ml
import StageKit
import XCTest
import XMLReader

/// The report parsers on report text written here in the real layouts, and their rejects.
final class ReportTests: XCTestCase {
    private func csynth(_ body: String, prolog: String = "") -> [UInt8] {
        Array((prolog + "<profile>\n" + body + "\n</profile>\n").utf8)
    }

    private let fullBody = """
        <ReportVersion><Version>2023.2</Version></ReportVersion>
        <UserAssignments><Part>xcu250-figd2104-2L-e</Part><TargetClockPeriod>5.00</TargetClockPeriod></UserAssignments>
        <PerformanceEstimates>
        <SummaryOfTimingAnalysis><unit>ns</unit><EstimatedClockPeriod>3.782</EstimatedClockPeriod></SummaryOfTimingAnalysis>
        <SummaryOfOverallLatency><Best-caseLatency>3333</Best-caseLatency><Worst-caseLatency>3336</Worst-caseLatency>
        <Interval-min>1248</Interval-min><Interval-max>1249</Interval-max></SummaryOfOverallLatency>
        </PerformanceEstimates>
        <AreaEstimates><Resources><BRAM_18K>19</BRAM_18K><DSP48E>7</DSP48E><FF>17274</FF><LUT>24945</LUT><URAM>0</URAM></Resources>
        <AvailableResources><BRAM_18K>5376</BRAM_18K><DSP>12288</DSP></AvailableResources></AreaEstimates>
        """

    func testCSynthValuesAreReadAsWrittenAndDSP48EIsRenamed() throws {
        let report = try CSynthReport(bytes: csynth(fullBody), name: "r.xml")
        XCTAssertEqual(report.targetClockPeriod, "5.00")
        XCTAssertEqual(report.estimatedClockPeriod, "3.782")
        XCTAssertEqual(report.bestLatency, "3333")
        XCTAssertEqual(report.worstLatency, "3336")
        XCTAssertEqual(report.intervalMin, "1248")
        XCTAssertEqual(report.intervalMax, "1249")
        XCTAssertEqual(report.resources, ["BRAM_18K": "19", "DSP": "7", "FF": "17274", "LUT": "24945", "URAM": "0"])
        XCTAssertEqual(report.available, ["BRAM_18K": "5376", "DSP": "12288"])
        XCTAssertEqual(report.toolVersion, "2023.2")
        XCTAssertEqual(report.part, "xcu250-figd2104-2L-e")
    }

    func testAnExternalEntityIsRefusedAndNothingIsRead() throws {
        // A file the entity names: if the parser read it, its text would appear in the value.
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-hls4ml-secret-\(UUID().uuidString)")
        try Data("SECRET-CONTENT".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        let before = XMLReader.refusedExternalLoads
        let xxe = csynth(fullBody.replacingOccurrences(of: "<Version>2023.2</Version>", with: "<Version>&xxe;</Version>"),
                         prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE profile [<!ENTITY xxe SYSTEM \"file://\(secret.path)\">]>\n")
        XCTAssertThrowsError(try CSynthReport(bytes: xxe, name: "xxe.xml")) { error in
            let problem = error as? Hls4mlProblem
            XCTAssertEqual(problem?.code, "hls4ml.xml_refused")
            XCTAssertTrue(problem?.reason.contains("DTD or an entity") ?? false, "\(String(describing: problem))")
            XCTAssertFalse(problem?.reason.contains("SECRET-CONTENT") ?? true)
        }
        // Refused at the declaration: libxml2 was never asked to load the file.
        XCTAssertEqual(XMLReader.refusedExternalLoads, before)
        let dtd = csynth(fullBody, prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE profile SYSTEM \"file://\(secret.path)\">\n")
        XCTAssertThrowsError(try CSynthReport(bytes: dtd, name: "dtd.xml")) { error in
            XCTAssertEqual((error as? Hls4mlProblem)?.code, "hls4ml.xml_refused")
        }
    }

    func testATruncatedReportIsMalformed() {
        let whole = csynth(fullBody)
        XCTAssertThrowsError(try CSynthReport(bytes: Array(whole.prefix(whole.count / 2)), name: "cut.xml")) { error in
            let problem = error as? Hls4mlProblem
            XCTAssertEqual(problem?.code, "hls4ml.report_malformed")
            XCTAssertTrue(problem?.reason.contains("truncated") ?? false)
        }
        let noLatency = csynth(fullBody.replacingOccurrences(of: "<Interval-max>1249</Interval-max>", with: ""))
        XCTAssertThrowsError(try CSynthReport(bytes: noLatency, name: "part.xml")) { error in
            XCTAssertEqual((error as? Hls4mlProblem)?.reason, "part.xml: the HLS report has no PerformanceEstimates/SummaryOfOverallLatency/Interval-max")
        }
    }

    private let sevenSeries = """
        | Command      : report_utilization -file vivado_synth.rpt
        Table of Contents
        1. Slice Logic
        2. Memory
        3. DSP
        1. Slice Logic
        +----------------------------+------+-------+-----------+-------+
        | Slice LUTs*                | 1526 |     0 |     53200 |  2.87 |
        |   LUT as Logic             | 1478 |     0 |     53200 |  2.78 |
        | Slice Registers            | 2428 |     0 |    106400 |  2.28 |
        2. Memory
        | Block RAM Tile |  3.5 |     0 |       140 |  0.00 |
        |   RAMB18       |    7 |     0 |       280 |  0.00 |
        3. DSP
        | DSPs           |   66 |     0 |       220 | 30.00 |
        4. IO and GT Specific
        | Bonded IOB                  |  384 |     0 |       125 | 307.20 |
        """

    func testUtilizationRowsOfTheirSections() throws {
        let report = try VivadoSynthReport(text: sevenSeries, name: "s.rpt")
        XCTAssertEqual(report.values, ["LUT": "1526", "FF": "2428", "BRAM_18K": "3.5", "DSP48E": "66"])
        let ultra = sevenSeries.replacingOccurrences(of: "Slice LUTs*", with: "CLB LUTs*  ")
            .replacingOccurrences(of: "Slice Registers", with: "CLB Registers  ")
            .replacingOccurrences(of: "|   RAMB18       |    7 |", with: "| URAM           |    2 |")
        XCTAssertEqual(try VivadoSynthReport(text: ultra, name: "u.rpt").values,
                       ["LUT": "1526", "FF": "2428", "BRAM_18K": "3.5", "DSP48E": "66", "URAM": "2"])
    }

    func testATruncatedUtilizationReportIsMalformed() {
        // Cut inside the DSP table: every row before it is there, the DSP row is not.
        let cut = String(sevenSeries[..<(sevenSeries.range(of: "| DSPs")?.lowerBound ?? sevenSeries.endIndex)])
        XCTAssertThrowsError(try VivadoSynthReport(text: cut, name: "cut.rpt")) { error in
            XCTAssertEqual((error as? Hls4mlProblem)?.code, "hls4ml.report_malformed")
            XCTAssertTrue((error as? Hls4mlProblem)?.reason.contains("DSP48E") ?? false)
        }
    }

    func testTclSettingsOfBothGenerations() {
        let new = TclSettings(text: "variable part\nset part \"xcu250-figd2104-2L-e\"\nset clock_period 5\nset project_name \"myproject\"\nset backend \"vitis\"\n")
        XCTAssertEqual(new, TclSettings(part: "xcu250-figd2104-2L-e", clockPeriod: "5", projectName: "myproject", backend: "vitis"))
        let old = TclSettings(text: "# set part {ignored}\nopen_project myproject_prj\nset_part {xc7z020clg400-1}\ncreate_clock -period 10 -name default\n")
        XCTAssertEqual(old, TclSettings(part: "xc7z020clg400-1", clockPeriod: "10", projectName: "myproject"))
    }

    /// ASCII files are read by bytes, others by Characters; both readings agree on the words they share.
    func testTclSettingsByteAndCharacterReadingsAgree() {
        let ascii = "# built by hls4ml\nset part {xcvu9p};\nset clock_period 4;\r\topen_project \"a b_prj\"\n"
        let nonASCII = "# built by hls4ml — café\nset part {xcvu9p};\nset clock_period 4;\r\topen_project \"a b_prj\"\n"
        XCTAssertEqual(TclSettings(text: ascii), TclSettings(part: "xcvu9p", clockPeriod: "4", projectName: "a b"))
        XCTAssertEqual(TclSettings(text: nonASCII), TclSettings(text: ascii))
        XCTAssertEqual(TclSettings(text: "set part \"é\"\n").part, "é")
    }

    func testReuseFactorRule() {
        // 32 inputs, 10 outputs: 128 does not divide 320; 64 and 160 are valid, 160 is nearer.
        XCTAssertFalse(ReuseFactor.isValid(nIn: 32, nOut: 10, rf: 128))
        XCTAssertTrue(ReuseFactor.isValid(nIn: 32, nOut: 10, rf: 160))
        XCTAssertEqual(ReuseFactor.closest(nIn: 32, nOut: 10, requested: 128), 160)
        XCTAssertEqual(ReuseFactor.closest(nIn: 16, nOut: 32, requested: 4), 4)
        // Past the weight count, the largest valid value.
        XCTAssertEqual(ReuseFactor.closest(nIn: 6, nOut: 8, requested: 8192), 48)
        // 3 inputs, 4 outputs: valid {1, 3, 6, 12} (2 leaves 6 multipliers for 4 outputs; 4 is not a multiple of 3).
        XCTAssertFalse(ReuseFactor.isValid(nIn: 3, nOut: 4, rf: 4))
        XCTAssertFalse(ReuseFactor.isValid(nIn: 3, nOut: 4, rf: 2))
        XCTAssertEqual(ReuseFactor.closest(nIn: 3, nOut: 4, requested: 4), 3)
        // A tie goes to the smaller value, as hls4ml's bisection does.
        XCTAssertEqual(ReuseFactor.closest(nIn: 3, nOut: 4, requested: 2), 1)
    }

    func testPrecisionWidths() {
        XCTAssertEqual(Precision.width("fixed<16,6>"), 16)
        XCTAssertEqual(Precision.width("ap_fixed<2, 1>"), 2)
        XCTAssertEqual(Precision.width("fixed<16,2,TRN,WRAP,0>"), 16)
        XCTAssertEqual(Precision.width(["default": "fixed<8,3>"]), 8)
        XCTAssertNil(Precision.width("auto"))
    }
}

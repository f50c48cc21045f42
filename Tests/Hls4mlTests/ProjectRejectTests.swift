import Foundation
import Hls4ml
import StageKit
import XCTest

/// Projects that give no record: each is a reject that says why, and nothing a hostile report names is read.
final class ProjectRejectTests: XCTestCase {
    private let report = "myproject_prj/solution1/syn/report/myproject_csynth.xml"

    /// The dense Latency project of Data/hls4ml, as relative path → text.
    private func denseProject() throws -> [String: String] {
        var files: [String: String] = [:]
        for name in ["hls4ml_config.yml", "keras_model.json", "project.tcl", "vivado_synth.rpt", report] {
            files[name] = try Fixtures.text("dense_16_32_5_rf4/" + name)
        }
        return files
    }

    func testTheUnchangedProjectGivesOneRecord() throws {
        let (map, reduce, _) = try Fixtures.build(try Fixtures.project(try denseProject()))
        XCTAssertEqual(map.rejects, [])
        XCTAssertEqual(reduce.rejects, [])
        XCTAssertEqual(reduce.values("main").count, 1)
    }

    func testAReportWithAnExternalEntityIsRejectedAndSoIsItsProject() throws {
        var files = try denseProject()
        let xml = try XCTUnwrap(files[report])
        files[report] = xml.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                                                 with: "<?xml version=\"1.0\"?>\n<!DOCTYPE profile [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n")
            .replacingOccurrences(of: "<Version>2024.2</Version>", with: "<Version>&x;</Version>")
        let (map, reduce, _) = try Fixtures.build(try Fixtures.project(files))
        XCTAssertEqual(map.rejects.map(\.code), ["hls4ml.xml_refused"])
        XCTAssertEqual(map.rejects.first?.locator, "p/" + report)
        XCTAssertFalse(map.rejects.first?.reason.contains("root:") ?? true, "nothing of /etc/passwd in the reason")
        XCTAssertEqual(reduce.rejects.map(\.code), ["hls4ml.incomplete"])
        XCTAssertTrue(reduce.rejects.first?.reason.contains("HLS report (<prj>/<solution>/syn/report/<top>_csynth.xml) unusable") ?? false,
                      reduce.rejects.first?.reason ?? "")
        XCTAssertEqual(reduce.values("main").count, 0)
    }

    func testATruncatedReportIsRejected() throws {
        var files = try denseProject()
        let xml = try XCTUnwrap(files[report])
        files[report] = String(xml.prefix(xml.count / 2))
        let (map, reduce, _) = try Fixtures.build(try Fixtures.project(files))
        XCTAssertEqual(map.rejects.map(\.code), ["hls4ml.report_malformed"])
        XCTAssertTrue(map.rejects.first?.reason.contains("truncated") ?? false)
        XCTAssertEqual(reduce.rejects.map(\.code), ["hls4ml.incomplete"])
    }

    func testAProjectWithoutItsReportsIsRejectedNamingThem() throws {
        var files = try denseProject()
        files[report] = nil
        files["vivado_synth.rpt"] = nil
        let (map, reduce, _) = try Fixtures.build(try Fixtures.project(files))
        XCTAssertEqual(map.rejects, [])
        XCTAssertEqual(reduce.rejects.first?.reason,
                       "project p is incomplete: no HLS report (<prj>/<solution>/syn/report/<top>_csynth.xml); no synthesis report (vivado_synth.rpt)")
        XCTAssertEqual(reduce.rejects.first?.locator, "p")
    }

    func testWithoutRequiredSynthesisTheResourceReportIsEmptyNotZero() throws {
        var files = try denseProject()
        files["vivado_synth.rpt"] = nil
        let (_, reduce, _) = try Fixtures.build(try Fixtures.project(files), params: ["require_synthesis": false])
        let record = try XCTUnwrap(reduce.values("main").first)
        XCTAssertEqual(record["resource_report"], .object([:]))
        XCTAssertEqual(record["targets"]?["dsp"], .null)
        XCTAssertEqual(record["targets"]?["hls_dsp"]?.doubleValue, 160)
    }

    func testAnUnknownLayerIsRejected() throws {
        var files = try denseProject()
        files["keras_model.json"] = try XCTUnwrap(files["keras_model.json"]).replacingOccurrences(of: "\"Dense\"", with: "\"LSTM\"")
        let (_, reduce, _) = try Fixtures.build(try Fixtures.project(files))
        XCTAssertEqual(reduce.rejects.map(\.code), ["hls4ml.unsupported_layer"])
        XCTAssertEqual(reduce.rejects.first?.reason, "layer dense_1 is a LSTM, which pipe cannot describe")
    }

    func testProjectsWithOneFolderNameInTwoArchivesNeverMix() throws {
        let files = try denseProject()
        var items: [InputItem] = []
        for archive in ["a.tar.gz", "b.tar.gz"] {
            for (name, text) in files.sorted(by: { $0.key < $1.key }) where !(archive == "b.tar.gz" && name == "vivado_synth.rpt") {
                items.append(InputItem(locator: "\(archive)!dense_rf4/\(name)", source: .bytes(Array(text.utf8))))
            }
        }
        let (_, reduce, _) = try Fixtures.build(items)
        XCTAssertEqual(reduce.values("main").count, 1)
        XCTAssertEqual(reduce.rejects.map(\.locator), ["b.tar.gz!dense_rf4"])
    }
}

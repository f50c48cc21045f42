import Foundation
import Hls4ml
import StageKit
import StageKitTestSupport
import XCTest

/// `hls4ml.records` on the projects in Data/hls4ml: every field of every record (the golden file, whose report
/// numbers and layer arithmetic are checked by hand below), the schema, and the one project rejected on purpose.
final class DataRecordsTests: XCTestCase {
    private var goldenPath: String { Fixtures.golden + "/data-records.jsonl" }

    func testRecordsOfDataMatchTheGoldenFileAndTheSchema() throws {
        let (_, reduce, stage) = try Fixtures.build(try Fixtures.dataItems())
        let records = reduce.output["main"] ?? []
        StageTesting.assertRecordsMatchSchemas(records.map { ("main", $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([Hls4mlRecordsStage.self]))
        let text = records.map { String(decoding: $0.bytes, as: UTF8.self) + "\n" }.joined()
        if ProcessInfo.processInfo.environment["PIPE_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: goldenPath))
        }
        let golden = try String(contentsOfFile: goldenPath, encoding: .utf8)
        XCTAssertEqual(text, golden, "every field of every record (set PIPE_UPDATE_GOLDEN=1 to rewrite, then review the diff)")
        XCTAssertEqual(records.map(\.key.locator), ["Data/hls4ml/conv2d_8x8_rf36", "Data/hls4ml/dense_16_32_5_rf4",
                                                     "Data/hls4ml/dense_64_32_10_rf128",
                                                     "Data/hls4ml/conv1d_projects.tar.gz!conv1d_32_rf8192"])
        XCTAssertEqual(reduce.rejects.map(\.code), ["hls4ml.incomplete"])
        XCTAssertEqual(reduce.rejects.first?.reason,
                       "project Data/hls4ml/dense_8_4_nosynth_rf1 is incomplete: no synthesis report (vivado_synth.rpt)")
    }

    private func record(_ name: String) throws -> JSONValue {
        let (_, reduce, _) = try Fixtures.build(try Fixtures.dataItems())
        let values = reduce.values("main")
        return try XCTUnwrap(values.first { $0["meta_data"]?["model_name"]?.stringValue == name })
    }

    /// Dense, Latency, Keras 2 Sequential JSON, a sub-function HLS report beside the top one (ignored).
    func testDenseLatencyRecordByHand() throws {
        let record = try record("dense_16_32_5")
        XCTAssertEqual(record["resource_report"], ["bram": "0", "dsp": "152", "ff": "2950", "lut": "8123", "uram": "0"])
        XCTAssertEqual(record["hls_resource_report"], ["bram": "0", "dsp": "160", "ff": "3412", "lut": "9876", "uram": "0"])
        XCTAssertEqual(record["latency_report"], ["cycles_min": "9", "cycles_max": "9", "target_clock": "5.00",
                                                  "estimated_clock": "3.912", "interval_min": "4", "interval_max": "4"])
        XCTAssertEqual(record["target_part"]?.stringValue, "xcu250-figd2104-2L-e")
        XCTAssertEqual(record["vivado_version"]?.stringValue, "2024.2")
        XCTAssertEqual(record["hls4ml_version"]?.stringValue, "1.1.0")
        XCTAssertEqual(record["meta_data"]?["artifacts_file"]?.stringValue, "dense_16_32_5_rf4")
        let layers = try XCTUnwrap(record["model_config"]?.arrayValue)
        XCTAssertEqual(layers.compactMap { $0["class_name"]?.stringValue }, ["InputLayer", "Dense", "Activation", "Dense", "Activation"])
        // 16 × 32 + 32 and 32 × 5 + 5 parameters.
        XCTAssertEqual(layers.compactMap { $0["parameters"]?.integerValue }, [0, 544, 0, 165, 0])
        XCTAssertEqual(layers[0]["input_shape"], [[nil, 16]])
        XCTAssertEqual(layers[1]["output_shape"], [nil, 32])
        XCTAssertEqual(layers[2]["activation"]?.stringValue, "relu")
        XCTAssertEqual(layers[4]["activation"]?.stringValue, "softmax")
        XCTAssertEqual(record["features"]?["multiplications"]?.integerValue, 16 * 32 + 32 * 5)
        XCTAssertEqual(record["features"]?["resource_strategy"]?.integerValue, 0)
        XCTAssertEqual(record["features"]?["weight_bits"]?.doubleValue, 8)
        XCTAssertEqual(record["targets"]?["dsp"]?.doubleValue, 152)
        XCTAssertEqual(record["targets"]?["hls_dsp"]?.doubleValue, 160)
    }

    /// Dense, Resource, Keras 3 Functional in a .keras zip (deflated): the requested reuse factor 128 is not valid
    /// for fc2 (32 × 10 weights), 160 is the nearest valid one; BRAM tiles 2.5 are 5 blocks of 18 Kb.
    func testDenseResourceRecordByHand() throws {
        let record = try record("dense_64_32_10")
        let layers = try XCTUnwrap(record["model_config"]?.arrayValue)
        XCTAssertEqual(layers.compactMap { $0["class_name"]?.stringValue }, ["InputLayer", "Dense", "Activation", "Dropout", "Dense"])
        XCTAssertEqual(layers.compactMap { $0["reuse_factor"]?.integerValue }, [128, 128, 128, 128, 160])
        XCTAssertEqual(layers[1]["dtype"]?.stringValue, "float32")
        XCTAssertEqual(layers[3]["dropout_rate"]?.doubleValue, 0.25)
        XCTAssertEqual(layers[4]["use_bias"]?.boolValue, false)
        XCTAssertEqual(layers[4]["parameters"]?.integerValue, 320)
        XCTAssertEqual(layers[4]["inbound_layers"], ["drop1"])
        XCTAssertEqual(record["resource_report"]?["bram"]?.stringValue, "2.5")
        XCTAssertEqual(record["targets"]?["bram_18k"]?.doubleValue, 5)
        XCTAssertEqual(record["targets"]?["hls_bram_18k"]?.doubleValue, 6)
        XCTAssertEqual(record["features"]?["mean_reuse_factor"]?.doubleValue, 144)
        XCTAssertEqual(record["features"]?["weight_bits"]?.doubleValue, 4)
    }

    /// Conv2D, io_stream, part and clock only in an old-style build_prj.tcl, a Vivado HLS report with DSP48E.
    func testConv2DRecordByHand() throws {
        let record = try record("conv2d_8x8")
        let layers = try XCTUnwrap(record["model_config"]?.arrayValue)
        XCTAssertEqual(layers.compactMap { $0["class_name"]?.stringValue },
                       ["InputLayer", "Conv2D", "Activation", "MaxPooling2D", "Flatten", "Dense", "Activation"])
        // 3 × 3 × 1 × 4 + 4 parameters; 8 − 3 + 1 = 6; pooled to 3; 3 × 3 × 4 = 36 flattened.
        XCTAssertEqual(layers[1]["parameters"]?.integerValue, 40)
        XCTAssertEqual(layers[1]["output_shape"], [nil, 6, 6, 4])
        XCTAssertEqual(layers[3]["output_shape"], [nil, 3, 3, 4])
        XCTAssertEqual(layers[4]["output_shape"], [nil, 36])
        XCTAssertEqual(layers[5]["parameters"]?.integerValue, 36 * 3 + 3)
        // n_in = 1 × 9, n_out = 4: 36 weights, 36 is valid.
        XCTAssertEqual(layers[1]["reuse_factor"]?.integerValue, 36)
        XCTAssertEqual(record["hls_resource_report"]?["dsp"]?.stringValue, "5")
        XCTAssertEqual(record["vivado_version"]?.stringValue, "2020.1")
        XCTAssertEqual(record["features"]?["io_stream"]?.integerValue, 1)
        XCTAssertEqual(record["features"]?["conv2d_layers"]?.integerValue, 1)
        XCTAssertEqual(record["targets"]?["bram_18k"]?.doubleValue, 17)
    }

    /// Conv1D read from the .tar.gz: `same` padding keeps 32 positions, n_in = 2 × 3, so 8192 becomes 48.
    func testConv1DFromTheArchiveByHand() throws {
        let record = try record("conv1d_32")
        XCTAssertEqual(record["meta_data"]?["artifacts_file"]?.stringValue, "conv1d_projects.tar.gz")
        let layers = try XCTUnwrap(record["model_config"]?.arrayValue)
        XCTAssertEqual(layers[1]["output_shape"], [nil, 32, 8])
        XCTAssertEqual(layers[1]["reuse_factor"]?.integerValue, 48)
        XCTAssertEqual(layers[1]["parameters"]?.integerValue, 3 * 2 * 8 + 8)
        XCTAssertEqual(layers[3]["output_shape"], [nil, 8, 8])
        XCTAssertEqual(layers[5]["reuse_factor"]?.integerValue, 256)
        XCTAssertEqual(record["latency_report"]?["cycles_max"]?.stringValue, "1302")
        XCTAssertEqual(record["targets"]?["bram_18k"]?.doubleValue, 3)
    }

    func testTheSameNetworkAtAnotherReuseFactorSharesItsModel() throws {
        var items = try Fixtures.dataItems().filter { $0.locator.contains("dense_16_32_5_rf4/") }
        let (_, first, _) = try Fixtures.build(items)
        items = try items.map { item in
            guard item.locator.hasSuffix("hls4ml_config.yml") else {
                return InputItem(locator: item.locator.replacingOccurrences(of: "_rf4", with: "_rf8"), source: item.source)
            }
            let text = try Fixtures.text("dense_16_32_5_rf4/hls4ml_config.yml").replacingOccurrences(of: "ReuseFactor: 4", with: "ReuseFactor: 8")
                .replacingOccurrences(of: "fixed<8,1>", with: "fixed<6,1>")
            return InputItem(locator: item.locator.replacingOccurrences(of: "_rf4", with: "_rf8"), source: .bytes(Array(text.utf8)))
        }
        let (_, second, _) = try Fixtures.build(items)
        let a = try XCTUnwrap(first.values("main").first), b = try XCTUnwrap(second.values("main").first)
        XCTAssertEqual(a["model"], b["model"])
        XCTAssertNotEqual(a["id"], b["id"])
        XCTAssertEqual(b["meta_data"]?["model_name"]?.stringValue, "dense_16_32_5")
        XCTAssertEqual(b["features"]?["reuse_factor"]?.doubleValue, 8)
    }
}

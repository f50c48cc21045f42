import Foundation
import Hls4ml
import StageKit
import StageKitTestSupport
import XCTest

/// `hls4ml.import` on files in the published layout: one top-level array per file.
final class ImportTests: XCTestCase {
    // An abridged record in the shape of the reference's §4.5 example (3layer subset), and a 2_20-style one.
    private let threeLayer = """
        {"meta_data": {"uuid": "2b31c738-0000-4000-8000-000000000000", "model_name": "/output/3layer_run_vsynth_2023-2/raw_reports/dense_24_104_24_104_16b", "artifacts_file": "2b31c738-0000-4000-8000-000000000000.tar.gz"},
         "model_config": [{"class_name": "QDense", "input_shape": [null, 24], "output_shape": [null, 104], "inbound_layers": ["in"], "parameters": 2600, "trainable_parameters": 2600, "neurons": 104, "use_bias": true, "dtype": "float32", "reuse_factor": 1248}],
         "hls_config": {"Model": {"Precision": "fixed<16,6>", "ReuseFactor": 1024, "Strategy": "resource", "BramFactor": 1000000000, "TraceOutput": false},
           "LayerName": {"q_dense_1": {"Trace": false, "Precision": {"result": "fixed<16,6>", "weight": "fixed<16,1>", "bias": "fixed<16,1>", "accum": "fixed<16,6>"}, "ReuseFactor": 1024}}},
         "resource_report": {"bram": "1.5", "dsp": "7", "ff": "18907", "lut": "29328", "uram": "0"},
         "hls_resource_report": {"bram": "19", "dsp": "7", "ff": "17274", "lut": "24945", "uram": "0"},
         "latency_report": {"cycles_min": "3333", "cycles_max": "3336", "target_clock": "5.00", "estimated_clock": "3.782", "interval_max": "1248", "interval_min": "1248"},
         "target_part": "xcu250-figd2104-2L-e", "vivado_version": "2023.2", "hls4ml_version": "0.8.1"}
        """
    private let twoTwenty = """
        {"meta_data": {"model_id": "0123456789abcdef0123456789abcdef", "model_name": "model_Dense_16in_ap_fixed<2, 1>_64rf_L", "artifacts_file": "0123456789abcdef0123456789abcdef.tar.gz"},
         "model_config": [{"class_name": "Dense", "input_shape": [null, 16], "output_shape": [null, 8], "parameters": 136, "trainable_parameters": 136, "neurons": 8, "use_bias": true, "dtype": "float32", "reuse_factor": 64, "name": "d"}],
         "hls_config": {"Model": {"Precision": "ap_fixed<2, 1>", "ReuseFactor": 64, "Strategy": "Latency"}, "clock_period": 10.0, "io_type": "io_parallel"},
         "hls_resource_report": {"bram": "0.0", "dsp": "0.0", "ff": "512.0", "lut": "1024.0"},
         "resource_report": {}, "latency_report": {},
         "target_part": "xc7z020clg400-1", "backend": "VivadoAccelerator", "backend_version": "2019.1", "hls4ml_version": "0.8.1"}
        """

    private func run(_ text: String, name: String = "test_3layer_merged.json") throws -> (InMemoryMapContext, Hls4mlImportStage) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-hls4ml-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        let stage = try StageTesting.make(Hls4mlImportStage.self)
        let context = InMemoryMapContext(streams: stage.streams)
        try context.map([InputItem(locator: "hf/test/" + name, source: .file(path: file.path))], with: stage)
        return (context, stage)
    }

    func testRecordsKeepEveryFieldAndGainTheAdditions() throws {
        let (context, stage) = try run("[\(threeLayer), null, \(twoTwenty), 7, null]")
        StageTesting.assertRecordsMatchSchemas(context.records.map { ("main", $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([Hls4mlImportStage.self]))
        let records = context.values()
        XCTAssertEqual(records.count, 2)
        let original = try JSONParser.parse(threeLayer)
        let first = records[0]
        for key in original.objectValue?.keys.sorted() ?? [] { XCTAssertEqual(first[key], original[key], key) }
        XCTAssertEqual(first["id"]?.stringValue, RecordAdditions.recordID(original))
        XCTAssertEqual(first["targets"]?["bram_18k"]?.doubleValue, 3, "1.5 tiles of 36 Kb are 3 blocks of 18 Kb")
        XCTAssertEqual(first["targets"]?["hls_bram_18k"]?.doubleValue, 19)
        XCTAssertEqual(first["targets"]?["cycles_max"]?.doubleValue, 3336)
        XCTAssertEqual(first["features"]?["reuse_factor"]?.doubleValue, 1024)
        XCTAssertEqual(first["features"]?["mean_reuse_factor"]?.doubleValue, 1248)
        XCTAssertEqual(first["features"]?["weight_bits"]?.doubleValue, 16)
        XCTAssertEqual(first["features"]?["resource_strategy"]?.integerValue, 1)
        XCTAssertEqual(first["features"]?["multiplications"]?.integerValue, 24 * 104)
        // 2_20: empty reports stay missing (null targets), its own io_type and backend fields kept.
        let second = records[1]
        XCTAssertEqual(second["backend"]?.stringValue, "VivadoAccelerator")
        XCTAssertEqual(second["resource_report"], .object([:]))
        XCTAssertEqual(second["targets"]?["dsp"], .null)
        XCTAssertEqual(second["targets"]?["hls_ff"]?.doubleValue, 512)
        XCTAssertEqual(second["features"]?["weight_bits"]?.doubleValue, 2)
        // Nulls are counted as dropped rejects; other non-objects are errors.
        XCTAssertEqual(context.rejects.map(\.code), ["hls4ml.null_entry", "record.not_object", "hls4ml.null_entry"])
        XCTAssertEqual(context.rejects.map(\.rejectClass), [.dropped, .error, .dropped])
    }

    func testTheSubsetSaysTheIOTypeWhereTheRecordDoesNot() throws {
        XCTAssertEqual(Hls4mlImportStage.subset(of: "hf/train/train_conv1d_merged.json"), "conv1d")
        XCTAssertEqual(Hls4mlImportStage.subset(of: "hf/train/train_2_20_merged.json"), "2_20")
        XCTAssertNil(Hls4mlImportStage.subset(of: "hf/exemplar/exemplar_models.json"))
        let (context, _) = try run("[\(threeLayer)]", name: "test_conv1d_merged.json")
        XCTAssertEqual(context.values().first?["features"]?["io_stream"]?.integerValue, 1)
    }

    func testATruncatedFileKeepsTheRecordsBeforeTheDamage() throws {
        let (context, _) = try run("[\(threeLayer), \(twoTwenty.prefix(200))")
        XCTAssertEqual(context.values().count, 1)
        XCTAssertEqual(context.rejects.map(\.code), ["json.truncated"])
    }

    func testModelIdentityIgnoresReuseFactors() throws {
        let a = try JSONParser.parse(threeLayer)
        let b = try JSONParser.parse(threeLayer.replacingOccurrences(of: "\"reuse_factor\": 1248", with: "\"reuse_factor\": 24"))
        XCTAssertEqual(RecordAdditions.modelIdentity(a["model_config"] ?? .null), RecordAdditions.modelIdentity(b["model_config"] ?? .null))
        XCTAssertNotEqual(RecordAdditions.recordID(a), RecordAdditions.recordID(b))
    }
}

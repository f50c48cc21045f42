import Foundation
import Hls4ml
import StageKit
import XCTest

/// The Keras model readers and the layer arithmetic beyond what the Data projects cover.
final class ModelTests: XCTestCase {
    /// A zip with stored (uncompressed) entries; our reader does not check CRCs, so they are left 0.
    private func storedZip(_ entries: [(String, [UInt8])]) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)] }
        func u32(_ value: Int) -> [UInt8] { u16(value & 0xffff) + u16(value >> 16) }
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in entries {
            let offset = out.count
            let nameBytes = Array(name.utf8)
            out += u32(0x0403_4b50) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(data.count) + u32(data.count)
                + u16(nameBytes.count) + u16(0) + nameBytes + data
            central += u32(0x0201_4b50) + u16(20) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(data.count)
                + u32(data.count) + u16(nameBytes.count) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + nameBytes
        }
        let start = out.count
        out += central
        out += u32(0x0605_4b50) + u16(0) + u16(0) + u16(entries.count) + u16(entries.count) + u32(central.count) + u32(start) + u16(0)
        return out
    }

    private let functional = """
        {"class_name": "Functional", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [null, 16], "name": "in"}, "inbound_nodes": []},
          {"class_name": "Dense", "name": "a", "config": {"units": 8, "activation": "relu", "dtype": "float32"},
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["in", 0, 0]}}], "kwargs": {}}]},
          {"class_name": "Dense", "name": "b", "config": {"units": 8, "activation": "linear"},
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["in", 0, 0]}}], "kwargs": {}}]},
          {"class_name": "Add", "name": "sum", "config": {},
           "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"keras_history": ["a", 0, 0]}},
                                        {"class_name": "__keras_tensor__", "config": {"keras_history": ["b", 0, 0]}}]], "kwargs": {}}]},
          {"class_name": "BatchNormalization", "name": "bn", "config": {"center": true, "scale": true},
           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["sum", 0, 0]}}], "kwargs": {}}]}]}}
        """

    func testKerasArchiveWithStoredEntriesAndMergeLayers() throws {
        let zip = storedZip([("metadata.json", Array("{}".utf8)), ("config.json", Array(functional.utf8))])
        let model = try KerasModel(kerasArchive: zip, name: "m.keras")
        XCTAssertEqual(model.layers.map(\.name), ["in", "a", "b", "sum", "bn"])
        XCTAssertEqual(model.layers[3].inbound, ["a", "b"])
        let layers = try LayerDescriber.describe(model, hlsConfig: ["Model": ["ReuseFactor": 2]])
        let values = try layers.map { try CanonicalJSON.value(of: $0) }
        XCTAssertEqual(values.compactMap { $0["class_name"]?.stringValue }, ["InputLayer", "Dense", "Activation", "Dense", "Add", "BatchNormalization"])
        XCTAssertEqual(values[4]["input_shape"], [[nil, 8], [nil, 8]])
        XCTAssertEqual(values[4]["output_shape"], [nil, 8])
        // 8 channels: gamma, beta trainable; moving mean and variance not.
        XCTAssertEqual(values[5]["parameters"]?.integerValue, 32)
        XCTAssertEqual(values[5]["trainable_parameters"]?.integerValue, 16)
        XCTAssertNil(values[5]["neurons"], "keys of other classes are absent, not null")
    }

    func testDamagedArchivesAndModelsAreProblems() {
        var zip = storedZip([("config.json", Array(functional.utf8))])
        zip.removeLast(30)
        XCTAssertThrowsError(try KerasModel(kerasArchive: zip, name: "cut.keras")) { error in
            XCTAssertEqual((error as? Hls4mlProblem)?.code, "hls4ml.config_malformed")
        }
        XCTAssertThrowsError(try KerasModel(kerasArchive: storedZip([("other.json", [])]), name: "x.keras")) { error in
            XCTAssertEqual((error as? Hls4mlProblem)?.reason, "x.keras: the .keras archive has no config.json")
        }
        XCTAssertThrowsError(try KerasModel(json: Array("{\"class_name\": \"Sequential\"}".utf8), name: "m.json"))
    }

    func testProjectFilesAreClassifiedByLocator() {
        XCTAssertEqual(ProjectFile.classify("a.tar.gz!p_rf4/myproject_prj/solution1/syn/report/myproject_csynth.xml"),
                       ProjectFile(piece: .csynth, project: "a.tar.gz!p_rf4", solution: "solution1"))
        XCTAssertEqual(ProjectFile.classify("d/p/myproject_prj/solution2/syn/report/myproject_axi_csynth.xml")?.solution, "solution2")
        XCTAssertNil(ProjectFile.classify("d/p/myproject_prj/solution1/syn/report/dense_latency_csynth.xml"))
        XCTAssertEqual(ProjectFile.classify("d/p/hls4ml_config.yml"), ProjectFile(piece: .config, project: "d/p"))
        XCTAssertEqual(ProjectFile.classify("d/p/myproject_prj/hls.app"), ProjectFile(piece: .app, project: "d/p"))
        XCTAssertNil(ProjectFile.classify("d/p/firmware/weights/w2.json"))
        XCTAssertNil(ProjectFile.classify("d/p/firmware/myproject.cpp"))
    }
}

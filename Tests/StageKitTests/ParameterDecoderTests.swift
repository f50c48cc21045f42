import XCTest
@testable import StageKit

/// Parameters decode into their types, and every problem names the field it is about.
final class ParameterDecoderTests: XCTestCase {
    private struct Options: Decodable, Equatable {
        var size = 4
        var name = "x"
        var nested = Nested()
        var labels: [String: Int] = [:]
        var list: [Nested] = []

        struct Nested: Decodable, Equatable {
            var depth = 1
            enum CodingKeys: String, CodingKey { case depth }
            init() {}
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                depth = try container.decodeIfPresent(Int.self, forKey: .depth) ?? depth
            }
        }

        enum CodingKeys: String, CodingKey { case size, name, nested, labels, list }

        init() {}
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            size = try container.decodeIfPresent(Int.self, forKey: .size) ?? size
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? name
            nested = try container.decodeIfPresent(Nested.self, forKey: .nested) ?? nested
            labels = try container.decodeIfPresent([String: Int].self, forKey: .labels) ?? labels
            list = try container.decodeIfPresent([Nested].self, forKey: .list) ?? list
        }
    }

    private func decode(_ value: JSONValue) throws -> Options { try ParameterDecoder.decode(Options.self, from: value) }

    private func failure(_ value: JSONValue) -> PipeError? {
        do {
            _ = try decode(value)
            return nil
        } catch {
            return error as? PipeError
        }
    }

    func testValuesAndDefaults() throws {
        XCTAssertEqual(try decode([:]), Options())
        var expected = Options()
        expected.size = 9
        expected.nested.depth = 3
        expected.labels = ["any key": 1]
        expected.list = [Options.Nested()]
        XCTAssertEqual(try decode(["size": 9.0, "nested": ["depth": 3], "labels": ["any key": 1], "list": [[:]]]), expected)
    }

    func testUnknownKeysAreFoundAtEveryLevel() {
        XCTAssertEqual(failure(["sise": 3])?.field, "/sise")
        XCTAssertEqual(failure(["sise": 3])?.code, "params.unknown")
        XCTAssertEqual(failure(["nested": ["depht": 3]])?.field, "/nested/depht")
        XCTAssertEqual(failure(["list": [[:], ["x": 1]]])?.field, "/list/1/x")
        XCTAssertNil(failure(["labels": ["anything": 1, "goes": 2]]), "a dictionary's keys are all known")
    }

    func testTypeErrorsNameTheirField() {
        XCTAssertEqual(failure(["size": "four"])?.field, "/size")
        XCTAssertEqual(failure(["size": "four"])?.code, "params.type")
        XCTAssertEqual(failure(["size": 2.5])?.code, "params.type")
        XCTAssertEqual(failure(["nested": ["depth": [1]]])?.field, "/nested/depth")
        XCTAssertEqual(failure(["list": [["depth": true]]])?.field, "/list/0/depth")
        XCTAssertEqual(failure(["size": 1e30])?.code, "params.invalid", "out of Int's range")
        XCTAssertEqual(try decode(["name": nil]), Options(), "null stands for the default, as an absent key does")
    }
}

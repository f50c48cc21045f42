import Crypto
import Foundation
import XCTest
import JSONSchema
@testable import Exporting
import Engine
import StageKit


final class ExportDocumentTests: XCTestCase {
    // MARK: Golden files

    func testCroissantMatchesGolden() throws {
        try assertGolden(JSONWriter.pretty(CroissantBuilder.build(Fixture.description)) + "\n", "croissant.json")
    }

    func testDatasetCardMatchesGolden() throws {
        try assertGolden(DatasetCard.render(Fixture.description), "README.md")
    }

    func testManifestMatchesGolden() throws {
        try assertGolden(JSONWriter.pretty(ManifestBuilder.build(Fixture.description)) + "\n", "manifest.json")
    }

    // MARK: Croissant

    func testCroissantIDsAreUnique() {
        var ids: [String] = []
        collectDefinedIDs(CroissantBuilder.build(Fixture.description), into: &ids)
        XCTAssertEqual(ids.count, Set(ids).count, "duplicate ids: \(ids.sorted())")
        XCTAssertTrue(ids.contains("records/split"))
    }

    func testCroissantFieldShapes() throws {
        let fields = try XCTUnwrap(recordFields(CroissantBuilder.build(Fixture.description)))
        XCTAssertEqual(fields["records/id"]?["dataType"], "sc:Text")
        XCTAssertEqual(fields["records/id"]?["source"]?["extract"], ["jsonPath": "id"])
        XCTAssertEqual(fields["records/tokens"]?["dataType"], "sc:Integer")
        XCTAssertEqual(fields["records/score"]?["dataType"], "sc:Float")
        XCTAssertEqual(fields["records/verified"]?["dataType"], "sc:Boolean")
        XCTAssertEqual(fields["records/note"]?["dataType"], "sc:Text")
        XCTAssertEqual(fields["records/group"]?["dataType"], "sc:Text")
        XCTAssertEqual(fields["records/tags"]?["isArray"], true)
        XCTAssertEqual(fields["records/tags"]?["arrayShape"], "-1")
        XCTAssertEqual(fields["records/matrix"]?["arrayShape"], "-1,-1")
        XCTAssertEqual(fields["records/matrix"]?["dataType"], "sc:Float")
        XCTAssertNil(fields["records/extra"], "a free-form object has no loadable Croissant type")
        XCTAssertNil(fields["records/meta"]?["dataType"])
        let meta = try XCTUnwrap(fields["records/meta"]?["subField"]?.arrayValue)
        XCTAssertEqual(meta.compactMap { $0["@id"]?.stringValue }, ["records/meta/line", "records/meta/origin", "records/meta/source"])
        let origin = try XCTUnwrap(meta[1]["subField"]?.arrayValue?.first)
        XCTAssertEqual(origin["source"]?["transform"], ["jsonPath": "origin.repo"])
        XCTAssertEqual(origin["source"]?["extract"], ["jsonPath": "meta"])
        let layers = try XCTUnwrap(fields["records/layers"])
        XCTAssertEqual(layers["isArray"], true)
        XCTAssertEqual(layers["subField"]?.arrayValue?.first?["source"]?["transform"], ["jsonPath": "name"])
        let split = try XCTUnwrap(fields["records/split"])
        XCTAssertEqual(split["source"]?["extract"], ["fileProperty": "fullpath"])
        XCTAssertEqual(
            split["source"]?["transform"]?["regex"],
            "^.*/(train|validation|test)-\\d{5}-of-\\d{5}\\.jsonl(?:\\.gz|\\.zst)?$")
    }

    func testCroissantDatasetProperties() throws {
        let doc = CroissantBuilder.build(Fixture.description)
        XCTAssertEqual(doc["conformsTo"], "http://mlcommons.org/croissant/1.1")
        XCTAssertEqual(doc["license"], "https://spdx.org/licenses/CC-BY-4.0.html")
        XCTAssertEqual(doc["version"], "1.0.0")
        XCTAssertEqual(doc["creator"], ["@type": "sc:Organization", "name": "Pipe Project"])
        XCTAssertEqual(doc["recordSet"]?.arrayValue?.first?["key"], ["@id": "records/id"])
        for key in ["path", "repeated", "replace", "samplingRate"] {
            XCTAssertNotNil(doc["@context"]?[key], key)
        }
        XCTAssertEqual(doc["@context"]?["@vocab"], "https://schema.org/")
        let data = try XCTUnwrap(doc["distribution"]?.arrayValue?.first)
        XCTAssertEqual(data["includes"], ["data/train-*.jsonl.gz", "data/validation-*.jsonl.gz", "data/test-*.jsonl.gz"])
        let artifact = try XCTUnwrap(doc["distribution"]?.arrayValue?.last)
        XCTAssertEqual(artifact["encodingFormat"], "application/json")
        XCTAssertEqual(artifact["contentUrl"], "artifacts/vocab.json")
    }

    func testCroissantLeavesOutWhatIsNotKnown() {
        var d = Fixture.description
        d.url = nil
        d.datePublished = nil
        d.creator = nil
        d.license = "LicenseRef-internal"
        d.observedFields = ["id", "text"]
        let doc = CroissantBuilder.build(d)
        XCTAssertNil(doc["url"])
        XCTAssertNil(doc["datePublished"])
        XCTAssertNil(doc["creator"])
        XCTAssertEqual(doc["license"], "LicenseRef-internal")
        XCTAssertEqual(
            recordFields(doc).map { Set($0.keys) }, ["records/id", "records/text", "records/split"])
    }

    func testCroissantRenamesSplitFieldThatCollides() {
        var d = Fixture.description
        d.recordSchema = ["type": "object", "properties": ["id": ["type": "string"], "split": ["type": "string"]]]
        let fields = recordFields(CroissantBuilder.build(d)) ?? [:]
        XCTAssertEqual(fields["records/split"]?["source"]?["extract"], ["jsonPath": "split"])
        XCTAssertEqual(fields["records/split_2"]?["source"]?["extract"], ["fileProperty": "fullpath"])
    }

    func testCroissantSkipsKeysJSONPathCannotName() {
        var d = Fixture.description
        d.recordSchema = [
            "type": "object",
            "properties": ["id": ["type": "string"], "a b": ["type": "string"], "1st": ["type": "string"],
                           "where": ["type": "string"], "a.b": ["type": "string"], "ok-key": ["type": "string"]],
        ]
        XCTAssertEqual(
            recordFields(CroissantBuilder.build(d)).map { Set($0.keys) },
            ["records/id", "records/ok-key", "records/split"])
    }

    // MARK: Card

    func testCardFrontMatterLicenses() {
        var d = Fixture.description
        XCTAssertTrue(DatasetCard.render(d).hasPrefix("---\nlicense: cc-by-4.0\npretty_name: \"demo-docs\"\n"))
        d.license = "GPL-3.0-or-later"
        XCTAssertTrue(DatasetCard.render(d).hasPrefix("---\nlicense: gpl-3.0\n"))
        d.license = "0BSD"
        XCTAssertTrue(
            DatasetCard.render(d).hasPrefix(
                "---\nlicense: other\nlicense_name: \"0bsd\"\nlicense_link: \"https://spdx.org/licenses/0BSD.html\"\n"))
    }

    func testLicenseTranslations() {
        XCTAssertEqual(ExportLicense.huggingFaceID("MIT"), "mit")
        XCTAssertEqual(ExportLicense.huggingFaceID("Apache-2.0"), "apache-2.0")
        XCTAssertEqual(ExportLicense.huggingFaceID("ODbL-1.0"), "odbl")
        XCTAssertEqual(ExportLicense.huggingFaceID("MIT OR Apache-2.0"), "other")
        XCTAssertEqual(ExportLicense.spdxURL("MIT"), "https://spdx.org/licenses/MIT.html")
        XCTAssertNil(ExportLicense.spdxURL("MIT OR Apache-2.0"))
        XCTAssertNil(ExportLicense.spdxURL("NOASSERTION"))
    }

    func testYAMLQuoting() {
        XCTAssertEqual(DatasetCard.yamlQuoted("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"")
        XCTAssertEqual(DatasetCard.yamlQuoted("x\u{1}\u{85}é"), "\"x\\u0001\\u0085é\"")
    }

    func testDerivedCitation() {
        XCTAssertEqual(
            Fixture.description.citationText,
            "@misc{demo-docs,\n  title = {demo-docs},\n  author = {{Pipe Project}},\n  year = {2026},\n"
                + "  version = {1.0.0},\n  url = {https://example.org/datasets/demo-docs}\n}")
        var d = Fixture.description
        d.citation = "@misc{given}"
        XCTAssertEqual(d.citationText, "@misc{given}")
    }

    // MARK: Manifest

    func testManifestOmitsAbsentValues() throws {
        var d = Fixture.description
        d.datePublished = nil
        d.creator = nil
        let manifest = ManifestBuilder.build(d)
        XCTAssertNil(manifest["date_published"])
        XCTAssertNil(manifest["creator"])
        XCTAssertEqual(manifest["records"], 5)
        let artifact = try XCTUnwrap(manifest["artifacts"]?.arrayValue?.first)
        XCTAssertNil(artifact["split"])
        XCTAssertNil(artifact["records"])
    }

    func testManifestValidatesAgainstItsSchema() throws {
        let schema = try XCTUnwrap(SchemaLibrary(files: KindCatalog.engineSchemas).schema(named: ManifestBuilder.schemaName))
        XCTAssertEqual(schema.validate(ManifestBuilder.build(Fixture.description)), [])
        var minimal = Fixture.description
        minimal.creator = nil
        minimal.url = nil
        minimal.datePublished = nil
        minimal.artifacts = []
        minimal.splits = [:]
        XCTAssertEqual(schema.validate(ManifestBuilder.build(minimal)), [])

        var manifest = ManifestBuilder.build(Fixture.description)
        if case .object(var members) = manifest {
            members["tasks"] = 8
            manifest = .object(members)
        }
        XCTAssertFalse(schema.isValid(manifest), "the task count must never be part of a manifest")
        var absolute = Fixture.description
        absolute.provenance.inputs = [InputHash(locator: "/home/me/input.tar", sha256: String(repeating: "0", count: 64))]
        XCTAssertFalse(schema.isValid(ManifestBuilder.build(absolute)))
    }

    // MARK: Splits

    func testSplitAssignerIsStable() throws {
        let assigner = try SplitAssigner(fractions: [("train", 0.8), ("validation", 0.1), ("test", 0.1)])
        // Computed independently with Python's hashlib (first 8 digest bytes, big-endian, / 2^64).
        let expected: [String: String] = [
            "abc": "train", "repo/alpha": "train", "repo/beta": "train", "problem-17": "train",
            "problem-18": "validation", "": "validation", "2": "validation", "5": "test", "6": "test",
        ]
        for (key, split) in expected {
            XCTAssertEqual(assigner.split(forGroupKey: key), split, key)
        }
    }

    func testUnitValueIsTheDigestPrefix() {
        // SHA-256("abc") starts with ba7816bf8f01cfea (FIPS 180-2 test vector).
        XCTAssertEqual(SplitAssigner.unitValue(forGroupKey: "abc"), Double(UInt64(0xba78_16bf_8f01_cfea) >> 11) * 0x1p-53)
        XCTAssertEqual(SplitAssigner.unitValue(forGroupKey: "abc"), 0.7284, accuracy: 1e-4)
    }

    func testSplitFractionsAreRespected() throws {
        let assigner = try SplitAssigner(fractions: [("train", 0.8), ("validation", 0.1), ("test", 0.1)])
        var counts: [String: Int] = [:]
        for index in 0..<10_000 { counts[assigner.split(forGroupKey: "key-\(index)"), default: 0] += 1 }
        // Three standard deviations of a binomial count: 120 for 0.8, 90 for 0.1.
        XCTAssertEqual(Double(counts["train", default: 0]), 8000, accuracy: 120)
        XCTAssertEqual(Double(counts["validation", default: 0]), 1000, accuracy: 90)
        XCTAssertEqual(Double(counts["test", default: 0]), 1000, accuracy: 90)
    }

    func testZeroFractionSplitIsNeverChosen() throws {
        let assigner = try SplitAssigner(fractions: [("train", 0.5), ("validation", 0), ("test", 0.5)])
        for index in 0..<2_000 {
            XCTAssertNotEqual(assigner.split(forGroupKey: "k\(index)"), "validation")
        }
        let only = try SplitAssigner(fractions: [("train", 1)])
        XCTAssertEqual(only.split(forGroupKey: "anything"), "train")
    }

    func testSplitAssignerRejectsBadFractions() {
        XCTAssertThrowsError(try SplitAssigner(fractions: [])) {
            XCTAssertEqual($0 as? SplitAssigner.ConfigurationError, .noSplits)
        }
        XCTAssertThrowsError(try SplitAssigner(fractions: [("train", 0.8), ("test", 0.1)])) {
            guard case .fractionsDoNotSumToOne = $0 as? SplitAssigner.ConfigurationError else {
                return XCTFail("\($0)")
            }
        }
        XCTAssertThrowsError(try SplitAssigner(fractions: [("train", 1.2), ("test", -0.2)])) {
            XCTAssertEqual($0 as? SplitAssigner.ConfigurationError, .invalidFraction(split: "test", fraction: -0.2))
        }
        XCTAssertThrowsError(try SplitAssigner(fractions: [("train", 0.5), ("train", 0.5)])) {
            XCTAssertEqual($0 as? SplitAssigner.ConfigurationError, .invalidName("train"))
        }
        XCTAssertThrowsError(try SplitAssigner(fractions: [("train", .nan), ("test", 1)]))
        XCTAssertNoThrow(try SplitAssigner(fractions: [("a", 0.1), ("b", 0.2), ("c", 0.7)]))
    }

    func testGroupKeyText() throws {
        XCTAssertEqual(SplitAssigner.groupKeyText("repo"), "repo")
        XCTAssertEqual(SplitAssigner.groupKeyText(42), "42")
        XCTAssertEqual(SplitAssigner.groupKeyText(.number(42)), "42")
        XCTAssertEqual(SplitAssigner.groupKeyText(2.5), "2.5")
        XCTAssertEqual(SplitAssigner.groupKeyText(["b": 1.0, "a": [true, nil]]), "{\"a\":[true,null],\"b\":1}")
        let assigner = try SplitAssigner(fractions: [("train", 0.5), ("test", 0.5)])
        XCTAssertEqual(assigner.split(forGroupValue: .integer(7)), assigner.split(forGroupValue: .number(7)))
    }

    // MARK: Sample export for checking with mlcroissant

    /// With `PIPE_EXPORT_SAMPLE_DIR` set, writes complete small exports (gzip shards, artifacts,
    /// the three documents) there, for `mlcroissant` and Hugging Face `datasets` to read: the
    /// fixture as it is, and variants for the builder's other branches.
    func testWriteSampleExport() throws {
        guard let directory = ProcessInfo.processInfo.environment["PIPE_EXPORT_SAMPLE_DIR"] else {
            throw XCTSkip("set PIPE_EXPORT_SAMPLE_DIR to write a sample export")
        }
        let root = URL(fileURLWithPath: directory)
        try writeSample(Fixture.description, shards: Fixture.shardRecords, to: root)

        var single = Fixture.description
        single.splits = ["train": 5]
        try writeSample(single, shards: [("data/train-00000-of-00001.jsonl.gz", 0..<5)],
                        to: root.appendingPathComponent("variants/single-split"))

        var minimal = Fixture.description
        minimal.creator = nil
        minimal.url = nil
        minimal.datePublished = nil
        minimal.license = "LicenseRef-internal"
        minimal.version = "2.1.0"
        minimal.artifacts = []
        minimal.observedFields = ["id", "text", "tokens", "meta"]
        try writeSample(minimal, shards: Fixture.shardRecords, to: root.appendingPathComponent("variants/minimal"))

        // mlcroissant validates zstd metadata but cannot read zstd shards, so only the metadata is written.
        var zstd = Fixture.description
        zstd.compression = "zstd"
        let zstdRoot = root.appendingPathComponent("variants/zstd")
        try FileManager.default.createDirectory(at: zstdRoot, withIntermediateDirectories: true)
        try Data((JSONWriter.pretty(CroissantBuilder.build(zstd)) + "\n").utf8)
            .write(to: zstdRoot.appendingPathComponent("croissant.json"))
    }

    private func writeSample(_ base: ExportDescription, shards: [(String, Range<Int>)], to root: URL) throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        var d = base
        d.files = []
        for (path, range) in shards {
            var plain: [UInt8] = []
            for record in Fixture.records[range] {
                JSONWriter.append(record, to: &plain)
                plain.append(0x0A)
            }
            let bytes = Gzip.stored(plain)
            try Data(bytes).write(to: root.appendingPathComponent(path))
            let split = String(path.dropFirst("data/".count).prefix { $0 != "-" })
            d.files.append(ExportedFile(path: path, split: split, sha256: Self.hex(bytes), bytes: Int64(bytes.count),
                                        records: Int64(range.count)))
        }
        let artifacts = [("artifacts/vocab.json", "{\"a\":0}\n"), ("artifacts/loss.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")]
        d.artifacts = []
        for (path, text) in artifacts where !base.artifacts.isEmpty {
            let bytes = Array(text.utf8)
            try Data(bytes).write(to: root.appendingPathComponent(path))
            d.artifacts.append(ExportedFile(path: path, sha256: Self.hex(bytes), bytes: Int64(bytes.count)))
        }
        try Data((JSONWriter.pretty(CroissantBuilder.build(d)) + "\n").utf8).write(to: root.appendingPathComponent("croissant.json"))
        try Data((JSONWriter.pretty(ManifestBuilder.build(d)) + "\n").utf8).write(to: root.appendingPathComponent("manifest.json"))
        try Data(DatasetCard.render(d).utf8).write(to: root.appendingPathComponent("README.md"))
    }

    // MARK: Helpers

    private var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/export/\(name)")
        if ProcessInfo.processInfo.environment["PIPE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(actual, expected, "\(name) differs from its golden file; rerun with PIPE_UPDATE_GOLDEN=1 if intended",
                       file: file, line: line)
    }

    /// Ids that a node defines; an object with only `@id` is a reference, not a definition.
    private func collectDefinedIDs(_ value: JSONValue, into ids: inout [String]) {
        switch value {
        case .object(let members):
            if let id = members["@id"]?.stringValue, members.count > 1 { ids.append(id) }
            for (key, member) in members where key != "@context" { collectDefinedIDs(member, into: &ids) }
        case .array(let elements):
            for element in elements { collectDefinedIDs(element, into: &ids) }
        default:
            break
        }
    }

    /// The record set's top-level fields by id.
    private func recordFields(_ doc: JSONValue) -> [String: JSONValue]? {
        guard let fields = doc["recordSet"]?.arrayValue?.first?["field"]?.arrayValue else { return nil }
        var byID: [String: JSONValue] = [:]
        for field in fields {
            if let id = field["@id"]?.stringValue { byID[id] = field }
        }
        return byID
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// A fixed export description: every property kind the builders treat differently.
private enum Fixture {
    static let recordSchema: JSONValue = [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "demo-doc.schema.json",
        "type": "object",
        "required": ["id", "text", "tokens"],
        "properties": [
            "id": ["type": "string", "description": "Content hash of the record."],
            "text": ["type": "string", "description": "The document | its text."],
            "tokens": ["type": "integer", "description": "Token count."],
            "score": ["type": "number", "description": "Quality score in [0, 1]."],
            "verified": ["type": "boolean"],
            "tags": ["type": "array", "items": ["type": "string"], "description": "Labels."],
            "sizes": ["type": "array", "items": ["type": "integer"]],
            "matrix": ["type": "array", "items": ["type": "array", "items": ["type": "number"]]],
            "meta": [
                "type": "object", "description": "Where the document came from.",
                "properties": [
                    "source": ["type": "string"], "line": ["type": "integer"],
                    "origin": ["type": "object", "properties": ["repo": ["type": "string"]]],
                ],
            ],
            "layers": [
                "type": "array",
                "items": ["type": "object", "properties": ["name": ["type": "string"], "units": ["type": "integer"]]],
            ],
            "note": ["type": ["string", "null"]],
            "group": ["type": ["string", "integer"], "description": "Grouping key for splits."],
            "extra": ["type": "object", "description": "Free-form details."],
        ],
    ]

    static let records: [JSONValue] = [
        record("doc-0001", "First document.", tokens: 3, score: 0.5, verified: true, tags: ["a", "b"],
               sizes: [1, 2, 3], note: nil, group: "g1", layers: [("dense", 16), ("relu", 16)]),
        record("doc-0002", "Second, with \"quotes\".", tokens: 5, score: 1, verified: false, tags: [],
               sizes: [4], note: "hello", group: 7, layers: []),
        record("doc-0003", "Third: é ü 漢字.", tokens: 4, score: 0.25, verified: true, tags: ["c"],
               sizes: [], note: nil, group: "g2", layers: [("conv", 8)]),
        record("doc-0004", "Fourth.", tokens: 1, score: 0.75, verified: false, tags: ["a"],
               sizes: [9, 9], note: "x", group: "g3", layers: [("dense", 4)]),
        record("doc-0005", "Fifth.", tokens: 2, score: 0, verified: true, tags: ["d", "e", "f"],
               sizes: [5], note: nil, group: 8, layers: [("dense", 2), ("softmax", 2)]),
    ]

    /// Shard path to the records it holds.
    static let shardRecords: [(String, Range<Int>)] = [
        ("data/train-00000-of-00002.jsonl.gz", 0..<2),
        ("data/train-00001-of-00002.jsonl.gz", 2..<3),
        ("data/validation-00000-of-00001.jsonl.gz", 3..<4),
        ("data/test-00000-of-00001.jsonl.gz", 4..<5),
    ]

    private static func record(
        _ id: String, _ text: String, tokens: Int64, score: Double, verified: Bool, tags: [String], sizes: [Int64],
        note: String?, group: JSONValue, layers: [(String, Int64)]
    ) -> JSONValue {
        [
            "id": .string(id), "text": .string(text), "tokens": .integer(tokens), "score": .number(score),
            "verified": .bool(verified), "tags": .array(tags.map { .string($0) }),
            "sizes": .array(sizes.map { .integer($0) }),
            "matrix": [[1.5, 2], [.number(score), .integer(tokens)]],
            "meta": ["source": "synthetic", "line": .integer(tokens * 10), "origin": ["repo": .string("repo-\(id)")]],
            "layers": .array(layers.map { ["name": .string($0.0), "units": .integer($0.1)] }),
            "note": note.map { .string($0) } ?? .null,
            "group": group,
            "extra": ["anything": [1, ["x": 2]]],
        ]
    }

    static let description = ExportDescription(
        name: "demo-docs",
        description: "Synthetic documents that exercise every field shape of an export.\n\nUsed by the export tests.",
        license: "CC-BY-4.0",
        creator: "Pipe Project",
        url: "https://example.org/datasets/demo-docs",
        datePublished: "2026-01-15",
        compression: "gzip",
        files: [
            ExportedFile(path: "data/validation-00000-of-00001.jsonl.gz", split: "validation",
                         sha256: String(repeating: "c", count: 64), bytes: 310, records: 1),
            ExportedFile(path: "data/train-00000-of-00002.jsonl.gz", split: "train",
                         sha256: String(repeating: "a", count: 64), bytes: 512, records: 2),
            ExportedFile(path: "data/train-00001-of-00002.jsonl.gz", split: "train",
                         sha256: String(repeating: "b", count: 64), bytes: 300, records: 1),
            ExportedFile(path: "data/test-00000-of-00001.jsonl.gz", split: "test",
                         sha256: String(repeating: "d", count: 64), bytes: 305, records: 1),
        ],
        artifacts: [
            ExportedFile(path: "artifacts/vocab.json", sha256: String(repeating: "e", count: 64), bytes: 8),
            ExportedFile(path: "artifacts/loss.svg", sha256: String(repeating: "f", count: 64), bytes: 44),
        ],
        recordSchemaName: "demo-doc.schema.json",
        recordSchema: recordSchema,
        splits: ["train": 3, "validation": 1, "test": 1],
        provenance: Provenance(
            pipeline: "demo", pipelineFile: "Pipelines/demo.yaml", stage: "docs", kind: "corpus.mine",
            params: ["min_tokens": 1, "languages": ["c", "cpp"]],
            inputs: [
                InputHash(locator: "Data/repos/beta.tar.gz", sha256: String(repeating: "2", count: 64)),
                InputHash(locator: "Data/repos/alpha.tar.gz", sha256: String(repeating: "1", count: 64)),
            ],
            upstream: ["fetch": "run-0001"], runID: "run-0002", pipeVersion: "0.1.0 (abc1234)"),
        idField: "id")
}

/// The gzip container around stored (uncompressed) deflate blocks: enough to make real `.gz`
/// shards in a test without a compression library.
private enum Gzip {
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final: UInt8 = offset + count == data.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: littleEndian(UInt16(count)))
            out.append(contentsOf: littleEndian(~UInt16(count)))
            out.append(contentsOf: data[offset..<offset + count])
            offset += count
        } while offset < data.count
        out.append(contentsOf: littleEndian(crc32(data)))
        out.append(contentsOf: littleEndian(UInt32(truncatingIfNeeded: data.count)))
        return out
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

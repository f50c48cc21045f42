import Foundation
import XCTest
import JSONSchema
import RecordsImport
import StageKit
import Readers
import StageKitTestSupport

@testable import DataFiltering

/// Quality scores, quantile pools with their tie-breaking, parameters files and the derived schema.
final class SelectionTests: XCTestCase {
    /// A `files` record as corpus.mine writes it (fields of Schemas/CorpusMining/corpus-file.schema.json), hand-written.
    static func codeFile(mean: Double = 32, max: Int64 = 90, alnum: Double = 0.7, lines: Int64 = 400,
                         paradigms: [String] = ["openmp", "mpi"], cluster: Int64 = 1, generated: Bool = false,
                         vendored: Bool = false) -> JSONValue {
        [
            "id": "f1", "repo": "r", "path": "src/a.c", "language": "c", "mean_line_length": .number(mean),
            "max_line_length": .integer(max), "alnum_fraction": .number(alnum), "lines": .integer(lines),
            "paradigms": .array(paradigms.map { .string($0) }), "near_dup_cluster_size": .integer(cluster),
            "generated": .bool(generated), "vendored": .bool(vendored),
        ]
    }

    func testBuiltinCodeQuality() throws {
        let ideal = try CodeQuality.score(Self.codeFile(paradigms: ["openmp", "mpi", "cuda"]))
        XCTAssertEqual(ideal, 0.2 + 0.1 + 0.2 + 0.15 + 0.2 * (1 - 0.064) + 0.15, accuracy: 1e-12)
        let plain = try CodeQuality.score(Self.codeFile(paradigms: []))
        XCTAssertEqual(plain, 0.8, accuracy: 1e-12)
        // Each signal lowers the score in the documented way.
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(paradigms: ["openmp"])), 0.8 + 0.2 * 0.6, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(paradigms: [], cluster: 4)), 0.8 - 0.15 + 0.075, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(mean: 80, paradigms: [])), 0.8 - 0.1, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(mean: 100, paradigms: [])), 0.6, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(max: 560, paradigms: [])), 0.75, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(alnum: 0.25, paradigms: [])), 0.6, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(lines: 1, paradigms: [])), 0.65, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(paradigms: [], generated: true)), 0.4, accuracy: 1e-12)
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(paradigms: [], vendored: true)), 0.4, accuracy: 1e-12)
        // Duplicate paradigm names count once.
        XCTAssertEqual(try CodeQuality.score(Self.codeFile(paradigms: ["mpi", "mpi"])),
                       try CodeQuality.score(Self.codeFile(paradigms: ["mpi"])))
    }

    func testBuiltinScoreRejectsIncompleteRecords() {
        guard case .object(var members) = Self.codeFile() else { return XCTFail() }
        members["alnum_fraction"] = nil
        XCTAssertThrowsError(try CodeQuality.score(.object(members))) { error in
            XCTAssertEqual((error as? QualityFailure)?.code, "filter.quality_missing")
            XCTAssertTrue((error as? QualityFailure)?.reason.contains("alnum_fraction") ?? false)
        }
        members["alnum_fraction"] = "high"
        XCTAssertThrowsError(try CodeQuality.score(.object(members))) { error in
            XCTAssertEqual((error as? QualityFailure)?.code, "filter.quality_not_numeric")
        }
        members["alnum_fraction"] = 0.5
        members["paradigms"] = "openmp"
        XCTAssertThrowsError(try CodeQuality.score(.object(members)))
    }

    func testFieldScorer() throws {
        let scorer = QualityScorer(qualityField: "score")
        XCTAssertEqual(try scorer.score(["score": 0.25]), 0.25)
        XCTAssertEqual(try scorer.score(["score": 3]), 3)
        XCTAssertThrowsError(try scorer.score(["other": 1])) { error in
            XCTAssertEqual((error as? QualityFailure)?.code, "filter.quality_missing")
        }
        XCTAssertThrowsError(try scorer.score(["score": "0.5"])) { error in
            XCTAssertEqual((error as? QualityFailure)?.code, "filter.quality_not_numeric")
        }
        XCTAssertThrowsError(try scorer.score(["score": true]))
        XCTAssertThrowsError(try scorer.score(["score": nil]))
        XCTAssertEqual(QualityScorer(qualityField: "builtin_code_quality"), .builtinCode)
    }

    func testQuantileBoundaries() throws {
        XCTAssertEqual(try QuantilePools(records: 200, pools: 4, width: 0.1).sizes, [20, 20, 20, 20])
        XCTAssertEqual(try QuantilePools(records: 205, pools: 4, width: 0.1).boundaries, [0, 21, 41, 62, 82])
        XCTAssertEqual(try QuantilePools(records: 10, pools: 10, width: 0.1).sizes, [Int64](repeating: 1, count: 10))
        XCTAssertEqual(try QuantilePools(records: 3, pools: 4, width: 0.1).sizes, [0, 1, 0, 0])
        XCTAssertThrowsError(try QuantilePools(records: 10, pools: 3, width: 0.5))
        let pools = try QuantilePools(records: 100, pools: 2, width: 0.25)
        XCTAssertEqual(pools.pool(ofRank: 0), 0)
        XCTAssertEqual(pools.pool(ofRank: 24), 0)
        XCTAssertEqual(pools.pool(ofRank: 25), 1)
        XCTAssertEqual(pools.pool(ofRank: 49), 1)
        XCTAssertNil(pools.pool(ofRank: 50))
    }

    /// Equal qualities straddling a boundary are split by key order: the earlier key gets the better pool.
    func testTiesAreBrokenByKeyOrder() throws {
        // Ten records in key order; qualities with a tie of four at 0.5 across the boundary at rank 3.
        let qualities: [Double] = [0.5, 0.9, 0.5, 0.1, 0.5, 0.8, 0.2, 0.5, 0.3, 0.4]
        let pools = try QuantilePools(records: 10, pools: 2, width: 0.3)
        XCTAssertEqual(pools.boundaries, [0, 3, 6])
        var copy = qualities
        var assigner = PoolAssigner(qualities: &copy, pools: pools)
        XCTAssertTrue(copy.isEmpty)
        let assigned = qualities.map { assigner.pool(of: $0) }
        // Ranks: 0.9 → 0, 0.8 → 1, then the 0.5s in key order → 2, 3, 4, 5; 0.4 → 6 …
        XCTAssertEqual(assigned, [0, 0, 1, nil, 1, 0, nil, 1, nil, nil])
        XCTAssertEqual(assigner.qualityBounds, [QualityBounds(highest: 0.9, lowest: 0.5), QualityBounds(highest: 0.5, lowest: 0.5)])
        // Every pool gets exactly its size, whatever the ties.
        var all: [Double] = (0..<1000).map { Double($0 % 7) }
        let big = try QuantilePools(records: 1000, pools: 4, width: 0.1)
        var counts = [Int](repeating: 0, count: 4)
        let keyOrder = all
        var bigAssigner = PoolAssigner(qualities: &all, pools: big)
        for quality in keyOrder { if let pool = bigAssigner.pool(of: quality) { counts[pool] += 1 } }
        XCTAssertEqual(counts, [100, 100, 100, 100])
    }

    static let schemas = StageTesting.schemas([FilterSelectStage.self, RecordsImportStage.self])

    func testParametersFileLoadsAndErrorsAreLocated() throws {
        let text = """
            objective: effective_utility     # or effective_data
            a: 0.025
            d: 0.1
            pool_size: 12800000              # samples per pool; a pool may give its own `size`
            pools:
              - {name: top10, b: -0.16, tau: 6.727272727272727}
              - {name: top10-20, b: -0.125, tau: 8.545454545454545, size: 6400000}
            """
        let parameters = try FilterParameters(document: try YAMLDocument(text: text, path: "p.yaml"), schemas: Self.schemas)
        XCTAssertEqual(parameters.objective, .effectiveUtility)
        XCTAssertEqual(parameters.pools.map(\.size), [12_800_000, 6_400_000])
        let broken = [
            ("a: 0.025\nd: 0.1\npools:\n  - {name: x, b: 0.16, tau: 6}\n", "p.yaml:4"),
            ("a: 0.025\nd: 0.1\npools:\n  - {name: x, b: -0.16, tau: 6}\n", "pool_size"),
            ("a: 0.025\nd: 0.1\npool_size: 10\npools:\n  - {name: x, b: -0.16, tau: 6}\n  - {name: x, b: -0.1, tau: 6}\n", "p.yaml:6"),
            ("a: 0.025\nd: 0.1\npool_size: 10\nextra: 1\npools:\n  - {name: x, b: -0.16, tau: 6}\n", "p.yaml:4"),
            ("objective: other\na: 0.025\nd: 0.1\npool_size: 10\npools:\n  - {name: x, b: -0.16, tau: 6}\n", "p.yaml:1"),
        ]
        for (text, fragment) in broken {
            XCTAssertThrowsError(try FilterParameters(document: try YAMLDocument(text: text, path: "p.yaml"), schemas: Self.schemas), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
    }

    func testDerivedSchemaAddsTheTwoFieldsAndValidatesSelectedRecords() throws {
        let input = StreamSpec(name: "main", schema: "demo-record", idField: "id")
        let document = DerivedSchema.derive(from: try Self.schemas.resolve("demo-record", relativeTo: ".").document,
                                            name: input.schema)
        XCTAssertEqual(document["$id"]?.stringValue, "demo-record.filter-select.schema.json")
        XCTAssertEqual(document["additionalProperties"], false)
        XCTAssertNotNil(document["properties"]?["pool"])
        XCTAssertNotNil(document["properties"]?["planned_epochs"])
        let schema = try JSONSchema(document, registry: Self.schemas.registry)
        let record: JSONValue = ["id": "x", "group": "g", "text": "t", "label": "loop", "tokens": 1, "score": 0.5]
        XCTAssertFalse(schema.isValid(record))
        guard case .object(var members) = record else { return XCTFail() }
        members["pool"] = "top10"
        members["planned_epochs"] = 2.5
        XCTAssertEqual(schema.validate(.object(members)), [])
        XCTAssertEqual(DerivedSchema.name(for: input), "demo-record+filter.select")
        // A document given by the upstream stage is used as it is.
        let derived = DerivedSchema.derive(from: ["type": "object"], name: "custom")
        XCTAssertEqual(derived["required"], ["pool", "planned_epochs"])
        XCTAssertThrowsError(try Self.schemas.resolve("nowhere.json", relativeTo: "/nonexistent"))
    }

    func testStageParameterChecks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("filter-stage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("a: 0.025\nd: 0.1\npool_size: 100\npools:\n  - {name: a, b: -0.16, tau: 6}\n  - {name: b, b: -0.1, tau: 3}\n".utf8)
            .write(to: directory.appendingPathComponent("params.yaml"))
        let setup = StageSetup(pipelineDirectory: directory.path, schemas: Self.schemas,
                               inputs: [StreamSpec(name: "main", schema: "demo-record", idField: "id")])
        func make(_ parameters: JSONValue, _ setup: StageSetup) throws -> FilterSelectStage {
            try FilterSelectStage.make(parameters: parameters, setup: setup)
        }
        let good: JSONValue = ["quality_field": "score", "budget_samples": 100, "pools": 2, "params": "params.yaml"]
        let stage = try make(good, setup)
        XCTAssertEqual(stage.streams.first?.idField, "id")
        XCTAssertNotNil(stage.streams.first?.document)
        // Too many pools for the file, both model sources, neither, no upstream stream, pools past all records.
        let bad: [JSONValue] = [
            ["quality_field": "score", "budget_samples": 100, "pools": 3, "params": "params.yaml"],
            ["quality_field": "score", "budget_samples": 100, "pools": 2, "params": "params.yaml", "fit": "obs.jsonl"],
            ["quality_field": "score", "budget_samples": 100, "pools": 2],
            ["quality_field": "score", "budget_samples": 100, "pools": 11, "params": "params.yaml"],
            ["quality_field": "score", "budget_samples": 100, "pools": 2, "params": "missing.yaml"],
        ]
        for parameters in bad {
            XCTAssertThrowsError(try make(parameters, setup), "\(parameters)")
        }
        let noInput = StageSetup(pipelineDirectory: directory.path, schemas: Self.schemas, inputs: [])
        XCTAssertThrowsError(try make(good, noInput))
        // The parameters schema accepts the good parameters and refuses both model sources at once.
        let schema = try XCTUnwrap(Self.schemas.schema(named: FilterSelectStage.parametersSchema))
        XCTAssertTrue(schema.isValid(good))
        XCTAssertFalse(schema.isValid(bad[1]))
        XCTAssertFalse(schema.isValid(bad[2]))
        XCTAssertTrue(schema.isValid(["quality_field": "builtin_code_quality", "budget_samples": 5,
                                      "fit": ["observations": "o.jsonl", "a": 0.02, "d": 0.1]]))
        XCTAssertFalse(schema.isValid(["quality_field": "q", "budget_samples": 5,
                                       "fit": ["observations": "o.jsonl", "a": 0.02, "a_candidates": [0.02]]]))
    }
}

import Foundation
import HPCTrans
import StageKit
import StageKitTestSupport
import XCTest

/// Golden files of the three streams: the hand-written released-layout file and a small generation spec. A change
/// to the record layout or the emitted code shows up here; `PIPE_UPDATE_GOLDEN=1` rewrites the files. The
/// determinism of the outputs themselves is `GenerationTests.testGenerationIsDeterministic`'s job.
final class GoldenTests: XCTestCase {
    private func compare(_ context: InMemoryMapContext, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var text = ""
        for stream in [HPCTransRecordsStage.Streams.records, HPCTransRecordsStage.Streams.trainPairs, HPCTransRecordsStage.Streams.evalPrompts] {
            for record in context.records where record.stream == stream {
                text += stream + "\t" + Self.maskingOutputDigest(String(decoding: record.bytes, as: UTF8.self)) + "\n"
            }
        }
        let path = repositoryRoot + "/Tests/HPCTransTests/Golden/" + name
        if ProcessInfo.processInfo.environment["PIPE_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, golden, "\(name) differs from the golden file (PIPE_UPDATE_GOLDEN=1 rewrites it)", file: file, line: line)
    }

    /// The outputs' digest depends on the machine's libm (expf's last bit); the golden files pin everything else.
    static func maskingOutputDigest(_ line: String) -> String {
        guard let range = line.range(of: #""outputs_sha256":"[0-9a-f]{64}""#, options: .regularExpression) else { return line }
        return line.replacingCharacters(in: range, with: #""outputs_sha256":"<machine-dependent>""#)
    }

    func testReleasedLayoutGolden() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("IndependentOperator.json", IngestTests.upstreamFile)
        let (context, stage) = try mapFiles([("IndependentOperator.json", path)])
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([HPCTransRecordsStage.self]))
        try compare(context, golden: "released.tsv")
    }

    func testGeneratedGolden() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("g.yaml", """
            seed: 9
            generate:
              - {operator: sigmoid, count: 1, rank: [2, 2], dims: [2, 5]}
              - {operator: sum, count: 1, rank: [2, 2], dims: [2, 5]}
              - {operator: conv2d, count: 1, dims: [3, 5], channels: [1, 2], kernel: [2, 3], padding: [1, 1]}
              - {operator: topology_expansion, count: 1, ops: [3, 3], rank: [1, 1], dims: [3, 5]}
            """)
        let (context, stage) = try mapFiles([("g.yaml", path)])
        XCTAssertEqual(context.rejects.map(\.summary), [])
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([HPCTransRecordsStage.self]))
        try compare(context, golden: "generated.tsv")
    }
}

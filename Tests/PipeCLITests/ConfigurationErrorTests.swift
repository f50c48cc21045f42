import Foundation
import XCTest

/// A bad configuration stops before any work with `path:line:col: error: message [code]`, from `pipe validate`
/// and from `pipe build` alike.
final class ConfigurationErrorTests: XCTestCase {
    private func project(_ pipeline: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("config-errors-\(UUID().uuidString)")
        for folder in ["Pipelines", "Data"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "int main(void) { return 0; }\n".write(to: root.appendingPathComponent("Data/a.c"), atomically: true, encoding: .utf8)
        try "a: 0.025\nd: 0.1\npool_size: 10\npools:\n  - {name: top, b: -0.16, tau: 6}\n"
            .write(to: root.appendingPathComponent("Data/params.yaml"), atomically: true, encoding: .utf8)
        try pipeline.write(to: root.appendingPathComponent("Pipelines/p.yaml"), atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    private func assertErrors(_ pipeline: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let root = try project(pipeline)
        for arguments in [["validate", "Pipelines/p.yaml"], ["build", "all"]] {
            let run = try PipeProcess.run(arguments, in: root)
            XCTAssertEqual(run.status, 1, arguments.joined(separator: " "), file: file, line: line)
            let lines = run.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
            XCTAssertEqual(lines, expected, arguments.joined(separator: " "), file: file, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("pipe-work/runs").path),
                           "no work was done", file: file, line: line)
        }
    }

    func testBadTypeUnknownParameterAndFileInputToARecordKindAreLocated() throws {
        try assertErrors("""
            pipeline: bad
            stages:
              mine:
                kind: corpus.mine
                inputs: ["../Data/*.c"]
                params:
                  max_line_length: "long"
                  minhash: {bands: 4, rows: 2, permutationz: 8}
              tokens:
                kind: tokompiler.tokenize
                inputs: ["../Data/a.c"]
            """, [
                #"Pipelines/p.yaml:7:24: error: stage 'mine' (corpus.mine): parameter 'max_line_length': expected type "integer", found "string" [pipeline.params]"#,
                "Pipelines/p.yaml:8:36: error: stage 'mine' (corpus.mine): unknown parameter 'permutationz' [params.unknown]",
                "Pipelines/p.yaml:11:14: error: stage 'tokens' (tokompiler.tokenize) reads upstream records ({stage, records}), not files: use {stage: NAME, records: STREAM} [pipeline.input_kind]",
            ])
    }

    func testAValueOnlyTheKindCanRuleOutIsLocatedAtItsField() throws {
        try assertErrors("""
            pipeline: rules
            stages:
              mine:
                kind: corpus.mine
                inputs: ["../Data/*.c"]
                params: {minhash: {bands: 30, rows: 10}}
              pick:
                kind: filter.select
                inputs: [{stage: mine, records: files}]
                params:
                  quality_field: builtin_code_quality
                  budget_samples: 10
                  params: ../Data/params.yaml
                  pools: 11
            """, [
                "Pipelines/p.yaml:6:23: error: stage 'mine' (corpus.mine): minhash bands × rows (30 × 10 = 300) exceeds permutations (256) [params.minhash]",
            ])
    }

    func testTheKindsOwnChecksRunWhenTheUpstreamIsSound() throws {
        try assertErrors("""
            pipeline: rules
            stages:
              mine:
                kind: corpus.mine
                inputs: ["../Data/*.c"]
              pick:
                kind: filter.select
                inputs: [{stage: mine, records: files}]
                params:
                  quality_field: builtin_code_quality
                  budget_samples: 10
                  params: ../Data/params.yaml
                  pools: 11
            """, [
                "Pipelines/p.yaml:13:14: error: stage 'pick' (filter.select): 11 pools of width 0.1 cover more than all records [params.pools]",
            ])
    }
}

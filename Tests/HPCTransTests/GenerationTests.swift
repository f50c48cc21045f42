import Foundation
import HPCTrans
import Readers
import StageKit
import StageKitTestSupport
import XCTest

/// The generator: every kernel of `Data/hpctrans/gen/*.yaml` matches its Swift reference and passes the checks,
/// the output is deterministic, and bad specs are rejects.
final class GenerationTests: XCTestCase {
    private func specFiles() throws -> [(locator: String, path: String)] {
        let folder = repositoryRoot + "/Data/hpctrans/gen"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertFalse(names.isEmpty)
        return names.map { ("Data/hpctrans/gen/" + $0, folder + "/" + $0) }
    }

    func testEveryGeneratedKernelMatchesTheSwiftReference() throws {
        let files = try specFiles()
        var expected = 0
        for file in files {
            let spec = try GenerationSpec(json: try YAMLDocument(contentsOf: file.path).value)
            expected += Generator.generate(spec).count
        }
        let (context, stage) = try mapFiles(files)
        XCTAssertEqual(context.rejects.map(\.summary), [])
        let records = context.values("records")
        XCTAssertEqual(records.count, expected)
        XCTAssertTrue(records.allSatisfy { $0["check"]?["swift_reference"] == true && $0["source"] == "generated" })
        XCTAssertTrue(records.allSatisfy { $0["openmp"] == true && $0["cuda_kernels"] == 1 })
        let operators = Set(records.compactMap { $0["op_name"]?.stringValue })
        for name in ["abs", "add", "sum", "softmax", "matmul", "transpose", "max_pool2d", "avg_pool2d", "conv2d", "topology_expansion"] {
            XCTAssertTrue(operators.contains(name), "no \(name) kernel")
        }
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([HPCTransRecordsStage.self]))
    }

    /// Every operator of the library, including the ones the Data specs leave out, against its Swift reference.
    func testEveryOperatorOfTheLibrary() throws {
        let entries = GenerationSpec.operators.map { "  - {operator: \($0), count: 1, dims: [2, 7], channels: [1, 3]}" }
        let folder = try TemporaryFolder()
        let path = try folder.write("all.yaml", "seed: 11\ngenerate:\n" + entries.joined(separator: "\n") + "\n")
        let (context, _) = try mapFiles([("all.yaml", path)], params: ["check_cuda": true])
        XCTAssertEqual(context.rejects.map(\.summary), [])
        XCTAssertEqual(Set(context.values("records").compactMap { $0["op_name"]?.stringValue }), Set(GenerationSpec.operators))
        try assertTVMScriptIsPython(context.values("records").compactMap { $0["ir_code"]?.stringValue }, folder: folder)
    }

    /// TVMScript is Python: CPython's own parser (an independent checker; skipped without python3) reads every
    /// generated module.
    private func assertTVMScriptIsPython(_ modules: [String], folder: TemporaryFolder) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3") }
        var paths: [String] = []
        for (index, module) in modules.enumerated() { paths.append(try folder.write("ir/\(index).py", module)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import ast, sys\nfor p in sys.argv[1:]:\n    ast.parse(open(p).read(), p)\nprint(len(sys.argv) - 1)"] + paths
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), String(modules.count))
    }

    func testGenerationIsDeterministic() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("g.yaml", "seed: 5\ngenerate:\n  - {operator: topology_expansion, count: 3}\n  - {operator: matmul, count: 2}\n")
        let first = try mapFiles([("g.yaml", path)]).0.records.map(\.bytes)
        let second = try mapFiles([("g.yaml", path)]).0.records.map(\.bytes)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first.count, 15)
    }

    func testBadSpecsAreRejects() throws {
        let folder = try TemporaryFolder()
        let unknown = try folder.write("a.yaml", "seed: 1\ngenerate:\n  - {operator: fft, count: 1}\n")
        let range = try folder.write("b.yaml", "seed: 1\ngenerate:\n  - {operator: abs, dims: [5, 2]}\n")
        let key = try folder.write("c.yaml", "seed: 1\nshapes: 3\ngenerate:\n  - {operator: abs}\n")
        let (context, _) = try mapFiles([("a.yaml", unknown), ("b.yaml", range), ("c.yaml", key)])
        XCTAssertEqual(context.rejects.map(\.code), ["hpctrans.spec", "hpctrans.spec", "hpctrans.spec"])
        XCTAssertTrue(context.rejects[0].reason.contains("operator must be one of"))
        XCTAssertTrue(context.rejects[1].reason.contains("dims"))
        XCTAssertTrue(context.rejects[2].reason.contains("shapes"))
    }

    /// The compilers' identities (path and --version) are what the stage puts in its run key.
    func testToolIdentitiesNameTheCompilers() throws {
        let stage = try StageTesting.make(HPCTransRecordsStage.self)
        XCTAssertEqual(stage.toolIdentities.count, 2)
        XCTAssertTrue(stage.toolIdentities[0].hasPrefix(Toolchain.defaultCC + ": "), stage.toolIdentities[0])
        XCTAssertFalse(stage.toolIdentities[0].hasSuffix(": unavailable"), stage.toolIdentities[0])
        XCTAssertTrue(stage.toolIdentities[1].hasPrefix(Toolchain.defaultClang + ": "), stage.toolIdentities[1])
        XCTAssertTrue(stage.toolIdentities[1].contains("clang version"), stage.toolIdentities[1])
    }

    func testParametersAgreeWithSchema() {
        StageTesting.assertParametersAgreeWithSchema(HPCTransRecordsStage.self, schemas: StageTesting.schemas([HPCTransRecordsStage.self]))
    }
}

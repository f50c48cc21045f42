import Foundation
import XCTest
@testable import PipeCLI
import StageKit
import Readers

/// End-to-end tests of `pipe tokenize` and the `tokompiler.tokenize` stage on the project's Data/: the command on
/// the samples, `--json` → `--restore` and `--decode`, and the pipeline over the seed corpus (records, schema,
/// training shards, determinism across task counts).
final class TokenizeEndToEndTests: XCTestCase {
    private var samples: URL { PipeProcess.repositoryRoot.appendingPathComponent("Data/tokompiler/samples") }

    private func golden(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(Data(contentsOf: samples.appendingPathComponent(name + ".golden.json"))))
    }

    func testTokenizePrintsTheGoldenTokens() throws {
        let scratch = try Scratch()
        for name in ["worked_example.c", "particles.cpp", "saxpy.cu", "reduce.cl", "jacobi.f90", "dot.f"] {
            let result = try PipeProcess.run(["tokenize", samples.appendingPathComponent(name).path], in: scratch.root)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, (try golden(name)["tokens"]?.stringValue ?? "") + "\n", name)
        }
        let original = try PipeProcess.run(["tokenize", "--anonymize-library-calls",
                                            samples.appendingPathComponent("worked_example.c").path], in: scratch.root)
        XCTAssertEqual(original.stdout, (try golden("worked_example.c.anonymized")["tokens"]?.stringValue ?? "") + "\n")
    }

    func testJSONRestoreAndDecode() throws {
        let scratch = try Scratch()
        for name in ["stencil.c", "particles.cpp", "jacobi.f90", "dot.f"] {
            let source = samples.appendingPathComponent(name)
            let plain = try PipeProcess.run(["tokenize", source.path], in: scratch.root)
            for options in [[], ["--ids-per", "function", "--random-ids", "--seed", "11"]] {
                let json = try PipeProcess.run(["tokenize", "--json"] + options + [source.path], in: scratch.root)
                XCTAssertEqual(json.status, 0, json.stderr)
                try scratch.write(json.stdout, to: "record.json")
                let record = try JSONParser.parse(json.stdout)
                let restored = try PipeProcess.run(["tokenize", "--restore", "record.json"], in: scratch.root)
                XCTAssertEqual(restored.status, 0, restored.stderr)
                // Tokenizing the restored code gives the same tokens again (random ids depend on the bytes, so the
                // comparison is made with sequential ids).
                try scratch.write(restored.stdout, to: "restored/" + name)
                let again = try PipeProcess.run(["tokenize", "restored/" + name], in: scratch.root)
                XCTAssertEqual(again.stdout, plain.stdout, name)
                if record["unk"]?.objectValue?.isEmpty == true {
                    let decoded = try PipeProcess.run(["tokenize", "--decode", "record.json"], in: scratch.root)
                    XCTAssertEqual(decoded.stdout, (record["tokens"]?.stringValue ?? "") + "\n")
                }
            }
        }
        try scratch.write("10 1173 48 1055 1128 49 1051", to: "ids.txt")
        let decoded = try PipeProcess.run(["tokenize", "--decode", "ids.txt"], in: scratch.root)
        XCTAssertEqual(decoded.stdout, "#define var 0 = num 1 ;\n")
    }

    func testCommandLineErrors() throws {
        let scratch = try Scratch()
        let sample = samples.appendingPathComponent("stencil.c").path
        XCTAssertEqual(try PipeProcess.run(["tokenize", "--random-ids", sample], in: scratch.root).status, 64)
        XCTAssertEqual(try PipeProcess.run(["tokenize", "--decode", "--restore", sample], in: scratch.root).status, 64)
        try scratch.write("text", to: "notes.txt")
        let unknown = try PipeProcess.run(["tokenize", "notes.txt"], in: scratch.root)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("notes.txt") && unknown.stderr.contains("--language"), unknown.stderr)
        try scratch.write(Data([0x69, 0x6E, 0x74, 0x20, 0xFF, 0x3B]), to: "bad.c")
        let invalid = try PipeProcess.run(["tokenize", "bad.c"], in: scratch.root)
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.contains("UTF-8"), invalid.stderr)
        try scratch.write("{\"tokens\": \"int var 9 ;\", \"language\": \"c\", \"map\": {}}", to: "broken.json")
        XCTAssertEqual(try PipeProcess.run(["tokenize", "--restore", "broken.json"], in: scratch.root).status, 1)
        XCTAssertEqual(try PipeProcess.run(["tokenize", "--decode", "notes.txt"], in: scratch.root).status, 1)
    }

    /// The corpus and tokompiler pipelines over the seed corpus.
    private func pipelineScratch(tasks: Int? = nil) throws -> Scratch {
        let scratch = try Scratch()
        let root = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("Data/corpus"), to: scratch.url("Data/corpus"))
        for name in ["corpus.yaml", "tokompiler.yaml"] {
            var text = try String(contentsOf: root.appendingPathComponent("Pipelines/" + name), encoding: .utf8)
            if let tasks, name == "tokompiler.yaml" { text = text.replacingOccurrences(of: "tasks: 8", with: "tasks: \(tasks)") }
            try scratch.write(text, to: "Pipelines/" + name)
        }
        return scratch
    }

    private func runFolder(_ scratch: Scratch, _ stage: String) throws -> URL {
        let folder = scratch.url("pipe-work/runs/\(stage)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        return folder.appendingPathComponent(try XCTUnwrap(runs.first))
    }

    private func records(_ folder: URL) throws -> [JSONValue] {
        var out: [JSONValue] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        for name in names where name.hasSuffix(".jsonl.zst") && !name.contains(".keys.") && !name.hasPrefix(".") {
            try ShardReader(path: folder.appendingPathComponent(name).path).forEachLine { line, _, _ in
                out.append(try JSONParser.parse(buffer: line))
            }
        }
        return out
    }

    private func littleEndian(_ bytes: [UInt8], width: Int) -> [UInt64] {
        stride(from: 0, to: bytes.count, by: width).map { start in
            (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[start + $1]) << (8 * UInt64($1)) }
        }
    }

    func testStageOnTheSeedCorpus() throws {
        let scratch = try pipelineScratch()
        for stage in ["tokompiler-tokenize", "tokompiler-functions"] {
            let build = try PipeProcess.run(["build", stage], in: scratch.root)
            XCTAssertEqual(build.status, 0, build.stderr)
        }
        let run = try runFolder(scratch, "tokompiler-tokenize")
        let files = try records(try runFolder(scratch, "corpus-mine").appendingPathComponent("files"))
        let tokenized = try records(run.appendingPathComponent("main"))
        XCTAssertEqual(tokenized.count, files.count)
        XCTAssertEqual(Set(tokenized.compactMap { $0["source_id"]?.stringValue }), Set(files.compactMap { $0["id"]?.stringValue }))
        let schema = try XCTUnwrap(StageKinds.catalog.schemas.schema(named: "tokompiler-record"))
        for record in tokenized {
            XCTAssertTrue(schema.isValid(record), "\(schema.validate(record, maxIssues: 3))")
            XCTAssertEqual(record["ids"]?.arrayValue?.count, record["tokens"]?.stringValue?.split(separator: " ").count)
            XCTAssertEqual((record["ids"]?.arrayValue?.count).map { Int64($0) }, record["token_count"]?.integerValue)
        }
        XCTAssertEqual(try records(try runFolder(scratch, "tokompiler-functions").appendingPathComponent("main")).count,
                       try records(try runFolder(scratch, "corpus-mine").appendingPathComponent("functions")).count)

        // The training shards hold every record's ids, in record order, with the documented layout.
        let artifacts = run.appendingPathComponent("artifacts")
        let metadata = try JSONParser.parse(Array(Data(contentsOf: artifacts.appendingPathComponent("tokens.json"))))
        XCTAssertEqual(metadata["dtype"], "uint16")
        XCTAssertEqual(metadata["document_count"]?.integerValue, Int64(tokenized.count))
        let bin = littleEndian([UInt8](try Data(contentsOf: artifacts.appendingPathComponent("tokens-00000.bin"))), width: 2)
        let idx = littleEndian([UInt8](try Data(contentsOf: artifacts.appendingPathComponent("tokens-00000.idx"))), width: 8)
        let docs = try String(contentsOf: artifacts.appendingPathComponent("tokens-00000.docs"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(docs, tokenized.compactMap { $0["id"]?.stringValue })
        XCTAssertEqual(idx.count, tokenized.count + 1)
        for (index, record) in tokenized.enumerated() {
            let ids = record["ids"]?.arrayValue?.compactMap { $0.integerValue.map(UInt64.init) } ?? []
            XCTAssertEqual(Array(bin[Int(idx[index])..<Int(idx[index + 1])]), ids)
        }

        // The export carries the shards as artifacts.
        let export = try PipeProcess.run(["export", "tokompiler-files"], in: scratch.root)
        XCTAssertEqual(export.status, 0, export.stderr)
        let exported = scratch.url("pipe-work/exports/tokompiler-files/artifacts/tokens.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: exported.path))
    }

    /// Records restore to code that tokenizes to the same tokens again.
    func testStageRecordsRestore() throws {
        let scratch = try pipelineScratch()
        XCTAssertEqual(try PipeProcess.run(["build", "tokompiler-tokenize"], in: scratch.root).status, 0)
        for record in try records(try runFolder(scratch, "tokompiler-tokenize").appendingPathComponent("main")) {
            let path = try XCTUnwrap(record["path"]?.stringValue)
            try scratch.write(JSONWriter.compactString(record), to: "record.json")
            let restored = try PipeProcess.run(["tokenize", "--restore", "record.json"], in: scratch.root)
            XCTAssertEqual(restored.status, 0, restored.stderr)
            let name = "restored/" + (path.split(separator: "/").last.map(String.init) ?? "x.c")
            try scratch.write(restored.stdout, to: name)
            var arguments = ["tokenize", "--language", record["language"]?.stringValue ?? "c"]
            if let form = record["fortran_form"]?.stringValue { arguments += ["--fortran-form", form] }
            let again = try PipeProcess.run(arguments + [name], in: scratch.root)
            XCTAssertEqual(again.stdout, (record["tokens"]?.stringValue ?? "") + "\n", path)
        }
    }

    /// Outputs do not depend on the task count.
    func testStageOutputIndependentOfTasks() throws {
        var digests: [[String: String]] = []
        for tasks in [8, 3] {
            let scratch = try pipelineScratch(tasks: tasks)
            let build = try PipeProcess.run(["build", "tokompiler-original"], in: scratch.root)
            XCTAssertEqual(build.status, 0, build.stderr)
            let run = try runFolder(scratch, "tokompiler-original")
            var digest: [String: String] = [:]
            for (name, data) in try scratch.files(under: String(run.path.dropFirst(scratch.root.path.count + 1)))
                where name.hasPrefix("/artifacts/") || name.hasPrefix("/main/") {
                digest[name] = StableHash.sha256Hex(Array(data))
            }
            digests.append(digest)
        }
        XCTAssertFalse(digests[0].isEmpty)
        XCTAssertEqual(digests[0], digests[1])
    }
}

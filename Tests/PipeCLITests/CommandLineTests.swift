import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Command-line behaviour: diagnostics, exit codes, locking, validate and inspect.
final class CommandLineTests: XCTestCase {
    func testUnknownKeyFailsWithLocationBeforeAnyWork() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        try scratch.write("""
            pipeline: broken
            stages:
              other:
                kind: records.import
                inputs: ["../Data/demo/*.jsonl"]
                taks: 4
                params: {schema: demo-record}
            """, to: "Pipelines/broken.yaml")
        let result = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Pipelines/broken.yaml:6:5: error: unknown key 'taks'"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.url("pipe-work/runs").path))
    }

    func testPipelineErrorsAreLocated() throws {
        let scratch = try Scratch()
        try scratch.write("placeholder\n", to: "Data/x.jsonl")
        try scratch.write("""
            pipeline: bad
            stages:
              a:
                kind: records.nope
                inputs: ["../Data/x.jsonl"]
              b:
                kind: records.import
                inputs: [{stage: missing}, "../Data/none-*.jsonl"]
                tasks: zero
                params: {schema: demo-record, id_feld: id}
            """, to: "Pipelines/bad.yaml")
        let result = try PipeProcess.run(["stages"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("bad.yaml:4:11: error: unknown stage kind 'records.nope'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.yaml:9:12: error: 'tasks' must be an integer"), result.stderr)
        XCTAssertTrue(result.stderr.contains("bad.yaml:8:14: error: stage 'b' reads from unknown stage 'missing'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("id_feld"), result.stderr)
    }

    func testInputMatchingNothingIsAnError() throws {
        let scratch = try Scratch()
        try scratch.write("""
            pipeline: empty
            stages:
              e:
                kind: records.import
                inputs: ["../Data/nothing/*.jsonl"]
                params: {schema: demo-record}
            """, to: "Pipelines/empty.yaml")
        let result = try PipeProcess.run(["build", "e"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("empty.yaml:5:14: error: input '../Data/nothing/*.jsonl' matches no file"),
                      result.stderr)
    }

    func testSecondBuildOnLockedWorkspaceFailsNamingHolder() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        try FileManager.default.createDirectory(at: scratch.url("pipe-work"), withIntermediateDirectories: true)
        let fd = open(scratch.url("pipe-work/lock").path, O_RDWR | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let text = "pid 424242 (pipe build test)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        // Every catalog writer: build, finalize and export.
        for arguments in [["build", "all"], ["finalize", "demo-import"], ["export", "demo"]] {
            let started = Date()
            let result = try PipeProcess.run(arguments, in: scratch.root)
            XCTAssertEqual(result.status, 1, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains("locked by process 424242"), "\(arguments): \(result.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 30, "a locked workspace must fail at once")
        }
    }

    func testProgressLinesComeAtASteadyIntervalWhileATaskRuns() throws {
        let scratch = try Scratch()
        let record = #"{"id": "r%d", "group": "g", "text": "some words to parse", "label": "loop", "tokens": 4, "score": 0.5}"#
        try scratch.write((0..<40_000).map { record.replacingOccurrences(of: "%d", with: String($0)) }.joined(separator: "\n"),
                          to: "Data/one.jsonl")
        try scratch.write("""
            pipeline: p
            stages:
              p:
                kind: records.import
                inputs: ["../Data/one.jsonl"]
                tasks: 1
                params: {schema: demo-record}
            """, to: "Pipelines/p.yaml")
        let run = try PipeProcess.run(["build", "p"], in: scratch.root, environment: ["PIPE_TEST_PROGRESS_SECONDS": "0.02"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // One input item, one task: without the timer nothing would be printed until the item is done.
        let during = run.stderr.split(separator: "\n").filter { $0.hasPrefix("p: 0/1 tasks, 0 items") }
        XCTAssertGreaterThanOrEqual(during.count, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("p: 1/1 tasks, 1 items"), run.stderr)
        XCTAssertTrue(run.stderr.contains("40000 records kept"), run.stderr)
    }

    func testARecordLineOverTheLimitIsReportedAndTheRestStillChecked() throws {
        let scratch = try Scratch()
        let good = #"{"id": "a", "group": "g", "text": "t", "label": "loop", "tokens": 1, "score": 0.5}"#
        let huge = #"{"id": "b", "text": ""# + String(repeating: "x", count: 65 << 20) + #""}"#
        try scratch.write([good, huge, good.replacingOccurrences(of: "loop", with: "gpu")].joined(separator: "\n") + "\n",
                          to: "big.jsonl")
        let run = try PipeProcess.run(["validate", "big.jsonl", "--schema", "demo-record"], in: scratch.root)
        XCTAssertEqual(run.status, 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        XCTAssertEqual(errors.count, 2, run.stderr)
        XCTAssertTrue(errors.first?.hasPrefix("big.jsonl:2: error: ") == true, run.stderr)
        XCTAssertTrue(errors.first?.hasSuffix("[record.too_large]") == true, run.stderr)
        XCTAssertFalse(errors.first?.contains("big.jsonl:2: error: big.jsonl") == true, "one location prefix")
        XCTAssertTrue(errors.last?.hasPrefix(#"big.jsonl:3: error: /label: "gpu""#) == true, "reading went on: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("3 records, 2 invalid against demo-record"), run.stderr)
    }

    func testYAMLNestedPastEitherLimitSaysSoTheSameWay() throws {
        let scratch = try Scratch()
        // Past libyaml's own cap (flow style), and past ours (block style): one message, one code.
        try scratch.write("a: " + String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000) + "\n", to: "flow.yaml")
        try scratch.write("a:\n" + (1..<200).map { String(repeating: "  ", count: $0) + "b:\n" }.joined(), to: "block.yaml")
        for name in ["flow.yaml", "block.yaml"] {
            let run = try PipeProcess.run(["validate", name], in: scratch.root)
            XCTAssertEqual(run.status, 1)
            XCTAssertTrue(run.stderr.contains("error: nesting deeper than 128 levels [yaml.too_deep]"), run.stderr)
            XCTAssertFalse(run.stderr.contains("yaml_set_max_nest_level"), run.stderr)
        }
    }

    func testTheSummaryNamesFiveErrorRejectsCountsTheRestAndSaysWhereTheyAre() throws {
        let scratch = try Scratch()
        try scratch.write((1...12).map { "{bad \($0)" }.joined(separator: "\n") + "\n", to: "Data/x.jsonl")
        try scratch.write("""
            pipeline: m
            stages:
              m:
                kind: records.import
                inputs: ["../Data/x.jsonl"]
                tasks: 1
                params: {schema: demo-record}
            """, to: "Pipelines/m.yaml")
        let text = try PipeProcess.run(["build", "m"], in: scratch.root)
        XCTAssertEqual(text.status, 0, text.stderr)
        let rejects = text.stderr.split(separator: "\n").filter { $0.hasPrefix("  reject: ") }
        XCTAssertEqual(rejects.count, 5)
        XCTAssertTrue(rejects.first?.hasPrefix("  reject: ../Data/x.jsonl:1 (offset 0): error: invalid JSON at column 2") == true)
        XCTAssertTrue(text.stderr.contains("  ... and 7 more error reject(s); all rejects are in pipe-work/runs/m/"), text.stderr)
        let json = try PipeProcess.run(["build", "m", "--force", "--log-format", "json"], in: scratch.root)
        let events = json.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let structured = events.filter { $0["event"] as? String == "reject" }
        XCTAssertEqual(structured.count, 5)
        XCTAssertEqual(structured.first?["code"] as? String, "record.json")
        XCTAssertEqual(structured.first?["line"] as? Int, 1)
        XCTAssertEqual(structured.first?["locator"] as? String, "../Data/x.jsonl")
        XCTAssertEqual(events.first { $0["more_errors"] != nil }?["more_errors"] as? Int, 7)
    }

    func testPipelineFilesNamedTogetherAreCheckedTogether() throws {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data"), to: scratch.url("Data"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("Pipelines"), to: scratch.url("Pipelines"))
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.url("Pipelines").path).sorted()
            .map { "Pipelines/" + $0 }
        // The project's own files: a stage of one reads a stage of another.
        let own = try PipeProcess.run(["validate"] + names, in: scratch.root)
        XCTAssertEqual(own.status, 0, own.stderr)
        XCTAssertTrue(own.stderr.contains("\(names.count) pipeline files: valid pipeline files"), own.stderr)
        // A stage name used in two files, and an input that matches nothing, are found as `pipe build` finds them.
        try scratch.write("""
            pipeline: extra
            stages:
              demo-import:
                kind: records.import
                inputs: ["../Data/nothing-here/*.jsonl"]
                params: {schema: demo-record}
            """, to: "Pipelines/extra.yaml")
        let broken = try PipeProcess.run(["validate"] + names + ["Pipelines/extra.yaml"], in: scratch.root)
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("Pipelines/extra.yaml:3:3: error: stage name 'demo-import' is already used in Pipelines/demo.yaml"),
                      broken.stderr)
        try scratch.write("""
            pipeline: extra
            stages:
              extra-import:
                kind: records.import
                inputs: ["../Data/nothing-here/*.jsonl"]
                params: {schema: demo-record}
            """, to: "Pipelines/extra.yaml")
        let empty = try PipeProcess.run(["validate"] + names + ["Pipelines/extra.yaml"], in: scratch.root)
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("Pipelines/extra.yaml:5:14: error: input '../Data/nothing-here/*.jsonl' matches no file [pipeline.input_empty]"),
                      empty.stderr)
    }

    func testExportFoldersAreVerifiedAgainstTheirManifest() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        XCTAssertEqual(try PipeProcess.run(["export", "demo", "--compression", "none", "--out", "demo"], in: scratch.root).status, 0)
        let clean = try PipeProcess.run(["validate", "demo"], in: scratch.root)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stderr.contains("export verified: 3 files and 60 records"), clean.stderr)
        XCTAssertEqual(try PipeProcess.run(["inspect", "demo", "--head", "0"], in: scratch.root).status, 0)

        // Tampered (one label changed: size kept, digest and schema broken), incomplete and padded.
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.url("demo/data").path).sorted()
        let train = try XCTUnwrap(files.first { $0.hasPrefix("train-") })
        let trainPath = "demo/data/" + train
        let text = try String(contentsOf: scratch.url(trainPath), encoding: .utf8)
        try scratch.write(text.replacingOccurrences(of: #""label":"kernel""#, with: #""label":"KERNEL""#), to: trainPath)
        let validation = try XCTUnwrap(files.first { $0.hasPrefix("validation-") })
        try FileManager.default.removeItem(at: scratch.url("demo/data/" + validation))
        try scratch.write("{}\n", to: "demo/data/extra.jsonl")
        for command in [["validate", "demo"], ["inspect", "demo", "--head", "0"]] {
            let run = try PipeProcess.run(command, in: scratch.root)
            XCTAssertEqual(run.status, 1, command.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains("demo/\(trainPath.dropFirst(5)): error: data/\(train) has SHA-256 "), run.stderr)
            XCTAssertTrue(run.stderr.contains(#"error: /label: "KERNEL" is not one of"#), run.stderr)
            XCTAssertTrue(run.stderr.contains("error: data/\(validation) is listed in the manifest but missing [export.missing]"), run.stderr)
            XCTAssertTrue(run.stderr.contains("error: data/extra.jsonl is not listed in the manifest [export.unlisted]"), run.stderr)
        }
        let missing = try PipeProcess.run(["inspect", "no/such/path"], in: scratch.root)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("error: no such file or folder, and no dataset or stage named no/such/path [inspect.missing]"),
                      missing.stderr)
    }

    func testStagingFoldersOfKilledExportsAreRemoved() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        // The pid of a process that has exited, as an export killed with -9 would leave behind.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = "pipe-work/exports/demo.tmp-\(gone.processIdentifier)"
        let alive = "pipe-work/exports/other.tmp-\(getpid())"
        try scratch.write("partial", to: dead + "/data/train-00000-of-00001.jsonl.gz")
        try scratch.write("in use", to: alive + "/data/x")
        let export = try PipeProcess.run(["export", "demo"], in: scratch.root)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.url(dead).path), "a dead export's staging is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.url(alive).path), "a live process's staging is kept")
        try scratch.write("partial", to: dead + "/x")
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.url(dead).path), "a build removes it too")
    }

    func testUsageErrorsExit64() throws {
        let scratch = try Scratch()
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--no-such-flag"], in: scratch.root).status, 64)
        XCTAssertEqual(try PipeProcess.run(["build"], in: scratch.root).status, 64)
    }

    func testVersionAndHelp() throws {
        let scratch = try Scratch()
        let version = try PipeProcess.run(["--version"], in: scratch.root)
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("0.1.0"), version.stdout)
        let help = try PipeProcess.run(["--help"], in: scratch.root)
        XCTAssertEqual(help.status, 0)
        for command in ["build", "stages", "status", "export", "validate", "inspect"] {
            XCTAssertTrue(help.stdout.contains(command), "help lists \(command)")
        }
    }

    func testValidateReadsJSONAsJSONAndRecordFilesElementByElement() throws {
        let scratch = try Scratch()
        // YAML would take 1e400 for a string and accept the bare word and the trailing commas.
        try scratch.write(#"{"a": 1e400}"#, to: "big.json")
        try scratch.write(#"{"a": yes, b: [1,2,], }"#, to: "yaml.json")
        let big = try PipeProcess.run(["validate", "big.json"], in: scratch.root)
        XCTAssertEqual(big.status, 1)
        XCTAssertTrue(big.stderr.contains("big.json:1:7: error:"), big.stderr)
        let yaml = try PipeProcess.run(["validate", "yaml.json"], in: scratch.root)
        XCTAssertEqual(yaml.status, 1)
        XCTAssertTrue(yaml.stderr.contains("yaml.json:1:7: error: unexpected character 'y'"), yaml.stderr)
        // An array of records, one of them invalid and one malformed after a good one.
        try scratch.write("[\n" + #"{"id": "a", "group": "g", "text": "t", "label": "loop", "tokens": 1, "score": 0.5}"# + ",\n"
                          + #"{"id": "b", "group": "g", "text": "t", "label": "gpu", "tokens": 1, "score": 0.5}"# + ",\n"
                          + #"{"id": "c" "group": 1}"# + "\n]\n", to: "records.json")
        let records = try PipeProcess.run(["validate", "records.json", "--records", "--schema", "demo-record"], in: scratch.root)
        XCTAssertEqual(records.status, 1)
        XCTAssertTrue(records.stderr.contains(#"records.json:3: error: /label: "gpu" is not one of"#), records.stderr)
        XCTAssertTrue(records.stderr.contains("records.json:4: error: invalid JSON at byte 11 of the element"), records.stderr)
        XCTAssertTrue(records.stderr.contains("3 records, 2 invalid against demo-record"), records.stderr)
    }

    func testValidateChecksPipelinesShardsAndDocuments() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        let pipeline = try PipeProcess.run(["validate", "Pipelines/demo.yaml"], in: scratch.root)
        XCTAssertEqual(pipeline.status, 0, pipeline.stderr)
        let good = try PipeProcess.run(["validate", "Data/demo/part-a.jsonl", "--schema", "demo-record"], in: scratch.root)
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(good.stderr.contains("20 records, 0 invalid"), good.stderr)
        let bad = try PipeProcess.run(["validate", "Data/demo/part-c.jsonl.zst", "--schema", "demo-record"], in: scratch.root)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("part-c.jsonl.zst:21: error:"), bad.stderr)
        try scratch.write("id: 3\nlabel: gpu\n", to: "doc.yaml")
        let document = try PipeProcess.run(["validate", "doc.yaml", "--schema", "demo-record"], in: scratch.root)
        XCTAssertEqual(document.status, 1)
        XCTAssertTrue(document.stderr.contains("doc.yaml:1:5: error: /id:"), document.stderr)
    }

    func testInspectShowsCountAndFirstRecords() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        let byName = try PipeProcess.run(["inspect", "demo", "--head", "1"], in: scratch.root)
        XCTAssertEqual(byName.status, 0, byName.stderr)
        XCTAssertTrue(byName.stdout.hasPrefix("demo: 60 records"), byName.stdout)
        XCTAssertTrue(byName.stdout.contains("0 invalid against demo-record"), byName.stdout)
        XCTAssertTrue(byName.stdout.contains("\"id\": \"demo-0001\""), byName.stdout)
        XCTAssertEqual(try PipeProcess.run(["export", "demo"], in: scratch.root).status, 0)
        let folder = try PipeProcess.run(["inspect", "pipe-work/exports/demo", "--head", "0"], in: scratch.root)
        XCTAssertEqual(folder.status, 0, folder.stderr)
        XCTAssertTrue(folder.stdout.contains("60 records"), folder.stdout)
        let status = try PipeProcess.run(["status"], in: scratch.root)
        XCTAssertTrue(status.stdout.contains("demo-import: up to date"), status.stdout)
        XCTAssertTrue(status.stdout.contains("dataset demo: 60 records"), status.stdout)
    }

    func testJSONLogFormatWritesOneJSONObjectPerLine() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        let build = try PipeProcess.run(["build", "all", "--log-format", "json"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let lines = build.stderr.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
        let broken = try PipeProcess.run(["export", "nope", "--log-format", "json"], in: scratch.root)
        XCTAssertEqual(broken.status, 1)
        let error = try JSONSerialization.jsonObject(with: Data(broken.stderr.utf8)) as? [String: Any]
        XCTAssertEqual(error?["code"] as? String, "export.unknown_dataset")
    }

    func testExportShardsBySizeAndManifestValidates() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        let export = try PipeProcess.run(["export", "demo", "--shard-bytes", "1000", "--compression", "zstd",
                                          "--out", "out/demo"], in: scratch.root)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stdout, "out/demo\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.url("out/demo/data").path).sorted()
        XCTAssertTrue(names.contains("train-00000-of-00007.jsonl.zst"), "\(names)")
        XCTAssertTrue(names.allSatisfy { $0.range(of: #"^(train|validation|test)-\d{5}-of-\d{5}\.jsonl\.zst$"#,
                                                   options: .regularExpression) != nil }, "\(names)")
        let validate = try PipeProcess.run(["validate", "out/demo/manifest.json"], in: scratch.root)
        XCTAssertEqual(validate.status, 0, validate.stderr)
        let both = try PipeProcess.run(["export", "demo", "--shard-bytes", "10", "--shard-records", "3"], in: scratch.root)
        XCTAssertEqual(both.status, 64)
    }

    func testEditingASchemaFileMakesTheStageStale() throws {
        let scratch = try Scratch()
        try scratch.write(#"{"id":"a","n":1}"# + "\n", to: "Data/s/a.jsonl")
        try scratch.write(#"{"type":"object","required":["id"]}"#, to: "Pipelines/mine.schema.json")
        try scratch.write("""
            pipeline: s
            stages:
              s-import:
                kind: records.import
                inputs: ["../Data/s/*.jsonl"]
                params: {schema: mine.schema.json}
            """, to: "Pipelines/s.yaml")
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        XCTAssertTrue(try PipeProcess.run(["status"], in: scratch.root).stdout.contains("s-import: up to date"))
        try scratch.write(#"{"type":"object","required":["id","n"]}"#, to: "Pipelines/mine.schema.json")
        let status = try PipeProcess.run(["status"], in: scratch.root)
        XCTAssertTrue(status.stdout.contains("s-import: stale"), status.stdout)
    }
}

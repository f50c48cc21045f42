import Foundation
import XCTest

/// End-to-end tests of `pipe build` and `pipe export` on the demo pipeline and on generated inputs.
final class BuildEndToEndTests: XCTestCase {
    func testDemoBuildsWithPlantedRejectsAndRebuildIsByteIdentical() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        let first = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        // 60 good records, one schema violation, one broken line (errors) and one duplicate id (dropped).
        XCTAssertTrue(first.stderr.contains(", 60 records"), first.stderr)
        XCTAssertTrue(first.stderr.contains("rejects: 2 error, 1 dropped"), first.stderr)
        XCTAssertTrue(first.stderr.contains("record.duplicate_id: 1"), first.stderr)
        XCTAssertTrue(first.stderr.contains("record.schema: 1"), first.stderr)
        let shards = try scratch.files(under: "pipe-work/runs")
        XCTAssertFalse(shards.isEmpty)

        let again = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("up to date"), again.stderr)

        let forced = try PipeProcess.run(["build", "demo-import", "--force"], in: scratch.root)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let rebuilt = try scratch.files(under: "pipe-work/runs")
        XCTAssertEqual(Set(rebuilt.keys), Set(shards.keys))
        for (path, bytes) in shards where path.hasSuffix(".zst") {
            XCTAssertEqual(rebuilt[path], bytes, "shard \(path) differs after a rebuild")
        }
    }

    func testExportsAreIdenticalWhateverTheTaskCount() throws {
        var exports: [[String: Data]] = []
        for tasks in [1, 8] {
            let scratch = try Scratch()
            try scratch.copyDemo(tasks: tasks)
            let build = try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root)
            XCTAssertEqual(build.status, 0, build.stderr)
            let export = try PipeProcess.run(["export", "demo", "--shard-records", "16"], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
            let files = try scratch.files(under: "pipe-work/exports/demo")
            XCTAssertNotNil(files["/manifest.json"])
            XCTAssertNotNil(files["/croissant.json"])
            XCTAssertNotNil(files["/README.md"])
            XCTAssertTrue(files.keys.contains { $0.hasPrefix("/data/train-00000-of-") && $0.hasSuffix(".jsonl.gz") })
            exports.append(files)
        }
        XCTAssertEqual(Set(exports[0].keys), Set(exports[1].keys))
        for (path, bytes) in exports[0] { XCTAssertEqual(exports[1][path], bytes, "\(path) differs between 1 and 8 tasks") }
    }

    /// Writes `files` JSONL files of `perFile` records each, valid against demo-record.
    private func writeGenerated(_ scratch: Scratch, files: Int, perFile: Int, tasks: Int) throws {
        for file in 0..<files {
            var text = ""
            for index in 0..<perFile {
                let id = String(format: "gen-%03d-%05d", file, index)
                text += #"{"group":"g\#(index % 17)","id":"\#(id)","label":"loop","score":0.5,"text":"record \#(index) of file \#(file)","tokens":5}"# + "\n"
            }
            try scratch.write(text, to: "Data/gen/file-\(file).jsonl")
        }
        try scratch.write("""
            pipeline: gen
            stages:
              gen-import:
                kind: records.import
                inputs: ["../Data/gen/*.jsonl"]
                tasks: \(tasks)
                params: {schema: demo-record}
            datasets:
              gen:
                from: gen-import
                split: {key: group, train: 0.5, validation: 0.25, test: 0.25}
                license: CC0-1.0
                description: generated
            """, to: "Pipelines/gen.yaml")
    }

    private func tasksDone(_ scratch: Scratch) throws -> Int {
        let status = try PipeProcess.run(["status", "--log-format", "json"], in: scratch.root)
        XCTAssertEqual(status.status, 0, status.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let stages = json?["stages"] as? [[String: Any]]
        return stages?.first?["tasks_done"] as? Int ?? -1
    }

    func testCrashMidwayThenRerunCompletesOnlyMissingTasksAndMatchesCleanBuild() throws {
        let crashed = try Scratch()
        try writeGenerated(crashed, files: 16, perFile: 200, tasks: 8)
        let dying = try PipeProcess.run(["build", "all", "--quiet"], in: crashed.root,
                                        environment: ["PIPE_TEST_CRASH_AFTER": "2000"])
        XCTAssertNotEqual(dying.status, 0, "the crash hook must kill the build")
        let doneAfterCrash = try tasksDone(crashed)
        XCTAssertGreaterThan(doneAfterCrash, 0)
        XCTAssertLessThan(doneAfterCrash, 8)

        let resumed = try PipeProcess.run(["build", "all"], in: crashed.root)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("\(8 - doneAfterCrash) task(s) run, \(doneAfterCrash) already done"),
                      resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("3200 records"), resumed.stderr)

        let clean = try Scratch()
        try writeGenerated(clean, files: 16, perFile: 200, tasks: 8)
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: clean.root).status, 0)
        for scratch in [crashed, clean] {
            let export = try PipeProcess.run(["export", "gen", "--shard-records", "500"], in: scratch.root)
            XCTAssertEqual(export.status, 0, export.stderr)
        }
        let a = try crashed.files(under: "pipe-work/exports/gen")
        let b = try clean.files(under: "pipe-work/exports/gen")
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        XCTAssertGreaterThan(a.count, 5)
        for (path, bytes) in a { XCTAssertEqual(b[path], bytes, "\(path) differs after crash and resume") }
    }

    func testAForcedRebuildKilledPartWayKeepsThePreviousRunUsable() throws {
        let scratch = try Scratch()
        try writeGenerated(scratch, files: 16, perFile: 200, tasks: 8)
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: scratch.root).status, 0)
        XCTAssertEqual(try PipeProcess.run(["export", "gen", "--out", "first"], in: scratch.root).status, 0)
        let first = try scratch.files(under: "first/data")

        let dying = try PipeProcess.run(["build", "all", "--force", "--quiet"], in: scratch.root,
                                        environment: ["PIPE_TEST_CRASH_AFTER": "1000"])
        XCTAssertNotEqual(dying.status, 0, "the crash hook must kill the build")
        // The last complete run is still the one downstream readers see.
        let during = try PipeProcess.run(["export", "gen", "--out", "during"], in: scratch.root)
        XCTAssertEqual(during.status, 0, during.stderr)
        XCTAssertEqual(try scratch.files(under: "during/data"), first)

        let rebuilt = try PipeProcess.run(["build", "all", "--force"], in: scratch.root)
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        let runs = try FileManager.default.contentsOfDirectory(atPath: scratch.url("pipe-work/runs/gen-import").path)
        XCTAssertEqual(runs.count, 1, "the set-aside run is gone once the rebuild completes: \(runs)")
        XCTAssertEqual(try PipeProcess.run(["export", "gen", "--out", "after"], in: scratch.root).status, 0)
        XCTAssertEqual(try scratch.files(under: "after/data"), first)
    }

    private func writeTruncatedInput(_ scratch: Scratch) throws -> Int {
        var text = ""
        for index in 0..<4000 {
            text += #"{"group":"g\#(index % 5)","id":"t-\#(index)","label":"io","score":0.25,"text":"line \#(index) with some padding text to make the file longer","tokens":9}"# + "\n"
        }
        try scratch.write(text, to: "Data/t/records.jsonl")
        try scratch.compress("Data/t/records.jsonl", with: "gzip")
        let url = scratch.url("Data/t/records.jsonl.gz")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        try scratch.write("""
            pipeline: t
            stages:
              t-import:
                kind: records.import
                inputs: ["../Data/t/*.jsonl.gz"]
                tasks: 4
                params: {schema: demo-record}
            """, to: "Pipelines/t.yaml")
        return 4000
    }

    func testTruncatedGzipKeepsRecordsBeforeDamageWithOneReject() throws {
        let scratch = try Scratch()
        let total = try writeTruncatedInput(scratch)
        let build = try PipeProcess.run(["build", "all"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("rejects: 1 error, 0 dropped"), build.stderr)
        XCTAssertTrue(build.stderr.contains("../Data/t/records.jsonl.gz"), build.stderr)
        XCTAssertTrue(build.stderr.contains("offset"), build.stderr)
        let inspect = try PipeProcess.run(["inspect", "t-import/main", "--head", "0"], in: scratch.root)
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let count = Int(inspect.stdout.split(separator: " ")[1]) ?? -1
        XCTAssertGreaterThan(count, 0)
        XCTAssertLessThan(count, total)
    }

    func testStrictFailsOnErrorRejectsAndLeavesNoShard() throws {
        let scratch = try Scratch()
        _ = try writeTruncatedInput(scratch)
        let build = try PipeProcess.run(["build", "all", "--strict"], in: scratch.root)
        XCTAssertEqual(build.status, 1, build.stderr)
        XCTAssertTrue(build.stderr.contains("--strict"), build.stderr)
        // One file, so one task owns it: that task fails and leaves no visible shard; the other three finish.
        let files = try scratch.files(under: "pipe-work/runs")
        let parts = files.keys.filter {
            $0.contains("/main/part-") && $0.hasSuffix(".jsonl.zst") && !$0.contains(".keys.")
                && !(($0 as NSString).lastPathComponent.hasPrefix("."))
        }
        XCTAssertEqual(parts.count, 3, "\(parts.sorted())")
        XCTAssertEqual(try tasksDone(scratch), 3)
    }

    func testDroppedRejectsNeverFailStrictBuilds() throws {
        let scratch = try Scratch()
        try scratch.write(#"{"group":"a","id":"x","label":"io","score":0.1,"text":"one","tokens":1}"# + "\n", to: "Data/d/a.jsonl")
        try scratch.write(#"{"group":"a","id":"x","label":"io","score":0.1,"text":"two","tokens":1}"# + "\n", to: "Data/d/b.jsonl")
        try scratch.write("""
            pipeline: d
            stages:
              d-import:
                kind: records.import
                inputs: ["../Data/d/*.jsonl"]
                params: {schema: demo-record}
            """, to: "Pipelines/d.yaml")
        let build = try PipeProcess.run(["build", "all", "--strict"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("1 records"), build.stderr)
        XCTAssertTrue(build.stderr.contains("rejects: 0 error, 1 dropped"), build.stderr)
    }
}

/// Stages that read an upstream stage's record stream.
final class UpstreamStageTests: XCTestCase {
    func testDownstreamStageBuildsUpstreamFirstAndReadsItsRecords() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        try scratch.write("""
            pipeline: second
            stages:
              reimport:
                kind: records.import
                inputs: [{stage: demo-import, records: main}]
                tasks: 3
                params: {schema: demo-record}
            """, to: "Pipelines/second.yaml")
        let build = try PipeProcess.run(["build", "reimport"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("demo-import: built"), build.stderr)
        XCTAssertTrue(build.stderr.contains("reimport: built"), build.stderr)
        let inspect = try PipeProcess.run(["inspect", "reimport/main", "--head", "0"], in: scratch.root)
        XCTAssertTrue(inspect.stdout.hasPrefix("reimport/main: 60 records"), inspect.stdout)

        // A changed upstream input makes the downstream stage stale.
        try scratch.write(#"{"group":"g99","id":"demo-9999","label":"io","score":0.5,"text":"new","tokens":1}"# + "\n",
                          to: "Data/demo/part-d.jsonl")
        let status = try PipeProcess.run(["status"], in: scratch.root)
        XCTAssertTrue(status.stdout.contains("demo-import: stale"), status.stdout)
        let rebuild = try PipeProcess.run(["build", "reimport"], in: scratch.root)
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        XCTAssertTrue(rebuild.stderr.contains("reimport: built"), rebuild.stderr)
        XCTAssertTrue(rebuild.stderr.contains("61 records"), rebuild.stderr)
    }

    func testUnknownUpstreamStreamIsAPipelineError() throws {
        let scratch = try Scratch()
        try scratch.copyDemo()
        try scratch.write("""
            pipeline: second
            stages:
              reimport:
                kind: records.import
                inputs: [{stage: demo-import, records: nope}]
                params: {schema: demo-record}
            """, to: "Pipelines/second.yaml")
        let result = try PipeProcess.run(["stages"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("second.yaml:5:14: error: stage 'demo-import' has no record stream 'nope'"),
                      result.stderr)
    }
}

/// Slurm-style runs: tasks without the catalog, then `pipe finalize`.
final class NoCatalogTests: XCTestCase {
    func testRanksWithoutCatalogThenFinalizeEqualALocalBuild() throws {
        let cluster = try Scratch()
        try cluster.copyDemo()
        for rank in [3, 0, 7, 1, 2, 6, 5] {
            let element = try PipeProcess.run(["build", "demo-import", "--tasks", "8", "--rank", "\(rank)", "--no-catalog"],
                                              in: cluster.root)
            XCTAssertEqual(element.status, 0, element.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cluster.url("pipe-work/catalog.sqlite").path),
                       "array elements must not create the catalog")
        let early = try PipeProcess.run(["finalize", "demo-import"], in: cluster.root)
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(early.stderr.contains("misses task(s) 4"), early.stderr)
        XCTAssertEqual(try PipeProcess.run(["build", "demo-import", "--tasks", "8", "--rank", "4", "--no-catalog"],
                                           in: cluster.root).status, 0)
        let finalize = try PipeProcess.run(["finalize", "demo-import"], in: cluster.root)
        XCTAssertEqual(finalize.status, 0, finalize.stderr)
        XCTAssertTrue(finalize.stderr.contains("demo-import: built"), finalize.stderr)
        XCTAssertTrue(finalize.stderr.contains(", 60 records"), finalize.stderr)

        let local = try Scratch()
        try local.copyDemo()
        XCTAssertEqual(try PipeProcess.run(["build", "all", "--quiet"], in: local.root).status, 0)
        for scratch in [cluster, local] {
            XCTAssertEqual(try PipeProcess.run(["export", "demo", "--quiet"], in: scratch.root).status, 0)
        }
        let a = try cluster.files(under: "pipe-work/exports/demo")
        let b = try local.files(under: "pipe-work/exports/demo")
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (path, bytes) in a { XCTAssertEqual(b[path], bytes, "\(path) differs between Slurm-style and local builds") }
    }
}

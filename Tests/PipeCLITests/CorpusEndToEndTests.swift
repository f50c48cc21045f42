import Foundation
import XCTest
import StageKit
import Readers

/// End-to-end tests of `corpus.mine` and `pipe report corpus` on the seed corpus (Data/corpus,
/// Pipelines/corpus.yaml): three folder repositories and one `.tar.gz` with known paradigms, licenses,
/// a generated file, a vendored folder, an invalid-UTF-8 file, and duplicates planted across them.
final class CorpusEndToEndTests: XCTestCase {
    /// Copies the corpus pipeline and its data into a scratch project.
    private func corpus(tasks: Int? = nil) throws -> Scratch {
        let scratch = try Scratch()
        let source = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("Data/corpus"), to: scratch.url("Data/corpus"))
        var pipeline = try String(contentsOf: source.appendingPathComponent("Pipelines/corpus.yaml"), encoding: .utf8)
        if let tasks { pipeline = pipeline.replacingOccurrences(of: "tasks: 8", with: "tasks: \(tasks)") }
        try scratch.write(pipeline, to: "Pipelines/corpus.yaml")
        return scratch
    }

    /// The one run folder of a stage.
    private func runFolder(_ scratch: Scratch, stage: String = "corpus-mine") throws -> URL {
        let stageFolder = scratch.url("pipe-work/runs/\(stage)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: stageFolder.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(runs.count, 1, "\(runs)")
        return stageFolder.appendingPathComponent(try XCTUnwrap(runs.first))
    }

    /// Every line of every shard in a run subfolder (records of a stream, or rejects), parsed.
    private func lines(_ folder: URL) throws -> [JSONValue] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var out: [JSONValue] = []
        for name in names.sorted() where name.hasSuffix(".jsonl.zst") && !name.contains(".keys.") && !name.hasPrefix(".") {
            try ShardReader(path: folder.appendingPathComponent(name).path).forEachLine { line, _, _ in
                out.append(try JSONParser.parse(buffer: line))
            }
        }
        return out
    }

    private func records(_ scratch: Scratch, _ stream: String, stage: String = "corpus-mine") throws -> [JSONValue] {
        try lines(try runFolder(scratch, stage: stage).appendingPathComponent(stream))
    }

    private func rejects(_ scratch: Scratch, stage: String = "corpus-mine") throws -> [JSONValue] {
        try lines(try runFolder(scratch, stage: stage).appendingPathComponent("rejects"))
    }

    private func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    func testSeedCorpusCountsEveryFileRejectFunctionAndLoop() throws {
        let scratch = try corpus()
        let build = try PipeProcess.run(["build", "corpus-mine"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        // 19 files + 48 functions + 9 OpenMP loops; 1 error and 6 dropped rejects.
        XCTAssertTrue(build.stderr.contains(", 76 records"), build.stderr)
        XCTAssertTrue(build.stderr.contains("rejects: 1 error, 6 dropped"), build.stderr)

        let stats = try JSONParser.parse(Array(Data(contentsOf: try runFolder(scratch).appendingPathComponent("stats.json"))))
        XCTAssertEqual(stats["records"]?["files"], 19)
        XCTAssertEqual(stats["records"]?["functions"], 48)
        XCTAssertEqual(stats["records"]?["omp_loops"], 9)
        XCTAssertEqual(stats["rejects"], .object([
            "error": ["corpus.invalid_utf8": 1],
            "dropped": ["corpus.exact_duplicate": 1, "corpus.near_duplicate": 2, "corpus.generated": 1,
                        "corpus.vendored": 1, "corpus.too_few_tokens": 1],
        ]))

        // Every kept file: language, Fortran form, paradigms, license, near-duplicate cluster size.
        struct Expected: Equatable {
            var language: String
            var form: String?
            var paradigms: [String]
            var license: String?
            var cluster: Int64
        }
        let expected: [String: Expected] = [
            "accel-mix/acc/laplace_acc.c": Expected(language: "c", paradigms: ["openacc"], license: "BSL-1.0", cluster: 1),
            "accel-mix/acc/saxpy_acc.f90": Expected(language: "fortran", form: "free", paradigms: ["openacc"], license: "BSL-1.0", cluster: 1),
            "accel-mix/portability/axpy_kokkos.cpp": Expected(language: "cpp", paradigms: ["kokkos"], license: "BSL-1.0", cluster: 1),
            "accel-mix/portability/scale_hip.cpp": Expected(language: "cpp", paradigms: ["hip"], license: "BSL-1.0", cluster: 1),
            "accel-mix/portability/vadd_sycl.cpp": Expected(language: "cpp", paradigms: ["sycl"], license: "BSL-1.0", cluster: 1),
            "accel-mix/threads/fib_cilk.c": Expected(language: "c", paradigms: ["cilk"], license: "BSL-1.0", cluster: 1),
            "accel-mix/threads/pool.c": Expected(language: "c", paradigms: ["pthreads"], license: "BSL-1.0", cluster: 1),
            "accel-mix/threads/tbb_sort.cpp": Expected(language: "cpp", paradigms: ["tbb"], license: "BSL-1.0", cluster: 1),
            "cuda-kernels/cuda/check.cuh": Expected(language: "cuda", paradigms: ["cuda"], license: "Apache-2.0", cluster: 1),
            "cuda-kernels/cuda/saxpy.cu": Expected(language: "cuda", paradigms: ["cuda"], license: "Apache-2.0", cluster: 1),
            "cuda-kernels/opencl/host.c": Expected(language: "c", paradigms: ["opencl"], license: nil, cluster: 1),
            "cuda-kernels/opencl/vadd.cl": Expected(language: "opencl", paradigms: ["opencl"], license: "Apache-2.0", cluster: 1),
            "heat-mpi/fortran/jacobi.f90": Expected(language: "fortran", form: "free", paradigms: ["mpi", "openmp"], license: "BSD-3-Clause", cluster: 1),
            "heat-mpi/fortran/legacy.f": Expected(language: "fortran", form: "fixed", paradigms: ["mpi", "openmp"], license: "BSD-3-Clause", cluster: 1),
            "heat-mpi/src/grid.h": Expected(language: "cpp", paradigms: [], license: "BSD-3-Clause", cluster: 1),
            "heat-mpi/src/halo.hpp": Expected(language: "cpp", paradigms: ["mpi"], license: "BSD-3-Clause", cluster: 1),
            "heat-mpi/src/heat.cpp": Expected(language: "cpp", paradigms: ["mpi", "openmp"], license: "BSD-3-Clause", cluster: 1),
            "stencil-omp/src/stencil.c": Expected(language: "c", paradigms: ["openmp"], license: "MIT", cluster: 3),
            // Paradigm words only in comments and string literals: no paradigm.
            "stencil-omp/src/timing_notes.c": Expected(language: "c", paradigms: [], license: "MIT", cluster: 1),
        ]
        let files = try records(scratch, "files")
        var found: [String: Expected] = [:]
        var ids: [String: String] = [:]
        for file in files {
            let key = "\(file["repo"]?.stringValue ?? "?")/\(file["path"]?.stringValue ?? "?")"
            found[key] = Expected(language: file["language"]?.stringValue ?? "?", form: file["fortran_form"]?.stringValue,
                                  paradigms: strings(file["paradigms"]), license: file["license"]?.stringValue,
                                  cluster: file["near_dup_cluster_size"]?.integerValue ?? 0)
            ids[key] = file["id"]?.stringValue
            XCTAssertEqual(file["near_dup_cluster"], file["id"], "a kept file is its cluster's representative")
            for paradigm in strings(file["paradigms"]) {
                XCTAssertTrue(file["paradigm_evidence"]?.objectValue?.keys.contains { $0.hasPrefix(paradigm + ":") } ?? false,
                              "\(key): \(paradigm) without evidence")
            }
        }
        XCTAssertEqual(found.count, expected.count)
        for (key, value) in expected { XCTAssertEqual(found[key], value, key) }
        XCTAssertEqual(files.map { $0["id"]?.stringValue ?? "" }, files.map { $0["id"]?.stringValue ?? "" }.sorted(),
                       "records are in id order")

        // Every reject: where, why, and for duplicates the kept record they name.
        let rejected = try rejects(scratch)
        var codes: [String: String] = [:]
        for reject in rejected { codes[reject["locator"]?.stringValue ?? "?"] = reject["code"]?.stringValue }
        XCTAssertEqual(codes, [
            "../Data/corpus/archives/accel-mix.tar.gz!accel-mix/baseline/heat.cpp": "corpus.exact_duplicate",
            "../Data/corpus/archives/accel-mix.tar.gz!accel-mix/baseline/stencil_ref.c": "corpus.near_duplicate",
            "../Data/corpus/repos/cuda-kernels/legacy/stencil_v1.c": "corpus.near_duplicate",
            "../Data/corpus/repos/heat-mpi/src/legacy_reader.c": "corpus.invalid_utf8",
            "../Data/corpus/repos/stencil-omp/src/config.h": "corpus.too_few_tokens",
            "../Data/corpus/repos/stencil-omp/src/coefficients.c": "corpus.generated",
            "../Data/corpus/repos/stencil-omp/third_party/minivec/minivec.c": "corpus.vendored",
        ])
        for reject in rejected {
            let code = reject["code"]?.stringValue ?? ""
            XCTAssertEqual(reject["class"], code == "corpus.invalid_utf8" ? "error" : "dropped")
            if code == "corpus.exact_duplicate" {
                XCTAssertTrue(reject["reason"]?.stringValue?.contains(ids["heat-mpi/src/heat.cpp"] ?? "?") ?? false)
            }
            if code == "corpus.near_duplicate" {
                XCTAssertTrue(reject["reason"]?.stringValue?.contains(ids["stencil-omp/src/stencil.c"] ?? "?") ?? false)
            }
        }
        XCTAssertEqual(rejected.first { $0["code"] == "corpus.invalid_utf8" }?["offset"], 69)

        // Functions of kept files only, each pointing to its file.
        var functions: [String: [String]] = [:]
        let keptIDs = Set(ids.values)
        for function in try records(scratch, "functions") {
            XCTAssertTrue(keptIDs.contains(function["file_id"]?.stringValue ?? ""))
            functions["\(function["repo"]?.stringValue ?? "?")/\(function["path"]?.stringValue ?? "?")", default: []]
                .append(function["name"]?.stringValue ?? "?")
        }
        XCTAssertEqual(functions.mapValues { $0.sorted() }, [
            "accel-mix/acc/laplace_acc.c": ["initialize", "iterate", "main"],
            "accel-mix/acc/saxpy_acc.f90": ["saxpy", "total"],
            "accel-mix/portability/axpy_kokkos.cpp": ["main"],
            "accel-mix/portability/scale_hip.cpp": ["main", "scale"],
            "accel-mix/portability/vadd_sycl.cpp": ["main"],
            "accel-mix/threads/fib_cilk.c": ["fib", "main", "square_all"],
            "accel-mix/threads/pool.c": ["parallel_sum", "sum_slice"],
            "accel-mix/threads/tbb_sort.cpp": ["main", "sum_of_squares"],
            "cuda-kernels/cuda/check.cuh": ["check_cuda", "clamp01", "device_count_or_exit"],
            "cuda-kernels/cuda/saxpy.cu": ["dot_partial", "main", "saxpy"],
            "cuda-kernels/opencl/host.c": ["main", "read_source"],
            "cuda-kernels/opencl/vadd.cl": ["vadd", "vscale_add", "vsum_local"],
            "heat-mpi/fortran/jacobi.f90": ["exchange", "residual_norm", "sweep"],
            "heat-mpi/fortran/legacy.f": ["F"],
            "heat-mpi/src/grid.h": ["at", "make_strip", "set_top_boundary"],
            "heat-mpi/src/halo.hpp": ["broadcast_parameters", "exchange_halo"],
            "heat-mpi/src/heat.cpp": ["main", "step", "total_heat"],
            "stencil-omp/src/stencil.c": ["alloc_plane", "checksum", "init_grid", "jacobi_step", "main", "max_change"],
            "stencil-omp/src/timing_notes.c": ["print_history", "report_timing", "seconds_between"],
        ])

        // OpenMP loops with their normalized pragmas (HPCorpus loop-dataset form).
        let loops = try records(scratch, "omp_loops")
        XCTAssertEqual(loops.compactMap { $0["pragma_normalized"]?.stringValue }.sorted(), [
            "do parallel private(i)", "do parallel private(r) reduction(+:local)", "do parallel private(x) reduction(+:local)",
            "parallel for ", "parallel for ", "parallel for reduction(+:change) ", "parallel for reduction(+:local) ",
            "parallel for reduction(+:sum) private(n sum)", "parallel for reduction(max:worst) private(j)",
        ])
        for loop in loops {
            XCTAssertEqual(loop["hash"]?.stringValue, StableHash.sha256Hex(loop["code"]?.stringValue ?? ""))
            XCTAssertTrue(keptIDs.contains(loop["file_id"]?.stringValue ?? ""))
        }

        // The dedup summary artifact: 22 candidates, one cluster of three.
        let summary = try JSONParser.parse(Array(Data(contentsOf: try runFolder(scratch).appendingPathComponent("artifacts/dedup.json"))))
        XCTAssertEqual(summary["files"], 22)
        XCTAssertEqual(summary["exact_duplicates"], 1)
        XCTAssertEqual(summary["near_duplicates"], 2)
        XCTAssertEqual(summary["near_duplicate_clusters"], .object(["3": 1]))
        XCTAssertEqual(summary["lsh_index"]?["documents"], 21)

        // Every record satisfies its stream's schema.
        for stream in ["files", "functions", "omp_loops"] {
            let inspect = try PipeProcess.run(["inspect", "corpus-mine/\(stream)", "--head", "0"], in: scratch.root)
            XCTAssertEqual(inspect.status, 0, inspect.stdout + inspect.stderr)
            XCTAssertTrue(inspect.stdout.contains(", 0 invalid against"), inspect.stdout)
        }
    }

    func testOutputDoesNotDependOnTheTaskCountAndRebuildsAreIdentical() throws {
        var exports: [[String: Data]] = []
        for tasks in [1, 8] {
            let scratch = try corpus(tasks: tasks)
            let build = try PipeProcess.run(["build", "corpus-mine", "--quiet"], in: scratch.root)
            XCTAssertEqual(build.status, 0, build.stderr)
            var files: [String: Data] = [:]
            for dataset in ["corpus-files", "corpus-functions", "corpus-omp-loops"] {
                let export = try PipeProcess.run(["export", dataset, "--quiet"], in: scratch.root)
                XCTAssertEqual(export.status, 0, export.stderr)
                for (path, data) in try scratch.files(under: "pipe-work/exports/\(dataset)") { files[dataset + path] = data }
            }
            exports.append(files)
            if tasks == 8 {
                let shards = try scratch.files(under: "pipe-work/runs").filter { $0.key.hasSuffix(".jsonl.zst") }
                let forced = try PipeProcess.run(["build", "corpus-mine", "--force", "--quiet"], in: scratch.root)
                XCTAssertEqual(forced.status, 0, forced.stderr)
                let rebuilt = try scratch.files(under: "pipe-work/runs").filter { $0.key.hasSuffix(".jsonl.zst") }
                XCTAssertEqual(rebuilt, shards, "a forced rebuild writes the same bytes")
            }
        }
        XCTAssertEqual(Set(exports[0].keys), Set(exports[1].keys))
        XCTAssertGreaterThan(exports[0].count, 6)
        for (path, bytes) in exports[0] { XCTAssertEqual(exports[1][path], bytes, "\(path) differs between 1 and 8 tasks") }
    }

    func testReportPrintsTheTablesAndWritesJSONAndSVG() throws {
        let scratch = try corpus()
        XCTAssertEqual(try PipeProcess.run(["build", "corpus-mine", "--quiet"], in: scratch.root).status, 0)
        let report = try PipeProcess.run(["report", "corpus", "--out", "report"], in: scratch.root)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("19 files in 4 repositories, 48 functions, 9 OpenMP loops"), report.stdout)
        XCTAssertTrue(report.stdout.contains("parallel for          6"), report.stdout)
        let json = try JSONParser.parse(Array(Data(contentsOf: scratch.url("report/corpus-report.json"))))
        XCTAssertEqual(json["totals"], .object(["files": 19, "repositories": 4, "functions": 48, "omp_loops": 9,
                                                 "lines": 866, "tokens": 3541]))
        XCTAssertEqual(json["languages"]?["c"]?["files"], 6)
        XCTAssertEqual(json["languages"]?["cpp"]?["files"], 7)
        XCTAssertEqual(json["languages"]?["cuda"]?["files"], 2)
        XCTAssertEqual(json["languages"]?["fortran"]?["files"], 3)
        XCTAssertEqual(json["languages"]?["opencl"]?["files"], 1)
        let paradigms: [String: (Int64, Int64)] = [
            "openmp": (4, 2), "mpi": (4, 1), "cuda": (2, 1), "opencl": (2, 1), "openacc": (2, 1), "sycl": (1, 1),
            "tbb": (1, 1), "cilk": (1, 1), "kokkos": (1, 1), "hip": (1, 1), "pthreads": (1, 1),
        ]
        for (name, (files, repositories)) in paradigms {
            XCTAssertEqual(json["paradigms"]?[name], .object(["files": .integer(files), "repositories": .integer(repositories)]), name)
        }
        XCTAssertEqual(json["openmp_directives"], .object(["parallel for": 6, "parallel do": 3]))
        XCTAssertEqual(json["omp_loops"]?["c"]?["schedule"], .object(["static": 2, "dynamic": 1]))
        let svg = try String(contentsOf: scratch.url("report/corpus-report.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains(">pthreads</text>"))

        let defaultPlace = try PipeProcess.run(["report", "corpus", "--quiet"], in: scratch.root)
        XCTAssertEqual(defaultPlace.status, 0, defaultPlace.stderr)
        let folder = try runFolder(scratch).appendingPathComponent("report")
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("corpus-report.svg")), Data(svg.utf8))
    }

    /// Writes a pipeline mining the given inputs into `Pipelines/t.yaml`.
    private func writePipeline(_ scratch: Scratch, inputs: [String], params: String = "{}") throws {
        try scratch.write("""
            pipeline: t
            stages:
              mine:
                kind: corpus.mine
                inputs: [\(inputs.map { "\"\($0)\"" }.joined(separator: ", "))]
                tasks: 4
                params: \(params)
            """, to: "Pipelines/t.yaml")
    }

    func testMiningTheSameArchiveTwiceRemovesTheSecondCopyAsExactDuplicates() throws {
        let scratch = try Scratch()
        let archive = try Data(contentsOf: PipeProcess.repositoryRoot.appendingPathComponent("Data/corpus/archives/accel-mix.tar.gz"))
        try scratch.write(archive, to: "a/accel-mix.tar.gz")
        try scratch.write(archive, to: "b/accel-mix.tar.gz")
        try writePipeline(scratch, inputs: ["../a/accel-mix.tar.gz", "../b/accel-mix.tar.gz"])
        let build = try PipeProcess.run(["build", "mine"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        // The archive alone: 10 source files, all kept (their duplicates live in other repositories).
        XCTAssertEqual(try records(scratch, "files", stage: "mine").count, 10)
        let rejected = try rejects(scratch, stage: "mine")
        XCTAssertEqual(rejected.count, 10)
        for reject in rejected {
            XCTAssertEqual(reject["code"], "corpus.exact_duplicate")
            XCTAssertTrue(reject["locator"]?.stringValue?.hasPrefix("../b/accel-mix.tar.gz!") ?? false)
            XCTAssertTrue(reject["reason"]?.stringValue?.contains("../a/accel-mix.tar.gz!") ?? false)
        }
        XCTAssertEqual(try records(scratch, "functions", stage: "mine").count, 25)
    }

    func testFiltersCanKeepGeneratedAndVendoredFiles() throws {
        let scratch = try corpus()
        try writePipeline(scratch, inputs: ["../Data/corpus/repos/stencil-omp"],
                          params: "{keep_generated: true, keep_vendored: true, near_dedup: false}")
        try FileManager.default.removeItem(at: scratch.url("Pipelines/corpus.yaml"))
        let build = try PipeProcess.run(["build", "mine"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let files = try records(scratch, "files", stage: "mine")
        XCTAssertEqual(files.count, 4)
        XCTAssertEqual(files.filter { $0["generated"] == true }.map { $0["path"] }, ["src/coefficients.c"])
        XCTAssertEqual(files.filter { $0["vendored"] == true }.map { $0["path"] }, ["third_party/minivec/minivec.c"])
        XCTAssertEqual(try rejects(scratch, stage: "mine").map { $0["code"] }, ["corpus.too_few_tokens"])
    }

    /// Runs a command line tool in the scratch folder.
    private func shell(_ scratch: Scratch, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = scratch.root
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, arguments.joined(separator: " "))
    }

    func testDamagedArchiveKeepsEntriesBeforeTheDamageWithOneReject() throws {
        // About 400 KB of distinct C files, so the damage comes after many entries.
        let scratch = try Scratch()
        var state: UInt64 = 7
        for file in 0..<40 {
            var text = "#include <omp.h>\n"
            for line in 0..<300 {
                var words: [String] = []
                for _ in 0..<6 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    words.append("w\(state >> 40)")
                }
                text += "int f\(file)_\(line)(int \(words[0])) { return \(words[1...].joined(separator: " + ")); }\n"
            }
            try scratch.write(text, to: "src/big/file-\(String(format: "%02d", file)).c")
        }
        try shell(scratch, ["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-czf", "big.tar.gz", "-C", "src", "big"])
        let archive = try Data(contentsOf: scratch.url("big.tar.gz"))
        try scratch.write(archive.prefix(archive.count * 2 / 3), to: "in/big.tar.gz")
        try writePipeline(scratch, inputs: ["../in/big.tar.gz"])
        let build = try PipeProcess.run(["build", "mine"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let rejected = try rejects(scratch, stage: "mine")
        XCTAssertEqual(rejected.count, 1, "\(rejected)")
        XCTAssertEqual(rejected.first?["class"], "error")
        XCTAssertTrue(rejected.first?["locator"]?.stringValue?.hasPrefix("../in/big.tar.gz") ?? false)
        let kept = try records(scratch, "files", stage: "mine").count
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, 40)
        let strict = try PipeProcess.run(["build", "mine", "--force", "--strict"], in: scratch.root)
        XCTAssertEqual(strict.status, 1, strict.stderr)
    }

    /// A scratch folder with 8 distinct C files of about 2.5 KB as `name`, cut to 60% under `in/`.
    private func smallTruncatedArchive(_ name: String, flag: String) throws -> Scratch {
        let scratch = try Scratch()
        var state: UInt64 = 3
        for file in 0..<8 {
            var text = "#include <mpi.h>\n"
            for line in 0..<40 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += "int g\(file)_\(line)(int a) { return a * \(state >> 44) + \(state >> 54) - \(line); }\n"
            }
            try scratch.write(text, to: "src/small/file-\(file).c")
        }
        try shell(scratch, ["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", flag, "-cf", name, "-C", "src", "small"])
        let archive = try Data(contentsOf: scratch.url(name))
        try scratch.write(archive.prefix(archive.count * 6 / 10), to: "in/" + name)
        try writePipeline(scratch, inputs: ["../in/" + name], params: "{near_dedup: false}")
        return scratch
    }

    func testSmallTruncatedTarGzKeepsItsFirstEntriesWithOneReject() throws {
        // libarchive's gzip filter used to fail at open here and keep nothing.
        let scratch = try smallTruncatedArchive("small.tar.gz", flag: "-z")
        let build = try PipeProcess.run(["build", "mine"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let kept = try records(scratch, "files", stage: "mine").compactMap { $0["path"]?.stringValue }.sorted()
        XCTAssertGreaterThanOrEqual(kept.count, 2)
        XCTAssertEqual(kept, (0..<kept.count).map { "file-\($0).c" })
        let rejected = try rejects(scratch, stage: "mine")
        XCTAssertEqual(rejected.count, 1, "\(rejected)")
        XCTAssertEqual(rejected.first?["code"], "archive.damaged")
        // The reject names the archive and the entry that was cut (or, when the cut fell between entries,
        // the archive, with the last entry read in its reason).
        let locator = rejected.first?["locator"]?.stringValue ?? ""
        let reason = rejected.first?["reason"]?.stringValue ?? ""
        if locator.contains("!") {
            XCTAssertEqual(locator, "../in/small.tar.gz!small/file-\(kept.count).c")
        } else {
            XCTAssertEqual(locator, "../in/small.tar.gz")
            XCTAssertTrue(reason.contains("after entry small/file-\(kept.count - 1).c"), reason)
        }
    }

    func testSmallTruncatedTarZstIsOneReject() throws {
        // zstd decodes whole blocks of up to 128 KiB and this archive is one block, so nothing before the
        // cut can be decoded: one reject naming the archive, and no crash.
        let scratch = try smallTruncatedArchive("small.tar.zst", flag: "--zstd")
        let build = try PipeProcess.run(["build", "mine"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(try records(scratch, "files", stage: "mine").count, 0)
        let rejected = try rejects(scratch, stage: "mine")
        XCTAssertEqual(rejected.compactMap { $0["code"]?.stringValue }, ["archive.damaged"])
        XCTAssertEqual(rejected.first?["locator"], "../in/small.tar.zst")
    }
}

import StageKit
import Readers
import JSONSchema
import Foundation

/// Builds stages: decides what is stale, runs the map tasks on a worker pool, resumes what a crash
/// left undone, runs the reduce phase and records everything in the catalog.
public final class StageRunner {
    let workspace: Workspace
    /// Nil in `--no-catalog` runs on a workspace whose catalog was never made (nothing upstream).
    let optionalCatalog: Catalog?
    let pipelines: PipelineSet
    let registry: StageRegistry
    let schemas: SchemaLibrary
    let options: BuildOptions
    let progress: ProgressReporter
    private var documents: [String: YAMLDocument] = [:]

    public init(workspace: Workspace, catalog: Catalog?, pipelines: PipelineSet, kinds: KindCatalog,
                options: BuildOptions, progress: ProgressReporter) {
        self.workspace = workspace
        self.optionalCatalog = catalog
        self.pipelines = pipelines
        self.registry = kinds.registry
        self.schemas = kinds.schemas
        self.options = options
        self.progress = progress
    }

    var catalog: Catalog {
        get throws {
            guard let optionalCatalog else {
                throw PipeError("build.no_catalog", "this workspace has no catalog yet: build the upstream stages first")
            }
            return optionalCatalog
        }
    }

    /// Builds `target` (a stage name, or `all`) and everything it reads from, upstream first.
    /// With `--no-catalog` only the target's own tasks run; `finalize` completes the stage later.
    public func build(target: String) throws -> [StageBuildResult] {
        CrashHook.running(rank: options.rank)
        if options.noCatalog {
            guard let spec = pipelines.stages[target] else {
                throw PipeError("build.unknown_stage", "--no-catalog builds one stage; no stage named '\(target)'")
            }
            return [try buildTasksWithoutCatalog(spec)]
        }
        let targets: [String]
        if target == "all" {
            targets = Array(pipelines.stages.keys)
        } else {
            guard pipelines.stages[target] != nil else {
                throw PipeError("build.unknown_stage",
                                "no stage named '\(target)' (stages: \(pipelines.stages.keys.sorted().joined(separator: ", ")))")
            }
            targets = [target]
        }
        var results: [StageBuildResult] = []
        var failures: [PipeError] = []
        for name in pipelines.buildOrder(for: targets) {
            guard let spec = pipelines.stages[name] else { continue }
            do {
                let result = try buildStage(spec, isTarget: targets.contains(name))
                results.append(result)
                if result.outcome == .partial && options.rank == nil { break }
            } catch let failure as BuildFailure {
                results += failure.results
                failures += failure.errors
                break
            }
        }
        if !failures.isEmpty { throw BuildFailure(results: results, errors: failures) }
        return results
    }

    // MARK: Planning

    /// Everything known about a stage before any task runs.
    struct Plan {
        var spec: StageSpec
        var stage: any Stage
        var files: [ResolvedFile]
        var upstream: [UpstreamSource]
        var key: RunKey
        var inputHashes: [InputHash]

        /// The stage as a `ReducingStage`, when its kind has a reduce phase.
        var reducing: (any ReducingStage)? { stage as? any ReducingStage }
    }

    func document(for file: String) -> YAMLDocument? {
        if let document = documents[file] { return document }
        let document = try? YAMLDocument(contentsOf: file)
        documents[file] = document
        return document
    }

    func plan(_ spec: StageSpec) throws -> Plan {
        let resolver = InputResolver(pipelineFile: spec.file)
        let stage = try StageFactory(pipelines: pipelines, registry: registry, schemas: schemas, cacheRoot: workspace.cacheRoot)
            .make(spec, document: document(for: spec.file))
        let files = try resolver.files(for: spec, document: document(for: spec.file))
        var hashes: [InputHash] = []
        for file in files {
            // What is not read is not hashed either (a FIFO would block): its kind stands in the run key instead.
            let digest = try file.skipped.map { StableHash.sha256Hex($0.fingerprint) }
                ?? StableHash.sha256(fileAt: file.absolutePath)
            hashes.append(InputHash(locator: file.locator, sha256: digest))
        }
        for path in stage.parameterFiles {
            let prefix = resolver.pipelineDirectory + "/"
            let shown = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path as NSString).lastPathComponent
            hashes.append(InputHash(locator: "param:" + shown, sha256: try StableHash.sha256(fileAt: path)))
        }
        for identity in stage.toolIdentities {
            hashes.append(InputHash(locator: "tool:" + identity, sha256: StableHash.sha256Hex(identity)))
        }
        var upstream: [UpstreamSource] = []
        var upstreamRuns: [String: String] = [:]
        for case .stage(let name, let stream) in spec.inputs {
            guard let run = try catalog.latestCompleteRun(stage: name) else {
                throw PipeError("build.upstream_missing", "stage '\(spec.name)' needs '\(name)', which has no complete run")
            }
            upstream.append(UpstreamSource(
                stage: name, stream: stream, runID: run.runID,
                runDirectory: workspace.runDirectory(stage: name, runID: run.runID),
                parts: try StreamPart.parts(of: stream, in: catalog.artifacts(runID: run.runID))))
            upstreamRuns["\(name)/\(stream)"] = run.runID
        }
        let key = RunKey(kind: spec.kind, params: spec.params, inputs: hashes, upstream: upstreamRuns,
                         version: PipeVersion.full)
        return Plan(spec: spec, stage: stage, files: files, upstream: upstream, key: key, inputHashes: hashes)
    }

    // MARK: Building one stage

    func buildStage(_ spec: StageSpec, isTarget: Bool) throws -> StageBuildResult {
        let plan = try plan(spec)
        let runID = plan.key.runID
        if let tasks = options.tasks, isTarget, tasks != spec.tasks {
            throw PipeError("build.tasks_mismatch",
                            "--tasks \(tasks) differs from tasks: \(spec.tasks) of stage '\(spec.name)' in its pipeline file",
                            at: document(for: spec.file)?.location(of: spec.pointer))
        }
        if let rank = options.rank, isTarget, rank < 0 || rank >= spec.tasks {
            throw PipeError("build.rank", "--rank \(rank) is outside 0..<\(spec.tasks)")
        }
        let runDirectory = workspace.runDirectory(stage: spec.name, runID: runID)
        try recoverSetAside(stage: spec.name)
        if let existing = try catalog.run(id: runID) {
            if options.force && isTarget {
                try setAside(existing)
            } else if existing.status == .complete {
                return StageBuildResult(stage: spec.name, runID: runID, outcome: .upToDate, tasksRun: 0,
                                        tasksSkipped: existing.taskCount, records: existing.records,
                                        rejects: try catalog.rejectCounts(runID: runID), rejectSamples: [])
            } else if existing.taskCount != spec.tasks {
                throw PipeError("build.tasks_changed",
                                "stage '\(spec.name)' has an unfinished run with \(existing.taskCount) tasks; pipeline says \(spec.tasks): rerun with --force to start over")
            }
        }
        try beginRun(plan)
        let done = try catalog.completedTasks(runID: runID)
        var pending = (0..<spec.tasks).filter { !done.contains($0) }
        if let rank = options.rank, isTarget { pending = pending.filter { $0 == rank } }
        // A reduce phase may reshape what map wrote, so records are checked where they become final.
        let executor = TaskExecutor(plan: plan, runDirectory: runDirectory, options: options,
                                    checker: plan.reducing == nil ? try checker(plan) : nil, progress: progress)
        progress.begin(stage: spec.name, tasks: spec.tasks)
        for _ in done { progress.taskDone() }
        let catalog = try self.catalog
        let outcomes = executor.run(tasks: pending) { try catalog.completeTask($0) }
        progress.end()
        var errors: [PipeError] = []
        var samples: [Reject] = []
        for outcome in outcomes {
            samples += outcome.samples
            if let error = outcome.error { errors.append(error) }
        }
        let completed = try catalog.completedTasks(runID: runID)
        var result = StageBuildResult(stage: spec.name, runID: runID, outcome: .partial, tasksRun: outcomes.count,
                                      tasksSkipped: done.count, records: 0, rejects: [], rejectSamples: samples)
        if completed.count == spec.tasks && errors.isEmpty {
            if plan.reducing != nil { progress.reducing() }
            defer { progress.end() }
            let finished = try finish(plan: plan, runDirectory: runDirectory)
            result.outcome = .built
            result.records = finished.records
            result.rejects = finished.rejects
            result.rejectSamples += finished.samples
        } else {
            result.rejects = try Self.sumRejects(catalog.tasks(runID: runID))
        }
        if !errors.isEmpty { throw BuildFailure(results: [result], errors: errors) }
        return result
    }

    /// Runs a stage's tasks (all pending ones, or `--rank`) writing completion files instead of the
    /// catalog, as the elements of a Slurm array do; takes no lock, touches only its own task's files.
    func buildTasksWithoutCatalog(_ spec: StageSpec) throws -> StageBuildResult {
        let plan = try plan(spec)
        if let tasks = options.tasks, tasks != spec.tasks {
            throw PipeError("build.tasks_mismatch",
                            "--tasks \(tasks) differs from tasks: \(spec.tasks) of stage '\(spec.name)' in its pipeline file",
                            at: document(for: spec.file)?.location(of: spec.pointer))
        }
        let runDirectory = workspace.runDirectory(stage: spec.name, runID: plan.key.runID)
        let completions = CompletionFiles(runDirectory: runDirectory)
        let done = completions.done()
        var pending = (0..<spec.tasks).filter { !done.contains($0) }
        if let rank = options.rank {
            guard rank >= 0 && rank < spec.tasks else { throw PipeError("build.rank", "--rank \(rank) is outside 0..<\(spec.tasks)") }
            pending = pending.filter { $0 == rank }
        }
        // A reduce phase may reshape what map wrote, so records are checked where they become final.
        let executor = TaskExecutor(plan: plan, runDirectory: runDirectory, options: options,
                                    checker: plan.reducing == nil ? try checker(plan) : nil, progress: progress)
        progress.begin(stage: spec.name, tasks: pending.count)
        let outcomes = executor.run(tasks: pending) { try completions.write($0) }
        progress.end()
        let errors = outcomes.compactMap(\.error)
        let result = StageBuildResult(
            stage: spec.name, runID: plan.key.runID, outcome: .partial, tasksRun: outcomes.count,
            tasksSkipped: spec.tasks - pending.count, records: 0, rejects: [],
            rejectSamples: outcomes.flatMap(\.samples))
        if !errors.isEmpty { throw BuildFailure(results: [result], errors: errors) }
        return result
    }

    /// The problems with the files a task's completion file lists: each must be there with its recorded size and
    /// SHA-256, and a shard must decode to its recorded number of lines.
    static func verify(_ completion: TaskCompletion, runDirectory: String) -> [PipeError] {
        var problems: [PipeError] = []
        for file in completion.files {
            let path = runDirectory + "/" + file.path
            let location = SourceLocation(file: path)
            func fail(_ what: String) {
                problems.append(PipeError("finalize.corrupt", "task \(completion.task): \(file.path) \(what)", at: location))
            }
            guard FileKind.of(path) == .regular else {
                fail("is missing")
                continue
            }
            do {
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
                guard size == file.bytes else {
                    fail("has \(size) bytes; the task wrote \(file.bytes)")
                    continue
                }
                guard try StableHash.sha256(fileAt: path) == file.sha256 else {
                    fail("does not have the SHA-256 the task recorded")
                    continue
                }
                var lines: Int64 = 0
                try ShardReader(path: path).forEachLine { _, _, _ in lines += 1 }
                if let records = file.records, records != lines {
                    fail("holds \(lines) records; the task wrote \(records)")
                }
            } catch {
                fail("cannot be read: \((error as? PipeError)?.message ?? "\(error)")")
            }
        }
        return problems
    }

    /// Where a stage's current run stands for runs outside the catalog (Slurm): its id and folder, its tasks
    /// with a completion file, and whether the catalog holds it complete.
    public func distributedState(of name: String) throws -> DistributedRun {
        guard let spec = pipelines.stages[name] else { throw PipeError("build.unknown_stage", "no stage named '\(name)'") }
        let plan = try plan(spec)
        let runID = plan.key.runID
        let runDirectory = workspace.runDirectory(stage: name, runID: runID)
        return DistributedRun(stage: name, runID: runID, runDirectory: runDirectory, tasks: spec.tasks,
                              done: CompletionFiles(runDirectory: runDirectory).done(),
                              complete: try catalog.run(id: runID)?.status == .complete)
    }

    /// Merges the completion files of `--no-catalog` runs into the catalog and, once every task is
    /// done, runs the reduce phase: the dependent job of a Slurm array.
    public func finalize(stage name: String) throws -> StageBuildResult {
        guard let spec = pipelines.stages[name] else { throw PipeError("build.unknown_stage", "no stage named '\(name)'") }
        let plan = try plan(spec)
        let catalog = try self.catalog
        let runID = plan.key.runID
        let runDirectory = workspace.runDirectory(stage: spec.name, runID: runID)
        if let existing = try catalog.run(id: runID), existing.status == .complete {
            return StageBuildResult(stage: spec.name, runID: runID, outcome: .upToDate, tasksRun: 0,
                                    tasksSkipped: existing.taskCount, records: existing.records,
                                    rejects: try catalog.rejectCounts(runID: runID), rejectSamples: [])
        }
        // Everything is checked before the catalog is touched: a task whose files are missing or damaged (a node
        // that died mid-write, a disk that lost them) is named, and the catalog stays as it was.
        let recorded = try catalog.run(id: runID) != nil ? try catalog.completedTasks(runID: runID) : []
        let completions = try CompletionFiles(runDirectory: runDirectory).read().filter { !recorded.contains($0.task) }
        let present = recorded.union(completions.map(\.task))
        var problems: [PipeError] = []
        let missing = (0..<spec.tasks).filter { !present.contains($0) }
        if !missing.isEmpty {
            problems.append(PipeError(
                "finalize.incomplete",
                "stage '\(name)' still misses task(s) \(missing.map(String.init).joined(separator: ", ")): rerun them with --rank (or pipe slurm --submit), then finalize"))
        }
        for completion in completions { problems += Self.verify(completion, runDirectory: runDirectory) }
        let rejecting = completions.filter { $0.rejectsError > 0 }.map(\.task)
        if options.strict && !rejecting.isEmpty {
            problems.append(PipeError(
                "build.strict",
                "task(s) \(rejecting.map(String.init).joined(separator: ", ")) of stage '\(name)' had error rejects and --strict is set; the run was not finalized"))
        }
        guard problems.isEmpty else {
            throw BuildFailure(results: [StageBuildResult(stage: spec.name, runID: runID, outcome: .partial, tasksRun: 0,
                                                          tasksSkipped: recorded.count, records: 0, rejects: [],
                                                          rejectSamples: [])],
                               errors: problems)
        }
        try beginRun(plan)
        for completion in completions { try catalog.completeTask(completion) }
        var result = StageBuildResult(stage: spec.name, runID: runID, outcome: .partial, tasksRun: completions.count,
                                      tasksSkipped: recorded.count, records: 0, rejects: [], rejectSamples: [])
        let finished = try finish(plan: plan, runDirectory: runDirectory)
        result.outcome = .built
        result.records = finished.records
        result.rejects = finished.rejects
        result.rejectSamples = finished.samples
        return result
    }

    /// The id a complete run has while a `--force` rebuild of it is under way.
    static func setAsideID(_ runID: String) -> String { runID + setAsideSuffix }
    static let setAsideSuffix = ".previous"

    /// Starts a `--force` rebuild of `run`: a complete run is kept under another id until the rebuild completes,
    /// so that an interrupted rebuild leaves the stage's last complete run usable; an unfinished one is dropped.
    func setAside(_ run: RunRow) throws {
        let directory = workspace.runDirectory(stage: run.stage, runID: run.runID)
        guard run.status == .complete else {
            try catalog.deleteRun(id: run.runID)
            try FileSystem.remove(directory)
            return
        }
        let aside = Self.setAsideID(run.runID)
        try discardSetAside(stage: run.stage, runID: aside)
        try catalog.renameRun(from: run.runID, to: aside)
        try FileSystem.move(directory, to: workspace.runDirectory(stage: run.stage, runID: aside))
    }

    /// Forgets a run that was set aside (its rebuild is complete, or a newer one is being set aside).
    func discardSetAside(stage: String, runID aside: String) throws {
        try catalog.deleteRun(id: aside)
        try FileSystem.remove(workspace.runDirectory(stage: stage, runID: aside))
    }

    /// Finishes a set-aside that a crash cut between its catalog step and its folder step.
    func recoverSetAside(stage: String) throws {
        for run in try catalog.runs(stage: stage) where run.runID.hasSuffix(Self.setAsideSuffix) {
            let originalID = String(run.runID.dropLast(Self.setAsideSuffix.count))
            let aside = workspace.runDirectory(stage: stage, runID: run.runID)
            let original = workspace.runDirectory(stage: stage, runID: originalID)
            let orphaned = try catalog.run(id: originalID) == nil
            if orphaned && !FileSystem.exists(aside).exists && FileSystem.exists(original).exists {
                try FileSystem.move(original, to: aside)
            }
        }
    }

    func beginRun(_ plan: Plan) throws {
        let spec = plan.spec
        try catalog.beginRun(RunRow(
            runID: plan.key.runID, stage: spec.name, kind: spec.kind, pipeline: spec.pipeline, runKey: plan.key.digest,
            taskCount: spec.tasks, params: JSONWriter.compactString(spec.params),
            inputs: JSONWriter.compactString(.array(plan.inputHashes.map {
                .object(["locator": .string($0.locator), "sha256": .string($0.sha256)])
            })),
            pipeVersion: PipeVersion.full))
    }

    /// Runs the reduce phase (when the stage has one), writes `stats.json` and marks the run complete.
    func finish(plan: Plan, runDirectory: String) throws -> (records: Int64, rejects: [RejectCount], samples: [Reject]) {
        let runID = plan.key.runID
        let tasks = try catalog.tasks(runID: runID)
        var rejects = try Self.rejectTable(tasks)
        var streamCounts: [String: Int64] = [:]
        var files: [ArtifactRow] = []
        var samples: [Reject] = []
        if let reducing = plan.reducing {
            let artifacts = try catalog.artifacts(runID: runID)
            var parts: [String: [StreamPart]] = [:]
            for stream in plan.stage.streams {
                parts[stream.name] = StreamPart.parts(of: stream.name, in: artifacts, prefix: "map/")
            }
            try FileSystem.remove(runDirectory + "/artifacts")
            for stream in plan.stage.streams { try FileSystem.remove(runDirectory + "/" + stream.name) }
            let rejectWriter = try RejectWriter(path: runDirectory + "/rejects/reduce.jsonl.zst", stage: plan.spec.name,
                                                task: nil, level: options.shardLevel)
            let context = RunReduceContext(runDirectory: runDirectory, mapParts: parts, streams: plan.stage.streams,
                                           checker: try checker(plan), shardLevel: options.shardLevel) { reject in
                try rejectWriter.write(reject)
            }
            do {
                try reducing.reduce(context)
                try context.passThroughUntouched()
                if options.strict && rejectWriter.errorCount > 0 {
                    throw BuildFailure(results: [], errors: [PipeError(
                        "build.strict",
                        "the reduce phase of stage '\(plan.spec.name)' had \(rejectWriter.errorCount) error reject(s) and --strict is set; the run was not completed",
                        notes: rejectWriter.samples.map(\.summary))])
                }
                let committed = try context.commit()
                files += committed.files
                streamCounts = committed.counts
                if let info = try rejectWriter.commit(runDirectory: runDirectory) { files.append(info) }
            } catch {
                context.abandon()
                rejectWriter.abandon()
                throw error
            }
            for (key, count) in rejectWriter.counts { rejects[key, default: 0] += count }
            samples = rejectWriter.samples
            for stream in plan.stage.streams where streamCounts[stream.name] == nil && !stream.hidden {
                streamCounts[stream.name] = 0
            }
        } else {
            for task in tasks {
                let stats = try JSONParser.parse(task.stats)
                for (stream, count) in stats["records"]?.objectValue ?? [:] {
                    streamCounts[stream, default: 0] += count.integerValue ?? 0
                }
            }
        }
        let counts = rejects.keys.sorted { $0.tuple < $1.tuple }.map {
            RejectCount(rejectClass: $0.rejectClass, code: $0.code, count: rejects[$0] ?? 0)
        }
        let visible = plan.stage.streams.filter { !$0.hidden }
        let total = visible.reduce(Int64(0)) { $0 + (streamCounts[$1.name] ?? 0) }
        let stats: JSONValue = [
            "stage": .string(plan.spec.name), "kind": .string(plan.spec.kind), "run_id": .string(runID),
            "records": .object(streamCounts.mapValues { .integer($0) }),
            "rejects": .object(Dictionary(grouping: counts, by: \.rejectClass.rawValue).mapValues { group in
                .object(Dictionary(uniqueKeysWithValues: group.map { ($0.code, JSONValue.integer($0.count)) }))
            }),
        ]
        try FileSystem.writeAtomically(Array((JSONWriter.pretty(stats) + "\n").utf8), to: runDirectory + "/stats.json")
        try catalog.completeRun(runID: runID, records: total, rejects: counts, files: files,
                                forgetting: plan.reducing != nil ? "map/" : nil)
        // The reduce output replaces the map parts: keeping both would double the disk a stage needs.
        if plan.reducing != nil { try FileSystem.remove(runDirectory + "/map") }
        // A complete run set aside by `--force` is replaced now.
        try discardSetAside(stage: plan.spec.name, runID: Self.setAsideID(runID))
        return (total, counts, samples)
    }

    /// The `--check-records` checker of a stage, or nil when records are not checked.
    func checker(_ plan: Plan) throws -> RecordChecker? {
        guard options.checkRecords else { return nil }
        return try RecordChecker(streams: plan.stage.streams, schemas: schemas,
                                 pipelineDirectory: InputResolver(pipelineFile: plan.spec.file).pipelineDirectory)
    }

    static func rejectTable(_ tasks: [TaskRow]) throws -> [RejectKey: Int64] {
        var table: [RejectKey: Int64] = [:]
        for task in tasks {
            let stats = try JSONParser.parse(task.stats)
            for (rejectClass, codes) in stats["rejects"]?.objectValue ?? [:] {
                for (code, count) in codes.objectValue ?? [:] {
                    guard let known = RejectClass(rawValue: rejectClass) else { continue }
                    table[RejectKey(known, code), default: 0] += count.integerValue ?? 0
                }
            }
        }
        return table
    }

    static func sumRejects(_ tasks: [TaskRow]) throws -> [RejectCount] {
        let table = try rejectTable(tasks)
        return table.keys.sorted { $0.tuple < $1.tuple }.map {
            RejectCount(rejectClass: $0.rejectClass, code: $0.code, count: table[$0] ?? 0)
        }
    }
}

/// (class, code) of a reject, as a dictionary key.
struct RejectKey: Hashable {
    var rejectClass: RejectClass
    var code: String
    init(_ rejectClass: RejectClass, _ code: String) {
        self.rejectClass = rejectClass
        self.code = code
    }
    var tuple: (String, String) { (rejectClass.rawValue, code) }
}

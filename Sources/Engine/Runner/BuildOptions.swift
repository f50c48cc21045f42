import StageKit
/// How `pipe build` was asked to run.
public struct BuildOptions: Sendable {
    /// `--tasks N`: must equal the stage's `tasks:` when given.
    public var tasks: Int?
    /// `--rank R`: run only this task.
    public var rank: Int?
    public var force = false
    public var strict = false
    public var wait = false
    /// Write per-task completion files instead of the catalog (Slurm array elements); no lock taken.
    public var noCatalog = false
    /// `--check-records`: validate every record a stage emits against its stream's schema (tests turn it on);
    /// a record that fails fails its task, since it is a bug in the stage.
    public var checkRecords = false
    /// zstd level of the workspace's own shards: level 1 by default, since they are written once and read
    /// by pipe itself (exports keep their own settings); a higher level trades CPU for disk.
    public var shardLevel = BuildOptions.defaultShardLevel
    /// The workspace shard level unless `--shard-level` says otherwise.
    public static let defaultShardLevel = 1

    public init(tasks: Int? = nil, rank: Int? = nil, force: Bool = false, strict: Bool = false, wait: Bool = false,
                noCatalog: Bool = false, checkRecords: Bool = false, shardLevel: Int = BuildOptions.defaultShardLevel) {
        self.noCatalog = noCatalog
        self.checkRecords = checkRecords
        self.shardLevel = shardLevel
        self.tasks = tasks
        self.rank = rank
        self.force = force
        self.strict = strict
        self.wait = wait
    }
}

/// What one stage's build did, for the summary printed on stderr.
public struct StageBuildResult: Sendable {
    public enum Outcome: String, Sendable {
        case upToDate = "up to date"
        case built
        case partial = "partially built"
    }

    public var stage: String
    public var runID: String
    public var outcome: Outcome
    public var tasksRun: Int
    public var tasksSkipped: Int
    public var records: Int64
    public var rejects: [RejectCount]
    /// Up to a few reject lines, for the summary.
    /// The first error rejects (a few per task), for the summary.
    public var rejectSamples: [Reject]
    /// Where all of the run's rejects are, relative to the workspace.
    public var rejectsFolder: String {
        "runs/\(stage)/\(runID)/rejects/"
    }
}

/// A build that ran but whose result must fail the command (a task failed under `--strict`).
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var results: [StageBuildResult]
    public var errors: [PipeError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A stage's current run as seen by tasks that ran outside the catalog (Slurm array elements).
public struct DistributedRun: Sendable {
    public var stage: String
    public var runID: String
    public var runDirectory: String
    public var tasks: Int
    /// Tasks with a completion file.
    public var done: Set<Int>
    /// Whether the catalog holds the run complete (finalized).
    public var complete: Bool

    /// Tasks still to run.
    public var pending: [Int] { (0..<tasks).filter { !done.contains($0) } }
}

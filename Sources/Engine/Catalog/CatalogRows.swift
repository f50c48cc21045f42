import StageKit
import GRDB

/// One run of a stage: identified by its content-derived run key.
public struct RunRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var runID: String
    public var stage: String
    public var kind: String
    public var pipeline: String
    public var runKey: String
    public var taskCount: Int
    public var status: RunStatus
    public var params: String
    public var inputs: String
    public var pipeVersion: String
    public var records: Int64
    public var rejects: Int64
    public var startedAt: String?
    public var finishedAt: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", stage, kind, pipeline, runKey = "run_key", taskCount = "task_count", status, params,
            inputs, pipeVersion = "pipe_version", records, rejects, startedAt = "started_at",
            finishedAt = "finished_at"
    }

    public init(
        runID: String, stage: String, kind: String, pipeline: String, runKey: String, taskCount: Int,
        params: String, inputs: String, pipeVersion: String
    ) {
        self.runID = runID
        self.stage = stage
        self.kind = kind
        self.pipeline = pipeline
        self.runKey = runKey
        self.taskCount = taskCount
        self.status = .running
        self.params = params
        self.inputs = inputs
        self.pipeVersion = pipeVersion
        self.records = 0
        self.rejects = 0
    }
}

/// Where a run stands: tasks still to do, or complete (every task done and the reduce phase over).
public enum RunStatus: String, Sendable, Codable {
    case running
    case complete
}

/// What a file of a run is.
public enum ArtifactRole: String, Sendable, Codable {
    /// Records of a stream.
    case shard
    /// The sort keys of a shard, line for line.
    case keys
    /// A task's or the reduce phase's rejects.
    case rejects
    /// A non-record file a stage wrote (plans, plots, token shards).
    case artifact
}

/// One finished task of a run.
public struct TaskRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var runID: String
    public var task: Int
    public var records: Int64
    public var rejectsError: Int64
    public var rejectsDropped: Int64
    public var stats: String
    public var finishedAt: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", task, records, rejectsError = "rejects_error", rejectsDropped = "rejects_dropped",
            stats, finishedAt = "finished_at"
    }
}

/// A file a run produced: a shard, a rejects file or an artifact.
public struct ArtifactRow: Sendable, Equatable, FetchableRecord, Codable {
    /// Path relative to the run folder.
    public var path: String
    public var role: ArtifactRole
    public var stream: String?
    public var sha256: String
    public var bytes: Int64
    public var records: Int64?

    enum CodingKeys: String, CodingKey { case path, role, stream, sha256, bytes, records }

    public init(path: String, role: ArtifactRole, stream: String?, sha256: String, bytes: Int64, records: Int64?) {
        self.path = path
        self.role = role
        self.stream = stream
        self.sha256 = sha256
        self.bytes = bytes
        self.records = records
    }
}

/// What a task reports when it is done.
public struct TaskCompletion: Sendable, Codable {
    public var runID: String
    public var task: Int
    public var records: Int64
    public var rejectsError: Int64
    public var rejectsDropped: Int64
    /// Per-stream record counts and reject counts by code, as JSON.
    public var stats: String
    public var files: [ArtifactRow]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", task, records, rejectsError = "rejects_error", rejectsDropped = "rejects_dropped",
            stats, files
    }
}

/// The number of rejects of one class and code.
public struct RejectCount: Sendable, Equatable, FetchableRecord, Decodable {
    public var rejectClass: RejectClass
    public var code: String
    public var count: Int64

    enum CodingKeys: String, CodingKey { case rejectClass = "class", code, count }

    public init(rejectClass: RejectClass, code: String, count: Int64) {
        self.rejectClass = rejectClass
        self.code = code
        self.count = count
    }
}

/// The last export of a dataset.
public struct DatasetRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var name: String
    public var stage: String
    public var stream: String
    public var runID: String
    public var exportDirectory: String
    public var records: Int64
    public var manifestSHA256: String
    public var exportedAt: String?

    enum CodingKeys: String, CodingKey {
        case name, stage, stream, runID = "run_id", exportDirectory = "export_dir", records,
            manifestSHA256 = "manifest_sha256", exportedAt = "exported_at"
    }

    public init(
        name: String, stage: String, stream: String, runID: String, exportDirectory: String, records: Int64,
        manifestSHA256: String
    ) {
        self.name = name
        self.stage = stage
        self.stream = stream
        self.runID = runID
        self.exportDirectory = exportDirectory
        self.records = records
        self.manifestSHA256 = manifestSHA256
    }
}

/// One Slurm submission of a run: the array job of its pending tasks and the finalize job that depends on it.
public struct SlurmJobsRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var runID: String
    public var stage: String
    /// Nil when every task was already done and only the finalize job was submitted.
    public var arrayJob: String?
    public var finalizeJob: String
    /// The tasks the array runs, as sbatch's `--array` takes them (`0-3,7`).
    public var tasks: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", stage, arrayJob = "array_job", finalizeJob = "finalize_job", tasks
    }

    public init(runID: String, stage: String, arrayJob: String?, finalizeJob: String, tasks: String) {
        self.runID = runID
        self.stage = stage
        self.arrayJob = arrayJob
        self.finalizeJob = finalizeJob
        self.tasks = tasks
    }
}

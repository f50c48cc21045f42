import StageKit
import Foundation
import GRDB

/// The workspace's SQLite catalog: runs, tasks, artifacts, datasets, reject counts and the registry.
///
/// A plain SQLite file users may query with `sqlite3` or DuckDB; tables are documented in README.md.
/// All writes go through one `DatabaseQueue`, so worker threads may record task completion safely.
public final class Catalog: Sendable {
    private let queue: DatabaseQueue

    /// Opens (creating and migrating when needed) the catalog of a workspace.
    public init(workspace: Workspace) throws {
        try workspace.create()
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: workspace.catalogPath, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch let error as PipeError {
            throw error
        } catch {
            throw PipeError("catalog.open", "cannot open the catalog \(workspace.catalogPath): \(error)")
        }
    }

    /// Ordered, named migrations; a released migration is never edited, only followed by new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001-runs-tasks-artifacts-datasets-rejects") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    run_id TEXT PRIMARY KEY,
                    stage TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    pipeline TEXT NOT NULL,
                    run_key TEXT NOT NULL,
                    task_count INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'complete')),
                    params TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    pipe_version TEXT NOT NULL,
                    records INTEGER NOT NULL DEFAULT 0,
                    rejects INTEGER NOT NULL DEFAULT 0,
                    started_at TEXT NOT NULL,
                    finished_at TEXT
                );
                CREATE INDEX runs_by_stage ON runs(stage);
                CREATE TABLE tasks (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    task INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    rejects_error INTEGER NOT NULL,
                    rejects_dropped INTEGER NOT NULL,
                    stats TEXT NOT NULL,
                    finished_at TEXT NOT NULL,
                    PRIMARY KEY (run_id, task)
                );
                CREATE TABLE artifacts (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    role TEXT NOT NULL,
                    stream TEXT,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    records INTEGER,
                    PRIMARY KEY (run_id, path)
                );
                CREATE TABLE rejects_summary (
                    run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
                    class TEXT NOT NULL,
                    code TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (run_id, class, code)
                );
                CREATE TABLE datasets (
                    name TEXT PRIMARY KEY,
                    stage TEXT NOT NULL,
                    stream TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    export_dir TEXT NOT NULL,
                    records INTEGER NOT NULL,
                    manifest_sha256 TEXT NOT NULL,
                    exported_at TEXT NOT NULL
                );
                """)
        }
        // finished_at has one-second resolution: two runs of a stage finished within the same second tied, and
        // "the latest run" was then whichever run id sorted first. Completions are numbered instead.
        migrator.registerMigration("0002-runs-completion-order") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN completion_order INTEGER")
        }
        // Slurm submissions of a run: so that `pipe status` can show them and a rerun can cancel a finalize job
        // still waiting on an array that failed.
        migrator.registerMigration("0003-slurm-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE slurm_jobs (
                    run_id TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    array_job TEXT,
                    finalize_job TEXT NOT NULL,
                    tasks TEXT NOT NULL,
                    submitted_at TEXT NOT NULL,
                    submission INTEGER NOT NULL,
                    PRIMARY KEY (run_id, submission)
                )
                """)
        }
        // The registry: one MLCommons Science entry per exported dataset (`pipe registry build`), as canonical
        // JSON, with its overall rating and the export it was filled from.
        migrator.registerMigration("0004-registry") { db in
            try db.execute(sql: """
                CREATE TABLE registry (
                    name TEXT PRIMARY KEY,
                    dataset TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    manifest_sha256 TEXT NOT NULL,
                    entry TEXT NOT NULL,
                    overall REAL NOT NULL
                )
                """)
        }
        return migrator
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch let error as PipeError {
            throw error
        } catch {
            throw PipeError("catalog.write", "catalog update failed: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch {
            throw PipeError("catalog.read", "catalog query failed: \(error)")
        }
    }

    private static var now: String { ISO8601DateFormatter().string(from: Date()) }

    // MARK: Runs

    /// The run with this id, if any.
    public func run(id: String) throws -> RunRow? {
        try read { db in try RunRow.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?", arguments: [id]) }
    }

    /// The most recent complete run of a stage.
    public func latestCompleteRun(stage: String) throws -> RunRow? {
        try read { db in
            try RunRow.fetchOne(
                db,
                sql: """
                    SELECT * FROM runs WHERE stage = ? AND status = 'complete'
                    ORDER BY completion_order IS NULL, completion_order DESC, finished_at DESC, run_id LIMIT 1
                    """,
                arguments: [stage])
        }
    }

    /// Every run, newest first.
    public func runs() throws -> [RunRow] {
        try read { db in try RunRow.fetchAll(db, sql: "SELECT * FROM runs ORDER BY stage, started_at DESC") }
    }

    /// Starts (or resumes) a run: inserts it unless it exists.
    public func beginRun(_ run: RunRow) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (run_id, stage, kind, pipeline, run_key, task_count, status, params, inputs,
                                      pipe_version, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)
                    ON CONFLICT(run_id) DO NOTHING
                    """,
                arguments: [
                    run.runID, run.stage, run.kind, run.pipeline, run.runKey, run.taskCount, run.params, run.inputs,
                    run.pipeVersion, Self.now,
                ])
        }
    }

    /// Forgets a run and everything recorded about it (its files are removed by the caller).
    public func deleteRun(id: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM tasks WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM artifacts WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM rejects_summary WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM runs WHERE run_id = ?", arguments: [id])
        }
    }

    /// Gives a run another id, with everything recorded about it, in one transaction.
    public func renameRun(from id: String, to newID: String) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO runs (run_id, stage, kind, pipeline, run_key, task_count, status, params, inputs, pipe_version,
                                  records, rejects, started_at, finished_at, completion_order)
                SELECT ?, stage, kind, pipeline, run_key, task_count, status, params, inputs, pipe_version,
                       records, rejects, started_at, finished_at, completion_order
                FROM runs WHERE run_id = ?
                """, arguments: [newID, id])
            for table in ["tasks", "artifacts", "rejects_summary"] {
                try db.execute(sql: "UPDATE \(table) SET run_id = ? WHERE run_id = ?", arguments: [newID, id])
            }
            try db.execute(sql: "DELETE FROM runs WHERE run_id = ?", arguments: [id])
        }
    }

    /// Every run of a stage.
    public func runs(stage: String) throws -> [RunRow] {
        try read { db in try RunRow.fetchAll(db, sql: "SELECT * FROM runs WHERE stage = ?", arguments: [stage]) }
    }

    // MARK: Tasks

    /// The tasks of a run already done.
    public func completedTasks(runID: String) throws -> Set<Int> {
        try read { db in
            Set(try Int.fetchAll(db, sql: "SELECT task FROM tasks WHERE run_id = ?", arguments: [runID]))
        }
    }

    /// Per-task rows of a run.
    public func tasks(runID: String) throws -> [TaskRow] {
        try read { db in
            try TaskRow.fetchAll(db, sql: "SELECT * FROM tasks WHERE run_id = ? ORDER BY task", arguments: [runID])
        }
    }

    /// Records a finished task and its shards in one transaction, after its files were renamed into place.
    public func completeTask(_ completion: TaskCompletion) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO tasks (run_id, task, records, rejects_error, rejects_dropped, stats, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    completion.runID, completion.task, completion.records, completion.rejectsError,
                    completion.rejectsDropped, completion.stats, Self.now,
                ])
            for file in completion.files { try insert(file, runID: completion.runID, db: db) }
        }
    }

    private func insert(_ file: ArtifactRow, runID: String, db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO artifacts (run_id, path, role, stream, sha256, bytes, records)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [runID, file.path, file.role.rawValue, file.stream, file.sha256, file.bytes, file.records])
    }

    /// Marks a run complete with its totals, reduce outputs and reject summary; files under
    /// `forgetting` (the map outputs a reduce has replaced) are dropped from the catalog.
    public func completeRun(
        runID: String, records: Int64, rejects: [RejectCount], files: [ArtifactRow], forgetting prefix: String? = nil
    ) throws {
        try write { db in
            if let prefix {
                try db.execute(sql: "DELETE FROM artifacts WHERE run_id = ? AND substr(path, 1, ?) = ?",
                               arguments: [runID, prefix.count, prefix])
            }
            for file in files { try insert(file, runID: runID, db: db) }
            try db.execute(sql: "DELETE FROM rejects_summary WHERE run_id = ?", arguments: [runID])
            for count in rejects {
                try db.execute(
                    sql: "INSERT INTO rejects_summary (run_id, class, code, count) VALUES (?, ?, ?, ?)",
                    arguments: [runID, count.rejectClass.rawValue, count.code, count.count])
            }
            try db.execute(
                sql: """
                    UPDATE runs SET status = 'complete', records = ?, rejects = ?, finished_at = ?,
                        completion_order = (SELECT COALESCE(MAX(completion_order), 0) + 1 FROM runs)
                    WHERE run_id = ?
                    """,
                arguments: [records, rejects.reduce(0) { $0 + $1.count }, Self.now, runID])
        }
    }

    /// Files recorded for a run.
    public func artifacts(runID: String) throws -> [ArtifactRow] {
        try read { db in
            try ArtifactRow.fetchAll(db, sql: "SELECT * FROM artifacts WHERE run_id = ? ORDER BY path", arguments: [runID])
        }
    }

    /// Reject counts of a run by class and code.
    public func rejectCounts(runID: String) throws -> [RejectCount] {
        try read { db in
            try RejectCount.fetchAll(
                db, sql: "SELECT class, code, count FROM rejects_summary WHERE run_id = ? ORDER BY class, code",
                arguments: [runID])
        }
    }

    // MARK: Slurm

    /// Records a Slurm submission of a run's tasks (the array job, nil when every task was done) and its
    /// finalize job.
    public func recordSlurmJobs(_ jobs: SlurmJobsRow) throws {
        try write { db in
            let next = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(submission), 0) + 1 FROM slurm_jobs WHERE run_id = ?",
                                        arguments: [jobs.runID]) ?? 1
            try db.execute(
                sql: """
                    INSERT INTO slurm_jobs (run_id, stage, array_job, finalize_job, tasks, submitted_at, submission)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [jobs.runID, jobs.stage, jobs.arrayJob, jobs.finalizeJob, jobs.tasks, Self.now, next])
        }
    }

    /// The latest Slurm submission of a run, if any.
    public func latestSlurmJobs(runID: String) throws -> SlurmJobsRow? {
        try read { db in
            try SlurmJobsRow.fetchOne(
                db, sql: "SELECT * FROM slurm_jobs WHERE run_id = ? ORDER BY submission DESC LIMIT 1", arguments: [runID])
        }
    }

    // MARK: Datasets

    /// Records an export of a dataset (replacing the previous one).
    public func recordExport(_ dataset: DatasetRow) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO datasets (name, stage, stream, run_id, export_dir, records, manifest_sha256, exported_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    dataset.name, dataset.stage, dataset.stream, dataset.runID, dataset.exportDirectory, dataset.records,
                    dataset.manifestSHA256, Self.now,
                ])
        }
    }

    /// Every exported dataset.
    public func datasets() throws -> [DatasetRow] {
        try read { db in try DatasetRow.fetchAll(db, sql: "SELECT * FROM datasets ORDER BY name") }
    }
}

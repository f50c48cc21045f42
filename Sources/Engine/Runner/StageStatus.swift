import StageKit
/// Where a stage stands: never built, in progress, up to date or stale.
public struct StageStatus: Sendable {
    public var stage: String
    public var state: String
    public var runID: String?
    public var tasksDone: Int
    public var tasks: Int
    public var records: Int64
    public var rejects: [RejectCount]

    /// One line for `pipe status`.
    public var text: String {
        var line = "\(stage): \(state)"
        if let runID { line += " (run \(runID))" }
        line += ", tasks \(tasksDone)/\(tasks) done, \(records) records"
        let total = rejects.reduce(0) { $0 + $1.count }
        if total > 0 { line += ", rejects: " + rejects.map { "\($0.rejectClass) \($0.code) \($0.count)" }.joined(separator: ", ") }
        return line
    }

    /// The `--log-format json` form.
    public var json: JSONValue {
        .object([
            "stage": .string(stage), "state": .string(state), "run_id": runID.map { .string($0) } ?? .null,
            "tasks_done": .integer(Int64(tasksDone)), "tasks": .integer(Int64(tasks)), "records": .integer(records),
            "rejects": .array(rejects.map {
                .object(["class": .string($0.rejectClass.rawValue), "code": .string($0.code), "count": .integer($0.count)])
            }),
        ])
    }
}

extension StageRunner {
    /// Compares the stage's current run key with what the catalog holds.
    public func status(of name: String) throws -> StageStatus {
        guard let spec = pipelines.stages[name] else { throw PipeError("status.unknown_stage", "no stage '\(name)'") }
        var status = StageStatus(stage: name, state: "never built", runID: nil, tasksDone: 0, tasks: spec.tasks,
                                 records: 0, rejects: [])
        let currentKey: String?
        do {
            currentKey = try plan(spec).key.runID
        } catch {
            currentKey = nil
            status.state = "cannot plan (\((error as? PipeError)?.message ?? "\(error)"))"
        }
        if let currentKey, let run = try catalog.run(id: currentKey) {
            status.runID = run.runID
            status.tasksDone = try catalog.completedTasks(runID: run.runID).count
            if run.status == .complete {
                status.state = "up to date"
                status.records = run.records
                status.rejects = try catalog.rejectCounts(runID: run.runID)
            } else {
                status.state = "in progress"
                status.rejects = try Self.sumRejects(catalog.tasks(runID: run.runID))
            }
            return status
        }
        if let previous = try catalog.latestCompleteRun(stage: name) {
            status.runID = previous.runID
            status.tasksDone = previous.taskCount
            status.records = previous.records
            if currentKey != nil { status.state = "stale (inputs, parameters or pipe version changed)" }
        }
        return status
    }
}

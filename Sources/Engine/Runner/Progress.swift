import StageKit
import Readers
import JSONSchema
import Storage
import Foundation

/// How progress and summaries are shown: a bar on a terminal, plain lines otherwise, JSON for machines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Reports build progress on stderr without slowing the workers: updates are counted under a lock and
/// printed at most a few times a second (a bar on a terminal) or every few seconds (plain lines).
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let format: LogFormat
    private let isTerminal: Bool
    private var stage = ""
    private var tasksTotal = 0
    private var tasksDone = 0
    private var records: Int64 = 0
    private var lastPrint = Date.distantPast
    private var barShown = false

    public init(quiet: Bool, format: LogFormat) {
        self.quiet = quiet
        self.format = format
        self.isTerminal = isatty(2) != 0
    }

    /// A message line (`pipe: ...`), or a JSON event.
    public func note(_ message: String, fields: [String: JSONValue] = [:]) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        clearBar()
        if format == .json {
            var event = fields
            event["event"] = "note"
            event["message"] = .string(message)
            FileHandleOutput.standardError(JSONWriter.compactString(.object(event)) + "\n")
        } else {
            FileHandleOutput.standardError(message + "\n")
        }
    }

    func begin(stage: String, tasks: Int) {
        lock.lock()
        self.stage = stage
        tasksTotal = tasks
        tasksDone = 0
        records = 0
        lastPrint = .distantPast
        lock.unlock()
    }

    func add(records count: Int64) {
        lock.lock()
        records += count
        show(force: false)
        lock.unlock()
    }

    func taskDone() {
        lock.lock()
        tasksDone += 1
        show(force: isTerminal || tasksDone == tasksTotal)
        lock.unlock()
    }

    func end() {
        lock.lock()
        clearBar()
        lock.unlock()
    }

    private func clearBar() {
        if barShown {
            FileHandleOutput.standardError("\r\u{1B}[K")
            barShown = false
        }
    }

    private func show(force: Bool) {
        guard !quiet else { return }
        let now = Date()
        let interval = isTerminal && format == .text ? 0.2 : 5.0
        guard force || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        switch format {
        case .json:
            let event: JSONValue = [
                "event": "progress", "stage": .string(stage), "tasks_done": .integer(Int64(tasksDone)),
                "tasks": .integer(Int64(tasksTotal)), "records": .integer(records),
            ]
            FileHandleOutput.standardError(JSONWriter.compactString(event) + "\n")
        case .text where isTerminal:
            let width = 24
            let filled = tasksTotal > 0 ? width * tasksDone / tasksTotal : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandleOutput.standardError("\r\u{1B}[K\(stage) [\(bar)] \(tasksDone)/\(tasksTotal) tasks, \(records) records")
            barShown = true
        case .text:
            FileHandleOutput.standardError("\(stage): \(tasksDone)/\(tasksTotal) tasks, \(records) records\n")
        }
    }
}

import StageKit
import Foundation

/// How progress and summaries are shown: a bar on a terminal, plain lines otherwise, JSON for machines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Reports build progress on stderr without slowing the workers: updates are counted under a lock and printed
/// at most a few times a second (a bar on a terminal) or at a steady interval (plain lines), and a timer prints
/// them even while nothing finishes (a long task, a reduce phase), so a quiet build is never a silent one.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let format: LogFormat
    private let isTerminal: Bool
    private var stage = ""
    private var phase = "map"
    private var tasksTotal = 0
    private var tasksDone = 0
    private var items: Int64 = 0
    private var bytes: Int64 = 0
    private var records: Int64 = 0
    private var started = Date()
    private var lastPrint = Date.distantPast
    private var barShown = false
    private var timer: (any DispatchSourceTimer)?
    /// Seconds between plain progress lines when stderr is not a terminal (tests shorten it with the test-only
    /// `PIPE_TEST_PROGRESS_SECONDS`, so that a steady line can be seen without a slow build).
    public static let lineInterval: Double = ProcessInfo.processInfo.environment["PIPE_TEST_PROGRESS_SECONDS"]
        .flatMap(Double.init).map { max($0, 0.01) } ?? 5.0

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
            if event["event"] == nil { event["event"] = "note" }
            event["message"] = .string(message)
            FileHandleOutput.standardError(JSONWriter.compactString(.object(event)) + "\n")
        } else {
            FileHandleOutput.standardError(message + "\n")
        }
    }

    func begin(stage: String, tasks: Int) {
        lock.lock()
        self.stage = stage
        phase = "map"
        tasksTotal = tasks
        tasksDone = 0
        items = 0
        bytes = 0
        records = 0
        started = Date()
        lastPrint = .distantPast
        lock.unlock()
        startTimer()
    }

    /// Counts one finished input item: its bytes and the records it gave (on every stream, side streams
    /// included, before any reduce: the summary's count is what is kept).
    func add(items count: Int64, bytes size: Int64, records emitted: Int64) {
        lock.lock()
        items += count
        bytes += size
        records += emitted
        show(force: false)
        lock.unlock()
    }

    func taskDone() {
        lock.lock()
        tasksDone += 1
        show(force: isTerminal || tasksDone == tasksTotal)
        lock.unlock()
    }

    /// The map phase is over and the reduce phase runs: progress says so until `end`.
    func reducing() {
        lock.lock()
        phase = "reduce"
        show(force: true)
        lock.unlock()
        startTimer()
    }

    func end() {
        timer?.cancel()
        timer = nil
        lock.lock()
        clearBar()
        lock.unlock()
    }

    private func startTimer() {
        guard !quiet else { return }
        let source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let interval = isTerminal && format == .text ? 0.5 : Self.lineInterval
        source.schedule(deadline: .now() + interval, repeating: interval)
        source.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock()
            self.show(force: false)
            self.lock.unlock()
        }
        timer?.cancel()
        timer = source
        source.resume()
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
        let interval = isTerminal && format == .text ? 0.2 : Self.lineInterval
        guard force || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let megabytes = Double(bytes) / 1_000_000
        let rate = String(format: "%.1f MB/s", megabytes / elapsed)
        let amount = String(format: "%.1f MB", megabytes)
        switch format {
        case .json:
            let event: JSONValue = [
                "event": "progress", "stage": .string(stage), "phase": .string(phase),
                "tasks_done": .integer(Int64(tasksDone)), "tasks": .integer(Int64(tasksTotal)), "items": .integer(items),
                "bytes": .integer(bytes), "records_mapped": .integer(records), "seconds": .number((elapsed * 10).rounded() / 10),
            ]
            FileHandleOutput.standardError(JSONWriter.compactString(event) + "\n")
        case .text where isTerminal:
            let width = 24
            let filled = tasksTotal > 0 ? width * tasksDone / tasksTotal : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let tail = phase == "reduce" ? "reduce phase, \(Int(elapsed)) s" : "\(items) items, \(amount), \(rate), \(records) records mapped"
            FileHandleOutput.standardError("\r\u{1B}[K\(stage) [\(bar)] \(tasksDone)/\(tasksTotal) tasks, \(tail)")
            barShown = true
        case .text:
            let tail = phase == "reduce"
                ? "reduce phase, \(Int(elapsed)) s since the start"
                : "\(items) items (\(amount), \(rate)), \(records) records mapped, \(Int(elapsed)) s"
            FileHandleOutput.standardError("\(stage): \(tasksDone)/\(tasksTotal) tasks, \(tail)\n")
        }
    }
}

import Foundation
import StageKit
import Readers

/// How candidates are run and compared. Upstream compares with TVM's `assert_allclose` defaults (rtol = atol =
/// 1e-7) and times 100 calls after 100 warm-ups (mean); pipe takes the median of `repeats` calls.
public struct EvaluationOptions: Sendable, Equatable {
    public var rtol = 1e-7
    public var atol = 1e-7
    public var warmups = 10
    public var repeats = 30
    public var seed: UInt64 = 42
    public var threads = 1
    public var timeoutSeconds = 60.0
    public var memoryMB = 1024
    /// Refuse candidates whose object calls anything but maths, memory and OpenMP functions (see `SymbolPolicy`).
    public var screenSymbols = true

    public init() {}
}

/// One evaluated item, as the report lists it.
public struct EvaluationItem: Codable, Sendable, Equatable {
    public var key: String
    public var id: String
    public var category: String
    /// The candidate built (and called only allowed functions).
    public var compiled: Bool
    /// It ran to completion in the sandbox.
    public var executed: Bool
    /// Every output buffer matched the reference within rtol/atol.
    public var correct: Bool
    public var refSeconds: Double?
    public var candSeconds: Double?
    /// Why it failed: `<code>: <details>` (`no_candidate`, `compile_error`, `forbidden_call`, `timeout`, `cpu_limit`,
    /// `memory_limit`, `file_size_limit`, `crashed`, `exit_status`, `no_output`, `wrong_output`); null when it passed.
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case key, id, category, compiled, executed, correct, refSeconds = "ref_seconds", candSeconds = "cand_seconds", reason
    }
}

/// Pass rates and the median speedup of a set of items.
public struct EvaluationSummary: Codable, Sendable, Equatable {
    public var compilePassRate: Double
    public var execPassRate: Double
    /// Median of reference seconds / candidate seconds over the correct items; null when none is correct.
    public var speedupMedian: Double?
    public var items: Int

    enum CodingKeys: String, CodingKey {
        case compilePassRate = "compile_pass_rate", execPassRate = "exec_pass_rate", speedupMedian = "speedup_median"
    }

    /// The issue's shape: the three figures only (the item count is in the table).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(compilePassRate, forKey: .compilePassRate)
        try container.encode(execPassRate, forKey: .execPassRate)
        try container.encode(speedupMedian, forKey: .speedupMedian)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        compilePassRate = try container.decode(Double.self, forKey: .compilePassRate)
        execPassRate = try container.decode(Double.self, forKey: .execPassRate)
        speedupMedian = try container.decodeIfPresent(Double.self, forKey: .speedupMedian)
        items = 0
    }

    init(_ items: [EvaluationItem]) {
        let total = Double(max(1, items.count))
        compilePassRate = Double(items.filter(\.compiled).count) / total
        execPassRate = Double(items.filter(\.correct).count) / total
        let speedups = items.compactMap { item -> Double? in
            guard item.correct, let ref = item.refSeconds, let cand = item.candSeconds, cand > 0 else { return nil }
            return ref / cand
        }
        speedupMedian = speedups.isEmpty ? nil : Statistics.median(speedups)
        self.items = items.count
    }
}

/// The `pipe eval hpctrans` report (`Schemas/HPCTrans/hpctrans-eval.schema.json`).
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var compilePassRate: Double
    public var execPassRate: Double
    public var speedupMedian: Double?
    public var perCategory: [String: EvaluationSummary]
    public var items: [EvaluationItem]
    /// Candidates whose id or key matched no dataset record (reported on stderr, not in the JSON).
    public var unknownCandidates: [String] = []

    enum CodingKeys: String, CodingKey {
        case compilePassRate = "compile_pass_rate", execPassRate = "exec_pass_rate", speedupMedian = "speedup_median"
        case perCategory = "per_category", items
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(compilePassRate, forKey: .compilePassRate)
        try container.encode(execPassRate, forKey: .execPassRate)
        try container.encode(speedupMedian, forKey: .speedupMedian)
        try container.encode(perCategory, forKey: .perCategory)
        try container.encode(items, forKey: .items)
    }

    /// A table for people: one row per category and a total.
    public var table: String {
        func percent(_ value: Double) -> String { String(format: "%6.1f%%", value * 100) }
        func speed(_ value: Double?) -> String { value.map { String(format: "%8.3fx", $0) } ?? "       -" }
        var lines = ["category                     items  compile     exec   speedup"]
        for name in perCategory.keys.sorted() {
            guard let summary = perCategory[name] else { continue }
            lines.append(name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%6d", summary.items) + "  " + percent(summary.compilePassRate) + "  "
                + percent(summary.execPassRate) + "  " + speed(summary.speedupMedian))
        }
        lines.append("all".padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: "%6d", items.count) + "  "
            + percent(compilePassRate) + "  " + percent(execPassRate) + "  " + speed(speedupMedian))
        let failures = items.filter { $0.reason != nil }
        if !failures.isEmpty {
            lines.append("")
            lines.append("failures:")
            for item in failures {
                let reason = (item.reason ?? "").split(separator: "\n").first.map(String.init) ?? ""
                lines.append("  \(item.key): \(reason)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

enum Statistics {
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Runs candidates beside their references: the same seeded inputs, every output compared, both timed.
public struct HPCTransEvaluation: Sendable {
    public var options: EvaluationOptions
    public var runner: KernelRunner
    public private(set) var records: [HPCTransRecord] = []
    /// Candidate code by record id.
    public private(set) var candidates: [String: String] = [:]
    public private(set) var unknownCandidates: [String] = []

    public init(options: EvaluationOptions = EvaluationOptions(), toolchain: Toolchain = Toolchain()) {
        self.options = options
        runner = KernelRunner(toolchain: toolchain, timeoutSeconds: options.timeoutSeconds, memoryBytes: options.memoryMB << 20,
                              threads: options.threads)
    }

    /// Adds one dataset line; lines of other streams (no `c_code` and `buffers`) are skipped.
    public mutating func addDatasetLine(_ bytes: [UInt8]) throws {
        let value = try JSONParser.parse(bytes)
        guard value["c_code"] != nil, value["buffers"] != nil else { return }
        do {
            records.append(try JSONDecoder().decode(HPCTransRecord.self, from: Data(bytes)))
        } catch {
            throw PipeError("eval.dataset", "a records line does not have the hpctrans-record layout: \(error)")
        }
    }

    /// Adds candidates from JSON Lines of `{"id", "c_code"}` (id a record id or a file key).
    public mutating func addCandidates(jsonLines text: String) throws {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(String(line)) } catch {
                throw PipeError("eval.candidates", "line \(index + 1) is not JSON: \(error)")
            }
            try addCandidate(value, line: index + 1)
        }
    }

    /// Adds the candidates of a JSON Lines file (plain, gzip or zstd), read line by line so that a large answer
    /// file is never held whole.
    public mutating func addCandidates(path: String) throws {
        var failure: PipeError?
        try JSONRecordReader(path: path, layout: .lines).read { value, position in
            if failure == nil {
                do { try addCandidate(value, line: position.line) } catch let error as PipeError { failure = error }
            }
        } problem: { problem in
            if failure == nil { failure = PipeError("eval.candidates", "\(path): line \(problem.position.line): \(problem.reason)") }
        }
        if let failure { throw failure }
    }

    private mutating func addCandidate(_ value: JSONValue, line: Int) throws {
        guard let id = value["id"]?.stringValue, let code = value["c_code"]?.stringValue else {
            throw PipeError("eval.candidates", "line \(line) needs string fields id and c_code")
        }
        add(candidate: code, name: id)
    }

    /// Adds a candidate named by record id or file key (`<key>.c` in a folder, as upstream lays them out).
    public mutating func add(candidate code: String, name: String) {
        if let record = records.first(where: { $0.id == name || $0.key == name }) {
            candidates[record.id] = Self.extractCode(code)
        } else {
            unknownCandidates.append(name)
        }
    }

    /// The code inside the last fenced block when the answer has one (```cpu, ```c, ```cpp), else the text itself.
    static func extractCode(_ text: String) -> String {
        let parts = text.components(separatedBy: "```")
        guard parts.count >= 3 else { return text }
        var block = parts[parts.count - 2]
        if let newline = block.firstIndex(of: "\n"), !block[..<newline].contains(where: { $0 == " " || $0 == "(" || $0 == ";" }) {
            block = String(block[block.index(after: newline)...])
        }
        return block
    }

    /// Evaluates every record in key order; `progress` is called after each item.
    public func run(progress: (EvaluationItem) -> Void = { _ in }) -> EvaluationReport {
        var items: [EvaluationItem] = []
        for record in records.sorted(by: { ($0.category, $0.key, $0.id) < ($1.category, $1.key, $1.id) }) {
            let item = evaluate(record)
            items.append(item)
            progress(item)
        }
        let overall = EvaluationSummary(items)
        var perCategory: [String: EvaluationSummary] = [:]
        for category in Set(items.map(\.category)) {
            perCategory[category] = EvaluationSummary(items.filter { $0.category == category })
        }
        return EvaluationReport(compilePassRate: overall.compilePassRate, execPassRate: overall.execPassRate,
                                speedupMedian: overall.speedupMedian, perCategory: perCategory, items: items,
                                unknownCandidates: unknownCandidates.sorted())
    }

    /// One record: build and run the reference, then the candidate on the same inputs; compare; time both.
    public func evaluate(_ record: HPCTransRecord) -> EvaluationItem {
        var item = EvaluationItem(key: record.key, id: record.id, category: record.category, compiled: false, executed: false,
                                  correct: false, refSeconds: nil, candSeconds: nil, reason: nil)
        guard let code = candidates[record.id] else {
            item.reason = "no_candidate: no candidate for this record"
            return item
        }
        let inputs = Buffers.inputs(record.buffers, outputs: record.outputs, seed: options.seed)
        let size = Buffers.outputBytes(record.buffers, outputs: record.outputs)
        let reference: BuiltKernel
        let expected: [UInt8]
        do {
            reference = try runner.build(code: record.cCode, buffers: record.buffers, outputs: record.outputs, parameters: record.cParameters)
            expected = try runner.run(reference, inputs: inputs, outputBytes: size)
        } catch {
            item.reason = "reference_failed: \(error)"
            return item
        }
        let candidate: BuiltKernel
        do {
            candidate = try runner.build(code: code, buffers: record.buffers, outputs: record.outputs, parameters: record.cParameters)
        } catch let failure as KernelFailure {
            item.reason = failure.description
            return item
        } catch {
            item.reason = "compile_error: \(error)"
            return item
        }
        if options.screenSymbols {
            let forbidden = SymbolPolicy.forbidden(candidate.undefinedSymbols)
            if !forbidden.isEmpty {
                item.reason = "forbidden_call: the candidate calls \(forbidden.joined(separator: ", ")); kernels may call only maths, memory and OpenMP functions"
                return item
            }
        }
        item.compiled = true
        let got: [UInt8]
        do {
            got = try runner.run(candidate, inputs: inputs, outputBytes: size)
        } catch let failure as KernelFailure {
            item.reason = failure.description
            return item
        } catch {
            item.reason = "crashed: \(error)"
            return item
        }
        item.executed = true
        if let difference = Buffers.compare(candidate: got, reference: expected, buffers: record.buffers, outputs: record.outputs,
                                            rtol: options.rtol, atol: options.atol) {
            item.reason = "wrong_output: \(difference)"
            return item
        }
        item.correct = true
        do {
            item.refSeconds = Statistics.median(try runner.time(reference, inputs: inputs, warmups: options.warmups, repeats: options.repeats))
            item.candSeconds = Statistics.median(try runner.time(candidate, inputs: inputs, warmups: options.warmups, repeats: options.repeats))
        } catch {
            item.reason = "timing_failed: \(error)"
            item.refSeconds = nil
            item.candSeconds = nil
        }
        return item
    }
}

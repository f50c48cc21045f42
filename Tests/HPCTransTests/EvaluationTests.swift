import Foundation
import HPCTrans
import JSONSchema
import StageKit
import StageKitTestSupport
import XCTest

/// `pipe eval hpctrans` logic: references as candidates pass with a speedup near 1; hostile candidates fail with
/// their reason, nothing escapes the sandbox, and the harness goes on. Sandbox runs are serial in this class.
final class EvaluationTests: XCTestCase {
    /// Records of a small generated dataset (checked by the stage), as dataset lines.
    private func dataset(_ spec: String) throws -> [[UInt8]] {
        let folder = try TemporaryFolder()
        let path = try folder.write("spec.yaml", spec)
        let (context, _) = try mapFiles([("spec.yaml", path)])
        XCTAssertEqual(context.rejects.map(\.summary), [])
        return context.records.map(\.bytes)
    }

    private func validate(_ report: EvaluationReport) throws {
        let schemas = StageTesting.schemas([HPCTransRecordsStage.self])
        let validator = try schemas.validator(for: "hpctrans-eval", relativeTo: ".")
        let value = try CanonicalJSON.value(of: report)
        XCTAssertTrue(validator.isValid(value), "\(validator.problems(in: value, limit: 5))")
    }

    func testReferencesAsCandidatesPassWithSpeedupNearOne() throws {
        let lines = try dataset("""
            seed: 3
            generate:
              - {operator: add, count: 2, dims: [8, 40]}
              - {operator: softmax, count: 1, dims: [8, 40]}
              - {operator: matmul, count: 1, dims: [16, 48]}
              - {operator: topology_expansion, count: 2, category: ComputationGraph, dims: [8, 40]}
            """)
        var options = EvaluationOptions()
        options.warmups = 5
        options.repeats = 21
        var evaluation = HPCTransEvaluation(options: options)
        for line in lines { try evaluation.addDatasetLine(line) }
        XCTAssertEqual(evaluation.records.count, 6)
        let candidates = evaluation.records.map { record in
            JSONWriter.compactString(["id": .string(record.id), "c_code": .string("Here it is:\n```cpu\n\(record.cCode)```\n")])
        }
        try evaluation.addCandidates(jsonLines: candidates.joined(separator: "\n"))
        let report = evaluation.run()
        XCTAssertEqual(report.compilePassRate, 1)
        XCTAssertEqual(report.execPassRate, 1)
        XCTAssertEqual(Set(report.perCategory.keys), ["IndependentOperator", "ComputationGraph"])
        let speedup = try XCTUnwrap(report.speedupMedian)
        // Same code, same binary layout: only machine noise separates the two timings.
        XCTAssertGreaterThan(speedup, 0.5)
        XCTAssertLessThan(speedup, 2.0)
        XCTAssertTrue(report.items.allSatisfy { $0.reason == nil && $0.refSeconds != nil && $0.candSeconds != nil })
        try validate(report)
    }

    /// Candidates for one `abs` record; each hostile one is reported with its reason and the next still runs.
    func testHostileCandidatesAreReportedAndContained() throws {
        let lines = try dataset("seed: 1\ngenerate:\n  - {operator: abs, count: 1, rank: [2, 2], dims: [4, 6]}\n")
        let escape = NSTemporaryDirectory() + "pipe-hpctrans-escape-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: escape) }
        var options = EvaluationOptions()
        options.timeoutSeconds = 4
        options.memoryMB = 256
        options.warmups = 1
        options.repeats = 3
        var screened = HPCTransEvaluation(options: options)
        for line in lines { try screened.addDatasetLine(line) }
        let record = try XCTUnwrap(screened.records.first)
        var open = screened
        open.options.screenSymbols = false
        open.runner = HPCTransEvaluation(options: open.options).runner
        // The sandbox uid's process budget is machine-wide and shared with other tests: the unscreened fork bomb
        // gets a small one.
        var bomb = open
        bomb.runner.runLimits.processes = 16

        let signature = "void default_function_kernel(float* compute, float* data)"
        let count = record.buffers[0].count
        let correctLoop = "for (int32_t i = 0; i < \(count); ++i) compute[i] = fabsf(data[i]);"
        let cases: [(name: String, code: String, screen: Bool, reasons: [String])] = [
            ("endless loop", "\(signature) {\n  volatile int spin = 0;\n  for (;;) spin++;\n}\n", true, ["timeout", "cpu_limit"]),
            ("fork bomb (screened)", "int fork(void);\n\(signature) {\n  for (;;) fork();\n}\n", true, ["forbidden_call"]),
            ("fork bomb (sandbox only)", "int fork(void);\n\(signature) {\n  for (;;) fork();\n}\n", false, ["timeout", "cpu_limit"]),
            ("unbounded allocation", "void *malloc(unsigned long);\nvoid *memset(void *, int, unsigned long);\nvoid abort(void);\n\(signature) {\n  for (;;) {\n    char *p = malloc(1 << 20);\n    if (!p) abort();\n    memset(p, 1, 1 << 20);\n  }\n}\n", true, ["memory_limit"]),
            ("write outside (screened)", "void *fopen(const char *, const char *);\n\(signature) {\n  fopen(\"\(escape)\", \"w\");\n  \(correctLoop)\n}\n", true, ["forbidden_call"]),
            ("socket (screened)", "int socket(int, int, int);\n\(signature) {\n  socket(2, 1, 0);\n  \(correctLoop)\n}\n", true, ["forbidden_call"]),
            ("wrong output", "\(signature) {\n  for (int32_t i = 0; i < \(count); ++i) compute[i] = data[i] + 1.0f;\n}\n", true, ["wrong_output"]),
            ("compile error", "\(signature) {\n  compute[0] = ;\n}\n", true, ["compile_error"]),
            ("crash", "\(signature) {\n  ((volatile float *)0)[0] = data[0];\n}\n", true, ["crashed"]),
        ]
        for hostile in cases {
            var evaluation = hostile.screen ? screened : bomb
            evaluation.add(candidate: hostile.code, name: record.id)
            let item = evaluation.evaluate(record)
            let code = item.reason?.split(separator: ":").first.map(String.init) ?? "pass"
            XCTAssertTrue(hostile.reasons.contains(code), "\(hostile.name): \(item.reason ?? "passed")")
            XCTAssertFalse(item.correct, hostile.name)
            if code == "forbidden_call" {
                XCTAssertTrue(item.reason?.contains(hostile.name.hasPrefix("fork") ? "fork" : hostile.name.hasPrefix("write") ? "fopen" : "socket") ?? false)
            }
        }

        // Without the symbol screen the sandbox alone holds: the write outside and the connection both fail, so
        // these candidates compute the right answer only because their escapes did nothing.
        let sneaky = [
            "void *fopen(const char *, const char *);\nint fputs(const char *, void *);\nint fclose(void *);\n\(signature) {\n  void *f = fopen(\"\(escape)\", \"w\");\n  if (f) { fputs(\"escaped\", f); fclose(f); }\n  \(correctLoop)\n}\n",
            """
            int socket(int, int, int);
            int connect(int, const void *, unsigned int);
            \(signature) {
              unsigned char address[16] = {2, 0, 0, 53, 1, 1, 1, 1};
              int s = socket(2, 1, 0);
              int connected = s >= 0 && connect(s, address, 16) == 0;
              \(correctLoop)
              if (connected) compute[0] = -1.0f;
            }

            """,
        ]
        for code in sneaky {
            var evaluation = open
            evaluation.add(candidate: code, name: record.id)
            let item = evaluation.evaluate(record)
            XCTAssertTrue(item.correct, item.reason ?? "")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: escape), "a candidate wrote outside its folder")

        // The harness goes on: the reference itself still passes after all of that.
        var evaluation = screened
        evaluation.add(candidate: record.cCode, name: record.key)
        let item = evaluation.evaluate(record)
        XCTAssertNil(item.reason)
        XCTAssertTrue(item.correct)
    }

    /// Candidates often add helpers: one named `max` must compile (the kernel prelude defines no macros).
    func testCandidateMayDefineHelpers() throws {
        let lines = try dataset("seed: 4\ngenerate:\n  - {operator: abs, count: 1, rank: [1, 1], dims: [9, 9]}\n")
        var evaluation = HPCTransEvaluation()
        for line in lines { try evaluation.addDatasetLine(line) }
        let record = try XCTUnwrap(evaluation.records.first)
        evaluation.add(candidate: """
            static inline float max(float a, float b) { return a > b ? a : b; }
            void default_function_kernel(float* compute, float* data) {
              #pragma omp parallel for
              for (int i = 0; i < 9; ++i) compute[i] = max(data[i], -data[i]);
            }
            """, name: record.id)
        let item = evaluation.evaluate(record)
        XCTAssertTrue(item.correct, item.reason ?? "")
    }

    func testMissingAndUnknownCandidates() throws {
        let lines = try dataset("seed: 2\ngenerate:\n  - {operator: exp, count: 2}\n")
        var evaluation = HPCTransEvaluation()
        for line in lines { try evaluation.addDatasetLine(line) }
        evaluation.add(candidate: "void f(void) {}", name: "no-such-key")
        let report = evaluation.run()
        XCTAssertEqual(report.items.map { $0.reason?.hasPrefix("no_candidate") }, [true, true])
        XCTAssertEqual(report.compilePassRate, 0)
        XCTAssertNil(report.speedupMedian)
        XCTAssertEqual(report.unknownCandidates, ["no-such-key"])
        try validate(report)
    }

    /// A candidates file is read line by line: every line is a candidate, and a line that is not one stops the
    /// evaluation naming its line, before anything is compiled.
    func testACandidatesFileIsReadLineByLineAndABadLineIsNamed() throws {
        let lines = try dataset("seed: 1\ngenerate:\n  - {operator: abs, count: 1, rank: [2, 2], dims: [4, 6]}\n")
        var evaluation = HPCTransEvaluation(options: EvaluationOptions())
        for line in lines { try evaluation.addDatasetLine(line) }
        let record = try XCTUnwrap(evaluation.records.first)
        let folder = try TemporaryFolder()
        let good = JSONWriter.compactString(["id": .string(record.id), "c_code": .string(record.cCode)])
        let unknown = JSONWriter.compactString(["id": "no-such-id", "c_code": "int x;"])
        try evaluation.addCandidates(path: try folder.write("ok.jsonl", good + "\n" + unknown + "\n"))
        XCTAssertEqual(evaluation.unknownCandidates, ["no-such-id"])

        let bad = try folder.write("bad.jsonl", good + "\n{\"id\": \"x\"}\nnot json\n")
        XCTAssertThrowsError(try evaluation.addCandidates(path: bad)) { error in
            XCTAssertEqual((error as? PipeError)?.code, "eval.candidates")
            XCTAssertTrue((error as? PipeError)?.message.contains("line 2") ?? false, "\(error)")
        }
    }
}

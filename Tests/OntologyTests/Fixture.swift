import Readers
import StageKit
import XCTest
@testable import Ontology

/// A complete, valid entry the tests change one rule at a time; line numbers in the tests refer to it.
enum Fixture {
    static let good = """
date: "2024-05-01"
version: "v1.0"
last_updated: "2024-06-01"
expired: "no"
valid: "yes"
valid_date: "2024-06-01"
name: "Example Bench"
url: "https://example.org/bench"
doi: "10.48550/arXiv.2511.05615"
domain:
- "Computational Science & AI"
focus: "What is measured"
keywords:
- "code generation"
summary: |
  Plain ASCII description.
licensing: "MIT"
task_types:
- "Code generation"
ai_capability_measured:
- "Program synthesis"
metrics:
- "pass@1"
models:
- "unknown"
ml_motif:
- "Reasoning & Generalization"
type: "Benchmark"
ml_task:
- "Supervised Learning"
solutions: "0"
notes: "unknown"
contact:
  name: "unknown"
  email: "unknown"
cite:
- |
  @misc{example2025,
    title={Example Bench},
    year={2025},
    url={https://example.org/bench}
  }
datasets:
  links:
  - name: "Example data"
    url: "https://example.org/bench/data"
results:
  links:
  - name: "Example results"
    url: "https://example.org/bench/results"
fair:
  reproducible: "Yes"
  benchmark_ready: "Yes"
ratings:
  software:
    rating: 3
    reason: |
      Code and setup instructions; not complete.
    checklist: {code_available: "yes", complete: "no", documented: "yes", runs_unmodified: "no", environment: "yes"}
  specification:
    rating: 4
    reason: "No system constraints."
  dataset:
    rating: 5
    reason: "FAIR, with splits."
  metrics:
    rating: 5
    reason: "pass@1, defined."
  reference_solution:
    rating: 2
    reason: "Baselines only."
  documentation:
    rating: 5
    reason: "Paper."
"""

    /// The good entry with `old` replaced by `new` (which must occur exactly once).
    static func replacing(_ old: String, with new: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let parts = good.components(separatedBy: old)
        XCTAssertEqual(parts.count, 2, "'\(old)' must occur once in the fixture", file: file, line: line)
        return parts.joined(separator: new)
    }

    static let validator: OntologyValidator = {
        do { return try OntologyValidator() } catch { fatalError("the embedded schema or rubric is broken: \(error)") }
    }()

    /// The report on `text` checked as one entry (or as a catalogue).
    /// Catalogues are checked both ways, entry by entry from the text and as one document, which must agree.
    static func report(_ text: String, catalog: Bool = false, path: String = "e.yaml") throws -> ValidationReport {
        let file = try EntryFile(text: text, path: path)
        guard catalog else { return validator.checkEntryFile(file) }
        let whole = validator.checkCatalog(file)
        let split = validator.checkCatalog(text: text, path: path)
        XCTAssertEqual(split, whole, "the catalogue read entry by entry differs from the catalogue read whole")
        return split
    }

    /// Every diagnostic as `line:column severity code field`.
    static func findings(_ text: String, catalog: Bool = false) throws -> [String] {
        try report(text, catalog: catalog).diagnostics.map {
            "\($0.location.line ?? 0):\($0.location.column ?? 0) \($0.severity.rawValue) \($0.code) \($0.field)"
        }
    }

    /// Every diagnostic's message, in file order.
    static func messages(_ text: String) throws -> [String] {
        try report(text).diagnostics.map(\.message)
    }
}

import XCTest
import StageKitTestSupport

@testable import CorpusMining

final class CorpusReportTests: XCTestCase {
    func testTablesJSONAndSVGFromRecords() throws {
        var report = CorpusReport()
        report.addFile([
            "language": "c", "repo": "r1", "lines": 10, "whitespace_tokens": 120, "bytes": 900,
            "paradigms": ["openmp", "mpi"], "fortran_form": nil,
            "content": "#pragma omp parallel for\nfor (;;) {}\n#pragma omp barrier\n/* #pragma omp critical */\n",
        ])
        report.addFile([
            "language": "fortran", "repo": "r2", "lines": 5, "whitespace_tokens": 30, "bytes": 200,
            "paradigms": ["openmp"], "fortran_form": "free",
            "content": "!$omp parallel do\ndo i = 1, 2\nend do\n!$omp end parallel do\n",
        ])
        report.addLoop(["language": "c", "clauses": ["schedule": ["kind": "STATIC", "chunk": nil, "modifiers": []]]])
        report.addFunction(["name": "f"])
        let json = report.json
        XCTAssertEqual(json["totals"], .object(["files": 2, "repositories": 2, "lines": 15, "tokens": 150, "functions": 1,
                                                 "omp_loops": 1]))
        XCTAssertEqual(json["paradigms"]?["openmp"], .object(["files": 2, "repositories": 2]))
        XCTAssertEqual(json["paradigms"]?["mpi"], .object(["files": 1, "repositories": 1]))
        XCTAssertEqual(json["paradigms"]?["hip"], .object(["files": 0, "repositories": 0]))
        XCTAssertEqual(json["openmp_directives"], .object(["parallel for": 1, "barrier": 1, "parallel do": 1]),
                       "comments and end directives are not counted")
        XCTAssertEqual(json["omp_loops"]?["c"], .object(["loops": 1, "schedule": ["static": 1]]))
        XCTAssertTrue(report.text.hasPrefix("2 files in 2 repositories, 1 functions, 1 OpenMP loops"))
        XCTAssertTrue(report.text.contains("fortran       1      5      30"), report.text)
        XCTAssertEqual(report.svg, report.svg)
        XCTAssertTrue(report.svg.contains(">parallel for</text>"))
        XCTAssertTrue(report.svg.hasSuffix("</svg>\n"))
    }
}

import XCTest
import StageKitTestSupport

@testable import CorpusMining

final class OpenMPDirectiveTests: XCTestCase {
    func testHPCorpusClauseSplitMatchesTheReferenceExample() {
        let clauses = OpenMPDirective.hpcorpusClauses("#pragma omp for private (a,b) schedule(static:8)")
        XCTAssertEqual(clauses, [
            DirectiveClause("pragma", nil), DirectiveClause("omp", nil), DirectiveClause("for", nil),
            DirectiveClause("private", "a,b"), DirectiveClause("schedule", "static:8"),
        ])
        // The shortest match ends at the first `)`, as the regex does.
        let nested = OpenMPDirective.hpcorpusClauses("omp parallel if(f(x)) for")
        XCTAssertEqual(nested.map(\.name), ["omp", "parallel", "if", "for"])
        XCTAssertEqual(nested[2].arguments, "f(x")
    }

    func testCFamilyNormalizationKeepsSourceOrderWithPrivateLast() {
        func norm(_ text: String) -> String? { OpenMPDirective.normalize(text, language: .c) }
        XCTAssertEqual(norm("#pragma omp parallel for"), "parallel for ")
        XCTAssertEqual(norm("#pragma omp for"), "for ")
        XCTAssertEqual(norm("#pragma omp parallel for private(j, i) reduction(+: sum) schedule(static)"),
                       "parallel for reduction(+:sum) private(i j)")
        XCTAssertEqual(norm("#pragma omp target teams distribute parallel for reduction(+:arg_49) private(arg_342,arg_619) firstprivate(arg_388)"),
                       "target teams distribute parallel for reduction(+:arg_49) private(arg_342 arg_388 arg_619)")
        XCTAssertEqual(norm("#pragma omp parallel for simd lastprivate(x) firstprivate(w) private(a)"),
                       "parallel for simd private(a w x)")
        XCTAssertEqual(norm("#pragma omp parallel for reduction(max:m) reduction(+ : b, a)"),
                       "parallel for reduction(max:m) reduction(+:a b) ")
        XCTAssertEqual(norm("#pragma omp parallel for \\\n    private(i)\t"), "parallel for private(i)")
        XCTAssertNil(norm("#pragma omp simd"), "no kept construct")
        XCTAssertNil(norm("#pragma omp critical"))
    }

    func testFortranNormalizationPutsDoFirstThenSorts() {
        func norm(_ text: String) -> String? { OpenMPDirective.normalize(text, language: .fortran) }
        XCTAssertEqual(norm("!$OMP PARALLEL DO REDUCTION(+:LOCAL) PRIVATE(R)"), "do parallel private(r) reduction(+:local)")
        XCTAssertEqual(norm("!$omp parallel do private(i) schedule(static)"), "do parallel private(i)")
        XCTAssertEqual(norm("!$omp do"), "do")
        XCTAssertEqual(norm("!$omp parallel do simd &\n!$omp& private(j, i)"), "do parallel private(i j) simd")
        XCTAssertEqual(norm("C$OMP PARALLEL DO PRIVATE(X) REDUCTION(+:LOCAL)"), "do parallel private(x) reduction(+:local)")
        XCTAssertNil(norm("!$omp single"))
    }

    func testStructuredClauses() throws {
        let parsed = try XCTUnwrap(ParsedDirective.parse(
            "#pragma omp parallel for collapse(2) schedule(monotonic: dynamic, 4) private(a, b[0:n]) reduction(+:s) nowait default(none) map(to: x[0:f(n)])",
            language: .c))
        XCTAssertEqual(parsed.sentinel, "omp")
        XCTAssertEqual(parsed.constructs, ["parallel", "for"])
        XCTAssertEqual(parsed.kind, "parallel for")
        let json = parsed.clausesJSON
        XCTAssertEqual(json["collapse"], .integer(2))
        XCTAssertEqual(json["private"], .array(["a", "b[0:n]"]))
        XCTAssertEqual(json["schedule"], .object(["kind": "dynamic", "chunk": "4", "modifiers": .array(["monotonic"])]))
        XCTAssertEqual(json["reduction"], .array([.object(["operator": "+", "variables": .array(["s"])])]))
        XCTAssertEqual(json["nowait"], .bool(true))
        XCTAssertEqual(json["default"], .string("none"))
        XCTAssertEqual(json["simd"], .bool(false))
        XCTAssertEqual(json["other"], .array([.object(["name": "map", "arguments": "to: x[0:f(n)]"])]))

        let fortran = try XCTUnwrap(ParsedDirective.parse("!$OMP PARALLEL DO SIMD REDUCTION(MAX:m) LASTPRIVATE(conditional: k)",
                                                          language: .fortran))
        XCTAssertEqual(fortran.constructs, ["parallel", "do", "simd"])
        XCTAssertEqual(fortran.clausesJSON["simd"], .bool(true))
        XCTAssertEqual(fortran.clausesJSON["lastprivate"], .array(["k"]))
        XCTAssertEqual(fortran.clausesJSON["reduction"], .array([.object(["operator": "MAX", "variables": .array(["m"])])]))
        let cpp = try XCTUnwrap(ParsedDirective.parse(
            "#pragma omp declare reduction(merge : std::vector<int> : omp_out.insert(omp_out.end(), omp_in.begin(), omp_in.end()))",
            language: .cpp))
        XCTAssertEqual(cpp.constructs, ["declare"], "a word with arguments ends the directive name")
        XCTAssertEqual(cpp.clauses.first?.name, "reduction")
        XCTAssertEqual(ParsedDirective.parse("#pragma acc parallel loop", language: .c)?.sentinel, "acc")
        XCTAssertNil(ParsedDirective.parse("#pragma once", language: .c))
        XCTAssertNil(ParsedDirective.parse("! just a comment", language: .fortran))
    }
}

import CodeLexers
import XCTest
import StageKitTestSupport

@testable import CorpusMining

final class LanguageMapTests: XCTestCase {
    func testExtensionsFollowTheIssueMap() {
        let expected: [String: Language] = [
            "a.c": .c, "a.C": .cpp, "a.H": .cpp, "a.cc": .cpp, "a.CPP": .cpp, "a.cxx": .cpp, "a.hpp": .cpp,
            "a.hh": .cpp, "a.hxx": .cpp, "a.cu": .cuda, "a.CUH": .cuda, "a.cl": .opencl, "a.f": .fortran,
            "a.for": .fortran, "a.F77": .fortran, "a.f90": .fortran, "a.F95": .fortran, "a.f03": .fortran,
            "a.F08": .fortran,
        ]
        for (path, language) in expected {
            XCTAssertEqual(LanguageMap.classify(path: "dir/" + path), .language(language), path)
        }
        XCTAssertEqual(LanguageMap.classify(path: "x/y.h"), .cOrCppHeader)
        for path in ["README.md", "Makefile", "a.py", ".c", "dir.c/file", "a.f18x", "LICENSE", "a.chpl"] {
            XCTAssertEqual(LanguageMap.classify(path: path), .notSource, path)
        }
    }

    func testHeaderLanguageComesFromContent() {
        let cHeader = Array("""
            #ifndef X_H
            #define X_H
            #ifdef __cplusplus
            extern "C" {
            #endif
            struct point { int class; double x; };   /* namespace in a comment */
            int area(const struct point *p);
            #ifdef __cplusplus
            }
            #endif
            #endif
            """.utf8)
        XCTAssertEqual(LanguageMap.language(path: "x.h", content: cHeader), .c)
        let cppHeader = Array("namespace grid { template <typename T> T twice(T v) { return v + v; } }\n".utf8)
        XCTAssertEqual(LanguageMap.language(path: "x.h", content: cppHeader), .cpp)
        XCTAssertEqual(LanguageMap.language(path: "x.hpp", content: cHeader), .cpp)
        XCTAssertNil(LanguageMap.language(path: "x.txt", content: cHeader))
    }

    func testFortranFormFollowsExtensionUnlessContentDisagrees() {
        let fixed = Array("C     comment\n      PROGRAM P\n      X = 1\n      END\n".utf8)
        let free = Array("program p\n  implicit none\n  integer :: i\n  i = 1 + &\n      2\nend program p\n".utf8)
        XCTAssertEqual(LanguageMap.fortranForm(path: "a.f", content: fixed), .fixed)
        XCTAssertEqual(LanguageMap.fortranForm(path: "a.f90", content: free), .free)
        XCTAssertEqual(LanguageMap.fortranForm(path: "a.f", content: free), .free)
    }
}

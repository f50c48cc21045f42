import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// The context rules of the original (reference §2), one construct at a time, and pipe's deliberate changes.
final class CategoryRuleTests: XCTestCase {
    private func tokens(_ code: String, _ language: TokenizerLanguage = .c, anonymize: Bool = false) -> String {
        Tokenizer(options: TokenizerOptions(anonymizeLibraryCalls: anonymize)).tokenize(code, language: language).text
    }

    func testParametersArraysAndCalls() {
        // `a[]` is an array parameter (ARR beats ARG); `n` in an array size stays an argument (the original's `arr`
        // leaks into size expressions, making `n` an array: a listed deliberate difference).
        XCTAssertEqual(tokens("void f(int a[], int n){ int b[n]; g(n); }"),
                       "void func 0 ( int arr 0 [ ] , int arg 0 ) { int arr 1 [ arg 0 ] ; func 1 ( arg 0 ) ; }")
        // Calls through pointers are functions, and a function-pointer parameter is a function, as in the original.
        XCTAssertEqual(tokens("void h(void (*cb)(int), int k){ (*gp)(k); cb(k); }"),
                       "void func 0 ( void ( * func 1 ) ( int ) , int arg 0 ) { ( * func 2 ) ( arg 0 ) ; func 1 ( arg 0 ) ; }")
    }

    func testFieldsTypesAndEnumerators() {
        XCTAssertEqual(tokens("struct s { int x; } v; enum e { A, B = 2 }; int f(struct s *p) { return p->x + v.x + A; }"),
                       "struct type 0 { int field 0 ; } var 0 ; enum type 1 { var 1 , var 2 = num 0 } ; int func 0 ( struct type 0 * arg 0 ) { return arg 0 -> field 0 + var 0 . field 0 + var 1 ; }")
        XCTAssertEqual(tokens("typedef unsigned long ulong_t; ulong_t n = sizeof(ulong_t); FILE *fp; ptrdiff_t d;"),
                       "typedef unsigned long type 0 ; type 0 var 0 = sizeof ( type 0 ) ; FILE * var 1 ; ptrdiff_t var 2 ;")
        XCTAssertEqual(tokens("FILE *fp; ptrdiff_t d;", anonymize: true), "type 0 * var 0 ; type 1 var 1 ;")
    }

    /// pipe keeps a parameter and a member of the same name apart; the original merges them into one field.
    func testNamespacesAreSeparate() {
        XCTAssertEqual(tokens("int g(int x){ return x; } struct s { int x; };"),
                       "int func 0 ( int arg 0 ) { return arg 0 ; } struct type 0 { int field 0 ; } ;")
    }

    func testCastsLabelsAndLiterals() {
        XCTAssertEqual(tokens("typedef int T; void f(void *p){ T x = (T) 3; x = *(T *)p; if (!p) goto out; out: return; }"),
                       "typedef int type 0 ; void func 0 ( void * arg 0 ) { type 0 var 0 = ( type 0 ) num 0 ; var 0 = * ( type 0 * ) arg 0 ; if ( ! arg 0 ) goto var 1 ; var 1 : return ; }")
        XCTAssertEqual(tokens("char c = 'x'; const char *s = \"a\" \"b\"; double d = 0x1Fp-3; unsigned u = 0x1Fu;"),
                       "char var 0 = char 0 ; const char * var 1 = str 0 str 1 ; double var 2 = num 0 ; unsigned var 3 = num 1 ;")
    }

    func testLibraryNamesAreKeptUnlessDefinedHere() {
        XCTAssertEqual(tokens("int main(){ MPI_Init(0, 0); printf(\"x\"); return omp_get_thread_num(); }"),
                       "int func 0 ( ) { MPI_Init ( num 0 , num 0 ) ; printf ( str 0 ) ; return omp_get_thread_num ( ) ; }")
        XCTAssertEqual(tokens("int main(){ MPI_Init(0, 0); printf(\"x\"); return omp_get_thread_num(); }", anonymize: true),
                       "int func 0 ( ) { func 1 ( num 0 , num 0 ) ; func 2 ( str 0 ) ; return func 3 ( ) ; }")
        // A file's own `max` is not the library's; a variable named like a library function is a variable.
        XCTAssertEqual(tokens("static int max(int a, int b){ return a > b ? a : b; } int time = 3;"),
                       "static int func 0 ( int arg 0 , int arg 1 ) { return arg 0 > arg 1 ? arg 0 : arg 1 ; } int var 0 = num 0 ;")
    }

    func testPreprocessorLines() {
        XCTAssertEqual(tokens("#include <stdio.h>\n#include \"mine.h\"\n#include <unknown_lib.h>\n#if defined(N) && N > 2\n#define SQ(x) ((x)*(x))\n#endif\n"),
                       "#include <stdio.h> [NL] #include str 0 [NL] #include str 1 [NL] #if defined ( var 0 ) && var 0 > num 0 [NL] #define func 0 ( var 1 ) ( ( var 1 ) * ( var 1 ) ) [NL] #endif [NL]")
        XCTAssertEqual(tokens("void f(int n, double *a){\n#pragma omp parallel for private(i) schedule(dynamic, 4) if(n > 100)\nfor(int i=0;i<n;i++) a[i]=0;\n#pragma once\n#pragma GCC ivdep\n}"),
                       "void func 0 ( int arg 0 , double * arg 1 ) { #pragma omp parallel for private ( var 0 ) schedule ( dynamic , num 0 ) if ( arg 0 > num 1 ) [NL] for ( int var 0 = num 2 ; var 0 < arg 0 ; var 0 ++ ) arg 1 [ var 0 ] = num 2 ; #pragma once [NL] #pragma GCC ivdep [NL] }")
    }

    func testCPlusPlus() {
        XCTAssertEqual(tokens("std::vector<int> v; v.push_back(1); auto n = std::max(v[0], 2);", .cpp),
                       "std :: vector < int > var 0 ; var 0 . push_back ( num 0 ) ; auto var 1 = std :: max ( var 0 [ num 1 ] , num 2 ) ;")
        XCTAssertEqual(tokens("namespace ns { class A { public: int get() const { return v; } private: int v; }; }", .cpp),
                       "namespace type 0 { class type 1 { public : int field 0 ( ) const { return field 1 ; } private : int field 1 ; } ; }")
        XCTAssertEqual(tokens("template <typename T> T twice(T x) { return x + x; } int y = twice<int>(3);", .cpp),
                       "template < typename type 0 > type 0 func 0 ( type 0 arg 0 ) { return arg 0 + arg 0 ; } int var 0 = func 0 < int > ( num 0 ) ;")
    }

    func testCUDA() {
        XCTAssertEqual(tokens("__global__ void k(float *y){ y[threadIdx.x] = 0; } int main(){ float *d; k<<<1, 32>>>(d); }", .cuda),
                       "__global__ void func 0 ( float * arg 0 ) { arg 0 [ threadIdx . x ] = num 0 ; } int func 1 ( ) { float * var 0 ; func 0 <<< num 1 , num 2 >>> ( var 0 ) ; }")
        XCTAssertEqual(tokens("__global__ void k(float *y){ y[threadIdx.x] = 0; }", .cuda, anonymize: true),
                       "__global__ void func 0 ( float * arg 0 ) { arg 0 [ var 0 . field 0 ] = num 0 ; }")
    }

    func testFortran() {
        let code = """
            subroutine axpy(n, a, x, y)
              integer, intent(in) :: n
              real, intent(in) :: a, x(n)
              real, intent(inout) :: y(n)
              integer :: i
              do i = 1, n
                 y(i) = a * x(i) + y(i)
              end do
              call report(n)
            end subroutine axpy

            """
        XCTAssertEqual(tokens(code, .fortran),
                       "subroutine func 0 ( arg 0 , arg 1 , arr 0 , arr 1 ) [NL] integer , intent ( in ) :: arg 0 [NL] real , intent ( in ) :: arg 1 , arr 0 ( arg 0 ) [NL] real , intent ( inout ) :: arr 1 ( arg 0 ) [NL] integer :: var 0 [NL] do var 0 = num 0 , arg 0 [NL] arr 1 ( var 0 ) = arg 1 * arr 0 ( var 0 ) + arr 1 ( var 0 ) [NL] end do [NL] call func 1 ( arg 0 ) [NL] end subroutine func 0 [NL]")
        // Case-insensitive names, MPI in Fortran spelled as in C, keywords in lowercase.
        XCTAssertEqual(tokens("PROGRAM P\nUSE MPI\nINTEGER IERR\nCALL MPI_INIT(IERR)\nCall mpi_finalize(ierr)\nEND PROGRAM P\n", .fortran),
                       "program type 0 [NL] use mpi [NL] integer var 0 [NL] call MPI_Init ( var 0 ) [NL] call MPI_Finalize ( var 0 ) [NL] end program type 0 [NL]")
    }

    func testPerFunctionNumbering() {
        let document = Tokenizer(options: TokenizerOptions(scope: .function))
            .tokenize("int g = 1;\nint f(int a){ int b = a; return b; }\nint h(int c){ int d = c; return d + g; }\n", language: .c)
        XCTAssertEqual(document.text,
                       "int var 0 = num 0 ; int func 0 ( int arg 0 ) { int var 0 = arg 0 ; return var 0 ; } int func 0 ( int arg 0 ) { int var 0 = arg 0 ; return var 0 + var 1 ; }")
        XCTAssertEqual(document.map, ["var_0": "g", "num_0": "1"])
        XCTAssertEqual(document.scopes.map(\.map), [
            ["func_0": "f", "arg_0": "a", "var_0": "b"],
            ["func_0": "h", "arg_0": "c", "var_0": "d", "var_1": "g"],
        ])
    }

    // MARK: Issue 15: rules on code written for them

    /// Tokenizes `code`, checks that restoring gives back its tokens, and compiles the original and the restored
    /// code with `cc -fsyntax-only` (with `flags`, which define the macros the code leaves to the build): the
    /// restored code must compile exactly when the original does, and the original is written to compile.
    private func checkRestore(_ code: String, _ language: TokenizerLanguage = .c, flags: [String] = [],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = Array(code.utf8)
        XCTAssertNil(try Support.roundTripDifference(bytes, language: language, fixed: false), file: file, line: line)
        let compiler = (language == .c ? ["/usr/bin/cc", "/usr/bin/gcc"] : ["/usr/bin/c++", "/usr/bin/g++"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { return }
        let document = Tokenizer().tokenize(SourceInput(bytes: bytes, language: language))
        let restored = try Restorer(language: language).restore(document)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokompiler-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func status(_ text: String, _ name: String) throws -> Int32 {
            let url = folder.appendingPathComponent(name + (language == .c ? ".c" : ".cpp"))
            try Data(text.utf8).write(to: url)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: compiler)
            process.arguments = ["-fsyntax-only", "-fopenmp", "-w"] + flags + [url.path]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        XCTAssertEqual(try status(code, "original"), 0, "the original should compile", file: file, line: line)
        XCTAssertEqual(try status(restored, "restored"), 0, "restored:\n\(restored)", file: file, line: line)
    }

    /// Rule 5: `#error` and `#warning` text is one string placeholder, quotes and apostrophes included.
    func testErrorAndWarningTextIsAMessage() throws {
        let code = "#ifndef N\n#warning N isn't set, using \"64\"\n#define N 64\n#endif\n#if N < 1\n#error \"N\" can't be < 1\n#endif\nint a[N];\n"
        let document = Tokenizer().tokenize(code, language: .c)
        XCTAssertEqual(document.text,
                       "#ifndef var 0 [NL] #warning str 0 [NL] #define var 0 num 0 [NL] #endif [NL] #if var 0 < num 1 [NL] #error str 1 [NL] #endif [NL] int arr 0 [ var 0 ] ;")
        XCTAssertEqual(document.map["str_0"], "N isn't set, using \"64\"")
        XCTAssertEqual(document.map["str_1"], "\"N\" can't be < 1")
        try checkRestore(code)
        let restored = try Restorer(language: .c).restore(document)
        XCTAssertTrue(restored.contains("#warning N isn't set, using \"64\"\n#define N"), restored)
        // No text, a comment inside and after it, and `#error` in preprocessed Fortran.
        XCTAssertEqual(tokens("#error\n#error a /* b */ c // d\nint x;"), "#error [NL] #error str 0 [NL] int var 0 ;")
        XCTAssertEqual(tokens("#if 0\n#error can't\n#endif\nprogram p\nend program p\n", .fortran),
                       "#if num 0 [NL] #error str 0 [NL] #endif [NL] program type 0 [NL] end program type 0 [NL]")
        try checkRestore("#if 0\n#error 'quoted' and \"unbalanced\n#endif\nint y;\n")
    }
}

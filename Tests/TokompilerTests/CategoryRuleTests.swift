import Foundation
import XCTest
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

    /// Rule 1: the last name of a parameter declaration is the parameter; a name between `*` and it is a qualifier
    /// macro (a `var`), and a leading unknown name is the type.
    func testQualifierMacrosInParameterDeclarations() throws {
        let withoutDefine = "void f(double * QUAL p, int n) { p[0] = n; }"
        XCTAssertEqual(tokens(withoutDefine),
                       "void func 0 ( double * var 0 arg 0 , int arg 1 ) { arg 0 [ num 0 ] = arg 1 ; }")
        try checkRestore(withoutDefine, flags: ["-DQUAL=restrict"])
        let typeAndQualifier = "void f(T * QUAL out, const T * QUAL in, int n) { out[0] = in[n]; }"
        XCTAssertEqual(tokens(typeAndQualifier),
                       "void func 0 ( type 0 * var 0 arg 0 , const type 0 * var 0 arg 1 , int arg 2 ) { arg 0 [ num 0 ] = arg 1 [ arg 2 ] ; }")
        try checkRestore(typeAndQualifier, flags: ["-DT=float", "-DQUAL=__restrict__"])
        // With the macro defined in the file, and an array parameter: the `[` ends the declarator too.
        let withDefine = "#define QUAL restrict\nvoid f(double * QUAL p, double * QUAL q[], int n) { p[0] = q[n][0]; }\n"
        XCTAssertEqual(tokens(withDefine),
                       "#define var 0 restrict [NL] void func 0 ( double * var 0 arg 0 , double * var 0 arr 0 [ ] , int arg 1 ) { arg 0 [ num 0 ] = arr 0 [ arg 1 ] [ num 0 ] ; }")
        try checkRestore(withDefine)
        // Two qualifiers; and a trailing macro the file defines is the macro, not the parameter.
        let twoQualifiers = "int g(T * QUAL * QUAL2 pp) { return **pp; }"
        XCTAssertEqual(tokens(twoQualifiers),
                       "int func 0 ( type 0 * var 0 * var 1 arg 0 ) { return * * arg 0 ; }")
        try checkRestore(twoQualifiers, flags: ["-DT=int", "-DQUAL=const", "-DQUAL2=const"])
        let trailing = "#define UNUSED __attribute__((unused))\nint main(int argc UNUSED, char **argv UNUSED) { return 0; }\n"
        XCTAssertEqual(tokens(trailing),
                       "#define var 0 __attribute__ ( ( unused ) ) [NL] int func 0 ( int arg 0 var 0 , char * * arg 1 var 0 ) { return num 0 ; }")
        try checkRestore(trailing)
        // A declaration in a body is not a parameter list: the names stay variables there.
        XCTAssertEqual(tokens("void k(void) { double * QUAL p = 0; }"),
                       "void func 0 ( void ) { double * var 0 var 1 = num 0 ; }")
    }

    /// Rule 2: a lone name in a parameter list is an unnamed parameter's type; only an old-style definition's list
    /// of names holds parameter names.
    func testUnnamedParameterTypes() throws {
        let prototype = "void h(double *, int, T, int, U);\nvoid g(T *p, U n) { h(p, 0, *p, 1, n); }\n"
        XCTAssertEqual(tokens(prototype),
                       "void func 0 ( double * , int , type 0 , int , type 1 ) ; void func 1 ( type 0 * arg 0 , type 1 arg 1 ) { func 0 ( arg 0 , num 0 , * arg 0 , num 1 , arg 1 ) ; }")
        try checkRestore(prototype, flags: ["-DT=float", "-DU=long"])
        let shapes = "void k(const T, U *, V);\ntypedef void (*cb_t)(T, U);\nvoid (*install(cb_t, V))(T, U);\n"
        XCTAssertEqual(tokens(shapes),
                       "void func 0 ( const type 0 , type 1 * , type 2 ) ; typedef void ( * type 3 ) ( type 0 , type 1 ) ; void ( * func 1 ( type 3 , type 2 ) ) ( type 0 , type 1 ) ;")
        try checkRestore(shapes, flags: ["-DT=float", "-DU=long", "-DV=int"])
        // Library types in a prototype are kept as in any other type position (and anonymized with the option).
        let library = "void s(MPI_Comm, MPI_Datatype, int);\nvoid t(MPI_Comm c) { s(c, 0, 0); }\n"
        XCTAssertEqual(tokens(library),
                       "void func 0 ( MPI_Comm , MPI_Datatype , int ) ; void func 1 ( MPI_Comm arg 0 ) { func 0 ( arg 0 , num 0 , num 0 ) ; }")
        XCTAssertEqual(tokens(library, anonymize: true),
                       "void func 0 ( type 0 , type 1 , int ) ; void func 1 ( type 0 arg 0 ) { func 0 ( arg 0 , num 0 , num 0 ) ; }")
        try checkRestore(library, flags: ["-DMPI_Comm=int", "-DMPI_Datatype=int"])
        // An old-style definition: the names are the parameters (a listed difference from the original).
        let oldStyle = "int f(a, b, c) int a; double b[]; char *c; { return a + (int) b[0] + c[0]; }\nint m(x, y) { return x + y; }\n"
        XCTAssertEqual(tokens(oldStyle),
                       "int func 0 ( arg 0 , arr 0 , arg 1 ) int arg 0 ; double arr 0 [ ] ; char * arg 1 ; { return arg 0 + ( int ) arr 0 [ num 0 ] + arg 1 [ num 0 ] ; } int func 1 ( arg 2 , arg 3 ) { return arg 2 + arg 3 ; }")
        try checkRestore(oldStyle, flags: ["-std=gnu89"])
        // C++ has no old-style definitions: a lone name is a type there, in a definition too.
        let cpp = "void h(T, U);\nvoid g(T, U u) { h(0, u); }\n"
        XCTAssertEqual(tokens(cpp, .cpp),
                       "void func 0 ( type 0 , type 1 ) ; void func 1 ( type 0 , type 1 arg 0 ) { func 0 ( num 0 , arg 0 ) ; }")
        try checkRestore(cpp, .cpp, flags: ["-DT=float", "-DU=long"])
    }

    /// Rule 3: a parenthesized lone name followed by an operand is a cast. `(T)(z)` is a cast when the file uses `T`
    /// as a type anywhere, else a call through a parenthesized callee.
    func testCasts() throws {
        let expressions = "double f(int x) { double y = (T) x; y = (T) x + (U) 2; y = (T) -x; return (T) y; }"
        XCTAssertEqual(tokens(expressions),
                       "double func 0 ( int arg 0 ) { double var 0 = ( type 0 ) arg 0 ; var 0 = ( type 0 ) arg 0 + ( type 1 ) num 0 ; var 0 = ( type 0 ) - arg 0 ; return ( type 0 ) var 0 ; }")
        try checkRestore(expressions, flags: ["-DT=double", "-DU=float"])
        let initializers = "long g(long n) { long m = (T) sizeof(int), k = (T) !n, j = (U) ~n; static const char *s = (V) \"x\"; return m + k + j + *s; }"
        XCTAssertEqual(tokens(initializers),
                       "long func 0 ( long arg 0 ) { long var 0 = ( type 0 ) sizeof ( int ) , var 1 = ( type 0 ) ! arg 0 , var 2 = ( type 1 ) ~ arg 0 ; static const char * var 3 = ( type 2 ) str 0 ; return var 0 + var 1 + var 2 + * var 3 ; }")
        try checkRestore(initializers, flags: ["-DT=long", "-DU=int", "-DV=char*"])
        // Control statements and calls are not casts.
        XCTAssertEqual(tokens("void c(int x, int y) { if (x) y = 1; while (y) y--; f (x) ; }"),
                       "void func 0 ( int arg 0 , int arg 1 ) { if ( arg 0 ) arg 1 = num 0 ; while ( arg 1 ) arg 1 -- ; func 1 ( arg 0 ) ; }")
        // `(T)(z)`: a type once the file casts with `T` elsewhere, a parenthesized callee otherwise.
        let ambiguousCast = "double h(double z) { double w = (T) z; return (T)(z) + w; }"
        XCTAssertEqual(tokens(ambiguousCast),
                       "double func 0 ( double arg 0 ) { double var 0 = ( type 0 ) arg 0 ; return ( type 0 ) ( arg 0 ) + var 0 ; }")
        try checkRestore(ambiguousCast, flags: ["-DT=float"])
        let callee = "int f(int);\nint h(int z) { return (f)(z) + (g)(z); }\n"
        XCTAssertEqual(tokens(callee),
                       "int func 0 ( int ) ; int func 1 ( int arg 0 ) { return ( func 0 ) ( arg 0 ) + ( func 2 ) ( arg 0 ) ; }")
        try checkRestore(callee, flags: ["-Dg=f"])
    }

    /// Rule 4: a name declared in code as a variable of a built-in type is never a `func`, even where it is called
    /// inside a macro's arguments; a function pointer, or a variable of a type that may be one, stays a `func`.
    func testDeclaredVariablesAreNotFunctions() throws {
        let macroArgument = "#define M(x) 0\nint d = 0;\nint f(void) { return M(d(1)) + d; }\n"
        XCTAssertEqual(tokens(macroArgument),
                       "#define func 0 ( var 0 ) num 0 [NL] int var 1 = num 0 ; int func 1 ( void ) { return func 0 ( var 1 ( num 1 ) ) + var 1 ; }")
        try checkRestore(macroArgument)
        // In an unused macro's body, and with a local variable.
        let body = "int d = 0;\n#define APPLY(v) d(v)\n#define IGNORE(e) 0\nint g(int x) { double *e = 0; return d + IGNORE(e(x)) + (e != 0); }\n"
        XCTAssertEqual(tokens(body),
                       "int var 0 = num 0 ; #define func 0 ( var 1 ) var 0 ( var 1 ) [NL] #define func 1 ( var 2 ) num 0 [NL] int func 2 ( int arg 0 ) { double * var 2 = num 0 ; return var 0 + func 1 ( var 2 ( arg 0 ) ) + ( var 2 != num 0 ) ; }")
        try checkRestore(body)
        // A variable of a named or deduced type may be callable (a function pointer type, a lambda): called, it is
        // a `func`, as in the original.
        let callable = "typedef int (*op_t)(int);\nint g(int x) { op_t e = 0; return e ? e(x) : 0; }\n"
        XCTAssertEqual(tokens(callable),
                       "typedef int ( * type 0 ) ( int ) ; int func 0 ( int arg 0 ) { type 0 func 1 = num 0 ; return func 1 ? func 1 ( arg 0 ) : num 0 ; }")
        try checkRestore(callable)
        let lambda = "int g(int x) { auto twice = [](int v) { return 2 * v; }; int y = 0; return twice(x) + y; }\n"
        XCTAssertEqual(tokens(lambda, .cpp),
                       "int func 0 ( int arg 0 ) { auto func 1 = [ ] ( int arg 1 ) { return num 0 * arg 1 ; } ; int var 0 = num 1 ; return func 1 ( arg 0 ) + var 0 ; }")
        try checkRestore(lambda, .cpp)
        let functions = "int (*fp)(int);\nint e(int);\nint k(void) { int a[2] = {0, 1}; return fp(1) + e(2) + a[0]; }\n"
        XCTAssertEqual(tokens(functions),
                       "int ( * func 0 ) ( int ) ; int func 1 ( int ) ; int func 2 ( void ) { int arr 0 [ num 0 ] = { num 1 , num 2 } ; return func 0 ( num 2 ) + func 1 ( num 0 ) + arr 0 [ num 1 ] ; }")
        try checkRestore(functions)
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

    /// Rule 6: OpenMP and OpenACC words stay words in macros that wrap `_Pragma` and in their calls' arguments.
    func testPragmaWrappingMacros() throws {
        let code = """
            #define PRAGMA(x) _Pragma(#x)
            #define OMP_FOR(x) PRAGMA(omp for x)
            #define OMP_SIMD PRAGMA(omp simd)
            #define OMP_TARGET(x) PRAGMA(omp target x)
            #define STR(x) #x
            #define ACC(x) _Pragma(STR(acc x))
            void f(int n, double *a, double s) {
            #pragma omp parallel
              {
                OMP_FOR(schedule(static) reduction(+:s))
                for (int i = 0; i < n; i++) s += a[i];
              }
              OMP_SIMD
              for (int i = 0; i < n; i++) a[i] += s;
              OMP_TARGET(teams distribute parallel for simd map(tofrom: a[0:n]))
              for (int i = 0; i < n; i++) a[i] *= 2;
              ACC(parallel loop gang)
              for (int i = 0; i < n; i++) a[i] -= 1;
              PRAGMA(omp barrier)
            }

            """
        XCTAssertEqual(tokens(code), """
            #define func 0 ( var 0 ) _Pragma ( # var 0 ) [NL] #define func 1 ( var 0 ) func 0 ( omp for var 0 ) \
            [NL] #define var 1 func 0 ( omp simd ) [NL] #define func 2 ( var 0 ) func 0 ( omp target var 0 ) \
            [NL] #define func 3 ( var 0 ) # var 0 [NL] #define func 4 ( var 0 ) _Pragma ( func 3 ( acc var 0 ) ) \
            [NL] void func 5 ( int arg 0 , double * arg 1 , double arg 2 ) { #pragma omp parallel [NL] { func 1 \
            ( schedule ( static ) reduction ( + : arg 2 ) ) for ( int var 2 = num 0 ; var 2 < arg 0 ; var 2 ++ ) \
            arg 2 += arg 1 [ var 2 ] ; } var 1 for ( int var 2 = num 0 ; var 2 < arg 0 ; var 2 ++ ) arg 1 [ var \
            2 ] += arg 2 ; func 2 ( teams distribute parallel for simd map ( tofrom : arg 1 [ num 0 : arg 0 ] ) \
            ) for ( int var 2 = num 0 ; var 2 < arg 0 ; var 2 ++ ) arg 1 [ var 2 ] *= num 1 ; func 4 ( parallel \
            loop gang ) for ( int var 2 = num 0 ; var 2 < arg 0 ; var 2 ++ ) arg 1 [ var 2 ] -= num 2 ; func 0 ( \
            omp barrier ) }
            """)
        try checkRestore(code)
        // A macro that reaches no `_Pragma` reads its arguments as code.
        XCTAssertEqual(tokens("#define F(x) g(x)\nvoid h(void) { F(omp for simd); }"),
                       "#define func 0 ( var 0 ) func 1 ( var 0 ) [NL] void func 2 ( void ) { func 0 ( var 1 for var 2 ) ; }")
    }

    /// Rule 7: an object-like macro defined as a type name is a type, in its `#define` and wherever it is used.
    func testMacrosDefinedAsTypes() throws {
        let code = """
            #define DTYPE double
            #define PDTYPE DTYPE *
            #define NODE struct node
            #define UL unsigned long
            #define N 64
            #define CONST const
            struct node { int v; };
            void f(DTYPE *b, PDTYPE c, NODE *d, UL n) { b[0] = (DTYPE) N + sizeof(DTYPE) + c[0] + d->v + n; }
            #ifdef DTYPE
            #undef DTYPE
            #endif

            """
        XCTAssertEqual(tokens(code), """
            #define type 0 double [NL] #define type 1 type 0 * [NL] #define type 2 struct type 3 [NL] #define \
            type 4 unsigned long [NL] #define var 0 num 0 [NL] #define var 1 const [NL] struct type 3 { int \
            field 0 ; } ; void func 0 ( type 0 * arg 0 , type 1 arg 1 , type 2 * arg 2 , type 4 arg 3 ) { arg 0 \
            [ num 1 ] = ( type 0 ) var 0 + sizeof ( type 0 ) + arg 1 [ num 1 ] + arg 2 -> field 0 + arg 3 ; } \
            #ifdef type 0 [NL] #undef type 0 [NL] #endif [NL]
            """)
        try checkRestore(code)
        // Without the `#define` the use reads the same.
        XCTAssertEqual(tokens("void f(DTYPE *b) { b[0] = 1; }"), tokens("#define DTYPE double\nvoid f(DTYPE *b) { b[0] = 1; }")
            .replacingOccurrences(of: "#define type 0 double [NL] ", with: ""))
    }
}

import XCTest
import CodeLexers

final class StructureTests: XCTestCase {
    private func structure(_ source: String, _ lexer: Lexer) -> (SourceStructure, [UInt8]) {
        let bytes = Array(source.utf8)
        return (lexer.structure(of: bytes), bytes)
    }

    /// Functions as `name@startLine-endLine`.
    private func functions(_ source: String, _ lexer: Lexer) -> [String] {
        structure(source, lexer).0.functions.map { "\($0.name)@\($0.span.startLine)-\($0.span.endLine)" }
    }

    /// Loops as `kind@startLine-endLine/depth`.
    private func loops(_ source: String, _ lexer: Lexer) -> [String] {
        structure(source, lexer).0.loops.map { "\($0.kind.rawValue)@\($0.span.startLine)-\($0.span.endLine)/\($0.depth)" }
    }

    // MARK: - C family functions

    func testCFunctions() {
        let source = """
        #include <stdio.h>
        static int counter;
        struct point { double x, y; };
        typedef struct { int a; } pair_t;
        static inline double
        dot(const struct point *a,
            const struct point *b)
        {
            if (a) { return a->x * b->x; }
            return 0;
        }
        int table[] = {1, 2, 3};
        struct point origin(void) { struct point p = {0, 0}; return p; }
        void (*handler)(int) = NULL;
        int main(int argc, char **argv) {
            for (int i = 0; i < argc; i++) { puts(argv[i]); }
            return 0;
        }
        """
        XCTAssertEqual(functions(source, Lexer(.c)), ["dot@5-11", "origin@13-13", "main@15-18"])
        let (result, bytes) = structure(source, Lexer(.c))
        XCTAssertEqual(result.functions[0].span.text(in: bytes).hasPrefix("static inline double\ndot("), true)
        XCTAssertEqual(result.functions[0].span.text(in: bytes).hasSuffix("return 0;\n}"), true)
        XCTAssertEqual(bytes[result.functions[0].bodyStart], UInt8(ascii: "{"))
        XCTAssertTrue(result.functions.allSatisfy { $0.isComplete && $0.kind == .function && $0.parent == nil })
    }

    func testCPlusPlusFunctions() {
        XCTAssertEqual(functions(Snippets.cppTemplates, Lexer(.cpp)), [
            "Grid@6-6", "~Grid@7-7", "operator()@8-8", "size@9-9", "Grid<T>::sum@14-19", "c_api@21-21",
        ])
        let source = """
        namespace a { namespace b {
        struct V {
            V() = default;
            bool operator==(const V& o) const noexcept { return true; }
            operator const int*() const { return nullptr; }
            operator std::array<int, 2>() const { return {}; }
            void* operator new[](size_t n) { return nullptr; }
            friend V operator+(V l, V r) { return l; }
            int get() const override final { return 1; }
          private:
            int x = 0;
        };
        } }
        extern "C" {
        int from_c(void) { return 0; }
        }
        enum class E : int { A, B };
        auto lambda = [](int x) { return x; };
        MODULE_EXPORT(thing)
        void after_macro() {}
        template <> void spec<int>(int v) {}
        """
        XCTAssertEqual(functions(source, Lexer(.cpp)), [
            "operator==@4-4", "operator const int*@5-5", "operator std::array<int,2>@6-6", "operator new[]@7-7",
            "operator+@8-8", "get@9-9", "from_c@15-15", "after_macro@20-20", "spec<int>@21-21",
        ])
    }

    func testControlStatementsAreNotFunctions() {
        let source = """
        void f(int n) {
            if (n) { n--; }
            while (n) { n--; }
            switch (n) { case 1: break; }
        }
        #define LOOP for (;;) { }
        """
        XCTAssertEqual(functions(source, Lexer(.c)), ["f@1-5"])
        // K&R definitions are not recognized; the function after one still is.
        XCTAssertEqual(functions("int old(a, b) int a; int b; { return a; }\nint g(void) { return 1; }", Lexer(.c)), ["g@2-2"])
    }

    func testPreprocessorBranches() {
        // Alternative heads: only the first branch counts, so the braces stay balanced.
        let heads = """
        #ifdef WIDE
        void f(long x) {
        #else
        void f(int x) {
        #endif
            x++;
        }
        void g(void) {}
        """
        XCTAssertEqual(functions(heads, Lexer(.c)), ["f@2-7", "g@8-8"])
        // Balanced alternatives are all seen; `#if 0` is dead code.
        let balanced = """
        #if defined(FAST)
        static int h(void) { return 1; }
        #else
        static int h(void) { return 2; }
        #endif
        #if 0
        int dead(void) { return 0; }
        #else
        int alive(void) { return 0; }
        #endif
        """
        XCTAssertEqual(functions(balanced, Lexer(.c)), ["h@2-2", "h@4-4", "alive@9-9"])
    }

    func testCUDAAndOpenCLKernels() {
        XCTAssertEqual(functions(Snippets.cudaKernel, Lexer(.cuda)), ["transpose@2-9", "launch@10-14"])
        XCTAssertEqual(loops(Snippets.cudaKernel, Lexer(.cuda)), ["for@6-7/0"])
        XCTAssertEqual(functions(Snippets.openCLKernel, Lexer(.opencl)), ["nstream@1-7"])
    }

    // MARK: - C family loops

    func testCLoops() {
        XCTAssertEqual(loops(Snippets.cStencil, Lexer(.c)), ["for@12-17/0", "for@13-17/1", "doWhile@28-28/0", "while@29-29/0"])
        let source = """
        void f(int n, int *a) {
            for (int i = 0; i < n; i++)
                if (a[i]) a[i]--; else a[i]++;
            for (;;) { if (n) break; }
            while (n--)
                for (int j = 0; j < n; j++)
                    do a[j]++; while (a[j] < 0);
            label: for (auto x : range) x++;
            for (int i = 0; i < n; i++) switch (a[i]) { case 0: continue; default: break; }
        }
        """
        XCTAssertEqual(loops(source, Lexer(.cpp)), [
            "for@2-3/0", "for@4-4/0", "while@5-7/0", "for@6-7/1", "doWhile@7-7/2", "for@8-8/0", "for@9-9/0",
        ])
        let (result, _) = structure(source, Lexer(.cpp))
        XCTAssertTrue(result.loops.allSatisfy { $0.function == 0 && $0.isComplete })
        // A `for` in a macro argument is not a loop; an unclosed one is incomplete.
        XCTAssertEqual(loops("OMP_FOR(parallel for simd)\nfor (i = 0; i < n; i++) x();", Lexer(.c)), ["for@2-2/0"])
        let (open, _) = structure("void f() { for (;;) { x();", Lexer(.c))
        XCTAssertEqual(open.loops.map(\.isComplete), [false])
        XCTAssertEqual(open.functions.map(\.isComplete), [false])
    }

    func testDirectivesAttachToLoops() {
        let source = """
        void f(int n, double *a, double *b) {
            #pragma omp parallel for simd reduction(+:s) \\
                private(t)
            for (int i = 0; i < n; i++) a[i] = b[i];

            #pragma omp parallel
            {
                #pragma omp for nowait
                // a comment between
                for (int i = 0; i < n; i++) a[i] = 0;
                #pragma omp barrier
                for (int i = 0; i < n; i++) b[i] = 0;
            }
        #ifdef _OPENACC
            #pragma acc parallel loop gang
        #else
            #pragma omp target teams distribute parallel for
        #endif
            for (int i = 0; i < n; i++) a[i] *= 2;
            #pragma omp parallel
            #pragma unroll 4
            for (int i = 0; i < n; i++) a[i] += 1;
            x = 1;
            for (int i = 0; i < n; i++) a[i] -= 1;
        }
        """
        let (result, bytes) = structure(source, Lexer(.c))
        XCTAssertEqual(result.directives.count, 7)
        let attached = result.loops.map { $0.directive?.text }
        XCTAssertEqual(attached, [
            "#pragma omp parallel for simd reduction(+:s) \\\n        private(t)",
            "#pragma omp for nowait",
            nil,
            // Both balanced branches are visible; the nearest loop construct wins.
            "#pragma omp target teams distribute parallel for",
            "#pragma omp parallel",
            nil,
        ])
        let first = result.loops[0]
        XCTAssertEqual(first.directive?.span.startLine, 2)
        XCTAssertEqual(first.directive?.span.endLine, 3)
        XCTAssertEqual(first.directive?.info.isLoopConstruct, true)
        XCTAssertEqual(first.span.text(in: bytes), "for (int i = 0; i < n; i++) a[i] = b[i];")
        XCTAssertEqual(result.loops[4].directive?.info.isLoopConstruct, false)
        XCTAssertEqual(result.directives.map(\.info.family), [.openMP, .openMP, .openMP, .openMP, .openACC, .openMP, .openMP])
    }

    // MARK: - Fortran

    func testFortranFunctionsAndLoops() {
        let lexer = Lexer(.fortran)
        XCTAssertEqual(functions(Snippets.fortranFree, lexer), ["total@6-14", "apply@16-42", "helper@39-41"])
        let (result, bytes) = structure(Snippets.fortranFree, lexer)
        XCTAssertEqual(result.functions.map(\.kind), [.function, .subroutine, .subroutine])
        XCTAssertEqual(result.functions.map(\.parent), [nil, nil, 1])
        XCTAssertEqual(loops(Snippets.fortranFree, lexer), [
            "fortranDo@11-13/0", "fortranDo@24-30/0", "fortranDo@25-29/1", "fortranDo@32-34/0", "fortranDoWhile@35-37/0",
        ])
        XCTAssertEqual(result.loops.map(\.label), [nil, "outer", nil, "10", nil])
        XCTAssertEqual(result.loops.map(\.function), [0, 1, 1, 1, 1])
        let parallel = result.loops[1]
        XCTAssertEqual(parallel.directive?.text, "!$omp parallel do private(i, j) &\n    !$omp& reduction(+:value) schedule(static)")
        XCTAssertEqual(parallel.directive?.span.startLine, 22)
        XCTAssertEqual(parallel.directive?.span.endLine, 23)
        XCTAssertEqual(parallel.endDirective?.text, "!$omp end parallel do")
        XCTAssertEqual(parallel.endDirective?.span.startLine, 31)
        XCTAssertTrue(parallel.span.text(in: bytes).hasPrefix("outer: do j = 2, n-1"))
        XCTAssertTrue(parallel.span.text(in: bytes).hasSuffix("end do outer"))
        XCTAssertEqual(result.directives.count, 2)
    }

    func testFortranProcedureForms() {
        let source = """
        module m
          interface
            function iface(x) result(y)
              real :: x, y
            end function iface
          end interface
          interface gen
            module procedure a, b
          end interface
          type :: t
          contains
            procedure :: run
          end type t
        contains
          recursive integer function fact(n) result(r)
            integer, intent(in) :: n
            r = 1
          end function fact
          elemental real(kind=8) function sq(x)
            real(kind=8), intent(in) :: x
            sq = x*x
          end function
          subroutine run(self)
            class(t) :: self
          endsubroutine run
          type(t) function make()
          end function make
        end module m
        submodule (m) impl
        contains
          module procedure helper
            print *, 'x'
          end procedure helper
        end submodule impl
        double precision function legacy(x)
        legacy = x
        end
        attributes(global) subroutine kernel(n)
        end subroutine kernel
        """
        XCTAssertEqual(functions(source, Lexer(.fortran)), [
            "fact@15-18", "sq@19-22", "run@23-25", "make@26-27", "helper@31-33", "legacy@35-37", "kernel@38-39",
        ])
        let (result, _) = structure(source, Lexer(.fortran))
        XCTAssertEqual(result.functions.map(\.kind),
                       [.function, .function, .subroutine, .function, .procedure, .function, .subroutine])
    }

    func testFortranLabelledAndNestedLoops() {
        let source = """
        subroutine s(a, n)
          do 20 j = 1, n
            do 20, i = 1, n
              a(i, j) = 0
        20 continue
          do k = 1, n
            do concurrent (i = 1:n)
              a(i, k) = 1
            end do
          end do
          !$omp parallel
          !$omp do
          do i = 1, n
          end do
          !$omp end do
          !$omp end parallel
          !$omp barrier
          do i = 1, n
          end do
        end subroutine
        """
        XCTAssertEqual(loops(source, Lexer(.fortran)), [
            "fortranDo@2-5/0", "fortranDo@3-5/1", "fortranDo@6-10/0", "fortranDoConcurrent@7-9/1", "fortranDo@13-14/0",
            "fortranDo@18-19/0",
        ])
        let (result, _) = structure(source, Lexer(.fortran))
        XCTAssertEqual(result.loops.map { $0.directive?.text }, [nil, nil, nil, nil, "!$omp do", nil])
        XCTAssertEqual(result.loops[4].endDirective?.text, "!$omp end do")
        XCTAssertEqual(result.directives.count, 5)
    }

    func testFixedFormStructure() {
        let lexer = Lexer(.fortran, fortranForm: .fixed)
        XCTAssertEqual(functions(Snippets.fortranFixed, lexer), ["SUB@19-27", "F@28-30"])
        XCTAssertEqual(loops(Snippets.fortranFixed, lexer), ["fortranDo@11-14/0", "fortranDo@22-25/0", "fortranDo@23-25/1"])
        let (result, _) = structure(Snippets.fortranFixed, lexer)
        XCTAssertEqual(result.loops[0].directive?.text, "c$omp parallel do private(i)\nc$omp+ reduction(+:s)")
        XCTAssertEqual(result.loops[0].endDirective?.text, "!$OMP END PARALLEL DO")
        XCTAssertEqual(result.loops[0].function, nil)
        XCTAssertEqual(result.loops[1].function, 0)
    }

    func testStructureFromTokensWithoutWhitespace() {
        for (name, source, lexers) in Snippets.all {
            let bytes = Array(source.utf8)
            for lexer in lexers {
                let quiet = Lexer(options: LexerOptions(language: lexer.options.language, fortranForm: lexer.options.fortranForm,
                                                        digraphs: lexer.options.digraphs, whitespace: false))
                let expected = lexer.structure(of: bytes)
                let fromQuietTokens = bytes.withUnsafeBytes { quiet.structure(of: $0, tokens: quiet.tokenize($0)) }
                XCTAssertEqual(fromQuietTokens.functions, expected.functions, name)
                XCTAssertEqual(fromQuietTokens.loops.map(\.span), expected.loops.map(\.span), name)
            }
        }
    }
}

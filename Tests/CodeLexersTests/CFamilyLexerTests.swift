import XCTest
import CodeLexers

final class CFamilyLexerTests: XCTestCase {
    private let c = Lexer(.c)
    private let cpp = Lexer(.cpp)
    private let cuda = Lexer(.cuda)
    private let opencl = Lexer(.opencl)

    func testDeclarationsAndOperators() {
        XCTAssertEqual(lex("unsigned long x = a->b++ << 2, *p = &y; x >>= 1;", c),
                       "ty:unsigned ty:long id:x op:= id:a op:-> id:b op:++ op:<< num:2 op:, op:* id:p op:= op:& id:y op:; "
                       + "id:x op:>>= num:1 op:;")
        XCTAssertEqual(lex("a...b a!=b a&&b||c ~d ? e : f; g ## h", c),
                       "id:a op:... id:b id:a op:!= id:b id:a op:&& id:b op:|| id:c op:~ id:d op:? id:e op:: id:f op:; "
                       + "id:g op:## id:h")
        XCTAssertEqual(lex("a.*b c->*d x<=>y std::vector<int>", cpp),
                       "id:a op:.* id:b id:c op:->* id:d id:x op:<=> id:y id:std op::: id:vector op:< ty:int op:>")
        // `size_t` and the fixed-width typedefs are type names, as in Tokompiler's grammar; `ptrdiff_t` is not.
        XCTAssertEqual(lex("size_t n; int32_t k; ptrdiff_t d; _Bool b;", c),
                       "ty:size_t id:n op:; ty:int32_t id:k op:; id:ptrdiff_t id:d op:; ty:_Bool id:b op:;")
        // C++ keywords are plain names in C.
        XCTAssertEqual(lex("int class, new, this;", c), "ty:int id:class op:, id:new op:, id:this op:;")
        XCTAssertEqual(lex("int class, new, this;", cpp), "ty:int kw:class op:, kw:new op:, kw:this op:;")
    }

    func testNumbers() {
        XCTAssertEqual(lex("0x1Fu 1e-3f .5 1.0L 0x1p-3 1'000'000 12_km 0b1010 07 1.e+5", cpp),
                       "num:0x1Fu num:1e-3f num:.5 num:1.0L num:0x1p-3 num:1'000'000 num:12_km num:0b1010 num:07 num:1.e+5")
        XCTAssertEqual(lex("a-1 b+2.5e3", c), "id:a op:- num:1 id:b op:+ num:2.5e3")
    }

    func testStringsAndCharacters() {
        XCTAssertEqual(lex(#"s = "a\"b" L"w" u8"u" U'x' '\'' '\\';"#, c),
                       #"id:s op:= str:"a\"b" str:L"w" str:u8"u" chr:U'x' chr:'\'' chr:'\\' op:;"#)
        // A URL in a string is not a comment.
        XCTAssertEqual(lex(#"p("http://x/*y*/");"#, c), #"id:p op:( str:"http://x/*y*/" op:) op:;"#)
        // C++ user-defined and standard literal suffixes; C keeps `"%"PRIu64` apart.
        XCTAssertEqual(lex(#"auto a = "x"_s + "y"s + 'c'_ch;"#, cpp), #"kw:auto id:a op:= str:"x"_s op:+ str:"y"s op:+ chr:'c'_ch op:;"#)
        XCTAssertEqual(lex(#"printf("%"PRIu64, v);"#, c), #"id:printf op:( str:"%" id:PRIu64 op:, id:v op:) op:;"#)
        XCTAssertEqual(lex(#"printf("%"PRIu64, v);"#, cpp), #"id:printf op:( str:"%" id:PRIu64 op:, id:v op:) op:;"#)
    }

    func testRawStrings() {
        let source = "auto r = R\"sep(a )\" \"sep\n)sep\"_t; auto q = LR\"(x)\"; R\"bad delim(x)\";"
        XCTAssertEqual(lex(source, cpp),
                       "kw:auto id:r op:= str:R\"sep(a )\" \"sep\n)sep\"_t op:; kw:auto id:q op:= str:LR\"(x)\" op:; "
                       + "id:R str:\"bad delim(x)\" op:;")
        // In C, `R"..."` is a name followed by a string.
        XCTAssertEqual(lex("R\"(x)\"", c), "id:R str:\"(x)\"")
        let bytes = Array(source.utf8)
        let raw = cpp.tokenize(bytes).first { $0.kind == .string }
        XCTAssertEqual(raw?.flags.contains(.multiline), true)
        XCTAssertEqual(cpp.tokenize(bytes).last?.line, 2)
    }

    func testCommentsAndContinuations() {
        let source = "a = 1; // note \\\n still comment\nb /* x\n y */ = 2;\\\nc = 3;"
        let bytes = Array(source.utf8)
        let tokens = c.tokenize(bytes)
        assertTiles(tokens, bytes)
        XCTAssertEqual(render(tokens, bytes),
                       "id:a op:= num:1 op:; com:// note \\\n still comment id:b com:/* x\n y */ op:= num:2 op:; "
                       + "cont:\\\n id:c op:= num:3 op:;")
        XCTAssertEqual(tokens.first { $0.kind == .continuation }?.line, 4)
        XCTAssertEqual(tokens.last?.line, 5)
        // CRLF line ends are one newline token each; a lone CR is whitespace.
        let crlf = Array("a\r\nb\rc".utf8)
        XCTAssertEqual(c.tokenize(crlf).map(\.kind), [.identifier, .newline, .identifier, .whitespace, .identifier])
        // A backslash not before a line break starts nothing.
        XCTAssertEqual(lex("a \\ b", c), "id:a unk:\\ id:b")
    }

    func testDigraphsAreOptional() {
        XCTAssertEqual(lex("a<:1:> <%%> %:define", c), "id:a op:< op:: num:1 op:: op:> op:< op:% op:% op:> op:% op:: id:define")
        let digraphs = Lexer(.c, digraphs: true)
        XCTAssertEqual(lex("a<:1:> <% %>", digraphs), "id:a op:<: num:1 op::> op:<% op:%>")
        XCTAssertEqual(lex("%:define X 1", digraphs), "dir:%:define X 1")
        // C++11: `<::` is `<` then `::` unless `:` or `>` follows.
        XCTAssertEqual(lex("A<::B> c<::> d<:::>", Lexer(.cpp, digraphs: true)),
                       "id:A op:< op::: id:B op:> id:c op:<: op::> id:d op:<: op::: op:>")
    }

    func testDirectivesAreWholeLines() {
        let source = """
        #include <stdio.h>
          #  define MAX(a, b) \\
             ((a) > (b) ? (a) : (b)) /* two
                                        lines */
        int x; # not a directive
        #pragma omp parallel for // trailing
        """
        let bytes = Array(source.utf8)
        let tokens = c.tokenize(bytes)
        assertTiles(tokens, bytes)
        let directives = tokens.filter { $0.kind == .directive }
        XCTAssertEqual(directives.map { $0.text(in: bytes) }, [
            "#include <stdio.h>",
            "#  define MAX(a, b) \\\n     ((a) > (b) ? (a) : (b)) /* two\n                                lines */",
            "#pragma omp parallel for // trailing",
        ])
        XCTAssertEqual(directives.map(\.line), [1, 2, 6])
        XCTAssertEqual(directives[1].column, 3)
        XCTAssertTrue(directives[1].flags.contains(.multiline))
        XCTAssertEqual(render(tokens, bytes).contains("op:# kw:not"), false)
        XCTAssertTrue(render(tokens, bytes).contains("op:# id:not id:a id:directive"))
        // A `/*` inside a directive's string does not extend the directive.
        XCTAssertEqual(lex("#define S \"/*\"\nint y;", c), "dir:#define S \"/*\" ty:int id:y op:;")
    }

    func testDirectiveBodies() {
        let source = "int a;\n  #pragma omp parallel for reduction(+:sum) \\\n      private(i, j) schedule(static, 4)\n"
        let bytes = Array(source.utf8)
        let tokens = c.tokenize(bytes)
        guard let directive = tokens.first(where: { $0.kind == .directive }) else { return XCTFail("no directive") }
        let body = c.directiveBody(of: directive, in: bytes)
        assertTiles(body, bytes, range: directive.range)
        XCTAssertEqual(render(body, bytes),
                       "intro:# kw:pragma kw:omp kw:parallel kw:for kw:reduction op:( op:+ op:: id:sum op:) cont:\\\n "
                       + "kw:private op:( id:i op:, id:j op:) kw:schedule op:( kw:static op:, num:4 op:)")
        // Positions are those of the whole input.
        let sum = body.first { $0.text(in: bytes) == "sum" }
        XCTAssertEqual(sum?.line, 2)
        XCTAssertEqual(sum?.column, 40)
        XCTAssertEqual(sum.map { Array(bytes[$0.range]) }, Array("sum".utf8))
        let privateWord = body.first { $0.text(in: bytes) == "private" }
        XCTAssertEqual(privateWord?.line, 3)
        XCTAssertEqual(privateWord?.column, 7)
        let info = c.directiveInfo(of: directive, in: bytes)
        XCTAssertEqual(info, DirectiveInfo(family: .openMP, name: "pragma",
                                           words: ["parallel", "for", "reduction", "private", "schedule"]))
        XCTAssertEqual(info?.isLoopConstruct, true)
        XCTAssertEqual(info?.constructWords, ["parallel", "for"])
    }

    func testOpenMPClauseWordsVersusVariables() {
        func body(_ pragma: String, _ lexer: Lexer = Lexer(.c)) -> String {
            let bytes = Array(pragma.utf8)
            guard let token = lexer.tokenize(bytes).first else { return "" }
            return render(lexer.directiveBody(of: token, in: bytes), bytes)
        }
        XCTAssertEqual(body("#pragma omp target teams distribute map(tofrom: a[0:n]) map(to) reduction(max: to)"),
                       "intro:# kw:pragma kw:omp kw:target kw:teams kw:distribute kw:map op:( kw:tofrom op:: id:a op:[ num:0 "
                       + "op:: id:n op:] op:) kw:map op:( id:to op:) kw:reduction op:( kw:max op:: id:to op:)")
        XCTAssertEqual(body("#pragma omp parallel default(none) shared(none_) proc_bind(close) num_threads(nt)"),
                       "intro:# kw:pragma kw:omp kw:parallel kw:default op:( kw:none op:) kw:shared op:( id:none_ op:) "
                       + "kw:proc_bind op:( kw:close op:) kw:num_threads op:( id:nt op:)")
        XCTAssertEqual(body("#pragma omp critical (update) "), "intro:# kw:pragma kw:omp kw:critical op:( id:update op:)")
        XCTAssertEqual(body("#pragma acc parallel loop gang vector_length(128) copyin(a[0:n]) default(present)"),
                       "intro:# kw:pragma kw:acc kw:parallel kw:loop kw:gang kw:vector_length op:( num:128 op:) kw:copyin "
                       + "op:( id:a op:[ num:0 op:: id:n op:] op:) kw:default op:( kw:present op:)")
        // Other pragmas keep the language's classification.
        XCTAssertEqual(body("#pragma GCC ivdep"), "intro:# kw:pragma id:GCC id:ivdep")
        XCTAssertEqual(body("#include <sys/time.h> // x"), "intro:# kw:include hdr:<sys/time.h> com:// x")
        XCTAssertEqual(body("#include \"a.h\""), "intro:# kw:include str:\"a.h\"")
        XCTAssertEqual(body("#if defined(_OPENMP) && X > 1"),
                       "intro:# kw:if kw:defined op:( id:_OPENMP op:) op:&& id:X op:> num:1")
        XCTAssertEqual(body("#define N 64"), "intro:# kw:define id:N num:64")
        let include = Array("#include <mpi.h>".utf8)
        XCTAssertEqual(c.directiveInfo(of: c.tokenize(include)[0], in: include)?.words, ["<mpi.h>"])
        // Tokens that are not directives come back alone.
        let plain = Array("x".utf8)
        XCTAssertEqual(c.directiveBody(of: c.tokenize(plain)[0], in: plain), c.tokenize(plain))
        XCTAssertNil(c.directiveInfo(of: c.tokenize(plain)[0], in: plain))
    }

    /// Pragma text written as code (the argument of a macro that expands to `_Pragma`) gets the words of a
    /// `#pragma omp` or `#pragma acc` line.
    func testParallelWordsInPragmaText() {
        func marked(_ text: String, _ vocabulary: DirectiveVocabulary = .openMP) -> String {
            let bytes = Array(text.utf8)
            var tokens = c.tokenize(bytes).filter { $0.kind != .whitespace }
            bytes.withUnsafeBytes { Lexer.markParallelWords(&tokens, in: $0, vocabulary: vocabulary) }
            return render(tokens, bytes)
        }
        XCTAssertEqual(marked("omp for schedule(static) reduction(+:s) x"),
                       "kw:omp kw:for kw:schedule op:( kw:static op:) kw:reduction op:( op:+ op:: id:s op:) kw:x")
        XCTAssertEqual(marked("teams distribute map(tofrom: a[0:n]) device(device)"),
                       "kw:teams kw:distribute kw:map op:( kw:tofrom op:: id:a op:[ num:0 op:: id:n op:] op:) kw:device "
                       + "op:( id:device op:)")
        // A leading sentinel chooses the vocabulary; without one the caller's applies.
        XCTAssertEqual(marked("acc loop gang vector_length(v)"),
                       "kw:acc kw:loop kw:gang kw:vector_length op:( id:v op:)")
        XCTAssertEqual(marked("default(present)", .openACC), "kw:default op:( kw:present op:)")
    }

    func testCUDA() {
        XCTAssertEqual(lex("__global__ void k(float *__restrict__ a) { __shared__ float s[32]; }", cuda),
                       "kw:__global__ ty:void id:k op:( ty:float op:* kw:__restrict__ id:a op:) op:{ kw:__shared__ ty:float "
                       + "id:s op:[ num:32 op:] op:; op:}")
        XCTAssertEqual(lex("k<<<grid, block, 0, stream>>>(a, n); v<vector<int>> x; y = a >> 2;", cuda),
                       "id:k op:<<< id:grid op:, id:block op:, num:0 op:, id:stream op:>>> op:( id:a op:, id:n op:) op:; "
                       + "id:v op:< id:vector op:< ty:int op:>> id:x op:; id:y op:= id:a op:>> num:2 op:;")
        XCTAssertEqual(lex("k<<<dimGrid, dimBlock>>>(x);", cpp),
                       "id:k op:<< op:< id:dimGrid op:, id:dimBlock op:>> op:> op:( id:x op:) op:;")
        XCTAssertEqual(lex("__device__ __host__ __constant__ __managed__ __forceinline__ threadIdx", cuda),
                       "kw:__device__ kw:__host__ kw:__constant__ kw:__managed__ kw:__forceinline__ id:threadIdx")
        XCTAssertEqual(lex("__global__", cpp), "id:__global__")
    }

    func testOpenCL() {
        XCTAssertEqual(lex("__kernel void f(__global float4 *a, global int *b, local half *c, constant uint *d, private int e)", opencl),
                       "kw:__kernel ty:void id:f op:( kw:__global ty:float4 op:* id:a op:, kw:global ty:int op:* id:b op:, "
                       + "kw:local ty:half op:* id:c op:, kw:constant ty:uint op:* id:d op:, kw:private ty:int id:e op:)")
        XCTAssertEqual(lex("kernel void g(read_only image2d_t img, sampler_t s)", opencl),
                       "kw:kernel ty:void id:g op:( kw:read_only ty:image2d_t id:img op:, ty:sampler_t id:s op:)")
        XCTAssertEqual(lex("global local kernel", c), "id:global id:local id:kernel")
    }

    func testUnknownBytesAndUTF8() {
        XCTAssertEqual(lex("a @ `b` \u{0}c", c), "id:a unk:@ unk:` id:b unk:` unk:\u{0} id:c")
        // UTF-8 letters (and stray high bytes) are part of names, as in C++ and GCC.
        XCTAssertEqual(lex("int été = 1;", c), "ty:int id:été op:= num:1 op:;")
        let invalid: [UInt8] = [0x69, 0x6E, 0x74, 0x20, 0xFF, 0xFE, 0x3B]
        let tokens = c.tokenize(invalid)
        assertTiles(tokens, invalid)
        XCTAssertEqual(tokens.map(\.kind), [.typeKeyword, .whitespace, .identifier, .punctuator])
    }

    func testSnippetsTileAndCountTokens() {
        for (name, source, lexers) in Snippets.all {
            let bytes = Array(source.utf8)
            for lexer in lexers {
                let tokens = lexer.tokenize(bytes)
                assertTiles(tokens, bytes, name)
                XCTAssertFalse(tokens.contains { $0.kind == .unknown }, name)
            }
        }
    }

    func testStencilSnippetGolden() {
        let bytes = Array(Snippets.cStencil.utf8)
        let tokens = c.tokenize(bytes)
        let lines = render(tokens, bytes).components(separatedBy: " ")
        XCTAssertEqual(Array(lines.prefix(4)), ["dir:#include", "<mpi.h>", "dir:#include", "\"stencil.h\""])
        let directives = tokens.filter { $0.kind == .directive }.map { $0.text(in: bytes) }
        XCTAssertEqual(directives.count, 4)
        XCTAssertEqual(directives[3], "#pragma omp parallel for reduction(+:norm) \\\n        schedule(static) collapse(2)")
        let literals = tokens.filter { [.string, .character, .number].contains($0.kind) }.map { $0.text(in: bytes) }
        XCTAssertEqual(literals, [
            "\"5-point // stencil\"", "0.0", "1", "1", "1", "1", "0.25", "1", "1", "1", "1", "1e-3f", "'\\''",
            "0xFFul", "1'000'000", "0", "10", "0", "2", "0",
        ])
        // The two-line comment belongs to the `#define`; one comment stands alone.
        XCTAssertEqual(tokens.filter { $0.kind == .comment }.count, 1)
        XCTAssertEqual(tokens.filter { $0.kind == .identifier && $0.text(in: bytes).hasPrefix("MPI_") }.map { $0.text(in: bytes) },
                       ["MPI_Init", "MPI_Comm_rank", "MPI_COMM_WORLD", "MPI_Finalize"])
    }
}

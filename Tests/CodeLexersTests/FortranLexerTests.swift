import XCTest
import CodeLexers

final class FortranLexerTests: XCTestCase {
    private let free = Lexer(.fortran, fortranForm: .free)
    private let fixed = Lexer(.fortran, fortranForm: .fixed)

    func testKeywordsAreCaseInsensitive() {
        XCTAssertEqual(lex("SUBROUTINE Foo(X)\n  Implicit None\n  END subroutine foo", free),
                       "kw:SUBROUTINE id:Foo op:( id:X op:) kw:Implicit kw:None kw:END kw:subroutine id:foo")
        XCTAssertEqual(lex("DOUBLE PRECISION :: x\nreal(kind=8) :: y\nlogical :: ok", free),
                       "ty:DOUBLE ty:PRECISION op::: id:x ty:real op:( id:kind op:= num:8 op:) op::: id:y ty:logical op::: id:ok")
    }

    func testKeywordsStandOnlyWhereKeywordsCan() {
        // Fortran does not reserve its keywords: these are variables.
        XCTAssertEqual(lex("data = 1\nvalue(i) = 2\nx = result + data(3)\ny%data = 4\ncall f(data)", free),
                       "id:data op:= num:1 id:value op:( id:i op:) op:= num:2 id:x op:= id:result op:+ id:data op:( num:3 op:) "
                       + "id:y op:% id:data op:= num:4 kw:call id:f op:( id:data op:)")
        XCTAssertEqual(lex("read(10, *, end=100) n", free), "kw:read op:( num:10 op:, op:* op:, id:end op:= num:100 op:) id:n")
        // And these are keywords.
        XCTAssertEqual(lex("integer, intent(in), target :: n\nif (x) then\nelse if (y) then\nend if", free),
                       "ty:integer op:, kw:intent op:( kw:in op:) op:, kw:target op::: id:n kw:if op:( id:x op:) kw:then "
                       + "kw:else kw:if op:( id:y op:) kw:then kw:end kw:if")
        XCTAssertEqual(lex("pure elemental real(dp) function f(x) result(r)", free),
                       "kw:pure kw:elemental ty:real op:( id:dp op:) kw:function id:f op:( id:x op:) kw:result op:( id:r op:)")
        XCTAssertEqual(lex("if (n > 0) allocate(a(n), stat=err)\nif (ok) data(1) = 0", free),
                       "kw:if op:( id:n op:> num:0 op:) kw:allocate op:( id:a op:( id:n op:) op:, id:stat op:= id:err op:) "
                       + "kw:if op:( id:ok op:) id:data op:( num:1 op:) op:= num:0")
        XCTAssertEqual(lex("use omp_lib, only: omp_get_wtime\nreal :: target", free),
                       "kw:use id:omp_lib op:, kw:only op:: id:omp_get_wtime ty:real op::: id:target")
        XCTAssertEqual(lex("outer: do i = 1, n\nend do outer\nselect case (k)\ncase default\ngo to 10", free),
                       "id:outer op:: kw:do id:i op:= num:1 op:, id:n kw:end kw:do id:outer kw:select kw:case op:( id:k op:) "
                       + "kw:case kw:default kw:go kw:to num:10")
    }

    func testLiterals() {
        XCTAssertEqual(lex("x = 1.0_dp + 1.0d0 + 2.5e-3 + 3.q0 + 1_int64 + .5 + 6.", free),
                       "id:x op:= num:1.0_dp op:+ num:1.0d0 op:+ num:2.5e-3 op:+ num:3.q0 op:+ num:1_int64 op:+ num:.5 op:+ num:6.")
        XCTAssertEqual(lex("if (1.eq.2 .and. a.ne.b .or. .not. .true._lk) c = z'ff' + b\"101\"", free),
                       "kw:if op:( num:1 op:.eq. num:2 op:.and. id:a op:.ne. id:b op:.or. op:.not. kw:.true._lk op:) id:c op:= "
                       + "num:z'ff' op:+ num:b\"101\"")
        XCTAssertEqual(lex("s = 'it''s' // \"say \"\"hi\"\"\" // ucs4_'x'", free),
                       "id:s op:= str:'it''s' op:// str:\"say \"\"hi\"\"\" op:// str:ucs4_'x'")
        XCTAssertEqual(lex("v = (/ 1, 2 /) ** 2 /= x .myop. y => p", free),
                       "id:v op:= op:(/ num:1 op:, num:2 op:/) op:** num:2 op:/= id:x op:.myop. id:y op:=> id:p")
        XCTAssertEqual(lex("s = 'no end\nt = 1", free), "id:s op:= str:'no end id:t op:= num:1")
    }

    func testFreeFormContinuationsCommentsAndLabels() {
        let source = "x = a + & ! more\n    & b\nmsg = 'long &\n  &string'\n10 continue ! done\n  y = 1; 20 z = 2"
        let bytes = Array(source.utf8)
        let tokens = free.tokenize(bytes)
        assertTiles(tokens, bytes)
        XCTAssertEqual(render(tokens, bytes),
                       "id:x op:= id:a op:+ cont:& com:! more cont:& id:b id:msg op:= str:'long &\n  &string' lbl:10 "
                       + "kw:continue com:! done id:y op:= num:1 op:; lbl:20 id:z op:= num:2")
        XCTAssertEqual(tokens.first { $0.kind == .label }?.line, 5)
    }

    func testFreeFormDirectives() {
        let source = "  !$omp parallel do private(i, data) &\n  !$omp& reduction(max:m) schedule(dynamic)\n! plain comment\n"
            + "!$ use omp_lib\n!$acc kernels\n!dir$ ivdep\nx = 1 !$omp not a directive\n#ifdef _OPENMP\n"
        let bytes = Array(source.utf8)
        let tokens = free.tokenize(bytes)
        assertTiles(tokens, bytes)
        XCTAssertEqual(render(tokens, bytes),
                       "dir:!$omp parallel do private(i, data) &\n  !$omp& reduction(max:m) schedule(dynamic) com:! plain comment "
                       + "intro:!$ kw:use id:omp_lib dir:!$acc kernels dir:!dir$ ivdep id:x op:= num:1 "
                       + "com:!$omp not a directive dir:#ifdef _OPENMP")
        let directives = tokens.filter { $0.kind == .directive }
        let body = free.directiveBody(of: directives[0], in: bytes)
        assertTiles(body, bytes, range: directives[0].range)
        XCTAssertEqual(render(body, bytes),
                       "intro:!$omp kw:parallel kw:do kw:private op:( id:i op:, id:data op:) cont:& intro:!$omp cont:& "
                       + "kw:reduction op:( kw:max op:: id:m op:) kw:schedule op:( kw:dynamic op:)")
        XCTAssertEqual(body.first { $0.text(in: bytes) == "reduction" }?.line, 2)
        XCTAssertEqual(body.first { $0.text(in: bytes) == "reduction" }?.column, 10)
        XCTAssertEqual(free.directiveInfo(of: directives[0], in: bytes),
                       DirectiveInfo(family: .openMP, name: "omp", words: ["parallel", "do", "private", "reduction", "schedule"]))
        XCTAssertEqual(free.directiveInfo(of: directives[1], in: bytes)?.family, .openACC)
        XCTAssertEqual(free.directiveInfo(of: directives[2], in: bytes), DirectiveInfo(family: .other, name: "dir", words: ["ivdep"]))
        XCTAssertEqual(free.directiveInfo(of: directives[3], in: bytes)?.name, "ifdef")
        XCTAssertEqual(lex("!$OMP END PARALLEL DO", free), "dir:!$OMP END PARALLEL DO")
        let end = Array("!$OMP END PARALLEL DO".utf8)
        let info = free.directiveInfo(of: free.tokenize(end)[0], in: end)
        XCTAssertEqual(info?.words, ["end", "parallel", "do"])
        XCTAssertEqual(info?.isEnd, true)
        XCTAssertEqual(info?.appliesToFollowingStatement, false)
    }

    func testFixedForm() {
        let source = """
        C comment line
        * star comment
        d debug line
              PROGRAM P
           10 X = 1.0
             &  + 2.0
        c$omp parallel do
        c$omp+ private(i)
        !$OMP END PARALLEL DO
              CALL S('ab
             &cd')
        \tY = 2
        \t1Z = 3
        #define N 10
              END
        """
        let bytes = Array(source.utf8)
        let tokens = fixed.tokenize(bytes)
        assertTiles(tokens, bytes)
        XCTAssertEqual(render(tokens, bytes),
                       "com:C comment line com:* star comment com:d debug line kw:PROGRAM id:P lbl:10 id:X op:= num:1.0 "
                       + "cont:& op:+ num:2.0 dir:c$omp parallel do\nc$omp+ private(i) dir:!$OMP END PARALLEL DO "
                       + "kw:CALL id:S op:( str:'ab\n     &cd' op:) id:Y op:= num:2 cont:1 id:Z op:= num:3 dir:#define N 10 kw:END")
        let directive = tokens.first { $0.kind == .directive }
        if let directive {
            let body = fixed.directiveBody(of: directive, in: bytes)
            assertTiles(body, bytes, range: directive.range)
            XCTAssertEqual(render(body, bytes), "intro:c$omp kw:parallel kw:do intro:c$omp cont:+ kw:private op:( id:i op:)")
        }
        // An indented `!$omp` is accepted in fixed form as well.
        XCTAssertEqual(lex("      X = 1\n      !$OMP BARRIER\n   !$omp flush\n      Y = 2", fixed),
                       "id:X op:= num:1 dir:!$OMP BARRIER dir:!$omp flush id:Y op:= num:2")
        // A fixed-form column-1 `c` is a comment even when it spells a keyword in free form.
        XCTAssertEqual(lex("call foo\n      call bar", fixed), "com:call foo kw:call id:bar")
        XCTAssertEqual(lex("call foo", free), "kw:call id:foo")
    }

    func testFixedFormLineLength() {
        let line = "      X = 1" + String(repeating: " ", count: 61) + "SEQ00010"
        let strict = Lexer(options: LexerOptions(language: .fortran, fortranForm: .fixed, fixedFormLineLength: 72))
        XCTAssertEqual(lex(line, strict), "id:X op:= num:1 com:SEQ00010")
        XCTAssertEqual(lex(line, fixed), "id:X op:= num:1 id:SEQ00010")
    }

    func testFormDetection() {
        func detect(_ ext: String, _ text: String) -> FortranForm {
            FortranForm.detect(pathExtension: ext, content: Array(text.utf8))
        }
        XCTAssertEqual(FortranForm.forExtension("f"), .fixed)
        XCTAssertEqual(FortranForm.forExtension("FOR"), .fixed)
        XCTAssertEqual(FortranForm.forExtension("f77"), .fixed)
        XCTAssertEqual(FortranForm.forExtension("F90"), .free)
        XCTAssertEqual(FortranForm.forExtension("f08"), .free)
        XCTAssertNil(FortranForm.forExtension("c"))
        let fixedText = "C comment\n      PROGRAM P\n     &  X\n* more\n      END\n"
        let freeText = "program p\n  implicit none\n  x = 1 + &\n      2\nend program p\n"
        XCTAssertEqual(detect("f", fixedText), .fixed)
        XCTAssertEqual(detect("f90", freeText), .free)
        // The content wins when it is clear.
        XCTAssertEqual(detect("f", freeText), .free)
        XCTAssertEqual(detect("f90", fixedText), .fixed)
        // Ambiguous content keeps the extension's convention.
        XCTAssertEqual(detect("f", "      x = 1\n"), .fixed)
        XCTAssertEqual(detect("f90", "      x = 1\n"), .free)
        XCTAssertEqual(Array(freeText.utf8).withUnsafeBytes { FortranForm.guess(content: $0) }, .free)
        XCTAssertEqual(Array(fixedText.utf8).withUnsafeBytes { FortranForm.guess(content: $0) }, .fixed)
        XCTAssertNil(Array("      x = 1\n".utf8).withUnsafeBytes { FortranForm.guess(content: $0) })
    }

    func testSnippetLabelsAndDirectives() {
        let bytes = Array(Snippets.fortranFree.utf8)
        let tokens = free.tokenize(bytes)
        XCTAssertEqual(tokens.filter { $0.kind == .label }.map { $0.text(in: bytes) }, ["10"])
        XCTAssertEqual(tokens.filter { $0.kind == .directive }.map { $0.text(in: bytes) }, [
            "!$omp parallel do private(i, j) &\n    !$omp& reduction(+:value) schedule(static)", "!$omp end parallel do",
        ])
        XCTAssertEqual(tokens.filter { $0.kind == .directiveIntroducer }.map { $0.text(in: bytes) }, ["!$"])
        let fixedBytes = Array(Snippets.fortranFixed.utf8)
        let fixedTokens = fixed.tokenize(fixedBytes)
        XCTAssertEqual(fixedTokens.filter { $0.kind == .label }.map { $0.text(in: fixedBytes) }, ["10", "20"])
        XCTAssertEqual(fixedTokens.filter { $0.kind == .comment }.count, 2)
    }
}

/// Finds function definitions and loops in C, C++, CUDA and OpenCL tokens.
///
/// Functions are looked for only where declarations stand (file, namespace, `extern "C"` and class scope), so
/// `if (...) {`, `for`, `while` and `switch` inside bodies are never mistaken for them; a `{` there is a function
/// body when the tokens since the last `;`, `}`, `{` or directive contain a parenthesized group preceded by a
/// plain or qualified name (`f`, `A::b`, `~A`, `operator+`, `f<int>`) with no `=` and no class key after it.
/// K&R-style definitions (parameter declarations between `)` and `{`) are not recognized.
struct CFamilyStructureFinder {
    private let context: StructureContext
    private let sig: [Int]
    private let n: Int
    // Per significant token: punctuator bytes packed with their length (0 for other kinds), and bracket matches.
    private var codes: [UInt32]
    private var match: [Int32]
    // Per significant token: its kind, so that the passes after the first need not reach into the tokens.
    private var kinds: [TokenKind]
    // Per significant token: where a plain statement starting there stops (its `;`, or the closer of the enclosing
    // group), jumping over bracket groups; `n` when it runs off the end. Precomputed so that chains of unbraced
    // statements cost linear time.
    private var stops: [Int32]
    // Memoized statement ends (and whether each was cut short), so that every loop of a deep unbraced nest does not
    // walk the whole nest again.
    private var endCache: [Int32] = []
    private var incompleteCache: [Bool] = []
    private var functions: [FunctionSpan] = []
    private var doTails = Set<Int>()
    private var sawIncomplete = false

    init(context: StructureContext) {
        self.context = context
        self.sig = context.significant
        self.n = sig.count
        self.codes = []
        self.match = []
        self.kinds = []
        self.stops = []
    }

    // Punctuator codes: the bytes little-endian, the length in the top byte. Literal values, so that they are
    // initialized statically instead of through a lazy-initialization check on every use in the hot loops.
    private static let openParen: UInt32 = 0x0100_0028 // (
    private static let closeParen: UInt32 = 0x0100_0029 // )
    private static let openBracket: UInt32 = 0x0100_005B // [
    private static let closeBracket: UInt32 = 0x0100_005D // ]
    private static let openBrace: UInt32 = 0x0100_007B // {
    private static let closeBrace: UInt32 = 0x0100_007D // }
    private static let semicolon: UInt32 = 0x0100_003B // ;
    private static let colon: UInt32 = 0x0100_003A // :
    private static let scope: UInt32 = 0x0200_3A3A // ::
    private static let less: UInt32 = 0x0100_003C // <
    private static let greater: UInt32 = 0x0100_003E // >
    private static let shiftRight: UInt32 = 0x0200_3E3E // >>
    private static let equals: UInt32 = 0x0100_003D // =
    private static let tilde: UInt32 = 0x0100_007E // ~
    private static let comma: UInt32 = 0x0100_002C // ,

    private func token(_ s: Int) -> Token { context.tokens[sig[s]] }

    /// Whether the token is the keyword `word` (C code may use C++ keywords such as `class` as names).
    private func isKeyword(_ s: Int, _ word: StaticString) -> Bool {
        kinds[s] == .keyword && isWord(s, word)
    }

    private func isWord(_ s: Int, _ word: StaticString) -> Bool {
        let t = token(s)
        guard t.length == word.utf8CodeUnitCount, t.kind == .keyword || t.kind == .identifier else { return false }
        let pointer = word.utf8Start
        for i in 0..<t.length where context.bytes[t.start + i] != pointer[i] { return false }
        return true
    }

    private func isIdentifier(_ s: Int) -> Bool { kinds[s] == .identifier }

    /// A standard typedef the lexer reports as a type name (`size_t`); a class may still be named so.
    private func isTypedefName(_ s: Int) -> Bool {
        let t = token(s)
        return t.kind == .typeKeyword && t.length > 2 && context.bytes[t.end - 2] == asciiUnderscore
            && context.bytes[t.end - 1] == 0x74 // _t
    }

    private func isWordLike(_ s: Int) -> Bool {
        let kind = token(s).kind
        return kind == .identifier || kind == .keyword || kind == .typeKeyword
    }

    private func matched(_ s: Int) -> Int? {
        let m = Int(match[s])
        return m >= 0 ? m : nil
    }

    mutating func run() -> SourceStructure {
        computeCodesAndMatches()
        findFunctions()
        var directiveByToken: [Int: DirectiveSpan] = [:]
        var directives: [DirectiveSpan] = []
        for index in context.directives {
            if let directive = context.parallelDirective(index) {
                directives.append(directive)
                directiveByToken[index] = directive
            }
        }
        let loops = findLoops(directiveByToken)
        return SourceStructure(functions: functions, loops: loops, directives: directives)
    }

    // MARK: - Brackets

    private mutating func computeCodesAndMatches() {
        // Local arrays read through unchecked pointers: writing `self.codes` element by element cost a uniqueness
        // check per token, and the indices are valid by construction (`sig` indexes `tokens`, tokens lie in `bytes`).
        var codes = [UInt32](repeating: 0, count: n)
        var match = [Int32](repeating: -1, count: n)
        var stops = [Int32](repeating: Int32(n), count: n + 1)
        let bytes = context.bytes
        kinds = context.tokens.withUnsafeBufferPointer { tokens in
            sig.withUnsafeBufferPointer { sig in
                codes.withUnsafeMutableBufferPointer { codes in
                    match.withUnsafeMutableBufferPointer { match in
                        Self.pairBrackets(tokens: tokens, sig: sig, bytes: bytes, codes: codes, match: match)
                    }
                }
            }
        }
        codes.withUnsafeBufferPointer { codes in
            match.withUnsafeBufferPointer { match in
                stops.withUnsafeMutableBufferPointer { stops in
                    Self.computeStops(codes: codes, match: match, stops: stops)
                }
            }
        }
        self.codes = codes
        self.match = match
        self.stops = stops
    }

    /// The punctuator code of a token: up to three bytes little-endian, the length in the top byte.
    @inline(__always)
    private static func code(of t: Token, in bytes: UnsafeRawBufferPointer) -> UInt32 {
        let length = t.length
        guard length > 0 else { return 0 }
        var value = UInt32(bytes[t.start])
        if length > 1 { value |= UInt32(bytes[t.start + 1]) << 8 }
        if length > 2 { value |= UInt32(bytes[t.start + 2]) << 16 }
        return value | UInt32(min(length, 255)) << 24
    }

    /// Fills `codes` and `match`, and returns the kind of each significant token.
    private static func pairBrackets(tokens: UnsafeBufferPointer<Token>, sig: UnsafeBufferPointer<Int>,
                                     bytes: UnsafeRawBufferPointer, codes: UnsafeMutableBufferPointer<UInt32>,
                                     match: UnsafeMutableBufferPointer<Int32>) -> [TokenKind] {
        var stack: [Int] = []
        return [TokenKind](unsafeUninitializedCapacity: sig.count) { kinds, count in
            for s in 0..<sig.count {
                let t = tokens[sig[s]]
                kinds.initializeElement(at: s, to: t.kind)
                count = s + 1
                guard t.kind == .punctuator else { continue }
                pair(s, code: code(of: t, in: bytes), codes: codes, match: match, stack: &stack)
            }
        }
    }

    /// Records a punctuator's code and pairs it when it is a bracket.
    @inline(__always)
    private static func pair(_ s: Int, code value: UInt32, codes: UnsafeMutableBufferPointer<UInt32>,
                             match: UnsafeMutableBufferPointer<Int32>, stack: inout [Int]) {
        codes[s] = value
        let opener: UInt32
        switch value {
        case openParen, openBracket, openBrace:
            stack.append(s)
            return
        case closeParen: opener = openParen
        case closeBracket: opener = openBracket
        case closeBrace: opener = openBrace
        default: return
        }
        // A closer pairs with the nearest opener of its kind within a few levels; the openers above it stay
        // unmatched, so one stray bracket damages little and cannot make this quadratic.
        var depth = stack.count - 1
        while depth >= 0 && stack.count - depth <= 32 {
            if codes[stack[depth]] == opener { break }
            depth -= 1
        }
        guard depth >= 0 && stack.count - depth <= 32 else { return }
        let open = stack[depth]
        match[open] = Int32(s)
        match[s] = Int32(open)
        stack.removeSubrange(depth...)
    }

    private static func computeStops(codes: UnsafeBufferPointer<UInt32>, match: UnsafeBufferPointer<Int32>,
                                     stops: UnsafeMutableBufferPointer<Int32>) {
        let n = codes.count
        var s = n - 1
        while s >= 0 {
            switch codes[s] {
            case semicolon, closeParen, closeBracket, closeBrace:
                stops[s] = Int32(s)
            case openParen, openBracket, openBrace:
                let close = Int(match[s])
                stops[s] = close > s ? stops[close + 1] : Int32(n)
            default:
                stops[s] = stops[s + 1]
            }
            s -= 1
        }
    }

    // MARK: - Functions

    private enum Head {
        case function(nameFirst: Int, nameLast: Int, start: Int)
        case scope
        case skip
        case continueHead
    }

    private mutating func findFunctions() {
        var headStart = 0
        var scopeDepth = 0
        // The head known to be in a constructor's initializer list, so that `A() : a{}, b{}, ...` is not rescanned
        // at every brace.
        var initializerListHead = -1
        var s = 0
        while s < n {
            if kinds[s] == .directive {
                headStart = s + 1
                s += 1
                continue
            }
            switch codes[s] {
            case Self.semicolon:
                headStart = s + 1
                s += 1
            case Self.closeBrace:
                if scopeDepth > 0 { scopeDepth -= 1 }
                headStart = s + 1
                s += 1
            case Self.colon where s > headStart && isAccessSpecifier(s - 1):
                headStart = s + 1
                s += 1
            case Self.openBrace:
                if initializerListHead == headStart && s > headStart
                    && (isIdentifier(s - 1) || codes[s - 1] == Self.greater) {
                    s = (matched(s) ?? (n - 1)) + 1
                    continue
                }
                switch classifyHead(from: headStart, brace: s) {
                case let .function(nameFirst, nameLast, start):
                    let close = matched(s)
                    let last = close ?? (n - 1)
                    functions.append(FunctionSpan(
                        name: nameText(nameFirst, nameLast), kind: .function,
                        span: context.span(from: sig[start], to: sig[last]), bodyStart: token(s).start, parent: nil,
                        isComplete: close != nil))
                    s = last + 1
                    headStart = s
                case .scope:
                    scopeDepth += 1
                    s += 1
                    headStart = s
                case .skip:
                    s = (matched(s) ?? (n - 1)) + 1
                    headStart = s
                case .continueHead:
                    initializerListHead = headStart
                    s = (matched(s) ?? (n - 1)) + 1
                }
            default:
                s += 1
            }
        }
    }

    private func isAccessSpecifier(_ s: Int) -> Bool {
        isKeyword(s, "public") || isKeyword(s, "private") || isKeyword(s, "protected") || isWord(s, "signals")
            || isWord(s, "slots") || isWord(s, "Q_SLOTS") || isWord(s, "Q_SIGNALS")
    }

    private func classifyHead(from headStart: Int, brace: Int) -> Head {
        guard headStart < brace else { return .skip }
        var sawEquals = false
        var firstTopClose = -1
        var initializerColon = -1
        var candidate = -1
        var candidateClose = -1
        var sawNamespace = false
        var sawClassKey = false
        var sawEnum = false
        var sawTypedef = false
        var keyAfterCandidate = false
        var s = headStart
        while s < brace {
            let c = codes[s]
            if c == 0 {
                if isKeyword(s, "template") && s + 1 < brace && codes[s + 1] == Self.less {
                    s = skipAngles(from: s + 1, limit: brace)
                    continue
                }
                if isKeyword(s, "operator") {
                    // `operator=`, `operator()`: the symbol is part of the name, not an initializer or a group.
                    s += 1
                    if s + 1 < brace && codes[s] == Self.openParen && codes[s + 1] == Self.closeParen { s += 2 }
                    while s < brace && codes[s] != Self.openParen && codes[s] != 0 { s += 1 }
                    continue
                }
                if isKeyword(s, "namespace") { sawNamespace = true }
                if isKeyword(s, "enum") { sawEnum = true }
                if isKeyword(s, "typedef") { sawTypedef = true }
                if isKeyword(s, "class") || isKeyword(s, "struct") || isKeyword(s, "union") {
                    sawClassKey = true
                    if candidate >= 0 { keyAfterCandidate = true }
                }
                s += 1
                continue
            }
            switch c {
            case Self.openParen, Self.openBracket, Self.openBrace:
                let close = matched(s).map { min($0, brace) } ?? brace
                if c == Self.openParen {
                    if initializerColon < 0 && nameBefore(s, headStart: headStart) != nil {
                        candidate = s
                        candidateClose = close
                        keyAfterCandidate = false
                    }
                    if firstTopClose < 0 { firstTopClose = close }
                }
                s = close + 1
                continue
            case Self.equals:
                sawEquals = true
            case Self.colon:
                if initializerColon < 0 && firstTopClose >= 0 { initializerColon = s }
            default:
                break
            }
            s += 1
        }
        if candidate >= 0 && !sawEquals && !sawTypedef && !keyAfterCandidate && candidateClose < brace,
           let (nameFirst, nameLast) = nameBefore(candidate, headStart: headStart) {
            // `A() : m{1}, n{2} {`: a brace after a member name belongs to the initializer list.
            if initializerColon >= 0 && brace > initializerColon + 1
                && (isIdentifier(brace - 1) || codes[brace - 1] == Self.greater) {
                return .continueHead
            }
            return .function(nameFirst: nameFirst, nameLast: nameLast, start: startOfDefinition(headStart, nameFirst))
        }
        if sawEquals { return .skip }
        if sawNamespace { return .scope }
        if isKeyword(headStart, "extern") && brace == headStart + 2 && token(headStart + 1).kind == .string { return .scope }
        if sawEnum { return .skip }
        if sawClassKey { return .scope }
        return .skip
    }

    /// Index after the `>` closing the `<` at `open` (`template<...>`), nested angles and parentheses skipped.
    private func skipAngles(from open: Int, limit: Int) -> Int {
        var depth = 0
        var s = open
        while s < limit {
            switch codes[s] {
            case Self.less: depth += 1
            case Self.greater: depth -= 1
            case Self.shiftRight: depth -= 2
            case Self.openParen, Self.openBracket:
                s = (matched(s).map { min($0, limit) } ?? limit)
            case Self.semicolon, Self.openBrace, Self.closeBrace:
                return s
            default: break
            }
            s += 1
            if depth <= 0 { return s }
        }
        return s
    }

    /// The name tokens right before the `(` at `open`: an identifier, possibly qualified (`A::b`, `A<T>::b`,
    /// `::f`, `~A`), with template arguments (`f<int>`), or an operator function name (`operator()`, `operator new`).
    private func nameBefore(_ open: Int, headStart: Int) -> (Int, Int)? {
        let last = open - 1
        guard last >= headStart else { return nil }
        if let operatorIndex = operatorKeywordBefore(open, headStart: headStart) {
            return (qualifiedStart(operatorIndex, headStart: headStart), last)
        }
        if isIdentifier(last) || isTypedefName(last) { return (qualifiedStart(last, headStart: headStart), last) }
        if codes[last] == Self.greater, let less = matchingLess(last, headStart: headStart), less - 1 >= headStart,
           isIdentifier(less - 1) {
            return (qualifiedStart(less - 1, headStart: headStart), last)
        }
        return nil
    }

    /// The `operator` keyword of an operator function name ending just before `open` (`operator+`, `operator()`,
    /// `operator new[]`, `operator const T*`, `operator array<T, N>`), looking back at most 12 tokens.
    private func operatorKeywordBefore(_ open: Int, headStart: Int) -> Int? {
        var s = open - 1
        var steps = 0
        while s >= headStart && steps < 12 {
            if isKeyword(s, "operator") { return s }
            let c = codes[s]
            if c == Self.semicolon || c == Self.openBrace || c == Self.closeBrace { return nil }
            // Parentheses end the search, except the `()` of `operator()` itself.
            if c == Self.closeParen || c == Self.openParen {
                let isCallOperator = c == Self.closeParen && s - 2 >= headStart && codes[s - 1] == Self.openParen
                    && isKeyword(s - 2, "operator")
                if !isCallOperator { return nil }
                return s - 2
            }
            s -= 1
            steps += 1
        }
        return nil
    }

    private func matchingLess(_ greater: Int, headStart: Int) -> Int? {
        var depth = 0
        var s = greater
        while s >= headStart && greater - s < 64 {
            switch codes[s] {
            case Self.greater: depth += 1
            case Self.shiftRight: depth += 2
            case Self.less:
                depth -= 1
                if depth == 0 { return s }
            case Self.semicolon, Self.openBrace, Self.closeBrace: return nil
            default: break
            }
            s -= 1
        }
        return nil
    }

    private func qualifiedStart(_ first: Int, headStart: Int) -> Int {
        var s = first
        while true {
            if s - 1 >= headStart && codes[s - 1] == Self.tilde {
                s -= 1
                continue
            }
            guard s - 1 >= headStart && codes[s - 1] == Self.scope else { break }
            if s - 2 >= headStart && isIdentifier(s - 2) {
                s -= 2
                continue
            }
            if s - 2 >= headStart && codes[s - 2] == Self.greater, let less = matchingLess(s - 2, headStart: headStart),
               less - 1 >= headStart && isIdentifier(less - 1) {
                s = less - 1
                continue
            }
            s -= 1
            break
        }
        return s
    }

    /// Where a definition starts: the head's first token, or after a parenthesized macro invocation that ends a
    /// line before the declaration proper (`MODULE_EXPORT(x)` on its own line).
    private func startOfDefinition(_ headStart: Int, _ nameFirst: Int) -> Int {
        var start = headStart
        var s = headStart
        while s < nameFirst {
            if codes[s] == Self.openParen, let close = matched(s), close < nameFirst {
                if s > headStart && isIdentifier(s - 1) && close + 1 <= nameFirst
                    && token(close + 1).line > context.endLine(sig[close]) {
                    start = close + 1
                }
                s = close + 1
                continue
            }
            s += 1
        }
        return start
    }

    private func nameText(_ first: Int, _ last: Int) -> String {
        var text = ""
        for s in first...last {
            if s > first && isWordLike(s) && isWordLike(s - 1) { text += " " }
            text += context.text(sig[s])
        }
        return text
    }

    // MARK: - Loops

    private struct FoundLoop {
        var kind: LoopKind
        var first: Int
        var last: Int
        var complete: Bool
    }

    private mutating func findLoops(_ directiveByToken: [Int: DirectiveSpan]) -> [LoopSpan] {
        var found: [FoundLoop] = []
        for s in 0..<n where kinds[s] == .keyword {
            let kind: LoopKind
            // `for`/`while` without a `(` are not loops: `OMP_FOR(parallel for)`-style macro arguments.
            let hasHeader = s + 1 < n && codes[s + 1] == Self.openParen
            if isKeyword(s, "for") {
                guard hasHeader else { continue }
                kind = .for
            } else if isKeyword(s, "while") {
                if doTails.contains(s) || !hasHeader { continue }
                kind = .while
            } else if isKeyword(s, "do") {
                kind = .doWhile
            } else {
                continue
            }
            sawIncomplete = false
            let last = statementEnd(s, depth: 0)
            found.append(FoundLoop(kind: kind, first: s, last: max(s, last), complete: !sawIncomplete))
        }
        var loops: [LoopSpan] = []
        loops.reserveCapacity(found.count)
        var openEnds: [Int] = []
        for loop in found {
            let span = context.span(from: sig[loop.first], to: sig[loop.last])
            while let top = openEnds.last, top <= span.start { openEnds.removeLast() }
            var loopConstruct: DirectiveSpan?
            var other: DirectiveSpan?
            var s = loop.first - 1
            while s >= 0 && kinds[s] == .directive && loopConstruct == nil {
                if let candidate = directiveByToken[sig[s]] {
                    if !candidate.info.appliesToFollowingStatement { break }
                    if candidate.info.isLoopConstruct {
                        loopConstruct = candidate
                    } else if other == nil {
                        other = candidate
                    }
                }
                s -= 1
            }
            let directive = loopConstruct ?? other
            loops.append(LoopSpan(kind: loop.kind, span: span, label: nil, depth: openEnds.count,
                                  function: functionIndex(containing: span), directive: directive, endDirective: nil,
                                  isComplete: loop.complete))
            openEnds.append(span.end)
        }
        return loops
    }

    private func functionIndex(containing span: SourceSpan) -> Int? {
        var low = 0
        var high = functions.count
        while low < high {
            let mid = (low + high) / 2
            if functions[mid].span.start <= span.start { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let candidate = functions[low - 1]
        return candidate.span.end >= span.end ? low - 1 : nil
    }

    /// Last significant index of the statement starting at `s`. Nesting deeper than 256 statements falls back to
    /// scanning for the `;`, which keeps the recursion bounded on hostile input.
    private mutating func statementEnd(_ start: Int, depth: Int) -> Int {
        if endCache.isEmpty {
            endCache = [Int32](repeating: -1, count: n + 1)
            incompleteCache = [Bool](repeating: false, count: n + 1)
        }
        guard start < n else {
            sawIncomplete = true
            return n - 1
        }
        if endCache[start] >= 0 {
            if incompleteCache[start] { sawIncomplete = true }
            return Int(endCache[start])
        }
        let outerIncomplete = sawIncomplete
        sawIncomplete = false
        let end = computeStatementEnd(start, depth: depth)
        endCache[start] = Int32(end)
        incompleteCache[start] = sawIncomplete
        sawIncomplete = sawIncomplete || outerIncomplete
        return end
    }

    private mutating func computeStatementEnd(_ start: Int, depth: Int) -> Int {
        var s = start
        while s < n && kinds[s] == .directive { s += 1 }
        guard s < n else {
            sawIncomplete = true
            return n - 1
        }
        if depth > 256 { return plainStatementEnd(s) }
        let c = codes[s]
        if c == Self.openBrace {
            if let close = matched(s) { return close }
            sawIncomplete = true
            return n - 1
        }
        if c == Self.semicolon { return s }
        if kinds[s] == .keyword {
            if isKeyword(s, "for") || isKeyword(s, "while") || isKeyword(s, "switch") {
                guard let close = headerClose(s + 1) else { return n - 1 }
                return statementEnd(close + 1, depth: depth + 1)
            }
            if isKeyword(s, "if") {
                var current = s
                while true {
                    var next = current + 1
                    if next < n && isKeyword(next, "constexpr") { next += 1 }
                    guard let close = headerClose(next) else { return n - 1 }
                    let thenEnd = statementEnd(close + 1, depth: depth + 1)
                    guard thenEnd + 1 < n, isKeyword(thenEnd + 1, "else") else { return thenEnd }
                    if thenEnd + 2 < n && isKeyword(thenEnd + 2, "if") {
                        current = thenEnd + 2
                        continue
                    }
                    return statementEnd(thenEnd + 2, depth: depth + 1)
                }
            }
            if isKeyword(s, "do") {
                let bodyEnd = statementEnd(s + 1, depth: depth + 1)
                guard bodyEnd + 1 < n, isKeyword(bodyEnd + 1, "while") else { return bodyEnd }
                doTails.insert(bodyEnd + 1)
                guard let close = headerClose(bodyEnd + 2) else { return n - 1 }
                return close + 1 < n && codes[close + 1] == Self.semicolon ? close + 1 : close
            }
            if isKeyword(s, "try") {
                var end = statementEnd(s + 1, depth: depth + 1)
                while end + 1 < n && isKeyword(end + 1, "catch") {
                    guard let close = headerClose(end + 2) else { return n - 1 }
                    end = statementEnd(close + 1, depth: depth + 1)
                }
                return end
            }
            if isKeyword(s, "case") || isKeyword(s, "default") {
                var colon = s + 1
                while colon < n && codes[colon] != Self.colon && codes[colon] != Self.semicolon
                        && codes[colon] != Self.openBrace && codes[colon] != Self.closeBrace { colon += 1 }
                if colon < n && codes[colon] == Self.colon { return statementEnd(colon + 1, depth: depth + 1) }
                return plainStatementEnd(s)
            }
        }
        if isIdentifier(s) && s + 1 < n && codes[s + 1] == Self.colon {
            return statementEnd(s + 2, depth: depth + 1)
        }
        return plainStatementEnd(s)
    }

    /// The `)` closing the parenthesized header that opens at `open`; nil (and incomplete) when there is none.
    private mutating func headerClose(_ open: Int) -> Int? {
        guard open < n, codes[open] == Self.openParen, let close = matched(open) else {
            sawIncomplete = true
            return nil
        }
        return close
    }

    /// An expression or declaration statement: up to its `;`, or to just before a closer of an enclosing block
    /// (a macro statement without `;`).
    private mutating func plainStatementEnd(_ start: Int) -> Int {
        let stop = Int(stops[start])
        guard stop < n else {
            sawIncomplete = true
            return n - 1
        }
        return codes[stop] == Self.semicolon ? stop : max(start, stop - 1)
    }
}

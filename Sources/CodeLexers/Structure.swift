/// What kind of subprogram a function definition is.
public enum FunctionKind: String, Sendable, Hashable, Codable {
    /// A C-family function or method, or a Fortran `function`.
    case function
    /// A Fortran `subroutine`.
    case subroutine
    /// A Fortran separate module procedure (`module procedure name` ... `end procedure`).
    case procedure
}

/// One function definition with its extent.
public struct FunctionSpan: Sendable, Hashable {
    /// The name as written in the declarator (`norm`, `A::b`, `operator+`, `~A`; Fortran names as written).
    public var name: String
    /// Function, subroutine or module procedure.
    public var kind: FunctionKind
    /// From the first specifier or prefix (`template`, `static`, `__global__`, `pure`) to the closing `}` or end statement.
    public var span: SourceSpan
    /// Byte offset where the body starts: the `{`, or the end of a Fortran header statement.
    public var bodyStart: Int
    /// Index in `SourceStructure.functions` of the enclosing function (Fortran internal procedures), else nil.
    public var parent: Int?
    /// False when the input ended before the body was closed.
    public var isComplete: Bool

    /// Creates a function span.
    public init(name: String, kind: FunctionKind, span: SourceSpan, bodyStart: Int, parent: Int?, isComplete: Bool) {
        self.name = name
        self.kind = kind
        self.span = span
        self.bodyStart = bodyStart
        self.parent = parent
        self.isComplete = isComplete
    }
}

/// What kind of loop a loop span is.
public enum LoopKind: String, Sendable, Hashable, Codable {
    /// C-family `for`, range-based or not.
    case `for`
    /// C-family `while`.
    case `while`
    /// C-family `do ... while`.
    case doWhile
    /// Fortran counted or endless `do` (block or labelled).
    case fortranDo
    /// Fortran `do while`.
    case fortranDoWhile
    /// Fortran `do concurrent`.
    case fortranDoConcurrent
}

/// A directive token with its text as written, its extent and its words.
public struct DirectiveSpan: Sendable, Hashable {
    /// The directive's bytes decoded as UTF-8, continuation lines included (invalid sequences become U+FFFD).
    public var text: String
    /// Where it is.
    public var span: SourceSpan
    /// Family, name and words.
    public var info: DirectiveInfo
    /// Index of the `.directive` token in the token array the structure was found from.
    public var tokenIndex: Int

    /// Creates a directive span.
    public init(text: String, span: SourceSpan, info: DirectiveInfo, tokenIndex: Int) {
        self.text = text
        self.span = span
        self.info = info
        self.tokenIndex = tokenIndex
    }
}

/// One loop with its extent and the OpenMP/OpenACC directive attached to it.
public struct LoopSpan: Sendable, Hashable {
    /// The loop form.
    public var kind: LoopKind
    /// From the loop keyword (Fortran: the `do` statement, with its construct name) to the end of its body
    /// (the closing `}` or `;`, the `end do`, or the labelled terminal statement).
    public var span: SourceSpan
    /// Fortran: the construct name (`outer`) or the terminal label (`10`) of a labelled `do`; else nil.
    public var label: String?
    /// Number of loops enclosing this one.
    public var depth: Int
    /// Index in `SourceStructure.functions` of the innermost function containing the loop, else nil.
    public var function: Int?
    /// The OpenMP or OpenACC directive right before the loop (only blank lines, comments and other directives
    /// between): of that run of directives, the nearest loop construct, else the nearest directive that applies to a
    /// following statement (`#pragma omp parallel`); see `DirectiveInfo.isLoopConstruct`.
    public var directive: DirectiveSpan?
    /// Fortran: the `!$omp end ...` / `!$acc end ...` directive right after the loop, when the loop has a directive.
    public var endDirective: DirectiveSpan?
    /// False when the input ended (or the enclosing unit ended) before the loop was closed.
    public var isComplete: Bool

    /// Creates a loop span.
    public init(kind: LoopKind, span: SourceSpan, label: String?, depth: Int, function: Int?,
                directive: DirectiveSpan?, endDirective: DirectiveSpan?, isComplete: Bool) {
        self.kind = kind
        self.span = span
        self.label = label
        self.depth = depth
        self.function = function
        self.directive = directive
        self.endDirective = endDirective
        self.isComplete = isComplete
    }
}

/// Functions, loops and OpenMP/OpenACC directives of one source file, each list in source order.
public struct SourceStructure: Sendable, Hashable {
    /// Function definitions (C-family: at file, namespace, `extern "C"` and class scope; Fortran: every
    /// subroutine, function and separate module procedure, internal ones included, interface bodies excluded).
    public var functions: [FunctionSpan]
    /// Loops, nested ones included, ordered by start.
    public var loops: [LoopSpan]
    /// Every OpenMP and OpenACC directive, attached to a loop or not.
    public var directives: [DirectiveSpan]

    /// Creates a structure.
    public init(functions: [FunctionSpan], loops: [LoopSpan], directives: [DirectiveSpan]) {
        self.functions = functions
        self.loops = loops
        self.directives = directives
    }
}

extension Lexer {
    /// Lexes and finds functions, loops and directives.
    public func structure(of bytes: [UInt8]) -> SourceStructure {
        bytes.withUnsafeBytes { structure(of: $0) }
    }

    /// `structure(of:tokens:)` for a byte array.
    public func structure(of bytes: [UInt8], tokens: [Token]) -> SourceStructure {
        bytes.withUnsafeBytes { structure(of: $0, tokens: tokens) }
    }

    /// Lexes and finds functions, loops and directives.
    public func structure(of bytes: UnsafeRawBufferPointer) -> SourceStructure {
        structure(of: bytes, tokens: tokenize(bytes))
    }

    /// Finds functions, loops and directives in tokens this lexer made from `bytes` (with or without whitespace).
    ///
    /// Preprocessor conditionals are followed the way universal-ctags does: the first branch of each `#if` group
    /// that is not `#if 0`, and the other branches too when all of them are brace-balanced.
    public func structure(of bytes: UnsafeRawBufferPointer, tokens: [Token]) -> SourceStructure {
        let context = StructureContext(lexer: self, bytes: bytes, tokens: tokens)
        if options.language == .fortran {
            var finder = FortranStructureFinder(context: context)
            return finder.run()
        }
        var finder = CFamilyStructureFinder(context: context)
        return finder.run()
    }
}

/// Shared inputs and helpers of the structure finders.
struct StructureContext {
    let lexer: Lexer
    let bytes: UnsafeRawBufferPointer
    let tokens: [Token]
    /// Indices into `tokens` of the tokens that are not trivia, with inactive preprocessor branches left out.
    let significant: [Int]
    /// Indices into `tokens` of every `.directive` token, those in inactive branches included.
    let directives: [Int]

    init(lexer: Lexer, bytes: UnsafeRawBufferPointer, tokens: [Token]) {
        self.lexer = lexer
        self.bytes = bytes
        // Tokens from other input would make every offset meaningless; keep only those inside the bytes. The
        // check rides along the first pass over the tokens, which starts again on the kept ones when it fails.
        if let found = StructureContext.activeSignificantTokens(tokens, bytes: bytes) {
            self.tokens = tokens
            (significant, directives) = found
        } else {
            let kept = tokens.filter { StructureContext.isInside($0, bytes) }
            self.tokens = kept
            (significant, directives) = StructureContext.activeSignificantTokens(kept, bytes: bytes) ?? ([], [])
        }
    }

    @inline(__always)
    private static func isInside(_ token: Token, _ bytes: UnsafeRawBufferPointer) -> Bool {
        token.start >= 0 && token.end <= bytes.count && token.start <= token.end
    }

    private struct OpenGroup {
        /// Token index of each branch's directive (`#if`, `#elif`, `#else`).
        var directives: [Int] = []
        /// Brace depth just before each branch.
        var depths: [Int] = []
        /// Whether each branch's condition is the literal `0`.
        var zero: [Bool] = []
    }

    /// Significant tokens of the branches structure finding follows. Of each `#if` group it takes the first branch
    /// whose condition is not the literal `0`; it also takes the group's other non-`0` branches when every taken
    /// branch is brace-balanced (as universal-ctags does), so that alternative definitions are all seen while
    /// alternative function heads (`void f(int a) {` / `#else` / `void f(long a) {`) cannot unbalance braces.
    ///
    /// Also returns the indices of all `.directive` tokens; nil when a token lies outside `bytes`.
    private static func activeSignificantTokens(_ tokens: [Token], bytes: UnsafeRawBufferPointer)
        -> (significant: [Int], directives: [Int])? {
        // Pass 1: decide, for each branch directive, whether its branch is taken.
        var directives: [Int] = []
        var included: [Int: Bool] = [:]
        var names: [Int: (String, Bool)] = [:]
        var groups: [OpenGroup] = []
        var depth = 0
        func close(_ group: OpenGroup, endDepth: Int) {
            let count = group.directives.count
            let nets = (0..<count).map { ($0 + 1 < count ? group.depths[$0 + 1] : endDepth) - group.depths[$0] }
            let first = group.zero.firstIndex(of: false)
            let balanced = (0..<count).allSatisfy { group.zero[$0] || nets[$0] == 0 }
            for index in 0..<count {
                included[group.directives[index]] = !group.zero[index] && (index == first || balanced)
            }
        }
        for (index, token) in tokens.enumerated() {
            guard isInside(token, bytes) else { return nil }
            if token.kind == .punctuator && token.length == 1 {
                let byte = bytes[token.start]
                if byte == 0x7B { depth += 1 } else if byte == 0x7D { depth -= 1 }
                continue
            }
            guard token.kind == .directive else { continue }
            directives.append(index)
            let (name, isZero) = preprocessorName(token, bytes: bytes)
            switch name {
            case "if", "ifdef", "ifndef":
                names[index] = (name, isZero)
                groups.append(OpenGroup(directives: [index], depths: [depth], zero: [name == "if" && isZero]))
            case "elif", "elifdef", "elifndef", "else":
                guard !groups.isEmpty else { continue }
                names[index] = (name, isZero)
                groups[groups.count - 1].directives.append(index)
                groups[groups.count - 1].depths.append(depth)
                groups[groups.count - 1].zero.append(name == "elif" && isZero)
            case "endif":
                guard let group = groups.popLast() else { continue }
                names[index] = (name, isZero)
                close(group, endDepth: depth)
            default:
                break
            }
        }
        while let group = groups.popLast() { close(group, endDepth: depth) }

        // Pass 2: keep the significant tokens whose every enclosing branch is taken. The result is written into
        // uninitialized storage sized for every token, which spares a capacity and uniqueness check per append.
        var stack: [Bool] = []
        var excluded = 0
        let significant = [Int](unsafeUninitializedCapacity: tokens.count) { result, count in
            count = 0
            for (index, token) in tokens.enumerated() {
                switch token.kind {
                case .whitespace, .newline, .comment, .continuation, .directiveIntroducer:
                    continue
                case .directive:
                    guard let (name, _) = names[index] else { break }
                    let take = included[index] ?? true
                    switch name {
                    case "if", "ifdef", "ifndef":
                        stack.append(take)
                        if !take { excluded += 1 }
                    case "endif":
                        if let last = stack.popLast(), !last { excluded -= 1 }
                    default:
                        if let last = stack.popLast(), !last { excluded -= 1 }
                        stack.append(take)
                        if !take { excluded += 1 }
                    }
                    continue
                default:
                    break
                }
                if excluded == 0 {
                    result.initializeElement(at: count, to: index)
                    count += 1
                }
            }
        }
        return (significant, directives)
    }

    /// The name of a `#` directive and whether its condition is the literal `0`.
    private static func preprocessorName(_ token: Token, bytes: UnsafeRawBufferPointer) -> (String, Bool) {
        var p = token.start
        let end = token.end
        guard p < end, bytes[p] == asciiHash else { return ("", false) }
        p += 1
        while p < end && (bytes[p] == asciiSpace || bytes[p] == asciiTab) { p += 1 }
        let nameStart = p
        while p < end && ((bytes[p] | 0x20) &- 0x61 < 26 || bytes[p] == asciiUnderscore) { p += 1 }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<p]), as: UTF8.self)
        while p < end && (bytes[p] == asciiSpace || bytes[p] == asciiTab) { p += 1 }
        var isZero = false
        if p < end && bytes[p] == 0x30 {
            var q = p + 1
            while q < end && (bytes[q] == asciiSpace || bytes[q] == asciiTab || bytes[q] == asciiCR) { q += 1 }
            isZero = q == end || (q + 1 < end && bytes[q] == asciiSlash && (bytes[q + 1] == asciiSlash || bytes[q + 1] == asciiStar))
        }
        return (name, isZero)
    }

    func text(_ tokenIndex: Int) -> String { tokens[tokenIndex].text(in: bytes) }

    /// Line of the last byte of a token (tokens may span lines).
    func endLine(_ tokenIndex: Int) -> Int {
        let token = tokens[tokenIndex]
        guard token.flags.contains(.multiline) else { return token.line }
        var line = token.line
        for i in token.start..<token.end where bytes[i] == asciiLF { line += 1 }
        // A token ending with its own line break (none do today) would otherwise report the next line.
        if token.end > token.start && bytes[token.end - 1] == asciiLF { line -= 1 }
        return line
    }

    func span(from first: Int, to last: Int) -> SourceSpan {
        let start = tokens[first]
        let stop = tokens[max(first, last)]
        return SourceSpan(start: start.start, end: max(start.end, stop.end), startLine: start.line,
                          startColumn: start.column, endLine: endLine(max(first, last)))
    }

    /// A directive span for a `.directive` token when it is OpenMP or OpenACC, else nil.
    func parallelDirective(_ tokenIndex: Int) -> DirectiveSpan? {
        let token = tokens[tokenIndex]
        guard token.kind == .directive, mayBeParallelDirective(token),
              let info = lexer.directiveInfo(of: token, in: bytes),
              info.family == .openMP || info.family == .openACC else { return nil }
        return DirectiveSpan(text: token.text(in: bytes), span: span(from: tokenIndex, to: tokenIndex), info: info,
                             tokenIndex: tokenIndex)
    }

    /// A cheap byte test that rules out most directives before they are lexed again: `omp` or `acc` must appear.
    private func mayBeParallelDirective(_ token: Token) -> Bool {
        var p = token.start
        let end = min(token.end, token.start + 256)
        while p + 2 < end {
            let a = bytes[p] | 0x20
            let b = bytes[p + 1] | 0x20
            let c = bytes[p + 2] | 0x20
            if (a == 0x6F && b == 0x6D && c == 0x70) || (a == 0x61 && b == 0x63 && c == 0x63) { return true }
            p += 1
        }
        return false
    }
}

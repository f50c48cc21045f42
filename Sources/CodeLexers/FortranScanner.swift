/// Statement-level facts the Fortran scanner keeps so that keywords, which Fortran does not reserve, are told
/// from variables with the same name (`data = 1`, `x%value`, `call f(result)`).
private struct FortranWordRules: Sendable {
    /// Keyword pairs that may follow each other (`end do`, `double precision`, `module procedure`).
    let chains: Set<Int64>
    /// `end` may be followed by any keyword.
    let endIndex: Int32
    /// First words that make a statement a declaration (attributes may follow commas before `::`).
    let declarationStarters: Set<Int32>
    /// First words of statements in which a keyword may follow a closing parenthesis (`if (x) then`, `function f(x) result(r)`).
    let parenthesisStarters: Set<Int32>
    /// `use` statements take `only` after a comma without `::`.
    let useIndex: Int32
    /// `intent(...)` takes `in`, `out`, `inout`.
    let intentIndex: Int32

    static let shared = FortranWordRules()

    private init() {
        let table = ByteKeyTable.keywords(of: .fortran)
        func index(_ word: String) -> Int32 { table.keywordIndex(of: word) ?? -1 }
        let types = LexicalTables.fortranTypes
        let prefixes = ["function", "subroutine", "pure", "elemental", "recursive", "impure", "non_recursive", "module"]
        let pairs: [(String, [String])] = [
            ("else", ["if", "where"]), ("select", ["case", "type", "rank"]), ("double", ["precision", "complex"]),
            ("go", ["to"]), ("block", ["data"]), ("implicit", ["none"]), ("error", ["stop"]),
            ("sync", ["all", "images", "memory", "team"]), ("type", ["is"]), ("class", ["is", "default"]),
            ("case", ["default"]), ("abstract", ["interface"]), ("interface", ["operator", "assignment"]),
            ("in", ["out"]), ("do", ["while", "concurrent"]), ("change", ["team"]), ("event", ["post", "wait"]),
            ("module", ["procedure"] + prefixes + types),
        ] + ["pure", "elemental", "recursive", "impure", "non_recursive"].map { ($0, prefixes + types) }
            + types.map { ($0, prefixes + ["precision", "complex"]) }
        var chains = Set<Int64>()
        for (first, followers) in pairs {
            let a = index(first)
            for follower in followers {
                let b = index(follower)
                if a >= 0 && b >= 0 { chains.insert(Int64(a) << 32 | Int64(b)) }
            }
        }
        self.chains = chains
        endIndex = index("end")
        useIndex = index("use")
        intentIndex = index("intent")
        declarationStarters = Set((types + ["type", "class", "procedure", "use"]).map(index))
        parenthesisStarters = Set((types + prefixes + ["if", "elseif", "else", "where", "elsewhere", "forall", "entry",
                                                        "type", "class", "procedure", "do"]).map(index))
    }
}

/// The Fortran scanner for free and fixed form. Like the C-family scanner it reads through a raw pointer with
/// explicit bounds checks, so arbitrary bytes can neither crash it nor make it read outside the input.
struct FortranScanner {
    enum Mode {
        /// A whole file.
        case file
        /// The bytes of one directive token: each line opens with a sentinel, lexed as `.directiveIntroducer`.
        case directiveBody
    }

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var pos: Int
    private var line: Int
    private var lineStart: Int
    private let classes: UnsafePointer<UInt8>
    private let keywords: ByteKeyTable
    private let rules: FortranWordRules
    private let fixed: Bool
    private let emitWhitespace: Bool
    private let fixedLineLength: Int?
    private let mode: Mode

    // Physical-line state.
    private var atPhysicalLineStart = true
    private var lineHasCode = false
    // Statement state.
    private var atStatementStart = true
    private var continuationPending = false
    private var statementFirstWord: Int32 = -1
    private var statementIsDeclaration = false
    private var statementTakesParenthesisKeywords = false
    private var doubleColonAhead = false
    private var passedDoubleColon = false
    private var parenDepth = 0
    private var intentParenDepth = -1
    private var intentParenPending = false
    private var constructNamePending = false
    // The previous significant token.
    private var previousKind: TokenKind = .newline
    private var previousKeyword: Int32 = -1
    private var previousByte: UInt8 = 0
    private var previousClosedTopLevelParen = false

    init(base: UnsafePointer<UInt8>, range: LexRange, options: LexerOptions, mode: Mode) {
        self.base = base
        self.end = range.end
        self.pos = range.start
        self.line = range.line
        self.lineStart = range.lineStart
        self.classes = ByteClassTable.shared.classes
        self.keywords = ByteKeyTable.keywords(of: .fortran)
        self.rules = FortranWordRules.shared
        self.fixed = options.fortranForm == .fixed
        self.emitWhitespace = options.whitespace || mode == .directiveBody
        self.fixedLineLength = options.fixedFormLineLength
        self.mode = mode
    }

    @inline(__always)
    private func peek(_ offset: Int) -> UInt8 {
        let index = pos + offset
        return index < end ? base[index] : 0
    }

    @inline(__always)
    private func byteAt(_ index: Int) -> UInt8 { index < end && index >= 0 ? base[index] : 0 }

    @inline(__always)
    private func byteClass(_ byte: UInt8) -> UInt8 { classes[Int(byte)] }

    @inline(__always)
    private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    private func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    @inline(__always)
    private func lineBreakLength(at index: Int) -> Int {
        guard index < end else { return 0 }
        let byte = base[index]
        if byte == asciiLF { return 1 }
        if byte == asciiCR && index + 1 < end && base[index + 1] == asciiLF { return 2 }
        return 0
    }

    /// Index of the line break (or `end`) of the line containing `index`.
    @inline(__always)
    private func endOfLine(from index: Int) -> Int {
        var p = index
        while p < end && lineBreakLength(at: p) == 0 { p += 1 }
        return p
    }

    private mutating func emit(_ kind: TokenKind, from start: Int, line startLine: Int, column: Int,
                               flags: TokenFlags = [], into tokens: inout [Token]) {
        var flags = flags
        if line != startLine && kind != .newline && kind != .continuation { flags.insert(.multiline) }
        if (kind == .whitespace || kind == .newline) && !emitWhitespace { return }
        tokens.append(Token(kind: kind, start: start, end: pos, line: startLine, column: column, flags: flags))
    }

    private mutating func beginStatement() {
        atStatementStart = true
        statementFirstWord = -1
        statementIsDeclaration = false
        statementTakesParenthesisKeywords = false
        doubleColonAhead = false
        passedDoubleColon = false
        parenDepth = 0
        intentParenDepth = -1
        intentParenPending = false
        constructNamePending = false
        previousKind = .newline
        previousKeyword = -1
        previousByte = 0
        previousClosedTopLevelParen = false
    }

    mutating func run(into tokens: inout [Token]) {
        while pos < end {
            if atPhysicalLineStart {
                atPhysicalLineStart = false
                lineHasCode = false
                if mode == .directiveBody {
                    scanDirectiveLineStart(into: &tokens)
                    continue
                }
                if fixed {
                    scanFixedLineStart(into: &tokens)
                    continue
                }
            }
            scanToken(into: &tokens)
        }
    }

    // MARK: - Line starts

    /// Fixed form: a column-1 comment or sentinel line, a preprocessor line, or the label field and column 6.
    private mutating func scanFixedLineStart(into tokens: inout [Token]) {
        let start = pos
        if lineBreakLength(at: pos) > 0 { return }
        let first = base[pos]
        let lowerFirst = lower(first)
        if lowerFirst == 0x63 || first == asciiStar || first == asciiBang || lowerFirst == 0x64 { // c * ! d
            if lowerFirst != 0x64, let sentinelLength = sentinelLength(at: pos) {
                if sentinelLength == 2 {
                    // `c$ ` conditional compilation: the rest of the line is code, with its own label field.
                    pos += 2
                    emit(.directiveIntroducer, from: start, line: line, column: 1, into: &tokens)
                    scanFixedLabelField(fromColumn: 3, into: &tokens)
                    return
                }
                let startLine = line
                scanFortranDirective(sentinelLength: sentinelLength)
                emit(.directive, from: start, line: startLine, column: 1, into: &tokens)
                return
            }
            pos = endOfLine(from: pos)
            emit(.comment, from: start, line: line, column: 1, into: &tokens)
            return
        }
        if first == asciiHash {
            let startLine = line
            scanPreprocessorLine()
            emit(.directive, from: start, line: startLine, column: 1, into: &tokens)
            return
        }
        scanFixedLabelField(fromColumn: 1, into: &tokens)
    }

    /// Columns 1-5 (label or blanks) and column 6 (continuation marker); leaves `pos` at the code.
    private mutating func scanFixedLabelField(fromColumn firstColumn: Int, into tokens: inout [Token]) {
        var continuation = false
        var column = firstColumn
        while pos < end && column <= 6 {
            let byte = base[pos]
            if lineBreakLength(at: pos) > 0 { return }
            let start = pos
            let startColumn = pos - lineStart + 1
            if byte == asciiTab {
                // DEC tab format: after a tab in the label field, a nonzero digit marks a continuation line.
                pos += 1
                emit(.whitespace, from: start, line: line, column: startColumn, into: &tokens)
                if pos < end && base[pos] >= 0x31 && base[pos] <= 0x39 {
                    let markStart = pos
                    pos += 1
                    emit(.continuation, from: markStart, line: line, column: markStart - lineStart + 1, into: &tokens)
                    continuation = true
                }
                break
            }
            if column == 6 {
                pos += 1
                if byte == asciiSpace || byte == 0x30 {
                    emit(.whitespace, from: start, line: line, column: startColumn, into: &tokens)
                } else {
                    emit(.continuation, from: start, line: line, column: startColumn, into: &tokens)
                    continuation = true
                }
                break
            }
            if byte == asciiSpace {
                while pos < end && base[pos] == asciiSpace && column <= 5 {
                    pos += 1
                    column += 1
                }
                emit(.whitespace, from: start, line: line, column: startColumn, into: &tokens)
                continue
            }
            if isDigit(byte) {
                while pos < end && isDigit(base[pos]) && column <= 5 {
                    pos += 1
                    column += 1
                }
                emit(.label, from: start, line: line, column: startColumn, into: &tokens)
                continue
            }
            if byte == asciiBang {
                // An indented `!$omp` is a directive here too, as compilers commonly accept; leave it to `scanToken`.
                if sentinelLength(at: pos) != nil { break }
                pos = endOfLine(from: pos)
                emit(.comment, from: start, line: line, column: startColumn, into: &tokens)
                return
            }
            // Code in the label field is not standard fixed form; lex it as the start of a statement.
            break
        }
        // A line without a continuation mark starts a new statement; a continuation line keeps the statement's state.
        if continuation {
            continuationPending = false
        } else {
            beginStatement()
        }
    }

    /// A line of a directive body: blanks, then the sentinel (`!$omp`, `c$omp`), then in fixed form column 6.
    private mutating func scanDirectiveLineStart(into tokens: inout [Token]) {
        let blankStart = pos
        while pos < end && (base[pos] == asciiSpace || base[pos] == asciiTab) { pos += 1 }
        if pos > blankStart {
            emit(.whitespace, from: blankStart, line: line, column: blankStart - lineStart + 1, into: &tokens)
        }
        guard pos < end, let length = sentinelLength(at: pos) else { return }
        let start = pos
        pos += length
        emit(.directiveIntroducer, from: start, line: line, column: start - lineStart + 1, into: &tokens)
        if fixed && pos - lineStart == 5 && pos < end {
            let mark = base[pos]
            if mark != asciiSpace && mark != 0x30 && mark != asciiTab && lineBreakLength(at: pos) == 0 {
                let markStart = pos
                pos += 1
                emit(.continuation, from: markStart, line: line, column: 6, into: &tokens)
            }
        }
        lineHasCode = true
    }

    /// Length of a directive sentinel at `index`: `!$word`, `c$word`, `*$word` (OpenMP, OpenACC, CUDA Fortran),
    /// `!dir$`-style vendor sentinels, or 2 for a bare `!$` conditional-compilation sentinel; nil otherwise.
    private func sentinelLength(at index: Int) -> Int? {
        let first = byteAt(index)
        let lowerFirst = lower(first)
        guard first == asciiBang || (fixed && (lowerFirst == 0x63 || first == asciiStar)) else { return nil }
        if byteAt(index + 1) == asciiDollar {
            var p = index + 2
            while p < end && (isLetter(base[p]) || base[p] == asciiUnderscore) && p - index < 12 { p += 1 }
            if p > index + 2 { return p - index }
            let next = byteAt(index + 2)
            if index + 2 >= end || next == asciiSpace || next == asciiTab || next == asciiAmpersand || isDigit(next)
                || lineBreakLength(at: index + 2) > 0 {
                return 2
            }
            return nil
        }
        var p = index + 1
        while p < end && isLetter(base[p]) && p - index <= 4 { p += 1 }
        if p > index + 1 && byteAt(p) == asciiDollar { return p + 1 - index }
        return nil
    }

    /// The lowercase sentinel word of a sentinel of length `length` at `index` (`omp` for `!$OMP`, `dir` for `!DIR$`).
    private func sentinelWord(at index: Int, length: Int) -> [UInt8] {
        var word: [UInt8] = []
        for i in (index + 1)..<(index + length) where base[i] != asciiDollar { word.append(lower(base[i])) }
        return word
    }

    // MARK: - Directives

    /// Scans a sentinel directive with its continuation lines; `pos` ends before the last line break.
    private mutating func scanFortranDirective(sentinelLength: Int) {
        let word = sentinelWord(at: pos, length: sentinelLength)
        var p = pos + sentinelLength
        while true {
            let lineEnd = endOfLine(from: p)
            let continues = !fixed && lineEndsWithAmpersand(from: p, to: lineEnd)
            let breakLength = lineBreakLength(at: lineEnd)
            guard breakLength > 0 else {
                pos = lineEnd
                return
            }
            let next = lineEnd + breakLength
            if continues, let nextStart = continuationSentinel(at: next, word: word, requireFixedMark: false) {
                line += 1
                lineStart = next
                p = nextStart
                continue
            }
            if fixed, let nextStart = continuationSentinel(at: next, word: word, requireFixedMark: true) {
                line += 1
                lineStart = next
                p = nextStart
                continue
            }
            pos = lineEnd
            return
        }
    }

    /// If the line at `index` opens with the same sentinel (after blanks in free form; in columns 1-5 with a
    /// column-6 mark in fixed form), the index after the sentinel; else nil.
    private func continuationSentinel(at index: Int, word: [UInt8], requireFixedMark: Bool) -> Int? {
        var p = index
        if !requireFixedMark {
            while p < end && (base[p] == asciiSpace || base[p] == asciiTab) { p += 1 }
        }
        guard p < end, let length = sentinelLength(at: p), length > 2, sentinelWord(at: p, length: length) == word else {
            return nil
        }
        if requireFixedMark {
            guard p + length == index + 5, p + length < end else { return nil }
            let mark = base[p + length]
            guard mark != asciiSpace && mark != 0x30 && mark != asciiTab && lineBreakLength(at: p + length) == 0 else {
                return nil
            }
        }
        return p + length
    }

    /// Whether the last non-blank byte before any `!` comment of the line is `&` (quotes are skipped).
    private func lineEndsWithAmpersand(from start: Int, to lineEnd: Int) -> Bool {
        var p = start
        var last: UInt8 = 0
        var quote: UInt8 = 0
        while p < lineEnd {
            let byte = base[p]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == asciiQuote || byte == asciiApostrophe {
                quote = byte
                last = byte
            } else if byte == asciiBang {
                break
            } else if byte != asciiSpace && byte != asciiTab && byte != asciiCR {
                last = byte
            }
            p += 1
        }
        return last == asciiAmpersand
    }

    /// A `#` preprocessor line with its backslash continuations; `pos` ends before the line break.
    private mutating func scanPreprocessorLine() {
        var p = pos + 1
        while p < end {
            let breakLength = lineBreakLength(at: p)
            if breakLength > 0 {
                var q = p - 1
                while q > pos && (base[q] == asciiSpace || base[q] == asciiTab) { q -= 1 }
                if q > pos && base[q] == asciiBackslash {
                    p += breakLength
                    line += 1
                    lineStart = p
                    continue
                }
                break
            }
            p += 1
        }
        pos = p
    }

    // MARK: - Tokens

    private mutating func scanToken(into tokens: inout [Token]) {
        let start = pos
        let startLine = line
        let column = start - lineStart + 1
        let byte = base[pos]
        let cls = byteClass(byte)

        if cls & ByteClass.blank != 0 || (byte == asciiCR && peek(1) != asciiLF) {
            pos += 1
            while pos < end {
                let next = base[pos]
                // Spaces dominate indentation; testing for one first skips the class lookup.
                if next == asciiSpace || byteClass(next) & ByteClass.blank != 0 || (next == asciiCR && peek(1) != asciiLF) {
                    pos += 1
                } else {
                    break
                }
            }
            emit(.whitespace, from: start, line: startLine, column: column, into: &tokens)
            return
        }
        let breakLength = lineBreakLength(at: pos)
        if breakLength > 0 {
            pos += breakLength
            line += 1
            lineStart = pos
            atPhysicalLineStart = true
            // Free form: a line ends its statement unless it ended with `&`; fixed form decides at the next line.
            if !fixed && mode == .file && !continuationPending && lineHasCode { beginStatement() }
            emit(.newline, from: start, line: startLine, column: column, into: &tokens)
            return
        }
        if let limit = fixedLineLength, fixed, mode == .file, column > limit {
            pos = endOfLine(from: pos)
            emit(.comment, from: start, line: startLine, column: column, into: &tokens)
            return
        }

        var flags: TokenFlags = []
        let kind: TokenKind
        if cls & ByteClass.identifierStart != 0 && byte != asciiDollar {
            kind = scanWord(&flags)
        } else if cls & ByteClass.digit != 0 {
            scanNumber()
            if atStatementStart && !fixed && mode == .file && isAllDigits(start, pos) {
                lineHasCode = true
                emit(.label, from: start, line: startLine, column: column, into: &tokens)
                return
            }
            kind = .number
        } else {
            switch byte {
            case asciiBang:
                if !lineHasCode && mode == .file, let length = sentinelLength(at: pos) {
                    if length == 2 {
                        pos += 2
                        emit(.directiveIntroducer, from: start, line: startLine, column: column, into: &tokens)
                        return
                    }
                    scanFortranDirective(sentinelLength: length)
                    emit(.directive, from: start, line: startLine, column: column, into: &tokens)
                    return
                }
                pos = endOfLine(from: pos)
                emit(.comment, from: start, line: startLine, column: column, into: &tokens)
                return
            case asciiAmpersand:
                pos += 1
                lineHasCode = true
                continuationPending = true
                emit(.continuation, from: start, line: startLine, column: column, into: &tokens)
                return
            case asciiHash where !lineHasCode && mode == .file:
                scanPreprocessorLine()
                emit(.directive, from: start, line: startLine, column: column, into: &tokens)
                return
            case asciiQuote, asciiApostrophe:
                scanString(quote: byte, &flags)
                kind = .string
            case asciiDot:
                kind = scanDot()
            default:
                kind = scanPunctuator(byte)
            }
        }
        lineHasCode = true
        continuationPending = false
        noteSignificant(kind, start: start)
        emit(kind, from: start, line: startLine, column: column, flags: flags, into: &tokens)
    }

    private func isAllDigits(_ start: Int, _ stop: Int) -> Bool {
        for i in start..<stop where !isDigit(base[i]) { return false }
        return true
    }

    /// Updates the statement state after a significant token.
    private mutating func noteSignificant(_ kind: TokenKind, start: Int) {
        let first = base[start]
        previousClosedTopLevelParen = false
        if kind == .punctuator {
            let length = pos - start
            if first == asciiOpenParen {
                parenDepth += 1
                if intentParenPending { intentParenDepth = parenDepth }
            } else if first == asciiCloseParen || (first == asciiSlash && length == 2 && base[start + 1] == asciiCloseParen) {
                if intentParenDepth == parenDepth { intentParenDepth = -1 }
                parenDepth = max(0, parenDepth - 1)
                previousClosedTopLevelParen = parenDepth == 0
            } else if first == asciiColon && length == 2 {
                passedDoubleColon = true
            } else if first == 0x3B { // ;
                beginStatement()
                return
            } else if first == asciiColon && constructNamePending {
                constructNamePending = false
                atStatementStart = true
                previousKind = .newline
                intentParenPending = false
                return
            }
        }
        intentParenPending = kind == .keyword && previousKeyword == rules.intentIndex && rules.intentIndex >= 0
        atStatementStart = false
        previousKind = kind
        previousByte = first
    }

    // MARK: - Words

    private mutating func scanWord(_ flags: inout TokenFlags) -> TokenKind {
        let start = pos
        var p = pos + 1
        while p < end && byteClass(base[p]) & ByteClass.identifierContinue != 0 && base[p] != asciiDollar { p += 1 }
        let length = p - start
        if p < end && (base[p] == asciiApostrophe || base[p] == asciiQuote) {
            let lowerFirst = lower(base[start])
            // BOZ constants: b'101', o'17', z'ff', x'ff'.
            if length == 1 && (lowerFirst == 0x62 || lowerFirst == 0x6F || lowerFirst == 0x7A || lowerFirst == 0x78) {
                pos = p
                scanString(quote: base[p], &flags)
                previousKeyword = -1
                return .number
            }
            // A kind-prefixed character literal: `ucs4_'text'`.
            if base[p - 1] == asciiUnderscore {
                pos = p
                scanString(quote: base[p], &flags)
                previousKeyword = -1
                return .string
            }
        }
        pos = p
        return classifyWord(start: start, length: length)
    }

    /// Next non-blank byte on the line from `index`, and its index.
    @inline(__always)
    private func nextNonBlank(from index: Int) -> (UInt8, Int) {
        var p = index
        while p < end && (base[p] == asciiSpace || base[p] == asciiTab) { p += 1 }
        return (byteAt(p), p)
    }

    private mutating func classifyWord(start: Int, length: Int) -> TokenKind {
        let wasStatementStart = atStatementStart
        let (next, nextIndex) = nextNonBlank(from: pos)
        let afterNext = byteAt(nextIndex + 1)
        if wasStatementStart && next == asciiColon && afterNext != asciiColon {
            constructNamePending = true
            previousKeyword = -1
            return .identifier
        }
        guard let entry = keywords.keyword(base + start, length) else {
            previousKeyword = -1
            return .identifier
        }
        let isAssignmentTarget = next == asciiEquals && afterNext != asciiEquals && afterNext != asciiGreater
        if (previousKind == .punctuator && previousByte == asciiPercent) || next == asciiPercent || isAssignmentTarget {
            previousKeyword = -1
            return .identifier
        }
        var isKeyword = false
        if entry.kind == .typeKeyword {
            isKeyword = true
        } else if wasStatementStart {
            isKeyword = !(next == asciiOpenParen && assignmentFollowsParentheses(from: nextIndex))
        } else if intentParenDepth > 0 && intentParenDepth == parenDepth {
            isKeyword = true
        } else if (previousKind == .keyword || previousKind == .typeKeyword) && previousKeyword >= 0
                    && (previousKeyword == rules.endIndex
                        || rules.chains.contains(Int64(previousKeyword) << 32 | Int64(entry.index))) {
            isKeyword = true
        } else if previousClosedTopLevelParen && statementTakesParenthesisKeywords {
            // `if (x) then`, `function f(x) result(r)`, and the action statement of `if (x) call f`, unless that
            // statement assigns to an array element named like a keyword (`if (x) data(i) = 1`).
            isKeyword = !(next == asciiOpenParen && assignmentFollowsParentheses(from: nextIndex))
        } else if previousKind == .punctuator && previousByte == 0x2C && parenDepth == 0 && statementIsDeclaration
                    && !passedDoubleColon && (doubleColonAhead || statementFirstWord == rules.useIndex) {
            isKeyword = true
        }
        guard isKeyword else {
            previousKeyword = -1
            return .identifier
        }
        if wasStatementStart && statementFirstWord == -1 {
            statementFirstWord = entry.index
            statementIsDeclaration = rules.declarationStarters.contains(entry.index)
            statementTakesParenthesisKeywords = rules.parenthesisStarters.contains(entry.index)
            if statementIsDeclaration { doubleColonAhead = lineHasDoubleColon(from: pos) }
        } else if previousClosedTopLevelParen && statementTakesParenthesisKeywords && !statementIsDeclaration {
            // `if (x) call f`: the action statement decides what may follow from here on.
            statementTakesParenthesisKeywords = rules.parenthesisStarters.contains(entry.index)
        }
        previousKeyword = entry.index
        return entry.kind
    }

    /// Whether `name(...)` starting at the `(` at `index` is followed by `=` or `%` (an array-element assignment
    /// such as `data(i) = 1`), looking at most 2048 bytes ahead on the line.
    private func assignmentFollowsParentheses(from index: Int) -> Bool {
        var p = index
        var depth = 0
        var quote: UInt8 = 0
        let limit = min(end, index + 2048)
        while p < limit {
            let byte = base[p]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == asciiApostrophe || byte == asciiQuote {
                quote = byte
            } else if byte == asciiOpenParen {
                depth += 1
            } else if byte == asciiCloseParen {
                depth -= 1
                if depth == 0 {
                    let (next, nextIndex) = nextNonBlank(from: p + 1)
                    if next == asciiOpenParen {
                        p = nextIndex
                        continue
                    }
                    let afterNext = byteAt(nextIndex + 1)
                    return next == asciiPercent
                        || (next == asciiEquals && afterNext != asciiEquals && afterNext != asciiGreater)
                }
            } else if byte == asciiLF || byte == asciiBang || byte == 0x3B || byte == asciiAmpersand {
                return false
            }
            p += 1
        }
        return false
    }

    /// Whether `::` appears later in this statement on this physical line, outside quotes and before a comment.
    private func lineHasDoubleColon(from index: Int) -> Bool {
        var p = index
        var quote: UInt8 = 0
        while p + 1 < end {
            let byte = base[p]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == asciiApostrophe || byte == asciiQuote {
                quote = byte
            } else if byte == asciiLF || byte == asciiBang || byte == 0x3B {
                return false
            } else if byte == asciiColon && base[p + 1] == asciiColon {
                return true
            }
            p += 1
        }
        return false
    }

    // MARK: - Literals

    /// Digits, an optional fraction (unless the dot opens a dotted operator: `1.eq.2`), an `e`/`d`/`q` exponent
    /// and a `_kind` suffix.
    private mutating func scanNumber() {
        var p = pos
        while p < end && isDigit(base[p]) { p += 1 }
        if p < end && base[p] == asciiDot && dottedOperatorLength(at: p, knownOnly: true) == 0 {
            p += 1
            while p < end && isDigit(base[p]) { p += 1 }
        }
        if p < end {
            let letter = lower(base[p])
            if letter == 0x65 || letter == 0x64 || letter == 0x71 { // e d q
                var q = p + 1
                if q < end && (base[q] == 0x2B || base[q] == 0x2D) { q += 1 }
                if q < end && isDigit(base[q]) {
                    p = q
                    while p < end && isDigit(base[p]) { p += 1 }
                }
            }
        }
        if p + 1 < end && base[p] == asciiUnderscore && byteClass(base[p + 1]) & ByteClass.identifierContinue != 0 {
            p += 1
            while p < end && byteClass(base[p]) & ByteClass.identifierContinue != 0 && base[p] != asciiDollar { p += 1 }
        }
        pos = p
    }

    /// Length of a `.letters.` operator at `index`, or 0; with `knownOnly`, only the standard dotted operators and
    /// logical constants count (a number's dot is a decimal point otherwise).
    private func dottedOperatorLength(at index: Int, knownOnly: Bool) -> Int {
        var p = index + 1
        while p < end && isLetter(base[p]) && p - index <= 32 { p += 1 }
        guard p > index + 1, p < end, base[p] == asciiDot else { return 0 }
        let length = p + 1 - index
        if !knownOnly { return length }
        if keywords.lookup(base + index, length) != nil || isStandardDottedOperator(at: index, length: length) {
            return length
        }
        return 0
    }

    private func isStandardDottedOperator(at index: Int, length: Int) -> Bool {
        let inner = length - 2
        guard inner >= 2 && inner <= 4 else { return false }
        let a = lower(base[index + 1])
        let b = lower(base[index + 2])
        let c: UInt8 = inner >= 3 ? lower(base[index + 3]) : 0
        let d: UInt8 = inner >= 4 ? lower(base[index + 4]) : 0
        switch (a, b, c, d) {
        case (0x65, 0x71, 0, 0), (0x6E, 0x65, 0, 0), (0x6C, 0x74, 0, 0), (0x6C, 0x65, 0, 0), // eq ne lt le
             (0x67, 0x74, 0, 0), (0x67, 0x65, 0, 0), (0x6F, 0x72, 0, 0), // gt ge or
             (0x61, 0x6E, 0x64, 0), (0x6E, 0x6F, 0x74, 0), (0x65, 0x71, 0x76, 0), // and not eqv
             (0x6E, 0x65, 0x71, 0x76): // neqv
            return true
        default:
            return false
        }
    }

    private mutating func scanDot() -> TokenKind {
        if isDigit(peek(1)) {
            scanNumber()
            return .number
        }
        let length = dottedOperatorLength(at: pos, knownOnly: false)
        if length > 0 {
            let isConstant = keywords.lookup(base + pos, length) != nil
            pos += length
            if isConstant {
                // `.true._lk`: a kind parameter on a logical constant.
                if pos + 1 < end && base[pos] == asciiUnderscore && byteClass(base[pos + 1]) & ByteClass.identifierContinue != 0 {
                    pos += 1
                    while pos < end && byteClass(base[pos]) & ByteClass.identifierContinue != 0 && base[pos] != asciiDollar {
                        pos += 1
                    }
                }
                previousKeyword = -1
                return .keyword
            }
            return .punctuator
        }
        pos += 1
        return .punctuator
    }

    /// A character literal: doubled quotes stand for one; free form continues it over `&` line ends (and an
    /// optional leading `&` on the next line), fixed form over column-6 continuation lines.
    private mutating func scanString(quote: UInt8, _ flags: inout TokenFlags) {
        var p = pos + 1
        while p < end {
            let byte = base[p]
            if byte == quote {
                if p + 1 < end && base[p + 1] == quote {
                    p += 2
                    continue
                }
                pos = p + 1
                return
            }
            let breakLength = lineBreakLength(at: p)
            if breakLength > 0 {
                if fixed, mode == .file, let resume = fixedContinuationCodeStart(afterBreakAt: p, breakLength: breakLength) {
                    line += 1
                    lineStart = p + breakLength
                    p = resume
                    continue
                }
                break
            }
            if byte == asciiAmpersand && !fixed {
                var q = p + 1
                while q < end && (base[q] == asciiSpace || base[q] == asciiTab) { q += 1 }
                let nextBreak = lineBreakLength(at: q)
                if nextBreak > 0 {
                    var r = q + nextBreak
                    line += 1
                    lineStart = r
                    while r < end && (base[r] == asciiSpace || base[r] == asciiTab) { r += 1 }
                    if r < end && base[r] == asciiAmpersand { r += 1 }
                    p = r
                    continue
                }
            }
            p += 1
        }
        pos = p
        flags.insert(.unterminated)
    }

    /// If the line after the break at `index` is a fixed-form continuation line, the index of its column 7.
    private func fixedContinuationCodeStart(afterBreakAt index: Int, breakLength: Int) -> Int? {
        let start = index + breakLength
        var p = start
        while p < end && p - start < 5 && base[p] == asciiSpace { p += 1 }
        if p < end && base[p] == asciiTab {
            let mark = byteAt(p + 1)
            return mark >= 0x31 && mark <= 0x39 ? p + 2 : nil
        }
        guard p - start == 5, p < end else { return nil }
        let mark = base[p]
        guard mark != asciiSpace && mark != 0x30 && lineBreakLength(at: p) == 0 else { return nil }
        return p + 1
    }

    // MARK: - Punctuators

    private mutating func scanPunctuator(_ byte: UInt8) -> TokenKind {
        let next = peek(1)
        var length = 1
        switch byte {
        case asciiStar:
            if next == asciiStar { length = 2 }
        case asciiSlash:
            if next == asciiSlash || next == asciiEquals || next == asciiCloseParen { length = 2 }
        case asciiOpenParen:
            if next == asciiSlash && peek(2) != asciiSlash && peek(2) != asciiCloseParen && peek(2) != asciiEquals { length = 2 }
        case asciiEquals:
            if next == asciiEquals || next == asciiGreater { length = 2 }
        case asciiLess, asciiGreater:
            if next == asciiEquals { length = 2 }
        case asciiColon:
            if next == asciiColon { length = 2 }
        case asciiCloseParen, asciiPercent, 0x2C, 0x5B, 0x5D, 0x2B, 0x2D, 0x3B: // ) % , [ ] + - ;
            length = 1
        default:
            pos += 1
            return .unknown
        }
        pos += length
        return .punctuator
    }
}
